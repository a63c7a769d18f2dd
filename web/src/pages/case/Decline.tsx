import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { FormError } from '../../components/states.js';
import { toast } from '../../components/toast.js';
import { defineMessages, useLang, useT } from '../../i18n/index.js';
import { api, call } from '../../lib/api.js';
import { useSession } from '../../lib/session.js';
import { beijingShort } from '../todos/data.js';
import { useCaseMutation, type CaseData } from './data.js';

// 退回交办 and 改派 in the case room: the lead department's handler declines an assignment that is
// not theirs (with the reason); while it is open the duty officer sees it on top of the case and
// either reassigns the lead department (改派) or overrules the decline (不同意退回).

const m = defineMessages(
  {
    title: '退回交办',
    declined: '{department}于 {at} 退回交办（{by}）',
    reason: '退回理由：{reason}',
    waiting: '已退回，等待值班员改派或答复。',
    offer: '不属于本单位职责？可说明理由退回交办，由值班员改派。',
    decline: '退回交办',
    declineReason: '退回理由',
    declinePh: '如：该事项属人社局职责，建议交人社局办理',
    confirm: '确认退回',
    cancel: '取消',
    reassignTo: '改派给',
    reassign: '改派',
    reassignReason: '改派说明（可选）',
    overrule: '不同意退回',
    overruleReason: '不同意退回的理由',
    overrulePh: '如：经核实属本单位职责，请继续办理',
    done: '已保存',
  },
  {
    title: 'Assignment declined',
    declined: '{department} declined the assignment at {at} ({by})',
    reason: 'Reason: {reason}',
    waiting: 'Declined; waiting for the duty officer to reassign or answer.',
    offer: 'Not your department’s matter? Decline it with the reason; the duty officer reassigns it.',
    decline: 'Decline the assignment',
    declineReason: 'Reason',
    declinePh: 'e.g. this is for the human resources bureau',
    confirm: 'Decline',
    cancel: 'Cancel',
    reassignTo: 'Reassign to',
    reassign: 'Reassign',
    reassignReason: 'Note (optional)',
    overrule: 'Overrule',
    overruleReason: 'Why the department must go on',
    overrulePh: 'e.g. verified: it is your department’s duty',
    done: 'Saved',
  },
);

export function DeclinePanel({ c }: { c: CaseData }) {
  const t = useT(m);
  const { lang } = useLang();
  const { user, can } = useSession();
  const leadHandler = user?.role === 'handler' && user.departmentId === c.leadDepartment.id && c.status === 'open';
  const desk = can('duty', 'admin', 'reviewer') && c.status !== 'closed';
  const d = c.decline;
  if (!d && !leadHandler) return null;
  return (
    <section className="panel cr-decline" data-testid="decline-panel">
      <div className="panel-head">
        <h2>{t('title')}</h2>
      </div>
      <div className="panel-body stack">
        {d ? (
          <>
            <p data-testid="decline-text">
              <strong>{t('declined', { department: d.department.name, at: beijingShort(d.at, lang), by: d.by ?? '—' })}</strong>
              <br />
              {t('reason', { reason: d.reason })}
            </p>
            {desk ? <DeskActions c={c} /> : <p className="muted">{t('waiting')}</p>}
          </>
        ) : (
          <DeclineForm c={c} />
        )}
      </div>
    </section>
  );
}

function DeclineForm({ c }: { c: CaseData }) {
  const t = useT(m);
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const save = useCaseMutation(c.id, () => call(api.cases[':id'].decline.$post({ param: { id: c.id }, json: { reason: reason.trim() } })), () => toast(t('done')));
  if (!open)
    return (
      <div className="row">
        <span className="muted small">{t('offer')}</span>
        <button type="button" className="btn" onClick={() => setOpen(true)} data-testid="decline-open">
          {t('decline')}
        </button>
      </div>
    );
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(undefined);
      }}
    >
      <label className="field">
        <span>{t('declineReason')}</span>
        <textarea value={reason} onChange={(e) => setReason(e.target.value)} rows={3} maxLength={2000} placeholder={t('declinePh')} data-testid="decline-reason" />
      </label>
      <FormError error={save.error} />
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={reason.trim() === '' || save.isPending} data-testid="decline-confirm">
          {t('confirm')}
        </button>
        <button type="button" className="btn" onClick={() => setOpen(false)}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}

function DeskActions({ c }: { c: CaseData }) {
  const t = useT(m);
  const departments = useQuery({ queryKey: ['departments'], queryFn: () => call(api.departments.$get()) });
  const [to, setTo] = useState('');
  const [note, setNote] = useState('');
  const [why, setWhy] = useState('');
  const reassign = useCaseMutation(
    c.id,
    () => call(api.cases[':id'].$patch({ param: { id: c.id }, json: { leadDepartmentId: Number(to), ...(note.trim() ? { reason: note.trim() } : {}) } })),
    () => toast(t('done')),
  );
  const overrule = useCaseMutation(c.id, () => call(api.cases[':id'].decline.overrule.$post({ param: { id: c.id }, json: { reason: why.trim() } })), () => toast(t('done')));
  const choices = (departments.data?.departments ?? []).filter((d) => d.id !== c.leadDepartment.id);
  return (
    <div className="stack">
      <div className="row wrap">
        <label className="field-inline">
          <span>{t('reassignTo')}</span>
          <select value={to} onChange={(e) => setTo(e.target.value)} data-testid="reassign-to">
            <option value="">—</option>
            {choices.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
        <input value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} placeholder={t('reassignReason')} aria-label={t('reassignReason')} />
        <button type="button" className="btn btn-primary" disabled={to === '' || reassign.isPending} onClick={() => reassign.mutate(undefined)} data-testid="reassign">
          {t('reassign')}
        </button>
      </div>
      <FormError error={reassign.error} />
      <label className="field">
        <span>{t('overruleReason')}</span>
        <input value={why} onChange={(e) => setWhy(e.target.value)} maxLength={2000} placeholder={t('overrulePh')} data-testid="overrule-reason" />
      </label>
      <FormError error={overrule.error} />
      <div className="row">
        <button type="button" className="btn" disabled={why.trim() === '' || overrule.isPending} onClick={() => overrule.mutate(undefined)} data-testid="overrule">
          {t('overrule')}
        </button>
      </div>
    </div>
  );
}
