import type { Role } from '../../core/vocabulary.js';
import type { Db } from '../../db/client.js';
import * as repo from '../../db/repos/todos.js';
import type { CaseTodoRow } from '../../db/repos/todos.js';
import type { SessionUser } from '../shared/actor.js';
import type { TodoKind, TodoView } from './schema.js';
import { openDeclines } from '../../db/repos/case-declines.js';
import { handoversToAccept, unacknowledgedPushList, findHandoverOf } from '../../db/repos/handovers.js';
import { handoverSlotOf, HANDOVER_ACCEPT_MS, slotsOf } from '../../core/roster.js';
import { addDays, formatYmd, shanghaiParts } from '../../core/business-time.js';
import { listRoster, listShifts, toEntry } from '../../db/repos/roster.js';

// The to-do sources: one function per kind of thing that waits for someone. A source names the
// roles it serves and returns its rows for one user, scoped like the ledger (db/repos/todos.ts).
// EXTENSION POINT: a new source (alert pushes not acknowledged, a shift handover to accept, …) is
// one more entry in TODO_SOURCES, with its kind added to TODO_KINDS (schema.ts) and its text to
// web/src/pages/todos/messages.ts.

export interface TodoContext {
  db: Db;
  user: SessionUser;
  now: Date;
}

export interface TodoSource {
  kind: TodoKind;
  roles: readonly Role[];
  load(ctx: TodoContext): Promise<TodoView[]>;
}

const viewer = (u: SessionUser) => ({ id: u.id, role: u.role, departmentId: u.departmentId });
const caseLink = (caseId: string, part?: string) => `/cases/${caseId}${part ? `#${part}` : ''}`;

/** A source whose rows are cases (or things of a case): one read, one mapping. */
function caseSource(
  kind: TodoKind,
  roles: readonly Role[],
  read: (db: Db, v: ReturnType<typeof viewer>, now: Date) => Promise<CaseTodoRow[]>,
  opts: { part?: string; params?: (r: CaseTodoRow) => TodoView['params'] } = {},
): TodoSource {
  return {
    kind,
    roles,
    async load({ db, user, now }) {
      // A handler without a department has no department's work.
      if (user.role === 'handler' && user.departmentId === null) return [];
      const rows = await read(db, viewer(user), now);
      return rows.map((r) => ({
        id: `${kind}:${r.ref_id}`,
        kind,
        params: opts.params ? opts.params(r) : {},
        caseId: r.case_id,
        caseNumber: r.case_number,
        title: r.case_title,
        dueAt: r.due_at ? r.due_at.toISOString() : null,
        overdue: r.due_at !== null && r.due_at.getTime() < now.getTime(),
        link: caseLink(r.case_id, opts.part),
      }));
    },
  };
}

const untriagedAlerts: TodoSource = {
  kind: 'alerts.untriaged',
  roles: ['duty'],
  async load({ db }) {
    const a = await repo.untriagedAlerts(db);
    if (a.count === 0 || !a.oldest_at) return [];
    return [
      {
        id: 'alerts.untriaged',
        kind: 'alerts.untriaged',
        params: { count: a.count, oldestAt: a.oldest_at.toISOString() },
        caseId: null,
        caseNumber: null,
        title: '',
        dueAt: null,
        overdue: false,
        link: '/desk',
      },
    ];
  },
};

/** Alert pushes nobody acknowledged: one row each, due when it goes to the next person. */
const unacknowledgedPushes: TodoSource = {
  kind: 'alert.unacknowledged',
  roles: ['duty'],
  async load({ db, now }) {
    const rows = await unacknowledgedPushList(db);
    return rows.map((p) => ({
      id: `alert.unacknowledged:${p.alert_id}`,
      kind: 'alert.unacknowledged' as const,
      params: { pushedAt: p.pushed_at.toISOString() },
      caseId: null,
      caseNumber: null,
      title: p.title,
      dueAt: p.next_due_at ? p.next_due_at.toISOString() : null,
      overdue: p.next_due_at !== null && p.next_due_at.getTime() < now.getTime(),
      link: `/desk?alert=${p.alert_id}`,
    }));
  },
};

/** Write the handover: the last hour of one's shift (or the grace after it), until it is submitted. */
const WRITE_BEFORE_END_MS = 60 * 60_000;
const handoverToWrite: TodoSource = {
  kind: 'handover.write',
  roles: ['duty'],
  async load({ db, user, now }) {
    const day = shanghaiParts(now).day;
    const [shifts, rows] = await Promise.all([listShifts(db), listRoster(db, formatYmd(addDays(day, -1)), formatYmd(day))]);
    const slot = handoverSlotOf(slotsOf(rows.map(toEntry), shifts), user.id, now);
    if (!slot || slot.primary !== user.id || slot.endsAt.getTime() - now.getTime() > WRITE_BEFORE_END_MS) return [];
    const existing = await findHandoverOf(db, slot.day, slot.shiftId);
    if (existing?.submitted_at) return [];
    const shiftName = shifts.find((s) => s.id === slot.shiftId)?.name ?? '';
    return [
      {
        id: `handover.write:${slot.day}:${slot.shiftId}`,
        kind: 'handover.write' as const,
        params: { shiftName },
        caseId: null,
        caseNumber: null,
        title: '',
        dueAt: slot.endsAt.toISOString(),
        overdue: slot.endsAt.getTime() < now.getTime(),
        link: '/handover',
      },
    ];
  },
};

/** Handovers handed to the user, to accept: due 30 minutes into their shift (then the leader on duty hears). */
const handoverToAccept: TodoSource = {
  kind: 'handover.accept',
  roles: ['duty'],
  async load({ db, user, now }) {
    const rows = await handoversToAccept(db, user.id);
    return rows.map((h) => {
      const due = h.next_starts_at ? new Date(h.next_starts_at.getTime() + HANDOVER_ACCEPT_MS) : null;
      return {
        id: `handover.accept:${h.id}`,
        kind: 'handover.accept' as const,
        params: { shiftName: h.shift_name, fromName: h.from_name ?? '' },
        caseId: null,
        caseNumber: null,
        title: '',
        dueAt: due ? due.toISOString() : null,
        overdue: due !== null && due.getTime() < now.getTime(),
        link: '/handover',
      };
    });
  },
};

/** 退回交办 waiting for the duty officers: reassign (改派) or overrule. */
const declinedCases: TodoSource = {
  kind: 'case.declined',
  roles: ['duty'],
  async load({ db }) {
    const rows = await openDeclines(db, 100);
    return rows.map((d) => ({
      id: `case.declined:${d.case_id}`,
      kind: 'case.declined' as const,
      params: { department: d.department_name, reason: d.reason, declinedAt: d.declined_at.toISOString() },
      caseId: d.case_id,
      caseNumber: d.case_number,
      title: d.case_title,
      dueAt: null,
      overdue: false,
      link: `/cases/${d.case_id}`,
    }));
  },
};

const noticesToIssue: TodoSource = {
  kind: 'notice.issue',
  roles: ['reviewer'],
  async load({ db }) {
    const rows = await repo.noticesToIssue(db);
    return rows.map((r) => ({
      id: `notice.issue:${r.id}`,
      kind: 'notice.issue' as const,
      params: { generatedAt: r.generated_at.toISOString() },
      caseId: null,
      caseNumber: null,
      title: r.title,
      dueAt: null,
      overdue: false,
      link: '/reports',
    }));
  },
};

/** 审批链: responses waiting at the signed-in leader's step (分管领导 for leaders in charge, 主要领导 for principals). */
const leaderApprovals: TodoSource = {
  kind: 'response.leader_approval',
  roles: ['leader'],
  async load(ctx) {
    const rank = ctx.user.leaderRank;
    if (rank === null) return [];
    const step = rank === 'in_charge' ? 'leader_in_charge' : 'principal_leader';
    return caseSource('response.leader_approval', ['leader'], (db, v) => repo.responsesAtLeaderStep(db, v, step), { part: 'responses' }).load(ctx);
  },
};

export const TODO_SOURCES: readonly TodoSource[] = [
  untriagedAlerts,
  unacknowledgedPushes,
  handoverToWrite,
  handoverToAccept,
  declinedCases,
  caseSource('case.needs_draft', ['handler'], repo.casesNeedingDraft, { part: 'responses' }),
  caseSource('response.returned', ['handler'], repo.returnedDrafts, { part: 'responses', params: (r) => ({ comment: r.extra ?? '' }) }),
  caseSource('response.publish', ['handler'], repo.approvedToPublish, { part: 'responses' }),
  caseSource('case.follow_up', ['handler'], repo.followUpsDue, { part: 'follow-up' }),
  caseSource('instruction.report', ['handler'], repo.instructionsToReport, { part: 'instructions', params: (r) => ({ content: r.extra ?? '' }) }),
  caseSource('response.countersign', ['handler'], repo.responsesToCountersign, { part: 'responses' }),
  caseSource('case.verify', ['handler'], repo.forwardedToVerify, { part: 'forwarding' }),
  caseSource('case.forward_feedback', ['handler'], repo.forwardFeedbackDue, { part: 'forwarding', params: (r) => ({ note: r.extra ?? '' }) }),
  caseSource('case.callback', ['handler'], repo.callbacksDue, { part: 'callbacks' }),
  caseSource('case.callback_dissatisfied', ['handler'], repo.dissatisfiedCallbacks, { part: 'callbacks', params: (r) => ({ note: r.extra ?? '' }) }),
  caseSource('response.review', ['reviewer'], repo.responsesToReview, { part: 'responses' }),
  noticesToIssue,
  caseSource('obligation.breached', ['leader'], repo.breaches, { params: (r) => ({ kind: r.extra ?? '' }) }),
  caseSource('report_up.read', ['leader'], repo.unreadReportsUp),
  leaderApprovals,
];
