import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { responseActionsAllowed } from '../../../../core/workflow/state.js';
import { mayTakeStep } from '../../../../core/workflow/approval.js';
import { CHANNELS, type Channel } from '../../../../core/vocabulary.js';
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
import { caseKey, fromShanghaiInput, safeHref, shanghaiInput, useCaseMutation, type CaseData, type ResponseData } from './data.js';
import { m } from './messages.js';
import { CountersignBlock } from './Countersign.js';
import { useForwarding } from './Forwarding.js';

// 回应: draft → submit → approve | return (with a comment) → publish. Only the steps the user's role
// and the response's status allow are offered (core/workflow/state decides, as on the server).
// 审批链: a submitted response waits at one step of its chain (审核人 → 分管领导 → 主要领导); the
// approve / return buttons go to that step's people only (core/workflow/approval.ts, as on the
// server). Submitting needs the 保密审查 confirmation ticked; the server records it with the name.
// 会签 (Countersign.tsx) comes before the first step when the co-departments are asked; a forwarded
// opinion is drafted only after its 核实 (Forwarding.tsx).

const STATUS_TONE = { draft: 'grey', submitted: 'amber', approved: 'blue', returned: 'red', published: 'green' } as const;

export function ResponsesPanel({ c }: { c: CaseData }) {
  const t = useT(m);
  const label = useLabel();
  const user = useUser();
  const q = useQuery({ queryKey: [...caseKey(c.id), 'responses'], queryFn: () => call(api.cases[':id'].responses.$get({ param: { id: c.id } })) });
  const closed = c.status === 'closed';
  const list = q.data?.responses ?? [];
  const active = list.filter((r) => r.status !== 'published');
  const published = list.filter((r) => r.status === 'published').reverse();
  const fw = useForwarding(c.id);
  const needsVerification = fw.data?.forwarded === true && fw.data.verification === null;
  const mayDraft = user.role === 'handler' && !closed && active.length === 0 && !needsVerification;
  return (
    <section className="panel" aria-labelledby="cr-resp-h">
      <header className="panel-head">
        <h2 id="cr-resp-h">{t('responses')}</h2>
        <span className="muted small">{t('expectedHint', { kind: label('expectedResponse', c.category) })}</span>
      </header>
      <div className="panel-body stack">
        {q.isPending ? <Loading /> : null}
        {q.isError ? <ErrorBox error={q.error} onRetry={() => void q.refetch()} /> : null}
        {closed && list.length > 0 ? <p className="notice small">{t('caseClosedNote')}</p> : null}
        {active.map((r) => (
          <ResponseBlock key={r.id} r={r} caseId={c.id} closed={closed} />
        ))}
        {mayDraft ? <Composer caseId={c.id} followUp={published.length > 0} /> : null}
        {needsVerification && !closed && active.length === 0 && user.role === 'handler' ? (
          <p className="notice small" data-testid="verify-before-draft">
            {t('verifyBeforeDraft')}
          </p>
        ) : null}
        {q.isSuccess && list.length === 0 && !mayDraft ? <Empty title={t('noResponseYet')} hint={t('noResponseHint')} /> : null}
        {published.length > 0 ? (
          <div className="stack cr-history">
            {active.length > 0 || mayDraft ? <h3 className="muted small">{t('history')}</h3> : null}
            {published.map((r) => (
              <ResponseBlock key={r.id} r={r} caseId={c.id} closed={closed} />
            ))}
          </div>
        ) : null}
      </div>
    </section>
  );
}

/** A new response: the handler writes it, saves it as a draft or submits it at once. */
function Composer({ caseId, followUp }: { caseId: string; followUp: boolean }) {
  const t = useT(m);
  const [body, setBody] = useState('');
  // After a publication, a further release is drafted on demand (the first draft is always open).
  const [open, setOpen] = useState(!followUp);
  const [err, setErr] = useState<string | null>(null);
  const [secrecy, setSecrecy] = useState(false);
  const create = useCaseMutation(caseId, async (a: { body: string; submit: boolean }) => {
    const r = await call(api.cases[':id'].responses.$post({ param: { id: caseId }, json: { body: a.body } }));
    if (a.submit) await call(api.cases[':id'].responses[':rid'].submit.$post({ param: { id: caseId, rid: r.id }, json: { secrecyConfirmed: true } }));
    return a.submit;
  }, (submitted) => {
    toast(submitted ? t('submitted') : t('draftSaved'));
    setBody('');
    setSecrecy(false);
    setOpen(!followUp);
  });
  const go = (submit: boolean) => {
    if (!body.trim()) {
      setErr(t('bodyRequired'));
      return;
    }
    if (submit && !secrecy) {
      setErr(t('secrecyRequired'));
      return;
    }
    setErr(null);
    create.mutate({ body: body.trim(), submit });
  };
  if (!open)
    return (
      <div className="row">
        <button type="button" className="btn btn-sm" onClick={() => setOpen(true)}>
          + {t('newFollowUpDraft')}
        </button>
      </div>
    );
  return (
    <div className="cr-response cr-composer" data-testid="response-composer">
      <label className="field">
        <span>
          {followUp ? t('newFollowUpDraft') : t('newDraft')} · {t('responseBody')}
        </span>
        <textarea aria-label={t('responseBody')} value={body} onChange={(e) => setBody(e.target.value)} rows={5} maxLength={20_000} placeholder={t('responsePlaceholder')} />
      </label>
      <SecrecyCheck checked={secrecy} onChange={setSecrecy} />
      {err ? <p className="form-error">{err}</p> : null}
      <FormError error={create.error} />
      <div className="row">
        <button type="button" className="btn" onClick={() => go(false)} disabled={create.isPending}>
          {t('saveDraft')}
        </button>
        <button type="button" className="btn btn-primary" onClick={() => go(true)} disabled={create.isPending}>
          {t('submit')}
        </button>
      </div>
    </div>
  );
}

function ResponseBlock({ r, caseId, closed }: { r: ResponseData; caseId: string; closed: boolean }) {
  const t = useT(m);
  const tc = useT(common);
  const label = useLabel();
  const user = useUser();
  // 发布审核 needs a second person: the drafter never approves their own draft (the server refuses it too).
  const ownDraft = r.draftedBy?.id === user.id;
  // The step the response waits at: only its people approve or return.
  const current = r.status === 'submitted' ? r.approvalChain.find((s) => s.state === 'current') : undefined;
  // While the co-departments sign off (会签), no approval step is open yet.
  const myStep = current !== undefined && !r.countersign.pending && mayTakeStep(current.kind, user);
  const actions = (closed ? [] : responseActionsAllowed(r.status, user.role)).filter(
    (a) => !(a === 'approve' && ownDraft) && !((a === 'approve' || a === 'return') && !myStep),
  );
  const canEdit = actions.includes('edit');
  const [body, setBody] = useState(r.body);
  const [returning, setReturning] = useState(false);
  const [comment, setComment] = useState('');
  const [publishing, setPublishing] = useState(false);
  const [err, setErr] = useState<string | null>(null);
  const [secrecy, setSecrecy] = useState(false);
  // A newer version from the server (another user, or our own save) replaces the text being shown.
  useEffect(() => setBody(r.body), [r.body, r.updatedAt]);

  const param = { id: caseId, rid: r.id };
  const save = useCaseMutation(caseId, async (a: { submit: boolean }) => {
    const changed = body.trim() !== r.body;
    // Saving a returned response (even unchanged) makes it a draft again; resubmitting it unchanged is allowed.
    if (changed || (r.status === 'returned' && !a.submit)) await call(api.cases[':id'].responses[':rid'].$patch({ param, json: { body: body.trim() } }));
    if (a.submit) await call(api.cases[':id'].responses[':rid'].submit.$post({ param, json: { secrecyConfirmed: true } }));
    return a.submit;
  }, (submitted) => toast(submitted ? t('submitted') : t('draftSaved')));
  const approve = useCaseMutation(caseId, () => call(api.cases[':id'].responses[':rid'].approve.$post({ param })), () => toast(t('approved')));
  const ret = useCaseMutation(caseId, (text: string) => call(api.cases[':id'].responses[':rid'].return.$post({ param, json: { comment: text } })), () => {
    toast(t('returned'));
    setReturning(false);
    setComment('');
  });
  const busy = save.isPending || approve.isPending || ret.isPending;
  const error = save.error ?? approve.error ?? ret.error;

  const onSave = (submit: boolean) => {
    if (!body.trim()) {
      setErr(t('bodyRequired'));
      return;
    }
    if (submit && !secrecy) {
      setErr(t('secrecyRequired'));
      return;
    }
    setErr(null);
    save.mutate({ submit });
  };

  let waiting: string | null = null;
  if (!closed && actions.length === 0) {
    if (r.status === 'submitted' && r.countersign.pending) waiting = null;
    else if (r.status === 'submitted') waiting = current ? t('awaitingStep', { step: current.label }) : t('awaitingReview');
    else if (r.status === 'approved') waiting = t('awaitingPublish');
    else if (r.status === 'returned') waiting = t('awaitingHandler');
  }
  const href = safeHref(r.url);
  return (
    <article className={`cr-response cr-response-${r.status}`} data-testid="response" data-status={r.status} data-id={r.id}>
      <header className="row cr-response-head">
        <Tag tone={STATUS_TONE[r.status]}>{label('responseStatus', r.status)}</Tag>
        <span className="muted small">{t('draftedBy', { name: r.draftedBy?.name ?? '—', at: fmtDateTime(r.draftedAt) })}</span>
        {r.submittedAt ? <span className="muted small">· {t('submittedAt', { at: fmtDateTime(r.submittedAt) })}</span> : null}
        {r.reviewedAt && r.reviewedBy ? <span className="muted small">· {t('reviewedBy', { name: r.reviewedBy.name ?? '—', at: fmtDateTime(r.reviewedAt) })}</span> : null}
      </header>

      {r.reviewComment && (r.status === 'returned' || r.status === 'draft') ? (
        <div className={r.status === 'returned' ? 'cr-returned' : 'cr-returned cr-returned-old'} role={r.status === 'returned' ? 'alert' : undefined} data-testid="review-comment">
          <strong>{r.status === 'returned' ? t('returnedBanner') : t('lastReturned')}</strong>
          {r.reviewedBy?.name ? <span className="muted small"> · {r.reviewedBy.name}</span> : null}
          <p>{r.reviewComment}</p>
        </div>
      ) : null}

      {canEdit ? (
        <label className="field cr-body-field">
          <span>{t('responseBody')}</span>
          <textarea value={body} onChange={(e) => setBody(e.target.value)} rows={6} maxLength={20_000} />
        </label>
      ) : (
        <div className="cr-body">{r.body}</div>
      )}

      {r.status === 'published' ? (
        <p className="small cr-published">
          {t('publishedBy', { name: r.publishedBy?.name ?? '—', at: fmtDateTime(r.publishedAt) })} · {t('via', { channel: label('channel', r.channel) })}
          {r.backfilled ? (
            <>
              {' '}
              <Tag tone="amber" title={t('backfilledTitle')}>
                {t('backfilled')}
              </Tag>
            </>
          ) : null}
          {href ? (
            <>
              {' · '}
              <a href={href} target="_blank" rel="noopener noreferrer">
                {t('link')}
              </a>
            </>
          ) : null}
        </p>
      ) : null}

      <CountersignBlock r={r} caseId={caseId} closed={closed} />
      {r.approvalChain.length > 0 && r.status !== 'draft' && r.status !== 'returned' ? <ApprovalChain r={r} /> : null}
      {r.secrecyConfirmedBy && r.secrecyConfirmedAt && r.status !== 'draft' ? (
        <p className="muted small" data-testid="secrecy-record">
          {t('secrecyConfirmedBy', { name: r.secrecyConfirmedBy.name ?? '—', at: fmtDateTime(r.secrecyConfirmedAt) })}
        </p>
      ) : null}
      {actions.includes('submit') && !returning ? <SecrecyCheck checked={secrecy} onChange={setSecrecy} /> : null}
      {err ? <p className="form-error">{err}</p> : null}
      <FormError error={error} />

      {returning ? (
        <div className="cr-return-box">
          <label className="field">
            <span>{t('returnComment')}</span>
            <textarea value={comment} onChange={(e) => setComment(e.target.value)} rows={3} maxLength={5000} placeholder={t('returnPlaceholder')} autoFocus />
          </label>
          <div className="row">
            <button type="button" className="btn btn-danger" disabled={busy || !comment.trim()} onClick={() => ret.mutate(comment.trim())}>
              {t('confirmReturn')}
            </button>
            <button type="button" className="btn" onClick={() => setReturning(false)}>
              {tc('cancel')}
            </button>
          </div>
        </div>
      ) : null}

      {actions.length > 0 && !returning ? (
        <div className="row cr-actions">
          {canEdit ? (
            <button type="button" className="btn" disabled={busy} onClick={() => onSave(false)}>
              {t('saveDraft')}
            </button>
          ) : null}
          {actions.includes('submit') ? (
            <button type="button" className="btn btn-primary" disabled={busy} onClick={() => onSave(true)}>
              {t('submit')}
            </button>
          ) : null}
          {actions.includes('approve') ? (
            <button type="button" className="btn btn-primary" disabled={busy} onClick={() => approve.mutate(undefined)}>
              {current && current.kind !== 'reviewer' ? t('approveStep') : t('approve')}
            </button>
          ) : null}
          {actions.includes('return') ? (
            <button type="button" className="btn btn-danger" disabled={busy} onClick={() => setReturning(true)}>
              {t('returnForEdit')}
            </button>
          ) : null}
          {actions.includes('publish') ? (
            <button type="button" className="btn btn-primary" disabled={busy} onClick={() => setPublishing(true)}>
              {t('publish')}
            </button>
          ) : null}
        </div>
      ) : null}
      {waiting ? <p className="muted small cr-waiting">{waiting}</p> : null}
      {!closed && ownDraft && r.status === 'submitted' && user.role === 'reviewer' ? (
        <p className="muted small cr-waiting" data-testid="own-draft">
          {t('ownDraftNoApprove')}
        </p>
      ) : null}
      {publishing ? <PublishDialog caseId={caseId} rid={r.id} onClose={() => setPublishing(false)} /> : null}
    </article>
  );
}

function PublishDialog({ caseId, rid, onClose }: { caseId: string; rid: string; onClose: () => void }) {
  const t = useT(m);
  const tc = useT(common);
  const label = useLabel();
  const [channel, setChannel] = useState<Channel>('website');
  const [url, setUrl] = useState('');
  const [initial] = useState(() => shanghaiInput(new Date()));
  const [at, setAt] = useState(initial);
  const [err, setErr] = useState<string | null>(null);
  const pub = useCaseMutation(
    caseId,
    (json: { channel: Channel; url?: string; publishedAt?: string }) => call(api.cases[':id'].responses[':rid'].publish.$post({ param: { id: caseId, rid }, json })),
    (res) => {
      const kinds = res.obligationsMet.map((o) => label('obligationKind', o.kind)).join('、');
      toast(kinds ? t('publishedMet', { kinds }) : t('published'));
      onClose();
    },
  );
  const submit = () => {
    setErr(null);
    const u = url.trim();
    if (u && !safeHref(u)) {
      setErr(t('urlInvalid'));
      return;
    }
    const json: { channel: Channel; url?: string; publishedAt?: string } = { channel };
    if (u) json.url = u;
    if (at !== initial) {
      const iso = fromShanghaiInput(at);
      if (iso) json.publishedAt = iso;
    }
    pub.mutate(json);
  };
  return (
    <Modal
      title={t('publishTitle')}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            {tc('cancel')}
          </button>
          <button type="button" className="btn btn-primary" onClick={submit} disabled={pub.isPending}>
            {t('confirmPublish')}
          </button>
        </>
      }
    >
      <label className="field">
        <span>{t('channel')}</span>
        <select value={channel} onChange={(e) => setChannel(e.target.value as Channel)}>
          {CHANNELS.map((ch) => (
            <option key={ch} value={ch}>
              {label('channel', ch)}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t('url')}</span>
        <input type="url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://" maxLength={2000} />
      </label>
      <p className="muted small cr-tight">{t('urlHint')}</p>
      <label className="field">
        <span>{t('publishedAtField')}</span>
        <input type="datetime-local" value={at} max={shanghaiInput(new Date())} onChange={(e) => setAt(e.target.value)} />
      </label>
      {err ? <p className="form-error">{err}</p> : null}
      <FormError error={pub.error} />
    </Modal>
  );
}

/** 保密审查: ticked before a response is submitted. */
function SecrecyCheck({ checked, onChange }: { checked: boolean; onChange: (v: boolean) => void }) {
  const t = useT(m);
  return (
    <label className="cr-secrecy small" data-testid="secrecy-check">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} /> {t('secrecyConfirm')}
    </label>
  );
}

/** The approval chain: each step done (who, when), waiting or not yet; and the steps taken so far. */
function ApprovalChain({ r }: { r: ResponseData }) {
  const t = useT(m);
  const tone = { done: 'green', current: 'amber', pending: 'grey' } as const;
  const stateLabel = { done: t('stepDone'), current: t('stepCurrent'), pending: t('stepPending') } as const;
  return (
    <div className="cr-chain small" data-testid="approval-chain">
      <strong>{t('approvalChain')}</strong>
      <ol className="cr-chain-steps">
        {r.approvalChain.map((s) => (
          <li key={s.step} data-state={s.state}>
            {s.label} <Tag tone={tone[s.state]}>{stateLabel[s.state]}</Tag>
            {s.decidedBy ? <span className="muted"> {s.decidedBy.name ?? '—'} · {fmtDateTime(s.decidedAt)}</span> : null}
          </li>
        ))}
      </ol>
      {r.approvals.length > 0 ? (
        <details>
          <summary>{t('approvalHistory')}</summary>
          <ul className="cr-chain-history">
            {r.approvals.map((a, i) => (
              <li key={i}>
                {fmtDateTime(a.decidedAt)} {a.label} · {a.decidedBy?.name ?? '—'} · {a.decision === 'approve' ? t('decisionApprove') : t('decisionReturn')}
                {a.comment ? `：${a.comment}` : ''}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}
