import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useParams } from 'wouter';
import { Empty, ErrorBox, Loading } from '../../components/states.js';
import { useT } from '../../i18n/index.js';
import { api, ApiError, call } from '../../lib/api.js';
import { useAppEvents } from '../../lib/events.js';
import { fmtDateTime } from '../../lib/time.js';
import { BriefsPanel } from './Briefs.js';
import { caseKey, type CaseData } from './data.js';
import { EscalationsPanel, useEscalations } from './Escalations.js';
import { FollowUpPanel } from './FollowUp.js';
import { CallbacksPanel } from './Callbacks.js';
import { ForwardingPanel } from './Forwarding.js';
import { CaseHeader } from './Header.js';
import { InstructionsPanel } from './Instructions.js';
import { DeclinePanel } from './Decline.js';
import { Items } from './Items.js';
import { m } from './messages.js';
import { Obligations } from './Obligations.js';
import { ResponsesPanel } from './Responses.js';
import { Timeline } from './Timeline.js';
import './case.css';

// 事件详情 (case room): header, deadlines, the response editor and follow-up in the main column;
// the timeline, escalation records and the story's items in the side column. Live: every
// case.updated event for this case refetches it. Printed (打印, or Ctrl+P) on A4 without the top
// bar and buttons: header facts, deadlines, the published response, follow-up and the timeline.

export default function CasePage() {
  const { id = '' } = useParams<{ id: string }>();
  const t = useT(m);
  const qc = useQueryClient();
  const q = useQuery({ queryKey: caseKey(id), queryFn: () => call(api.cases[':id'].$get({ param: { id } })) });
  useAppEvents((ev) => {
    if (ev.type === 'case.updated' && ev.caseId === id) void qc.invalidateQueries({ queryKey: caseKey(id) });
  });
  useEffect(() => {
    if (q.data) document.title = `${q.data.number} ${q.data.title}`;
  }, [q.data]);

  if (q.isPending) return <Loading />;
  if (q.isError) {
    const e = q.error;
    if (e instanceof ApiError && (e.status === 404 || e.status === 400 || e.status === 403))
      return (
        <div className="panel" data-testid="case-not-found">
          <Empty
            title={t('notFoundTitle')}
            hint={t('notFoundHint')}
            action={
              <Link href="/ledger" className="btn">
                {t('backLedger')}
              </Link>
            }
          />
        </div>
      );
    return <ErrorBox error={e} onRetry={() => void q.refetch()} />;
  }
  return <CaseRoom c={q.data} />;
}

function CaseRoom({ c }: { c: CaseData }) {
  const t = useT(m);
  const depts = useQuery({ queryKey: ['departments'], queryFn: () => call(api.departments.$get()), staleTime: 60_000 });
  const deptName = useCallback(
    (id: number) => {
      const known = [c.leadDepartment, ...c.coDepartments].find((d) => d.id === id) ?? depts.data?.departments.find((d) => d.id === id);
      return known?.name || `#${id}`;
    },
    [c, depts.data],
  );
  // Who wrote each record: the audit row of its creation names the person.
  const actors = useMemo(() => {
    const map = new Map<string, string>();
    for (const e of c.timeline) map.set(`${e.entity}:${e.entityId}`, e.actorName);
    return map;
  }, [c.timeline]);
  const actorOf = useCallback((entity: string, rid: string) => actors.get(`${entity}:${rid}`) ?? null, [actors]);
  const esc = useEscalations(c.id);
  const escCount = esc.data ? esc.data.reportsUp.length + esc.data.referrals.length + esc.data.coordinations.length : 0;
  const [tab, setTab] = useState<'timeline' | 'esc' | 'items'>('timeline');
  const tabs = [
    { key: 'timeline' as const, text: t('tabTimeline', { n: c.timeline.length }) },
    { key: 'esc' as const, text: t('tabEsc', { n: escCount }) },
    { key: 'items' as const, text: t('tabItems', { n: c.items.length }) },
  ];
  return (
    <div className="case-room" data-testid="case-room" data-case-id={c.id} data-status={c.status}>
      <p className="cr-print-only cr-printed small">{t('printedAt', { at: fmtDateTime(new Date()) })}</p>
      <CaseHeader c={c} />
      <DeclinePanel c={c} />
      <InstructionsPanel c={c} />
      <div className="grid-main-side cr-grid">
        <div className="stack cr-main">
          <Obligations list={c.obligations} />
          <BriefsPanel c={c} />
          <ForwardingPanel c={c} />
          <ResponsesPanel c={c} />
          <FollowUpPanel c={c} />
          <CallbacksPanel c={c} />
        </div>
        <aside className="panel cr-side">
          <div className="cr-tabs" role="tablist">
            {tabs.map((x) => (
              <button
                key={x.key}
                type="button"
                role="tab"
                aria-selected={tab === x.key}
                className={tab === x.key ? 'cr-tab active' : 'cr-tab'}
                onClick={() => setTab(x.key)}
              >
                {x.text}
              </button>
            ))}
          </div>
          <div className="cr-side-body" role="tabpanel">
            {/* The timeline is always in the page: a printout carries it whichever tab is open. */}
            <div className={tab === 'timeline' ? 'cr-tl-panel' : 'cr-tl-panel cr-print-only'}>
              <h2 className="cr-print-only">{t('printTimeline')}</h2>
              <Timeline entries={c.timeline} deptName={deptName} />
            </div>
            {tab === 'esc' ? <EscalationsPanel c={c} actorOf={actorOf} /> : null}
            {tab === 'items' ? <Items c={c} /> : null}
          </div>
        </aside>
      </div>
    </div>
  );
}
