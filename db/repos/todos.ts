import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../client.js';
import { viewerSeesCase, type Viewer } from './case-access.js';

// 我的待办: one statement per to-do source (services/todos/sources.ts). Every case-bound read is
// scoped with viewerSeesCase, the ledger's rule, and a handler's reads with their department.

/** A to-do about a case: `ref_id` names the thing to act on (a response, an instruction …). */
export interface CaseTodoRow {
  case_id: string;
  case_number: string;
  case_title: string;
  ref_id: string;
  due_at: Date | null;
  /** A text the row shows (a reviewer's comment, the instruction, the obligation kind). */
  extra: string | null;
}

type TodoViewer = Pick<Viewer, 'id' | 'role' | 'departmentId'>;

const LIMIT = 200;

/** Due of the case's open response obligation, else its earliest open one. */
const CASE_DUE = sql`coalesce(
  (select min(o.due_at) from obligations o where o.case_id = c.id and o.status = 'open' and o.kind = 'response'),
  (select min(o.due_at) from obligations o where o.case_id = c.id and o.status = 'open'))`;

/** The viewer's department as lead (谁主管谁负责): the department that drafts, publishes and reports. */
const leadIs = (v: TodoViewer) => sql`c.lead_department_id = ${v.departmentId ?? -1}`;

async function caseRows(db: Db, v: TodoViewer, q: { select: RawBuilder<unknown>; from: RawBuilder<unknown>; where: RawBuilder<unknown> }): Promise<CaseTodoRow[]> {
  const r = await sql<CaseTodoRow>`
    select c.id::text as case_id, c.number as case_number, c.title as case_title, ${q.select}
    from ${q.from}
    where ${viewerSeesCase(v, 'c')} and ${q.where}
    order by due_at nulls last, c.id
    limit ${LIMIT}`.execute(db);
  return r.rows;
}

/** New alerts not yet triaged: how many, and since when the oldest waits. */
export async function untriagedAlerts(db: Db): Promise<{ count: number; oldest_at: Date | null }> {
  const r = await sql<{ count: number; oldest_at: Date | null }>`
    select count(*)::int as count, min(created_at) as oldest_at from alerts where status = 'new'`.execute(db);
  return r.rows[0] ?? { count: 0, oldest_at: null };
}

/** Open cases of the handler's department (as lead) with no response at all yet. */
export function casesNeedingDraft(db: Db, v: TodoViewer): Promise<CaseTodoRow[]> {
  return caseRows(db, v, {
    select: sql`c.id::text as ref_id, ${CASE_DUE} as due_at, null as extra`,
    from: sql`cases c`,
    where: sql`c.status = 'open' and ${leadIs(v)} and not exists (select 1 from responses r where r.case_id = c.id)`,
  });
}

/** Drafts the reviewer returned to the person who drafted them, with the comment. */
export function returnedDrafts(db: Db, v: TodoViewer): Promise<CaseTodoRow[]> {
  return caseRows(db, v, {
    select: sql`r.id::text as ref_id, ${CASE_DUE} as due_at, r.review_comment as extra`,
    from: sql`responses r join cases c on c.id = r.case_id`,
    where: sql`r.status = 'returned' and r.drafted_by = ${v.id} and c.status <> 'closed'`,
  });
}

/** Approved responses of the handler's department (as lead), waiting to be published. */
export function approvedToPublish(db: Db, v: TodoViewer): Promise<CaseTodoRow[]> {
  return caseRows(db, v, {
    select: sql`r.id::text as ref_id, ${CASE_DUE} as due_at, null as extra`,
    from: sql`responses r join cases c on c.id = r.case_id`,
    where: sql`r.status = 'approved' and ${leadIs(v)} and c.status <> 'closed'`,
  });
}

/** Responded cases of the handler's department in their follow-up window: feedback and closing due. */
export function followUpsDue(db: Db, v: TodoViewer): Promise<CaseTodoRow[]> {
  return caseRows(db, v, {
    select: sql`c.id::text as ref_id, c.follow_up_until as due_at, null as extra`,
    from: sql`cases c`,
    where: sql`c.status = 'responded' and ${leadIs(v)}`,
  });
}

/** Leaders' instructions on cases of the handler's department (as lead) not yet reported on. */
export function instructionsToReport(db: Db, v: TodoViewer): Promise<CaseTodoRow[]> {
  return caseRows(db, v, {
    select: sql`i.id::text as ref_id, o.due_at as due_at, i.content as extra`,
    from: sql`instructions i join cases c on c.id = i.case_id left join obligations o on o.id = i.obligation_id`,
    where: sql`i.reported_at is null and ${leadIs(v)} and c.status <> 'closed'`,
  });
}

/** Submitted responses waiting for review (发布审核), never the reviewer's own. */
export function responsesToReview(db: Db, v: TodoViewer): Promise<CaseTodoRow[]> {
  return caseRows(db, v, {
    select: sql`r.id::text as ref_id, ${CASE_DUE} as due_at, null as extra`,
    from: sql`responses r join cases c on c.id = r.case_id`,
    where: sql`r.status = 'submitted' and c.status <> 'closed' and r.approval_chain[r.approval_step + 1] = 'reviewer' and cardinality(r.countersign_pending) = 0
      and coalesce(r.drafted_by, -1) <> ${v.id} and coalesce(r.submitted_by, -1) <> ${v.id} and coalesce(r.edited_by, -1) <> ${v.id}`,
  });
}

/** 审批链: submitted responses waiting at a leader's step of this kind (分管 / 主要领导), never the leader's own. */
export function responsesAtLeaderStep(db: Db, v: TodoViewer, step: 'leader_in_charge' | 'principal_leader'): Promise<CaseTodoRow[]> {
  return caseRows(db, v, {
    select: sql`r.id::text as ref_id, ${CASE_DUE} as due_at, null as extra`,
    from: sql`responses r join cases c on c.id = r.case_id`,
    where: sql`r.status = 'submitted' and c.status <> 'closed' and r.approval_chain[r.approval_step + 1] = ${step} and cardinality(r.countersign_pending) = 0
      and coalesce(r.drafted_by, -1) <> ${v.id} and coalesce(r.edited_by, -1) <> ${v.id}`,
  });
}

/** 会签: submitted responses waiting for the handler's department (a co-department) to sign off. */
export function responsesToCountersign(db: Db, v: TodoViewer): Promise<CaseTodoRow[]> {
  return caseRows(db, v, {
    select: sql`r.id::text as ref_id, ${CASE_DUE} as due_at, null as extra`,
    from: sql`responses r join cases c on c.id = r.case_id`,
    where: sql`r.status = 'submitted' and c.status <> 'closed' and ${v.departmentId ?? -1} = any(r.countersign_pending)`,
  });
}

/** Forwarded opinions of the handler's department (as lead) not yet verified (核实). */
export function forwardedToVerify(db: Db, v: TodoViewer): Promise<CaseTodoRow[]> {
  return caseRows(db, v, {
    select: sql`c.id::text as ref_id, ${CASE_DUE} as due_at, null as extra`,
    from: sql`cases c`,
    where: sql`c.status = 'open' and ${leadIs(v)} and c.origin in ('cyberspace_office', 'government_office') and c.verification is null`,
  });
}

/** Open 向转办单位反馈办理情况 obligations of the handler's department (as lead); extra: the obligation's note. */
export function forwardFeedbackDue(db: Db, v: TodoViewer): Promise<CaseTodoRow[]> {
  return caseRows(db, v, {
    select: sql`o.id::text as ref_id, o.due_at as due_at, o.note as extra`,
    from: sql`obligations o join cases c on c.id = o.case_id`,
    where: sql`o.kind = 'forward_feedback' and o.status = 'open' and ${leadIs(v)} and c.status <> 'closed'`,
  });
}

/** 回访 owed: hotline / mailbox cases of the handler's department (as lead) whose latest reply was published after the latest 回访 (or none). */
export function callbacksDue(db: Db, v: TodoViewer): Promise<CaseTodoRow[]> {
  return caseRows(db, v, {
    select: sql`c.id::text as ref_id, null::timestamptz as due_at, null as extra`,
    from: sql`cases c`,
    where: sql`c.origin in ('hotline', 'mailbox') and c.status <> 'closed' and ${leadIs(v)}
      and exists (select 1 from responses r where r.case_id = c.id and r.status = 'published'
        and r.published_at > coalesce((select max(k.called_at) from case_callbacks k where k.case_id = c.id), '-infinity'::timestamptz))`,
  });
}

/**
 * 回访不满意: hotline / mailbox cases of the handler's department (as lead) whose latest 回访 was 不满意
 * and no reply has been drafted since it was recorded — handle it again (a new reply, then another
 * 回访) or, when the office decides not to, close the case with its reason.
 */
export function dissatisfiedCallbacks(db: Db, v: TodoViewer): Promise<CaseTodoRow[]> {
  return caseRows(db, v, {
    select: sql`k.id::text as ref_id, null::timestamptz as due_at, k.note as extra`,
    from: sql`cases c join lateral (select x.id, x.result, x.note, x.recorded_at from case_callbacks x where x.case_id = c.id order by x.called_at desc, x.id desc limit 1) k on true`,
    where: sql`c.origin in ('hotline', 'mailbox') and c.status <> 'closed' and ${leadIs(v)} and k.result = 'dissatisfied'
      and not exists (select 1 from responses r where r.case_id = c.id and r.drafted_at > k.recorded_at)`,
  });
}

/** Open obligations past their due time (breaches) on cases not closed. */
export function breaches(db: Db, v: TodoViewer, now: Date): Promise<CaseTodoRow[]> {
  return caseRows(db, v, {
    select: sql`o.id::text as ref_id, o.due_at as due_at, o.kind as extra`,
    from: sql`obligations o join cases c on c.id = o.case_id`,
    where: sql`o.status = 'open' and o.due_at < ${now} and c.status <> 'closed'`,
  });
}

/** Reports up (上报) addressed to the viewer and not read yet (their notification unread). */
export function unreadReportsUp(db: Db, v: TodoViewer): Promise<CaseTodoRow[]> {
  return caseRows(db, v, {
    select: sql`n.id::text as ref_id, null::timestamptz as due_at, n.title as extra`,
    from: sql`notifications n join cases c on c.id = n.case_id`,
    where: sql`n.user_id = ${v.id} and n.kind = 'case.report_up' and n.read_at is null`,
  });
}

/** Notices (周通报 and the other periods) generated and not yet issued. */
export async function noticesToIssue(db: Db): Promise<{ id: string; title: string; generated_at: Date }[]> {
  const r = await sql<{ id: string; title: string; generated_at: Date }>`
    select id::text, title, generated_at from reports where status = 'draft' order by period_from, id limit ${LIMIT}`.execute(db);
  return r.rows;
}
