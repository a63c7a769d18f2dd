import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDb, type Db } from '../db/client.js';
import { migrateToLatest } from '../db/migrate.js';

export function benchAdminUrl(): string {
  return process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

export function benchRedisUrl(): string {
  return process.env.BENCH_REDIS_URL ?? process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
}

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

/** Deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PHRASES = [
  '市民反映', '城关镇', '旧城改造', '拆迁补偿', '迟迟未到位', '相关部门', '表示将尽快核实', '河西街道', '农民工', '讨薪',
  '拖欠工资', '施工单位', '龙山镇', '河道', '排污', '散发恶臭', '学校食堂', '饭菜质量', '家长', '投诉',
  '市政府', '召开会议', '部署工作', '天气晴好', '交通管制', '文化活动', '志愿者', '社区', '养老服务', '医保政策',
  '住建局', '人社局', '生态环境局', '教育局', '市场监管局', '记者了解到', '据悉', '目前', '已经', '正在处理',
  '网友留言', '希望', '尽快解决', '回应', '调查', '核查', '整改', '通报', '居民', '小区',
];

/** Chinese sentence-like text of about `chars` characters. */
export function chineseText(rand: () => number, chars: number): string {
  let s = '';
  while (s.length < chars) {
    s += PHRASES[Math.floor(rand() * PHRASES.length)];
    s += rand() < 0.15 ? '。' : rand() < 0.3 ? '，' : '';
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
