import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Tag } from '../../components/Tag.js';
import { toast } from '../../components/toast.js';
import { defineMessages, useLang, useT } from '../../i18n/index.js';
import { api, call } from '../../lib/api.js';
import { useUser } from '../../lib/session.js';
import { fmtDuration, useNow } from '../../lib/time.js';
import { beijingShort } from '../todos/data.js';
import { caseKey, useCaseMutation, type CaseData } from './data.js';
import { RecordedTimeField, RecordForm, RecordItem, RecordOpener, ResultChoice, TextField, useRecordedTime } from './RecordForm.js';

// 转办舆情 (网信办 / 政府办转办) in the case room: the 核实 result, recorded before a response is
// drafted, and the feedback owed to the forwarding office after publication (向转办单位反馈办理情况)
// with the replies recorded to it. The lead department's handlers (and reviewers) record both.

const m = defineMessages(
  {
    title: '转办舆情核实与反馈',
    office: '转办单位：{office}',
    verify: '核实情况',
    verifyFirst: '转办舆情须先登记核实结果，再起草回应。',
    verified: '{label} · {name} 于 {at} 核实',
    result: '核实结果',
    true: '属实',
    partly_true: '部分属实',
    untrue: '不属实',
    note: '核实说明',
    notePh: '核实的经过和结论（简要）',
    saveVerify: '登记核实结果',
    feedback: '向转办单位反馈办理情况',
    feedbackDue: '时限 {at}',
    feedbackNone: '回应发布后，须在规定工作日内向转办单位反馈办理情况。',
    met: '已反馈',
    metLate: '逾期反馈',
    left: '剩余 {t}',
    overdue: '已超时 {t}',
    replied: '{at} 向{recipient}反馈 · 登记人 {name}',
    reply: '登记反馈',
    replyContent: '反馈内容',
    replyPh: '向转办单位反馈的办理情况',
    recipient: '反馈对象',
    repliedAt: '反馈时间',
    submitReply: '提交反馈记录',
    saved: '已保存',
  },
  {
    title: 'Forwarded opinion: verification and feedback',
    office: 'Forwarded by: {office}',
    verify: 'Verification',
    verifyFirst: 'A forwarded opinion is verified before a response is drafted.',
    verified: '{label} · verified by {name} at {at}',
    result: 'Result',
    true: 'True',
    partly_true: 'Partly true',
    untrue: 'Untrue',
    note: 'Note',
    notePh: 'How it was verified, and the conclusion',
    saveVerify: 'Record the verification',
    feedback: 'Feedback to the forwarding office',
    feedbackDue: 'Due {at}',
    feedbackNone: 'After publication, the forwarding office is told how the case was handled within the set working days.',
    met: 'Sent',
    metLate: 'Sent late',
    left: '{t} left',
    overdue: 'Overdue by {t}',
    replied: '{at} to {recipient} · recorded by {name}',
    reply: 'Record feedback',
    replyContent: 'Feedback',
    replyPh: 'What the forwarding office was told',
    recipient: 'To',
    repliedAt: 'Sent at',
    submitReply: 'Save',
    saved: 'Saved',
  },
);

const RESULTS = ['true', 'partly_true', 'untrue'] as const;
type Result = (typeof RESULTS)[number];

const forwardingKey = (caseId: string) => [...caseKey(caseId), 'forwarding'] as const;
const fetchForwarding = (id: string) => call(api.cases[':id'].forwarding.$get({ param: { id } }));

/** The case's forwarding (shared by the panel and the response composer, which waits for the 核实). */
export function useForwarding(caseId: string) {
  return useQuery({ queryKey: forwardingKey(caseId), queryFn: () => fetchForwarding(caseId) });
}

export function ForwardingPanel({ c }: { c: CaseData }) {
  const t = useT(m);
  const { lang } = useLang();
  const user = useUser();
  const q = useForwarding(c.id);
  const now = useNow(30_000);
  const f = q.data;
  if (!f || !f.forwarded) return null;
  const open = c.status !== 'closed';
  const mayAct = open && (user.role === 'reviewer' || (user.role === 'handler' && user.departmentId === c.leadDepartment.id));
  const fb = f.feedback;
  const left = fb && fb.status === 'open' ? new Date(fb.dueAt).getTime() - now.getTime() : null;
  return (
    <section className="panel" id="forwarding" data-testid="forwarding">
      <div className="panel-head">
        <h2>{t('title')}</h2>
        <span className="spacer" />
        <span className="muted small">{t('office', { office: f.office })}</span>
      </div>
      <div className="panel-body stack">
        <div className="stack" data-testid="verification">
          <strong className="small">{t('verify')}</strong>
          {f.verification ? (
            <div className="small">
              <div className="muted">
                {t('verified', { label: t(f.verification.result), name: f.verification.verifiedBy?.name ?? '—', at: beijingShort(f.verification.verifiedAt, lang) })}
              </div>
              <p className="cr-record-text">{f.verification.note}</p>
            </div>
          ) : (
            <>
              <p className="notice small">{t('verifyFirst')}</p>
              {mayAct ? <VerifyForm caseId={c.id} /> : null}
            </>
          )}
        </div>
        <div className="stack" data-testid="forward-feedback">
          <strong className="small">{t('feedback')}</strong>
          {fb ? (
            <div className="small">
              {t('feedbackDue', { at: beijingShort(fb.dueAt, lang) })}{' '}
              {fb.status === 'met' ? <Tag tone={fb.onTime === false ? 'red' : 'green'}>{fb.onTime === false ? t('metLate') : t('met')}</Tag> : null}
              {left !== null ? (
                <strong style={left < 0 ? { color: 'var(--red)' } : undefined}> · {left < 0 ? t('overdue', { t: fmtDuration(-left, lang) }) : t('left', { t: fmtDuration(left, lang) })}</strong>
              ) : null}
            </div>
          ) : (
            <p className="muted small">{t('feedbackNone')}</p>
          )}
          {f.replies.length > 0 ? (
            <ul className="cr-records">
              {f.replies.map((r) => (
                <RecordItem
                  key={r.id}
                  testId="forward-reply"
                  head={t('replied', { at: beijingShort(r.repliedAt, lang), recipient: r.recipient, name: r.recordedBy?.name ?? '—' })}
                  backfilled={r.backfilled}
                  text={r.content}
                />
              ))}
            </ul>
          ) : null}
          {mayAct && fb ? (
            <RecordOpener label={t('reply')} primary={fb.status === 'open'} testId="forward-reply-open" form={(close) => <ReplyForm caseId={c.id} office={f.office} onClose={close} />} />
          ) : null}
        </div>
      </div>
    </section>
  );
}

function VerifyForm({ caseId }: { caseId: string }) {
  const t = useT(m);
  const [result, setResult] = useState<Result | null>(null);
  const [note, setNote] = useState('');
  const save = useCaseMutation(
    caseId,
    (json: { result: Result; note: string }) => call(api.cases[':id'].verification.$post({ param: { id: caseId }, json })),
    () => toast(t('saved')),
  );
  return (
    <RecordForm
      ready={result !== null && note.trim() !== ''}
      save={save}
      submitLabel={t('saveVerify')}
      submitTestId="verify-save"
      onSubmit={() => {
        if (result) save.mutate({ result, note: note.trim() });
      }}
    >
      <ResultChoice legend={t('result')} name="verification" options={RESULTS} value={result} onChange={setResult} labelOf={(r) => t(r)} testIdPrefix="verify" />
      <TextField label={t('note')} value={note} onChange={setNote} maxLength={2_000} rows={3} placeholder={t('notePh')} testId="verify-note" />
    </RecordForm>
  );
}

interface ReplyJson {
  content: string;
  recipient?: string;
  repliedAt?: string;
}

function ReplyForm({ caseId, office, onClose }: { caseId: string; office: string; onClose: () => void }) {
  const t = useT(m);
  const [content, setContent] = useState('');
  const [recipient, setRecipient] = useState(office);
  const at = useRecordedTime();
  const save = useCaseMutation(
    caseId,
    (json: ReplyJson) => call(api.cases[':id']['forward-replies'].$post({ param: { id: caseId }, json })),
    () => {
      toast(t('saved'));
      onClose();
    },
  );
  const submit = () => {
    const json: ReplyJson = { content: content.trim() };
    if (recipient.trim() && recipient.trim() !== office) json.recipient = recipient.trim();
    const repliedAt = at.typed();
    if (repliedAt) json.repliedAt = repliedAt;
    save.mutate(json);
  };
  return (
    <RecordForm
      ready={content.trim() !== ''}
      save={save}
      submitLabel={t('submitReply')}
      submitTestId="forward-reply-save"
      onSubmit={submit}
      onCancel={onClose}
    >
      <TextField label={t('replyContent')} value={content} onChange={setContent} maxLength={10_000} rows={4} placeholder={t('replyPh')} testId="forward-reply-content" />
      <TextField label={t('recipient')} value={recipient} onChange={setRecipient} maxLength={200} />
      <RecordedTimeField label={t('repliedAt')} time={at} />
    </RecordForm>
  );
}
