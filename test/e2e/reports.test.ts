import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { percentText } from '../../core/reports/figures.js';
import { weekOf } from '../../core/reports/period.js';
import { launchBrowser, newContext, screenshot, signInUi } from './browser.js';
import { DEMO_PASSWORD, startSystem, type RunningSystem } from './system.js';

// 通报 in a real browser: the reviewer generates last week's notice (the demo history gives it
// figures), checks the figures on screen against the stored ones, edits the good-practice text,
// downloads the .docx and issues it; afterwards it is read-only and the API refuses changes.
// A duty officer has no notices screen.

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

describe('通报 (notices)', () => {
  let sys: RunningSystem;
  let browser: Browser;

  beforeAll(async () => {
    [sys, browser] = await Promise.all([startSystem('e2ereports', { DEMO_HISTORY: '1' }), launchBrowser()]);
  }, 150_000);
  afterAll(async () => {
    await browser?.close();
    await sys?.stop();
  });

  async function apiGet(page: Page, path: string) {
    const res = await page.request.get(`${sys.baseUrl}${path}`);
    expect(res.status(), await res.text()).toBe(200);
    return res.json();
  }

  it('generates last week’s notice, previews its figures, edits, downloads and issues it', async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await signInUi(page, sys.baseUrl, 'reviewer', DEMO_PASSWORD);
    await page.locator('.topbar nav').getByRole('link', { name: '周通报' }).click();
    await page.getByRole('heading', { name: '舆情回应通报' }).waitFor();

    // Generate with the defaults: last ISO week (Asia/Shanghai). The scheduler may have made it already.
    const lastWeek = weekOf(new Date(weekOf(new Date()).from.getTime() - 1)).key;
    expect(await page.getByTestId('generate-week').inputValue()).toBe(lastWeek);
    await page.getByTestId('generate-submit').click();
    await page.locator('.toast').filter({ hasText: /^(已生成|该期通报已存在)$/ }).waitFor();

    const detail = page.getByTestId('report-detail');
    await detail.waitFor();
    const id = (await detail.getAttribute('data-report-id'))!;
    expect(await detail.getAttribute('data-status')).toBe('draft');
    const row = page.locator(`[data-testid=report-row][data-report-id="${id}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-period')).toBe(lastWeek);
    expect(await row.getByTestId('report-status').innerText()).toBe('草稿');
    expect(await detail.getByTestId('report-title').innerText()).toMatch(/^关于\d{4}年第\d+周政务舆情回应情况的通报$/);

    // The figures shown are the stored figures.
    const report = await apiGet(page, `/api/reports/${id}`);
    const o = report.figures.overview;
    expect(o.casesOpened).toBeGreaterThan(0);
    for (const key of ['itemsMonitored', 'alerts', 'casesOpened', 'responded', 'overdue'] as const) {
      expect(await page.getByTestId(`fig-${key}`).innerText(), key).toBe(String(o[key]));
    }
    expect(await page.getByTestId('fig-onTimeRate').innerText()).toBe(percentText(o.onTimeRate));
    expect(await page.getByTestId('report-department-row').count()).toBe(report.figures.departments.length);
    expect(await page.getByTestId('report-overdue-row').count()).toBe(report.figures.overdueCases.length);
    const firstDept = report.figures.departments[0];
    if (firstDept) expect(await page.getByTestId('report-department-row').first().innerText()).toContain(firstDept.name);

    // Edit the good-practice text and save: the API has it.
    const notable = '住建局对城关镇拆迁补偿问题当日回应，做法值得推广。\n人社局主动公开工资支付进展。';
    await page.getByTestId('report-notable').fill(notable);
    await page.getByTestId('report-save').click();
    await page.locator('.toast').filter({ hasText: '已保存' }).waitFor();
    await expect.poll(async () => (await apiGet(page, `/api/reports/${id}`)).notable).toBe(notable);

    // The download is the Word document.
    const href = (await page.getByTestId('report-download').getAttribute('href'))!;
    expect(href).toBe(`/api/reports/${id}/file`);
    const file = await page.request.get(`${sys.baseUrl}${href}`);
    expect(file.status()).toBe(200);
    expect(file.headers()['content-type']).toBe(DOCX);
    expect((await file.body()).subarray(0, 2).toString()).toBe('PK');
    await page.evaluate(() => window.scrollTo(0, 0));
    await expect.poll(() => page.locator('.toast').count(), { timeout: 10_000 }).toBe(0);
    await screenshot(page, '50-reports');

    // Issue it: asked first, then read-only, and the API refuses edits.
    await page.getByTestId('report-issue').click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.innerText()).toContain('印发后不可修改');
    await dialog.getByTestId('confirm-ok').click();
    await expect.poll(() => detail.getAttribute('data-status')).toBe('issued');
    await expect.poll(() => row.getByTestId('report-status').innerText()).toBe('已印发');
    await page.getByTestId('report-issued-note').waitFor();
    expect(await page.locator('[data-testid=report-detail] textarea').count()).toBe(0);
    expect(await page.getByTestId('report-issue').count()).toBe(0);
    expect(await page.getByTestId('report-notable-text').innerText()).toBe(notable);
    const { csrfToken } = await apiGet(page, '/api/auth/me');
    const patch = await page.request.patch(`${sys.baseUrl}/api/reports/${id}`, { data: { notable: '再改' }, headers: { 'x-csrf-token': csrfToken, origin: sys.baseUrl } });
    expect(patch.status()).toBe(409);
    expect((await apiGet(page, `/api/reports/${id}`)).status).toBe('issued');
    await ctx.close();
  }, 90_000);

  it('is not offered to the duty officer', async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await signInUi(page, sys.baseUrl, 'duty', DEMO_PASSWORD);
    expect(await page.locator('.topbar nav').getByRole('link', { name: '周通报' }).count()).toBe(0);
    await page.goto(`${sys.baseUrl}/reports`);
    await page.getByText('页面不存在').waitFor();
    expect(await page.getByTestId('reports-generate').count()).toBe(0);
    await ctx.close();
  }, 60_000);
});
