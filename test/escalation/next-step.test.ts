import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { DEFAULT_POLICY } from '../../core/workflow/index.js';
import { rearmObligations, sweepCandidatesQuery } from '../../db/repos/escalations.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { sweepDueSteps } from '../../worker/jobs/cases.sweep.js';
import { HOUR, fires, makeCase, makeObligation, makeOffice } from './fixtures.js';

// obligations.next_step_at: the sweep reads only obligations whose next step has come, and moves
// the time on after firing (null once every step has fired).

let t: TestDb;
let office: Awaited<ReturnType<typeof makeOffice>>;
const T0 = new Date('2026-11-02T02:00:00Z');
const at = (h: number) => new Date(T0.getTime() + h * HOUR);
const opts = { quiet: null, policies: DEFAULT_POLICY };

beforeAll(async () => {
  t = await createTestDb('escnext');
  office = await makeOffice(t.db);
});
afterAll(async () => {
  await t?.drop();
});

async function nextStep(id: string): Promise<Date | null> {
  const r = await t.db.selectFrom('obligations').select('next_step_at').where('id', '=', id).executeTakeFirstOrThrow();
  return r.next_step_at;
}

describe('next_step_at', () => {
  it('follows the ladder and ends null; an overdue, fully fired obligation is no longer a candidate', async () => {
    const caseId = await makeCase(t.db, { leadDepartmentId: office.dept, openedAt: T0 });
    const ob = await makeObligation(t.db, caseId, { startedAt: T0, hours: 48 });
    // Inserted without the policy: the trigger's conservative default, the window's start.
    expect(await nextStep(ob)).toEqual(T0);
    await sweepDueSteps(t.db, at(1), opts);
    expect(await nextStep(ob)).toEqual(at(24));
    await sweepDueSteps(t.db, at(30), opts);
    expect(await fires(t.db, ob)).toEqual(['remind-50']);
    expect(await nextStep(ob)).toEqual(at(36));
    await sweepDueSteps(t.db, at(100), opts);
    expect(await fires(t.db, ob)).toEqual(['remind-50', 'warn-12h', 'breach', 'breach-24h']);
    expect(await nextStep(ob)).toBeNull();
    const candidates = await sweepCandidatesQuery(at(500), 1000).execute(t.db);
    expect(candidates.rows.map((r) => r.id)).not.toContain(ob);
  });

  it('the candidate query runs on the partial index', async () => {
    const plan = await t.db.transaction().execute(async (trx) => {
      await sql`set local enable_seqscan = off`.execute(trx); // a tiny table would be read whole otherwise
      return sql<{ 'QUERY PLAN': string }>`explain ${sweepCandidatesQuery(at(500), 1000)}`.execute(trx);
    });
    expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toContain('obligations_open_next_step');
  });

  it('moving the window by hand re-arms the obligation, so no step is missed', async () => {
    const caseId = await makeCase(t.db, { leadDepartmentId: office.dept, openedAt: T0 });
    const ob = await makeObligation(t.db, caseId, { startedAt: T0, hours: 48 });
    await sweepDueSteps(t.db, at(1), opts);
    expect(await nextStep(ob)).toEqual(at(24));
    await sql`update obligations set started_at = started_at - interval '1 day', due_at = due_at - interval '1 day' where id = ${ob}`.execute(t.db);
    await sweepDueSteps(t.db, at(1), opts);
    expect(await fires(t.db, ob)).toEqual(['remind-50']);
    expect(await nextStep(ob)).toEqual(at(12));
  });

  it('a closed case is parked (null) and re-armed when it reopens (rearmObligations, as reopenCase does)', async () => {
    const caseId = await makeCase(t.db, { leadDepartmentId: office.dept, openedAt: T0 });
    const ob = await makeObligation(t.db, caseId, { startedAt: T0, hours: 48 });
    await t.db.updateTable('cases').set({ status: 'closed' }).where('id', '=', caseId).execute();
    await sweepDueSteps(t.db, at(30), opts);
    expect(await fires(t.db, ob)).toEqual([]);
    expect(await nextStep(ob)).toBeNull();
    await t.db.updateTable('cases').set({ status: 'open' }).where('id', '=', caseId).execute();
    await rearmObligations(t.db, at(31), caseId);
    await sweepDueSteps(t.db, at(31), opts);
    expect(await fires(t.db, ob)).toEqual(['remind-50']);
    expect(await nextStep(ob)).toEqual(at(36));
  });
});
