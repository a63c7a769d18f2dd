import { useQuery } from '@tanstack/react-query';
import { Tag } from '../../components/Tag.js';
import { useT } from '../../i18n/index.js';
import { api, call } from '../../lib/api.js';
import { fmtDateTime } from '../../lib/time.js';
import { Field } from './form.js';
import { RULES_KEY } from './RulesSection.js';
import { mSearchSource } from './search-messages.js';
import type { Source } from './SourcesSection.js';

// A news search source's part of the source form (queries by hand or from a rule, result format),
// and the health of its queries (source detail, test fetch).

export interface SearchForm {
  fromRule: boolean;
  /** One query a line. */
  queries: string;
  ruleId: string;
  format: 'rss' | 'html';
  /** Result pages read per query (1–5). */
  pages: string;
}

export function initialSearch(s: Source | null): SearchForm {
  const c = s?.search;
  return { fromRule: (c?.ruleId ?? null) !== null, queries: (c?.queries ?? []).join('\n'), ruleId: c?.ruleId ? String(c.ruleId) : '', format: c?.format ?? 'rss', pages: String(c?.pages ?? 1) };
}

/** The API's search config from the form; the selectors are the form's list selectors (HTML results). */
export function searchInput<S>(f: SearchForm, selectors: S | null) {
  return {
    queries: f.fromRule
      ? []
      : f.queries
          .split('\n')
          .map((q) => q.trim())
          .filter((q) => q !== ''),
    ruleId: f.fromRule ? Number(f.ruleId) || null : null,
    format: f.format,
    selectors: f.format === 'html' ? selectors : null,
    pages: f.pages.trim() === '' ? 1 : Number(f.pages),
  };
}

export function SearchFields({ value, errors, onChange }: { value: SearchForm; errors: Record<string, string | undefined>; onChange: (v: Partial<SearchForm>) => void }) {
  const t = useT(mSearchSource);
  const rules = useQuery({ queryKey: RULES_KEY, queryFn: async () => (await call(api.rules.$get())).rules });
  return (
    <fieldset className="selectors" data-testid="search-fields">
      <legend>{t('legend')}</legend>
      {errors.search ? <p className="field-error">{errors.search}</p> : null}
      <div className="form-grid">
        <Field label={t('queriesFrom')} wide>
          <div className="seg">
            {([false, true] as const).map((m) => (
              <label key={String(m)} className={value.fromRule === m ? 'seg-opt on' : 'seg-opt'}>
                <input type="radio" name="search-from" checked={value.fromRule === m} onChange={() => onChange({ fromRule: m })} data-testid={m ? 'search-from-rule' : 'search-from-hand'} />
                {m ? t('byRule') : t('byHand')}
              </label>
            ))}
          </div>
        </Field>
        {value.fromRule ? (
          <Field label={t('rule')} error={errors['search.ruleId']} hint={t('ruleHint')} wide>
            <select value={value.ruleId} onChange={(ev) => onChange({ ruleId: ev.target.value })} data-testid="search-rule">
              <option value="">{t('chooseRule')}</option>
              {rules.data?.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
            </select>
          </Field>
        ) : (
          <Field label={t('queries')} error={errors['search.queries']} hint={t('queriesHint')} wide>
            <textarea rows={4} value={value.queries} onChange={(ev) => onChange({ queries: ev.target.value })} data-testid="search-queries" />
          </Field>
        )}
        <Field label={t('format')}>
          <div className="seg">
            {(['rss', 'html'] as const).map((k) => (
              <label key={k} className={value.format === k ? 'seg-opt on' : 'seg-opt'}>
                <input type="radio" name="search-format" checked={value.format === k} onChange={() => onChange({ format: k })} data-testid={`search-format-${k}`} />
                {t(k)}
              </label>
            ))}
          </div>
        </Field>
        <Field label={t('pages')} error={errors['search.pages']} hint={t('pagesHint')}>
          <input type="number" min={1} max={5} step={1} inputMode="numeric" value={value.pages} onChange={(ev) => onChange({ pages: ev.target.value })} data-testid="search-pages" />
        </Field>
      </div>
    </fieldset>
  );
}

type QueryStatus = Source['queries'][number]['status'];
const QUERY_TONE: Record<QueryStatus, 'green' | 'amber' | 'red' | 'grey'> = { ok: 'green', empty: 'grey', anti_bot: 'amber', failing: 'red', pending: 'grey' };

/** How a search URL template is written: {query}, {page} and an example, as code. */
export function SearchUrlHint() {
  const t = useT(mSearchSource);
  const code = (text: string) => (
    <span className="code" translate="no">
      {text}
    </span>
  );
  return (
    <>
      {t('urlHintQuery')} {code('{query}')}
      {t('urlHintPage')} {code('{page}')}
      {t('urlHintExample')} {code('https://news.example.cn/search?q={query}&page={page}')}
    </>
  );
}

/** The queries a test fetch would poll (the results shown are the first one's). */
export function PreviewQueries({ queries }: { queries: string[] }) {
  const t = useT(mSearchSource);
  if (queries.length === 0) return null;
  return (
    <div className="small" data-testid="preview-queries">
      <span className="muted">{t('previewQueries', { n: queries.length })}</span>
      <span className="row">
        {queries.map((q) => (
          <span key={q} translate="no">
            <Tag>{q}</Tag>
          </span>
        ))}
      </span>
    </div>
  );
}

/** Each query of a search source: its health, failures in a row and when it is due. */
export function QueryHealth({ queries }: { queries: Source['queries'] }) {
  const t = useT(mSearchSource);
  if (queries.length === 0) return null;
  return (
    <section data-testid="search-query-health">
      <h4>{t('queryHealth')}</h4>
      <ul className="small">
        {queries.map((q) => (
          <li key={q.query} data-status={q.status}>
            <span className="code" translate="no">
              {q.query}
            </span>{' '}
            <Tag tone={QUERY_TONE[q.status]}>{q.statusLabel}</Tag>{' '}
            {q.pagesRead > 1 ? <span className="muted">{t('pagesRead', { n: q.pagesRead })}</span> : null}{' '}
            {q.consecutiveFailures > 0 ? <span className="err-text">{t('failures', { n: q.consecutiveFailures })}</span> : null}{' '}
            <span className="muted">{t('nextDue', { at: fmtDateTime(q.nextDueAt) })}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
