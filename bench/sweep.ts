import { sql } from 'kysely';
import type { Db } from '../db/client.js';
import { sweepCandidatesQuery } from '../db/repos/escalations.js';
import { sweepDueSteps } from '../worker/jobs/cases.sweep.js';
import { medianMs, type BenchFigure } from './lib.js';
import { benchDb, prng } from './db.js';

// sweep: one escalation sweep tick (cases.sweep) on a database of 1,000,000 cases — 200k open, of
// which 100k are overdue with every step already fired (the rows that used to be re-read each
// tick) and 100k have their 50 % reminder spread one second apart after T0 — and on a 100k-case
// variant of the same shape. Figures:
//   - a tick at a `now` where exactly 1,000 steps are due (one full batch: lock, fire, notify,
//     audit, move next_step_at) ÷ one primary-key SELECT on cases;
//   - an idle tick (nothing due) ÷ the same SELECT;
//   - the tick's candidate query alone (lock the 1,000 due obligations, rolled back) ÷ the same
//     SELECT: what the sweep reads, apart from the fires, notices and audit rows it writes;
//   - the 1,000-step tick on 1M cases ÷ on 100k cases (the sweep must not grow with history).

const T0 = new Date('2026-11-25T00:00:00Z');
const BATCH = 1000;
const DEPARTMENTS = 20;

interface Shape {
  cases: number;
  open: number;
  overdue: number;
}

const BIG: Shape = { cases: 1_000_000, open: 200_000, overdue: 100_000 };
const SMALL: Shape = { cases: 100_000, open: 20_000, overdue: 10_000 };

/**
 * Set-based generation (generate_series). Case g: g ≤ overdue → open, started 10 days before T0,
 * all four default steps fired, next_step_at null; g ≤ open → open, started 24 h − (g − overdue) s
 * before T0, so its 50 % reminder is due at T0 + (g − overdue) s; else closed with its obligation met.
 */
export async function generate(db: Db, s: Shape): Promise<void> {
  await sql`insert into departments (name) select 'bench dept ' || g from generate_series(1, ${DEPARTMENTS}::int) g`.execute(db);
  await sql`
    insert into users (username, display_name, role, department_id, is_department_head, leader_rank, password_hash)
    select 'handler' || d.id, 'handler ' || d.id, 'handler', d.id, true, null, 'x' from departments d
    union all select 'reviewer', 'reviewer', 'reviewer', null, false, null, 'x'
    union all select 'leader1', 'leader in charge', 'leader', null, false, 'in_charge', 'x'
    union all select 'leader2', 'principal leader', 'leader', null, false, 'principal', 'x'
    union all select 'admin', 'admin', 'admin', null, false, null, 'x'`.execute(db);
  const t0 = T0.toISOString();
  await sql`
    insert into cases (number, title, level, category, status, lead_department_id, clock_started_at, opened_at, closed_at, created_at, updated_at)
    select 'B' || g, '基准事件 ' || g, 'general', 'suggestion',
           case when g <= ${s.open}::int then 'open' else 'closed' end,
           (select min(id) from departments) + g % ${DEPARTMENTS}::int,
           st, st, case when g > ${s.open}::int then st + interval '3 days' end, st, st
    from (
      select g, case
                  when g <= ${s.overdue}::int then ${t0}::timestamptz - interval '10 days' - g * interval '1 second'
                  when g <= ${s.open}::int then ${t0}::timestamptz - interval '24 hours' + (g - ${s.overdue}::int) * interval '1 second'
                  else ${t0}::timestamptz - interval '30 days' - (g % 100000) * interval '1 second'
                end as st
      from generate_series(1, ${s.cases}::int) g
    ) x`.execute(db);
  // Loaded as the sweep would leave them: the overdue rows' next_step_at is null (all fired), which
  // the insert trigger's conservative default (started_at, for writers that do not know the policy)
  // would otherwise replace.
  await sql`alter table obligations disable trigger obligations_next_step_default_insert`.execute(db);
  await sql`
    insert into obligations (case_id, kind, seq, window_hours, window_unit, started_at, due_at, status, met_at, on_time, met_by, next_step_at, created_at, updated_at)
    select c.id, 'response', 1, 48, 'natural', c.clock_started_at, c.clock_started_at + interval '48 hours',
           case when c.status = 'open' then 'open' else 'met' end,
           case when c.status = 'open' then null else c.clock_started_at + interval '10 hours' end,
           case when c.status = 'open' then null else true end,
           case when c.status = 'open' then null else 'bench' end,
           case when c.status = 'open' and c.clock_started_at >= ${t0}::timestamptz - interval '5 days'
                then c.clock_started_at + interval '24 hours' end,
           c.clock_started_at, c.clock_started_at
    from cases c`.execute(db);
  await sql`alter table obligations enable trigger obligations_next_step_default_insert`.execute(db);
  await sql`
    insert into escalation_fires (case_id, obligation_id, step_id, target, due_at, fired_at)
    select o.case_id, o.id, st.id, st.target, o.started_at + st.hours * interval '1 hour', o.started_at + st.hours * interval '1 hour'
    from obligations o
    cross join (values ('remind-50', 'handlers', 24), ('warn-12h', 'reviewer', 36), ('breach', 'leader_in_charge', 48), ('breach-24h', 'principal_leader', 72))
      as st(id, target, hours)
    where o.status = 'open' and o.next_step_at is null`.execute(db);
  for (const t of ['departments', 'users', 'cases', 'obligations', 'escalation_fires']) await sql`vacuum analyze ${sql.table(t)}`.execute(db);
}

interface Timings {
  /** The writes of a 1,000-step tick alone, as bare set-based SQL (see bareWrites). */
  bareWritesMs: number;
  pkSelectMs: number;
  idleTickMs: number;
  busyTickMs: number;
  selectMs: number;
  generateS: number;
}

/**
 * What a busy tick's writes cost with nothing else: for 1,000 open obligations, in one transaction,
 * lock them, insert 1,000 fire records, 1,000 notifications (one recipient each), 1,000 audit rows
 * (hash given, not computed) and move their next_step_at — five set-based statements with no step
 * logic, texts or round trips beyond these. Printed beside the tick, as the floor the tick is
 * compared with (the rows are left in the benchmark's database, which is dropped after).
 */
async function bareWrites(db: Db): Promise<number> {
  const obs = (
    await sql<{ id: string; case_id: string }>`
      select id::text, case_id::text from obligations where status = 'open' and next_step_at is not null order by next_step_at desc limit ${BATCH * 8}`.execute(db)
  ).rows;
  const user = (await sql<{ id: number }>`select id from users where role = 'handler' order by id limit 1`.execute(db)).rows[0].id;
  const body = '某事件「基准事件」的回应时限为 2026-11-27 08:00（北京时间）（时限已过50%，通知：经办人）。\nThe response obligation of case B1 is due at 2026-11-27T00:00:00Z.';
  const after = JSON.stringify({ fireId: '1', stepId: 'remind-50', target: 'handlers', recipients: [user], notifications: ['1'] });
  let k = 0;
  const tick = async () => {
    const batch = obs.slice((k % 8) * BATCH, (k % 8) * BATCH + BATCH);
    const oid = batch.map((o) => o.id);
    const cid = batch.map((o) => o.case_id);
    const step = `bare-${k}`;
    const seq = 1_000_000_000 + k * BATCH;
    k += 1;
    await db.transaction().execute(async (trx) => {
      await sql`select id from obligations where id = any(${oid}::bigint[]) for update`.execute(trx);
      await sql`insert into escalation_fires (case_id, obligation_id, step_id, target, due_at, fired_at)
        select c, o, ${step}, 'handlers', now(), now() from unnest(${cid}::bigint[], ${oid}::bigint[]) t(c, o)`.execute(trx);
      await sql`insert into notifications (user_id, case_id, kind, title, body, urgent, created_at)
        select ${user}::int, c, 'escalation', '【时限已过50%】基准事件 ' || c, ${body}, false, now() from unnest(${cid}::bigint[]) t(c)`.execute(trx);
      await sql`insert into audit_log (actor_id, actor_name, ip, entity, entity_id, case_id, action, after, chain_seq, hash, at)
        select null, 'system', '', 'obligation', o::text, c, 'escalation.fire', ${after}::jsonb, ${seq}::bigint + n, md5(o::text) || md5(c::text), now()
        from unnest(${cid}::bigint[], ${oid}::bigint[]) with ordinality t(c, o, n)`.execute(trx);
      await sql`update obligations set next_step_at = next_step_at + interval '1 second' where id = any(${oid}::bigint[])`.execute(trx);
    });
  };
  await tick(); // warm
  return medianMs(tick, 7);
}

async function measure(label: string, s: Shape): Promise<Timings> {
  const { db, drop } = await benchDb(label);
  try {
    const g0 = performance.now();
    await generate(db, s);
    const generateS = (performance.now() - g0) / 1000;
    const ids = (await sql<{ lo: string; hi: string }>`select min(id)::text as lo, max(id)::text as hi from cases`.execute(db)).rows[0];
    const lo = Number(ids.lo);
    const span = Number(ids.hi) - lo + 1;
    const rand = prng(7);
    const pk = () => db.selectFrom('cases').selectAll().where('id', '=', String(lo + Math.floor(rand() * span))).executeTakeFirstOrThrow();
    for (let i = 0; i < 200; i++) await pk(); // warm the pool and the cache
    const pkSelectMs = await medianMs(pk, 2001);

    const opts = { quiet: null };
    await sweepDueSteps(db, T0, opts); // warm: nothing is due at T0
    const idleTickMs = await medianMs(async () => {
      const r = await sweepDueSteps(db, T0, opts);
      if (r.fired !== 0) throw new Error(`idle tick fired ${r.fired}`);
    }, 51);

    const rollback = new Error('rollback');
    const selectMs = await medianMs(async () => {
      await db
        .transaction()
        .execute(async (trx) => {
          const r = await sweepCandidatesQuery(new Date(T0.getTime() + BATCH * 1000), BATCH).execute(trx);
          if (r.rows.length !== BATCH) throw new Error(`${r.rows.length} candidates, expected ${BATCH}`);
          throw rollback;
        })
        .catch((e: unknown) => {
          if (e !== rollback) throw e;
        });
    }, 21);

    // Tick k is at T0 + k × 1,000 s: the next 1,000 reminders are due, one full batch.
    let k = 0;
    const busy = async () => {
      k += 1;
      const r = await sweepDueSteps(db, new Date(T0.getTime() + k * BATCH * 1000), opts);
      if (r.fired !== BATCH) throw new Error(`tick ${k} fired ${r.fired}, expected ${BATCH}`);
    };
    await busy(); // warm
    const busyTickMs = await medianMs(busy, 7);
    const bareWritesMs = await bareWrites(db);
    return { pkSelectMs, idleTickMs, busyTickMs, selectMs, generateS, bareWritesMs };
  } finally {
    await drop();
  }
}

export default async function bench(): Promise<BenchFigure[]> {
  const big = await measure('sweep1m', BIG);
  const small = await measure('sweep100k', SMALL);
  console.log(
    `sweep: generated 1M cases in ${big.generateS.toFixed(1)} s, 100k in ${small.generateS.toFixed(1)} s; ` +
      `ticks (1M / 100k): 1,000 due ${big.busyTickMs.toFixed(1)} / ${small.busyTickMs.toFixed(1)} ms, ` +
      `idle ${big.idleTickMs.toFixed(2)} / ${small.idleTickMs.toFixed(2)} ms, ` +
      `candidate query ${big.selectMs.toFixed(2)} / ${small.selectMs.toFixed(2)} ms; PK SELECT ${big.pkSelectMs.toFixed(3)} / ${small.pkSelectMs.toFixed(3)} ms`,
  );
  console.log(
    `sweep: the same tick's writes alone as bare SQL (lock, 1,000 fires, notifications, audit rows, next-step update; no step logic): ` +
      `${big.bareWritesMs.toFixed(1)} ms = ${(big.bareWritesMs / big.pkSelectMs).toFixed(0)}× the PK SELECT (1M cases); the tick is ${(big.busyTickMs / big.bareWritesMs).toFixed(2)}× its bare writes`,
  );
  const figure = (name: string, value: number, baseline: number, baselineName: string, goal: number): BenchFigure => ({
    name,
    value,
    unit: 'ms',
    baseline,
    baselineName,
    ratio: value / baseline,
    goal: `≤ ${goal}`,
    met: value / baseline <= goal,
  });
  return [
    figure('sweep tick, 1,000 steps due, 1M cases', big.busyTickMs, big.pkSelectMs, 'primary-key SELECT on cases', 100),
    figure('idle sweep tick, 1M cases (100k overdue, all fired)', big.idleTickMs, big.pkSelectMs, 'primary-key SELECT on cases', 100),
    figure('candidate query, 1,000 due, 1M cases (locked, rolled back)', big.selectMs, big.pkSelectMs, 'primary-key SELECT on cases', 100),
    figure('sweep tick, 1,000 steps due, 1M cases', big.busyTickMs, small.busyTickMs, 'the same on 100k cases', 1.5),
    figure('idle sweep tick, 1M cases', big.idleTickMs, small.idleTickMs, 'the same on 100k cases', 1.5),
  ];
}
