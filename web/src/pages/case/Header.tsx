import { useQuery } from '@tanstack/react-query';
import { REQUEST_TYPE_REASON_MAX, REQUEST_TYPES, type RequestType } from '../../../../core/workflow/origin-windows.js';
import { useState } from 'react';
import { Link } from 'wouter';
import { CATEGORIES, LEVELS, type Category, type Level } from '../../../../core/vocabulary.js';
import { Modal } from '../../components/Modal.js';
import { FormError } from '../../components/states.js';
import { CaseStatusTag, LevelTag, Tag } from '../../components/Tag.js';
import { toast } from '../../components/toast.js';
import { common } from '../../i18n/common.js';
import { defineMessages, useT } from '../../i18n/index.js';
import { useLabel } from '../../i18n/labels.js';
import { api, call } from '../../lib/api.js';
import { useSession } from '../../lib/session.js';
import { fmtDateTime } from '../../lib/time.js';
import { useCaseMutation, type CaseData } from './data.js';
import { m } from './messages.js';
import { CasePlaces } from './Places.js';

export function CaseHeader({ c }: { c: CaseData }) {
  const t = useT(m);
  const label = useLabel();
  const { can } = useSession();
  const [editing, setEditing] = useState(false);
  const mayEdit = can('duty', 'admin', 'reviewer') && c.status !== 'closed';
  const co = c.coDepartments.map((d) => d.name).join('、');
  return (
    <section className="panel cr-header" data-testid="case-header">
      <div className="cr-title-row">
        <div className="cr-title">
          <div className="row small muted">
            <Link href="/ledger">{t('backToLedger')}</Link>
            <span aria-hidden="true">›</span>
            <span className="num" data-testid="case-number">
              {c.number}
            </span>
          </div>
          <h1>{c.title}</h1>
        </div>
        <div className="row cr-tags">
          <LevelTag level={c.level} />
          <Tag tone="grey">{label('category', c.category)}</Tag>
          <CaseStatusTag status={c.status} />
          {mayEdit ? (
            <button type="button" className="btn btn-sm" onClick={() => setEditing(true)}>
              {t('editCase')}
            </button>
          ) : null}
          <button type="button" className="btn btn-sm" title={t('printHint')} onClick={() => window.print()} data-testid="print-case">
            {t('print')}
          </button>
        </div>
      </div>
      <dl className="cr-facts">
        <div>
          <dt>{t('expected')}</dt>
          <dd>{label('expectedResponse', c.category)}</dd>
        </div>
        <div>
          <dt>{t('clockStart')}</dt>
          <dd className="num">{fmtDateTime(c.clockStartedAt)}</dd>
        </div>
        <div>
          <dt>{t('origin')}</dt>
          <dd title={c.originNote || undefined}>
            {label('caseOrigin', c.origin)}
            {c.requestType ? <span data-testid="request-type"> · {label('requestType', c.requestType)}</span> : null}
            {c.originNote ? <span className="muted">（{c.originNote}）</span> : null}
          </dd>
        </div>
        <CasePlaces c={c} />
        <div>
          <dt>{t('lead')}</dt>
          <dd data-testid="lead-department">{c.leadDepartment.name || '—'}</dd>
        </div>
        <div>
          <dt>{t('co')}</dt>
          <dd>{co || <span className="muted">{t('none')}</span>}</dd>
        </div>
        <div>
          <dt>{t('openedAt')}</dt>
          <dd className="num" title={c.openedBy ? `${t('openedBy')}：${c.openedBy}` : undefined}>
            {fmtDateTime(c.openedAt)}
          </dd>
        </div>
        {c.respondedAt ? (
          <div>
            <dt>{t('respondedAt')}</dt>
            <dd className="num">{fmtDateTime(c.respondedAt)}</dd>
          </div>
        ) : null}
        {c.followUpUntil && c.status !== 'closed' ? (
          <div>
            <dt>{t('followUpUntil')}</dt>
            <dd className="num">{fmtDateTime(c.followUpUntil)}</dd>
          </div>
        ) : null}
        {c.closedAt ? (
          <div>
            <dt>{t('closedAt')}</dt>
            <dd className="num">{fmtDateTime(c.closedAt)}</dd>
          </div>
        ) : null}
      </dl>
      <p className="cr-summary">{c.summary ? c.summary : <span className="muted">{t('noSummary')}</span>}</p>
      {editing ? <EditCaseModal c={c} onClose={() => setEditing(false)} /> : null}
    </section>
  );
}

/** 诉求类型 of a hotline / mailbox case: a change recomputes the open reply window (working days). */
const rtm = defineMessages({ requestType: '诉求类型（改后重算办理时限）' }, { requestType: 'Request type (recomputes the reply window)' });

function EditCaseModal({ c, onClose }: { c: CaseData; onClose: () => void }) {
  const t = useT(m);
  const tc = useT(common);
  const label = useLabel();
  const depts = useQuery({ queryKey: ['departments'], queryFn: () => call(api.departments.$get()), staleTime: 60_000 });
  const [level, setLevel] = useState<Level>(c.level);
  const [category, setCategory] = useState<Category>(c.category);
  const [lead, setLead] = useState<number>(c.leadDepartment.id);
  const [co, setCo] = useState<number[]>(c.coDepartments.map((d) => d.id));
  const [reason, setReason] = useState('');
  const [requestType, setRequestType] = useState<RequestType | ''>(c.requestType ?? '');
  const takesType = c.origin === 'hotline' || c.origin === 'mailbox';
  const trt = useT(rtm);
  const [localError, setLocalError] = useState<string | null>(null);
  const save = useCaseMutation(
    c.id,
    (json: Parameters<(typeof api.cases)[':id']['$patch']>[0]['json']) => call(api.cases[':id'].$patch({ param: { id: c.id }, json })),
    () => {
      toast(t('caseSaved'));
      onClose();
    },
  );
  const levelChanged = level !== c.level;
  // A new 诉求类型 moves the reply deadline: the server asks a short reason for it (1–200 characters).
  const typeChanged = takesType && (requestType || null) !== c.requestType;
  const submit = () => {
    setLocalError(null);
    const json: Parameters<(typeof api.cases)[':id']['$patch']>[0]['json'] = {};
    if (levelChanged) json.level = level;
    if (category !== c.category) json.category = category;
    if (typeChanged) json.requestType = requestType || null;
    const coNow = [...new Set(co.filter((d) => d !== lead))].sort((a, b) => a - b);
    const coWas = c.coDepartments.map((d) => d.id).sort((a, b) => a - b);
    if (lead !== c.leadDepartment.id) json.leadDepartmentId = lead;
    if (coNow.join(',') !== coWas.join(',')) json.coDepartmentIds = coNow;
    if (Object.keys(json).length === 0) {
      setLocalError(t('nothingChanged'));
      return;
    }
    if (levelChanged && !reason.trim()) {
      setLocalError(t('reasonRequired'));
      return;
    }
    if (typeChanged && !reason.trim()) {
      setLocalError(t('reasonRequiredType', { max: REQUEST_TYPE_REASON_MAX }));
      return;
    }
    if (typeChanged && [...reason.trim()].length > REQUEST_TYPE_REASON_MAX) {
      setLocalError(t('reasonTooLongType', { max: REQUEST_TYPE_REASON_MAX, n: [...reason.trim()].length }));
      return;
    }
    if (reason.trim()) json.reason = reason.trim();
    save.mutate(json);
  };
  const list = depts.data?.departments ?? [];
  return (
    <Modal
      title={t('editTitle')}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            {tc('cancel')}
          </button>
          <button type="button" className="btn btn-primary" onClick={submit} disabled={save.isPending}>
            {save.isPending ? tc('saving') : tc('save')}
          </button>
        </>
      }
    >
      <div className="form-grid">
        <label className="field">
          <span>{t('level')}</span>
          <select value={level} onChange={(e) => setLevel(e.target.value as Level)}>
            {LEVELS.map((l) => (
              <option key={l} value={l}>
                {label('level', l)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('category')}</span>
          <select value={category} onChange={(e) => setCategory(e.target.value as Category)}>
            {CATEGORIES.map((x) => (
              <option key={x} value={x}>
                {label('category', x)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="muted small cr-tight">
        {t('expected')}：{label('expectedResponse', category)}
      </p>
      {takesType ? (
        <label className="field">
          <span>{trt('requestType')}</span>
          <select value={requestType} onChange={(e) => setRequestType(e.target.value as RequestType | '')} name="requestType">
            <option value="">—</option>
            {REQUEST_TYPES.map((x) => (
              <option key={x} value={x}>
                {label('requestType', x)}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <label className="field">
        <span>{t('lead')}</span>
        <select value={lead} onChange={(e) => setLead(Number(e.target.value))}>
          {list.length === 0 ? <option value={c.leadDepartment.id}>{c.leadDepartment.name}</option> : null}
          {list.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </select>
      </label>
      <fieldset className="field cr-fieldset">
        <legend className="small muted">{t('co')}</legend>
        <div className="cr-checks">
          {list
            .filter((d) => d.id !== lead)
            .map((d) => (
              <label key={d.id} className="field-inline">
                <input
                  type="checkbox"
                  checked={co.includes(d.id)}
                  onChange={(e) => setCo((prev) => (e.target.checked ? [...prev, d.id] : prev.filter((x) => x !== d.id)))}
                />
                {d.name}
              </label>
            ))}
        </div>
      </fieldset>
      <label className="field">
        <span>
          {t('reason')}
          {levelChanged || typeChanged ? ' *' : ''}
        </span>
        <textarea value={reason} onChange={(e) => setReason(e.target.value)} rows={2} maxLength={1000} name="reason" />
      </label>
      <p className="muted small cr-tight">{t('reasonHint')}</p>
      {localError ? <p className="form-error">{localError}</p> : null}
      <FormError error={save.error} />
    </Modal>
  );
}
