import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext, screenshot, signInUi } from './browser.js';
import { ApiUser, departmentId, signInTeam, type Team } from './ledger-seed.js';
import { DEMO_PASSWORD, startSystem, type RunningSystem } from './system.js';

// 重点时段 in the case room's 回应时限: a 12345 hotline 投诉 (normally 5 working days) and a 政府办
// forwarded case (normally 48 hours) registered while 全国两会 (factor 0.5) is in force show the
// window that applies and why — 重点时段（全国两会）：2.5 个工作日 / 24 小时 — with the normal window
// beneath, at 1366 and on a phone (390). Duty then changes the hotline case's 诉求类型: the form asks
// a reason (refused without one or over 200 characters), the window is recomputed and the
// timeline shows the change with its reason.

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 768 };
const H = 3_600_000;

describe('重点时段 in the case room', () => {
  let sys: RunningSystem;
  let browser: Browser;
  let team: Team;
  let hotline = '';
  let plain = '';

  beforeAll(async () => {
    sys = await startSystem('e2ekeyperiod');
    browser = await launchBrowser();
    team = await signInTeam(sys.baseUrl, DEMO_PASSWORD);
    const admin = await new ApiUser(sys.baseUrl, 'admin').signIn(DEMO_PASSWORD);
    const now = Date.now();
    await admin.call('POST', '/api/periods', { name: '全国两会', startsAt: new Date(now - 24 * H).toISOString(), endsAt: new Date(now + 24 * H).toISOString(), factor: 0.5 });
    const zj = await departmentId(team.duty, '住建局');
    const register = (origin: string, title: string, requestType?: string) =>
      team.duty.call<{ id: string }>('POST', '/api/cases', {
        manual: { origin, originNote: origin === 'hotline' ? '12345 热线工单 GD2026120700123' : '市政府办公室转办', title, text: title, receivedAt: new Date(now - H).toISOString(), ...(requestType ? { requestType } : {}) },
        level: 'general',
        category: 'difficulty',
        leadDepartmentId: zj,
      });
    hotline = (await register('hotline', '城关镇幸福小区停水三天无人处理', 'complaint')).id;
    plain = (await register('government_office', '网民反映幸福小区电梯停运')).id;
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await sys?.stop();
  });

  async function open(size: { width: number; height: number }, id: string, user = 'duty'): Promise<Page> {
    const ctx = await newContext(browser, size);
    const page = await ctx.newPage();
    await signInUi(page, sys.baseUrl, user, DEMO_PASSWORD);
    await page.goto(`${sys.baseUrl}/cases/${id}`);
    await page.locator('[data-testid="obligation"][data-kind="response"]').waitFor();
    return page;
  }
  const windowCell = (page: Page) => page.locator('[data-testid="obligation"][data-kind="response"] [data-testid="ob-window"]');

  for (const size of [DESKTOP, PHONE]) {
    it(`shows the key-period window and its reason at ${size.width} px`, async () => {
      const page = await open(size, hotline, size === PHONE ? 'handler' : 'duty');
      const cell = windowCell(page);
      expect(await cell.getAttribute('data-period')).toBe('全国两会');
      const text = (await cell.innerText()).replace(/\s+/g, ' ');
      expect(text).toContain('重点时段（全国两会）：2.5 个工作日');
      expect(text).toContain('常规时限 5 个工作日');
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(size.width);
      await cell.scrollIntoViewIfNeeded();
      await screenshot(page, `key-period-hotline-${size.width}`);

      await page.goto(`${sys.baseUrl}/cases/${plain}`);
      await page.locator('[data-testid="obligation"][data-kind="response"]').waitFor();
      const plainText = (await windowCell(page).innerText()).replace(/\s+/g, ' ');
      expect(plainText).toContain('重点时段（全国两会）：24 小时');
      expect(plainText).toContain('常规时限 48 小时');
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(size.width);
      await windowCell(page).scrollIntoViewIfNeeded();
      await screenshot(page, `key-period-plain-${size.width}`);
      await page.context().close();
    }, 90_000);
  }

  it('changing the 诉求类型 asks a reason (1–200 characters); the window is recomputed and the timeline shows the reason', async () => {
    const page = await open(DESKTOP, hotline);
    await page.getByRole('button', { name: '调整定级与转办' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.locator('select[name="requestType"]').selectOption('consultation');
    await dialog.getByRole('button', { name: '保存' }).click();
    await dialog.getByText('调整诉求类型时必须填写原因（不超过 200 字）').waitFor();
    await dialog.locator('textarea[name="reason"]').fill('因'.repeat(201));
    await dialog.getByRole('button', { name: '保存' }).click();
    await dialog.getByText('调整诉求类型的原因不能超过 200 字（现 201 字）').waitFor();
    // Nothing was sent: the server still has 投诉.
    expect((await team.duty.call<{ requestType: string }>('GET', `/api/cases/${hotline}`)).requestType).toBe('complaint');
    await screenshot(page, 'request-type-reason-1366');

    const reason = '回访核实：来电人仅咨询停水原因';
    await dialog.locator('textarea[name="reason"]').fill(reason);
    await dialog.getByRole('button', { name: '保存' }).click();
    await dialog.waitFor({ state: 'detached' });
    // 咨询: 3 working days, halved in the period.
    await page.getByText('重点时段（全国两会）：1.5 个工作日').waitFor();
    expect(await page.textContent('[data-testid="request-type"]')).toContain('咨询');

    const entry = page.locator('[data-testid="timeline-entry"][data-action="case.update"]').first();
    const text = (await entry.innerText()).replace(/\s+/g, ' ');
    expect(text).toContain('诉求类型');
    expect(text).toContain('投诉');
    expect(text).toContain('咨询');
    expect(text).toContain(reason);
    await entry.scrollIntoViewIfNeeded();
    await screenshot(page, 'request-type-timeline-1366');
    await page.context().close();
  }, 90_000);
});
