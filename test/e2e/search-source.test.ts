import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext, screenshot, signInUi } from './browser.js';
import { DEMO_PASSWORD, startSystem, type RunningSystem } from './system.js';

// The 新闻搜索 source in the admin form: kind, template, queries by hand or from a rule, 试抓取
// listing the queries and the first query's results, the pages read per query. The administration is a desktop screen (on a
// phone it says so: test/e2e/phone.test.ts), so this runs at 1366×768 and at a narrow 1024×768.

describe('新闻搜索 source form', () => {
  let sys: RunningSystem;
  let browser: Browser;
  beforeAll(async () => {
    sys = await startSystem('e2esearch');
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await sys?.stop();
  });

  for (const [width, height] of [
    [1366, 768],
    [1024, 768],
  ] as const) {
    it(`at ${width}×${height}: the demo search source's queries, a rule picked instead, 试抓取 with the queries`, async () => {
      const page = await (await newContext(browser, { width, height })).newPage();
      await signInUi(page, sys.baseUrl, 'admin', DEMO_PASSWORD);
      await page.goto(`${sys.baseUrl}/admin`);
      const row = page.locator('[data-testid="source-row"]:visible', { hasText: '清河新闻搜索' }).first();
      await row.waitFor({ timeout: 20_000 });
      expect(await row.innerText()).toContain('新闻搜索');
      await row.getByRole('button', { name: '编辑' }).click();
      const form = page.getByTestId('source-form');
      await form.waitFor();
      expect(await form.innerText()).toContain('搜索地址模板');
      expect(await page.getByTestId('search-queries').inputValue()).toContain('清河 拆迁');
      await page.getByTestId('source-preview').click();
      const result = page.getByTestId('source-preview-result');
      await result.waitFor({ timeout: 30_000 });
      expect(await page.getByTestId('preview-queries').innerText()).toContain('城关镇 停水');
      expect(await result.innerText()).toContain('第一个查询词“清河 拆迁”');
      expect(await page.getByTestId('preview-entry').count()).toBeGreaterThan(0);
      // Paging: two result pages per query; 试抓取 says so (清河 拆迁 has one page: page 2 is empty).
      await page.getByTestId('search-pages').fill('2');
      await page.getByTestId('source-preview').click();
      await page.getByText('每个查询词最多读 2 页').waitFor({ timeout: 30_000 });
      expect(await result.innerText()).toContain('（读了 1 页，共 2 条）');
      await screenshot(page, `62-admin-search-source-pages-${width}`);
      await page.getByTestId('search-fields').getByText('由监测规则生成').click();
      await page.getByTestId('search-rule').selectOption({ index: 1 });
      await page.getByTestId('search-fields').getByText('网页列表（按选择器读取）').click();
      await page.getByTestId('selector-item').waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      await screenshot(page, `62-admin-search-source-${width}`);
      await page.getByRole('button', { name: '取消' }).click();
      await page.close();
    }, 90_000);
  }
});
