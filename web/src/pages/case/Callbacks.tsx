import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Tag } from '../../components/Tag.js';
import { toast } from '../../components/toast.js';
import { defineMessages, useLang, useT } from '../../i18n/index.js';
import { api, call } from '../../lib/api.js';
import { useUser } from '../../lib/session.js';
import { beijingShort } from '../todos/data.js';
import { caseKey, useCaseMutation, type CaseData } from './data.js';
import { RecordedTimeField, RecordForm, RecordItem, RecordOpener, ResultChoice, TextField, useRecordedTime } from './RecordForm.js';

// 回访 of a 12345 hotline / 领导信箱 case in the case room: after the reply is published, the lead
// department (or the duty officer, a reviewer) records who called whom, when, the result (满意 /
// 基本满意 / 不满意) and a note. A new reply after a 不满意 asks for another 回访.

const m = defineMessages(
  {
    title: '回访',
    none: '答复发布后回访诉求人，登记满意度。',
    due: '答复已于 {at} 发布，待回访。',
    record: '登记回访',
    caller: '回访人',
    callerPh: '缺省为本人',
    callee: '回访对象',
    calleePh: '诉求人姓名或称呼',
    calledAt: '回访时间',
    result: '回访结果',
    satisfied: '满意',
    basically_satisfied: '基本满意',
    dissatisfied: '不满意',
    note: '回访情况',
    notePh: '诉求人的意见（简要）',
    save: '提交回访记录',
    saved: '已登记回访',
    called: '{at} {caller}回访{callee} · 登记人 {name}',
    dissatisfiedHint: '不满意：已通知审核人和登记的值班员研究是否重新办理。',
  },
  {
    title: 'Call-back',
    none: 'After the reply is published, call the requester back and record the result.',
    due: 'The reply was published at {at}; a call-back is due.',
    record: 'Record a call-back',
    caller: 'Caller',
    callerPh: 'Yourself if empty',
    callee: 'Called',
    calleePh: "The requester's name",
    calledAt: 'Called at',
    result: 'Result',
    satisfied: 'Satisfied',
    basically_satisfied: 'Basically satisfied',
    dissatisfied: 'Dissatisfied',
    note: 'Note',
    notePh: 'What the requester said',
    save: 'Save',
    saved: 'Call-back recorded',
    called: '{at} {caller} called {callee} · recorded by {name}',
    dissatisfiedHint: 'Dissatisfied: the reviewers and the duty officer were told, to decide whether it is handled again.',
  },
);

const RESULTS = ['satisfied', 'basically_satisfied', 'dissatisfied'] as const;
type Result = (typeof RESULTS)[number];
const TONE: Record<Result, 'green' | 'amber' | 'red'> = { satisfied: 'green', basically_satisfied: 'amber', dissatisfied: 'red' };

const callbacksKey = (caseId: string) => [...caseKey(caseId), 'callbacks'] as const;

export function CallbacksPanel({ c }: { c: CaseData }) {
  const t = useT(m);
  const { lang } = useLang();
  const user = useUser();
  const applies = c.origin === 'hotline' || c.origin === 'mailbox';
  const q = useQuery({ queryKey: callbacksKey(c.id), queryFn: () => call(api.cases[':id'].callbacks.$get({ param: { id: c.id } })), enabled: applies });
  const v = q.data;
  if (!applies || !v) return null;
  const open = c.status !== 'closed';
  const mayAct =
    open &&
    v.latestPublishedAt !== null &&
    (user.role === 'reviewer' || user.role === 'duty' || user.role === 'admin' || (user.role === 'handler' && user.departmentId === c.leadDepartment.id));
  const last = v.callbacks[v.callbacks.length - 1];
  return (
    <section className="panel" id="callbacks" data-testid="callbacks">
      <div className="panel-head">
        <h2>{t('title')}</h2>
        <span className="spacer" />
        {last ? <Tag tone={TONE[last.result]}>{t(last.result)}</Tag> : null}
      </div>
      <div className="panel-body stack">
        {v.due && v.latestPublishedAt ? <p className="notice small">{t('due', { at: beijingShort(v.latestPublishedAt, lang) })}</p> : null}
        {!v.latestPublishedAt ? <p className="muted small">{t('none')}</p> : null}
        {v.callbacks.length > 0 ? (
          <ul className="cr-records">
            {v.callbacks.map((r) => (
              <RecordItem
                key={r.id}
                testId="callback"
                head={
                  <>
                    <Tag tone={TONE[r.result]}>{t(r.result)}</Tag> {t('called', { at: beijingShort(r.calledAt, lang), caller: r.caller, callee: r.callee, name: r.recordedBy?.name ?? '—' })}
                  </>
                }
                backfilled={r.backfilled}
                text={r.note}
              />
            ))}
          </ul>
        ) : null}
        {last?.result === 'dissatisfied' && !v.due ? <p className="muted small">{t('dissatisfiedHint')}</p> : null}
        {mayAct ? <RecordOpener label={t('record')} primary={v.due} testId="callback-open" form={(close) => <CallbackForm caseId={c.id} onClose={close} />} /> : null}
      </div>
    </section>
  );
}

interface CallbackJson {
  callee: string;
  result: Result;
  note: string;
  caller?: string;
  calledAt?: string;
}

function CallbackForm({ caseId, onClose }: { caseId: string; onClose: () => void }) {
  const t = useT(m);
  const [caller, setCaller] = useState('');
  const [callee, setCallee] = useState('');
  const [result, setResult] = useState<Result | null>(null);
  const [note, setNote] = useState('');
  const at = useRecordedTime();
  const save = useCaseMutation(
    caseId,
    (json: CallbackJson) => call(api.cases[':id'].callbacks.$post({ param: { id: caseId }, json })),
    () => {
      toast(t('saved'));
      onClose();
    },
  );
  const submit = () => {
    if (!result) return;
    const json: CallbackJson = { callee: callee.trim(), result, note: note.trim() };
    if (caller.trim()) json.caller = caller.trim();
    const calledAt = at.typed();
    if (calledAt) json.calledAt = calledAt;
    save.mutate(json);
  };
  return (
    <RecordForm
      ready={result !== null && callee.trim() !== ''}
      save={save}
      submitLabel={t('save')}
      submitTestId="callback-save"
      onSubmit={submit}
      onCancel={onClose}
    >
      <ResultChoice legend={t('result')} name="callback-result" options={RESULTS} value={result} onChange={setResult} labelOf={(r) => t(r)} testIdPrefix="callback" />
      <TextField label={t('callee')} value={callee} onChange={setCallee} maxLength={100} placeholder={t('calleePh')} testId="callback-callee" />
      <TextField label={t('caller')} value={caller} onChange={setCaller} maxLength={100} placeholder={t('callerPh')} />
      <RecordedTimeField label={t('calledAt')} time={at} />
      <TextField label={t('note')} value={note} onChange={setNote} maxLength={2_000} rows={3} placeholder={t('notePh')} testId="callback-note" />
    </RecordForm>
  );
}
