import http from 'node:http';
import type { AddressInfo } from 'node:net';
import ExcelJS from 'exceljs';
import { type APIRequestContext, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext, screenshot, signInUi } from '../e2e/browser.js';
import { DEMO_PASSWORD, startSystem, type RunningSystem } from '../e2e/system.js';
import { part, unzip } from '../reports/helpers.js';
import { recordFigure } from './figures.js';
import { ALL_IDS, chunks, XSS_PAYLOADS, XSS_URLS } from './xss-corpus.js';
import { apiAs, okJson } from '../e2e/api.js';

// Stored XSS: a corpus of hostile markup (test/reliability/xss-corpus.ts) is crawled for real from
// a little website of this test's own (allow-listed, like the demo site) so it lands in items,
// alerts and stories; a case is opened from those alerts (case evidence), an opinion is registered
// by hand with the payloads in its title, text and link, and feedback, a draft response, the source
// name and the weekly notice carry them too. Every page that shows that text is then visited in
// chromium with window.__xss installed before any script: no payload may run, no javascript: link
// may be clickable, no element of the payloads may exist. The ledger exports (XLSX, CSV) and the
// weekly notice (DOCX) are read back: the payloads are text there too.

const MARK = 'XSS语料';
const ALL_TEXT = XSS_PAYLOADS.map((p) => p.text).join('\n');

interface Feed {
  url: string;
  hostPort: string;
  close(): Promise<void>;
}

const xmlEsc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** An RSS site whose posts carry the corpus: titles and descriptions escaped, pages raw. */
async function startFeed(): Promise<Feed> {
  const groups = chunks(XSS_PAYLOADS, 6);
  // 西岭村: a village the demo's own 拆迁补偿 story (东关村) does not name, so the posts are an
  // event of their own and their alerts carry the corpus's titles.
  let base = '';
  const posts = () =>
    groups.map((g, i) => ({
      id: i + 1,
      title: `城关镇西岭村拆迁补偿款被截留 ${MARK}${i + 1} ${g[0].text}`,
      text: `城关镇西岭村拆迁补偿问题，网民反映：${g.map((p) => p.text).join(' 以及 ')}`,
      // The first posts link to their pages; the later ones to hostile URLs.
      link: i < 4 ? `${base}/post/${i + 1}.html` : XSS_URLS[i % XSS_URLS.length].text,
      at: new Date(Date.now() - (i + 1) * 60_000),
    }));
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const m = /^\/post\/(\d+)\.html$/.exec(path);
    const all = posts();
    if (path === '/feed.xml') {
      const items = all
        .map(
          (p) =>
            `<item><title>${xmlEsc(p.title)}</title><link>${xmlEsc(p.link)}</link><guid isPermaLink="false">xss-${p.id}</guid><pubDate>${p.at.toUTCString()}</pubDate>` +
            `<description><![CDATA[${p.text.replace(/]]>/g, '')}]]></description><author>${xmlEsc(XSS_PAYLOADS[p.id].text)}</author></item>`,
        )
        .join('');
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
      res.end(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>${xmlEsc(`XSS 测试网 ${XSS_PAYLOADS[0].text}`)}</title><link>${base}/</link><description>xss</description>${items}</channel></rss>`);
    } else if (m && all.some((p) => p.id === Number(m[1]))) {
      const p = all.find((x) => x.id === Number(m[1]))!;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html><head><meta charset="utf-8"><title>${p.title}</title></head><body><h1>${p.title}</h1><div class="content"><p>${p.text}</p></div></body></html>`);
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
  return { url: `${base}/feed.xml`, hostPort: `127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** What a page must not contain: elements, handlers and script URLs of the payloads. */
function domFindings(): { bad: string[]; shownAsText: boolean } {
  const bad: string[] = [];
  const urlAttrs = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'background', 'poster', 'srcdoc']);
  for (const el of Array.from(document.querySelectorAll('*'))) {
    const tag = el.tagName.toLowerCase();
    if (['iframe', 'frame', 'object', 'embed', 'base', 'marquee', 'keygen', 'applet', 'math', 'noscript'].includes(tag)) bad.push(tag);
    if (tag === 'meta' && el.hasAttribute('http-equiv')) bad.push('meta[http-equiv]');
    if ((tag === 'script' || tag === 'style') && (el.textContent ?? '').includes('__xss')) bad.push(`${tag} with payload`);
    if (tag === 'script' && el.getAttribute('src') && !(el as HTMLScriptElement).src.startsWith(location.origin)) bad.push('foreign script');
    if (tag === 'img' && el.getAttribute('src') === 'x') bad.push('img src=x');
    for (const a of Array.from(el.attributes)) {
      const n = a.name.toLowerCase();
      if (n.startsWith('on')) bad.push(`${tag}[${n}]`);
      // (data:image/… is the dashboard's own favicon; an image cannot run script)
      const v = a.value.replace(/[\u0000-\u0020]/g, '');
      if (urlAttrs.has(n) && /^(javascript|vbscript|data):/i.test(v) && !/^data:image\//i.test(v)) bad.push(`${tag}[${n}=${a.value.slice(0, 30)}]`);
      if (n === 'style' && /javascript:|expression\(/i.test(a.value)) bad.push(`${tag}[style]`);
    }
    if (el instanceof HTMLAnchorElement && el.href) {
      let protocol = '';
      try {
        protocol = new URL((el as HTMLAnchorElement).href).protocol;
      } catch {
        protocol = 'unparsable:';
      }
      if (!['http:', 'https:', 'mailto:', 'tel:'].includes(protocol)) bad.push(`a ${protocol} ${(el as HTMLAnchorElement).href.slice(0, 30)}`);
    }
  }
  return { bad, shownAsText: (document.body.innerText + Array.from(document.querySelectorAll('textarea')).map((t) => (t as HTMLTextAreaElement).value).join('')).includes('__xss(') };
}

describe('stored XSS corpus through crawl, registration, pages and exports', () => {
  let sys: RunningSystem;
  let browser: Browser;
  let feed: Feed;
  let admin: APIRequestContext;
  let handler: APIRequestContext;
  let reviewer: APIRequestContext;
  let sourceId: number;
  let alertCaseId: string;
  let manualCaseId: string;
  let reportId: string;
  const fired: { id: string; page: string }[] = [];
  const dialogs: { message: string; page: string }[] = [];
  const visited: { page: string; bad: string[]; shownAsText: boolean }[] = [];
  let current = 'start';
  let fileChecks = 0;

  beforeAll(async () => {
    [sys, browser, feed] = await Promise.all([startSystem('xss'), launchBrowser(), startFeed()]);
    [admin, handler, reviewer] = await Promise.all([apiAs(sys.baseUrl, 'admin'), apiAs(sys.baseUrl, 'handler'), apiAs(sys.baseUrl, 'reviewer')]);
    await okJson(await admin.post('/api/allowlist', { data: { hostPort: feed.hostPort, note: `xss ${XSS_PAYLOADS[1].text}` } }));
    const src = await okJson<{ id: number }>(
      await admin.post('/api/sources', {
        data: { name: `${MARK}源 ${XSS_PAYLOADS[2].text}`, url: feed.url, kind: 'feed', mediaType: 'news', region: '清河市', pollIntervalS: 3600 },
      }),
    );
    sourceId = src.id;
  }, 150_000);

  afterAll(async () => {
    await Promise.all([admin?.dispose(), handler?.dispose(), reviewer?.dispose()]);
    await browser?.close();
    await feed?.close();
    await sys?.stop();
  });

  async function signedIn(username: string): Promise<{ ctx: BrowserContext; page: Page }> {
    const { ctx, page } = await instrumented();
    await signInUi(page, sys.baseUrl, username, DEMO_PASSWORD);
    return { ctx, page };
  }

  /** A browser context with window.__xss installed before any script, and dialogs recorded. */
  async function instrumented(): Promise<{ ctx: BrowserContext; page: Page }> {
    const ctx = await newContext(browser);
    await ctx.exposeBinding('__xssReport', (_src, id: unknown) => {
      fired.push({ id: String(id), page: current });
    });
    await ctx.addInitScript(() => {
      const w = window as unknown as { __xss: (id: string) => void; __xssReport: (id: string) => void };
      w.__xss = (id: string) => void w.__xssReport(id);
    });
    const page = await ctx.newPage();
    page.on('dialog', (d) => {
      dialogs.push({ message: d.message(), page: current });
      void d.dismiss().catch(() => {});
    });
    return { ctx, page };
  }

  /** Checks the page as it stands; the payload text must be on it (as text). */
  async function check(page: Page, name: string, expectText = true): Promise<void> {
    current = name;
    // Let late renders (lazy panels, event handlers on load, autofocus) happen.
    await page.waitForTimeout(300);
    const f = await page.evaluate(domFindings);
    visited.push({ page: name, ...f });
    if (f.bad.length) console.log(`[xss] ${name}: ${JSON.stringify(f.bad)}`);
    await screenshot(page, `xss-${name}`);
    expect(f.bad, name).toEqual([]);
    if (expectText) expect(f.shownAsText, `${name}: the payloads should be shown as text`).toBe(true);
    // A hostile link, were one rendered, is not clickable either.
    expect(await page.locator('a[href^="javascript:" i], a[href^="data:" i], a[href^="vbscript:" i]').count(), name).toBe(0);
  }

  it('control: the same instruments catch the corpus when it is rendered as markup', async () => {
    const { ctx, page } = await instrumented();
    current = 'control';
    const html = `<!doctype html><html><head><meta charset="utf-8"></head><body>${XSS_PAYLOADS.map((p) => `<div>${p.text}</div>`).join('')}<script>alert('dialog')</script></body></html>`;
    await page.route('http://control.invalid/**', (r) => r.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
    await page.goto('http://control.invalid/');
    // The markers report through a binding (a round trip to this process) and the handlers run as the
    // page loads: waited for, not given a fixed half second (too short on a busy machine).
    const controlIds = () => fired.filter((x) => x.page === 'control').map((x) => x.id);
    let f: ReturnType<typeof domFindings>;
    try {
      await expect.poll(controlIds, { timeout: 15_000 }).toEqual(expect.arrayContaining(['x01', 'x02', 'x03', 'x39', 'x47']));
      await expect.poll(() => dialogs.filter((x) => x.page === 'control').length, { timeout: 15_000 }).toBeGreaterThan(0);
      f = await page.evaluate(domFindings);
    } finally {
      await ctx.close();
      current = 'after-control';
    }
    const caught = fired.filter((x) => x.page === 'control').map((x) => x.id);
    const dialogsCaught = dialogs.filter((x) => x.page === 'control').length;
    fired.splice(0, fired.length, ...fired.filter((x) => x.page !== 'control'));
    dialogs.splice(0, dialogs.length, ...dialogs.filter((x) => x.page !== 'control'));
    // Raw, the corpus runs (script, img/svg handlers, eval…) and leaves hostile elements behind.
    expect(caught).toEqual(expect.arrayContaining(['x01', 'x02', 'x03', 'x39', 'x47']));
    expect(dialogsCaught).toBe(1);
    expect(f.bad.length).toBeGreaterThan(20);
    expect(f.bad).toEqual(expect.arrayContaining(['img[onerror]', 'iframe', 'meta[http-equiv]']));
    recordFigure({ area: 'security', name: 'control: corpus markers that fire when rendered raw', value: new Set(caught).size, unit: 'payloads', goal: '', met: null, detail: { ids: [...new Set(caught)].sort(), hostileElements: f.bad.length } });
  }, 30_000);

  it('the crawled corpus lands in items, alerts and stories; a case is opened from the alerts; an opinion is registered by hand', async () => {
    // The crawl: every post becomes an item; rule matches become alerts. (The worker learns of the
    // new allow-list entry within a few seconds: until then its fetch is refused, so ask again.)
    let alerts: { id: string; storyTitle: string }[] = [];
    await expect
      .poll(
        async () => {
          const r = await okJson<{ alerts: { id: string; storyTitle: string }[] }>(await admin.get('/api/alerts?limit=200'));
          alerts = r.alerts.filter((a) => a.storyTitle.includes(MARK));
          if (alerts.length === 0) {
            const src = await sys.db.selectFrom('sources').select(['status', 'claimed_by']).where('id', '=', sourceId).executeTakeFirstOrThrow();
            if (src.status !== 'ok' && src.claimed_by === null) await admin.post(`/api/sources/${sourceId}/fetch-now`);
          }
          return alerts.length;
        },
        { timeout: 60_000, interval: 2000 },
      )
      .toBeGreaterThan(0);
    // 值班台 before triage: the alert list and the selected alert's items and links.
    const desk = await signedIn('admin');
    await desk.page.goto(`${sys.baseUrl}/desk`);
    await desk.page.getByRole('heading', { name: '值班台' }).waitFor();
    const row = desk.page.locator('[data-testid=alert-row]', { hasText: MARK }).first();
    await row.waitFor({ timeout: 20_000 });
    await check(desk.page, 'desk-list');
    await row.locator('.alert-title').click();
    await desk.page.locator('[data-testid=alert-detail] .detail-item').first().waitFor();
    await check(desk.page, 'desk-alert-detail');
    await desk.ctx.close();
    const items = await sys.db.selectFrom('items').select(['title', 'text', 'url']).where('title', 'like', `%${MARK}%`).execute();
    expect(items.length).toBeGreaterThanOrEqual(4);
    // What survives the crawler's text extraction still spells payloads (entity-encoded markup
    // decodes to literal "<script>…" text, template and URL payloads stay as they are).
    expect(items.filter((i) => `${i.title}\n${i.text}`.includes('__xss(')).length).toBeGreaterThan(0);
    const depts = await okJson<{ departments: { id: number; name: string }[] }>(await admin.get('/api/departments'));
    const lead = depts.departments.find((d) => d.name === '住建局')!;
    const opened = await okJson<{ id: string }>(
      await admin.post('/api/cases', {
        data: { alertIds: alerts.map((a) => a.id), title: `${MARK}立案 ${XSS_PAYLOADS[3].text}`, summary: ALL_TEXT.slice(0, 4000), level: 'general', category: 'difficulty', leadDepartmentId: lead.id },
      }),
    );
    alertCaseId = opened.id;
    const manual = await okJson<{ id: string }>(
      await admin.post('/api/cases', {
        data: {
          manual: {
            // 'other': a 12345 hotline case is due in working days (windows by origin), not 48 h.
            origin: 'other',
            originNote: `12345 ${XSS_PAYLOADS[4].text}`,
            title: `${MARK}手工登记 ${XSS_PAYLOADS[5].text}`,
            text: ALL_TEXT,
            url: XSS_URLS[6].text,
            // Three days ago: its response deadline has passed, so it is on the overdue lists.
            receivedAt: new Date(Date.now() - 3 * 86_400_000).toISOString(),
          },
          summary: XSS_PAYLOADS.slice(20).map((p) => p.text).join(' '),
          level: 'general',
          category: 'difficulty',
          leadDepartmentId: lead.id,
          coDepartmentIds: [depts.departments.find((d) => d.name === '人社局')!.id],
        },
      }),
    );
    manualCaseId = manual.id;
    // A crawled item whose link is a script URL, kept as case evidence.
    for (const u of XSS_URLS.slice(0, 6)) {
      await sys.db
        .insertInto('case_items')
        .values({ case_id: manualCaseId, item_id: null, title: `${MARK}证据 ${u.id}`, text: `${XSS_PAYLOADS[7].text} ${u.text}`, url: u.text, source_name: `论坛 ${XSS_PAYLOADS[8].text}`, published_at: new Date(Date.now() - 3_600_000), captured_at: new Date() })
        .execute();
    }
    // Timeline entries: feedback and a draft response carrying payloads.
    await okJson(await handler.post(`/api/cases/${manualCaseId}/feedback`, { data: { kind: 'reaction', body: `${MARK}反馈 ${XSS_PAYLOADS.slice(9, 20).map((p) => p.text).join(' ')}` } }));
    // A coordination note to the co-department: its handler (handler2) is notified.
    await okJson(await handler.post(`/api/cases/${manualCaseId}/coordinations`, { data: { content: `${MARK}协调 ${XSS_PAYLOADS.slice(34).map((p) => p.text).join(' ')}` } }));
    await okJson(await handler.post(`/api/cases/${manualCaseId}/responses`, { data: { body: `${MARK}回应稿 ${XSS_PAYLOADS.slice(20, 34).map((p) => p.text).join(' ')}` } }));
    const evidence = await sys.db.selectFrom('case_items').select(['title', 'text']).where('case_id', '=', alertCaseId).execute();
    expect(evidence.length).toBeGreaterThan(0);
    expect(evidence.some((e) => `${e.title}\n${e.text}`.includes('__xss('))).toBe(true);
  }, 90_000);

  it('no payload runs on any page that shows the text', async () => {
    const { ctx, page } = await signedIn('admin');
    // 事件详情: both cases, every tab (timeline, escalations, items / evidence).
    for (const [id, name] of [[alertCaseId, 'case-from-alerts'], [manualCaseId, 'case-manual']] as const) {
      await page.goto(`${sys.baseUrl}/cases/${id}`);
      await page.getByTestId('case-room').waitFor();
      await check(page, `${name}-timeline`);
      const tabs = await page.getByRole('tab').all();
      expect(tabs.length).toBe(3);
      for (const [i, tab] of tabs.entries()) {
        await tab.click();
        await check(page, `${name}-tab${i + 1}`, false);
      }
    }
    // 回应台账.
    await page.goto(`${sys.baseUrl}/ledger?q=${encodeURIComponent(MARK)}`);
    await page.locator('a', { hasText: /^YQ-/ }).first().waitFor();
    await check(page, 'ledger');
    // 统计: top sources and the overdue list.
    await page.goto(`${sys.baseUrl}/stats`);
    await page.getByTestId('stats-body').waitFor();
    await page.getByTestId('overdue-row').first().waitFor({ timeout: 15_000 });
    await check(page, 'stats');
    // The wall display (大屏) of the same figures.
    await page.goto(`${sys.baseUrl}/stats/wall`);
    await page.getByTestId('wall').waitFor();
    await page.getByTestId('kpi-cases').waitFor();
    await check(page, 'stats-wall', false);
    // 监测源 and its 试抓取 preview (the feed's entries with their hostile titles and links).
    await page.goto(`${sys.baseUrl}/admin/sources`);
    const row = page.getByTestId('source-row').filter({ hasText: `${MARK}源` });
    await row.waitFor();
    await check(page, 'admin-sources');
    await row.getByRole('button', { name: '编辑' }).click();
    await page.getByTestId('source-form').waitFor();
    await page.getByTestId('source-preview').click();
    await page.getByTestId('source-preview-result').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('preview-entry').count()).toBeGreaterThan(0);
    await check(page, 'admin-source-preview');
    await ctx.close();

    // 通知: the co-department's handler was sent the coordination note.
    const h = await signedIn('handler2');
    await h.page.goto(`${sys.baseUrl}/notifications`);
    await h.page.getByTestId('notification-row').filter({ hasText: MARK }).first().waitFor({ timeout: 20_000 });
    await check(h.page, 'notifications');
    await h.ctx.close();
  }, 120_000);

  it('the weekly notice (周通报) shows and writes the payloads as text', async () => {
    const day = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
    const gen = await okJson<{ id: string }>(await reviewer.post('/api/reports/weekly', { data: { from: day(new Date(Date.now() - 6 * 86_400_000)), to: day(new Date()) } }));
    reportId = gen.id;
    await okJson(await reviewer.patch(`/api/reports/${reportId}`, { data: { notable: ALL_TEXT, requirements: XSS_URLS.map((u) => u.text).join('\n') } }));
    const { ctx, page } = await signedIn('reviewer');
    await page.goto(`${sys.baseUrl}/reports`);
    await page.locator(`[data-testid=report-row][data-report-id="${reportId}"]`).click();
    await page.getByTestId('report-detail').waitFor();
    await check(page, 'weekly-notice');
    await ctx.close();

    const file = await reviewer.get(`/api/reports/${reportId}/file`);
    expect(file.status()).toBe(200);
    const zip = await unzip(await file.body());
    const doc = await part(zip, 'word/document.xml');
    expect(doc).not.toMatch(/<script/i);
    expect(doc).not.toMatch(/<img|<svg|<iframe/i);
    expect(doc).toContain('&lt;script&gt;window.__xss(');
    fileChecks++;
    const rels = await part(zip, 'word/_rels/document.xml.rels');
    expect(rels).not.toMatch(/javascript:|vbscript:|data:text/i);
    fileChecks++;
  }, 60_000);

  it('ledger exports: XLSX keeps the payloads as text, CSV defuses formula cells', async () => {
    // Formula-looking titles, besides the markup.
    for (const title of ['=HYPERLINK("javascript:alert(1)","点我")', '+cmd|\' /C calc\'!A0', '-2+3', '@SUM(1+1)']) {
      await okJson(
        await admin.post('/api/cases', {
          data: { manual: { origin: 'hotline', originNote: '', title, text: `${MARK} 公式注入`, url: '', receivedAt: new Date(Date.now() - 3_600_000).toISOString() }, summary: `${MARK}`, level: 'general', category: 'other', leadDepartmentId: (await okJson<{ departments: { id: number }[] }>(await admin.get('/api/departments'))).departments[0].id },
        }),
      );
    }
    const xlsx = await admin.get('/api/cases/export?format=xlsx');
    expect(xlsx.status()).toBe(200);
    const buf = await xlsx.body();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    const cells: { v: unknown; formula: boolean }[] = [];
    ws.eachRow((row) => row.eachCell((cell) => cells.push({ v: cell.value, formula: cell.type === ExcelJS.ValueType.Formula || (typeof cell.value === 'object' && cell.value !== null && 'formula' in cell.value) })));
    expect(cells.filter((c) => c.formula)).toEqual([]);
    const texts = cells.map((c) => (typeof c.v === 'string' ? c.v : '')).filter(Boolean);
    expect(texts.some((t) => t.includes(`<script>window.__xss('x01')</script>`) || t.includes('__xss('))).toBe(true);
    expect(texts.filter((t) => /^[=+\-@]/.test(t))).toEqual([]);
    fileChecks++;
    const sheetXml = await part(await unzip(buf), 'xl/worksheets/sheet1.xml').catch(async () => '');
    const shared = await part(await unzip(buf), 'xl/sharedStrings.xml').catch(async () => '');
    expect(sheetXml + shared).not.toMatch(/<script|<img /i);
    expect(sheetXml).not.toMatch(/<f>/);
    fileChecks++;

    const csv = await admin.get('/api/cases/export?format=csv');
    expect(csv.status()).toBe(200);
    const text = (await csv.body()).toString('utf8');
    expect(text).toContain('__xss(');
    const fields = parseCsv(text.replace(/^\uFEFF/, ''));
    const bad = fields.flat().filter((f) => /^[=+\-@\t\r]/.test(f));
    expect(bad).toEqual([]);
    expect(fields.flat().some((f) => f.startsWith(`'=HYPERLINK`))).toBe(true);
    fileChecks++;
  }, 60_000);

  afterAll(() => {
    const pages = visited.length;
    recordFigure({ area: 'security', name: 'stored XSS payloads in the corpus', value: ALL_IDS.length, unit: 'payloads', goal: '≥ 40', met: ALL_IDS.length >= 40, detail: { markup: XSS_PAYLOADS.length, urls: XSS_URLS.length } });
    recordFigure({ area: 'security', name: 'pages visited with the corpus stored', value: pages, unit: 'pages', goal: '', met: null, detail: { pages: visited.map((v) => v.page) } });
    recordFigure({ area: 'security', name: 'payload executions (markers fired + dialogs + hostile elements)', value: fired.length + dialogs.length + visited.reduce((s, v) => s + v.bad.length, 0), unit: 'executions', goal: '0', met: fired.length + dialogs.length + visited.reduce((s, v) => s + v.bad.length, 0) === 0 && pages > 0, detail: { fired, dialogs: dialogs.length } });
    recordFigure({ area: 'security', name: 'export files read back (XLSX, CSV, DOCX)', value: fileChecks, unit: 'checks', goal: '5', met: fileChecks === 5 });
  });

  it('no marker fired and no dialog opened anywhere', () => {
    expect(visited.length).toBeGreaterThanOrEqual(10);
    expect(fired).toEqual([]);
    expect(dialogs).toEqual([]);
  });
});

/** RFC 4180 CSV (quoted fields, doubled quotes, CRLF). */
function parseCsv(s: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let f = '';
  let q = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (q) {
      if (ch === '"' && s[i + 1] === '"') {
        f += '"';
        i++;
      } else if (ch === '"') q = false;
      else f += ch;
    } else if (ch === '"') q = true;
    else if (ch === ',') {
      row.push(f);
      f = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && s[i + 1] === '\n') i++;
      row.push(f);
      rows.push(row);
      row = [];
      f = '';
    } else f += ch;
  }
  if (f || row.length) {
    row.push(f);
    rows.push(row);
  }
  return rows;
}
