import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Empty, ListState } from '../../components/states.js';
import { useLang, useT } from '../../i18n/index.js';
import { api, call, errorText, type Ok } from '../../lib/api.js';
import { fmtDateTime } from '../../lib/time.js';
import { Field } from '../admin/form.js';
import { mImport } from './messages.js';
import './imports.css';

// 工单导入: a 12345 hotline or 领导信箱 export previewed (columns mapped, first rows shown), then
// imported as cases or as items for triage; the report lists the rows not imported with the reason.

type Origin = 'hotline' | 'mailbox';
type Mode = 'case' | 'item';
type Preview = Ok<Awaited<ReturnType<typeof api.imports.preview.$post>>>;
type Report = Ok<Awaited<ReturnType<typeof api.imports.$post>>>;
type Mapping = Preview['mapping'];

const HISTORY = ['imports'] as const;

function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''));
    r.onerror = () => reject(r.error);
    r.readAsDataURL(file);
  });
}

export default function ImportPage() {
  const t = useT(mImport);
  const { lang } = useLang();
  const qc = useQueryClient();
  const [origin, setOrigin] = useState<Origin>('hotline');
  const [file, setFile] = useState<{ name: string; base64: string } | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [mapping, setMapping] = useState<Mapping | null>(null);
  const [mode, setMode] = useState<Mode>('case');
  const [departmentId, setDepartmentId] = useState<number | null>(null);
  const [report, setReport] = useState<Report | null>(null);
  const depts = useQuery({ queryKey: ['departments'], queryFn: () => call(api.departments.$get()), staleTime: 60_000 });
  const history = useQuery({ queryKey: HISTORY, queryFn: async () => (await call(api.imports.$get())).imports });
  const originLabel = (o: Origin) => (o === 'hotline' ? t('hotline') : t('mailbox'));

  const doPreview = useMutation({
    mutationFn: async () => {
      if (!file) throw new Error(t('pickFile'));
      return call(api.imports.preview.$post({ json: { fileName: file.name, contentBase64: file.base64, origin } }));
    },
    onSuccess: (p) => {
      setPreview(p);
      setMapping(p.mapping);
      setReport(null);
    },
  });
  const doImport = useMutation({
    mutationFn: () =>
      call(
        api.imports.$post({
          json: { fileName: file!.name, contentBase64: file!.base64, origin, mode, mapping: mapping!, ...(mode === 'case' && departmentId !== null ? { departmentId } : {}) },
        }),
      ),
    onSuccess: async (r) => {
      setReport(r);
      await qc.invalidateQueries({ queryKey: HISTORY });
    },
  });
  const error = doPreview.error ?? doImport.error;

  return (
    <div className="imports" data-testid="ticket-import">
      <div className="panel">
        <div className="panel-head">
          <h2>{t('heading')}</h2>
          <span className="muted small">{t('intro')}</span>
        </div>
        <div className="panel-body">
          <form
            noValidate
            className="inline-form imports-pick"
            onSubmit={(ev) => {
              ev.preventDefault();
              doPreview.mutate();
            }}
          >
            <Field label={t('origin')}>
              <select value={origin} onChange={(ev) => (setOrigin(ev.target.value as Origin), setPreview(null), setReport(null))} data-testid="import-origin">
                <option value="hotline">{t('hotline')}</option>
                <option value="mailbox">{t('mailbox')}</option>
              </select>
            </Field>
            <div className="field">
              <span>{t('file')}</span>
              <span className="imports-file">
                <label className="btn">
                  {t('chooseFile')}
                  <input
                    type="file"
                    className="imports-file-input"
                    accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                    data-testid="import-file"
                    onChange={async (ev) => {
                      const f = ev.target.files?.[0];
                      setPreview(null);
                      setReport(null);
                      setFile(f ? { name: f.name, base64: await readBase64(f) } : null);
                    }}
                  />
                </label>
                <span className="muted" translate="no">
                  {file ? file.name : t('noFile')}
                </span>
              </span>
            </div>
            <button type="submit" className="btn btn-primary" disabled={!file || doPreview.isPending}>
              {doPreview.isPending ? t('reading') : t('preview')}
            </button>
          </form>
          {error ? (
            <p className="form-error" role="alert" data-testid="import-error">
              {errorText(error, lang)}
            </p>
          ) : null}
        </div>
      </div>

      {preview && mapping ? (
        <div className="panel" data-testid="import-preview">
          <div className="panel-head">
            <h2>{t('mapping')}</h2>
            <span className="muted small">{preview.mappingFrom === 'saved' ? t('mappingSaved') : t('mappingGuessed')}</span>
          </div>
          <div className="panel-body">
            <div className="table-wrap">
              <table className="table imports-mapping">
                <thead>
                  <tr>
                    <th>{t('field')}</th>
                    <th>{t('column')}</th>
                    <th>{t('sample')}</th>
                  </tr>
                </thead>
                <tbody>
                  {preview.fields.map((f) => (
                    <tr key={f.key}>
                      <td className="nowrap">
                        {f.label}
                        {f.required ? <span className="muted small">（{t('required')}）</span> : null}
                      </td>
                      <td>
                        <select
                          aria-label={f.label}
                          data-testid={`map-${f.key}`}
                          value={mapping[f.key]}
                          onChange={(ev) => setMapping({ ...mapping, [f.key]: Number(ev.target.value) })}
                        >
                          <option value={-1}>{t('none')}</option>
                          {preview.headers.map((h, i) => (
                            <option key={i} value={i}>
                              {h || `#${i + 1}`}
                            </option>
                          ))}
                        </select>
                      </td>
                      <td className="imports-sample" data-label={t('sample')}>{mapping[f.key] >= 0 ? (preview.rows[0]?.[mapping[f.key]] ?? '') : ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <h3 className="imports-sub">{t('rows', { n: preview.rows.length, total: preview.totalRows })}</h3>
            <div className="table-wrap">
              <table className="table imports-rows" data-testid="import-rows">
                <thead>
                  <tr>
                    {preview.headers.map((h, i) => (
                      <th key={i}>{h}</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {preview.rows.map((r, i) => (
                    <tr key={i}>
                      {r.map((c, j) => (
                        <td key={j}>{c}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <fieldset className="imports-mode">
              <legend>{t('mode')}</legend>
              {(['case', 'item'] as const).map((m) => (
                <label key={m} className="imports-choice">
                  <input type="radio" name="import-mode" value={m} checked={mode === m} onChange={() => setMode(m)} data-testid={`mode-${m}`} />
                  <span>
                    <strong>{m === 'case' ? t('asCase') : t('asItem')}</strong>
                    <span className="muted small"> {m === 'case' ? t('asCaseHint') : t('asItemHint')}</span>
                  </span>
                </label>
              ))}
            </fieldset>
            {mode === 'case' ? (
              <Field label={t('department')} hint={t('departmentHint')}>
                <select value={departmentId ?? ''} onChange={(ev) => setDepartmentId(ev.target.value === '' ? null : Number(ev.target.value))} data-testid="import-department">
                  <option value="">{t('noDefault')}</option>
                  {(depts.data?.departments ?? []).map((d) => (
                    <option key={d.id} value={d.id}>
                      {d.name}
                    </option>
                  ))}
                </select>
              </Field>
            ) : null}
            <button type="button" className="btn btn-primary" disabled={doImport.isPending} onClick={() => doImport.mutate()} data-testid="import-run">
              {doImport.isPending ? t('running') : t('run')}
            </button>
          </div>
        </div>
      ) : null}

      {report ? (
        <div className="panel" data-testid="import-report">
          <div className="panel-head">
            <h2>{t('result')}</h2>
          </div>
          <div className="panel-body">
            <p data-testid="import-summary">
              {t('summary', { total: report.rowsTotal, imported: report.imported, duplicates: report.duplicates, refused: report.refused })}
            </p>
            {report.refusedRows.length > 0 ? <RefusedTable rows={report.refusedRows} /> : null}
          </div>
        </div>
      ) : null}

      <div className="panel">
        <div className="panel-head">
          <h2>{t('history')}</h2>
        </div>
        <div className="panel-body">
          <ListState query={history} empty={<Empty title={t('historyEmpty')} />}>
            {(rows) => (
              <div className="table-wrap">
                <table className="table imports-history" data-testid="import-history">
                  <thead>
                    <tr>
                      <th>{t('at')}</th>
                      <th>{t('origin')}</th>
                      <th className="imports-wide">{t('mode')}</th>
                      <th>{t('fileName')}</th>
                      <th>{t('counts')}</th>
                      <th className="imports-wide">{t('by')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((r) => (
                      <tr key={r.id}>
                        <td className="nowrap">{fmtDateTime(r.createdAt)}</td>
                        <td className="nowrap">{originLabel(r.origin)}</td>
                        <td className="nowrap imports-wide">{r.mode === 'case' ? t('asCase') : t('asItem')}</td>
                        <td translate="no" className="imports-file-name">{r.fileName}</td>
                        <td className="nowrap">
                          {r.imported} / {r.duplicates} / {r.refused}
                        </td>
                        <td className="nowrap imports-wide">{r.createdBy ?? ''}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </ListState>
        </div>
      </div>
    </div>
  );
}

function RefusedTable({ rows }: { rows: Report['refusedRows'] }) {
  const t = useT(mImport);
  return (
    <>
      <h3 className="imports-sub">{t('refusedRows')}</h3>
      <div className="table-wrap">
        <table className="table" data-testid="import-refused">
          <thead>
            <tr>
              <th>{t('row')}</th>
              <th>{t('ticketNo')}</th>
              <th>{t('reason')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.row}-${r.ticketNo}`}>
                <td>{r.row}</td>
                <td translate="no">{r.ticketNo}</td>
                <td>{r.reasonZh}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
