import { useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { REFERRAL_TARGETS, type ReferralTarget } from '../../../../core/vocabulary.js';
import { Modal } from '../../components/Modal.js';
import { Empty, ErrorBox, FormError, Loading } from '../../components/states.js';
import { Tag } from '../../components/Tag.js';
import { toast } from '../../components/toast.js';
import { common } from '../../i18n/common.js';
import { useT } from '../../i18n/index.js';
import { useLabel } from '../../i18n/labels.js';
import { api, call } from '../../lib/api.js';
import { useUser } from '../../lib/session.js';
import { fmtDateTime } from '../../lib/time.js';
import { caseKey, fromShanghaiInput, shanghaiInput, useCaseMutation, type CaseData } from './data.js';
import { m } from './messages.js';

// 上报 / 移交 / 协调: the records (time, person, recipient, content) and the forms for the roles
// the API allows (see .scratch/routes.txt).

type Kind = 'report' | 'referral' | 'coordination';
interface Rec {
  kind: Kind;
  id: string;
  at: string;
  person: string;
  recipient: string;
  content: string;
  /** 补录: the time was typed in afterwards. */
  backfilled?: boolean;
}

export function useEscalations(caseId: string) {
  return useQuery({ queryKey: [...caseKey(caseId), 'escalations'], queryFn: () => call(api.cases[':id'].escalations.$get({ param: { id: caseId } })) });
}

/** Which record forms this user may use on this case. */
export function useEscalationRights(c: CaseData): Record<Kind, boolean> {
  const user = useUser();
  const open = c.status !== 'closed';
  return {
    report: open && ['duty', 'reviewer', 'leader', 'admin'].includes(user.role),
    referral: open && ['duty', 'reviewer', 'admin'].includes(user.role),
    coordination:
      open && c.coDepartments.length > 0 && (['reviewer', 'admin'].includes(user.role) || (user.role === 'handler' && user.departmentId === c.leadDepartment.id)),
  };
}

export function EscalationsPanel({ c, actorOf }: { c: CaseData; actorOf: (entity: string, id: string) => string | null }) {
  const t = useT(m);
  const label = useLabel();
  const q = useEscalations(c.id);
  const rights = useEscalationRights(c);
  const [form, setForm] = useState<Kind | null>(null);
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorBox error={q.error} onRetry={() => void q.refetch()} />;
  const e = q.data;
  const co = c.coDepartments.map((d) => d.name).join('、');
  const recs: Rec[] = [
    ...e.reportsUp.map((r) => ({
      kind: 'report' as const,
      id: r.id,
      at: r.reportedAt,
      person: actorOf('report_up', r.id) ?? '—',
      recipient: r.recipient,
      content: r.content,
      backfilled: r.backfilled,
    })),
    ...e.referrals.map((r) => ({
      kind: 'referral' as const,
      id: r.id,
      at: r.referredAt,
      person: actorOf('referral', r.id) ?? '—',
      recipient: `${label('referralTarget', r.target)} · ${r.recipient}`,
      content: r.content,
    })),
    ...e.coordinations.map((r) => ({
      kind: 'coordination' as const,
      id: r.id,
      at: r.createdAt,
      person: actorOf('coordination', r.id) ?? '—',
      recipient: t('toCo', { names: co || t('none') }),
      content: r.content,
    })),
  ].sort((a, b) => b.at.localeCompare(a.at));
  const kindLabel: Record<Kind, string> = { report: t('reportUp'), referral: t('referral'), coordination: t('coordination') };
  const tone: Record<Kind, 'red' | 'purple' | 'blue'> = { report: 'red', referral: 'purple', coordination: 'blue' };
  const anyForm = rights.report || rights.referral || rights.coordination;
  return (
    <div className="stack cr-esc">
      {anyForm ? (
        <div className="row">
          {(['report', 'referral', 'coordination'] as const)
            .filter((k) => rights[k])
            .map((k) => (
              <button key={k} type="button" className="btn btn-sm" onClick={() => setForm(k)}>
                + {kindLabel[k]}
              </button>
            ))}
        </div>
      ) : null}
      {recs.length === 0 ? (
        <Empty title={t('escEmpty')} hint={t('escEmptyHint')} />
      ) : (
        <ul className="cr-records">
          {recs.map((r) => (
            <li key={`${r.kind}-${r.id}`} data-testid="escalation-record" data-kind={r.kind}>
              <div className="row">
                <Tag tone={tone[r.kind]}>{kindLabel[r.kind]}</Tag>
                <span className="small">{r.recipient}</span>
              </div>
              <div className="muted small">
                {fmtDateTime(r.at)} · {r.person}
                {r.backfilled ? (
                  <>
                    {' '}
                    <Tag tone="amber" title={t('backfilledTitle')}>
                      {t('backfilled')}
                    </Tag>
                  </>
                ) : null}
              </div>
              <p className="cr-record-text">{r.content}</p>
            </li>
          ))}
        </ul>
      )}
      {e.fires.length > 0 ? (
        <div>
          <h3 className="small muted">{t('fires')}</h3>
          <ul className="cr-fires small">
            {[...e.fires].reverse().map((f) => (
              <li key={`${f.obligationId}-${f.stepId}-${f.firedAt}`}>
                <span className="num muted">{fmtDateTime(f.firedAt)}</span> {label('escalationTarget', f.target)}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {form ? <RecordForm kind={form} c={c} title={kindLabel[form]} onClose={() => setForm(null)} /> : null}
    </div>
  );
}

function RecordForm({ kind, c, title, onClose }: { kind: Kind; c: CaseData; title: string; onClose: () => void }) {
  const t = useT(m);
  const tc = useT(common);
  const label = useLabel();
  const [recipient, setRecipient] = useState('');
  const [content, setContent] = useState('');
  const [target, setTarget] = useState<ReferralTarget>('public_security');
  const [initial] = useState(() => shanghaiInput(new Date()));
  const [at, setAt] = useState(initial);
  const save = useCaseMutation(
    c.id,
    async () => {
      const param = { id: c.id };
      if (kind === 'report') {
        const reportedAt = at !== initial ? fromShanghaiInput(at) : null;
        return call(api.cases[':id']['reports-up'].$post({ param, json: { recipient: recipient.trim(), content: content.trim(), ...(reportedAt ? { reportedAt } : {}) } }));
      }
      if (kind === 'referral') return call(api.cases[':id'].referrals.$post({ param, json: { target, recipient: recipient.trim(), content: content.trim() } }));
      return call(api.cases[':id'].coordinations.$post({ param, json: { content: content.trim() } }));
    },
    () => {
      toast(t('recorded'));
      onClose();
    },
  );
  const ready = content.trim() !== '' && (kind === 'coordination' || recipient.trim() !== '');
  let fields: ReactNode;
  if (kind === 'report')
    fields = (
      <>
        <label className="field">
          <span>{t('recipient')}</span>
          <input value={recipient} onChange={(e) => setRecipient(e.target.value)} placeholder={t('recipientPh')} maxLength={200} />
        </label>
        <label className="field">
          <span>{t('reportedAt')}</span>
          <input type="datetime-local" value={at} max={shanghaiInput(new Date())} onChange={(e) => setAt(e.target.value)} />
        </label>
      </>
    );
  else if (kind === 'referral')
    fields = (
      <>
        <label className="field">
          <span>{t('referralTarget')}</span>
          <select value={target} onChange={(e) => setTarget(e.target.value as ReferralTarget)}>
            {REFERRAL_TARGETS.map((x) => (
              <option key={x} value={x}>
                {label('referralTarget', x)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('referralRecipient')}</span>
          <input value={recipient} onChange={(e) => setRecipient(e.target.value)} maxLength={200} />
        </label>
      </>
    );
  else fields = <p className="muted small cr-tight">{t('coordinationHint')}</p>;
  return (
    <Modal
      title={title}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            {tc('cancel')}
          </button>
          <button type="button" className="btn btn-primary" disabled={!ready || save.isPending} onClick={() => save.mutate(undefined)}>
            {tc('save')}
          </button>
        </>
      }
    >
      {fields}
      <label className="field">
        <span>{kind === 'coordination' ? t('coordinationContent') : t('content')}</span>
        <textarea value={content} onChange={(e) => setContent(e.target.value)} rows={5} maxLength={20_000} />
      </label>
      <FormError error={save.error} />
    </Modal>
  );
}
