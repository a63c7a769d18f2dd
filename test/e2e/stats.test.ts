import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext, screenshot, signInUi } from './browser.js';
import { departmentId, registerCase, respond, signInTeam, type Team } from './ledger-seed.js';
import { DEMO_PASSWORD, startSystem, type RunningSystem } from './system.js';

// 统计 and the wall display in a real browser: the figures on screen are the API's figures for the
// same range, switching the range fetches again, and the wall display shows the same on-time rate.

const pct = (rate: number | null) => (rate === null ? '—' : `${(Math.round(rate * 1000) / 10).toFixed(1)}%`);

describe('统计 (leader statistics) and 大屏', () => {
  let sys: RunningSystem;
  let browser: Browser;
  let team: Team;

  beforeAll(async () => {
    sys = await startSystem('e2estats');
    browser = await launchBrowser();
    team = await signInTeam(sys.baseUrl, DEMO_PASSWORD);
    const zj = await departmentId(team.duty, '住建局');
    const rs = await departmentId(team.duty, '人社局');
    const jy = await departmentId(team.duty, '教育局');
    const hour = 3_600_000;
    const seeds = [
      { title: '城关镇拆迁补偿款迟迟未发放', level: 'significant', category: 'difficulty', departmentId: zj, hoursAgo: 5, respond: 'handler' },
      { title: '河西工地拖欠农民工工资', level: 'general', category: 'difficulty', departmentId: rs, hoursAgo: 30, respond: 'handler2' },
      { title: '老旧小区加装电梯进展缓慢', level: 'general', category: 'suggestion', departmentId: zj, hoursAgo: 60, respond: 'handler' },
      { title: '网传龙山片区明日停水', level: 'general', category: 'rumour', departmentId: rs, hoursAgo: 72 },
      { title: '实验小学食堂饭菜变质', level: 'major', category: 'emergency', departmentId: jy, hoursAgo: 2 },
      { title: '社保卡补办排长队', level: 'general', category: 'other', departmentId: rs, hoursAgo: 1 },
    ] as const;
    for (const s of seeds) {
      const c = await registerCase(team.duty, { ...s, receivedAt: new Date(Date.now() - s.hoursAgo * hour) });
      if ('respond' in s) await respond({ ...team, handler: team[s.respond] }, c.id);
    }
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await sys?.stop();
  });

  async function apiStats(page: Page, from: string, to: string) {
    const res = await page.request.get(`${sys.baseUrl}/api/stats?from=${from}&to=${to}`);
    expect(res.status()).toBe(200);
    return res.json();
  }

  async function shownRange(page: Page) {
    const body = page.getByTestId('stats-body');
    await body.waitFor();
    return { from: (await body.getAttribute('data-from'))!, to: (await body.getAttribute('data-to'))! };
  }

  async function expectKpisMatch(page: Page, s: any) {
    await expect.poll(() => page.getByTestId('kpi-cases').innerText()).toBe(String(s.totals.cases));
    expect(await page.getByTestId('kpi-responded').innerText()).toBe(String(s.responseTime.count));
    expect(await page.getByTestId('kpi-on-time-rate').innerText()).toBe(pct(s.onTime.rate));
    expect(await page.getByTestId('kpi-overdue').innerText()).toBe(String(s.overdue.length));
  }

  it('shows the API figures for the range, and fetches again when the range changes', async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await signInUi(page, sys.baseUrl, 'leader', DEMO_PASSWORD);
    // A leader starts on 我的待办; statistics are one click away.
    await page.goto(`${sys.baseUrl}/stats`);
    const range = await shownRange(page);
    const s = await apiStats(page, range.from, range.to);
    expect(s.totals.cases).toBe(6);
    expect(s.responseTime.count).toBe(3);
    await expectKpisMatch(page, s);
    // The panels: ranking and overdue list link to the cases.
    const ranking = page.getByTestId('dept-ranking');
    expect(await ranking.locator('[data-testid="dept-row"]').count()).toBe(s.departments.length);
    expect(await ranking.locator('[data-testid="dept-row"]').first().getAttribute('data-dept')).toBe(s.departments[0].name);
    const overdue = page.getByTestId('overdue-list');
    expect(await overdue.locator('[data-testid="overdue-row"]').count()).toBe(s.overdue.length);
    if (s.overdue.length > 0) expect(await overdue.locator('a').first().getAttribute('href')).toBe(`/cases/${s.overdue[0].caseId}`);
    await page.locator('.recharts-surface').first().waitFor();
    await screenshot(page, '40-stats');

    // 上周: a new request for the new range, and the figures follow it.
    const refetch = page.waitForResponse((r) => r.url().includes('/api/stats?') && !r.url().includes(`from=${range.from}`));
    await page.getByRole('button', { name: '上周' }).click();
    await page.waitForURL(/preset=lastWeek/);
    await refetch;
    const last = await shownRange(page);
    expect(last.from).not.toBe(range.from);
    await expectKpisMatch(page, await apiStats(page, last.from, last.to));

    // A custom range of one day (today) through the date inputs.
    await page.getByTestId('range-from').fill(range.to);
    await page.getByTestId('range-to').fill(range.to);
    await page.getByTestId('range-apply').click();
    await page.waitForURL(new RegExp(`from=${range.to}&to=${range.to}`));
    await expectKpisMatch(page, await apiStats(page, range.to, range.to));
    await ctx.close();
  }, 120_000);

  it('the wall display shows the same on-time rate, full screen, and Esc goes back', async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await signInUi(page, sys.baseUrl, 'leader', DEMO_PASSWORD);
    await page.goto(`${sys.baseUrl}/stats?preset=last30`);
    const range = await shownRange(page);
    const rate = await page.getByTestId('kpi-on-time-rate').innerText();
    await page.getByTestId('wall-mode').click();
    await page.waitForURL(/\/stats\/wall\?preset=last30/);
    await page.getByTestId('wall').waitFor();
    await expect.poll(() => page.getByTestId('kpi-on-time-rate').innerText()).toBe(rate);
    const s = await apiStats(page, range.from, range.to);
    expect(await page.getByTestId('kpi-cases').innerText()).toBe(String(s.totals.cases));
    expect(await page.locator('.topbar').count()).toBe(0); // no app frame
    expect(await page.getByTestId('wall-refreshed').innerText()).toMatch(/^更新于 \d\d:\d\d/);
    await page.locator('.recharts-surface').first().waitFor();
    await screenshot(page, '41-stats-wall');
    await page.keyboard.press('Escape');
    await page.waitForURL(/\/stats\?preset=last30$/);
    await ctx.close();

    const big = await newContext(browser, { width: 1920, height: 1080 });
    const p2 = await big.newPage();
    await signInUi(p2, sys.baseUrl, 'leader', DEMO_PASSWORD);
    await p2.goto(`${sys.baseUrl}/stats/wall`);
    await expect.poll(() => p2.getByTestId('kpi-on-time-rate').innerText()).toBe(rate);
    await p2.locator('.recharts-surface').first().waitFor();
    // Everything fits the screen: no scrolling on a wall.
    expect(await p2.evaluate(() => document.documentElement.scrollHeight <= window.innerHeight + 1)).toBe(true);
    await screenshot(p2, '42-stats-wall-1080');
    await big.close();
  }, 180_000);
});
