import { Empty } from '../../components/states.js';
import { useLang, useT } from '../../i18n/index.js';
import { useLabel } from '../../i18n/labels.js';
import { fmtDateTime, fmtRelative } from '../../lib/time.js';
import type { TimelineEntry } from './data.js';
import { fbKinds, m, tl } from './messages.js';

// 时间线: every audit row of the case — who, when, what, and for changes the fields before → after.

type TlKey = keyof (typeof tl)['zh'];

/** Fields shown, in this order; anything else (ids, technical fields) stays in the audit log. */
const FIELDS = [
  'title',
  'serial',
  'level',
  'category',
  'origin',
  'requestType',
  'departments',
  'places',
  'leadDepartmentId',
  'coDepartmentIds',
  'clockStartedAt',
  'status',
  'kind',
  'stepTarget',
  'dueAt',
  'period',
  'metAt',
  'onTime',
  'channel',
  'url',
  'publishedAt',
  'target',
  'recipient',
  'reportedAt',
  'content',
  'body',
  'reviewComment',
  'effectRating',
  'conclusion',
  'reason',
  'note',
  'summary',
] as const;
type Field = (typeof FIELDS)[number];

const camel = (k: string) => k.replace(/_([a-z])/g, (_, ch: string) => ch.toUpperCase());

function asRecord(v: unknown): Record<string, unknown> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return {};
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[camel(k)] = x;
  return out;
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

function clip(s: string, n = 120): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > n ? `${one.slice(0, n)}…` : one;
}

export interface Detail {
  field: Field;
  from?: string;
  to?: string;
}

export function useDescribe(deptName: (id: number) => string) {
  const t = useT(tl);
  const tk = useT(fbKinds);
  const label = useLabel();
  const fmt = (e: TimelineEntry, field: Field, v: unknown): string | undefined => {
    if (v === null || v === undefined || v === '') return undefined;
    switch (field) {
      case 'level':
        return label('level', String(v));
      case 'category':
        return label('category', String(v));
      case 'origin':
        return label('caseOrigin', String(v));
      case 'requestType':
        return label('requestType', String(v));
      case 'period': {
        // The 重点时段 that shortened an obligation's window: its name and factor (×0.5).
        const p = asRecord(v);
        return typeof p.factor === 'number' ? `${typeof p.name === 'string' && p.name ? p.name : '—'}（×${p.factor}）` : undefined;
      }
      case 'channel':
        return label('channel', String(v));
      case 'effectRating':
        return label('effectRating', String(v));
      case 'stepTarget':
        return label('escalationTarget', String(v));
      case 'target':
        return label('referralTarget', String(v));
      case 'kind':
        if (e.entity === 'feedback' && (v === 'reaction' || v === 'action' || v === 'release' || v === 'other')) return tk(v);
        return label('obligationKind', String(v));
      case 'status':
        if (e.entity === 'response') return label('responseStatus', String(v));
        if (e.entity === 'alert') return label('alertStatus', String(v));
        if (e.entity === 'obligation') return v === 'open' || v === 'met' || v === 'cancelled' ? t(`ob_${v}`) : String(v);
        return label('caseStatus', String(v));
      case 'onTime':
        return v === true ? t('onTime') : v === false ? t('late') : undefined;
      case 'leadDepartmentId':
        return typeof v === 'number' ? deptName(v) : undefined;
      case 'coDepartmentIds':
        return Array.isArray(v) ? (v.length ? v.map((id) => deptName(Number(id))).join('、') : t('noneWord')) : undefined;
      case 'departments': {
        const d = asRecord(v);
        const lead = typeof d.leadDepartmentId === 'number' ? deptName(d.leadDepartmentId) : '—';
        const co = Array.isArray(d.coDepartmentIds) && d.coDepartmentIds.length ? d.coDepartmentIds.map((id) => deptName(Number(id))).join('、') : t('noneWord');
        return t('leadCo', { lead, co });
      }
      case 'places':
        return Array.isArray(v) ? (v.length ? v.join('、') : t('noneWord')) : undefined;
      case 'reason':
        // Older records hold an action key as the reason ("case.close"): show its words, never the key.
        if (typeof v === 'string' && /^[a-z_]+\.[a-z_]+$/.test(v)) return v in tl.zh ? t(v as TlKey) : undefined;
        return typeof v === 'string' ? clip(v) : undefined;
      default:
        if (typeof v === 'string') return ISO.test(v) && /At$|Until$/.test(field) ? fmtDateTime(v) : clip(v);
        if (typeof v === 'number') return String(v);
        return undefined;
    }
  };
  return (e: TimelineEntry): { title: string; details: Detail[] } => {
    const before = asRecord(e.before);
    const after = asRecord(e.after);
    if (e.action === 'escalation.fire') {
      after.stepTarget = after.target;
      delete after.target;
    }
    const details: Detail[] = [];
    for (const f of FIELDS) {
      if (e.action === 'escalation.fire' && f !== 'stepTarget') continue;
      if (e.action === 'obligation.create' && f === 'status') continue; // always "open": noise
      const hasB = f in before;
      const hasA = f in after;
      if (!hasB && !hasA) continue;
      const from = hasB ? fmt(e, f, before[f]) : undefined;
      const to = hasA ? fmt(e, f, after[f]) : undefined;
      if (hasB && hasA && from === to) continue; // unchanged context
      if (from === undefined && to === undefined) continue;
      details.push({ field: f, from, to });
    }
    let key = e.action;
    if (e.action === 'escalation.fire' && after.breach === true) key = 'escalation.breach';
    const known = key in tl.zh;
    let title = known ? t(key as TlKey) : t('otherAction'); // never a raw key
    if (e.entity === 'obligation' && e.action !== 'escalation.fire') {
      const kind = (after.kind ?? before.kind) as string | undefined;
      if (kind) {
        title = `${title} · ${label('obligationKind', kind)}`;
        const i = details.findIndex((d) => d.field === 'kind');
        if (i >= 0 && !details[i]!.from) details.splice(i, 1);
      }
    }
    // 补录: a publication or report recorded afterwards with a typed time says so.
    if (after.backfilled === true) title = `${title} · ${t('backfilled')}`;
    return { title, details };
  };
}

export function Timeline({ entries, deptName }: { entries: TimelineEntry[]; deptName: (id: number) => string }) {
  const t = useT(m);
  const tt = useT(tl);
  const { lang } = useLang();
  const describe = useDescribe(deptName);
  const now = new Date();
  if (entries.length === 0) return <Empty title={t('timelineEmpty')} />;
  const list = [...entries].reverse();
  return (
    <ol className="cr-timeline">
      {list.map((e) => {
        const d = describe(e);
        const tone = /return|breach|cancel/.test(e.action) || (e.action === 'escalation.fire' && asRecord(e.after).breach === true) ? 'red' : /publish|approve|met|close|respond/.test(e.action) ? 'green' : 'blue';
        return (
          <li key={e.id} data-testid="timeline-entry" data-action={e.action} className={`cr-tl-${tone}`}>
            <div className="cr-tl-head">
              <strong>{d.title}</strong>
              <time className="muted small num" dateTime={e.at} title={fmtRelative(e.at, now, lang)}>
                {fmtDateTime(e.at)}
              </time>
            </div>
            <div className="small muted">{e.actorId === null && (!e.actorName || e.actorName === 'system') ? t('system') : e.actorName || t('system')}</div>
            {d.details.length ? (
              <dl className="cr-tl-details small">
                {d.details.map((x) => (
                  <div key={x.field}>
                    <dt>{tt(`f_${x.field}` as TlKey)}</dt>
                    <dd>
                      {x.from !== undefined && x.to !== undefined ? (
                        <>
                          <del>{x.from}</del> → <span>{x.to}</span>
                        </>
                      ) : x.to !== undefined ? (
                        x.to
                      ) : (
                        <del>{x.from}</del>
                      )}
                    </dd>
                  </div>
                ))}
              </dl>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}
