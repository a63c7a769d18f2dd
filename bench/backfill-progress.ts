// 地域 back-fill progress: what 管理 → 辖区 reads every 5 s while a back-fill runs (已补充 N / M 条),
// at 100,000 items part-way through a back-fill (the 竹溪县 gazetteer saved, 20 batches done). The
// progress row kept by the saves and batches (db/repos/places.ts backfillProgress) against the
// full count over all items it replaces (done = items of the current version, total = all items),
// measured in the same run on the same database; both must give the same figures.
import { sql } from 'kysely';
import { backfillProgress } from '../db/repos/places.js';
import { backfillPlaces } from '../services/places/backfill.js';
import { saveArea } from '../services/places/area.js';
import type { Db } from '../db/client.js';
import { benchDb, chineseText, prng } from './db.js';
import { type BenchFigure, medianMs } from './lib.js';

const ITEMS = 100_000;
const TEXTS = 500;
const BATCHES = 20;
const RUNS = 25;

async function seed(db: Db): Promise<void> {
  const rand = prng(11);
  const texts = Array.from({ length: TEXTS }, () => chineseText(rand, 300));
  const [src] = await sql<{ id: number }>`insert into sources (name, url, kind, media_type) values ('基准论坛', 'http://bbs.example.cn/rss', 'feed', 'forum') returning id`
    .execute(db)
    .then((r) => r.rows);
  await sql`
    insert into items (source_id, url_key, url, title, text, published_at, fetched_at, simhash)
    select ${src.id}, 'bbs.example.cn/t/' || g, 'http://bbs.example.cn/t/' || g || '.html',
      (array['城关镇观音阁村道路塌陷', '蒋家堰镇集市占道经营', '鼓楼一带停水三天', '县城小区物业纠纷'])[1 + g % 4] || ' ' || g,
      (${texts}::text[])[1 + g % ${TEXTS}], now() - g * interval '1 minute', now() - g * interval '1 minute', g
    from generate_series(1, ${ITEMS}) g`.execute(db);
  await sql`vacuum analyze items`.execute(db);
}

/** The read before the progress row: two counts over every item. */
async function fullCount(db: Db): Promise<{ done: number; total: number }> {
  const r = await sql<{ done: number; total: number }>`
    select (select count(*)::int from items where places_version >= s.version) as done, (select count(*)::int from items) as total
    from area_settings s where s.id = 1`.execute(db);
  return r.rows[0];
}

export default async function run(): Promise<BenchFigure[]> {
  const b = await benchDb('backfill');
  try {
    await seed(b.db);
    await saveArea(b.db, { countyCode: '420324', areaName: '', extras: [] }, null, new Date());
    let calls = 0;
    await backfillPlaces(b.db, { batch: 500, budgetMs: BATCHES, clock: () => calls++ });
    const [row, count] = await Promise.all([backfillProgress(b.db), fullCount(b.db)]);
    if (row.done !== count.done || row.total !== count.total || row.done === 0 || row.done >= row.total) {
      throw new Error(`backfill bench: the progress row (${row.done} / ${row.total}) and the full count (${count.done} / ${count.total}) disagree, or the back-fill is not part-way`);
    }
    // Warm both, then the median of several reads each.
    await backfillProgress(b.db);
    await fullCount(b.db);
    const progressMs = await medianMs(() => backfillProgress(b.db), RUNS);
    const countMs = await medianMs(() => fullCount(b.db), RUNS);
    const ratio = countMs / progressMs;
    return [
      {
        name: `progress read (已补充 ${row.done} / ${row.total} 条) at ${ITEMS.toLocaleString('en')} items, median of ${RUNS}`,
        value: progressMs,
        unit: 'ms',
        baseline: countMs,
        baselineName: 'full count over all items',
        ratio,
        goal: '≥ 10 (full count ÷ progress row)',
        met: ratio >= 10,
      },
    ];
  } finally {
    await b.drop();
  }
}
