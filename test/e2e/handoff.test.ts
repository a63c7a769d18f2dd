import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAs, okJson } from './api.js';
import { launchBrowser, newContext, screenshot, signInUi } from './browser.js';
import { DEMO_PASSWORD, startSystem, type RunningSystem } from './system.js';

// Every hand-off reaches a person: one case walked duty → handler → reviewer → handler → reviewer
// → handler → leader, each person's screen open and never reloaded. After each step the next
// person's notification count goes up and their 待办 shows what is asked within 2 s (live, over
// SSE). Walked on a desktop (1366×768) and on a phone (390×844). Every screen passed on the way
// is scanned for ISO / UTC times and for English words in the Chinese interface.

/**
 * A live hand-off must show within 2 s. Under a loaded test machine (the whole suite runs in
 * parallel with this browser) one hand-off may take longer: each must show within LIVE_CAP_MS and
 * their median within LIVE_MS; the figures are printed.
 */
const LIVE_MS = 2_000;
const LIVE_CAP_MS = 6_000;
const latencies: number[] = [];
/** Waits for a live change (at most LIVE_CAP_MS) and records how long it took. */
async function live(what: () => Promise<unknown>): Promise<void> {
  const t0 = Date.now();
  await what();
  latencies.push(Date.now() - t0);
}
/** Opening a screen (a fresh read, not a live update) on a busy test machine. */
const NAV_MS = 10_000;
/** Latin words a Chinese screen may show: none but these (units and product names the office uses). */
const LATIN_ALLOWED = new Set(['YQ', 'SSE', 'XLSX', 'CSV', 'PDF', 'URL', 'WeCom', 'SMS']);

async function unread(page: Page): Promise<number> {
  const badge = page.getByTestId('unread-count');
  if ((await badge.count()) === 0) return 0;
  const text = (await badge.textContent()) ?? '0';
  return text === '99+' ? 100 : Number(text);
}

/** Asserts the page's visible text has no ISO timestamp and no English word outside the allow-list. */
async function scanChinese(page: Page, where: string): Promise<void> {
  const text = await page.evaluate(() => document.body.innerText);
  expect(text, `${where}: ISO time`).not.toMatch(/\d{4}-\d{2}-\d{2}T\d\d:\d\d|T\d\d:\d\d:\d\d/);
  const words = (text.replace(/https?:\/\/\S+/g, '').match(/[A-Za-z]{2,}/g) ?? []).filter((w) => !LATIN_ALLOWED.has(w) && !/^YQ/.test(w));
  // The language switch names the other language in that language.
  expect(words.filter((w) => w !== 'English'), `${where}: English words`).toEqual([]);
}

/** Opens 我的待办 through the header link (no reload), unfolding the phone menu first. */
async function openTodos(page: Page): Promise<void> {
  const menu = page.getByTestId('menu-button');
  if (await menu.isVisible()) await menu.click();
  await page.locator('a.todo-nav').click();
  await page.getByTestId('todos-page').waitFor();
}

const todo = (page: Page, kind: string, caseId: string) => page.locator(`[data-testid="todo"][data-kind="${kind}"][data-case-id="${caseId}"]`);

describe.each([
  { label: 'desktop', width: 1366, height: 768 },
  { label: 'phone', width: 390, height: 844 },
])('a case walked from hand to hand on a $label', ({ label, width, height }) => {
  let sys: RunningSystem;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  async function signedIn(username: string): Promise<Page> {
    const ctx = await newContext(browser, { width, height });
    contexts.push(ctx);
    const page = await ctx.newPage();
    await signInUi(page, sys.baseUrl, username, DEMO_PASSWORD);
    return page;
  }

  beforeAll(async () => {
    latencies.length = 0;
    sys = await startSystem(`e2ehand${label}`, { QUIET_HOURS: 'off' });
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await sys?.stop();
  });

  it('each next person hears of it within 2 s: a notification and a to-do, without reloading', async () => {
    const [handler, reviewer, leader, duty] = [await signedIn('handler'), await signedIn('reviewer'), await signedIn('leader'), await signedIn('duty')];
    // Handlers, reviewers and leaders start on 我的待办.
    for (const p of [handler, reviewer, leader]) await p.waitForURL(/\/todos$/);
    await handler.getByTestId('todos-page').waitFor();

    // 1. The duty officer registers a forwarded opinion for 住建局 (significant: the leader in charge hears of its publication).
    const dutyApi = await apiAs(sys.baseUrl, 'duty');
    const depts = await okJson<{ departments: { id: number; name: string }[] }>(await dutyApi.get('/api/departments'));
    const zhujian = depts.departments.find((d) => d.name === '住建局')!;
    const before = { handler: await unread(handler), reviewer: await unread(reviewer), leader: await unread(leader), duty: await unread(duty) };
    const opened = await okJson<{ id: string; number: string }>(
      await dutyApi.post('/api/cases', {
        data: {
          manual: { origin: 'government_office', originNote: '政府办转办单 201 号', receivedAt: new Date().toISOString(), title: '河西街道加装电梯补贴迟迟不到位', text: '老旧小区加装电梯补贴申请半年没有答复。' },
          level: 'significant',
          category: 'difficulty',
          leadDepartmentId: zhujian.id,
        },
      }),
    );
    const caseId = opened.id;
    await live(() => todo(handler, 'case.needs_draft', caseId).waitFor({ timeout: LIVE_CAP_MS }));
    await live(() => expect.poll(() => unread(handler), { timeout: LIVE_CAP_MS, interval: 100 }).toBe(before.handler + 1));
    await scanChinese(handler, 'handler 待办');
    await screenshot(handler, `70-handoff-${label}-handler-todos`);

    // 2. The handler drafts and submits: the reviewer hears of it.
    await todo(handler, 'case.needs_draft', caseId).locator('a').click();
    // A forwarded opinion: the 核实 comes first (the composer waits for it).
    await handler.getByTestId('verify-before-draft').waitFor();
    await handler.getByTestId('verify-true').check();
    await handler.getByTestId('verify-note').fill('经核实，补贴申请已于6月受理，尚未发放。');
    await handler.getByTestId('verify-save').click();
    await handler.getByTestId('verify-save').waitFor({ state: 'detached' });
    if (width <= 390) expect(await handler.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await handler.getByLabel('回应内容').fill('经核实，住建局已受理该小区加装电梯补贴申请。');
    await handler.getByLabel('已按保密审查制度审查，不涉及国家秘密、工作秘密和个人隐私').check();
    await handler.getByRole('button', { name: '提交审核' }).click();
    await handler.locator('[data-testid="response"][data-status="submitted"]').waitFor();
    await live(() => todo(reviewer, 'response.review', caseId).waitFor({ timeout: LIVE_CAP_MS }));
    await live(() => expect.poll(() => unread(reviewer), { timeout: LIVE_CAP_MS, interval: 100 }).toBe(before.reviewer + 1));
    await scanChinese(handler, 'case room (handler)');

    // 3. The reviewer returns it with a comment: the handler hears of it (on the case page, not reloaded).
    const handlerBefore = await unread(handler);
    await todo(reviewer, 'response.review', caseId).locator('a').click();
    await reviewer.locator('[data-testid="response"][data-status="submitted"]').waitFor();
    await reviewer.getByRole('button', { name: '退回修改' }).click();
    await reviewer.getByLabel('退回意见').fill('请写明补贴发放的时间。');
    await reviewer.getByRole('button', { name: '确认退回' }).click();
    await live(() => expect.poll(() => unread(handler), { timeout: LIVE_CAP_MS, interval: 100 }).toBe(handlerBefore + 1));
    await live(() => handler.locator('[data-testid="response"][data-status="returned"]').waitFor({ timeout: LIVE_CAP_MS }));
    await openTodos(handler);
    await todo(handler, 'response.returned', caseId).waitFor({ timeout: NAV_MS });
    expect(await todo(handler, 'response.returned', caseId).innerText()).toContain('请写明补贴发放的时间。');

    // 4. The handler revises and resubmits; the reviewer (still on the case page) sees it and approves.
    await todo(handler, 'response.returned', caseId).locator('a').click();
    await handler.getByLabel('回应内容').fill('经核实，住建局已受理该小区加装电梯补贴申请，补贴将于12月20日前发放。');
    await handler.getByLabel('已按保密审查制度审查，不涉及国家秘密、工作秘密和个人隐私').check();
    await handler.getByRole('button', { name: '提交审核' }).click();
    await live(() => reviewer.locator('[data-testid="response"][data-status="submitted"]').waitFor({ timeout: LIVE_CAP_MS }));
    const handlerBeforeApprove = await unread(handler);
    await reviewer.getByRole('button', { name: '审核通过' }).click();
    // 审批链 of a 较大 case: the leader in charge is asked next and approves from 待办 (on the phone too).
    await expect.poll(() => unread(leader), { timeout: NAV_MS, interval: 100 }).toBe(before.leader + 1);
    await openTodos(leader);
    await todo(leader, 'response.leader_approval', caseId).waitFor({ timeout: NAV_MS });
    await todo(leader, 'response.leader_approval', caseId).locator('a').click();
    await leader.locator('[data-testid="approval-chain"]').waitFor();
    await leader.getByRole('button', { name: '同意', exact: true }).click();
    await leader.locator('[data-testid="response"][data-status="approved"]').waitFor();
    if (width <= 390) expect(await leader.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(leader, `70-handoff-${label}-leader-approval`);
    await live(() => expect.poll(() => unread(handler), { timeout: LIVE_CAP_MS, interval: 100 }).toBe(handlerBeforeApprove + 1));
    await scanChinese(reviewer, 'case room (reviewer)');
    await openTodos(handler);
    await todo(handler, 'response.publish', caseId).waitFor({ timeout: NAV_MS });

    // 5. The handler publishes: the duty officer who opened the case and the leader in charge hear of it.
    await todo(handler, 'response.publish', caseId).locator('a').click();
    await handler.getByRole('button', { name: '发布', exact: true }).click();
    const publish = handler.getByRole('dialog', { name: '发布回应' });
    await publish.getByLabel('发布渠道').selectOption({ label: '网站发布' });
    await publish.getByLabel('发布链接').fill('https://www.example.gov.cn/hx/1206');
    await publish.getByRole('button', { name: '确认发布' }).click();
    await handler.locator('[data-testid="response"][data-status="published"]').waitFor();
    // The leader had the request to approve (审批链) and now the publication.
    await live(() => expect.poll(() => unread(leader), { timeout: LIVE_CAP_MS, interval: 100 }).toBe(before.leader + 2));
    await live(() => expect.poll(() => unread(duty), { timeout: LIVE_CAP_MS, interval: 100 }).toBeGreaterThan(before.duty));

    // The leader reads it on the notifications screen: in Chinese, Beijing time, no ISO string.
    const menu = leader.getByTestId('menu-button');
    if (await menu.isVisible()) await menu.click();
    await leader.locator('a.bell[href="/notifications"]').click();
    const row = leader.getByTestId('notification-row').first();
    await row.waitFor();
    expect(await row.innerText()).toContain(opened.number);
    await scanChinese(leader, 'leader notifications');
    if (width <= 390) expect(await leader.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(leader, `71-handoff-${label}-leader-notifications`);
    await dutyApi.dispose();

    const sorted = [...latencies].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    console.log(`hand-off latency on a ${label} (ms): median ${median}, max ${sorted.at(-1)}, all ${latencies.join(' ')}`);
    expect(latencies.length).toBe(10);
    expect(median).toBeLessThanOrEqual(LIVE_MS);
  }, 240_000);
});
