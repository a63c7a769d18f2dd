import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { MEDIA_TYPES } from '../../../../core/vocabulary.js';
import { Tag } from '../../components/Tag.js';
import { toast } from '../../components/toast.js';
import { common } from '../../i18n/common.js';
import { useLang, useT } from '../../i18n/index.js';
import { useLabel } from '../../i18n/labels.js';
import { api, call, type Ok } from '../../lib/api.js';
import { fmtDateTime } from '../../lib/time.js';
import { Field, FormModal, GeneralError, orNull, useFieldErrors } from './form.js';
import { mAdmin, mJsonSource, mRsshub, mSources } from './messages.js';
import { useRsshubTemplates, type RsshubTemplates } from './RsshubPanel.js';
import { ExtLink } from './SourceDetail.js';
import { SOURCES_KEY, statusTone, type Source } from './SourcesSection.js';
import { initialSearch, PreviewQueries, SearchFields, searchInput, SearchUrlHint, type SearchForm } from './SearchFields.js';
import { mSearchSource } from './search-messages.js';

type Preview = Ok<Awaited<ReturnType<typeof api.sources.preview.$post>>>;
type SourceInput = Parameters<typeof api.sources.$post>[0]['json'];

interface JsonForm {
  method: 'GET' | 'POST';
  bodyType: 'form' | 'json';
  body: string;
  /** One "Name: value" a line. */
  headers: string;
  pages: string;
  list: string;
  title: string;
  link: string;
  linkTemplate: string;
  date: string;
  text: string;
  author: string;
}

interface FormState {
  name: string;
  url: string;
  kind: 'feed' | 'site' | 'json' | 'search';
  mediaType: (typeof MEDIA_TYPES)[number];
  region: string;
  charset: string;
  pollIntervalS: string;
  enabled: boolean;
  sel: { item: string; link: string; title: string; date: string; text: string };
  json: JsonForm;
  search: SearchForm;
  /** A new source from an RSSHub template: its id and parameters (the server composes the URL). */
  fromTemplate: boolean;
  template: string;
  params: Record<string, string>;
}

function initialForm(s: Source | null): FormState {
  return {
    name: s?.name ?? '',
    url: s?.url ?? '',
    kind: s && s.kind !== 'intake' ? s.kind : 'feed',
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
    json: {
      method: s?.json?.method ?? 'POST',
      bodyType: s?.json?.bodyType ?? 'form',
      body: s?.json?.body ?? 'page={page}',
      headers: Object.entries(s?.json?.headers ?? {})
        .map(([k, v]) => `${k}: ${v}`)
        .join('\n'),
      pages: String(s?.json?.pages ?? 1),
      list: s?.json?.mapping.list ?? '',
      title: s?.json?.mapping.title ?? '',
      link: s?.json?.mapping.link ?? '',
      linkTemplate: s?.json?.mapping.linkTemplate ?? '',
      date: s?.json?.mapping.date ?? '',
      text: s?.json?.mapping.text ?? '',
      author: s?.json?.mapping.author ?? '',
    },
    search: initialSearch(s),
    fromTemplate: false,
    template: '',
    params: {},
  };
}

function toInput(f: FormState): SourceInput {
  const sel = f.sel;
  const listed = f.kind === 'site' || (f.kind === 'search' && f.search.format === 'html');
  const selectors = listed
      ? {
          item: sel.item.trim(),
          ...(orNull(sel.link) && { link: sel.link.trim() }),
          ...(orNull(sel.title) && { title: sel.title.trim() }),
          ...(orNull(sel.date) && { date: sel.date.trim() }),
          ...(orNull(sel.text) && { text: sel.text.trim() }),
        }
      : null;
  const poll = Number(f.pollIntervalS);
  const j = f.json;
  const json =
    f.kind === 'json'
      ? {
          method: j.method,
          bodyType: j.bodyType,
          body: j.body,
          headers: Object.fromEntries(
            j.headers
              .split('\n')
              .map((line) => line.trim())
              .filter((line) => line !== '')
              .map((line) => {
                const at = line.indexOf(':');
                return at < 0 ? [line, ''] : [line.slice(0, at).trim(), line.slice(at + 1).trim()];
              }),
          ),
          pages: Number(j.pages) || 1,
          mapping: {
            list: j.list.trim(),
            title: j.title.trim(),
            link: orNull(j.link),
            linkTemplate: orNull(j.linkTemplate),
            date: orNull(j.date),
            text: orNull(j.text),
            author: orNull(j.author),
          },
        }
      : null;
  const target = f.fromTemplate ? { rsshub: { template: f.template, params: f.params } } : { url: f.url.trim() };
  return {
    name: f.name,
    ...target,
    kind: f.kind,
    mediaType: f.mediaType,
    region: f.region,
    charset: orNull(f.charset),
    pollIntervalS: Number.isFinite(poll) && f.pollIntervalS.trim() !== '' ? poll : (Number.NaN as number),
    enabled: f.enabled,
    selectors: f.kind === 'site' ? (selectors && selectors.item === '' ? null : selectors) : null,
    json,
    search: f.kind === 'search' ? searchInput(f.search, selectors && selectors.item !== '' ? selectors : null) : null,
  };
}

/** Each template parameter's message goes under its own input (rsshub.params.<key>). */
const RSSHUB_PARAM_FIELDS = ['id', 'state', 'keyword', 'uid', 'token', 'kw', 'topicId', 'route'].map((k) => `rsshub.params.${k}`);
const FIELDS = ['search.queries', 'search.ruleId', 'search.selectors', 'search.pages', 'search', 'name', 'url', 'rsshub', 'rsshub.template', ...RSSHUB_PARAM_FIELDS, 'json', 'json.body', 'json.headers', 'json.pages', 'json.mapping.list', 'json.mapping.title', 'json.mapping.linkTemplate', 'json.mapping.link', 'json.mapping.date', 'json.mapping.text', 'json.mapping.author', 'kind', 'mediaType', 'region', 'charset', 'pollIntervalS', 'enabled', 'selectors.item', 'selectors.link', 'selectors.title', 'selectors.date', 'selectors.text', 'selectors'];

export function SourceForm({ source, onClose }: { source: Source | null; onClose: () => void }) {
  const t = useT(mSources);
  const tc = useT(common);
  const ta = useT(mAdmin);
  const label = useLabel();
  const qc = useQueryClient();
  const tr = useT(mRsshub);
  const tj = useT(mJsonSource);
  const ts = useT(mSearchSource);
  const templates = useRsshubTemplates();
  const [f, setF] = useState<FormState>(() => initialForm(source));
  const set = <K extends keyof FormState>(k: K, v: FormState[K]) => setF((p) => ({ ...p, [k]: v }));
  const setSel = (k: keyof FormState['sel'], v: string) => setF((p) => ({ ...p, sel: { ...p.sel, [k]: v } }));
  const save = useMutation({
    mutationFn: async () => {
      const input = toInput(f);
      if (source) {
        const { rsshub: _unused, ...patch } = input;
        return call(api.sources[':id'].$patch({ param: { id: String(source.id) }, json: { ...patch, url: f.url.trim() } }));
      }
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
    <FormModal
      id="source-form"
      title={source ? t('editTitle') : t('createTitle')}
      onClose={onClose}
      onSubmit={() => {
        preview.reset();
        save.mutate();
      }}
      pending={save.isPending}
      testid="source-form"
      saveTestid="source-save"
      saveLabel={t('saveSource')}
      wide
      extra={
        <>
          <span className="muted small foot-hint">{t('previewHint')}</span>
          <button type="button" className="btn" disabled={preview.isPending} onClick={() => preview.mutate()} data-testid="source-preview">
            {preview.isPending ? t('previewing') : t('preview')}
          </button>
        </>
      }
      after={preview.data ? <PreviewResult r={preview.data} /> : null}
    >
      <GeneralError text={errs.general} />
      <div className="form-grid">
        <Field label={t('name')} error={e.name}>
          <input value={f.name} onChange={(ev) => set('name', ev.target.value)} maxLength={200} required />
        </Field>
        <Field label={t('kind')} error={e.kind}>
          <div className="seg">
            {(f.fromTemplate ? (['feed'] as const) : (['feed', 'site', 'json', 'search'] as const)).map((k) => (
              <label key={k} className={f.kind === k ? 'seg-opt on' : 'seg-opt'}>
                <input type="radio" name="kind" checked={f.kind === k} onChange={() => set('kind', k)} />
                {k === 'feed' ? t('feed') : k === 'site' ? t('site') : k === 'json' ? tj('kind') : ts('kind')}
              </label>
            ))}
          </div>
        </Field>
        {source ? null : (
          <Field label={tr('mode')} wide>
            <div className="seg">
              {([false, true] as const).map((m) => (
                <label key={String(m)} className={f.fromTemplate === m ? 'seg-opt on' : 'seg-opt'}>
                  <input type="radio" name="mode" checked={f.fromTemplate === m} onChange={() => setF((p) => ({ ...p, fromTemplate: m, ...(m && { kind: 'feed' as const }) }))} data-testid={m ? 'source-mode-template' : 'source-mode-url'} />
                  {m ? tr('modeTemplate') : tr('modeUrl')}
                </label>
              ))}
            </div>
          </Field>
        )}
        {f.fromTemplate ? (
          <TemplateFields
            data={templates.data}
            template={f.template}
            params={f.params}
            errors={e}
            onTemplate={(id, mediaType) => setF((p) => ({ ...p, template: id, params: {}, ...(mediaType && { mediaType }) }))}
            onParam={(k, v) => setF((p) => ({ ...p, params: { ...p.params, [k]: v } }))}
          />
        ) : (
          <Field label={f.kind === 'search' ? ts('url') : t('url')} error={e.url} hint={f.kind === 'search' ? <SearchUrlHint /> : t('urlHint')} wide>
            <input value={f.url} onChange={(ev) => set('url', ev.target.value)} placeholder="https://" className="code" required data-testid="source-url" />
          </Field>
        )}
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
      {f.kind === 'search' ? <SearchFields value={f.search} errors={e} onChange={(v) => setF((p) => ({ ...p, search: { ...p.search, ...v } }))} /> : null}
      {f.kind === 'site' || (f.kind === 'search' && f.search.format === 'html') ? (
        <fieldset className="selectors">
          <legend>{t('selectors')}</legend>
          {e.selectors || e['search.selectors'] ? <p className="field-error">{e.selectors ?? e['search.selectors']}</p> : null}
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
      {f.kind === 'json' ? <JsonFields value={f.json} errors={e} onChange={(k, v) => setF((p) => ({ ...p, json: { ...p.json, [k]: v } }))} /> : null}
    </FormModal>
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
      <PreviewQueries queries={r.queries} />
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
            {r.missesZh.length > 0 ? (
              <ul className="small err-text" data-testid="preview-misses">
                {r.missesZh.map((m) => (
                  <li key={m}>{m}</li>
                ))}
              </ul>
            ) : null}
            <ol className="preview-list">
              {r.entries.map((en, i) => (
                <li key={i} data-testid="preview-entry">
                  <div className="preview-title">
                    <ExtLink href={en.url}>{en.title}</ExtLink>
                  </div>
                  <div className="muted small" data-testid="preview-date" data-estimated={en.publishedAtEstimated}>
                    {en.publishedAtEstimated ? <span className="err-text">{t(en.dateText ? 'dateUnread' : 'dateMissing')}</span> : null}
                    {fmtDateTime(en.publishedAt)}
                    {en.dateText ? (
                      <>
                        {' · '}
                        {t('dateWritten')}
                        <span className="code" translate="no">
                          {en.dateText}
                        </span>
                      </>
                    ) : null}
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

/** The fields of an RSSHub template: which template, then one input (or choice) per parameter. */
function TemplateFields({
  data,
  template,
  params,
  errors,
  onTemplate,
  onParam,
}: {
  data: RsshubTemplates | undefined;
  template: string;
  params: Record<string, string>;
  errors: Record<string, string | undefined>;
  onTemplate: (id: string, mediaType: FormState['mediaType'] | null) => void;
  onParam: (key: string, value: string) => void;
}) {
  const tr = useT(mRsshub);
  const chosen = data?.templates.find((x) => x.id === template);
  return (
    <>
      {data && !data.baseUrl ? <p className="field-error field-wide">{tr('noBase')}</p> : null}
      <Field label={tr('template')} error={errors['rsshub.template'] ?? errors.rsshub ?? errors.url} hint={chosen ? tr('route', { route: chosen.route }) : undefined} wide>
        <select
          value={template}
          onChange={(ev) => onTemplate(ev.target.value, data?.templates.find((x) => x.id === ev.target.value)?.mediaType ?? null)}
          data-testid="rsshub-template"
        >
          <option value="">{tr('chooseTemplate')}</option>
          {data?.templates.map((x) => (
            <option key={x.id} value={x.id}>
              {x.name}
            </option>
          ))}
        </select>
      </Field>
      {chosen?.params.map((p) => (
        <Field key={p.key} label={p.label} hint={p.hint} error={errors[`rsshub.params.${p.key}`]} wide={!p.options}>
          {p.options ? (
            <select value={params[p.key] ?? ''} onChange={(ev) => onParam(p.key, ev.target.value)} data-testid={`rsshub-param-${p.key}`}>
              <option value="" />
              {p.options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          ) : (
            <input className="code" value={params[p.key] ?? ''} onChange={(ev) => onParam(p.key, ev.target.value)} data-testid={`rsshub-param-${p.key}`} />
          )}
        </Field>
      ))}
    </>
  );
}

/** A JSON source's request (method, body template, headers, pages) and its mapping. */
function JsonFields({ value, errors, onChange }: { value: JsonForm; errors: Record<string, string | undefined>; onChange: <K extends keyof JsonForm>(k: K, v: JsonForm[K]) => void }) {
  const tj = useT(mJsonSource);
  const text = (k: 'list' | 'title' | 'link' | 'linkTemplate' | 'date' | 'text' | 'author') => (
    <Field key={k} label={tj(`m_${k}`)} error={errors[`json.mapping.${k}`]} hint={tj(`h_${k}`)} wide={k === 'linkTemplate'}>
      <input className="code" value={value[k]} onChange={(ev) => onChange(k, ev.target.value)} data-testid={`json-${k}`} />
    </Field>
  );
  return (
    <fieldset className="selectors">
      <legend>{tj('request')}</legend>
      {errors.json ? <p className="field-error">{errors.json}</p> : null}
      <div className="form-grid">
        <Field label={tj('method')}>
          <select value={value.method} onChange={(ev) => onChange('method', ev.target.value as JsonForm['method'])} data-testid="json-method">
            <option value="GET">GET</option>
            <option value="POST">POST</option>
          </select>
        </Field>
        <Field label={tj('pages')} error={errors['json.pages']} hint={tj('pagesHint')}>
          <input type="number" min={1} max={10} value={value.pages} onChange={(ev) => onChange('pages', ev.target.value)} />
        </Field>
        {value.method === 'POST' ? (
          <>
            <Field label={tj('bodyType')}>
              <select value={value.bodyType} onChange={(ev) => onChange('bodyType', ev.target.value as JsonForm['bodyType'])}>
                <option value="form">{tj('form')}</option>
                <option value="json">JSON</option>
              </select>
            </Field>
            <Field label={tj('body')} error={errors['json.body']} hint={tj('bodyHint')} wide>
              <input className="code" value={value.body} onChange={(ev) => onChange('body', ev.target.value)} data-testid="json-body" />
            </Field>
          </>
        ) : null}
        <Field label={tj('headers')} error={errors['json.headers']} hint={tj('headersHint')} wide>
          <textarea className="code" rows={2} value={value.headers} onChange={(ev) => onChange('headers', ev.target.value)} />
        </Field>
      </div>
      <p className="muted small">{tj('mappingHint')}</p>
      <div className="form-grid">{(['list', 'title', 'link', 'linkTemplate', 'date', 'text', 'author'] as const).map(text)}</div>
    </fieldset>
  );
}
