import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../test/helpers/db.js';
import { verify } from '@node-rs/argon2';
import { getOfficeProfile } from '../db/repos/office-profile.js';
import { DEMO_DEPARTMENTS, DEMO_OFFICE_PROFILE, DEMO_REAL_FEEDS, DEMO_RULES, DEMO_SEARCH_QUERIES, DEMO_USERS, FORUM_SELECTORS, seedDemo, seedDemoUsers } from './seed.js';

const SITE = 'http://127.0.0.1:3100';
let t: TestDb;

beforeAll(async () => {
  t = await createTestDb('seed');
});
afterAll(async () => {
  await t?.drop();
});

async function counts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of ['departments', 'rules', 'sources', 'fetch_allowlist'] as const) {
    const r = await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(t.db);
    out[table] = Number(r.rows[0].n);
  }
  return out;
}

describe('seedDemo', () => {
  it('seeds the demo organisation once; a second run adds nothing', async () => {
    await seedDemo(t.db, SITE);
    const first = await counts();
    expect(first).toEqual({ departments: DEMO_DEPARTMENTS.length, rules: DEMO_RULES.length, sources: 12 + DEMO_REAL_FEEDS.length, fetch_allowlist: 1 });
    await seedDemo(t.db, SITE);
    expect(await counts()).toEqual(first);
  });

  it('fills the office profile (单位信息) on the first seed, audited', async () => {
    expect(await getOfficeProfile(t.db)).toMatchObject({ ...DEMO_OFFICE_PROFILE, organ: '清河市人民政府办公室', mark: '清河市政务舆情通报' });
    const audit = await t.db.selectFrom('audit_log').select(['action']).where('entity', '=', 'office_profile').execute();
    expect(audit).toEqual([{ action: 'office_profile.update' }]);
    // A later start leaves an administrator's edit alone.
    await sql`update office_profile set mark = '清河市舆情通报'`.execute(t.db);
    await seedDemo(t.db, SITE);
    expect((await getOfficeProfile(t.db)).mark).toBe('清河市舆情通报');
  });

  it('points the RSSHub base at the fixture site\'s fake RSSHub, audited, and adds a 留言板 and a 微博关键词 source through it', async () => {
    const settings = await t.db.withTables<{ rsshub_settings: { base_url: string | null } }>().selectFrom('rsshub_settings').select('base_url').executeTakeFirstOrThrow();
    expect(settings.base_url).toBe(`${SITE}/rsshub`);
    const audit = await t.db.selectFrom('audit_log').select(['action', 'after']).where('entity', '=', 'rsshub_settings').execute();
    expect(audit).toEqual([{ action: 'rsshub.update', after: { baseUrl: `${SITE}/rsshub` } }]);
    const urls = (await t.db.selectFrom('sources').select('url').execute()).map((r) => r.url);
    expect(urls).toContain(`${SITE}/rsshub/people/liuyan/539/1`);
    expect(urls).toContain(`${SITE}/rsshub/weibo/keyword/%E6%B8%85%E6%B2%B3`);
  });

  it('links rules to their departments with level and category', async () => {
    const rows = await t.db
      .selectFrom('rules')
      .innerJoin('departments', 'departments.id', 'rules.suggested_department_id')
      .select(['rules.name', 'rules.expression', 'rules.suggested_level', 'rules.suggested_category', 'departments.name as department'])
      .orderBy('rules.id')
      .execute();
    expect(rows.map((r) => r.department)).toEqual(['住建局', '人社局', '生态环境局', '教育局', '公安局']);
    expect(rows[0]).toMatchObject({
      name: '拆迁补偿',
      expression: '(城关|河西|龙山|清河)+(拆迁|补偿|强拆|征收)-(招聘|广告)',
      suggested_level: 'significant',
      suggested_category: 'difficulty',
    });
    expect(rows[3]).toMatchObject({ name: '学校食堂', suggested_level: 'major' });
    expect(rows[4]).toMatchObject({ suggested_category: 'rumour' });
    const kinds = await t.db.selectFrom('departments').select(['name', 'kind']).execute();
    expect(kinds).toEqual(expect.arrayContaining([
      { name: '市政府办公室', kind: 'office' },
      { name: '城关镇', kind: 'town' },
      { name: '市场监管局', kind: 'bureau' },
    ]));
  });

  it('points the sources at the fixture site and allow-lists its host:port', async () => {
    const sources = await t.db.selectFrom('sources').selectAll().orderBy('id').execute();
    expect(sources.every((s) => s.url.startsWith(`${SITE}/`))).toBe(true);
    const byPath = new Map(sources.map((s) => [s.url.slice(SITE.length), s]));
    expect(byPath.get('/news/rss.xml')).toMatchObject({ kind: 'feed', media_type: 'news' });
    expect(byPath.get('/forum/list.html')).toMatchObject({ kind: 'site', media_type: 'forum', selectors: FORUM_SELECTORS });
    expect(byPath.get('/mailbox/index.html')).toMatchObject({ kind: 'site', media_type: 'mailbox', charset: null });
    expect(byPath.get('/mailbox/index.html')!.selectors?.text).toBe('div.letter-content');
    expect(byPath.get('/gov/rdf.xml')).toMatchObject({ media_type: 'gov_media' });
    expect(byPath.get('/search/news?q={query}&page={page}&format=rss')).toMatchObject({
      kind: 'search',
      name: '清河新闻搜索',
      search_config: { queries: DEMO_SEARCH_QUERIES, ruleId: null, format: 'rss', selectors: null },
    });
    for (const p of ['/broken/feed.xml', '/slow/feed.xml', '/error/feed.xml', '/challenge/feed.xml', '/real/encoding-gb2312.xml']) expect(byPath.has(p), p).toBe(true);
    for (const p of ['/news/rss.xml', '/forum/list.html', '/mailbox/index.html', '/gov/rdf.xml']) {
      expect(byPath.get(p)!.poll_interval_s).toBeGreaterThanOrEqual(10);
      expect(byPath.get(p)!.poll_interval_s).toBeLessThanOrEqual(30);
    }
    expect(await t.db.selectFrom('fetch_allowlist').select(['host_port', 'note']).execute()).toEqual([{ host_port: '127.0.0.1:3100', note: '演示站点' }]);
  });

  it('two processes seeding an empty database at once seed it once', async () => {
    await sql`delete from sources; delete from rules; delete from departments; delete from fetch_allowlist`.execute(t.db);
    await Promise.all([seedDemo(t.db, SITE), seedDemo(t.db, SITE), seedDemo(t.db, SITE)]);
    expect(await counts()).toEqual({ departments: DEMO_DEPARTMENTS.length, rules: DEMO_RULES.length, sources: 12 + DEMO_REAL_FEEDS.length, fetch_allowlist: 1 });
  });
});

describe('seedDemoUsers', () => {
  it('creates one user per role with the demo password, once; existing usernames are left alone', async () => {
    await seedDemo(t.db, SITE);
    await t.db.insertInto('users').values({ username: 'Leader2', display_name: '已有', role: 'leader', password_hash: 'x' }).execute();
    const created = await seedDemoUsers(t.db, 'demo-pass-9');
    expect(created).toEqual(DEMO_USERS.map((u) => u.username).filter((n) => n !== 'leader2'));
    expect(await seedDemoUsers(t.db, 'demo-pass-9')).toEqual([]);
    const users = await t.db
      .selectFrom('users')
      .innerJoin('departments', 'departments.id', 'users.department_id')
      .select(['username', 'role', 'leader_rank', 'password_hash', 'departments.name as dept'])
      .orderBy('users.id')
      .execute();
    expect(new Set(users.map((u) => u.role))).toEqual(new Set(['admin', 'duty', 'handler', 'reviewer', 'leader']));
    expect(users.find((u) => u.username === 'handler')?.dept).toBe('住建局');
    expect(users.find((u) => u.username === 'handler2')?.dept).toBe('人社局');
    expect(users.find((u) => u.username === 'leader')).toMatchObject({ dept: '市政府办公室', leader_rank: 'in_charge' });
    expect(await verify(users[0].password_hash, 'demo-pass-9')).toBe(true);
  });
});
