import type { APIRequestContext, Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAs, okJson } from './api.js';
import { launchBrowser, newContext, signInUi } from './browser.js';
import { DEMO_PASSWORD, startSystem, type RunningSystem } from './system.js';

// No English and no ISO timestamp in the Chinese interface. On the system as `npm start` runs it,
// with a case walked from hand to hand (submitted, returned, approved, published, a leader's 批示,
// a coordination note, a report up), an SMS gateway and a group robot pointed at the fixture
// site's fakes: every screen in each role's menu, a case room, the desk with an alert selected,
// 待办, notifications, statistics, the wall display, the ledger, search, the roster and the notices
// are read as the user sees them (document.body.innerText), and so is every notification of every
// person (GET /api/notifications in Chinese) and every message the fake gateway and robot got.

/** An ISO / UTC time: 2026-12-05T02:42 or T02:42 anywhere. */
const ISO_TIME = /\dT\d\d:\d\d|T\d\d:\d\d/;

/**
 * Latin words a Chinese screen may show. Kept short; each is a name the office itself uses:
 * - YQ: the prefix of case numbers (YQ-2026-0001), printed on documents and in messages.
 * - XLSX, CSV, Word: the export formats, named as the button's file type (导出 XLSX).
 * - Top: the statistics rankings (来源 Top 10), as Chinese reports write it.
 * - Esc: the name printed on the key (the wall display's 按 Esc 返回).
 * - HTTP: status codes are written so (网站服务器出错（HTTP 500）), as the sites' own pages say.
 * - Webhook: what WeCom's and DingTalk's consoles call a group robot's address (Webhook 地址).
 * - RSSHub: the open-source feed software whose instance an office configures (RSSHub 实例); it has
 *   no Chinese name, and sources made from it say so in their names.
 * - English: the language switch names the other language in that language.
 */
const LATIN_ALLOWED = new Set(['YQ', 'XLSX', 'CSV', 'Word', 'Top', 'Esc', 'HTTP', 'Webhook', 'RSSHub', 'English']);

/** The Latin words of a text outside the allow-list (URLs removed first: they are addresses, not words). */
function englishWords(text: string): string[] {
  const words = text.replace(/https?:\/\/[^\s）)】」]+/g, ' ').match(/[A-Za-z]{2,}/g) ?? [];
  return [...new Set(words.filter((w) => !LATIN_ALLOWED.has(w) && !/^YQ/.test(w)))];
}

/** Problems of one text: an ISO time, English words. Empty when clean. */
function problemsOf(text: string): string[] {
  const out: string[] = [];
  const iso = ISO_TIME.exec(text);
  if (iso) out.push(`ISO time near “${text.slice(Math.max(0, iso.index - 30), iso.index + 30)}”`);
  for (const w of englishWords(text)) {
    const at = text.search(new RegExp(`(?<![A-Za-z])${w}(?![A-Za-z])`));
    out.push(`English “${w}” in “${text.slice(Math.max(0, at - 25), at + w.length + 25).replace(/\s+/g, ' ')}”`);
  }
  return out;
}

/**
 * What the reader sees on the page, less what is data rather than interface: text marked
 * translate="no" (crawled titles and texts, which may be in any language, user names, URLs and
 * expressions typed by an administrator).
 */
async function screenText(page: Page): Promise<string> {
  return page.evaluate(() => {
    let text = document.body.innerText;
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('[translate="no"]'))) {
      const t = el.innerText;
      if (t) text = text.replace(t, ' ');
    }
    return text;
  });
}

type Hook = { kind: 'sms' | 'robot'; url: string; json: Record<string, unknown> | null; body: string };

/** The text a person reads in a message the fake gateway or robot got. */
function messageText(m: Hook): string {
  const j = (m.json ?? {}) as { text?: unknown; markdown?: { content?: unknown }; msgtype?: string };
  if (m.kind === 'sms') return String(j.text ?? m.body);
  return String(j.markdown?.content ?? (j as { text?: { content?: unknown } }).text?.content ?? m.body);
}

describe('no English and no ISO time in the Chinese interface', () => {
  let sys: RunningSystem;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const apis: APIRequestContext[] = [];
  let caseId = '';
  let alertId = '';
  const found: string[] = [];

  async function api(username: string): Promise<APIRequestContext> {
    const a = await apiAs(sys.baseUrl, username);
    apis.push(a);
    return a;
  }

  beforeAll(async () => {
    [sys, browser] = await Promise.all([startSystem('e2elang', { QUIET_HOURS: 'off', DELIVER_INTERVAL_MS: '1000' }), launchBrowser()]);
    const admin = await api('admin');
    const { users } = await okJson<{ users: { id: number; username: string }[] }>(await admin.get('/api/users'));
    const phones: Record<string, string> = { duty: '13800000001', handler: '13800000002', reviewer: '13800000003', leader: '13800000004', admin: '13800000005' };
    for (const u of users) if (phones[u.username]) await okJson(await admin.patch(`/api/users/${u.id}`, { data: { phone: phones[u.username] } }));
    await okJson(await admin.post('/api/notification-channels', { data: { kind: 'sms', name: '短信网关', config: { url: `${sys.siteUrl}/hooks/sms`, urgentOnly: false } } }));
    await okJson(await admin.post('/api/notification-channels', { data: { kind: 'webhook', name: '值班群机器人', config: { url: `${sys.siteUrl}/hooks/robot`, format: 'wecom' } } }));

    const duty = await api('duty');
    const { departments } = await okJson<{ departments: { id: number; name: string }[] }>(await duty.get('/api/departments'));
    const dept = (name: string) => departments.find((d) => d.name === name)!.id;
    // Two alerts of the demo crawl: one becomes a case, the other stays on the desk.
    const newAlerts = async () => (await okJson<{ alerts: { id: string }[] }>(await duty.get('/api/alerts?status=new'))).alerts;
    let alerts = await newAlerts();
    for (const until = Date.now() + 90_000; alerts.length < 2 && Date.now() < until; alerts = await newAlerts()) await new Promise((r) => setTimeout(r, 1000));
    const [first, second] = alerts;
    if (!first || !second) throw new Error('the demo crawl raised fewer than two alerts in 90 s');
    alertId = second.id;
    await okJson(await duty.post('/api/cases', { data: { alertIds: [first.id], level: 'general', category: 'difficulty', leadDepartmentId: dept('住建局') } }));

    // A forwarded opinion for 住建局 with 人社局 as co-department, walked from hand to hand.
    const kase = await okJson<{ id: string }>(
      await duty.post('/api/cases', {
        data: {
          manual: { origin: 'government_office', originNote: '政府办转办单 88 号', receivedAt: new Date().toISOString(), title: '河西街道老旧小区加装电梯补贴迟迟不到位', text: '群众反映补贴申请半年没有答复。' },
          level: 'significant',
          category: 'difficulty',
          leadDepartmentId: dept('住建局'),
          coDepartmentIds: [dept('人社局')],
        },
      }),
    );
    caseId = kase.id;
    const handler = await api('handler');
    const reviewer = await api('reviewer');
    const leader = await api('leader');
    const coHandler = await api('handler2'); // 人社局, the co-department
    // A forwarded opinion is verified (核实) before its response is drafted.
    await okJson(await handler.post(`/api/cases/${caseId}/verification`, { data: { result: 'partly_true', note: '补贴申请已受理，发放确有延迟。' } }));
    const draft = await okJson<{ id: string }>(await handler.post(`/api/cases/${caseId}/responses`, { data: { body: '经核实，住建局已受理该小区加装电梯补贴申请。' } }));
    const step = async (who: APIRequestContext, action: string, data: unknown = {}) => okJson(await who.post(`/api/cases/${caseId}/responses/${draft.id}/${action}`, { data }));
    await step(handler, 'submit', { secrecyConfirmed: true });
    await step(coHandler, 'countersign', { decision: 'confirm' }); // 会签 before the reviewer (较大, with a co-department)
    await step(reviewer, 'return', { comment: '请写明补贴发放的时间。' });
    await okJson(await handler.patch(`/api/cases/${caseId}/responses/${draft.id}`, { data: { body: '经核实，补贴将于12月20日前发放到位。' } }));
    await step(handler, 'submit', { secrecyConfirmed: true });
    await step(coHandler, 'countersign', { decision: 'confirm' });
    await step(reviewer, 'approve');
    await step(leader, 'approve'); // 较大: 审核人, then 分管领导
    await step(handler, 'publish', { channel: 'website', url: 'https://www.example.gov.cn/hx/88' });
    await okJson(await handler.post(`/api/cases/${caseId}/forward-replies`, { data: { content: '已向政府办反馈补贴发放的办理情况。' } }));
    await okJson(await leader.post(`/api/cases/${caseId}/instructions`, { data: { content: '请住建局抓紧落实补贴发放，按时报告。', reportWithinHours: 24 } }));
    await okJson(await handler.post(`/api/cases/${caseId}/coordinations`, { data: { content: '请人社局协助核实相关情况。' } }));
    await okJson(await duty.post(`/api/cases/${caseId}/reports-up`, { data: { recipient: '市政府办公室', content: '已向分管领导报告。' } }));
    const day = (ms: number) => new Date(ms).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
    await okJson(await reviewer.post('/api/reports/weekly', { data: { from: day(Date.now() - 6 * 86_400_000), to: day(Date.now()) } }));
  }, 240_000);

  afterAll(async () => {
    for (const a of apis) await a.dispose().catch(() => {});
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await sys?.stop();
  });

  async function scan(page: Page, where: string, ready?: () => Promise<unknown>): Promise<void> {
    await page.goto(`${sys.baseUrl}${where}`);
    await page.locator('main, .wall, body').first().waitFor();
    if (ready) await ready();
    await read(page, where);
  }

  /** Reads the page as it is now and notes what it finds. */
  async function read(page: Page, where: string): Promise<void> {
    // Read once nothing is loading any more (every list and screen shows a spinner until its data came).
    await expect.poll(() => page.locator('.state-loading').count(), { timeout: 15_000 }).toBe(0);
    await page.waitForTimeout(300);
    expect(await page.locator('.state-error').count(), `${where}: an error box`).toBe(0);
    const text = await screenText(page);
    expect(text.replace(/\s/g, '').length, `${where}: no text`).toBeGreaterThan(20);
    for (const p of problemsOf(text)) found.push(`${where}: ${p}`);
  }

  const ROLE_SCREENS: Record<string, string[]> = {
    duty: ['/desk', '/todos', '/ledger', '/search', '/stats', '/stats/wall', '/notifications'],
    handler: ['/todos', '/ledger', '/notifications'],
    reviewer: ['/todos', '/desk', '/ledger', '/search', '/stats', '/stats/wall', '/reports', '/notifications'],
    leader: ['/todos', '/ledger', '/search', '/stats', '/stats/wall', '/reports', '/notifications'],
    admin: [
      '/desk',
      '/ledger',
      '/search',
      '/stats',
      '/stats/wall',
      '/reports',
      '/notifications',
      '/admin/sources',
      '/admin/rules',
      '/admin/org',
      '/admin/policy',
      '/admin/periods',
      '/admin/channels',
      '/admin/calendar',
      '/admin/roster',
    ],
  };

  it.each(Object.keys(ROLE_SCREENS))('%s: every screen of the menu, a case room and the desk with an alert selected', async (username) => {
    found.length = 0;
    const ctx = await newContext(browser);
    contexts.push(ctx);
    const page = await ctx.newPage();
    await signInUi(page, sys.baseUrl, username, DEMO_PASSWORD);
    // Every screen of this role's menu (read from the header, so a screen added later is scanned
    // too), and those reached otherwise (the bell, the to-do link, the wall display, admin sections).
    const menu = await page.locator('.topbar a[href^="/"]').evaluateAll((as) => as.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
    expect(menu.length).toBeGreaterThan(1);
    const screens = [...new Set([...menu.filter((p) => p !== '/' && !p.startsWith('/cases/')), ...ROLE_SCREENS[username]!])];
    for (const where of screens) await scan(page, where);
    await scan(page, `/cases/${caseId}`, () => page.getByTestId('response').first().waitFor({ timeout: 15_000 }));
    if (ROLE_SCREENS[username]!.includes('/desk')) {
      await scan(page, `/desk?alert=${alertId}`, () => page.locator(`[data-testid="alert-detail"][data-alert-id="${alertId}"]`).waitFor({ timeout: 15_000 }));
      if (username === 'duty') {
        // The triage dialogs: open a case (o), dismiss (d), register a forwarded opinion.
        await page.keyboard.press('o');
        await page.getByTestId('open-case-form').waitFor();
        await read(page, '/desk (立案 dialog)');
        await page.keyboard.press('Escape');
        await page.getByTestId('open-case-form').waitFor({ state: 'detached' });
        await page.keyboard.press('d');
        await page.getByTestId('dismiss-menu').waitFor();
        await read(page, '/desk (排除 menu)');
        await page.keyboard.press('Escape');
        await page.getByTestId('dismiss-menu').waitFor({ state: 'detached' });
        await page.getByRole('button', { name: '登记转办舆情' }).click();
        await page.getByTestId('register-form').waitFor();
        await read(page, '/desk (登记 dialog)');
        await page.keyboard.press('Escape');
      }
    }
    if (username === 'handler') {
      // The closing dialog (effect rating, conclusion), opened and left.
      await page.getByRole('button', { name: '办结', exact: true }).click();
      const close = page.getByRole('dialog', { name: '办结事件' });
      await close.waitFor();
      await read(page, `/cases/${caseId} (办结 dialog)`);
      await close.getByRole('button', { name: '取消' }).click();
    }
    if (username === 'leader') {
      // The 批示 form with a time limit.
      await page.getByRole('button', { name: '写批示' }).click();
      await page.getByTestId('instruction-content').waitFor();
      await read(page, `/cases/${caseId} (批示 form)`);
    }
    if (username === 'admin') {
      // The channels' recent failures, unfolded (人社局's handler has no phone: the SMS to them failed).
      await scan(page, '/admin/channels', async () => {
        const summaries = page.locator('details.failures summary');
        await expect.poll(() => summaries.count(), { timeout: 15_000 }).toBeGreaterThan(0);
        for (const sm of await summaries.all()) await sm.click();
        await page.locator('details.failures li').first().waitFor();
      });
    }
    if (ROLE_SCREENS[username]!.includes('/reports')) {
      // A notice opened from the list (its figures, its free text, its state).
      await scan(page, '/reports', async () => {
        await page.getByTestId('report-row').first().locator('.report-pick').click();
        await page.getByTestId('report-download').waitFor({ timeout: 15_000 });
      });
    }
    expect(found, found.join('\n')).toEqual([]);
  }, 180_000);

  it('every notification of every person, in Chinese, is free of English and ISO times', async () => {
    const problems: string[] = [];
    let total = 0;
    for (const username of ['duty', 'handler', 'handler2', 'reviewer', 'leader', 'leader2', 'admin']) {
      const a = await api(username);
      const list = await okJson<{ items: { kind: string; title: string; body: string }[] }>(await a.get('/api/notifications?lang=zh&limit=100'));
      total += list.items.length;
      for (const n of list.items) for (const p of problemsOf(`${n.title}\n${n.body}`)) problems.push(`${username} ${n.kind}: ${p}`);
    }
    expect(total).toBeGreaterThanOrEqual(8);
    expect(problems, problems.join('\n')).toEqual([]);
  }, 60_000);

  it('every message the fake SMS gateway and group robot received is free of English and ISO times', async () => {
    const log = async () => (await (await fetch(`${sys.siteUrl}/hooks/log`)).json()) as Hook[];
    await expect.poll(async () => (await log()).filter((m) => m.kind === 'sms').length, { timeout: 30_000, interval: 500 }).toBeGreaterThanOrEqual(4);
    await expect.poll(async () => (await log()).filter((m) => m.kind === 'robot').length, { timeout: 30_000, interval: 500 }).toBeGreaterThanOrEqual(4);
    const problems = (await log()).flatMap((m) => problemsOf(messageText(m)).map((p) => `${m.kind}: ${p} in “${messageText(m).slice(0, 120)}”`));
    expect(problems, problems.join('\n')).toEqual([]);
  }, 60_000);
});
