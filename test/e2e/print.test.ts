import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testContext } from '../helpers/factories.js';
import { launchBrowser, newContext, screenshot } from './browser.js';
import { departmentId, registerCase, respond, signInTeam, type Team } from './ledger-seed.js';
import { DEMO_PASSWORD, startSystem, type RunningSystem } from './system.js';

// 打印 and 舆情快报 in the browser. The case room and the ledger printed to PDF by chromium with print media (what Ctrl+P or
// the 打印 button gives), read back with pdftotext page by page. The case printout is A4 portrait
// with no top bar or buttons, the obligations table whole (every row's cells on one page) and the
// published response and the timeline in it; the ledger printout is A4 landscape with the shown
// columns. The pages are saved as PNGs (pdftoppm) under test/artifacts/print/ to be looked at.

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'artifacts', 'print');
const RESPONSE_BODY = '经核实，幸福小区加装电梯工程因管线迁改停工，市住建局已协调施工单位于12月15日前复工，复工进度将在政府网站持续公布。';

/** Without whitespace: pdftotext breaks lines and puts spaces between CJK and Latin text. */
const squash = (s: string) => s.replace(/\s+/g, '');

async function printToPdf(page: Page, name: string, landscape: boolean): Promise<{ pages: string[]; size: string }> {
  await page.emulateMedia({ media: 'print' });
  // preferCSSPageSize: the stylesheet's @page (A4 portrait for a case, A4 landscape for the ledger) decides.
  const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true, landscape });
  await page.emulateMedia({ media: 'screen' });
  mkdirSync(OUT, { recursive: true });
  for (const f of readdirSync(OUT)) if (f.startsWith(`${name}-`)) rmSync(join(OUT, f));
  const path = join(OUT, `${name}.pdf`);
  writeFileSync(path, pdf);
  execFileSync('pdftoppm', ['-png', '-r', '60', path, join(OUT, name)]);
  const text = execFileSync('pdftotext', [path, '-'], { encoding: 'utf8' });
  const pages = text.split('\f').filter((p, i, all) => i < all.length - 1 || p.trim() !== '');
  const info = execFileSync('pdfinfo', [path], { encoding: 'utf8' });
  return { pages, size: /Page size:\s+(.+)/.exec(info)?.[1] ?? '' };
}

/** Width and height in points of a pdfinfo "Page size" line ("595.92 x 842.88 pts (A4)"). */
function dims(size: string): [number, number] {
  const m = /([\d.]+) x ([\d.]+)/.exec(size);
  return m ? [Number(m[1]), Number(m[2])] : [0, 0];
}

describe('打印 (print)', () => {
  let sys: RunningSystem;
  let browser: Browser;
  let team: Team;
  let caseId = '';
  let caseNumber = '';

  beforeAll(async () => {
    sys = await startSystem('e2eprint');
    browser = await launchBrowser();
    team = await signInTeam(sys.baseUrl, DEMO_PASSWORD);
    const dept = await departmentId(team.duty, '住建局');
    // A major emergency: the most obligations a case gets (report, response, information, updates …),
    // and a long summary so that the header takes room above the table.
    const c = await registerCase(team.duty, {
      title: '网民反映幸福小区加装电梯停工半年居民出行困难',
      summary: '居民反映小区加装电梯工程停工半年，老人出行困难，多次向社区和施工单位反映无果，要求说明停工原因、复工时间和安全保障措施。'.repeat(4),
      level: 'major',
      category: 'emergency',
      departmentId: dept,
      receivedAt: new Date(Date.now() - 2 * 3600_000),
    });
    caseId = c.id;
    caseNumber = c.number;
    await respond(team, caseId, RESPONSE_BODY);
    for (let i = 0; i < 5; i++) await registerCase(team.duty, { title: `路灯损坏第${i + 1}处无人维修`, level: 'general', category: 'difficulty', departmentId: dept });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await sys?.stop();
  });

  async function signedIn(username: string): Promise<Page> {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    const res = await page.request.post(`${sys.baseUrl}/api/auth/login`, { data: { username, password: DEMO_PASSWORD } });
    expect(res.status(), await res.text()).toBe(200);
    return page;
  }

  it('prints a case on A4 without the top bar or buttons, the obligations table whole, the published response and the timeline in it', async () => {
    const page = await signedIn('reviewer');
    await page.goto(`${sys.baseUrl}/cases/${caseId}`);
    await page.getByTestId('case-room').waitFor();
    await page.getByTestId('response').first().waitFor();
    await expect(page.getByTestId('print-case').textContent()).resolves.toBe('打印');
    // What must not be on paper: the top bar's words and the buttons' labels.
    const navTexts = (await page.locator('.topbar .nav-link').allTextContents()).map((s) => s.trim()).filter(Boolean);
    expect(navTexts.length).toBeGreaterThan(3);
    const buttonTexts = (await page.locator('.case-room button').allTextContents()).map((s) => s.trim()).filter((s) => s.length >= 2);
    expect(buttonTexts).toContain('打印');
    // Each obligation row's fixed cells (kind, due time, met at, result); countdowns tick and are left out.
    const rows = await page.getByTestId('obligation').evaluateAll((trs) =>
      trs.map((tr) =>
        [0, 1, 5, 6]
          .flatMap((i) => (tr.children[i] as HTMLElement).innerText.split('\n'))
          .map((s) => s.trim())
          .filter((s) => s !== '' && s !== '—'),
      ),
    );
    expect(rows.length).toBeGreaterThanOrEqual(3);
    const timelineFirst = (await page.locator('.cr-timeline li').first().locator('strong').first().textContent())!.trim();

    // Push the table down so that the first page ends inside its third row: laid out at the printed
    // width (A4 less the 14 mm margins) in print media, a spacer puts that row across the page foot.
    await page.setViewportSize({ width: 688, height: 1009 });
    await page.emulateMedia({ media: 'print' });
    await page.evaluate(() => {
      const PAGE = (267 / 25.4) * 96; // the printed height of a page: 297 mm less the 14 + 16 mm margins
      const row = document.querySelectorAll('[data-testid="obligation"]')[2] as HTMLElement;
      const box = row.getBoundingClientRect();
      const top = box.top + window.scrollY;
      const spacer = document.createElement('div');
      spacer.style.height = `${Math.max(0, (PAGE - box.height / 2 - top) % PAGE)}px`;
      const grid = document.querySelector('.cr-grid')!;
      grid.parentElement!.insertBefore(spacer, grid);
    });
    await page.emulateMedia({ media: 'screen' });
    const { pages, size } = await printToPdf(page, `case-${caseNumber}`, false);
    const [w, h] = dims(size);
    expect(Math.round(w)).toBe(595); // A4 portrait, 210 × 297 mm
    expect(Math.round(h)).toBe(842);
    const flat = pages.map(squash);
    const all = flat.join('');
    // The obligations table is whole: every row's cells on one and the same page; it runs over two
    // pages, so its header row is printed again on the second.
    const homes = rows.map((cells) => flat.findIndex((p) => cells.every((cell) => p.includes(squash(cell)))));
    rows.forEach((cells, i) => expect(homes[i], `obligation row ${cells.join(' | ')} split or missing`).toBeGreaterThanOrEqual(0));
    expect(new Set(homes).size, `rows on pages ${homes.join(', ')}`).toBe(2);
    for (const p of new Set(homes)) expect(flat[p], `table header on page ${p + 1}`).toContain(squash('事项时限时限长度已用时'));
    // The header facts, the response as published, the timeline.
    expect(all).toContain(caseNumber);
    expect(all).toContain(squash('网民反映幸福小区加装电梯停工半年居民出行困难'));
    expect(all).toContain(squash('回应时限'));
    expect(all).toContain(squash(RESPONSE_BODY));
    expect(all).toContain(squash('时间线'));
    expect(all).toContain(squash(timelineFirst));
    // No navigation, no buttons ("打印" only in the print-time line).
    expect(all.split('打印').length - 1).toBe(1);
    expect(all).toMatch(/打印时间：\d/);
    for (const t of navTexts) expect(all, `navigation "${t}" printed`).not.toContain(squash(t));
    // A tab's label ends with its count ("信息 1"): not followed by more digits, so "发布权威信息" before a due time "12月7日" is not it.
    const label = (t: string) => new RegExp(`${squash(t).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}${/\d$/.test(t) ? '(?!\\d)' : ''}`);
    for (const t of buttonTexts.filter((b) => b !== '打印')) expect(all, `button "${t}" printed`).not.toMatch(label(t));
    expect(all).not.toContain('退出登录');
  }, 120_000);

  it('makes a 舆情快报 from the case room in one click: listed on the case, downloadable, recorded as a 上报', async () => {
    const page = await signedIn('duty');
    await page.goto(`${sys.baseUrl}/cases/${caseId}`);
    await page.getByTestId('case-room').waitFor();
    await page.getByTestId('brief-new').click();
    await page.getByTestId('brief-recipient').fill('市委办公室、市政府办公室');
    // The text as it will be issued, edited before issuing.
    const handling = page.getByTestId('brief-handling');
    await expect.poll(() => handling.inputValue()).toContain('已交办住建局牵头处置');
    await expect(page.getByTestId('brief-situation').inputValue()).resolves.toContain('网民反映幸福小区加装电梯停工半年居民出行困难');
    await handling.fill(`${await handling.inputValue()}\n已约谈施工单位，明确复工时间。`);
    await screenshot(page, 'case-brief-form');
    await page.getByTestId('brief-issue').click();
    const row = page.getByTestId('brief').first();
    await row.waitFor();
    await expect(row.textContent()).resolves.toMatch(/〔\d{4}〕快报第1期.*关于“网民反映幸福小区加装电梯停工半年居民出行困难”的舆情快报.*报送：市委办公室、市政府办公室/);
    const href = (await page.getByTestId('brief-download').first().getAttribute('href'))!;
    const file = await page.request.get(`${sys.baseUrl}${href}`);
    expect(file.status()).toBe(200);
    expect(file.headers()['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    const docx = await file.body();
    expect(docx.subarray(0, 2).toString()).toBe('PK');
    mkdirSync(OUT, { recursive: true });
    writeFileSync(join(OUT, 'brief.docx'), docx);
    expect(execFileSync('unzip', ['-p', join(OUT, 'brief.docx'), 'word/document.xml'], { encoding: 'utf8' })).toContain('已约谈施工单位，明确复工时间。');
    // The 上报 it recorded meets the case's report obligation.
    const esc = await team.duty.call<{ reportsUp: { recipient: string }[] }>('GET', `/api/cases/${caseId}/escalations`);
    expect(esc.reportsUp.map((r) => r.recipient)).toContain('市委办公室、市政府办公室');
    const entry = page.locator('[data-testid="timeline-entry"][data-action="case.brief_issue"]');
    await expect(entry.locator('strong').textContent()).resolves.toBe('生成舆情快报');
    await expect(entry.textContent()).resolves.toMatch(/期号〔\d{4}〕快报第1期/);
    await screenshot(page, 'case-briefs');
    const detail = await team.duty.call<{ obligations: { kind: string; status: string }[] }>('GET', `/api/cases/${caseId}`);
    expect(detail.obligations.filter((o) => o.kind === 'report').map((o) => o.status)).toEqual(['met']);
  }, 120_000);

  it('makes a 舆情专报 on a phone (390 px): its six sections to edit, listed beside the 快报, downloadable as a .docx', async () => {
    const ctx = await newContext(browser, { width: 390, height: 844 });
    const page = await ctx.newPage();
    expect((await page.request.post(`${sys.baseUrl}/api/auth/login`, { data: { username: 'duty', password: DEMO_PASSWORD } })).status()).toBe(200);
    await page.goto(`${sys.baseUrl}/cases/${caseId}`);
    await page.getByTestId('case-room').waitFor();
    await page.getByTestId('brief-new-special').click();
    await page.getByTestId('brief-recipient').fill('市委办公室');
    const next = page.getByTestId('brief-next');
    await expect.poll(() => next.inputValue()).toMatch(/^（一）/);
    for (const k of ['overview', 'spread', 'views', 'assessment', 'handling']) await expect(page.getByTestId(`brief-${k}`).inputValue()).resolves.not.toBe('');
    await next.fill(`${await next.inputValue()}\n（五）请住建局每日报送复工进展。`);
    // Nothing wider than the phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'case-special-form-phone');
    await page.getByTestId('brief-issue').click();
    const row = page.locator('[data-testid="brief"][data-kind="special"]').first();
    await row.waitFor();
    await expect(row.textContent()).resolves.toMatch(/〔\d{4}〕专报第1期.*关于“网民反映幸福小区加装电梯停工半年居民出行困难”的舆情专报.*报送：市委办公室/);
    await expect(page.locator('[data-testid="brief"][data-kind="flash"]').count()).resolves.toBe(1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await row.scrollIntoViewIfNeeded();
    await screenshot(page, 'case-special-phone');
    const file = await page.request.get(`${sys.baseUrl}${(await row.getByTestId('brief-download').getAttribute('href'))!}`);
    expect(file.status()).toBe(200);
    expect(decodeURIComponent(/filename\*=UTF-8''([^;]+)/.exec(file.headers()['content-disposition'])![1])).toMatch(/^舆情专报_.+专报第1期\.docx$/);
    writeFileSync(join(OUT, 'special.docx'), await file.body());
    const xml = execFileSync('unzip', ['-p', join(OUT, 'special.docx'), 'word/document.xml'], { encoding: 'utf8' });
    for (const h of ['一、舆情概况', '二、传播情况', '三、网民主要观点', '四、研判', '五、处置情况', '六、下一步建议', '（五）请住建局每日报送复工进展。']) expect(xml).toContain(h);
    const entry = page.locator('[data-testid="timeline-entry"][data-action="case.special_brief_issue"]');
    await expect(entry.locator('strong').textContent()).resolves.toBe('生成舆情专报');
    await ctx.close();
  }, 120_000);

  it('prints the ledger in A4 landscape with the shown columns and every row of the filter, beyond the first loaded page', async () => {
    // More cases than one page of the ledger (100): the rows past it are loaded by 打印 itself.
    const ctx = testContext(sys.db);
    const dept = await departmentId(team.duty, '住建局');
    const seeded: string[] = [];
    for (let i = 0; i < 110; i++) seeded.push((await ctx.newCase({ lead: dept, title: `打印台账第${i + 1}件`, clockStartedAt: new Date(Date.now() - (200 + i) * 3600_000) })).number);
    const page = await signedIn('reviewer');
    await page.goto(`${sys.baseUrl}/ledger`);
    await page.getByTestId('ledger-row').first().waitFor();
    await expect(page.getByTestId('print-ledger').textContent()).resolves.toBe('打印');
    const headers = (await page.locator('.ledger-table thead th').allTextContents()).map((s) => s.replace(/[↕▲▼]/g, '').trim());
    const total = Number(await page.getByTestId('ledger-total').getAttribute('data-total'));
    expect(total).toBeGreaterThan(110);
    const loaded = await page.getByTestId('ledger-row').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-number')!));
    expect(loaded.length).toBeLessThan(total);
    // 打印: every page of the filter is loaded, then the browser's print (stubbed here; the PDF below is what it lays out).
    await page.evaluate(() => {
      window.print = () => {
        document.body.dataset.printed = String(document.querySelectorAll('[data-testid="ledger-row"]').length);
      };
    });
    await page.getByTestId('print-ledger').click();
    await page.waitForFunction(() => document.body.dataset.printed !== undefined, undefined, { timeout: 30_000 });
    expect(Number(await page.evaluate(() => document.body.dataset.printed))).toBe(total);
    await expect(page.getByTestId('ledger-print-note').count()).resolves.toBe(0); // under the cap: no note
    const numbers = await page.getByTestId('ledger-row').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-number')!));
    expect(numbers).toContain(caseNumber);
    expect(numbers).toEqual(expect.arrayContaining(seeded));
    const { pages, size } = await printToPdf(page, 'ledger', true);
    const [w, h] = dims(size);
    expect(w).toBeGreaterThan(h); // landscape
    expect(Math.round(w)).toBe(842);
    const all = pages.map(squash).join('');
    // Every row, those past the first loaded page too (the seeded ones by their titles: a long number may wrap in its cell).
    for (const n of numbers.filter((x) => !seeded.includes(x))) expect(all, `row ${n}`).toContain(n);
    for (let i = 0; i < seeded.length; i++) expect(all, `row ${seeded[i]}`).toContain(`打印台账第${i + 1}件`);
    for (const t of headers) expect(all, `column ${t}`).toContain(squash(t));
    expect(all).not.toContain(squash('导出 XLSX'));
    expect(all).not.toContain('退出登录');
  }, 120_000);
});
