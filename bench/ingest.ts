import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { sql } from 'kysely';
import { pino } from 'pino';
import type { BenchFigure } from './lib.js';
import { benchDb, prng, rssFeed } from './db.js';
import { parseFeed, type ParsedEntry } from '../services/crawl/parse.js';
import { storeEntries, type CrawlDeps } from '../services/crawl/crawl-source.js';
import { HostLimiter } from '../platform/http/host-limiter.js';
import { RuleCache } from '../services/crawl/rules-cache.js';

// ingest: items/s through parse → canonicalise → dedupe → SimHash → match → insert, ÷ COPY of the
// same rows into the same schema. re-crawl: storing a batch that is 100 % known ÷ a fresh batch
// (both from parsed entries: a re-crawl of an unchanged feed never parses, thanks to 304 / body hash).

const FEEDS = 20;
const PER_FEED = 500;

export default async function bench(): Promise<BenchFigure[]> {
  const work = await benchDb('ingest');
  const copy = await benchDb('copy');
  const file = join(tmpdir(), `od-bench-items-${process.pid}.copy`);
  try {
    const { db } = work;
    const source = await db
      .insertInto('sources')
      .values({ name: 'bench', url: 'http://bench.example/rss.xml', kind: 'feed' })
      .returningAll()
      .executeTakeFirstOrThrow();
    await db
      .insertInto('rules')
      .values([
        { name: '拆迁补偿', expression: '(城关|河西|龙山)+(拆迁|补偿|强拆)-(招聘|广告)' },
        { name: '欠薪', expression: '(欠薪|讨薪|拖欠工资)-(招聘)' },
        { name: '水污染', expression: '(河|水|排污)+(污染|恶臭|死鱼)' },
        { name: '学校食堂', expression: '(学校|学生)+(食堂|饭菜)+(变质|腹泻|投诉)' },
      ])
      .execute();
    const deps: CrawlDeps = {
      db,
      logger: pino({ level: 'silent' }),
      settings: { timeoutMs: 1, connectTimeoutMs: 1, maxBytes: 1, maxRedirects: 0, userAgent: 'bench', backoffMaxS: 1, leaseMs: 1, maxDetailPages: 0 },
      limiter: new HostLimiter({ perHost: 1, minDelayMs: 0 }),
      rules: new RuleCache(db),
      allowlist: async () => new Set<string>(),
      publish: async () => {},
      now: () => new Date(),
    };
    const rand = prng(42);
    const xmls = Array.from({ length: FEEDS }, (_, f) => rssFeed('http://bench.example', f * PER_FEED, PER_FEED, rand));
    const allow = new Set<string>();

    let t = performance.now();
    const batches: ParsedEntry[][] = [];
    for (const xml of xmls) batches.push(await parseFeed(xml));
    const parseMs = performance.now() - t;

    t = performance.now();
    for (const entries of batches) await storeEntries(deps, source, entries, source.url, allow);
    const freshMs = performance.now() - t;

    t = performance.now();
    for (const entries of batches) await storeEntries(deps, source, entries, source.url, allow);
    const recrawlMs = performance.now() - t;

    const n = FEEDS * PER_FEED;
    const stored = Number((await sql<{ n: string }>`select count(*) as n from items`.execute(db)).rows[0].n);
    if (stored !== n) throw new Error(`expected ${n} items stored, found ${stored}`);

    // Baseline: the same rows, COPY'd into the same schema.
    await sql.raw(`copy (select id, source_id, null, url_key, url, guid, title, text, author, published_at, published_at_estimated, fetched_at, simhash, negativity, matched_rule_ids, matched_words from items) to '${file}'`).execute(db);
    await copy.db.insertInto('sources').values({ id: source.id, name: 'bench', url: source.url, kind: 'feed' } as never).execute();
    t = performance.now();
    await sql.raw(`copy items from '${file}'`).execute(copy.db);
    const copyMs = performance.now() - t;

    const pipelinePerS = (n * 1000) / (parseMs + freshMs);
    const copyPerS = (n * 1000) / copyMs;
    const ratio = recrawlMs / freshMs;
    return [
      {
        name: `ingest ${n} items (parse ${Math.round(parseMs)} ms + store ${Math.round(freshMs)} ms)`,
        value: pipelinePerS,
        unit: 'items/s',
        baseline: copyPerS,
        baselineName: 'COPY of the same rows',
        ratio: pipelinePerS / copyPerS,
        goal: '≥ 0.6',
        met: pipelinePerS / copyPerS >= 0.6,
      },
      {
        name: 're-crawl: store a 100 % known batch (from parsed entries)',
        value: recrawlMs,
        unit: 'ms',
        baseline: freshMs,
        baselineName: 'a fresh batch',
        ratio,
        goal: '≤ 0.10',
        met: ratio <= 0.1,
      },
    ];
  } finally {
    rmSync(file, { force: true });
    await work.drop();
    await copy.drop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { printFigures } = await import('./lib.js');
  printFigures('ingest', await bench());
}
