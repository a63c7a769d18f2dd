import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { DEFAULT_POLICY, stepFireAt } from '../../core/workflow/index.js';
import type { PolicyRule } from '../../core/workflow/types.js';
import type { ObligationKind } from '../../core/vocabulary.js';
import { sweepDueSteps } from '../../worker/jobs/cases.sweep.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { HOUR, fires, makeCase, makeObligation, makeOffice } from '../escalation/fixtures.js';

// A reminder says what is true when it is sent. Every step of the default policy, on every kind of
// obligation it has, fired after its moment has passed (the case registered late, or the system
// down for days): a before-due step is sent as the overdue message with how late it is, never as
// "N小时后到期"; steps after due say how late it is too. Texts are Chinese with Beijing times.

let t: TestDb;
let office: Awaited<ReturnType<typeof makeOffice>>;
const T0 = new Date('2026-11-02T02:00:00Z'); // Monday 10:00 in Beijing
const LATE = 40; // hours after the due time the sweep finally runs: "1天16小时"

beforeAll(async () => {
  t = await createTestDb('sweeplate');
  office = await makeOffice(t.db);
});
afterAll(async () => {
  await t?.drop();
});

interface Note {
  user_id: number;
  key: string;
  kind: string;
  title: string;
  body: string;
  urgent: boolean;
}

async function notesOf(caseId: string): Promise<Note[]> {
  return t.db.selectFrom('notifications').select(['user_id', 'key', 'kind', 'title', 'body', 'urgent']).where('case_id', '=', caseId).orderBy('id').execute() as Promise<Note[]>;
}

function expectChinese(n: Note): void {
  const text = `${n.title}\n${n.body}`;
  expect(text, text).not.toMatch(/T\d\d:\d\d/);
  expect(text.replace(/YQ-[\w-]+/g, ''), text).not.toMatch(/[A-Za-z]{2,}/);
}

// One row per obligation kind and window of the default policy, with the rule it comes from.
const specs = new Map<string, { rule: PolicyRule; kind: ObligationKind; hours: number }>();
for (const rule of DEFAULT_POLICY) {
  for (const o of rule.obligations) specs.set(`${rule.level}/${rule.category ?? '*'}/${o.kind}`, { rule, kind: o.kind, hours: o.window.hours });
}
const targetsOf = (o: typeof office) => ({ handlers: [o.handler, o.head], reviewer: [o.reviewer], leader_in_charge: [o.leaderInCharge], principal_leader: [o.principal] }) as Record<string, number[]>;

describe('every default step fired after its moment has passed', () => {
  const table = [...specs.entries()].map(([name, s]) => ({ name, ...s }));
  it.each(table)('$name ($hours h): each step is sent as how late it is, to its own people', async ({ rule, kind, hours }) => {
    const caseId = await makeCase(t.db, { level: rule.level, category: rule.category ?? 'difficulty', leadDepartmentId: office.dept, openedAt: T0 });
    const ob = await makeObligation(t.db, caseId, { kind, startedAt: T0, hours });
    const dueAt = new Date(T0.getTime() + hours * HOUR);
    const now = new Date(dueAt.getTime() + LATE * HOUR);
    // Every step's moment has passed before the sweep runs.
    for (const step of rule.escalationSteps) expect(stepFireAt({ startedAt: T0, dueAt, kind, metAt: null }, step).getTime()).toBeLessThan(now.getTime());
    await sweepDueSteps(t.db, now, { quiet: { startHour: 0, endHour: 24 }, policies: DEFAULT_POLICY });
    expect((await fires(t.db, ob)).sort()).toEqual(rule.escalationSteps.map((s) => s.id).sort());

    const notes = await notesOf(caseId);
    const to = targetsOf(office);
    for (const step of rule.escalationSteps) {
      const mine = notes.filter((n) => to[step.target]!.includes(n.user_id));
      expect(mine, `${step.id} → ${step.target}`).toHaveLength(to[step.target]!.length);
      for (const n of mine) {
        expect(n.key, step.id).toBe(step.breach ? 'escalation.breach_late' : 'escalation.overdue');
        expect(n.title).toContain('【已超期 1天16小时】');
        expect(n.body).toContain('已超期 1天16小时');
        expect(`${n.title}${n.body}`).not.toMatch(/后到期|还剩|时限已过半/);
        // Overdue messages are urgent: quiet hours (here all day) never hold them back.
        expect(n.urgent).toBe(true);
        expectChinese(n);
      }
    }
    expect(notes).toHaveLength(Object.values(to).flat().length);
  });
});

describe('steps that come late but before the due time say how long is actually left', () => {
  it('the 12 h warning and the 50 % reminder fired 40 h into a 48 h window: 8 hours left', async () => {
    const caseId = await makeCase(t.db, { leadDepartmentId: office.dept, openedAt: T0 });
    const ob = await makeObligation(t.db, caseId, { startedAt: T0, hours: 48 });
    await sweepDueSteps(t.db, new Date(T0.getTime() + 40 * HOUR), { quiet: null, policies: DEFAULT_POLICY });
    expect(await fires(t.db, ob)).toEqual(['remind-50', 'warn-12h']);
    const notes = await notesOf(caseId);
    const warn = notes.find((n) => n.user_id === office.reviewer)!;
    expect(warn).toMatchObject({ key: 'escalation.warn', kind: 'escalation' });
    expect(warn.title).toMatch(/^【8小时后到期】/);
    expect(warn.body).toContain('将于 11月4日 10:00 到期，还剩8小时');
    const remind = notes.find((n) => n.user_id === office.handler)!;
    expect(remind.key).toBe('escalation.remind');
    expect(remind.body).toContain('还剩8小时');
    for (const n of notes) expectChinese(n);
  });

  it('at the due minute the breach says the time limit has come, without a lateness', async () => {
    const caseId = await makeCase(t.db, { leadDepartmentId: office.dept, openedAt: T0 });
    await makeObligation(t.db, caseId, { startedAt: T0, hours: 48 });
    await sweepDueSteps(t.db, new Date(T0.getTime() + 48 * HOUR), { quiet: null, policies: DEFAULT_POLICY });
    const notes = await notesOf(caseId);
    expect(notes.find((n) => n.user_id === office.leaderInCharge)).toMatchObject({ key: 'escalation.breach', kind: 'breach', title: expect.stringMatching(/^【已超期】/) });
    // The reminder and the warning, due before, fire in the same tick: at due they say so.
    expect(notes.find((n) => n.user_id === office.reviewer)).toMatchObject({ key: 'escalation.due', title: expect.stringMatching(/^【已到期】/) });
    for (const n of notes) expectChinese(n);
  });
});

describe('a stale step and a later one of the same obligation reaching the same person in one tick', () => {
  it('that person gets the later step only; the skipped one is recorded in its audit row', async () => {
    const steps = [
      { id: 'warn-12h', trigger: { type: 'before_due' as const, hours: 12 }, target: 'reviewer' as const, urgent: false },
      { id: 'breach', trigger: { type: 'after_due' as const, hours: 0 }, target: 'reviewer' as const, urgent: true, breach: true },
    ];
    const policies = DEFAULT_POLICY.map((r) => ({ ...r, escalationSteps: steps }));
    const caseId = await makeCase(t.db, { leadDepartmentId: office.dept, openedAt: T0 });
    const ob = await makeObligation(t.db, caseId, { startedAt: T0, hours: 48 });
    await sweepDueSteps(t.db, new Date(T0.getTime() + 50 * HOUR), { quiet: null, policies });
    expect(await fires(t.db, ob)).toEqual(['warn-12h', 'breach']);
    const notes = await notesOf(caseId);
    expect(notes.map((n) => [n.user_id, n.key])).toEqual([[office.reviewer, 'escalation.breach_late']]);
    expect(notes[0]!.title).toContain('【已超期 2小时】');
    const audit = await sql<{ step: string; recipients: number[]; skipped: number[] | null }>`
      select after->>'stepId' as step, after->'recipients' as recipients, after->'skippedForLaterStep' as skipped
      from audit_log where action = 'escalation.fire' and entity_id = ${ob} order by id`.execute(t.db);
    expect(audit.rows).toEqual([
      { step: 'warn-12h', recipients: [], skipped: [office.reviewer] },
      { step: 'breach', recipients: [office.reviewer], skipped: null },
    ]);
  });
});

describe('quiet hours hold a reminder back, never past its due time, and it says the time left when delivered', () => {
  it('a deferred warning tells the channels the hours left at 07:00; one whose due time falls in the night goes at once', async () => {
    await t.db.insertInto('notification_channels').values({ kind: 'webhook', name: 'quiet-late', config: JSON.stringify({ url: 'http://127.0.0.1:9/x' }) }).execute();
    try {
      const quiet = { startHour: 22, endHour: 7 };
      const only = (hours: number) => DEFAULT_POLICY.map((r) => ({ ...r, escalationSteps: [{ id: `warn-${hours}h`, trigger: { type: 'before_due' as const, hours }, target: 'reviewer' as const, urgent: false }] }));
      const payloadOf = async (caseId: string) =>
        (
          await sql<{ title: string; payload: { title: string; at: string }; next_attempt_at: Date }>`
            select n.title, d.payload, d.next_attempt_at from notifications n join notification_deliveries d on d.notification_id = n.id
            where n.case_id = ${caseId}::bigint`.execute(t.db)
        ).rows;

      // Due 11:00 Beijing; the 12 h warning fires at 23:00 and is delivered at 07:00, 4 hours before due.
      const due1 = new Date('2026-11-10T03:00:00Z');
      const c1 = await makeCase(t.db, { leadDepartmentId: office.dept, openedAt: new Date(due1.getTime() - 48 * HOUR) });
      await makeObligation(t.db, c1, { startedAt: new Date(due1.getTime() - 48 * HOUR), hours: 48 });
      const night = new Date('2026-11-09T15:00:00Z'); // 23:00 Beijing
      await sweepDueSteps(t.db, night, { quiet, policies: only(12) });
      const [p1] = await payloadOf(c1);
      expect(p1!.title).toMatch(/^【12小时后到期】/); // in the app, at once
      expect(p1!.next_attempt_at.toISOString()).toBe('2026-11-09T23:00:00.000Z'); // 07:00 Beijing
      expect(p1!.payload.title).toMatch(/^【4小时后到期】/);
      expect(p1!.payload.at).toBe('11月9日 23:00');

      // Due 00:00 Beijing; the 2 h warning fires at 22:00: holding it until 07:00 would pass the due time.
      const due2 = new Date('2026-11-10T16:00:00Z');
      const c2 = await makeCase(t.db, { leadDepartmentId: office.dept, openedAt: new Date(due2.getTime() - 48 * HOUR) });
      await makeObligation(t.db, c2, { startedAt: new Date(due2.getTime() - 48 * HOUR), hours: 48 });
      const ten = new Date('2026-11-10T14:00:00Z');
      await sweepDueSteps(t.db, ten, { quiet, policies: only(2) });
      const [p2] = await payloadOf(c2);
      expect(p2!.next_attempt_at.toISOString()).toBe(ten.toISOString());
      expect(p2!.payload.title).toMatch(/^【2小时后到期】/);
    } finally {
      await t.db.deleteFrom('notification_channels').where('name', '=', 'quiet-late').execute();
    }
  });
});
