import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../core/workflow/index.js';
import { sweepDueSteps } from '../../worker/jobs/cases.sweep.js';
import { createApiFixture, errorOf, type ApiFixture } from '../helpers/app.js';
import { sessionFor, type SignedIn } from '../helpers/auth.js';
import type { Office } from '../helpers/factories.js';

// 领导批示 through the real app: a leader's instruction with a time limit owes an
// instruction_report obligation; the lead department's report meets it (on time), or the sweep
// breaches it (injected clock). Role and department security cases.

const H = 3_600_000;
const T0 = new Date('2026-12-07T01:00:00Z'); // 09:00 Beijing time
let clock = T0;
let f: ApiFixture;
let o: Office;
let coDept: number;
let coHandler: number;

const at = (hours: number) => new Date(T0.getTime() + hours * H);
/** A fresh session at the current clock (sessions expire when idle). */
async function as(userId: number): Promise<SignedIn> {
  return sessionFor(f.db, { id: userId }, clock);
}
async function send(userId: number, method: string, path: string, body?: unknown): Promise<Response> {
  return f.requestAs(await as(userId), method, path, body);
}
async function newCase(title: string): Promise<string> {
  return (await f.newCase({ lead: o.dept, co: [coDept], clockStartedAt: at(-1), title })).id;
}
const obligations = (caseId: string) =>
  f.db.selectFrom('obligations').selectAll().where('case_id', '=', caseId).where('kind', '=', 'instruction_report').orderBy('seq').execute();
const notesOf = (userId: number, caseId: string) =>
  f.db.selectFrom('notifications').selectAll().where('user_id', '=', userId).where('case_id', '=', caseId).orderBy('id').execute();
const actions = async (caseId: string) =>
  (await f.db.selectFrom('audit_log').select('action').where('case_id', '=', caseId).orderBy('id').execute()).map((r) => r.action);

beforeAll(async () => {
  f = await createApiFixture('instructions', { now: () => clock });
  o = await f.newOffice();
  coDept = (await f.newDepartment({ name: '协办局' })).id;
  coHandler = (await f.newUser({ role: 'handler', departmentId: coDept })).id;
});
afterAll(async () => {
  await f.tdb.drop();
});

describe('leader instructions (领导批示)', () => {
  it('a time-limited instruction notifies the lead department, and a report in time meets its obligation', async () => {
    clock = T0;
    const id = await newCase('批示按时报告');
    const res = await send(o.leaderInCharge, 'POST', `/api/cases/${id}/instructions`, { content: '请迅速核实，妥善回应。', reportWithinHours: 4 });
    expect(res.status).toBe(201);
    const ins = (await res.json()) as { id: string; dueAt: string; report: unknown; obligationId: string };
    expect(ins.dueAt).toBe(at(4).toISOString());
    expect(ins.report).toBeNull();
    const [ob] = await obligations(id);
    expect(ob).toMatchObject({ status: 'open', window_hours: 4, id: ins.obligationId });
    expect(ob!.due_at.toISOString()).toBe(at(4).toISOString());
    expect(ob!.next_step_at).not.toBeNull();

    // The lead department's handlers are told (in Beijing time, no ISO string); the co-department is not.
    const [note] = await notesOf(o.handler, id);
    expect(note).toMatchObject({ kind: 'instruction.created_due' });
    expect(note!.title).toContain('【领导批示】');
    expect(note!.body).toContain('请于 12月7日 13:00 前报告办理情况');
    expect(note!.body).not.toMatch(/T\d\d:\d\d/);
    expect(await notesOf(coHandler, id)).toHaveLength(0);

    // Everyone who sees the case sees the instruction.
    const list = await send(coHandler, 'GET', `/api/cases/${id}/instructions`);
    expect(list.status).toBe(200);
    expect(((await list.json()) as { instructions: unknown[] }).instructions).toHaveLength(1);

    clock = at(2);
    const rep = await send(o.handler, 'POST', `/api/cases/${id}/instructions/${ins.id}/report`, { content: '已约谈施工单位，夜间停工。' });
    expect(rep.status).toBe(200);
    expect(((await rep.json()) as { report: { onTime: boolean; content: string } }).report).toMatchObject({ onTime: true, content: '已约谈施工单位，夜间停工。' });
    const [met] = await obligations(id);
    expect(met).toMatchObject({ status: 'met', on_time: true, met_by: `instruction:${ins.id}` });
    expect((await notesOf(o.leaderInCharge, id)).map((n) => n.kind)).toEqual(['instruction.reported']);
    expect(await actions(id)).toEqual(['obligation.create', 'instruction.create', 'obligation.met', 'instruction.report']);

    // A second report is refused; the sweep long after the due time fires nothing for it.
    const again = await send(o.handler, 'POST', `/api/cases/${id}/instructions/${ins.id}/report`, { content: '再次报告' });
    expect(again.status).toBe(409);
    clock = at(30);
    await sweepDueSteps(f.db, clock, { quiet: null, policies: DEFAULT_POLICY });
    const fires = await f.db.selectFrom('escalation_fires').select('step_id').where('obligation_id', '=', ins.obligationId).execute();
    expect(fires).toEqual([]);
  });

  it('an instruction not reported on in time is breached by the sweep and shows as overdue in the ledger', async () => {
    clock = T0;
    const id = await newCase('批示超时');
    const ins = (await (await send(o.principal, 'POST', `/api/cases/${id}/instructions`, { content: '请今日内报告。', reportWithinHours: 2 })).json()) as {
      id: string;
      obligationId: string;
    };
    clock = at(3);
    await sweepDueSteps(f.db, clock, { quiet: null, policies: DEFAULT_POLICY });
    const fires = await f.db.selectFrom('escalation_fires').select('step_id').where('obligation_id', '=', ins.obligationId).orderBy('step_id').execute();
    expect(fires.map((x) => x.step_id)).toContain('breach');
    const breachNotes = (await notesOf(o.leaderInCharge, id)).filter((n) => n.urgent);
    expect(breachNotes.length).toBeGreaterThan(0);
    const ledger = (await (await send(o.leaderInCharge, 'GET', '/api/cases?overdue=true')).json()) as { cases: { id: string }[] };
    expect(ledger.cases.map((c) => c.id)).toContain(id);

    clock = at(4);
    const rep = await send(o.handler, 'POST', `/api/cases/${id}/instructions/${ins.id}/report`, { content: '迟报：已处理完毕。' });
    expect(rep.status).toBe(200);
    expect(((await rep.json()) as { report: { onTime: boolean } }).report.onTime).toBe(false);
    expect((await obligations(id))[0]).toMatchObject({ status: 'met', on_time: false });
  });

  it('an instruction without a time limit owes nothing, and re-levelling keeps a time limit', async () => {
    clock = T0;
    const id = await newCase('批示无时限');
    const res = await send(o.leaderInCharge, 'POST', `/api/cases/${id}/instructions`, { content: '阅。' });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { dueAt: string | null }).dueAt).toBeNull();
    expect(await obligations(id)).toHaveLength(0);
    expect((await notesOf(o.handler, id))[0]).toMatchObject({ kind: 'instruction.created' });

    await send(o.leaderInCharge, 'POST', `/api/cases/${id}/instructions`, { content: '请报告。', reportWithinHours: 6 });
    const patch = await f.request('PATCH', `/api/cases/${id}`, { level: 'significant', reason: '影响扩大' });
    expect(patch.status).toBe(200);
    expect((await obligations(id)).map((x) => x.status)).toEqual(['open']);
  });

  it('refuses other roles, other departments, a co-department, bad input and a closed case', async () => {
    clock = T0;
    const id = await newCase('批示安全');
    const other = await newCase('批示安全另案');
    const body = { content: '请核实。', reportWithinHours: 3 };
    for (const who of [o.handler, o.reviewer, o.duty, o.admin]) {
      expect((await send(who, 'POST', `/api/cases/${id}/instructions`, body)).status).toBe(403);
    }
    for (const bad of [{ content: '' }, { content: '请核实', reportWithinHours: 0 }, { content: '请核实', reportWithinHours: 1.5 }, { content: '请核实', extra: 1 }]) {
      const r = await send(o.leaderInCharge, 'POST', `/api/cases/${id}/instructions`, bad);
      expect(r.status).toBe(400);
      expect((await errorOf(r)).code).toBe('VALIDATION');
    }
    const ins = (await (await send(o.leaderInCharge, 'POST', `/api/cases/${id}/instructions`, body)).json()) as { id: string };
    const report = (path: string, who: number) => send(who, 'POST', path, { content: '办理情况' });
    const path = `/api/cases/${id}/instructions/${ins.id}/report`;

    // A handler of another department: the case does not exist for them.
    expect((await send(o.otherHandler, 'GET', `/api/cases/${id}/instructions`)).status).toBe(404);
    expect((await report(path, o.otherHandler)).status).toBe(404);
    // The co-department sees the case but the lead department reports.
    const co = await report(path, coHandler);
    expect(co.status).toBe(403);
    expect((await errorOf(co)).code).toBe('FORBIDDEN');
    // Only handlers report.
    expect((await report(path, o.leaderInCharge)).status).toBe(403);
    // An instruction id of another case is not reachable through this one.
    expect((await report(`/api/cases/${other}/instructions/${ins.id}/report`, o.handler)).status).toBe(404);
    expect((await report(`/api/cases/${id}/instructions/999999/report`, o.handler)).status).toBe(404);
    expect(await notesOf(o.leaderInCharge, id)).toHaveLength(0);
    expect((await obligations(id))[0]!.status).toBe('open');

    await f.db.updateTable('cases').set({ status: 'closed', closed_at: T0 }).where('id', '=', id).execute();
    expect((await send(o.leaderInCharge, 'POST', `/api/cases/${id}/instructions`, body)).status).toBe(409);
    expect((await report(path, o.handler)).status).toBe(409);
  });
});
