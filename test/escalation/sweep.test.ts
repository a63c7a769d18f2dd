import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { DEFAULT_POLICY } from '../../core/workflow/index.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { lockCase } from '../../db/repos/case-access.js';
import { writeAudit } from '../../db/repos/audit.js';
import { maxLeadHours, parseQuietHours, sweepDueSteps } from '../../worker/jobs/cases.sweep.js';
import type { AppEvent } from '../../platform/queues.js';
import { HOUR, count, fires, makeCase, makeDept, makeObligation, makeOffice, makeUser } from './fixtures.js';

let t: TestDb;
let office: Awaited<ReturnType<typeof makeOffice>>;
const T0 = new Date('2026-11-02T02:00:00Z'); // Monday 10:00 in Shanghai
const at = (h: number) => new Date(T0.getTime() + h * HOUR);
const opts = { quiet: null, policies: DEFAULT_POLICY };

beforeAll(async () => {
  t = await createTestDb('escsweep');
  office = await makeOffice(t.db);
});
afterAll(async () => {
  await t?.drop();
});

async function recipients(obligationId: string, stepId: string): Promise<number[]> {
  const r = await sql<{ after: { recipients: number[] } }>`
    select after from audit_log where action = 'escalation.fire' and entity_id = ${obligationId} and after->>'stepId' = ${stepId}`.execute(t.db);
  expect(r.rows).toHaveLength(1);
  return r.rows[0].after.recipients;
}

describe('cases.sweep: steps fire at the right times', () => {
  it('a general case walks the default ladder: 50 % → handlers, 12 h before → reviewer, due → leader in charge, +24 h → principal', async () => {
    const caseId = await makeCase(t.db, { leadDepartmentId: office.dept, openedAt: T0 });
    const ob = await makeObligation(t.db, caseId, { startedAt: T0, hours: 48 });
    const table: [number, string[]][] = [
      [0, []],
      [23.99, []],
      [24, ['remind-50']],
      [35.99, ['remind-50']],
      [36, ['remind-50', 'warn-12h']],
      [47.99, ['remind-50', 'warn-12h']],
      [48, ['remind-50', 'warn-12h', 'breach']],
      [71.99, ['remind-50', 'warn-12h', 'breach']],
      [72, ['remind-50', 'warn-12h', 'breach', 'breach-24h']],
      [200, ['remind-50', 'warn-12h', 'breach', 'breach-24h']],
    ];
    for (const [h, expected] of table) {
      await sweepDueSteps(t.db, at(h), opts);
      expect(await fires(t.db, ob), `at +${h} h`).toEqual(expected);
    }
    expect(new Set(await recipients(ob, 'remind-50'))).toEqual(new Set([office.handler, office.head]));
    expect(await recipients(ob, 'warn-12h')).toEqual([office.reviewer]);
    expect(await recipients(ob, 'breach')).toEqual([office.leaderInCharge]);
    expect(await recipients(ob, 'breach-24h')).toEqual([office.principal]);
    // Each fire: its notices, one audit row by the system; the breach notice is marked as such.
    const notes = await t.db.selectFrom('notifications').select(['user_id', 'kind', 'title', 'urgent']).where('case_id', '=', caseId).execute();
    expect(notes).toHaveLength(5);
    expect(notes.find((n) => n.user_id === office.leaderInCharge)).toMatchObject({ kind: 'breach', urgent: true });
    expect(notes.find((n) => n.user_id === office.reviewer)?.title).toMatch(/12小时后到期/);
    const audit = await sql<{ actor_id: number | null; actor_name: string }>`select actor_id, actor_name from audit_log where case_id = ${caseId}`.execute(t.db);
    expect(audit.rows).toHaveLength(4);
    expect(audit.rows.every((r) => r.actor_id === null && r.actor_name === 'system')).toBe(true);
    // The obligation itself is untouched: on time / late is decided when it is met.
    const row = await t.db.selectFrom('obligations').select(['status', 'on_time']).where('id', '=', ob).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'open', on_time: null });
  });

  it('a case with a draft skips the no-draft reminder; a late-registered case catches up in one sweep, each step once', async () => {
    const withDraft = await makeCase(t.db, { leadDepartmentId: office.dept, openedAt: T0 });
    const ob1 = await makeObligation(t.db, withDraft, { startedAt: T0, hours: 48 });
    await t.db.insertInto('responses').values({ case_id: withDraft, body: '草稿' }).execute();
    const late = await makeCase(t.db, { leadDepartmentId: office.dept, openedAt: T0 });
    const ob2 = await makeObligation(t.db, late, { startedAt: T0, hours: 48 });
    await sweepDueSteps(t.db, at(40), opts);
    expect(await fires(t.db, ob1)).toEqual(['warn-12h']);
    await sweepDueSteps(t.db, at(80), opts);
    expect(await fires(t.db, ob1)).toEqual(['warn-12h', 'breach', 'breach-24h']);
    expect((await fires(t.db, ob2)).sort()).toEqual(['breach', 'breach-24h', 'remind-50', 'warn-12h']);
  });

  it('major cases: the 1 h report warns at 30 min, breaches at 1 h; every notice is urgent', async () => {
    const caseId = await makeCase(t.db, { level: 'major', category: 'emergency', leadDepartmentId: office.dept, openedAt: T0 });
    const ob = await makeObligation(t.db, caseId, { kind: 'report', startedAt: T0, hours: 1 });
    await sweepDueSteps(t.db, at(0.49), opts);
    expect(await fires(t.db, ob)).toEqual([]);
    await sweepDueSteps(t.db, at(0.5), opts);
    expect((await fires(t.db, ob)).sort()).toEqual(['remind-50', 'warn-12h']);
    await sweepDueSteps(t.db, at(1), opts);
    expect(await fires(t.db, ob)).toContain('breach');
    const notes = await t.db.selectFrom('notifications').select('urgent').where('case_id', '=', caseId).execute();
    expect(notes.length).toBeGreaterThan(0);
    expect(notes.every((n) => n.urgent)).toBe(true);
  });

  it('met obligations, cancelled ones and closed cases never escalate', async () => {
    const met = await makeCase(t.db, { leadDepartmentId: office.dept, openedAt: T0 });
    const obMet = await makeObligation(t.db, met, { startedAt: T0, hours: 48 });
    await t.db.updateTable('obligations').set({ status: 'met', met_at: at(1), on_time: true }).where('id', '=', obMet).execute();
    const cancelled = await makeCase(t.db, { leadDepartmentId: office.dept, openedAt: T0 });
    const obCancelled = await makeObligation(t.db, cancelled, { startedAt: T0, hours: 48 });
    await t.db.updateTable('obligations').set({ status: 'cancelled' }).where('id', '=', obCancelled).execute();
    const closed = await makeCase(t.db, { leadDepartmentId: office.dept, openedAt: T0, status: 'closed' });
    const obClosed = await makeObligation(t.db, closed, { startedAt: T0, hours: 48 });
    await sweepDueSteps(t.db, at(500), opts);
    expect([...(await fires(t.db, obMet)), ...(await fires(t.db, obCancelled)), ...(await fires(t.db, obClosed))]).toEqual([]);
  });

  it('reads the policy from the policies table (seeded with the defaults) when none is given', async () => {
    const caseId = await makeCase(t.db, { leadDepartmentId: office.dept, openedAt: T0 });
    const ob = await makeObligation(t.db, caseId, { startedAt: T0, hours: 48 });
    await sweepDueSteps(t.db, at(24), { quiet: null });
    expect(await fires(t.db, ob)).toEqual(['remind-50']);
    expect(await count(t.db, sql`select count(*) as n from policies`)).toBeGreaterThan(0);
  });

  it('the candidate range reaches far enough ahead for every default step', () => {
    // 50 % of a 48 h window is due 24 h before due; 12 h warnings are nearer.
    expect(maxLeadHours(DEFAULT_POLICY)).toBe(24);
    expect(parseQuietHours('22-7')).toEqual({ startHour: 22, endHour: 7 });
    expect(parseQuietHours('off')).toBeNull();
  });
});

describe('cases.sweep: targets', () => {
  it('falls back when nobody holds the target role, and records the fallback', async () => {
    const lonely = await makeDept(t.db);
    const head = await makeUser(t.db, { role: 'duty', departmentId: lonely, isDepartmentHead: true });
    const caseId = await makeCase(t.db, { leadDepartmentId: lonely, openedAt: T0 });
    const ob = await makeObligation(t.db, caseId, { startedAt: T0, hours: 48 });
    await sweepDueSteps(t.db, at(24), opts);
    expect(await recipients(ob, 'remind-50')).toEqual([head]);
    const r = await sql<{ fallback: string | null }>`select after->>'fallback' as fallback from audit_log where entity_id = ${ob}`.execute(t.db);
    expect(r.rows[0].fallback).toBe('department_head');
  });

  it('the lead department head target reaches only the head of the lead department', async () => {
    const steps = [{ id: 'head-now', trigger: { type: 'fraction' as const, fraction: 0.1 }, target: 'department_head' as const, urgent: false }];
    const policies = DEFAULT_POLICY.map((r) => ({ ...r, escalationSteps: steps }));
    const caseId = await makeCase(t.db, { leadDepartmentId: office.dept, coDepartmentIds: [office.otherDept], openedAt: T0 });
    const ob = await makeObligation(t.db, caseId, { startedAt: T0, hours: 48 });
    await sweepDueSteps(t.db, at(5), { quiet: null, policies });
    expect(await recipients(ob, 'head-now')).toEqual([office.head]);
  });
});

describe('cases.sweep: exactly once', () => {
  it('four sweepers racing over 300 due obligations fire each step once', async () => {
    await sweepDueSteps(t.db, at(100), opts); // whatever earlier tests left due
    const dept = await makeDept(t.db);
    await makeUser(t.db, { role: 'handler', departmentId: dept });
    const obs: string[] = [];
    for (let i = 0; i < 300; i++) {
      const c = await makeCase(t.db, { leadDepartmentId: dept, openedAt: T0 });
      obs.push(await makeObligation(t.db, c, { startedAt: T0, hours: 48 }));
    }
    const events: AppEvent[] = [];
    const publish = async (ev: AppEvent) => void events.push(ev);
    const results = await Promise.all([1, 2, 3, 4].map(() => sweepDueSteps(t.db, at(100), { ...opts, batchSize: 40, publish })));
    const total = results.reduce((a, r) => a + r.fired, 0);
    const n = await count(t.db, sql`select count(*) as n from escalation_fires where obligation_id = any(${obs}::bigint[])`);
    expect(n).toBe(300 * 4);
    expect(total).toBe(300 * 4);
    const dup = await count(
      t.db,
      sql`select count(*) as n from (select case_id, action, after->>'stepId' from audit_log where entity_id = any(${obs}::text[]) group by 1, 2, 3 having count(*) > 1) d`,
    );
    expect(dup).toBe(0);
    expect(events.filter((e) => e.type === 'notification.created')).toHaveLength(results.reduce((a, r) => a + r.notifications, 0));
    // A fifth sweep afterwards finds nothing to do.
    expect(await sweepDueSteps(t.db, at(100), opts)).toEqual({ fired: 0, notifications: 0 });
  });

  it('a crash inside the transaction after the fire insert rolls everything back; the next sweep fires it once', async () => {
    const caseId = await makeCase(t.db, { leadDepartmentId: office.dept, openedAt: T0 });
    const ob = await makeObligation(t.db, caseId, { startedAt: T0, hours: 48 });
    const crash = sweepDueSteps(t.db, at(24), {
      ...opts,
      afterFireInsert: () => {
        throw new Error('killed mid-sweep');
      },
    });
    await expect(crash).rejects.toThrow('killed mid-sweep');
    expect(await fires(t.db, ob)).toEqual([]);
    expect(await count(t.db, sql`select count(*) as n from notifications where case_id = ${caseId}`)).toBe(0);
    expect(await count(t.db, sql`select count(*) as n from audit_log where case_id = ${caseId}`)).toBe(0);
    const r = await sweepDueSteps(t.db, at(24), opts);
    expect(r.fired).toBeGreaterThanOrEqual(1);
    expect(await fires(t.db, ob)).toEqual(['remind-50']);
    await sweepDueSteps(t.db, at(24), opts);
    expect(await fires(t.db, ob)).toEqual(['remind-50']);
    expect(await count(t.db, sql`select count(*) as n from notifications where case_id = ${caseId}`)).toBe(2);
  });
});

describe('cases.sweep: quiet hours', () => {
  it('defers non-urgent deliveries to the end of quiet hours; breaches and major cases go at once; in-app notices show at once', async () => {
    await t.db.insertInto('notification_channels').values({ kind: 'webhook', name: 'quiet-test', config: JSON.stringify({ url: 'http://127.0.0.1:9/x' }) }).execute();
    try {
      const start = new Date('2026-11-09T03:00:00Z'); // 11:00 Shanghai; 50 % of 24 h → 23:00 Shanghai
      const quiet = parseQuietHours('22-7');
      const general = await makeCase(t.db, { leadDepartmentId: office.dept, openedAt: start });
      const ob = await makeObligation(t.db, general, { startedAt: start, hours: 24 });
      const major = await makeCase(t.db, { level: 'major', category: 'emergency', leadDepartmentId: office.dept, openedAt: start });
      await makeObligation(t.db, major, { kind: 'press', startedAt: start, hours: 24 });
      const now = new Date('2026-11-09T15:00:00Z'); // 23:00 Shanghai
      await sweepDueSteps(t.db, now, { quiet, policies: DEFAULT_POLICY });
      const rows = await sql<{ case_id: string; urgent: boolean; created_at: Date; next_attempt_at: Date }>`
        select n.case_id::text, n.urgent, n.created_at, d.next_attempt_at from notifications n
        join notification_deliveries d on d.notification_id = n.id where n.case_id = any(${[general, major]}::bigint[])`.execute(t.db);
      const g = rows.rows.filter((r) => r.case_id === general);
      const m = rows.rows.filter((r) => r.case_id === major);
      expect(g.length).toBeGreaterThan(0);
      expect(m.length).toBeGreaterThan(0);
      for (const r of g) {
        expect(r.urgent).toBe(false);
        expect(r.created_at.toISOString()).toBe(now.toISOString());
        expect(r.next_attempt_at.toISOString()).toBe('2026-11-09T23:00:00.000Z'); // 07:00 Shanghai
      }
      for (const r of m) {
        expect(r.urgent).toBe(true);
        expect(r.next_attempt_at.toISOString()).toBe(now.toISOString());
      }
      // The breach at due (next day 11:00) is urgent anyway; one at night would not wait either.
      await sweepDueSteps(t.db, new Date('2026-11-10T16:00:00Z'), { quiet, policies: DEFAULT_POLICY }); // 00:00 Shanghai
      const breach = await sql<{ next_attempt_at: Date }>`
        select d.next_attempt_at from notifications n join notification_deliveries d on d.notification_id = n.id
        where n.case_id = ${general} and n.kind = 'breach'`.execute(t.db);
      expect(breach.rows.length).toBeGreaterThan(0);
      expect(breach.rows.every((r) => r.next_attempt_at.toISOString() === '2026-11-10T16:00:00.000Z')).toBe(true);
      expect(await fires(t.db, ob)).toContain('breach');
    } finally {
      await t.db.deleteFrom('notification_channels').where('name', '=', 'quiet-test').execute();
    }
  });
});

describe('cases.sweep: lock order with case changes', () => {
  it('a sweep that starts while a case change holds the case and its audit row waits, then fires: no deadlock', async () => {
    const caseId = await makeCase(t.db, { leadDepartmentId: office.dept, openedAt: T0 });
    const ob = await makeObligation(t.db, caseId, { startedAt: T0, hours: 48 });
    // A case change as the services make it: the case locked, its audit row written, and only then
    // the case's obligations updated — held open while the sweep starts.
    let release!: () => void;
    const mayFinish = new Promise<void>((r) => (release = r));
    let holding!: () => void;
    const isHolding = new Promise<void>((r) => (holding = r));
    const change = t.db.transaction().execute(async (trx) => {
      await lockCase(trx, caseId);
      await writeAudit(trx, { actor: null, entity: 'case', entityId: caseId, caseId, action: 'case.update', after: { note: 'lock order' } });
      holding();
      await mayFinish;
      await trx.updateTable('obligations').set({ updated_at: at(24) }).where('id', '=', ob).execute();
    });
    await isHolding;
    const sweep = sweepDueSteps(t.db, at(24), opts);
    // Time for the sweep to get as far as it can. Before the lock-order fix it locked the
    // obligation, then waited for the case (FOR UPDATE against its notifications' foreign-key
    // check) or for the audit chain's head; the change's obligation update then closed the cycle.
    await new Promise((r) => setTimeout(r, 400));
    release();
    await change;
    expect((await sweep).fired).toBe(1);
    expect(await fires(t.db, ob)).toEqual(['remind-50']);
  });
});
