import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext, screenshot, signInUi } from './browser.js';
import { DEMO_PASSWORD, startSystem, type RunningSystem } from './system.js';

// The admin's source screens of issue 13 as the office's administrator uses them at 1366×768: a
// source from an RSSHub template (人民网领导留言板, 待回复) and its 试抓取; a JSON source whose header
// value the HTTP client could not send (the reason under 请求头, in Chinese), then its 试抓取 naming
// the mapping path that found nothing; and an API token shown once, whose 最近使用 reads 12月7日 10:42
// after a push. At 390 px the administration says it is for a desktop.

const BEIJING_TIME = /\d{1,2}月\d{1,2}日 \d{2}:\d{2}/;

describe('RSSHub, JSON and API token screens', () => {
  let sys: RunningSystem;
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    sys = await startSystem('e2esrcforms');
    browser = await launchBrowser();
    page = await (await newContext(browser, { width: 1366, height: 768 })).newPage();
    await signInUi(page, sys.baseUrl, 'admin', DEMO_PASSWORD);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await sys?.stop();
  });

  const noSidewaysScroll = async () => expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1366);

  it('the RSSHub instance address is readable in full, and a 留言板 template previews only 待回复 messages', async () => {
    await page.goto(`${sys.baseUrl}/admin/sources`);
    const base = page.getByTestId('rsshub-base');
    await base.waitFor({ timeout: 20_000 });
    await expect.poll(async () => base.inputValue(), { timeout: 20_000 }).toBe(`${sys.siteUrl}/rsshub`);
    expect(await base.evaluate((el: HTMLInputElement) => el.scrollWidth <= el.clientWidth)).toBe(true);
    await page.getByTestId('source-add').click();
    await page.getByTestId('source-mode-template').check({ force: true });
    await page.getByTestId('rsshub-template').selectOption('people-liuyan');
    expect(await page.getByTestId('source-form').innerText()).toContain('路由：/people/liuyan/:id/:state');
    await page.getByTestId('source-preview').click();
    // No parameters yet: the reason stands under the parameter's own input.
    await expect.poll(async () => page.getByTestId('source-form').locator('.field-invalid').first().innerText()).toContain('留言对象编号');
    await page.getByTestId('rsshub-param-id').fill('539');
    await page.getByTestId('rsshub-param-state').selectOption('2');
    await page.getByTestId('source-preview').click();
    const result = page.getByTestId('source-preview-result');
    await result.waitFor({ timeout: 30_000 });
    expect(await result.getAttribute('data-status')).toBe('ok');
    const titles = await page.getByTestId('preview-entry').locator('.preview-title').allInnerTexts();
    expect(titles.length).toBeGreaterThan(0);
    expect(titles.every((t) => t.startsWith('[待回复]'))).toBe(true);
    for (const d of await page.getByTestId('preview-date').allInnerTexts()) expect(d).toMatch(BEIJING_TIME);
    await noSidewaysScroll();
    await screenshot(page, '63-admin-rsshub-template');
    await page.getByRole('button', { name: '取消' }).click();
  }, 90_000);

  it('a JSON source: a header the client cannot send is refused under 请求头; 试抓取 names the path that found nothing', async () => {
    await page.getByTestId('source-add').click();
    await page.getByTestId('source-form').locator('label.seg-opt', { hasText: 'JSON' }).click();
    await page.getByTestId('source-url').fill(`${sys.siteUrl}/api/liuyan/list`);
    await page.getByTestId('json-body').fill('page={page}&size=10');
    await page.getByTestId('json-list').fill('data.list');
    await page.getByTestId('json-title').fill('subject');
    await page.getByTestId('json-linkTemplate').fill('https://liuyan.example.gov.cn/detail?tid={tid}');
    await page.getByTestId('json-date').fill('createTime');
    await page.getByTestId('json-author').fill('user.name');
    const headers = page.getByTestId('source-form').locator('textarea');
    await headers.fill('X-Office: 清河');
    await page.getByTestId('source-preview').click();
    const headerField = page.getByTestId('source-form').locator('label.field', { hasText: '请求头' });
    await expect.poll(async () => headerField.innerText()).toContain('中文请先进行网址编码');
    expect(await headerField.getAttribute('class')).toContain('field-invalid');
    await headers.fill('X-Requested-With: XMLHttpRequest');
    await page.getByTestId('source-preview').click();
    const result = page.getByTestId('source-preview-result');
    await expect.poll(async () => (await result.count()) > 0 ? result.getAttribute('data-status') : null, { timeout: 30_000 }).toBe('ok');
    expect(await page.getByTestId('preview-misses').innerText()).toContain('字段“作者”的路径“user.name”在 10 / 10 条中没有取到值');
    const dates = await page.getByTestId('preview-date').allInnerTexts();
    expect(dates[0]).toMatch(BEIJING_TIME);
    // Epoch milliseconds: read exactly, and no ISO text shown as what the endpoint wrote.
    expect(dates.join('\n')).not.toMatch(/T\d{2}:\d{2}|原文/);
    await noSidewaysScroll();
    await screenshot(page, '64-admin-json-source');
    await page.getByRole('button', { name: '取消' }).click();
  }, 90_000);

  it('an API token is shown once, listed by its prefix, and its last use reads in Beijing time after a push', async () => {
    await page.goto(`${sys.baseUrl}/admin/tokens`);
    const panel = page.getByTestId('api-tokens');
    await panel.waitFor();
    await panel.locator('input').first().fill('网络问政平台推送');
    await page.getByRole('button', { name: '创建令牌' }).click();
    const secretBox = page.getByTestId('api-token-secret');
    await secretBox.waitFor();
    const secret = (await secretBox.innerText()).match(/odk_[A-Za-z0-9_-]+/)![0];
    expect(await page.getByText('关闭后将无法再次查看').count()).toBe(1);
    await page.getByRole('button', { name: '我已保存' }).click();
    const row = page.getByTestId('api-token-row').filter({ hasText: '网络问政平台推送' });
    expect(await row.innerText()).toContain('从未');
    expect(await page.content()).not.toContain(secret);
    const res = await fetch(`${sys.baseUrl}/api/intake/items`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ items: [{ title: '城关镇东关村拆迁补偿迟迟不到位', url: 'https://wz.example.cn/t/1', text: '村民反映补偿款拖欠', sourceName: '网络问政平台' }] }),
    });
    expect(res.status).toBe(207);
    await page.reload();
    await expect.poll(async () => row.innerText(), { timeout: 15_000 }).not.toContain('从未');
    const cells = await row.locator('td').allInnerTexts();
    expect(cells.filter((c) => BEIJING_TIME.test(c)).length).toBeGreaterThanOrEqual(2);
    await noSidewaysScroll();
    await screenshot(page, '65-admin-api-tokens');
  }, 90_000);

  it('at 390 px the administration says it is for a desktop', async () => {
    const phone = await (await newContext(browser, { width: 390, height: 844 })).newPage();
    await signInUi(phone, sys.baseUrl, 'admin', DEMO_PASSWORD);
    await phone.goto(`${sys.baseUrl}/admin/tokens`);
    await phone.getByTestId('desktop-only').waitFor();
    expect(await phone.getByTestId('desktop-only').innerText()).toContain('系统管理仅支持电脑端');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await phone.close();
  }, 60_000);
});
