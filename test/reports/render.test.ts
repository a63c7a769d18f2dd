import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, makeUser, type Fixture, type TestUser } from '../helpers/app.js';
import { seedCases } from './seed.js';
import { renderDocx, unspaced, updateDocScreens } from './render-pdf.js';

// The notice as a reader sees it: the issued .docx converted by LibreOffice (soffice --headless)
// to PDF and read back with pdftotext -layout; the pages are saved as PNGs (pdftoppm) under
// test/artifacts/notice/ to be looked at. Week 2026-W49 = 11-30 … 12-06, issued Monday 12-07.

const sh = (text: string) => new Date(`${text.replace(' ', 'T')}:00+08:00`);
const NOW = sh('2026-12-07 10:00');
const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'artifacts', 'notice');

const PROFILE = {
  organ: '清河市人民政府办公室',
  mark: '清河市政务舆情通报',
  serialFormats: { weekly: '〔{年}〕第{号}期', monthly: '〔{年}〕月第{号}期', quarterly: '〔{年}〕季第{号}期', range: '〔{年}〕专第{号}期' },
  recipients: '各乡镇人民政府、街道办事处，市直各部门：',
  copyTo: '市委办公室，市人大常委会办公室，市政协办公室。',
  printingOrgan: '清河市人民政府办公室',
  signature: '清河市人民政府办公室',
  disclosure: 'on_request',
  rectificationTo: '市政府办公室政务公开科',
};

let f: Fixture;
let reviewer: TestUser;
let pages: string[];

beforeAll(async () => {
  f = await createFixture('notice_render', NOW);
  reviewer = await makeUser(f, 'reviewer', null, '王审核');
  await seedCases(f.db, { cases: 60, from: sh('2026-11-30 08:00'), spanHours: 24 * 6, departments: 8, itemsPerCase: 2, now: NOW });
  const admin = await makeUser(f, 'admin');
  expect((await f.as(admin, 'PUT', '/api/office-profile', PROFILE)).status).toBe(200);
  const made = await f.as(reviewer, 'POST', '/api/reports/weekly', { week: '2026-W49' });
  expect(made.status).toBe(201);
  const { id } = await made.json();
  expect((await f.as(reviewer, 'POST', `/api/reports/${id}/issue`)).status).toBe(200);
  const file = await f.as(reviewer, 'GET', `/api/reports/${id}/file`);
  const rendered = renderDocx(Buffer.from(await file.arrayBuffer()), 'weekly-2026-W49', OUT, { prefix: 'page', dpi: 60 });
  pages = rendered.pages.map(unspaced);
  updateDocScreens(rendered.pdfPath, [
    { page: 1, name: 'notice-first' },
    { page: pages.length, name: 'notice-last' },
  ]);
}, 240_000);
afterAll(async () => {
  await f.tdb.drop();
});

describe('the issued weekly notice rendered by LibreOffice', () => {
  it('opens with the 版头 (mark and 期号), the title and the 主送 line', () => {
    const first = pages[0]!;
    expect(first).toContain('清河市政务舆情通报');
    expect(first).toContain('〔2026〕第1期');
    // The title in two lines, broken where the meaning allows.
    expect(first).toMatch(/关于2026年第49周政务舆情\s*\n\s*回应情况的通报/);
    expect(first).toContain('各乡镇人民政府、街道办事处，市直各部门：');
    expect(first.indexOf('清河市政务舆情通报')).toBeLessThan(first.indexOf('〔2026〕第1期'));
    expect(first.indexOf('〔2026〕第1期')).toBeLessThan(first.indexOf('关于2026年第49周'));
  });

  it('writes dates in the Chinese form, never ISO', () => {
    const all = pages.join('\n');
    expect(all).toContain('11月30日至12月6日');
    expect(all).toContain('2026年12月7日');
    expect(all).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(all).not.toMatch(/\d{1,2}\/\d{1,2} \d{1,2}:\d{2}/);
  });

  it('numbers the pages "— N —", and ends with the signature, the 附注 and the 版记 on the last page', () => {
    expect(pages.length).toBeGreaterThanOrEqual(2);
    expect(pages.length).toBeLessThanOrEqual(8);
    expect(pages[0]).toMatch(/—\s*1\s*—/);
    expect(pages[1]).toMatch(/—\s*2\s*—/);
    // Odd pages carry the number on the right, even pages on the left.
    const numberLine = (p: string) => p.split('\n').filter((l) => l.trim() !== '').pop()!;
    expect(numberLine(pages[0]!).search(/\S/)).toBeGreaterThan(30);
    expect(numberLine(pages[1]!).search(/\S/)).toBeLessThan(10);
    const last = pages[pages.length - 1]!;
    expect(last).toContain('（此件依申请公开）');
    expect(last).toContain('抄送：市委办公室');
    expect(last).toContain('2026年12月7日印发');
    for (const p of pages.slice(0, -1)) expect(p).not.toContain('印发机关');
    // The 版记 is the last text of the last page before its number.
    const lines = last.split('\n').map((l) => l.trim()).filter(Boolean);
    expect(lines[lines.length - 2]).toMatch(/清河市人民政府办公室\s+2026年12月7日印发/);
    expect(last.indexOf('清河市人民政府办公室\n')).toBeLessThan(last.indexOf('2026年12月7日\n'));
    expect(last.indexOf('2026年12月7日\n')).toBeLessThan(last.indexOf('（此件依申请公开）'));
  });

  it('leaves no page starting with a fragment of a table row or a lone heading at a page foot', () => {
    for (const [i, p] of pages.entries()) {
      const lines = p.split('\n').map((l) => l.trim()).filter(Boolean);
      if (i > 0) expect(lines[0], `page ${i + 1} starts with: ${lines[0]}`).not.toMatch(/^[^\s]{1,3}$/);
      const beforeNumber = lines[lines.length - 2] ?? '';
      expect(beforeNumber, `page ${i + 1} ends with a heading`).not.toMatch(/^[一二三四五六七]、/);
    }
  });
});
