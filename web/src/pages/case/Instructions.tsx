import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { FormError } from '../../components/states.js';
import { toast } from '../../components/toast.js';
import { defineMessages, useLang, useT } from '../../i18n/index.js';
import { api, call } from '../../lib/api.js';
import { useUser } from '../../lib/session.js';
import { fmtDuration, useNow } from '../../lib/time.js';
import { beijingShort } from '../todos/data.js';
import { caseKey, useCaseMutation, type CaseData } from './data.js';

// 领导批示 at the top of the case room: each instruction with its time limit and the lead
// department's report; a leader writes one, a lead-department handler reports on it.

const m = defineMessages(
  {
    title: '领导批示',
    by: '{name} · {at}',
    due: '请于 {at} 前报告办理情况',
    left: '剩余 {t}',
    overdue: '已超时 {t}',
    reported: '{name} 于 {at} 报告办理情况',
    reportedLate: '（逾期报告）',
    waiting: '待牵头单位报告办理情况',
    write: '写批示',
    content: '批示内容',
    withLimit: '要求限时报告办理情况',
    hours: '请于（小时）内报告',
    submit: '提交批示',
    cancel: '取消',
    report: '报告办理情况',
    reportPh: '办理情况（已采取的措施、进展和结果）',
    submitReport: '提交报告',
    saved: '已保存',
  },
  {
    title: "Leaders' instructions",
    by: '{name} · {at}',
    due: 'Report on it by {at}',
    left: '{t} left',
    overdue: 'Overdue by {t}',
    reported: '{name} reported on {at}',
    reportedLate: ' (late)',
    waiting: 'Waiting for the lead department’s report',
    write: 'Write an instruction',
    content: 'Instruction',
    withLimit: 'Ask for a report within a time limit',
    hours: 'Report within (hours)',
    submit: 'Submit',
    cancel: 'Cancel',
    report: 'Report on it',
    reportPh: 'What was done, progress and results',
    submitReport: 'Submit report',
    saved: 'Saved',
  },
);

/** Under the case's key: the case page's refresh on case.updated re-reads the instructions too. */
export const instructionsKey = (caseId: string) => [...caseKey(caseId), 'instructions'] as const;
const fetchList = (id: string) => call(api.cases[':id'].instructions.$get({ param: { id } }));
type Instruction = Awaited<ReturnType<typeof fetchList>>['instructions'][number];

export function InstructionsPanel({ c }: { c: CaseData }) {
  const t = useT(m);
  const user = useUser();
  const q = useQuery({ queryKey: instructionsKey(c.id), queryFn: () => fetchList(c.id) });
  const [writing, setWriting] = useState(false);
  const open = c.status !== 'closed';
  const mayWrite = open && user.role === 'leader';
  const mayReport = open && user.role === 'handler' && user.departmentId === c.leadDepartment.id;
  const list = q.data?.instructions ?? [];
  if (list.length === 0 && !mayWrite) return null;
  return (
    <section className="panel" id="instructions" data-testid="instructions">
      <div className="panel-head">
        <h2>{t('title')}</h2>
        <span className="spacer" />
        {mayWrite && !writing ? (
          <button type="button" className="btn" onClick={() => setWriting(true)}>
            {t('write')}
          </button>
        ) : null}
      </div>
      <div className="panel-body stack">
        {writing ? <WriteForm c={c} onClose={() => setWriting(false)} /> : null}
        {list.length > 0 ? (
          <ul className="cr-records">
            {list.map((i) => (
              <InstructionItem key={i.id} c={c} i={i} mayReport={mayReport} />
            ))}
          </ul>
        ) : null}
      </div>
    </section>
  );
}


function InstructionItem({ c, i, mayReport }: { c: CaseData; i: Instruction; mayReport: boolean }) {
  const t = useT(m);
  const { lang } = useLang();
  const now = useNow(30_000);
  const [reporting, setReporting] = useState(false);
  const left = i.dueAt ? new Date(i.dueAt).getTime() - now.getTime() : null;
  return (
    <li data-testid="instruction" data-reported={i.report ? 'yes' : 'no'}>
      <div className="muted small">{t('by', { name: i.authorName, at: beijingShort(i.createdAt, lang) })}</div>
      <p className="cr-record-text">{i.content}</p>
      {i.dueAt ? (
        <div className="small">
          {t('due', { at: beijingShort(i.dueAt, lang) })}
          {!i.report && left !== null ? (
            <strong style={left < 0 ? { color: 'var(--red)' } : undefined}> · {left < 0 ? t('overdue', { t: fmtDuration(-left, lang) }) : t('left', { t: fmtDuration(left, lang) })}</strong>
          ) : null}
        </div>
      ) : null}
      {i.report ? (
        <div className="small" data-testid="instruction-report">
          <div className="muted">
            {t('reported', { name: i.report.byName, at: beijingShort(i.report.at, lang) })}
            {i.report.onTime === false ? t('reportedLate') : ''}
          </div>
          <p className="cr-record-text">{i.report.content}</p>
        </div>
      ) : mayReport ? (
        reporting ? (
          <ReportForm c={c} iid={i.id} onClose={() => setReporting(false)} />
        ) : (
          <button type="button" className="btn btn-primary" onClick={() => setReporting(true)}>
            {t('report')}
          </button>
        )
      ) : (
        <div className="muted small">{t('waiting')}</div>
      )}
    </li>
  );
}

function WriteForm({ c, onClose }: { c: CaseData; onClose: () => void }) {
  const t = useT(m);
  const [content, setContent] = useState('');
  const [limited, setLimited] = useState(true);
  const [hours, setHours] = useState('24');
  const save = useCaseMutation(
    c.id,
    () =>
      call(
        api.cases[':id'].instructions.$post({
          param: { id: c.id },
          json: { content: content.trim(), ...(limited ? { reportWithinHours: Number(hours) } : {}) },
        }),
      ),
    () => {
      toast(t('saved'));
      onClose();
    },
  );
  const hoursOk = !limited || (/^\d{1,3}$/.test(hours) && Number(hours) >= 1 && Number(hours) <= 720);
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(undefined);
      }}
    >
      <label className="field">
        <span>{t('content')}</span>
        <textarea value={content} onChange={(e) => setContent(e.target.value)} rows={4} maxLength={5_000} data-testid="instruction-content" />
      </label>
      <label className="field-inline">
        <input type="checkbox" checked={limited} onChange={(e) => setLimited(e.target.checked)} /> {t('withLimit')}
      </label>
      {limited ? (
        <label className="field">
          <span>{t('hours')}</span>
          <input type="number" inputMode="numeric" min={1} max={720} value={hours} onChange={(e) => setHours(e.target.value)} data-testid="instruction-hours" />
        </label>
      ) : null}
      <FormError error={save.error} />
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={content.trim() === '' || !hoursOk || save.isPending}>
          {t('submit')}
        </button>
        <button type="button" className="btn" onClick={onClose}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}

function ReportForm({ c, iid, onClose }: { c: CaseData; iid: string; onClose: () => void }) {
  const t = useT(m);
  const [content, setContent] = useState('');
  const save = useCaseMutation(
    c.id,
    () => call(api.cases[':id'].instructions[':iid'].report.$post({ param: { id: c.id, iid }, json: { content: content.trim() } })),
    () => {
      toast(t('saved'));
      onClose();
    },
  );
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(undefined);
      }}
    >
      <textarea value={content} onChange={(e) => setContent(e.target.value)} rows={4} maxLength={20_000} placeholder={t('reportPh')} aria-label={t('report')} data-testid="instruction-report-content" />
      <FormError error={save.error} />
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={content.trim() === '' || save.isPending}>
          {t('submitReport')}
        </button>
        <button type="button" className="btn" onClick={onClose}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
