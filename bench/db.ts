import { randomBytes } from 'node:crypto';
import { mulberry32 } from '../core/random.js';
import pg from 'pg';
import { createDb, type Db } from '../db/client.js';
import { migrateToLatest } from '../db/migrate.js';

export function benchAdminUrl(): string {
  return process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

export function benchRedisUrl(): string {
  return process.env.BENCH_REDIS_URL ?? process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
}

// The audit chain's key of the benchmarks' connections and of the processes they start (not a secret).
process.env.AUDIT_KEY ??= 'od-bench-audit-key-not-secret-0123456789abcdef';

/** A fresh, migrated database for one benchmark, dropped by `drop()`. */
export async function benchDb(label: string): Promise<{ db: Db; url: string; name: string; drop(): Promise<void> }> {
  const name = `od_bench_${label}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: benchAdminUrl() });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(benchAdminUrl());
  u.pathname = `/${name}`;
  const db = createDb(u.toString(), { max: 40 });
  await migrateToLatest(db);
  return {
    db,
    url: u.toString(),
    name,
    async drop() {
      await db.destroy();
      const c = new pg.Client({ connectionString: benchAdminUrl() });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** Deterministic PRNG. */
export const prng = mulberry32;

// A pool of common CJK characters; text drawn with a Zipf-like distribution, words of 1–3 characters.
const POOL = (() => {
  const chars: string[] = [];
  for (let c = 0x4e00; chars.length < 3500; c += 5) chars.push(String.fromCharCode(c));
  return chars;
})();

/** Chinese-like text of about `chars` characters, distinct per call, with punctuation. */
export function chineseText(rand: () => number, chars: number): string {
  let s = '';
  while (s.length < chars) {
    const len = 1 + Math.floor(rand() * 3);
    for (let i = 0; i < len; i++) s += POOL[Math.floor(POOL.length * rand() ** 2.2)];
    if (rand() < 0.08) s += rand() < 0.5 ? '，' : '。';
  }
  return s.slice(0, chars);
}

export function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An RSS 2.0 document of `n` items with unique links under `base`. */
export function rssFeed(base: string, startId: number, n: number, rand: () => number, textChars = 900): string {
  const items: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = startId + i;
    items.push(
      `<item><title>${xmlEscape(chineseText(rand, 24))} ${id}</title><link>${base}/a/${id}.html?utm_source=rss</link>` +
        `<guid>${base}/a/${id}.html</guid><pubDate>Wed, 25 Nov 2026 0${i % 10}:00:00 +0800</pubDate>` +
        `<description>${xmlEscape(chineseText(rand, textChars))}</description></item>`,
    );
  }
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>bench</title><link>${base}</link><description>bench</description>${items.join('')}</channel></rss>`;
}
