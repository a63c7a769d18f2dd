import { useState } from 'react';
import { FormError } from '../../components/states.js';
import { Tag } from '../../components/Tag.js';
import { toast } from '../../components/toast.js';
import { defineMessages, useLang, useT } from '../../i18n/index.js';
import { api, call } from '../../lib/api.js';
import { useUser } from '../../lib/session.js';
import { beijingShort } from '../todos/data.js';
import { useCaseMutation, type ResponseData } from './data.js';

// 会签 of a submitted response: each co-department asked confirms "内容准确一致" or returns it with a
// comment, before the first approval step. A handler of a department still to sign sees the two
// buttons (the server checks the same); everyone sees who signed and when.

const m = defineMessages(
  {
    title: '协办单位会签',
    waiting: '等待协办单位会签，会签完成后进入审核',
    confirmed: '已确认',
    pending: '待会签',
    returned: '已退回',
    by: '{name} · {at}',
    confirm: '确认内容准确一致',
    ret: '退回修改',
    comment: '会签意见（退回时必填）',
    confirmReturn: '确认退回',
    cancel: '取消',
    doneConfirm: '已会签确认',
    doneReturn: '已退回起草人',
    history: '会签记录',
    decisionConfirm: '确认',
    decisionReturn: '退回',
  },
  {
    title: 'Sign-off by the co-departments',
    waiting: 'Waiting for the co-departments to sign off; review follows',
    confirmed: 'confirmed',
    pending: 'to sign',
    returned: 'returned',
    by: '{name} · {at}',
    confirm: 'Confirm: accurate and consistent',
    ret: 'Return for changes',
    comment: 'Comment (required to return)',
    confirmReturn: 'Return it',
    cancel: 'Cancel',
    doneConfirm: 'Signed off',
    doneReturn: 'Returned to the drafter',
    history: 'Sign-off record',
    decisionConfirm: 'confirmed',
    decisionReturn: 'returned',
  },
);

const TONE = { confirmed: 'green', pending: 'amber', returned: 'red' } as const;

export function CountersignBlock({ r, caseId, closed }: { r: ResponseData; caseId: string; closed: boolean }) {
  const t = useT(m);
  const { lang } = useLang();
  const user = useUser();
  const [returning, setReturning] = useState(false);
  const [comment, setComment] = useState('');
  const param = { id: caseId, rid: r.id };
  const sign = useCaseMutation(
    caseId,
    (json: { decision: 'confirm' | 'return'; comment?: string }) => call(api.cases[':id'].responses[':rid'].countersign.$post({ param, json })),
    (res) => {
      toast(res.status === 'returned' ? t('doneReturn') : t('doneConfirm'));
      setReturning(false);
      setComment('');
    },
  );
  const cs = r.countersign;
  if (cs.departments.length === 0 && r.countersigns.length === 0) return null;
  const shown = r.status === 'submitted' || r.status === 'approved' || r.status === 'published';
  const mine = !closed && r.status === 'submitted' && user.role === 'handler' && user.departmentId !== null && cs.departments.some((d) => d.departmentId === user.departmentId && d.state === 'pending');
  return (
    <div className="cr-chain small" data-testid="countersign" data-pending={cs.pending ? 'yes' : 'no'}>
      <strong>{t('title')}</strong>
      {shown && cs.departments.length > 0 ? (
        <ol className="cr-chain-steps">
          {cs.departments.map((d) => (
            <li key={d.departmentId} data-state={d.state} data-testid="countersign-dept">
              {d.name} <Tag tone={TONE[d.state]}>{t(d.state)}</Tag>
              {d.decidedBy && d.decidedAt ? <span className="muted"> {t('by', { name: d.decidedBy.name ?? '—', at: beijingShort(d.decidedAt, lang) })}</span> : null}
            </li>
          ))}
        </ol>
      ) : null}
      {cs.pending && !mine ? <p className="muted cr-waiting">{t('waiting')}</p> : null}
      {mine && !returning ? (
        <div className="row cr-actions">
          <button type="button" className="btn btn-primary" disabled={sign.isPending} onClick={() => sign.mutate({ decision: 'confirm' })} data-testid="countersign-confirm">
            {t('confirm')}
          </button>
          <button type="button" className="btn btn-danger" disabled={sign.isPending} onClick={() => setReturning(true)} data-testid="countersign-return">
            {t('ret')}
          </button>
        </div>
      ) : null}
      {mine && returning ? (
        <div className="cr-return-box">
          <label className="field">
            <span>{t('comment')}</span>
            <textarea value={comment} onChange={(e) => setComment(e.target.value)} rows={3} maxLength={5000} autoFocus data-testid="countersign-comment" />
          </label>
          <div className="row">
            <button type="button" className="btn btn-danger" disabled={sign.isPending || !comment.trim()} onClick={() => sign.mutate({ decision: 'return', comment: comment.trim() })}>
              {t('confirmReturn')}
            </button>
            <button type="button" className="btn" onClick={() => setReturning(false)}>
              {t('cancel')}
            </button>
          </div>
        </div>
      ) : null}
      <FormError error={sign.error} />
      {r.countersigns.length > 0 ? (
        <details>
          <summary>{t('history')}</summary>
          <ul className="cr-chain-history">
            {r.countersigns.map((s, i) => (
              <li key={i}>
                {beijingShort(s.decidedAt, lang)} {s.name} · {s.decidedBy?.name ?? '—'} · {s.decision === 'confirm' ? t('decisionConfirm') : t('decisionReturn')}
                {s.comment ? `：${s.comment}` : ''}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}
