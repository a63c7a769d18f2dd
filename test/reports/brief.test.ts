import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderDocx, updateDocScreens } from './render-pdf.js';
import { auditCount, createFixture, makeAlert, makeCase, makeDepartment, makeUser, obligationsOf, type Fixture, type TestUser } from '../helpers/app.js';

// 舆情快报 in one click (POST /api/cases/{id}/briefs): the .docx in 公文 form with the office
// profile (版头 mark, the 快报's own 期号, title, 主送, 基本情况 / 研判 / 处置情况, 落款 and date,
// 版记), numbered in turn; issuing it is a 上报 that meets the case's open report obligation; stored
// unchanged, listed on the case, downloadable, audited; refused on a closed case and hidden from
// another department. Rendered through LibreOffice and read back with pdftotext; the pages are
// saved as PNGs under test/artifacts/brief/.

const sh = (text: string) => new Date(`${text.replace(' ', 'T')}:00+08:00`);
const NOW = sh('2026-12-07 10:30');
const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'artifacts', 'brief');

const PROFILE = {
  organ: '清河市人民政府办公室',
  mark: '清河市政务舆情专报',
  serialFormats: { weekly: '〔{年}〕第{号}期', monthly: '〔{年}〕月第{号}期', quarterly: '〔{年}〕季第{号}期', range: '〔{年}〕专第{号}期' },
  recipients: '各乡镇人民政府、街道办事处，市直各部门：',
  copyTo: '市委办公室。',
  printingOrgan: '清河市人民政府办公室',
  signature: '清河市人民政府办公室',
  disclosure: 'not_public',
  rectificationTo: '市政府办公室政务公开科',
};

let f: Fixture;
let duty: TestUser;
let handlerB: TestUser;
let water: number;
let caseId: string;
let closedId: string;

/** The pages' text without spaces (pdftotext puts spaces between CJK and Latin text). */
function pdfPages(docx: Buffer, name: string): string[] {
  const r = renderDocx(docx, name, OUT, { prefix: name, dpi: 70 });
  updateDocScreens(r.pdfPath, [{ page: 1, name: 'brief-first' }]);
  return r.pages.map((p) => p.replace(/[ \t]+/g, ''));
}

beforeAll(async () => {
  f = await createFixture('case_brief', NOW);
  water = await makeDepartment(f, '市水务局');
  const other = await makeDepartment(f, '市住建局');
  duty = await makeUser(f, 'duty', null, '赵值班');
  handlerB = await makeUser(f, 'handler', other, '钱经办');
  const admin = await makeUser(f, 'admin');
  // The 快报's own 期号 scheme; a later write of the profile without it keeps it.
  expect((await f.as(admin, 'PUT', '/api/office-profile', { ...PROFILE, serialFormats: { ...PROFILE.serialFormats, flash: '清河快报〔{年}〕第{号}期' } })).status).toBe(200);
  expect((await f.as(admin, 'PUT', '/api/office-profile', PROFILE)).status).toBe(200);
  expect((await (await f.as(admin, 'GET', '/api/office-profile')).json()).serialFormats.flash).toBe('清河快报〔{年}〕第{号}期');
  // A major case from an alert: the story's items from three sources; owes a report in 1 h and information in 5 h.
  const first = sh('2026-12-07 09:12');
  const { storyId } = await makeAlert(f, '城南水厂停水', first, ['清河论坛', '清河论坛', '微博', '今日头条']);
  caseId = await makeCase(f, {
    lead: water,
    level: 'major',
    category: 'emergency',
    clockStartedAt: first,
    title: '城南片区大面积停水，居民称“三天没水”',
    obligations: [
      { kind: 'report', hours: 1 },
      { kind: 'info', hours: 5 },
      { kind: 'response', hours: 24 },
    ],
  });
  await f.db.updateTable('cases').set({ summary: '城南片区自12月6日晚起大面积停水，网民反映持续时间长、未见通知。' }).where('id', '=', caseId).execute();
  await f.db.insertInto('case_stories').values({ case_id: caseId, story_id: storyId }).execute();
  closedId = await makeCase(f, { lead: water, clockStartedAt: sh('2026-12-01 09:00'), status: 'closed', title: '已办结事件' });
});
afterAll(async () => {
  await f.tdb.drop();
});

describe('舆情快报', () => {
  let briefId = '';
  let pages: string[] = [];

  it('offers its text to edit before issue, written as it will read once issued (the report met by the brief itself)', async () => {
    const r = await f.as(duty, 'GET', `/api/cases/${caseId}/briefs/draft`);
    expect(r.status).toBe(200);
    const d = await r.json();
    expect(d.title).toBe('关于“城南片区大面积停水，居民称‘三天没水’”的舆情快报');
    expect(d.situation).toContain('共监测到相关信息4条，涉及3个信息来源');
    expect(d.handling.split('\n')).toContain('（一）向领导和上级报告，时限12月7日10时12分，已于12月7日10时30分完成（超时）。');
    // Nothing was recorded by looking.
    expect(await f.db.selectFrom('reports_up').select('id').where('case_id', '=', caseId).execute()).toEqual([]);
    expect((await f.as(duty, 'GET', `/api/cases/${closedId}/briefs/draft`)).status).toBe(409);
    expect((await f.as(handlerB, 'GET', `/api/cases/${caseId}/briefs/draft`)).status).toBe(403);
  });

  it('is issued in one click: a 上报 to its recipient that meets the open report obligation, numbered, audited', async () => {
    const before = await auditCount(f, { caseId });
    const r = await f.as(duty, 'POST', `/api/cases/${caseId}/briefs`, { recipient: '市委办公室、市政府办公室' });
    expect(r.status, await r.clone().text()).toBe(201);
    const b = await r.json();
    briefId = b.id;
    expect(b.serial).toBe('清河快报〔2026〕第1期');
    expect(b.title).toBe('关于“城南片区大面积停水，居民称‘三天没水’”的舆情快报');
    expect(b.recipient).toBe('市委办公室、市政府办公室');
    expect(b.issuedBy).toBe('赵值班');
    // The 上报: recorded with the recipient and time, meeting the report obligation (late: due 10:12).
    const up = await f.db.selectFrom('reports_up').selectAll().where('case_id', '=', caseId).executeTakeFirstOrThrow();
    expect(String(up.id)).toBe(b.reportUpId);
    expect(up.recipient).toBe('市委办公室、市政府办公室');
    expect(up.reported_at).toEqual(NOW);
    expect(up.content).toContain('舆情快报');
    expect(b.met).toEqual([expect.objectContaining({ kind: 'report', onTime: false })]);
    const obs = await obligationsOf(f, caseId);
    expect(obs.find((o) => o.kind === 'report')).toMatchObject({ status: 'met', met_by: `report_up:${b.reportUpId}` });
    expect(obs.find((o) => o.kind === 'info')!.status).toBe('open');
    // Audited: the brief and the 上报, in the same transaction.
    expect(await auditCount(f, { caseId, action: 'case.brief_issue' })).toBe(1);
    expect(await auditCount(f, { caseId, action: 'case.report_up' })).toBe(1);
    expect(await auditCount(f, { caseId })).toBe(before + 2);
  });

  it('reads as a 公文 with the office profile: 版头, 期号, title, 主送, the three sections, 落款 and date, 版记', async () => {
    const file = await f.as(duty, 'GET', `/api/cases/${caseId}/briefs/${briefId}/file`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(decodeURIComponent(/filename\*=UTF-8''([^;]+)/.exec(file.headers.get('content-disposition')!)![1])).toMatch(/^舆情快报_YQ-.+_清河快报〔2026〕第1期\.docx$/);
    pages = pdfPages(Buffer.from(await file.arrayBuffer()), 'brief-1');
    // Lines wrap where the page ends them: the text is compared with the line breaks taken out.
    const all = pages.join('').replace(/\n/g, '');
    expect(pages.length).toBeGreaterThanOrEqual(1);
    expect(pages.length).toBeLessThanOrEqual(3);
    const lines = pages[0].split('\n').map((l) => l.trim()).filter(Boolean);
    expect(lines[0]).toBe('清河市政务舆情专报');
    expect(lines[1]).toBe('清河快报〔2026〕第1期');
    expect(all).toContain('关于“城南片区大面积停水，居民称‘三天没水’”的舆情快报');
    expect(all).toContain('市委办公室、市政府办公室：');
    // 基本情况: when first seen, where, the spread (4 items, 3 sources).
    expect(all).toContain('一、基本情况');
    // The sources with most items first (清河论坛 has two).
    expect(all).toMatch(/12月7日9时12分，清河论坛、(微博、今日头条|今日头条、微博)出现/);
    expect(all).toContain('共监测到相关信息4条，涉及3个信息来源');
    expect(all).toContain('截至12月7日10时30分');
    // 研判: the rule's suggestion and the level given.
    expect(all).toContain('二、研判');
    expect(all).toMatch(/建议按.+舆情处置.*现定为重大舆情，类别为突发事件/s);
    // 处置情况: the lead department and every obligation with its due time; the report met by this brief.
    expect(all).toContain('三、处置情况');
    expect(all).toContain('已交办市水务局牵头处置');
    expect(all).toContain('向领导和上级报告，时限12月7日10时12分，已于12月7日10时30分完成（超时）');
    expect(all).toContain('发布权威信息，时限12月7日14时12分，正在办理');
    expect(all).toContain('公开回应，时限12月8日9时12分，正在办理');
    // 落款, 成文日期 in Chinese form, 公开属性, and the 版记 on the last page.
    expect(all).toContain('2026年12月7日');
    expect(all).toContain('（此件不予公开）');
    const last = pages[pages.length - 1].replace(/\n/g, '');
    expect(last).toContain('抄送：市委办公室。');
    expect(last).toContain('2026年12月7日印发');
    expect(all).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  }, 150_000);

  it('is listed on the case, numbered in turn, and never changes after issue', async () => {
    const second = await f.as(duty, 'POST', `/api/cases/${caseId}/briefs`, { recipient: '市政府办公室' });
    expect(second.status).toBe(201);
    const b2 = await second.json();
    expect(b2.serial).toBe('清河快报〔2026〕第2期');
    expect(b2.met).toEqual([]); // the report obligation was already met
    const list = await (await f.as(duty, 'GET', `/api/cases/${caseId}/briefs`)).json();
    expect(list.briefs.map((b: { serial: string }) => b.serial)).toEqual(['清河快报〔2026〕第2期', '清河快报〔2026〕第1期']);
    const up = await f.db.selectFrom('reports_up').select('recipient').where('case_id', '=', caseId).orderBy('id').execute();
    expect(up.map((u) => u.recipient)).toEqual(['市委办公室、市政府办公室', '市政府办公室']);
    await expect(f.db.updateTable('case_briefs' as never).set({ title: '改' } as never).where('id' as never, '=', briefId as never).execute()).rejects.toThrow(/never changes/);
    const again = await f.as(duty, 'GET', `/api/cases/${caseId}/briefs/${briefId}/file`);
    expect(Buffer.from(await again.arrayBuffer()).length).toBeGreaterThan(1000);
  });

  it('is issued with the text as the handler edited it', async () => {
    const d = await (await f.as(duty, 'GET', `/api/cases/${caseId}/briefs/draft`)).json();
    const text = { situation: d.situation, assessment: d.assessment, handling: `${d.handling}\n\n已通知城南片区各社区做好送水服务。` };
    const r = await f.as(duty, 'POST', `/api/cases/${caseId}/briefs`, { recipient: '市政府办公室', text });
    expect(r.status).toBe(201);
    const b = await r.json();
    const file = Buffer.from(await (await f.as(duty, 'GET', `/api/cases/${caseId}/briefs/${b.id}/file`)).arrayBuffer());
    mkdirSync(OUT, { recursive: true });
    writeFileSync(join(OUT, 'brief-edited.docx'), file);
    const xml = execFileSync('unzip', ['-p', join(OUT, 'brief-edited.docx'), 'word/document.xml'], { encoding: 'utf8' });
    expect(xml).toContain('已通知城南片区各社区做好送水服务。');
    expect(xml).toContain('二、研判');
    const audit = await f.db.selectFrom('audit_log').select('after').where('entity_id', '=', b.id).where('action', '=', 'case.brief_issue').executeTakeFirstOrThrow();
    expect(audit.after).toMatchObject({ edited: true });
    // An empty section is refused.
    expect((await f.as(duty, 'POST', `/api/cases/${caseId}/briefs`, { recipient: '市政府办公室', text: { ...text, handling: '  ' } })).status).toBe(400);
  });

  it('issued concurrently on several cases, takes consecutive 期号, none twice', async () => {
    const taken = await f.db.selectFrom('case_briefs' as never).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const n0 = Number((taken as { n: string }).n);
    const cases = await Promise.all([1, 2, 3, 4].map((i) => makeCase(f, { lead: water, clockStartedAt: sh('2026-12-07 08:00'), title: `并发快报${i}`, obligations: [{ kind: 'report', hours: 2 }] })));
    const res = await Promise.all(cases.map((id) => f.as(duty, 'POST', `/api/cases/${id}/briefs`, { recipient: '市政府办公室' })));
    expect(res.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    const serials = (await Promise.all(res.map((r) => r.json()))).map((b: { serial: string }) => Number(/第(\d+)期/.exec(b.serial)![1]));
    expect([...serials].sort((a, b) => a - b)).toEqual([n0 + 1, n0 + 2, n0 + 3, n0 + 4]);
  });

  it('is refused on a closed case, kept from another department, and needs a recipient', async () => {
    const closed = await f.as(duty, 'POST', `/api/cases/${closedId}/briefs`, { recipient: '市政府办公室' });
    expect(closed.status).toBe(409);
    expect(await auditCount(f, { caseId: closedId, action: 'case.brief_issue' })).toBe(0);
    expect((await f.as(duty, 'POST', `/api/cases/${caseId}/briefs`, { recipient: ' ' })).status).toBe(400);
    expect((await f.as(handlerB, 'GET', `/api/cases/${caseId}/briefs`)).status).toBe(404);
    expect((await f.as(handlerB, 'GET', `/api/cases/${caseId}/briefs/${briefId}/file`)).status).toBe(404);
    expect((await f.as(handlerB, 'POST', `/api/cases/${caseId}/briefs`, { recipient: '市政府办公室' })).status).toBe(403);
    expect((await f.as(duty, 'GET', `/api/cases/${closedId}/briefs/${briefId}/file`)).status).toBe(404);
  });
});



