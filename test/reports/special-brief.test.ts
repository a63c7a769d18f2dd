import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderDocx, unspaced, updateDocScreens } from './render-pdf.js';
import { part, paragraphs, unzip } from './helpers.js';
import { auditCount, createFixture, makeAlert, makeCase, makeDepartment, makeUser, obligationsOf, type Fixture, type TestUser } from '../helpers/app.js';

// 舆情专报 (POST /api/cases/{id}/briefs with kind 'special'): the second kind of brief beside the
// 快报, issued the same way — one 上报 to its recipient meeting an open report obligation, its own
// 期号 scheme from the office profile (per year, in turn under parallel issue), stored unchanged,
// listed and downloadable, audited, the leaders told. Its six sections: 舆情概况, 传播情况 (the heat
// chart and the top sources table), 网民主要观点 (distinct representative texts, quoted),
// 研判 (level, risk), 处置情况 (交办, responses, reports up, obligations), 下一步建议. Rendered through
// LibreOffice and read back with pdftotext; the pages are saved as PNGs under test/artifacts/special/.

const sh = (text: string) => new Date(`${text.replace(' ', 'T')}:00+08:00`);
const NOW = sh('2026-12-07 15:30');
const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'artifacts', 'special');

const PROFILE = {
  organ: '清河市人民政府办公室',
  mark: '清河市政务舆情专报',
  serialFormats: { weekly: '〔{年}〕第{号}期', monthly: '〔{年}〕月第{号}期', quarterly: '〔{年}〕季第{号}期', range: '〔{年}〕专第{号}期' },
  recipients: '各乡镇人民政府、街道办事处，市直各部门：',
  copyTo: '市委办公室，市人大常委会办公室。',
  printingOrgan: '清河市人民政府办公室',
  signature: '清河市人民政府办公室',
  disclosure: 'not_public',
  rectificationTo: '市政府办公室政务公开科',
};

let f: Fixture;
let duty: TestUser;
let leader: TestUser;
let handlerB: TestUser;
let water: number;
let caseId: string;
let closedId: string;

beforeAll(async () => {
  f = await createFixture('special_brief', NOW);
  water = await makeDepartment(f, '市水务局');
  const other = await makeDepartment(f, '市住建局');
  duty = await makeUser(f, 'duty', null, '赵值班');
  leader = await makeUser(f, 'leader', null, '孙领导');
  handlerB = await makeUser(f, 'handler', other, '钱经办');
  const admin = await makeUser(f, 'admin');
  // The 专报's own 期号 scheme; a later write of the profile without it keeps it.
  expect((await f.as(admin, 'PUT', '/api/office-profile', { ...PROFILE, serialFormats: { ...PROFILE.serialFormats, special: '清河专报〔{年}〕第{号}期' } })).status).toBe(200);
  expect((await f.as(admin, 'PUT', '/api/office-profile', PROFILE)).status).toBe(200);
  expect((await (await f.as(admin, 'GET', '/api/office-profile')).json()).serialFormats.special).toBe('清河专报〔{年}〕第{号}期');

  const first = sh('2026-12-07 09:12');
  const { storyId } = await makeAlert(f, '城南水厂停水', first, ['清河论坛', '微博']);
  caseId = await makeCase(f, {
    lead: water,
    level: 'major',
    category: 'emergency',
    clockStartedAt: first,
    title: '城南片区大面积停水，居民称“三天没水”',
    obligations: [
      { kind: 'report', hours: 8 },
      { kind: 'response', hours: 24 },
    ],
  });
  await f.db.updateTable('cases').set({ summary: '城南片区自12月6日晚起大面积停水，网民反映持续时间长、未见通知。', assigned_at: sh('2026-12-07 09:40') }).where('id', '=', caseId).execute();
  await f.db.insertInto('case_stories').values({ case_id: caseId, story_id: storyId }).execute();
  // The spread over the day: most at 11时 (the peak), fewer since; the texts people wrote, one said twice.
  const src = async (name: string) => (await f.db.selectFrom('sources').select('id').where('name', '=', name).executeTakeFirst())?.id ?? (await f.newSource({ name })).id;
  const posts: [string, string, string, number][] = [
    ['11:05', '清河论坛', '城南三天没水了，物业说“等通知”，到底等到什么时候？', 0.9],
    ['11:10', '微博', '城南三天没水了 物业说‘等通知’ 到底等到什么时候', 0.85],
    ['11:20', '今日头条', '水厂管道爆裂，抢修进度没人公布，老人孩子用水很难。', 0.8],
    ['11:40', '微博', '送水车只去了两个小区，其他小区的居民只能自己去买水。', 0.7],
    ['11:50', '清河论坛', '希望有关部门尽快公布恢复供水的时间。', 0.5],
    ['13:10', '微博', '听说今晚能来水，有没有官方消息？', 0.4],
    ['14:20', '抖音', '城南停水第三天，排队接水的队伍很长。', 0.3],
  ];
  for (const [hm, name, text, negativity] of posts) {
    const at = sh(`2026-12-07 ${hm}`);
    await f.newItem(await src(name), { title: text.slice(0, 12), text, story_id: storyId, published_at: at, fetched_at: at, negativity });
  }
  closedId = await makeCase(f, { lead: water, clockStartedAt: sh('2026-12-01 09:00'), status: 'closed', title: '已办结事件' });
});
afterAll(async () => {
  await f.tdb.drop();
});

describe('舆情专报', () => {
  let briefId = '';

  it('offers its six sections to edit before issue, written from the case (nothing recorded by looking)', async () => {
    const r = await f.as(duty, 'GET', `/api/cases/${caseId}/briefs/draft?kind=special`);
    expect(r.status).toBe(200);
    const d = await r.json();
    expect(d.kind).toBe('special');
    expect(d.title).toBe('关于“城南片区大面积停水，居民称‘三天没水’”的舆情专报');
    expect(d.situation).toBeUndefined();
    expect(d.overview).toContain('共监测到相关信息9条，涉及4个信息来源');
    // The peak hour and the top sources, in words beside the chart and the table.
    expect(d.spread).toContain('信息量在12月7日11时前后达到峰值（5条）');
    expect(d.spread).toContain('目前已较峰值回落');
    expect(d.spread).toMatch(/微博4条、清河论坛3条/);
    // Distinct views, the most telling first, quoted with nested marks; the same words said twice are one view.
    const views = d.views.split('\n');
    expect(views[1]).toBe('（一）清河论坛网民称：“城南三天没水了，物业说‘等通知’，到底等到什么时候？”');
    expect(views.filter((v: string) => v.includes('城南三天没水了'))).toHaveLength(1);
    expect(views[2]).toBe('（二）今日头条网民称：“水厂管道爆裂，抢修进度没人公布，老人孩子用水很难。”');
    expect(views).toHaveLength(6);
    expect(views[0]).toBe('网民观点主要有以下五类：');
    // 研判: the level and the risk (major, no response yet).
    expect(d.assessment).toContain('该事件定为重大舆情，类别为突发事件');
    expect(d.assessment).toMatch(/舆情风险较高：尚未公开回应/);
    // 处置情况 from the timeline; the report obligation shown as met by this brief.
    expect(d.handling).toContain('12月7日9时40分，已交办市水务局牵头处置。');
    expect(d.handling).toContain('向领导和上级报告，时限12月7日17时12分，已于12月7日15时30分完成。');
    expect(d.next).toMatch(/^（一）督促市水务局在12月8日9时12分前公开回应/);
    expect(await f.db.selectFrom('reports_up').select('id').where('case_id', '=', caseId).execute()).toEqual([]);
    expect((await f.as(duty, 'GET', `/api/cases/${caseId}/briefs/draft?kind=weekly`)).status).toBe(400);
    expect((await f.as(duty, 'GET', `/api/cases/${closedId}/briefs/draft?kind=special`)).status).toBe(409);
  });

  it('is issued in one click: a 上报 meeting the open report obligation, its own 期号, audited, the leader told', async () => {
    const before = await auditCount(f, { caseId });
    const r = await f.as(duty, 'POST', `/api/cases/${caseId}/briefs`, { kind: 'special', recipient: '市委办公室、市政府办公室' });
    expect(r.status, await r.clone().text()).toBe(201);
    const b = await r.json();
    briefId = b.id;
    expect(b).toMatchObject({ kind: 'special', serial: '清河专报〔2026〕第1期', recipient: '市委办公室、市政府办公室', issuedBy: '赵值班' });
    expect(b.title).toBe('关于“城南片区大面积停水，居民称‘三天没水’”的舆情专报');
    const up = await f.db.selectFrom('reports_up').selectAll().where('case_id', '=', caseId).executeTakeFirstOrThrow();
    expect(String(up.id)).toBe(b.reportUpId);
    expect(up).toMatchObject({ recipient: '市委办公室、市政府办公室', reported_at: NOW });
    expect(up.content).toBe(`报送舆情专报：${b.title}`);
    expect(b.met).toEqual([expect.objectContaining({ kind: 'report', onTime: true })]);
    expect((await obligationsOf(f, caseId)).find((o) => o.kind === 'report')).toMatchObject({ status: 'met', met_by: `report_up:${b.reportUpId}` });
    expect(await auditCount(f, { caseId, action: 'case.special_brief_issue' })).toBe(1);
    expect(await auditCount(f, { caseId, action: 'case.brief_issue' })).toBe(0);
    expect(await auditCount(f, { caseId })).toBe(before + 2);
    const told = await f.db.selectFrom('notifications').select(['kind', 'params']).where('user_id', '=', leader.id).where('case_id', '=', caseId).execute();
    expect(told).toHaveLength(1);
    expect(told[0].kind).toBe('case.report_up');
    expect(JSON.stringify(told[0].params)).toContain('报送舆情专报');
    // The 快报 keeps its own numbering (the default scheme, its first number).
    const flash = await (await f.as(duty, 'POST', `/api/cases/${caseId}/briefs`, { recipient: '市政府办公室' })).json();
    expect(flash).toMatchObject({ kind: 'flash', serial: '〔2026〕快报第1期' });
  });

  it('reads as a 公文: 版头, 期号, title, 主送, the six sections with the chart and the sources table, 落款, 版记 on the last page', async () => {
    const file = await f.as(duty, 'GET', `/api/cases/${caseId}/briefs/${briefId}/file`);
    expect(file.status).toBe(200);
    expect(decodeURIComponent(/filename\*=UTF-8''([^;]+)/.exec(file.headers.get('content-disposition')!)![1])).toMatch(/^舆情专报_YQ-.+_清河专报〔2026〕第1期\.docx$/);
    const docx = Buffer.from(await file.arrayBuffer());
    // The text as issued: the 上报 this brief is does not stand in its own timeline.
    const paras = paragraphs(await part(await unzip(docx), 'word/document.xml'));
    expect(paras.filter((p) => p.includes('已向市委办公室、市政府办公室报告'))).toEqual([]);
    const { pdfPath, pages: raw } = renderDocx(docx, 'special-1', OUT, { prefix: 'special', dpi: 70 });
    const pages = raw.map(unspaced);
    updateDocScreens(pdfPath, [{ page: 2, name: 'special-spread' }]);
    const all = pages.join('').replace(/\s+/g, '');
    expect(pages.length).toBeGreaterThanOrEqual(2);
    expect(pages.length).toBeLessThanOrEqual(5);
    const lines = pages[0].split('\n').map((l) => l.trim()).filter(Boolean);
    expect(lines[0]).toBe('清河市政务舆情专报');
    expect(lines[1]).toBe('清河专报〔2026〕第1期');
    expect(all).toContain('关于“城南片区大面积停水，居民称‘三天没水’”的舆情专报');
    expect(all).toContain('市委办公室、市政府办公室：');
    const headings = ['一、舆情概况', '二、传播情况', '三、网民主要观点', '四、研判', '五、处置情况', '六、下一步建议'];
    const at = headings.map((h) => all.indexOf(h));
    expect(at.every((i) => i >= 0), JSON.stringify(at)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    // The chart: an image in the PDF, its caption with the span, units and axes; the sources table.
    const images = execFileSync('pdfimages', ['-list', pdfPath], { encoding: 'utf8' }).split('\n').slice(2).filter((l) => l.trim() !== '');
    expect(images.length).toBeGreaterThanOrEqual(1);
    expect(all).toContain('图1舆情热度走势（12月7日9时至12月7日15时，每小时；柱：新增信息，条，左轴；折线：累计信息，条，右轴）');
    expect(all).toContain('表1主要传播平台');
    expect(all).toMatch(/1微博4/);
    expect(all).toContain('“城南三天没水了，物业说‘等通知’，到底等到什么时候？”');
    expect(all).toContain('舆情风险较高');
    expect(all).toContain('（此件不予公开）');
    const last = pages[pages.length - 1];
    expect(last.replace(/\s+/g, '')).toContain('抄送：市委办公室，市人大常委会办公室。');
    expect(last).toMatch(/清河市人民政府办公室\s+2026年12月7日印发/);
    for (const p of pages.slice(0, -1)) expect(p).not.toContain('印发');
    expect(all).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  }, 150_000);

  it('is listed beside the 快报, never changes, and is issued with the text as edited', async () => {
    const list = await (await f.as(duty, 'GET', `/api/cases/${caseId}/briefs`)).json();
    expect(list.briefs.map((b: { kind: string; serial: string }) => `${b.kind} ${b.serial}`)).toEqual(['flash 〔2026〕快报第1期', 'special 清河专报〔2026〕第1期']);
    await expect(f.db.updateTable('case_briefs' as never).set({ title: '改' } as never).where('id' as never, '=', briefId as never).execute()).rejects.toThrow(/never changes/);
    const d = await (await f.as(duty, 'GET', `/api/cases/${caseId}/briefs/draft?kind=special`)).json();
    const text = { overview: d.overview, spread: d.spread, views: d.views, assessment: d.assessment, handling: d.handling, next: `${d.next}\n（五）请市水务局每日18时前报送供水恢复进展。` };
    const r = await f.as(duty, 'POST', `/api/cases/${caseId}/briefs`, { kind: 'special', recipient: '市政府办公室', text });
    expect(r.status).toBe(201);
    const b = await r.json();
    expect(b.serial).toBe('清河专报〔2026〕第2期');
    expect(b.met).toEqual([]);
    const file = Buffer.from(await (await f.as(duty, 'GET', `/api/cases/${caseId}/briefs/${b.id}/file`)).arrayBuffer());
    const paras = paragraphs(await part(await unzip(file), 'word/document.xml'));
    expect(paras).toContain('（五）请市水务局每日18时前报送供水恢复进展。');
    expect(paras).toContain('六、下一步建议');
    const audit = await f.db.selectFrom('audit_log').select('after').where('entity_id', '=', b.id).where('action', '=', 'case.special_brief_issue').executeTakeFirstOrThrow();
    expect(audit.after).toMatchObject({ kind: 'special', edited: true });
    // Sections of the other kind, or an empty one, are refused with a message in both languages.
    const wrong = await f.as(duty, 'POST', `/api/cases/${caseId}/briefs`, { kind: 'special', recipient: '市政府办公室', text: { situation: '甲', assessment: '乙', handling: '丙' } });
    expect(wrong.status).toBe(400);
    expect(JSON.stringify(await wrong.json())).toContain('正文各部分与报告种类不符');
    expect((await f.as(duty, 'POST', `/api/cases/${caseId}/briefs`, { kind: 'special', recipient: '市政府办公室', text: { ...text, views: ' ' } })).status).toBe(400);
    expect((await f.as(duty, 'POST', `/api/cases/${caseId}/briefs`, { kind: 'notice', recipient: '市政府办公室' })).status).toBe(400);
  });

  it('issued in parallel on several cases, takes consecutive 期号, none twice, none skipped', async () => {
    const cases = await Promise.all([1, 2, 3, 4, 5].map((i) => makeCase(f, { lead: water, clockStartedAt: sh('2026-12-07 08:00'), title: `并发专报${i}`, obligations: [{ kind: 'report', hours: 2 }] })));
    const res = await Promise.all(cases.map((id) => f.as(duty, 'POST', `/api/cases/${id}/briefs`, { kind: 'special', recipient: '市政府办公室' })));
    expect(res.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    const serials = (await Promise.all(res.map((r) => r.json()))).map((b: { serial: string }) => Number(/第(\d+)期/.exec(b.serial)![1]));
    expect([...serials].sort((a, b) => a - b)).toEqual([3, 4, 5, 6, 7]);
    const counter = await f.db.selectFrom('report_serials' as never).select('last_no' as never).where('kind' as never, '=', 'special' as never).executeTakeFirstOrThrow();
    expect(counter).toEqual({ last_no: 7 });
  });

  it('is refused on a closed case and kept from another department', async () => {
    expect((await f.as(duty, 'POST', `/api/cases/${closedId}/briefs`, { kind: 'special', recipient: '市政府办公室' })).status).toBe(409);
    expect(await auditCount(f, { caseId: closedId, action: 'case.special_brief_issue' })).toBe(0);
    expect((await f.as(handlerB, 'GET', `/api/cases/${caseId}/briefs/draft?kind=special`)).status).toBe(403);
    expect((await f.as(handlerB, 'POST', `/api/cases/${caseId}/briefs`, { kind: 'special', recipient: '市政府办公室' })).status).toBe(403);
    expect((await f.as(handlerB, 'GET', `/api/cases/${caseId}/briefs/${briefId}/file`)).status).toBe(404);
  });
});
