import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDailyBriefJob } from '../../worker/jobs/reports.daily.js';
import { createFixture, makeUser, type Fixture } from '../helpers/app.js';
import { testContext } from '../helpers/factories.js';
import { renderDocx, unspaced } from './render-pdf.js';

// The 舆情日报 as a reader sees it: the .docx the reports.daily job made on Monday 2026-12-07 at
// 08:00 converted by LibreOffice to PDF and read back with pdftotext -layout; the pages are saved as
// PNGs (pdftoppm) under test/artifacts/daily/ to be looked at.

const sh = (text: string) => new Date(`${text.replace(' ', 'T')}:00+08:00`);
const NOW = sh('2026-12-07 08:00');
const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'artifacts', 'daily');

const PROFILE = {
  organ: '清河市人民政府办公室',
  mark: '清河市政务舆情通报',
  serialFormats: { weekly: '〔{年}〕第{号}期', monthly: '〔{年}〕月第{号}期', quarterly: '〔{年}〕季第{号}期', range: '〔{年}〕专第{号}期', daily: '〔{年}〕日报第{号}期' },
  recipients: '市委、市政府领导同志：',
  copyTo: '市委办公室。',
  printingOrgan: '清河市人民政府办公室',
  signature: '清河市人民政府办公室',
  disclosure: 'not_public',
  rectificationTo: '市政府办公室政务公开科',
};

let f: Fixture;
let pages: string[];

beforeAll(async () => {
  f = await createFixture('daily_render', NOW);
  const admin = await makeUser(f, 'admin');
  const leader = await makeUser(f, 'leader');
  expect((await f.as(admin, 'PUT', '/api/office-profile', PROFILE)).status).toBe(200);
  const ctx = testContext(f.db);
  const dept = await ctx.newDepartment({ name: '市住建局' });
  await ctx.newCase({ lead: dept.id, level: 'significant', title: '城东小区连续停水三天', clockStartedAt: sh('2026-12-06 10:00') });
  await ctx.newCase({ lead: dept.id, title: '物业收取“停车费”引发不满', clockStartedAt: sh('2026-12-03 10:00') });
  const r = await runDailyBriefJob(f.db, NOW, '08:00');
  expect(r.created).toBe(true);
  const file = await f.as(leader, 'GET', `/api/daily-briefs/${r.id}/file`);
  expect(file.status).toBe(200);
  const rendered = renderDocx(Buffer.from(await file.arrayBuffer()), 'daily-2026-12-07', OUT, { prefix: 'page', dpi: 60 });
  expect(readFileSync(rendered.pdfPath).length).toBeGreaterThan(1000);
  pages = rendered.pages.map(unspaced);
}, 240_000);
afterAll(async () => {
  await f.tdb.drop();
});

describe('the 舆情日报 rendered by LibreOffice', () => {
  it('opens with the 版头 (mark and the daily 期号), the title with the date in Chinese form and the 主送 line', () => {
    const first = pages[0]!;
    expect(first.indexOf('清河市政务舆情通报')).toBeGreaterThanOrEqual(0);
    expect(first.indexOf('清河市政务舆情通报')).toBeLessThan(first.indexOf('〔2026〕日报第1期'));
    expect(first.indexOf('〔2026〕日报第1期')).toBeLessThan(first.indexOf('舆情日报（2026年12月7日）'));
    expect(first.indexOf('舆情日报（2026年12月7日）')).toBeLessThan(first.indexOf('市委、市政府领导同志：'));
  });

  it('has its four sections in order, times in Chinese form, quotes nested', () => {
    const all = pages.join('\n');
    const at = ['一、新增舆情', '二、今明两日到期事项', '三、超期未办事项', '四、重点时段'].map((h) => all.indexOf(h));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(all).toContain('城东小区连续停水三天');
    expect(all).toMatch(/12月8日10时/); // the new case's response is due tomorrow
    expect(all).toContain('‘停车费’');
    expect(all).toContain('目前不在重点时段。');
    expect(all).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });

  it('fits a page or two and ends with the signature, the 附注 and the 版记', () => {
    expect(pages.length).toBeGreaterThanOrEqual(1);
    expect(pages.length).toBeLessThanOrEqual(2);
    const last = pages[pages.length - 1]!;
    expect(last).toContain('（此件不予公开）');
    expect(last).toContain('抄送：市委办公室');
    expect(last).toMatch(/清河市人民政府办公室\s+2026年12月7日印发/);
  });
});
