import { useState, type FormEvent } from 'react';
import { Link, useLocation } from 'wouter';
import { MEDIA_TYPES } from '../../../../core/vocabulary.js';
import { Highlight } from '../../components/Highlight.js';
import { Empty, ErrorBox, Loading } from '../../components/states.js';
import { PlaceOptions } from '../../components/TownVillageFields.js';
import { toast } from '../../components/toast.js';
import { useLang, useT } from '../../i18n/index.js';
import { labelOf } from '../../i18n/labels.js';
import { api, call } from '../../lib/api.js';
import { useUser } from '../../lib/session.js';
import { fmtDateTime } from '../../lib/time.js';
import type { Alert } from '../desk/data.js';
import { safeHref } from '../desk/data.js';
import { AttachDialog, OpenCaseDialog } from '../desk/dialogs.js';
import { useTowns } from '../../lib/towns.js';
import { EMPTY_FILTER, useFilterOptions, useItemSearch, type Item, type SearchFilter } from './data.js';
import { m } from './messages.js';
import './search.css';

// 信息检索: everything crawled, filtered by words, source, media type, dates and matched rule;
// a result whose story raised an alert can be opened as a case or attached to one from here.

export default function SearchPage() {
  const t = useT(m);
  const user = useUser();
  const canTriage = user.role === 'duty' || user.role === 'admin';
  const [draft, setDraft] = useState<SearchFilter>(EMPTY_FILTER);
  const [filter, setFilter] = useState<SearchFilter>(EMPTY_FILTER);
  const q = useItemSearch(filter);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setFilter({ ...draft });
  };
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div className="search-page" data-testid="search-page">
      <div className="page-head">
        <h1>{t('title')}</h1>
      </div>
      <p className="muted search-hint">{t('hint')}</p>
      <SearchForm draft={draft} setDraft={setDraft} onSubmit={submit} onReset={() => (setDraft(EMPTY_FILTER), setFilter(EMPTY_FILTER))} canListSources={canTriage} />
      {q.isPending ? (
        <Loading />
      ) : q.isError ? (
        <ErrorBox error={q.error} onRetry={() => void q.refetch()} />
      ) : items.length === 0 ? (
        <Empty title={t('empty')} hint={t('emptyHint')} />
      ) : (
        <>
          <div className="muted search-count">{t('results', { n: items.length })}</div>
          <ul className="search-results" data-testid="search-results">
            {items.map((it) => (
              <ResultCard key={it.id} item={it} canTriage={canTriage} words={filter.q.trim() ? [filter.q.trim(), ...it.matchedWords] : it.matchedWords} />
            ))}
          </ul>
          {q.hasNextPage ? (
            <button type="button" className="btn" disabled={q.isFetchingNextPage} onClick={() => void q.fetchNextPage()}>
              {t('more')}
            </button>
          ) : null}
        </>
      )}
    </div>
  );
}

function SearchForm(props: { draft: SearchFilter; setDraft: (f: SearchFilter) => void; onSubmit: (e: FormEvent) => void; onReset: () => void; canListSources: boolean }) {
  const t = useT(m);
  const { lang } = useLang();
  const { draft, setDraft } = props;
  const { sources, rules } = useFilterOptions(props.canListSources);
  const towns = useTowns();
  const set = <K extends keyof SearchFilter>(k: K, v: SearchFilter[K]) => setDraft({ ...draft, [k]: v });
  return (
    <form className="search-form panel" onSubmit={props.onSubmit} role="search">
      <label className="search-q">
        <span>{t('q')}</span>
        <input type="search" value={draft.q} maxLength={200} placeholder={t('qPlaceholder')} onChange={(e) => set('q', e.target.value)} />
      </label>
      {props.canListSources ? (
        <label>
          <span>{t('source')}</span>
          <select value={draft.sourceId} onChange={(e) => set('sourceId', e.target.value)}>
            <option value="">{t('any')}</option>
            {(sources.data ?? []).map((s) => (
              <option key={s.id} value={String(s.id)} translate="no">
                {s.name}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <label>
        <span>{t('mediaType')}</span>
        <select value={draft.mediaType} onChange={(e) => set('mediaType', e.target.value as SearchFilter['mediaType'])}>
          <option value="">{t('any')}</option>
          {MEDIA_TYPES.map((mt) => (
            <option key={mt} value={mt}>
              {labelOf(lang, 'mediaType', mt)}
            </option>
          ))}
        </select>
      </label>
      {props.canListSources ? (
        <label>
          <span>{t('rule')}</span>
          <select value={draft.ruleId} onChange={(e) => set('ruleId', e.target.value)}>
            <option value="">{t('any')}</option>
            {(rules.data ?? []).map((r) => (
              <option key={r.id} value={String(r.id)}>
                {r.name}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {towns.length > 0 ? (
        <label>
          <span>{t('town')}</span>
          <select value={draft.town} onChange={(e) => set('town', e.target.value)} data-testid="search-town">
            <option value="">{t('any')}</option>
            <PlaceOptions places={towns} />
          </select>
        </label>
      ) : null}
      <label>
        <span>{t('from')}</span>
        <input type="date" value={draft.from} onChange={(e) => set('from', e.target.value)} />
      </label>
      <label>
        <span>{t('to')}</span>
        <input type="date" value={draft.to} onChange={(e) => set('to', e.target.value)} />
      </label>
      <div className="search-actions">
        <button type="submit" className="btn btn-primary">
          {t('search')}
        </button>
        <button type="button" className="btn" onClick={props.onReset}>
          {t('reset')}
        </button>
      </div>
    </form>
  );
}

function ResultCard({ item, canTriage, words }: { item: Item; canTriage: boolean; words: string[] }) {
  const t = useT(m);
  const { lang } = useLang();
  const [, navigate] = useLocation();
  const [dialog, setDialog] = useState<{ kind: 'open' | 'attach'; alert: Alert } | null>(null);
  const href = safeHref(item.url);
  const a = item.alert;
  const startDialog = async (kind: 'open' | 'attach') => {
    if (!a) return;
    try {
      setDialog({ kind, alert: await call(api.alerts[':id'].$get({ param: { id: a.id } })) });
    } catch (err) {
      toast(err instanceof Error && 'text' in err ? (err as { text: (l: 'zh' | 'en') => string }).text(lang) : String(err), 'error');
    }
  };
  const snippet = item.text.length > 160 ? `${item.text.slice(0, 160)}…` : item.text;
  return (
    <li className="search-card panel" data-testid="search-result" data-item-id={item.id}>
      {/* What was crawled is shown as published, in whatever language it is (translate="no"). */}
      <div className="search-title" translate="no">
        <Highlight text={item.title} words={words} />
      </div>
      <div className="search-meta muted">
        <span translate="no">{item.sourceName}</span>
        <span>{labelOf(lang, 'mediaType', item.mediaType)}</span>
        <span>
          {t('published', { at: fmtDateTime(item.publishedAt) })}
          {item.publishedAtEstimated ? t('estimated') : ''}
        </span>
      </div>
      {snippet ? (
        <p className="search-snippet" translate="no">
          <Highlight text={snippet} words={words} />
        </p>
      ) : null}
      {item.places.length > 0 ? <div className="search-matched" data-testid="search-places">{t('placesShown', { places: item.places.join('、') })}</div> : null}
      {item.matchedWords.length > 0 ? <div className="search-matched">{t('matched', { words: item.matchedWords.join('、') })}</div> : null}
      <div className="search-row-actions">
        <span className={`search-alert ${a ? a.status : 'none'}`}>
          {!a ? t('noAlert') : a.status === 'new' ? t('alertNew') : a.status === 'dismissed' ? t('alertDismissed') : t('alertCase')}
        </span>
        {a?.status === 'new' && canTriage ? (
          <>
            <button type="button" className="btn btn-primary" onClick={() => void startDialog('open')}>
              {t('openCase')}
            </button>
            <button type="button" className="btn" onClick={() => void startDialog('attach')}>
              {t('attach')}
            </button>
          </>
        ) : null}
        {a?.caseId ? (
          <Link href={`/cases/${a.caseId}`} className="btn">
            {t('viewCase')}
          </Link>
        ) : null}
        {href ? (
          <a className="btn" href={href} target="_blank" rel="noopener noreferrer nofollow">
            {t('original')}
          </a>
        ) : null}
      </div>
      {dialog?.kind === 'open' ? (
        <OpenCaseDialog
          alert={dialog.alert}
          onClose={() => setDialog(null)}
          onOpened={(c) => {
            setDialog(null);
            toast(t('opened', { number: c.number }));
            navigate(`/cases/${c.id}`);
          }}
        />
      ) : null}
      {dialog?.kind === 'attach' ? (
        <AttachDialog
          alert={dialog.alert}
          onClose={() => setDialog(null)}
          onAttached={(r) => {
            setDialog(null);
            toast(t('attached', { number: r.number }));
            navigate(`/cases/${r.caseId}`);
          }}
        />
      ) : null}
    </li>
  );
}
