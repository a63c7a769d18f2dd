import { sql } from 'kysely';
import { pino } from 'pino';
import type { BenchFigure } from './lib.js';
import { benchDb, chineseText, prng } from './db.js';
import { loadConfig } from '../platform/config.js';
import { startServer, type RunningServer } from '../server/main.js';
import { countLedger, listLedger, type LedgerQuery } from '../db/repos/cases-ledger.js';
import type { Db } from '../db/client.js';
import { createUser, sessionFor } from '../test/helpers/auth.js';

// ledger: GET /api/cases (status + level filters, sort by openedAt desc, page of 50, pages 1 and 2
// via the cursor, 100,000 cases, a real admin session) on a real server, 8 keep-alive clients for
// 5 s → requests/s and p95 latency; ÷ the same SQL the route runs (listLedger + countLedger, in
// parallel as listCases does), called bare on the same pool at the same concurrency for as long
// → queries/s, one "query" being that pair.

const CASES = 100_000;
const DEPARTMENTS = 40;
const CONCURRENCY = 8;
const DURATION_MS = 5000;
const WARMUP_MS = 1000;
const TEXTS = 1000;
const PATH = '/api/cases?status=open&level=general&sort=openedAt&dir=desc&limit=50';

/** 100k cases with departments, obligations, responses, feedback and evidence, all set-based. */
export async function seed(db: Db, adminId: number): Promise<void> {
  const rand = prng(42);
  const titles = Array.from({ length: TEXTS }, () => chineseText(rand, 24));
  const summaries = Array.from({ length: TEXTS }, () => chineseText(rand, 120));
  await sql`insert into departments (name, kind) select '部门' || g, 'bureau' from generate_series(1, ${DEPARTMENTS}) g`.execute(db);
  // ~40% open, 30% responded, 30% closed; ~70% general, 20% significant, 8% major, 2% especially major.
  // opened_at one per ~5 minutes back from now, with a few exact ties to exercise the id tiebreak.
  await sql`
    insert into cases (number, title, summary, level, category, status, origin, lead_department_id,
                       clock_started_at, opened_at, opened_by, assigned_at, responded_at, closed_at, closed_by)
    select 'B' || lpad(g::text, 7, '0'),
      (${titles}::text[])[1 + g % ${TEXTS}] || ' ' || g,
      (${summaries}::text[])[1 + (g * 7) % ${TEXTS}],
      case when g % 50 = 0 then 'especially_major' when g % 50 < 5 then 'major' when g % 50 < 15 then 'significant' else 'general' end,
      (array['suggestion','difficulty','misunderstanding','wrong_view','rumour','emergency','other'])[1 + g % 7],
      case when g % 10 < 4 then 'open' when g % 10 < 7 then 'responded' else 'closed' end,
      (array['alert','cyberspace_office','government_office','hotline','mailbox','other'])[1 + g % 6],
      1 + g % ${DEPARTMENTS},
      t.opened - interval '30 minutes', t.opened, ${adminId}, t.opened + interval '1 hour',
      case when g % 10 >= 4 then t.opened + interval '20 hours' end,
      case when g % 10 >= 7 then t.opened + interval '10 days' end,
      case when g % 10 >= 7 then ${adminId}::int end
    from generate_series(1, ${CASES}) g,
      lateral (select now() - ((${CASES} - g) / 2 * 10) * interval '1 minute' as opened) t`.execute(db);
  await sql`insert into case_departments (case_id, department_id, role) select id, lead_department_id, 'lead' from cases`.execute(db);
  await sql`
    insert into case_departments (case_id, department_id, role)
    select id, 1 + (lead_department_id + 7) % ${DEPARTMENTS}, 'co' from cases where id % 10 < 3`.execute(db);
  // The response obligation (48 h): met for responded/closed cases (10% of them late), open
  // otherwise (a fifth of the open ones overdue); a report obligation for 20%.
  await sql`
    insert into obligations (case_id, kind, seq, window_hours, started_at, due_at, status, met_at, on_time, met_by)
    select id, 'response', 1, 48, clock_started_at,
      case when status = 'open' and id % 5 <> 0 then now() + interval '1 day' + (id % 48) * interval '1 hour'
           else clock_started_at + interval '48 hours' end,
      case when status = 'open' then 'open' else 'met' end,
      case when status = 'open' then null when id % 10 = 9 then clock_started_at + interval '50 hours' else responded_at end,
      case when status = 'open' then null else id % 10 <> 9 end,
      case when status = 'open' then null else 'response' end
    from cases`.execute(db);
  await sql`
    insert into obligations (case_id, kind, seq, window_hours, started_at, due_at, status, met_at, on_time)
    select id, 'report', 1, 24, clock_started_at, clock_started_at + interval '24 hours',
      case when status = 'open' then 'open' else 'met' end,
      case when status = 'open' then null else clock_started_at + interval '12 hours' end,
      case when status = 'open' then null else true end
    from cases where id % 5 = 1`.execute(db);
  await sql`
    insert into responses (case_id, status, body, drafted_by, drafted_at, reviewed_by, reviewed_at, published_by, published_at, channel, created_at)
    select id, 'published', '回应 ' || id, ${adminId}, responded_at - interval '2 hours', ${adminId}, responded_at - interval '1 hour',
      ${adminId}, responded_at, (array['website','new_media','press_conference','interview','reply','other'])[1 + id % 6], responded_at - interval '2 hours'
    from cases where status <> 'open'`.execute(db);
  await sql`
    insert into responses (case_id, status, body, drafted_by, drafted_at, created_at)
    select id, 'draft', '草稿 ' || id, ${adminId}, opened_at + interval '2 hours', opened_at + interval '2 hours'
    from cases where status = 'open' and id % 3 = 0`.execute(db);
  await sql`
    insert into feedback (case_id, author_id, kind, body, created_at)
    select id, ${adminId}, 'reaction', '反馈 ' || id, responded_at + interval '1 day' from cases where status <> 'open' and id % 2 = 0`.execute(db);
  await sql`
    insert into case_items (case_id, title, url, source_name, published_at, captured_at)
    select c.id, '帖子 ' || c.id || '-' || k, 'http://news.example/' || c.id || '/' || k, '来源' || ((c.id + k) % 30),
      c.clock_started_at + k * interval '10 minutes', c.clock_started_at + k * interval '10 minutes'
    from cases c, generate_series(1, 2) k where c.id % 2 = 0 or k = 1`.execute(db);
  // As a ledger that grew over months finds it (autovacuum; the sweep benchmark does the same):
  // vacuumed, so the visibility map lets the totals count from an index alone. A bulk load that
  // was only analysed would send every count to the heap, which no live database does for long.
  await sql`vacuum analyze`.execute(db);
}

interface Run {
  perS: number;
  p95: number;
}

/** `clients` loops calling op(i) (i counts per client) for durationMs; ops/s and p95 latency in ms. */
async function drive(op: (i: number) => Promise<void>, clients: number, durationMs: number): Promise<Run> {
  const lat: number[] = [];
  const start = performance.now();
  const end = start + durationMs;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let i = c; performance.now() < end; i++) {
        const t = performance.now();
        await op(i);
        lat.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  lat.sort((a, b) => a - b);
  return { perS: lat.length / seconds, p95: lat[Math.min(lat.length - 1, Math.floor(lat.length * 0.95))] ?? NaN };
}

export default async function bench(): Promise<BenchFigure[]> {
  const { db, drop } = await benchDb('ledger');
  let server: RunningServer | null = null;
  try {
    const admin = await createUser(db, { role: 'admin' });
    const t0 = performance.now();
    await seed(db, admin.id);
    const seedS = (performance.now() - t0) / 1000;

    const config = { ...loadConfig({ LOG_LEVEL: 'silent', DEMO: 'false' }), PORT: 0 };
    // Redis is optional for the server and unused on this read path (it only carries events).
    server = await startServer({ config, db, redis: null, logger: pino({ level: 'silent' }) });
    const base = `http://127.0.0.1:${server.port}`;
    const session = await sessionFor(db, admin);
    const headers = session.headers();

    const first = await fetch(`${base}${PATH}`, { headers });
    const body = (await first.json()) as { cases?: unknown[]; nextCursor?: string | null; total?: number };
    if (first.status !== 200 || !body.cases || !body.nextCursor) {
      throw new Error(`GET ${PATH} → ${first.status} ${JSON.stringify(body).slice(0, 300)}`);
    }
    const paths = [PATH, `${PATH}&cursor=${encodeURIComponent(body.nextCursor)}`];
    const second = await fetch(`${base}${paths[1]}`, { headers });
    const body2 = (await second.json()) as { cases?: unknown[] };
    if (second.status !== 200 || body2.cases?.length !== 50) throw new Error(`page 2 → ${second.status}`);

    const http = async (i: number) => {
      const res = await fetch(`${base}${paths[i % 2]}`, { headers });
      if (res.status !== 200) throw new Error(`GET /api/cases → ${res.status}`);
      await res.arrayBuffer();
    };

    // The bare SQL: exactly the statements listCases runs (limit + 1, keyset after row 50 for page 2).
    const q = {
      status: 'open',
      level: 'general',
      sort: 'openedAt',
      dir: 'desc',
      limit: 51,
      viewer: { role: 'admin', departmentId: null },
    } as const;
    const page1 = await listLedger(db, { ...q, now: new Date() });
    const after = { value: page1[49].sort_key, id: page1[49].id };
    const bare = async (i: number) => {
      const f: LedgerQuery = { ...q, now: new Date(), ...(i % 2 ? { after } : {}) };
      await Promise.all([listLedger(db, f), countLedger(db, { ...q, now: f.now })]);
    };

    await drive(http, CONCURRENCY, WARMUP_MS);
    await drive(bare, CONCURRENCY, WARMUP_MS);
    const sqlRun = await drive(bare, CONCURRENCY, DURATION_MS);
    const httpRun = await drive(http, CONCURRENCY, DURATION_MS);

    const label = `${CASES / 1000}k cases, ${body.total} matching, pages 1–2 of 50, ${CONCURRENCY} clients, seeded in ${seedS.toFixed(0)} s`;
    return [
      {
        name: `GET /api/cases (${label})`,
        value: httpRun.perS,
        unit: 'req/s',
        baseline: sqlRun.perS,
        baselineName: 'bare listLedger+countLedger',
        ratio: httpRun.perS / sqlRun.perS,
        goal: '≥ 0.5',
        met: httpRun.perS / sqlRun.perS >= 0.5,
      },
      {
        name: `GET /api/cases p95 latency (${CONCURRENCY} clients)`,
        value: httpRun.p95,
        unit: 'ms',
        baseline: sqlRun.p95,
        baselineName: 'bare SQL p95',
        ratio: httpRun.p95 / 50,
        goal: 'p95 ≤ 50 ms (ratio = p95 ÷ 50 ms ≤ 1)',
        met: httpRun.p95 <= 50,
      },
    ];
  } finally {
    await server?.close();
    await drop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { printFigures } = await import('./lib.js');
  printFigures('ledger', await bench());
}
