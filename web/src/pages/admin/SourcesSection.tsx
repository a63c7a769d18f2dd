import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { MEDIA_TYPES, type FetchStatus } from '../../../../core/vocabulary.js';
import { Modal } from '../../components/Modal.js';
import { Empty, ListState } from '../../components/states.js';
import { Tag } from '../../components/Tag.js';
import { toast } from '../../components/toast.js';
import { common } from '../../i18n/common.js';
import { useLang, useT } from '../../i18n/index.js';
import { useLabel } from '../../i18n/labels.js';
import { api, call, errorText, type Ok } from '../../lib/api.js';
import { useAppEvents } from '../../lib/events.js';
import { fmtDateTime, fmtDuration, fmtRelative, useNow } from '../../lib/time.js';
import { Confirm } from './Confirm.js';
import { Field, GeneralError, orNull, useFieldErrors } from './form.js';
import { mAdmin, mSources } from './messages.js';

type Source = Ok<Awaited<ReturnType<typeof api.sources.$get>>>['sources'][number];
type Preview = Ok<Awaited<ReturnType<typeof api.sources.preview.$post>>>;
type SourceInput = Parameters<typeof api.sources.$post>[0]['json'];

const SOURCES_KEY = ['admin', 'sources'] as const;

/** Colour of a fetch status: green when fine, amber for passing trouble, red for a broken source. */
export function statusTone(status: FetchStatus): 'green' | 'amber' | 'red' | 'grey' {
  if (status === 'ok' || status === 'not_modified') return 'green';
  if (status === 'pending') return 'grey';
  if (status === 'timeout' || status === 'rate_limited' || status === 'http_5xx' || status === 'network_error') return 'amber';
  return 'red';
}

const isHttp = (u: string | null | undefined): u is string => !!u && /^https?:\/\//i.test(u);

function ExtLink({ href, children }: { href: string | null; children: React.ReactNode }) {
  if (!isHttp(href)) return <>{children}</>;
  return (
    <a href={href} target="_blank" rel="noopener noreferrer">
      {children}
    </a>
  );
}

export function SourcesSection() {
  const t = useT(mSources);
  const ta = useT(mAdmin);
  const tc = useT(common);
  const label = useLabel();
  const { lang } = useLang();
  const now = useNow(15_000);
  const qc = useQueryClient();
  const q = useQuery({ queryKey: SOURCES_KEY, queryFn: async () => (await call(api.sources.$get())).sources, refetchInterval: 30_000 });
  useAppEvents((ev) => {
    if (ev.type === 'source.updated') void qc.invalidateQueries({ queryKey: SOURCES_KEY });
  });
  const [editing, setEditing] = useState<Source | 'new' | null>(null);
  const [detail, setDetail] = useState<Source | null>(null);
  const [deleting, setDeleting] = useState<Source | null>(null);
  const fetchNow = useMutation({
    mutationFn: (id: number) => call(api.sources[':id']['fetch-now'].$post({ param: { id: String(id) } })),
    onSuccess: () => {
      toast(t('fetchNowDone'));
      void qc.invalidateQueries({ queryKey: SOURCES_KEY });
    },
    onError: (e) => toast(errorText(e, lang), 'error'),
  });

  return (
    <div className="stack">
      <div className="page-head">
        <h1>{t('heading')}</h1>
        <span className="muted small">{t('intro')}</span>
        <span className="spacer" />
        <button type="button" className="btn btn-primary" onClick={() => setEditing('new')} data-testid="source-add">
          {t('add')}
        </button>
      </div>
      <div className="panel">
        <ListState
          query={q}
          empty={<Empty title={t('emptyTitle')} hint={t('emptyHint')} />}
        >
          {(data) => (
          <div className="table-wrap">
            <table className="table admin-table" data-testid="sources-table">
              <thead>
                <tr>
                  <th>{t('colName')}</th>
                  <th>{t('colKind')}</th>
                  <th>{t('colHealth')}</th>
                  <th>{t('colLastError')}</th>
                  <th>{t('colLastNext')}</th>
                  <th className="num">{t('colItems')}</th>
                  <th>{tc('actions')}</th>
                </tr>
              </thead>
              <tbody>
                {data.map((s) => {
                  const failing = s.status !== 'ok' && s.status !== 'not_modified' && s.status !== 'pending';
                  return (
                    <tr key={s.id} data-testid="source-row" data-status={s.status} className={s.enabled ? undefined : 'row-disabled'}>
                      <td className="cell-name">
                        <button type="button" className="link-btn" onClick={() => setDetail(s)}>
                          {s.name}
                        </button>
                        <div className="muted small ellipsis" title={s.url}>
                          {s.url}
                        </div>
                      </td>
                      <td className="nowrap">
                        <div>{s.kind === 'feed' ? t('feed') : t('site')}</div>
                        <div className="muted small">{label('mediaType', s.mediaType)}</div>
                      </td>
                      <td>
                        <div className="tags">
                          {s.enabled ? (
                            <Tag tone={statusTone(s.status)}>
                              <span data-testid="source-status">{label('fetchStatus', s.status)}</span>
                            </Tag>
                          ) : (
                            <Tag>{t('disabledTag')}</Tag>
                          )}
                          {s.enabled && s.consecutiveFailures > 1 ? <Tag tone="amber">{t('backoff', { n: s.consecutiveFailures })}</Tag> : null}
                          {s.silent ? <Tag tone="purple">{t('silent')}</Tag> : null}
                          {s.selectorMisses > 1 ? <Tag tone="amber">{t('selectorMisses', { n: s.selectorMisses })}</Tag> : null}
                        </div>
                      </td>
                      <td className="cell-error">
                        {failing ? (
                          <div data-testid="source-error" title={s.statusMessage}>
                            <div className="err-text">
                              {t(`err_${s.status}` as 'err_timeout')}
                              {s.httpStatus ? (lang === 'zh' ? `（HTTP ${s.httpStatus}）` : ` (HTTP ${s.httpStatus})`) : ''}
                            </div>
                            {s.statusMessage ? <div className="muted small ellipsis code">{s.statusMessage}</div> : null}
                          </div>
                        ) : (
                          <span className="muted">—</span>
                        )}
                      </td>
                      <td className="nowrap small">
                        <div title={fmtDateTime(s.lastFetchAt)}>
                          <span className="muted">{t('lastShort')}</span> {s.lastFetchAt ? fmtRelative(s.lastFetchAt, now, lang) : ta('never')}
                        </div>
                        <div title={fmtDateTime(s.nextFetchAt)}>
                          <span className="muted">{t('nextShort')}</span> {s.enabled ? fmtRelative(s.nextFetchAt, now, lang) : '—'}
                        </div>
                      </td>
                      <td className="num">{s.itemCount}</td>
                      <td className="nowrap">
                        <div className="row-actions">
                          <button type="button" className="btn btn-sm" onClick={() => setEditing(s)}>
                            {tc('edit')}
                          </button>
                          <button type="button" className="btn btn-sm" disabled={fetchNow.isPending} onClick={() => fetchNow.mutate(s.id)}>
                            {t('fetchNow')}
                          </button>
                          <button type="button" className="btn btn-sm btn-danger" onClick={() => setDeleting(s)}>
                            {tc('delete')}
                          </button>
                        </div>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          )}
        </ListState>
      </div>
      <AllowlistPanel />
      {editing ? <SourceForm source={editing === 'new' ? null : editing} onClose={() => setEditing(null)} /> : null}
      {detail ? <SourceDetail source={q.data?.find((s) => s.id === detail.id) ?? detail} onClose={() => setDetail(null)} /> : null}
      {deleting ? (
        <Confirm
          title={tc('delete')}
          text={ta('confirmDelete', { name: deleting.name })}
          onConfirm={async () => {
            await call(api.sources[':id'].$delete({ param: { id: String(deleting.id) } }));
            toast(ta('deleted'));
            await qc.invalidateQueries({ queryKey: SOURCES_KEY });
          }}
          onClose={() => setDeleting(null)}
        />
      ) : null}
    </div>
  );
}

function SourceDetail({ source: s, onClose }: { source: Source; onClose: () => void }) {
  const t = useT(mSources);
  const ta = useT(mAdmin);
  const label = useLabel();
  const { lang } = useLang();
  const q = useQuery({
    queryKey: ['admin', 'sources', s.id, 'fetches'],
    queryFn: async () => (await call(api.sources[':id'].fetches.$get({ param: { id: String(s.id) }, query: { limit: '30' } }))).fetches,
  });
  return (
    <Modal title={`${t('detailTitle')} · ${s.name}`} onClose={onClose} wide>
      <dl className="facts" data-testid="source-detail">
        <dt>{t('url')}</dt>
        <dd className="break">
          <ExtLink href={s.url}>{s.url}</ExtLink>
        </dd>
        <dt>{t('colHealth')}</dt>
        <dd>
          <Tag tone={statusTone(s.status)}>{label('fetchStatus', s.status)}</Tag> {s.statusMessage ? <span className="muted small">{s.statusMessage}</span> : null}
        </dd>
        <dt>{t('lastSuccess')}</dt>
        <dd>{s.lastSuccessAt ? fmtDateTime(s.lastSuccessAt) : ta('never')}</dd>
        <dt>{t('lastNew')}</dt>
        <dd>{s.lastNewItemAt ? fmtDateTime(s.lastNewItemAt) : ta('never')}</dd>
        <dt>{t('typicalGap')}</dt>
        <dd>{s.typicalGapS ? fmtDuration(s.typicalGapS * 1000, lang) : '—'}</dd>
        <dt>{t('failures')}</dt>
        <dd>{s.consecutiveFailures}</dd>
        <dt>{t('colNext')}</dt>
        <dd>{fmtDateTime(s.nextFetchAt)}</dd>
      </dl>
      <h3>{t('history')}</h3>
      <ListState
        query={q}
        empty={<Empty title={t('history')} hint={t('historyEmpty')} />}
      >
        {(data) => (
        <div className="table-wrap history-wrap">
          <table className="table" data-testid="fetch-history">
            <thead>
              <tr>
                <th>{t('colStarted')}</th>
                <th>{t('colStatus')}</th>
                <th>{t('colDuration')}</th>
                <th>{t('colSeen')}</th>
                <th>{t('colMessage')}</th>
              </tr>
            </thead>
            <tbody>
              {data.map((f) => (
                <tr key={f.id}>
                  <td className="nowrap">{fmtDateTime(f.startedAt)}</td>
                  <td className="nowrap">
                    <Tag tone={statusTone(f.status)}>{label('fetchStatus', f.status)}</Tag>
                    {f.httpStatus ? <span className="muted small"> {f.httpStatus}</span> : null}
                  </td>
                  <td className="num nowrap">{f.durationMs} ms</td>
                  <td className="num nowrap">
                    {f.itemsSeen} / {f.itemsNew}
                  </td>
                  <td className="small break">{f.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        )}
      </ListState>
    </Modal>
  );
}

interface FormState {
  name: string;
  url: string;
  kind: 'feed' | 'site';
  mediaType: (typeof MEDIA_TYPES)[number];
  region: string;
  charset: string;
  pollIntervalS: string;
  enabled: boolean;
  sel: { item: string; link: string; title: string; date: string; text: string };
}

function initialForm(s: Source | null): FormState {
  return {
    name: s?.name ?? '',
    url: s?.url ?? '',
    kind: s?.kind ?? 'feed',
    mediaType: s?.mediaType ?? 'news',
    region: s?.region ?? '',
    charset: s?.charset ?? '',
    pollIntervalS: String(s?.pollIntervalS ?? 300),
    enabled: s?.enabled ?? true,
    sel: {
      item: s?.selectors?.item ?? '',
      link: s?.selectors?.link ?? '',
      title: s?.selectors?.title ?? '',
      date: s?.selectors?.date ?? '',
      text: s?.selectors?.text ?? '',
    },
  };
}

function toInput(f: FormState): SourceInput {
  const sel = f.sel;
  const selectors =
    f.kind === 'site'
      ? {
          item: sel.item.trim(),
          ...(orNull(sel.link) && { link: sel.link.trim() }),
          ...(orNull(sel.title) && { title: sel.title.trim() }),
          ...(orNull(sel.date) && { date: sel.date.trim() }),
          ...(orNull(sel.text) && { text: sel.text.trim() }),
        }
      : null;
  const poll = Number(f.pollIntervalS);
  return {
    name: f.name,
    url: f.url.trim(),
    kind: f.kind,
    mediaType: f.mediaType,
    region: f.region,
    charset: orNull(f.charset),
    pollIntervalS: Number.isFinite(poll) && f.pollIntervalS.trim() !== '' ? poll : (Number.NaN as number),
    enabled: f.enabled,
    selectors: f.kind === 'site' && selectors && selectors.item === '' ? null : selectors,
  };
}

const FIELDS = ['name', 'url', 'kind', 'mediaType', 'region', 'charset', 'pollIntervalS', 'enabled', 'selectors.item', 'selectors.link', 'selectors.title', 'selectors.date', 'selectors.text', 'selectors'] as const;

function SourceForm({ source, onClose }: { source: Source | null; onClose: () => void }) {
  const t = useT(mSources);
  const tc = useT(common);
  const ta = useT(mAdmin);
  const label = useLabel();
  const qc = useQueryClient();
  const [f, setF] = useState<FormState>(() => initialForm(source));
  const set = <K extends keyof FormState>(k: K, v: FormState[K]) => setF((p) => ({ ...p, [k]: v }));
  const setSel = (k: keyof FormState['sel'], v: string) => setF((p) => ({ ...p, sel: { ...p.sel, [k]: v } }));
  const save = useMutation({
    mutationFn: async () => {
      const input = toInput(f);
      if (source) return call(api.sources[':id'].$patch({ param: { id: String(source.id) }, json: input }));
      return call(api.sources.$post({ json: input }));
    },
    onSuccess: async () => {
      toast(source ? tc('saved') : ta('created'));
      await qc.invalidateQueries({ queryKey: SOURCES_KEY });
      onClose();
    },
  });
  const preview = useMutation({
    mutationFn: async () => {
      const { name, ...rest } = toInput(f);
      return call(api.sources.preview.$post({ json: { ...rest, ...(name.trim() && { name }) } }));
    },
  });
  const errs = useFieldErrors(save.error ?? preview.error, FIELDS);
  const e = errs.byField;
  return (
    <Modal
      title={source ? t('editTitle') : t('createTitle')}
      onClose={onClose}
      wide
      footer={
        <>
          <span className="muted small foot-hint">{t('previewHint')}</span>
          <button type="button" className="btn" disabled={preview.isPending} onClick={() => preview.mutate()} data-testid="source-preview">
            {preview.isPending ? t('previewing') : t('preview')}
          </button>
          <button type="button" className="btn" onClick={onClose}>
            {tc('cancel')}
          </button>
          <button type="submit" form="source-form" className="btn btn-primary" disabled={save.isPending} data-testid="source-save">
            {save.isPending ? tc('saving') : t('saveSource')}
          </button>
        </>
      }
    >
      <form noValidate
        id="source-form"
        data-testid="source-form"
        onSubmit={(ev) => {
          ev.preventDefault();
          preview.reset();
          save.mutate();
        }}
      >
        <GeneralError text={errs.general} />
        <div className="form-grid">
          <Field label={t('name')} error={e.name}>
            <input value={f.name} onChange={(ev) => set('name', ev.target.value)} maxLength={200} required />
          </Field>
          <Field label={t('kind')} error={e.kind}>
            <div className="seg">
              {(['feed', 'site'] as const).map((k) => (
                <label key={k} className={f.kind === k ? 'seg-opt on' : 'seg-opt'}>
                  <input type="radio" name="kind" checked={f.kind === k} onChange={() => set('kind', k)} />
                  {k === 'feed' ? t('feed') : t('site')}
                </label>
              ))}
            </div>
          </Field>
          <Field label={t('url')} error={e.url} hint={t('urlHint')} wide>
            <input value={f.url} onChange={(ev) => set('url', ev.target.value)} placeholder="https://" className="code" required data-testid="source-url" />
          </Field>
          <Field label={t('mediaType')} error={e.mediaType}>
            <select value={f.mediaType} onChange={(ev) => set('mediaType', ev.target.value as FormState['mediaType'])}>
              {MEDIA_TYPES.map((m) => (
                <option key={m} value={m}>
                  {label('mediaType', m)}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('region')} error={e.region}>
            <input value={f.region} onChange={(ev) => set('region', ev.target.value)} maxLength={100} />
          </Field>
          <Field label={t('poll')} error={e.pollIntervalS} hint={t('pollHint')}>
            <input type="number" min={5} step={1} value={f.pollIntervalS} onChange={(ev) => set('pollIntervalS', ev.target.value)} />
          </Field>
          <Field label={t('charset')} error={e.charset} hint={t('charsetHint')}>
            <input value={f.charset} onChange={(ev) => set('charset', ev.target.value)} placeholder="utf-8" />
          </Field>
          <label className="check">
            <input type="checkbox" checked={f.enabled} onChange={(ev) => set('enabled', ev.target.checked)} />
            {t('enabledLabel')}
          </label>
        </div>
        {f.kind === 'site' ? (
          <fieldset className="selectors">
            <legend>{t('selectors')}</legend>
            {e.selectors ? <p className="field-error">{e.selectors}</p> : null}
            <div className="form-grid">
              {(['item', 'link', 'title', 'date', 'text'] as const).map((k) => (
                <Field key={k} label={t(`sel${k[0].toUpperCase()}${k.slice(1)}` as 'selItem')} error={e[`selectors.${k}`]}>
                  <input className="code" value={f.sel[k]} onChange={(ev) => setSel(k, ev.target.value)} data-testid={`selector-${k}`} />
                </Field>
              ))}
            </div>
            <p className="muted small">{t('selHint')}</p>
          </fieldset>
        ) : null}
      </form>
      {preview.data ? <PreviewResult r={preview.data} /> : null}
    </Modal>
  );
}

function PreviewResult({ r }: { r: Preview }) {
  const t = useT(mSources);
  const label = useLabel();
  const { lang } = useLang();
  return (
    <section className={`preview ${r.ok ? 'preview-ok' : 'preview-fail'}`} data-testid="source-preview-result" data-status={r.status}>
      <header className="preview-head">
        <strong>{t('previewTitle')}</strong>
        <Tag tone={statusTone(r.status)}>{label('fetchStatus', r.status)}</Tag>
        {r.httpStatus ? <span className="muted small">HTTP {r.httpStatus}</span> : null}
        <span className="muted small">{t('duration', { ms: r.durationMs })}</span>
      </header>
      <p className={r.ok ? 'preview-msg' : 'preview-msg err-text'}>{lang === 'zh' ? r.messageZh : r.message || r.messageZh}</p>
      {!r.ok && r.message && lang === 'zh' ? (
        <p className="muted small">
          {t('technical')}：<span className="code">{r.message}</span>
        </p>
      ) : null}
      {r.ok ? (
        r.entries.length === 0 ? (
          <p className="muted">{t('previewNone')}</p>
        ) : (
          <>
            <p className="muted small">{t('previewTotal', { n: r.total, m: r.entries.length })}</p>
            <ol className="preview-list">
              {r.entries.map((en, i) => (
                <li key={i} data-testid="preview-entry">
                  <div className="preview-title">
                    <ExtLink href={en.url}>{en.title}</ExtLink>
                  </div>
                  <div className="muted small">
                    {fmtDateTime(en.publishedAt)}
                    {en.publishedAtEstimated ? ` ${t('estimated')}` : ''}
                  </div>
                  {en.excerpt ? <div className="preview-excerpt small">{en.excerpt}</div> : null}
                </li>
              ))}
            </ol>
          </>
        )
      ) : null}
    </section>
  );
}

function AllowlistPanel() {
  const t = useT(mSources);
  const ta = useT(mAdmin);
  const tc = useT(common);
  const qc = useQueryClient();
  const key = ['admin', 'allowlist'];
  const q = useQuery({ queryKey: key, queryFn: async () => (await call(api.allowlist.$get())).entries });
  const [hostPort, setHostPort] = useState('');
  const [note, setNote] = useState('');
  const add = useMutation({
    mutationFn: () => call(api.allowlist.$post({ json: { hostPort, note } })),
    onSuccess: async () => {
      setHostPort('');
      setNote('');
      toast(tc('saved'));
      await qc.invalidateQueries({ queryKey: key });
    },
  });
  const errs = useFieldErrors(add.error, ['hostPort', 'note']);
  const [deleting, setDeleting] = useState<{ id: number; hostPort: string } | null>(null);
  return (
    <div className="panel" data-testid="allowlist">
      <div className="panel-head">
        <h2>{t('allowlist')}</h2>
        <span className="muted small">{t('allowIntro')}</span>
      </div>
      <div className="panel-body">
        <form noValidate
          className="inline-form"
          onSubmit={(ev) => {
            ev.preventDefault();
            add.mutate();
          }}
        >
          <Field label={t('hostPort')} error={errs.byField.hostPort}>
            <input className="code" value={hostPort} onChange={(ev) => setHostPort(ev.target.value)} placeholder={t('hostPortPh')} required />
          </Field>
          <Field label={ta('note')} error={errs.byField.note}>
            <input value={note} onChange={(ev) => setNote(ev.target.value)} maxLength={500} />
          </Field>
          <button type="submit" className="btn btn-primary" disabled={add.isPending}>
            {t('addAllow')}
          </button>
        </form>
        <GeneralError text={errs.general} />
        <ListState
          query={q}
          empty={<Empty title={t('allowEmpty')} hint={t('allowEmptyHint')} />}
        >
          {(data) => (
          <table className="table">
            <thead>
              <tr>
                <th>{t('hostPort')}</th>
                <th>{ta('note')}</th>
                <th>{t('createdAt')}</th>
                <th>{tc('actions')}</th>
              </tr>
            </thead>
            <tbody>
              {data.map((a) => (
                <tr key={a.id}>
                  <td className="code">{a.hostPort}</td>
                  <td>{a.note || <span className="muted">—</span>}</td>
                  <td className="nowrap">{fmtDateTime(a.createdAt)}</td>
                  <td>
                    <button type="button" className="btn btn-sm btn-danger" onClick={() => setDeleting(a)}>
                      {tc('delete')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          )}
        </ListState>
      </div>
      {deleting ? (
        <Confirm
          title={tc('delete')}
          text={ta('confirmDelete', { name: deleting.hostPort })}
          onConfirm={async () => {
            await call(api.allowlist[':id'].$delete({ param: { id: String(deleting.id) } }));
            await qc.invalidateQueries({ queryKey: key });
          }}
          onClose={() => setDeleting(null)}
        />
      ) : null}
    </div>
  );
}
