import { CHANNEL_LABELS, EXPECTED_RESPONSE, RESPONSE_STATUS_LABELS, type Category } from '../../core/vocabulary.js';
import { APPROVAL_STEP_LABELS } from '../../core/workflow/approval.js';
import type { ApprovalRow, ResponseWithNames } from '../../db/repos/responses.js';
import type { CountersignRow } from '../../db/repos/forwarding.js';
import { iso } from '../shared/present.js';
import type { ResponseView } from './schema.js';

const person = (id: number | null, name: string | null) => (id === null ? null : { id, name });

/**
 * The approval chain as the case room shows it: each step done (who, when), current (waiting) or
 * pending, for the submission in progress or the one that was approved; `approvals` every step
 * taken on the response (approvals and returns with their comments), oldest first.
 */
function chainOf(r: ResponseWithNames, approvals: readonly ApprovalRow[]): Pick<ResponseView, 'approvalChain' | 'approvals'> {
  const mine = approvals.filter((a) => a.response_id === r.id);
  const since = r.submitted_at?.getTime() ?? Infinity;
  const cycle = r.status === 'submitted' || r.status === 'approved' || r.status === 'published';
  const approvalChain = r.approval_chain.map((kind, i) => {
    const done = cycle ? [...mine].reverse().find((a) => a.step === i && a.decision === 'approve' && a.decided_at.getTime() >= since) : undefined;
    const state: 'done' | 'current' | 'pending' =
      r.status === 'approved' || r.status === 'published' ? 'done' : r.status === 'submitted' ? (i < r.approval_step ? 'done' : i === r.approval_step ? 'current' : 'pending') : 'pending';
    return {
      step: i,
      kind,
      label: APPROVAL_STEP_LABELS[kind],
      state,
      decidedBy: state === 'done' && done ? person(done.decided_by, done.decided_by_name) : null,
      decidedAt: state === 'done' && done ? iso(done.decided_at) : null,
    };
  });
  return {
    approvalChain,
    approvals: mine.map((a) => ({
      step: a.step,
      kind: a.step_kind,
      label: APPROVAL_STEP_LABELS[a.step_kind],
      decision: a.decision,
      comment: a.comment,
      decidedBy: person(a.decided_by, a.decided_by_name),
      decidedAt: iso(a.decided_at),
    })),
  };
}

/** The sign-offs on a case's responses and the names of the departments they ask (会签). */
export interface CountersignContext {
  rows: readonly CountersignRow[];
  departmentNames: ReadonlyMap<number, string>;
}

/**
 * 会签 as the case room shows it: each co-department asked at the latest submission, confirmed
 * (who, when), returned (with the comment) or pending; `countersigns` every sign-off, oldest first.
 */
function countersignOf(r: ResponseWithNames, ctx: CountersignContext): Pick<ResponseView, 'countersign' | 'countersigns'> {
  const mine = ctx.rows.filter((s) => s.response_id === r.id);
  const since = r.submitted_at?.getTime() ?? Infinity;
  const current = mine.filter((s) => s.decided_at.getTime() >= since);
  const departments = r.countersign_departments.map((d) => {
    const last = [...current].reverse().find((s) => s.department_id === d);
    const pending = r.status === 'submitted' && r.countersign_pending.includes(d);
    const state: 'confirmed' | 'returned' | 'pending' = pending || !last ? 'pending' : last.decision === 'confirm' ? 'confirmed' : 'returned';
    return {
      departmentId: d,
      name: ctx.departmentNames.get(d) ?? '',
      state,
      comment: state === 'returned' && last ? last.comment : '',
      decidedBy: state !== 'pending' && last ? person(last.decided_by, last.decided_by_name) : null,
      decidedAt: state !== 'pending' && last ? iso(last.decided_at) : null,
    };
  });
  return {
    countersign: { pending: r.status === 'submitted' && r.countersign_pending.length > 0, departments },
    countersigns: mine.map((s) => ({
      departmentId: s.department_id,
      name: s.department_name ?? '',
      decision: s.decision,
      comment: s.comment,
      decidedBy: person(s.decided_by, s.decided_by_name),
      decidedAt: iso(s.decided_at),
    })),
  };
}

const NO_COUNTERSIGNS: CountersignContext = { rows: [], departmentNames: new Map() };

export function presentResponse(r: ResponseWithNames, category: Category, approvals: readonly ApprovalRow[] = [], countersigns: CountersignContext = NO_COUNTERSIGNS): ResponseView {
  return {
    id: r.id,
    caseId: r.case_id,
    status: r.status,
    statusLabel: RESPONSE_STATUS_LABELS[r.status],
    body: r.body,
    expectedKind: EXPECTED_RESPONSE[category],
    draftedBy: person(r.drafted_by, r.drafted_by_name),
    draftedAt: iso(r.drafted_at),
    submittedBy: person(r.submitted_by, r.submitted_by_name),
    submittedAt: iso(r.submitted_at),
    reviewedBy: person(r.reviewed_by, r.reviewed_by_name),
    reviewedAt: iso(r.reviewed_at),
    reviewComment: r.review_comment,
    publishedBy: person(r.published_by, r.published_by_name),
    publishedAt: iso(r.published_at),
    backfilled: r.backfilled,
    channel: r.channel,
    channelLabel: r.channel === null ? null : CHANNEL_LABELS[r.channel],
    url: r.url,
    secrecyConfirmedBy: person(r.secrecy_confirmed_by, r.secrecy_confirmed_by_name),
    secrecyConfirmedAt: iso(r.secrecy_confirmed_at),
    ...chainOf(r, approvals),
    ...countersignOf(r, countersigns),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}
