import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hoursText, percentText } from '../../core/reports/figures.js';
import type { Category, Level } from '../../core/vocabulary.js';
import { errorOf, makeItem, makeSource, makeStory } from '../api/helpers.js';
import { createFixture, H, makeCase, makeDepartment, makeUser, type Fixture, type TestUser } from '../helpers/app.js';
import { paragraphs, part, tableWithHeader, textOf, unzip } from './helpers.js';

// The weekly notice against GET /api/stats for the same week: every figure of the stored JSON and
// of the .docx read back out of its XML. Week 2026-W47 = Shanghai 11-16 … 11-22; now 11-24 16:00.

const sh = (text: string) => new Date(`${text.replace(' ', 'T')}:00+08:00`);
const NOW = sh('2026-11-24 16:00');

let f: Fixture;
let A: number;
let B: number;
let C: number;
let reviewer: TestUser;
let leader: TestUser;
const ids: Record<number, string> = {};

const SPECS: { n: number; dept: () => number; level: Level; category: Category; clock: string; after?: number; effect?: 'good' }[] = [
  { n: 1, dept: () => A, level: 'general', category: 'difficulty', clock: '2026-11-16 10:00', after: 10, effect: 'good' },
  { n: 2, dept: () => A, level: 'general', category: 'suggestion', clock: '2026-11-16 23:30', after: 20 },
  { n: 3, dept: () => A, level: 'significant', category: 'difficulty', clock: '2026-11-17 09:00', after: 50 },
  { n: 4, dept: () => A, level: 'general', category: 'rumour', clock: '2026-11-18 08:00' },
  { n: 5, dept: () => B, level: 'general', category: 'difficulty', clock: '2026-11-17 12:00', after: 30 },
  { n: 6, dept: () => B, level: 'significant', category: 'misunderstanding', clock: '2026-11-18 14:00', after: 47 },
  { n: 7, dept: () => B, level: 'general', category: 'wrong_view', clock: '2026-11-19 10:00', after: 60 },
  { n: 8, dept: () => B, level: 'general', category: 'other', clock: '2026-11-21 10:00' },
  { n: 9, dept: () => C, level: 'general', category: 'difficulty', clock: '2026-11-20 09:00', after: 5 },
  { n: 10, dept: () => C, level: 'major', category: 'emergency', clock: '2026-11-19 08:00', after: 6 },
  { n: 11, dept: () => C, level: 'general', category: 'suggestion', clock: '2026-11-10 10:00', after: 146 },
  { n: 12, dept: () => A, level: 'general', category: 'difficulty', clock: '2026-11-22 20:00' },
];

async function publish(caseId: string, at: Date, kinds: string[]) {
  await f.db.insertInto('responses').values({ case_id: caseId, body: '回应', status: 'published', published_at: at, channel: 'website' }).execute();
  await f.db.updateTable('cases').set({ status: 'responded', responded_at: at }).where('id', '=', caseId).execute();
  await sql`update obligations set status = 'met', met_at = ${at}, on_time = (${at}::timestamptz <= due_at)
            where case_id = ${caseId} and kind = any(${kinds}::text[])`.execute(f.db);
}

async function fetches(sourceId: number, statuses: string[], at: Date) {
  for (const [i, status] of statuses.entries()) {
    await f.db.insertInto('source_fetches').values({ source_id: sourceId, started_at: new Date(at.getTime() + i * H), duration_ms: 100, status: status as never }).execute();
  }
}

beforeAll(async () => {
  f = await createFixture('notice', NOW);
  A = await makeDepartment(f, '市水务局');
  B = await makeDepartment(f, '市住建局');
  C = await makeDepartment(f, '市教育局');
  reviewer = await makeUser(f, 'reviewer', null, '王审核');
  leader = await makeUser(f, 'leader');
  for (const s of SPECS) {
    const clock = sh(s.clock);
    const major = s.level === 'major';
    ids[s.n] = await makeCase(f, {
      lead: s.dept(),
      level: s.level,
      category: s.category,
      clockStartedAt: clock,
      title: `案例${s.n}`,
      obligations: major ? [{ kind: 'report', hours: 1 }, { kind: 'info', hours: 5 }, { kind: 'press', hours: 24 }] : [{ kind: 'response', hours: 48 }],
    });
    if (s.after !== undefined) await publish(ids[s.n], new Date(clock.getTime() + s.after * H), major ? ['info'] : ['response']);
    if (s.effect) await f.db.updateTable('cases').set({ effect_rating: s.effect }).where('id', '=', ids[s.n]).execute();
  }
  // Monitoring: 3 items and 2 alerts in the week (one just before it), and the crawl history.
  const forum = await makeSource(f.db, { name: '百姓论坛' });
  const down = await makeSource(f.db, { name: '县新闻网' });
  const walled = await makeSource(f.db, { name: '某门户' });
  const story = await makeStory(f.db, '热点', sh('2026-11-17 09:00'));
  for (const at of ['2026-11-17 09:00', '2026-11-17 10:00', '2026-11-20 12:00', '2026-11-15 23:00']) {
    await makeItem(f.db, forum, { title: `帖子${at}`, story_id: story, fetched_at: sh(at), published_at: sh(at) });
  }
  for (const at of ['2026-11-17 09:05', '2026-11-21 08:00', '2026-11-15 22:00']) {
    const s = await makeStory(f.db, `预警${at}`, sh(at));
    await f.db.insertInto('alerts').values({ story_id: s, created_at: sh(at), updated_at: sh(at) }).execute();
  }
  await fetches(forum, ['ok', 'ok'], sh('2026-11-17 08:00'));
  await fetches(down, ['ok', 'dns_error', 'timeout'], sh('2026-11-18 08:00'));
  await fetches(walled, ['blocked_challenge'], sh('2026-11-19 08:00'));
});
afterAll(async () => {
  await f.tdb.drop();
});

async function weekly(body: unknown, who = reviewer) {
  return f.as(who, 'POST', '/api/reports/weekly', body);
}

describe('the weekly notice agrees with GET /api/stats', () => {
  let report: any;
  let stats: any;
  let doc: string;

  beforeAll(async () => {
    const r = await weekly({ week: '2026-W47' });
    expect(r.status).toBe(201);
    report = await r.json();
    const s = await f.as(leader, 'GET', '/api/stats?from=2026-11-16&to=2026-11-22');
    expect(s.status).toBe(200);
    stats = await s.json();
    const file = await f.as(reviewer, 'GET', `/api/reports/${report.id}/file`);
    expect(file.status).toBe(200);
    doc = await part(await unzip(await file.arrayBuffer()), 'word/document.xml');
  });

  it('stores the figures GET /api/stats gives for the same week', () => {
    expect(report).toMatchObject({ kind: 'weekly', period: '2026-W47', periodLabel: '2026年第47周', status: 'draft', title: '关于2026年第47周政务舆情回应情况的通报', generatedBy: '王审核' });
    expect(report.from).toBe(stats.range.from);
    expect(report.to).toBe(stats.range.to);
    const o = report.figures.overview;
    expect(o).toMatchObject({
      itemsMonitored: 3,
      alerts: 2,
      casesOpened: stats.totals.cases,
      responded: stats.responseTime.count,
      judged: stats.onTime.judged,
      onTime: stats.onTime.onTime,
      late: stats.onTime.late,
      openOverdue: stats.onTime.openOverdue,
      overdue: stats.onTime.late + stats.onTime.openOverdue,
      onTimeRate: stats.onTime.rate,
      medianResponseHours: stats.responseTime.medianHours,
      averageResponseHours: stats.responseTime.averageHours,
      majorEvents: stats.byLevel.filter((l: any) => ['major', 'especially_major'].includes(l.key)).reduce((n: number, l: any) => n + l.count, 0),
    });
    expect(o.casesOpened).toBe(11);
    expect(o.onTimeRate).toBe(0.5556);
    expect(report.figures.departments).toEqual(
      stats.departments.map((d: any) => ({
        rank: d.rank,
        id: d.id,
        name: d.name,
        received: d.cases,
        responded: d.responded,
        judged: d.judged,
        onTime: d.onTime,
        overdue: d.judged - d.onTime,
        onTimeRate: d.onTimeRate,
        averageResponseHours: d.averageResponseHours,
        closed: d.closed,
        goodRate: d.goodRate,
        heatDrop: d.heatDrop,
        reflareRate: d.reflareRate,
        effectScore: d.effectScore,
        effectRank: d.effectRank,
      })),
    );
    expect(report.figures.overdueCases.map((x: any) => [x.caseId, x.kind, x.status, x.hoursLate, x.department.id])).toEqual(
      stats.overdue.map((x: any) => [x.caseId, x.kind, x.status, x.hoursLate, x.department.id]),
    );
    expect(report.figures.trend.map((d: any) => ({ day: d.day, opened: d.opened, responded: d.responded }))).toEqual(stats.daily);
    expect(report.figures.trend.map((d: any) => [d.items, d.alerts])).toEqual([[0, 0], [2, 1], [0, 0], [0, 0], [1, 0], [0, 1], [0, 0]]);
  });

  it('writes every figure into the document', () => {
    const ps = paragraphs(doc);
    // 版头 (the default profile's mark; a draft has no 期号 yet), then the title.
    expect(ps.slice(0, 3)).toEqual(['政务舆情通报', '（未编号）', '关于2026年第47周政务舆情回应情况的通报']);
    expect(ps).toContain('（草稿）');
    const overview = ps.find((p) => p.startsWith('2026年第47周（11月16日至11月22日）'))!;
    const o = stats.onTime;
    for (const bit of [
      '监测到网络信息3条',
      '产生预警2条',
      `转为事件并交办${stats.totals.cases}件`,
      '重大及以上舆情事件1件',
      `公开回应${stats.responseTime.count}件`,
      `平均回应用时${stats.responseTime.averageHours}小时`,
      `到期应回应${o.judged}件`,
      `按时回应${o.onTime}件`,
      `按时回应率${percentText(o.rate)}`,
      `超时${o.late + o.openOverdue}件（逾期回应${o.late}件，逾期未回应${o.openOverdue}件）`,
    ]) {
      expect(overview).toContain(bit);
    }
    const depts = tableWithHeader(doc, '排名', '责任单位');
    expect(depts[0]).toEqual(['排名', '责任单位', '承办', '回应', '按时', '超时', '按时回应率', '平均回应用时']);
    expect(depts.slice(1)).toEqual(
      stats.departments.map((d: any) => [
        String(d.rank),
        d.name,
        String(d.cases),
        String(d.responded),
        String(d.onTime),
        String(d.judged - d.onTime),
        percentText(d.onTimeRate),
        hoursText(d.averageResponseHours),
      ]),
    );
    const overdue = tableWithHeader(doc, '序号', '事项');
    expect(overdue.length - 1).toBe(stats.overdue.length);
    stats.overdue.forEach((x: any, i: number) => {
      const row = overdue[i + 1];
      expect(row[1]).toBe(`${x.caseNumber} ${x.caseTitle}`);
      expect(row[2]).toBe(x.department.name);
      expect(row[3]).toBe(x.kindLabel);
      expect(row[5]).toContain(`超时${x.hoursLate}小时`);
    });
    expect(ps.some((p) => p.includes('市水务局（2项）') && p.includes('现予以通报'))).toBe(true);
    const trend = tableWithHeader(doc, '日期', '监测信息（条）');
    expect(trend.slice(1).map((r) => [r[0], Number(r[3]), Number(r[4])])).toEqual(stats.daily.map((d: any) => [`${Number(d.day.slice(5, 7))}月${Number(d.day.slice(8))}日`, d.opened, d.responded]));
  });

  it('names good responses, the crawl health and next week\'s requirements', () => {
    const ps = paragraphs(doc);
    expect(report.notable).toContain('市水务局对“案例1”');
    expect(report.notable).toContain('在政府网站发布信息，回应效果评价为“好”');
    expect(ps.some((p) => p.startsWith('市水务局对“案例1”'))).toBe(true);
    const h = report.figures.crawlHealth;
    expect(h.unreachable.map((s: any) => [s.name, s.failures, s.lastStatus])).toEqual([['县新闻网', 2, 'timeout']]);
    expect(h.blocked.map((s: any) => [s.name, s.failures])).toEqual([['某门户', 1]]);
    expect(h.silent.map((s: any) => s.name).sort()).toEqual(['县新闻网', '某门户']);
    expect(ps).toContain('本期3个监测源共抓取6次。');
    expect(ps).toContain('无法访问的监测源1个：县新闻网（2次，最近一次：超时）。');
    expect(ps).toContain('本期无新增信息的监测源2个：县新闻网、某门户。');
    expect(ps).not.toContain('各监测源本期均有新增信息。');
    expect(ps.some((p) => p.startsWith('被拦截或拒绝的监测源1个：某门户'))).toBe(true);
    expect(report.requirements).toContain('市教育局、市水务局、市住建局要认真查找超时原因');
    expect(ps.some((p) => p.startsWith('市教育局、市水务局、市住建局要认真查找超时原因'))).toBe(true);
  });

  it('lays the document out as an official document: A4, margins, fonts, chart, page numbers', async () => {
    const file = await f.as(reviewer, 'GET', `/api/reports/${report.id}/file`);
    expect(file.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    const cd = file.headers.get('content-disposition')!;
    const star = /filename\*=UTF-8''([^;]+)/.exec(cd)![1];
    expect(decodeURIComponent(star)).toBe('周通报_2026-W47.docx');
    const zip = await unzip(await file.arrayBuffer());
    expect(doc).toMatch(/<w:pgSz w:w="11906" w:h="16838"/);
    expect(doc).toMatch(/<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587"/);
    expect(doc).toContain('w:eastAsia="方正小标宋简体"');
    expect(doc).toContain('w:eastAsia="仿宋_GB2312"');
    expect(doc).toContain('w:eastAsia="黑体"');
    expect(doc).toContain('w:eastAsia="楷体_GB2312"');
    expect(doc).toMatch(/<w:sz w:val="44"\/>[\s\S]*?关于2026年第47周/);
    expect(doc).toMatch(/<w:sz w:val="32"\/>/);
    const media = Object.keys(zip.files).filter((n) => n.startsWith('word/media/'));
    expect(media).toHaveLength(1);
    const png = await zip.file(media[0])!.async('nodebuffer');
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const footerName = Object.keys(zip.files).find((n) => /^word\/footer\d*\.xml$/.test(n))!;
    const footer = await part(zip, footerName);
    expect(footer).toContain('PAGE');
    expect(textOf(footer)).toContain('—');
  });

  it('generates a period once: a second request returns the same notice', async () => {
    const again = await weekly({ week: '2026-W47' }, reviewer);
    expect(again.status).toBe(200);
    expect((await again.json()).id).toBe(report.id);
    const n = await sql<{ n: number }>`select count(*)::int as n from reports where kind = 'weekly' and period = '2026-W47'`.execute(f.db);
    expect(n.rows[0].n).toBe(1);
  });
});

describe('draft → issued', () => {
  it('a reviewer edits the free text of a draft (figures stay), issues it, and then it is immutable', async () => {
    const created = await (await weekly({ week: '2026-W46' })).json();
    const figures = created.figures;
    const edited = await f.as(reviewer, 'PATCH', `/api/reports/${created.id}`, { notable: '市教育局主动回应，效果良好。', requirements: '一、加强研判。\n二、及时回应。' });
    expect(edited.status).toBe(200);
    const e = await edited.json();
    expect(e).toMatchObject({ notable: '市教育局主动回应，效果良好。', requirements: '一、加强研判。\n二、及时回应。', status: 'draft' });
    expect(e.figures).toEqual(figures);
    expect((await f.as(reviewer, 'PATCH', `/api/reports/${created.id}`, { figures: {} })).status).toBe(400);
    const doc1 = await part(await unzip(await (await f.as(reviewer, 'GET', `/api/reports/${created.id}/file`)).arrayBuffer()), 'word/document.xml');
    expect(paragraphs(doc1)).toEqual(expect.arrayContaining(['市教育局主动回应，效果良好。', '一、加强研判。', '二、及时回应。', '（草稿）']));

    const issued = await f.as(leader, 'POST', `/api/reports/${created.id}/issue`);
    expect(issued.status).toBe(200);
    const i = await issued.json();
    expect(i).toMatchObject({ status: 'issued', statusLabel: '已印发', issuedAt: NOW.toISOString() });
    expect(i.figures).toEqual(figures);
    const doc2 = await part(await unzip(await (await f.as(reviewer, 'GET', `/api/reports/${created.id}/file`)).arrayBuffer()), 'word/document.xml');
    expect(paragraphs(doc2)).not.toContain('（草稿）');
    expect(paragraphs(doc2)).toContain('2026年11月24日');

    const again = await f.as(reviewer, 'PATCH', `/api/reports/${created.id}`, { notable: '改' });
    expect(again.status).toBe(409);
    expect((await errorOf(again)).messageZh).toContain('已印发');
    expect((await f.as(reviewer, 'POST', `/api/reports/${created.id}/issue`)).status).toBe(409);

    const audit = await f.db.selectFrom('audit_log').select(['action', 'actor_id']).where('entity', '=', 'report').where('entity_id', '=', created.id).orderBy('id').execute();
    expect(audit).toEqual([
      { action: 'report.generate', actor_id: reviewer.id },
      { action: 'report.edit', actor_id: reviewer.id },
      { action: 'report.issue', actor_id: leader.id },
    ]);
  });

  it('lists notices newest period first, with paging', async () => {
    const first = await (await f.as(leader, 'GET', '/api/reports?limit=1')).json();
    expect(first.reports).toHaveLength(1);
    expect(first.reports[0].period).toBe('2026-W47');
    expect(first.reports[0].fileUrl).toBe(`/api/reports/${first.reports[0].id}/file`);
    const next = await (await f.as(leader, 'GET', `/api/reports?limit=1&cursor=${first.nextCursor}`)).json();
    expect(next.reports[0].period).toBe('2026-W46');
    const issued = await (await f.as(leader, 'GET', '/api/reports?status=issued')).json();
    expect(issued.reports.map((r: any) => r.period)).toEqual(['2026-W46']);
  });
});

describe('monthly, quarterly and any-range notices from the same code', () => {
  it.each([
    ['/api/reports/monthly', { month: '2026-11' }, 'from=2026-11-01&to=2026-11-30', '关于2026年11月政务舆情回应情况的通报'],
    ['/api/reports/quarterly', { quarter: '2026-Q4' }, 'from=2026-10-01&to=2026-12-31', '关于2026年第四季度政务舆情回应情况的通报'],
    ['/api/reports/weekly', { from: '2026-11-10', to: '2026-11-18' }, 'from=2026-11-10&to=2026-11-18', '关于2026年11月10日至11月18日政务舆情回应情况的通报'],
  ])('%s %j agrees with /api/stats?%s', async (path, body, query, title) => {
    const r = await f.as(leader, 'POST', path, body);
    expect(r.status).toBe(201);
    const rep = await r.json();
    const stats = await (await f.as(leader, 'GET', `/api/stats?${query}`)).json();
    expect(rep.title).toBe(title);
    expect([rep.from, rep.to]).toEqual([stats.range.from, stats.range.to]);
    expect(rep.figures.overview).toMatchObject({ casesOpened: stats.totals.cases, judged: stats.onTime.judged, onTime: stats.onTime.onTime, onTimeRate: stats.onTime.rate, responded: stats.responseTime.count });
    expect(rep.figures.departments.map((d: any) => [d.id, d.onTimeRate])).toEqual(stats.departments.map((d: any) => [d.id, d.onTimeRate]));
    expect(rep.figures.trend.map((d: any) => d.opened)).toEqual(stats.daily.map((d: any) => d.opened));
    const doc = await part(await unzip(await (await f.as(leader, 'GET', `/api/reports/${rep.id}/file`)).arrayBuffer()), 'word/document.xml');
    expect(paragraphs(doc)[2]).toBe(title);
  });
});

describe('validation and roles', () => {
  it('refuses periods that do not exist', async () => {
    for (const body of [{ week: '2027-W53' }, { week: '2026-47' }, {}, { week: '2026-W47', from: '2026-11-01' }, { from: '2026-11-10' }, { from: '2026-11-20', to: '2026-11-10' }]) {
      expect({ body, status: (await weekly(body)).status }).toEqual({ body, status: 400 });
    }
    expect((await f.as(leader, 'POST', '/api/reports/monthly', { month: '2026-13' })).status).toBe(400);
    expect((await f.as(leader, 'POST', '/api/reports/quarterly', { quarter: '2026-Q0' })).status).toBe(400);
    expect((await f.as(leader, 'GET', '/api/reports/999999')).status).toBe(404);
    expect((await f.as(leader, 'GET', '/api/reports/999999/file')).status).toBe(404);
  });

  it('handlers and duty officers neither make nor read notices; leaders may not edit the text', async () => {
    const handler = await makeUser(f, 'handler', A);
    const duty = await makeUser(f, 'duty');
    for (const u of [handler, duty]) {
      expect((await f.as(u, 'POST', '/api/reports/weekly', { week: '2026-W45' })).status).toBe(403);
      expect((await f.as(u, 'GET', '/api/reports')).status).toBe(403);
    }
    const created = await (await f.as(leader, 'POST', '/api/reports/weekly', { week: '2026-W45' })).json();
    expect((await f.as(leader, 'PATCH', `/api/reports/${created.id}`, { notable: 'x' })).status).toBe(403);
    expect((await f.as(handler, 'GET', `/api/reports/${created.id}/file`)).status).toBe(403);
  });
});
