import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { addSource, crawlDeps } from '../helpers/crawl.js';
import { storeEntries } from '../../services/crawl/crawl-source.js';
import { writeAudit } from '../../db/repos/audit.js';
import type { ParsedEntry } from '../../services/crawl/parse.js';
import type { Source } from '../../db/schema.js';

let t: TestDb;
let news: Source;
let forum: Source;
let ruleId: number;

const ORIGINAL =
  '城关镇旧城改造项目拆迁补偿款迟迟未到位，多户居民反映已经等待半年。居民王先生说，房子去年就拆了，补偿协议也签了，可钱一直没有发下来，一家人只能租房住。记者联系了镇政府，工作人员表示正在核实情况，将尽快给出答复。';
const REPOST = `转自清河新闻网：${ORIGINAL.replace('半年', '六个月')}网友评论：希望尽快解决。`;
const UNRELATED =
  '清河市召开冬季供暖工作部署会，要求各供热单位提前检修管网，确保居民室温达标。会议强调，要畅通投诉渠道，对群众反映的问题做到件件有回音。';

const entry = (n: string, title: string, content: string): ParsedEntry => ({
  link: `https://news.example.gov.cn/a/${n}.html?utm_source=weixin#top`,
  guid: n,
  title,
  content,
  published: '2026-11-25 09:30',
  author: null,
});

beforeAll(async () => {
  t = await createTestDb('stories');
  const dept = await t.db.insertInto('departments').values({ name: '住建局' }).returning('id').executeTakeFirstOrThrow();
  ruleId = (
    await t.db
      .insertInto('rules')
      .values({
        name: '拆迁补偿',
        expression: '(城关|河西)+(拆迁|补偿|强拆)-(招聘|广告)',
        suggested_level: 'significant',
        suggested_category: 'difficulty',
        suggested_department_id: dept.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  const n = await addSource(t.db, { url: 'https://news.example.gov.cn/rss.xml', name: 'news' });
  const f = await addSource(t.db, { url: 'https://bbs.example.com/list', name: 'forum', kind: 'site' });
  news = await t.db.selectFrom('sources').selectAll().where('id', '=', n).executeTakeFirstOrThrow();
  forum = await t.db.selectFrom('sources').selectAll().where('id', '=', f).executeTakeFirstOrThrow();
});
afterAll(async () => t?.drop());

describe('items, stories and alerts', () => {
  it('stores canonical URLs, Shanghai dates and one alert for a matching story', async () => {
    const { deps } = crawlDeps(t.db);
    const r = await storeEntries(deps, news, [entry('1', '城关镇拆迁补偿款迟迟未到位', ORIGINAL), entry('2', '清河市部署冬季供暖', UNRELATED)], news.url, new Set());
    expect(r.inserted).toBe(2);
    const item = await t.db.selectFrom('items').selectAll().where('guid', '=', '1').executeTakeFirstOrThrow();
    expect(item.url).toBe('https://news.example.gov.cn/a/1.html');
    expect(item.published_at.toISOString()).toBe('2026-11-25T01:30:00.000Z');
    expect(item.published_at_estimated).toBe(false);
    expect(item.matched_rule_ids).toEqual([ruleId]);
    expect(item.matched_words).toEqual(expect.arrayContaining(['城关', '拆迁', '补偿']));

    const alerts = await t.db.selectFrom('alerts').selectAll().execute();
    expect(alerts).toHaveLength(1);
    expect(alerts[0].story_id).toBe(item.story_id);
    expect(alerts[0].suggested_level).toBe('significant');
    expect(alerts[0].suggested_category).toBe('difficulty');
    expect(alerts[0].status).toBe('new');
    expect(r.events.filter((e) => e.type === 'alert.created')).toHaveLength(1);
  });

  it('groups a repost from another source into the same story and raises its heat, not a new alert', async () => {
    const { deps } = crawlDeps(t.db);
    const r = await storeEntries(deps, forum, [entry('3', '转：城关镇拆迁补偿款迟迟未到位', REPOST)], forum.url, new Set());
    const original = await t.db.selectFrom('items').select('story_id').where('guid', '=', '1').executeTakeFirstOrThrow();
    const repost = await t.db.selectFrom('items').select('story_id').where('guid', '=', '3').executeTakeFirstOrThrow();
    expect(repost.story_id).toBe(original.story_id);
    const story = await t.db.selectFrom('stories').selectAll().where('id', '=', original.story_id!).executeTakeFirstOrThrow();
    expect(story.item_count).toBe(2);
    expect(story.source_count).toBe(2);
    expect(await t.db.selectFrom('alerts').select('id').execute()).toHaveLength(1);
    expect(r.events.map((e) => e.type)).toEqual(['alert.updated']);

    const unrelated = await t.db.selectFrom('items').select('story_id').where('guid', '=', '2').executeTakeFirstOrThrow();
    expect(unrelated.story_id).not.toBe(original.story_id);
  });

  it('marks a spike when many reposts arrive within the hour', async () => {
    const { deps } = crawlDeps(t.db);
    const reposts = [4, 5, 6, 7, 8].map((n) => entry(String(n), `转${n}：城关镇拆迁补偿款迟迟未到位`, `${REPOST}（第${n}次转发）`));
    await storeEntries(deps, forum, reposts, forum.url, new Set());
    const alert = await t.db.selectFrom('alerts').selectAll().executeTakeFirstOrThrow();
    expect(alert.spike).toBe(true);
    expect(alert.spike_at).not.toBeNull();
  });

  it('ignores entries already stored and entries repeated within one batch', async () => {
    const { deps } = crawlDeps(t.db);
    const again = [entry('1', 'x', ORIGINAL), entry('9', '重复条目', UNRELATED + '第九条'), entry('9', '重复条目', UNRELATED + '第九条')];
    const r = await storeEntries(deps, news, again, news.url, new Set());
    expect(r.inserted).toBe(1);
  });

  it('rebuilds the automaton when rules change', async () => {
    const { deps } = crawlDeps(t.db);
    await t.db.insertInto('rules').values({ name: '供暖', expression: '供暖+(投诉|不达标)' }).execute();
    const r = await storeEntries(deps, news, [entry('10', '供暖不达标 居民投诉', '河西街道多个小区供暖温度不达标，居民投诉无人处理。')], news.url, new Set());
    expect(r.events.filter((e) => e.type === 'alert.created')).toHaveLength(1);
  });
});

describe('lock order with admin edits', () => {
  it('a crawl that reopens a closed case’s alert waits for a source edit in progress instead of deadlocking with it', async () => {
    // The closed case of the story: its alert goes back to 'new' (with an audit row) on new items.
    const story = await t.db.selectFrom('items').select('story_id').where('guid', '=', '1').executeTakeFirstOrThrow();
    const dept = await t.db.selectFrom('departments').select('id').executeTakeFirstOrThrow();
    const at = new Date('2026-11-20T00:00:00Z');
    const kase = await t.db
      .insertInto('cases')
      .values({ number: 'YQ-2026-9001', title: '拆迁补偿', level: 'general', category: 'difficulty', status: 'closed', lead_department_id: dept.id, clock_started_at: at, opened_at: at, closed_at: at, created_at: at, updated_at: at })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.db.insertInto('case_stories').values({ case_id: kase.id, story_id: story.story_id! }).execute();
    await t.db.updateTable('alerts').set({ status: 'case', case_id: kase.id }).where('story_id', '=', story.story_id!).execute();

    // An admin's edit of the forum source, as the sources service does it: the source row, then
    // its audit row, in one transaction — held open while the crawl starts.
    let releaseAdmin!: () => void;
    const adminMayFinish = new Promise<void>((r) => (releaseAdmin = r));
    let adminLocked!: () => void;
    const adminHasLock = new Promise<void>((r) => (adminLocked = r));
    const admin = t.db.transaction().execute(async (trx) => {
      await trx.updateTable('sources').set({ name: 'forum (edited)' }).where('id', '=', forum.id).execute();
      adminLocked();
      await adminMayFinish;
      await writeAudit(trx, { actor: null, entity: 'source', entityId: forum.id, action: 'source.update', after: { name: 'forum (edited)' } });
    });
    await adminHasLock;

    // The crawl records its fetch on the source row in the same transaction (as the real crawl does).
    const { deps } = crawlDeps(t.db);
    const crawl = storeEntries(deps, forum, [entry('20', '转：城关镇拆迁补偿款迟迟未到位', `${REPOST}（办结后又有人转发）`)], forum.url, new Set(), async (trx) => {
      await trx.updateTable('sources').set({ last_fetch_at: new Date() }).where('id', '=', forum.id).execute();
    });
    // Give the crawl time to run as far as it can. Before the fix it wrote the reopen's audit row
    // (taking the audit chain's head) and then waited for the source row: the admin's audit row
    // below then closed the cycle and Postgres cancelled one of the two as a deadlock.
    await new Promise((r) => setTimeout(r, 400));
    releaseAdmin();
    await admin;
    const r = await crawl;
    expect(r.inserted).toBe(1);
    const alert = await t.db.selectFrom('alerts').select(['status', 'case_id']).where('story_id', '=', story.story_id!).executeTakeFirstOrThrow();
    expect(alert).toEqual({ status: 'new', case_id: kase.id });
    const actions = (await t.db.selectFrom('audit_log').select('action').orderBy('chain_seq').execute()).map((a) => a.action);
    expect(actions.slice(-2)).toEqual(['source.update', 'alert.reopen']);
  });
});
