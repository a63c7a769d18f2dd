import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../db/client.js';
import { runDailyBriefJob } from '../../worker/jobs/reports.daily.js';
import { createFixture, makeUser, type Fixture, type TestUser } from '../helpers/app.js';
import { testContext } from '../helpers/factories.js';
import { paragraphs, part, unzip } from './helpers.js';

// 舆情日报 (reports.daily) with an injected clock: one brief on a working day from 08:00 (Beijing),
// none on a weekend, a holiday or before the time, one on a 调休 Saturday, never two for a day —
// also when two workers race; the figures of a small seed; the leaders' notices; the 日报 list and file.

const sh = (text: string) => new Date(`${text.replace(' ', 'T')}:00+08:00`);
const NOW = sh('2026-12-07 09:00');
let f: Fixture;
let leader: TestUser;
let leaderIds: number[];

beforeAll(async () => {
  f = await createFixture('daily_brief', NOW);
  leader = await makeUser(f, 'leader', null, '李领导');
  const ctx = testContext(f.db);
  const other = await ctx.newUser({ role: 'leader', leaderRank: 'principal', displayName: '赵市长' });
  await ctx.newUser({ role: 'leader', disabled: true });
  leaderIds = [leader.id, other.id].sort((a, b) => a - b);
});
afterAll(async () => {
  await f.tdb.drop();
});

const briefs = async () => (await sql<{ day: string; serial_text: string }>`select to_char(day, 'YYYY-MM-DD') as day, serial_text from daily_briefs order by day`.execute(f.db)).rows;
const run = (at: string, db = f.db) => runDailyBriefJob(db, sh(at), '08:00');

describe('reports.daily: when a brief is made', () => {
  it('none on a holiday, a weekend or before 08:00; one on a working day, even when two workers race; none twice', async () => {
    expect((await run('2026-10-01 08:00')).created).toBe(false); // 国庆节
    expect((await run('2026-12-05 09:00')).created).toBe(false); // Saturday
    expect((await run('2026-12-04 07:40')).created).toBe(false); // too early
    expect(await briefs()).toEqual([]);

    const other = createDb(f.tdb.url, { max: 3 });
    try {
      const results = await Promise.all([run('2026-12-04 08:00'), run('2026-12-04 08:00', other), run('2026-12-04 08:00'), run('2026-12-04 08:00', other)]);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.id)).size).toBe(1);
    } finally {
      await other.destroy();
    }
    // A catch-up run later that day (a worker restarted) makes none.
    expect((await run('2026-12-04 15:00')).created).toBe(false);
    expect(await briefs()).toEqual([{ day: '2026-12-04', serial_text: '〔2026〕日报第1期' }]);
  });

  it('a 调休 Saturday is a working day: a brief is made', async () => {
    const r = await run('2026-10-10 08:05');
    expect(r).toMatchObject({ created: true, day: '2026-10-10' });
    expect((await briefs()).map((b) => b.day)).toEqual(['2026-10-10', '2026-12-04']);
  });
});

describe('the brief of Monday 2026-12-07 on a small seed', () => {
  let figures: any;
  let id: string;
  beforeAll(async () => {
    const ctx = testContext(f.db);
    const dept = await ctx.newDepartment({ name: '市住建局' });
    // Opened after the last brief (Friday 08:00): a new case, its response due tomorrow 10:00.
    const fresh = await ctx.newCase({ lead: dept.id, level: 'significant', title: '小区停水', clockStartedAt: sh('2026-12-06 10:00'), obligations: [{ kind: 'response', hours: 48 }] });
    // Opened before it: not new; its response was due Saturday and is still open — a breach.
    await ctx.newCase({ lead: dept.id, title: '物业收取“停车费”', clockStartedAt: sh('2026-12-03 10:00'), obligations: [{ kind: 'response', hours: 48 }] });
    // Due today 15:00, met already: neither a deadline nor a breach.
    const met = await ctx.newCase({ lead: dept.id, title: '道路积水', clockStartedAt: sh('2026-12-03 15:00'), obligations: [{ kind: 'response', hours: 96 }] });
    await sql`update obligations set status = 'met', met_at = ${sh('2026-12-05 09:00')}, on_time = true where case_id = ${met.id}`.execute(f.db);
    // Opened after the last brief too; due in three days: new, but not yet a deadline.
    await ctx.newCase({ lead: dept.id, title: '学校周边施工噪音', clockStartedAt: sh('2026-12-06 09:00'), obligations: [{ kind: 'response', hours: 96 }] });
    // Closed with an open obligation past due: not a breach to chase.
    const closed = await ctx.newCase({ lead: dept.id, status: 'closed', title: '已办结', clockStartedAt: sh('2026-12-01 09:00'), obligations: [{ kind: 'response', hours: 48 }] });
    expect(closed.status).toBe('closed');
    // Alerts: three since the last brief (one negative, one spike), one older still untriaged.
    const alerts = [];
    for (const [title, at] of [['旧预警', '2026-12-03 12:00'], ['新预警一', '2026-12-05 09:00'], ['新预警二', '2026-12-06 20:00'], ['新预警三', '2026-12-07 07:30']] as const) {
      const { alert } = await ctx.newAlert({ title, firstSeen: sh(at) });
      await sql`update alerts set created_at = ${sh(at)} where id = ${alert.id}`.execute(f.db);
      alerts.push(alert.id);
    }
    await sql`update alerts set negativity = 0.6 where id = ${alerts[1]}`.execute(f.db);
    await sql`update alerts set spike = true, status = 'dismissed' where id = ${alerts[2]}`.execute(f.db);
    await sql`insert into heightened_periods (name, starts_at, ends_at, factor) values
      ('全国两会', ${sh('2026-12-06 00:00')}, ${sh('2026-12-09 00:00')}, 0.5),
      ('已结束', ${sh('2026-11-01 00:00')}, ${sh('2026-11-05 00:00')}, 0.5)`.execute(f.db);

    // The leaders' channels: a WeCom group robot.
    await f.db.insertInto('notification_channels').values({ kind: 'webhook', name: '领导群', config: JSON.stringify({ url: 'http://127.0.0.1:9/wecom', format: 'wecom' }) }).execute();
    const r = await run('2026-12-07 08:00');
    expect(r.created).toBe(true);
    id = r.id!;
    figures = (await sql<{ figures: any }>`select figures from daily_briefs where id = ${id}`.execute(f.db)).rows[0]!.figures;
    expect(fresh.number).toBeTruthy();
  });

  it('counts what is new since the last brief, what falls due today and tomorrow, the breaches and the periods in force', () => {
    expect(figures.since).toBe(sh('2026-12-04 08:00').toISOString());
    expect(figures.alerts).toEqual({ total: 3, untriaged: 3, negative: 1, spikes: 1 });
    expect(figures.newCases.map((c: any) => c.title)).toEqual(['学校周边施工噪音', '小区停水']);
    expect(figures.deadlines.map((d: any) => [d.caseTitle, d.dueAt])).toEqual([['小区停水', sh('2026-12-08 10:00').toISOString()]]);
    expect(figures.breaches.map((d: any) => [d.caseTitle, d.dueAt])).toEqual([['物业收取“停车费”', sh('2026-12-05 10:00').toISOString()]]);
    expect(figures.periods.map((p: any) => p.name)).toEqual(['全国两会']);
  });

  it('tells every active leader, once, in a short text — in the app (rendered per reader) and on the channels; audited', async () => {
    const rows = (await sql<{ user_id: number; title: string; body: string; key: string }>`select user_id, title, body, key from notifications where key = 'report.daily_brief' and created_at >= ${sh('2026-12-07 00:00')} order by user_id`.execute(f.db)).rows;
    expect(rows.map((r) => r.user_id)).toEqual(leaderIds);
    expect(rows[0]!.title).toBe('【舆情日报】12月7日：新增预警3条、事件2件，今明到期1项，超期1项');
    expect(rows[0]!.body).toContain('重点时段：全国两会');
    expect(rows[0]!.title.length + rows[0]!.body.length).toBeLessThan(120);
    // The same short Chinese text goes to the channels, once per leader.
    const sent = (
      await sql<{ title: string; target: string }>`select d.payload->>'title' as title, d.target from notification_deliveries d join notifications n on n.id = d.notification_id
        where n.key = 'report.daily_brief' and n.created_at >= ${sh('2026-12-07 00:00')} order by n.user_id`.execute(f.db)
    ).rows;
    expect(sent).toEqual(rows.map((r) => ({ title: r.title, target: 'http://127.0.0.1:9/wecom' })));
    const audit = (await sql<{ n: number }>`select count(*)::int as n from audit_log where action = 'daily_brief.generate' and entity_id = ${id}`.execute(f.db)).rows[0]!.n;
    expect(audit).toBe(1);
    const en = await f.as(leader, 'GET', '/api/notifications?lang=en');
    expect(JSON.stringify(await en.json())).toContain('[Daily brief] 12月7日');
  });

  it('is listed under 日报 and downloads as a 公文 .docx with its 期号, dated title and sections', async () => {
    const list = await f.as(leader, 'GET', '/api/daily-briefs');
    expect(list.status).toBe(200);
    const body = await list.json();
    expect(body.briefs.map((b: any) => [b.day, b.serial, b.cases, b.deadlines, b.breaches])).toEqual([
      ['2026-12-07', '〔2026〕日报第3期', 2, 1, 1],
      ['2026-12-04', '〔2026〕日报第1期', 0, 0, 0],
      ['2026-10-10', '〔2026〕日报第2期', 0, 0, 0],
    ]);
    const file = await f.as(leader, 'GET', `/api/daily-briefs/${id}/file`);
    expect(file.status).toBe(200);
    const text = paragraphs(await part(await unzip(await file.arrayBuffer()), 'word/document.xml'));
    expect(text).toContain('〔2026〕日报第3期');
    expect(text).toContain('舆情日报（2026年12月7日）');
    for (const h of ['一、新增舆情', '二、今明两日到期事项', '三、超期未办事项', '四、重点时段']) expect(text).toContain(h);
    expect(text.join('\n')).toContain('物业收取‘停车费’');
    expect((await f.as(leader, 'GET', '/api/daily-briefs/999999/file')).status).toBe(404);
  });
});
