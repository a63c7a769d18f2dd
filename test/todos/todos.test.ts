import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiFixture, type ApiFixture } from '../helpers/app.js';
import { sessionFor } from '../helpers/auth.js';
import type { Office } from '../helpers/factories.js';

// GET /api/todos through the real app: each role's rows, ordered by urgency, scoped like the ledger.

const H = 3_600_000;
const NOW = new Date('2026-12-07T02:00:00Z');
const at = (hours: number) => new Date(NOW.getTime() + hours * H);

interface Todo {
  id: string;
  kind: string;
  params: Record<string, string | number>;
  caseId: string | null;
  caseNumber: string | null;
  title: string;
  dueAt: string | null;
  overdue: boolean;
  link: string;
}

let f: ApiFixture;
let o: Office;
let coHandler: number;
let drafter: number;
const cases: Record<string, string> = {};

async function todosOf(userId: number | null): Promise<{ status: number; todos: Todo[]; count: number }> {
  const res = await f.requestAs(userId === null ? null : await sessionFor(f.db, { id: userId }, NOW), 'GET', '/api/todos');
  const body = (await res.json()) as { todos?: Todo[]; count?: number };
  return { status: res.status, todos: body.todos ?? [], count: body.count ?? -1 };
}

async function response(caseId: string, status: 'draft' | 'submitted' | 'approved' | 'returned', by: number, comment = ''): Promise<string> {
  const r = await f.db
    .insertInto('responses')
    .values({ case_id: caseId, status, body: '回应稿', drafted_by: by, submitted_by: status === 'draft' ? null : by, review_comment: comment })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

beforeAll(async () => {
  f = await createApiFixture('todos', { now: () => NOW });
  o = await f.newOffice();
  const co = (await f.newDepartment({ name: '协办局' })).id;
  coHandler = (await f.newUser({ role: 'handler', departmentId: co })).id;
  drafter = o.handler;
  const mk = async (key: string, startedHoursAgo: number, hours = 48) =>
    (cases[key] = (await f.newCase({ lead: o.dept, co: [co], clockStartedAt: at(-startedHoursAgo), title: `待办-${key}`, obligations: [{ kind: 'response', hours }] })).id);
  await mk('fresh', 1); // due in 47 h, no draft
  await mk('late', 50); // due 2 h ago, no draft: overdue
  await mk('returned', 10);
  await response(cases.returned!, 'returned', drafter, '数据需核实后再报');
  await mk('approved', 20);
  await response(cases.approved!, 'approved', drafter);
  await mk('submitted', 30);
  await response(cases.submitted!, 'submitted', drafter);
  await mk('responded', 40);
  await f.db.updateTable('cases').set({ status: 'responded', responded_at: at(-5), follow_up_until: at(67) }).where('id', '=', cases.responded!).execute();
  // Another department's case: nobody of o.dept sees it as theirs.
  cases.other = (await f.newCase({ lead: o.otherDept, clockStartedAt: at(-60), title: '待办-外单位' })).id;
  // A leader's instruction with a time limit on the fresh case.
  const leader = await sessionFor(f.db, { id: o.leaderInCharge }, NOW);
  const ins = await f.requestAs(leader, 'POST', `/api/cases/${cases.fresh}/instructions`, { content: '请尽快核实', reportWithinHours: 6 });
  expect(ins.status).toBe(201);
  // A report up addressed to the leader, unread.
  await f.db.insertInto('notifications').values({ user_id: o.leaderInCharge, case_id: cases.submitted!, kind: 'case.report_up', title: '【上报】', body: '' }).execute();
  await f.newAlert({ title: '待研判预警一', firstSeen: at(-3) });
  await f.newAlert({ title: '待研判预警二', firstSeen: at(-1) });
});
afterAll(async () => {
  await f.tdb.drop();
});

describe('GET /api/todos', () => {
  it("lists a handler's work, overdue first, then by due time, each with its link", async () => {
    const { status, todos, count } = await todosOf(o.handler);
    expect(status).toBe(200);
    expect(count).toBe(todos.length);
    const rows = todos.map((t) => `${t.kind} ${t.title}`);
    expect(rows).toEqual([
      'case.needs_draft 待办-late',
      'instruction.report 待办-fresh',
      'response.publish 待办-approved',
      'response.returned 待办-returned',
      'case.needs_draft 待办-fresh',
      'case.follow_up 待办-responded',
    ]);
    expect(todos[0]).toMatchObject({ overdue: true, caseId: cases.late, link: `/cases/${cases.late}#responses` });
    expect(todos.find((t) => t.kind === 'response.returned')!.params).toEqual({ comment: '数据需核实后再报' });
    expect(todos.find((t) => t.kind === 'instruction.report')).toMatchObject({ dueAt: at(6).toISOString(), params: { content: '请尽快核实' } });
    expect(todos.every((t) => t.caseNumber !== null && t.caseNumber.startsWith('YQ'))).toBe(true);
  });

  it('lists the review queue (never their own), breaches and unread reports up, and the untriaged alerts', async () => {
    const reviewer = await todosOf(o.reviewer);
    expect(reviewer.todos.map((t) => `${t.kind} ${t.title}`)).toEqual(['response.review 待办-submitted']);
    const self = await f.newUser({ role: 'reviewer' });
    await response(cases.fresh!, 'submitted', self.id);
    expect((await todosOf(self.id)).todos.map((t) => t.title)).toEqual(['待办-submitted']);

    const leader = await todosOf(o.leaderInCharge);
    const breached = leader.todos.filter((t) => t.kind === 'obligation.breached');
    expect(breached.map((t) => t.title).sort()).toEqual(['待办-外单位', '待办-late'].sort());
    expect(breached.every((t) => t.overdue && t.params.kind === 'response')).toBe(true);
    expect(leader.todos.filter((t) => t.kind === 'report_up.read').map((t) => t.title)).toEqual(['待办-submitted']);
    expect(leader.todos.slice(0, 2).every((t) => t.overdue)).toBe(true);

    const duty = await todosOf(o.duty);
    expect(duty.todos).toHaveLength(1);
    expect(duty.todos[0]).toMatchObject({ kind: 'alerts.untriaged', link: '/desk', params: { count: 2, oldestAt: expect.any(String) } });
    expect((await todosOf(o.admin)).todos).toEqual([]);
  });

  it('shows a handler nothing of another department, and a co-department nothing that is the lead\'s', async () => {
    const other = await todosOf(o.otherHandler);
    expect(other.todos.map((t) => t.title)).toEqual(['待办-外单位']);
    expect(other.todos.every((t) => t.caseId === cases.other)).toBe(true);
    expect((await todosOf(coHandler)).todos).toEqual([]);
    const unassigned = await f.newUser({ role: 'handler', departmentId: null });
    expect((await todosOf(unassigned.id)).todos).toEqual([]);
    expect((await todosOf(null)).status).toBe(401);
  });

  it('drops a row once it is done', async () => {
    const before = (await todosOf(o.handler)).todos.find((t) => t.kind === 'instruction.report')!;
    const iid = before.id.split(':')[1];
    const res = await f.requestAs(await sessionFor(f.db, { id: o.handler }, NOW), 'POST', `/api/cases/${cases.fresh}/instructions/${iid}/report`, { content: '已核实' });
    expect(res.status).toBe(200);
    expect((await todosOf(o.handler)).todos.some((t) => t.kind === 'instruction.report')).toBe(false);
  });
});
