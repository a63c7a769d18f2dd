// State machines of a case and of a response. Pure: the service checks here, then writes.
//
// Case (CASE_STATUSES):
//   open      — publish → responded; change_level, reassign, add_feedback → open
//   responded — publish (a further release) → responded; close (办结) → closed;
//               change_level, reassign, add_feedback → responded
//   closed    — reopen (items of its story arrived after closing) → open; nothing else
//   An open case cannot be closed: it owes its public response first.
//
// Response (RESPONSE_STATUSES), with the roles allowed:
//   draft     — edit → draft (handler); submit → submitted (handler)
//   submitted — approve → approved (reviewer or leader: the step of the approval chain decides who,
//               and an approval before the chain's last step stays submitted, see approval.ts);
//               return (with a comment) → returned (the person of the current step)
//   returned  — edit → draft (handler: the revised text goes through review again);
//               submit → submitted (handler: resubmit unchanged, e.g. after explaining)
//   approved  — publish → published (handler or reviewer)
//   published — final: no action.
//   Only a reviewer (审核) or a leader (分管 / 主要领导审批) approves or returns. The admin role is technical (sources, rules,
//   users, policies) and has no part in drafting or review: separation of duties keeps every
//   approval attributable to a reviewer or leader. Duty officers do not act on responses either.
import { CASE_STATUS_LABELS, RESPONSE_STATUS_LABELS, ROLE_LABELS, type CaseStatus, type ResponseStatus, type Role } from '../vocabulary.js';

export type CaseAction = 'publish' | 'close' | 'reopen' | 'change_level' | 'reassign' | 'add_feedback';
export type ResponseAction = 'edit' | 'submit' | 'approve' | 'return' | 'publish';

export const CASE_ACTIONS: readonly CaseAction[] = ['publish', 'close', 'reopen', 'change_level', 'reassign', 'add_feedback'];
export const RESPONSE_ACTIONS: readonly ResponseAction[] = ['edit', 'submit', 'approve', 'return', 'publish'];

export class CaseTransitionError extends Error {
  constructor(
    public readonly messageZh: string,
    messageEn: string,
    /** invalid_state: not allowed in this status (HTTP 409); forbidden_role: not for this role (HTTP 403). */
    public readonly reason: 'invalid_state' | 'forbidden_role' = 'invalid_state',
  ) {
    super(messageEn);
    this.name = 'CaseTransitionError';
  }
}

const CASE_ACTION_LABELS: Record<CaseAction, string> = {
  publish: '发布回应',
  close: '办结',
  reopen: '重新打开',
  change_level: '调整级别',
  reassign: '转办',
  add_feedback: '添加跟踪反馈',
};

const RESPONSE_ACTION_LABELS: Record<ResponseAction, string> = {
  edit: '编辑',
  submit: '提交审核',
  approve: '审核通过',
  return: '退回',
  publish: '发布',
};

const CASE_TABLE: Record<CaseStatus, Partial<Record<CaseAction, CaseStatus>>> = {
  open: { publish: 'responded', change_level: 'open', reassign: 'open', add_feedback: 'open' },
  responded: { publish: 'responded', close: 'closed', change_level: 'responded', reassign: 'responded', add_feedback: 'responded' },
  closed: { reopen: 'open' },
};

const RESPONSE_TABLE: Record<ResponseStatus, Partial<Record<ResponseAction, { to: ResponseStatus; roles: readonly Role[] }>>> = {
  draft: { edit: { to: 'draft', roles: ['handler'] }, submit: { to: 'submitted', roles: ['handler'] } },
  submitted: { approve: { to: 'approved', roles: ['reviewer', 'leader'] }, return: { to: 'returned', roles: ['reviewer', 'leader'] } },
  returned: { edit: { to: 'draft', roles: ['handler'] }, submit: { to: 'submitted', roles: ['handler'] } },
  approved: { publish: { to: 'published', roles: ['handler', 'reviewer'] } },
  published: {},
};

/** Next case status for an action, or CaseTransitionError. */
export function caseTransition(status: CaseStatus, action: CaseAction): CaseStatus {
  const next = CASE_TABLE[status]?.[action];
  if (next === undefined) {
    throw new CaseTransitionError(
      `舆情事件当前状态为「${CASE_STATUS_LABELS[status] ?? status}」，不能${CASE_ACTION_LABELS[action] ?? action}`,
      `A case in status '${status}' does not allow '${action}'`,
    );
  }
  return next;
}

/** The actions a case in this status allows. */
export function caseActionsAllowed(status: CaseStatus): CaseAction[] {
  return CASE_ACTIONS.filter((a) => CASE_TABLE[status]?.[a] !== undefined);
}

/** Next response status for an action by a role, or CaseTransitionError (e.g. only a reviewer approves). */
export function responseTransition(status: ResponseStatus, action: ResponseAction, role: Role): ResponseStatus {
  const edge = RESPONSE_TABLE[status]?.[action];
  if (edge === undefined) {
    const zh =
      status === 'published'
        ? `回应已发布，不能再${RESPONSE_ACTION_LABELS[action] ?? action}`
        : `回应当前状态为「${RESPONSE_STATUS_LABELS[status] ?? status}」，不能${RESPONSE_ACTION_LABELS[action] ?? action}`;
    const en = status === 'published' ? `A published response is final: '${action}' is not allowed` : `A response in status '${status}' does not allow '${action}'`;
    throw new CaseTransitionError(zh, en, 'invalid_state');
  }
  if (!edge.roles.includes(role)) {
    const who = edge.roles.map((r) => ROLE_LABELS[r]).join('或');
    throw new CaseTransitionError(
      `只有${who}可以${RESPONSE_ACTION_LABELS[action]}，${ROLE_LABELS[role] ?? role}不能操作`,
      `Only ${edge.roles.join(' or ')} may '${action}' a response; role '${role}' may not`,
      'forbidden_role',
    );
  }
  return edge.to;
}

/** The actions a role may take on a response in this status (for the UI's buttons). */
export function responseActionsAllowed(status: ResponseStatus, role: Role): ResponseAction[] {
  return RESPONSE_ACTIONS.filter((a) => RESPONSE_TABLE[status]?.[a]?.roles.includes(role) ?? false);
}
