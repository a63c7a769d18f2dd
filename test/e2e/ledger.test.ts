import { sql } from 'kysely';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext, screenshot, signInUi } from './browser.js';
import { departmentId, registerCase, respond, signInTeam, type Team } from './ledger-seed.js';
import { DEMO_PASSWORD, startSystem, type RunningSystem } from './system.js';

// 回应台账 in a real browser: cases registered and answered through the API, then the ledger's
// columns, filters in the URL, sorting, department scoping, the on-time cell, saved views, and
// paging by keyset while scrolling a virtualized body.

describe('回应台账 (ledger)', () => {
  let sys: RunningSystem;
  let browser: Browser;
  let team: Team;
  const c: Record<'a' | 'b' | 'c' | 'd', { id: string; number: string }> = {} as never;

  beforeAll(async () => {
    sys = await startSystem('e2eledger');
    browser = await launchBrowser();
    team = await signInTeam(sys.baseUrl, DEMO_PASSWORD);
    const zj = await departmentId(team.duty, '住建局');
    const rs = await departmentId(team.duty, '人社局');
    const hb = await departmentId(team.duty, '生态环境局');
    const hour = 3_600_000;
    c.a = await registerCase(team.duty, { title: '城关台账甲 拆迁补偿款迟迟未发放', level: 'significant', category: 'difficulty', departmentId: zj, receivedAt: new Date(Date.now() - 2 * hour) });
    c.b = await registerCase(team.duty, { title: '河西台账乙 工地拖欠农民工工资', level: 'general', category: 'difficulty', departmentId: rs, receivedAt: new Date(Date.now() - 3 * hour) });
    c.c = await registerCase(team.duty, { title: '清河台账丙 学校食堂饭菜变质', level: 'major', category: 'emergency', departmentId: hb, receivedAt: new Date(Date.now() - hour) });
    c.d = await registerCase(team.duty, { title: '龙山台账丁 老旧小区加装电梯', level: 'general', category: 'suggestion', departmentId: zj, receivedAt: new Date(Date.now() - 4 * hour) });
    await respond(team, c.a.id);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await sys?.stop();
  });

  const rowsOf = (page: Page) => page.locator('[data-testid="ledger-row"]');
  const numbers = async (page: Page) => rowsOf(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-number')));
  const waitNumbers = async (page: Page, expected: string[]) => expect.poll(() => numbers(page), { timeout: 10_000 }).toEqual(expected);

  it('shows every registered case with the ledger columns, totals and the on-time cell', async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await signInUi(page, sys.baseUrl, 'duty', DEMO_PASSWORD);
    await page.goto(`${sys.baseUrl}/ledger?q=${encodeURIComponent('台账')}`);
    await waitNumbers(page, [c.d.number, c.c.number, c.b.number, c.a.number]);
    expect(await page.getByTestId('ledger-total').innerText()).toBe('共 4 件');
    // The published one is on time; the others have no verdict yet.
    const rowA = page.locator(`[data-testid="ledger-row"][data-case-id="${c.a.id}"]`);
    expect(await rowA.getByTestId('ontime-cell').innerText()).toBe('按时');
    expect(await page.locator(`[data-testid="ledger-row"][data-case-id="${c.b.id}"]`).getByTestId('ontime-cell').innerText()).toBe('—');
    expect(await rowA.innerText()).toContain('住建局');
    expect(await rowA.innerText()).toContain('较大');
    // Every ledger column is available through the column chooser.
    await page.getByTestId('column-chooser').click();
    await page.getByRole('button', { name: '显示全部列' }).click();
    await page.keyboard.press('Escape');
    const headers = await page.locator('.ledger-table thead th').allInnerTexts();
    for (const h of ['编号', '状态', '发现时间', '来源', '地域', '标题', '摘要', '级别', '类别', '责任单位', '转办时间', '回应时限', '回应时间', '回应方式', '是否按时', '跟踪反馈', '办结时间', '经办人', '审核人', '领导批示'])
      expect(headers.map((x) => x.replace(/[▲▼↕]/g, '').trim())).toContain(h);
    const rowText = await rowA.innerText();
    expect(rowText).toContain('网站'); // 回应方式
    expect(rowText).toContain('住建局经办人 李强'); // 经办人
    expect(rowText).toContain('办公室主任 陈刚'); // 审核人
    // The chosen columns are remembered.
    await page.reload();
    await rowsOf(page).first().waitFor();
    expect(await page.locator('.ledger-table thead th').count()).toBe(20);
    await page.getByTestId('column-chooser').click();
    await page.getByRole('button', { name: '恢复默认列' }).click();
    await page.keyboard.press('Escape');
    // Export links carry the same filters.
    const href = await page.getByTestId('export-csv').getAttribute('href');
    expect(href).toContain('/api/cases/export?format=csv');
    expect(href).toContain(`q=${encodeURIComponent('台账')}`);
    // A row opens its case.
    await page.locator(`[data-testid="ledger-row"][data-case-id="${c.b.id}"] td[data-col="title"]`).click();
    await page.waitForURL(new RegExp(`/cases/${c.b.id}$`));
    await ctx.close();
  }, 90_000);

  it('filters by level and text, keeps them in the URL, and sorts by clicking headers', async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await signInUi(page, sys.baseUrl, 'duty', DEMO_PASSWORD);
    await page.goto(`${sys.baseUrl}/ledger`);
    await rowsOf(page).first().waitFor();
    await page.getByTestId('filter-level').selectOption('general');
    await page.waitForURL(/level=general/);
    await page.getByTestId('filter-q').fill('台账');
    await page.waitForURL(/q=/);
    await waitNumbers(page, [c.d.number, c.b.number]);
    expect(await page.getByTestId('ledger-total').innerText()).toBe('共 2 件');
    await page.getByTestId('filter-q').fill('拖欠农民工');
    await waitNumbers(page, [c.b.number]);
    expect(decodeURIComponent(new URL(page.url()).search)).toContain('q=拖欠农民工');
    // The URL alone reproduces the view (bookmark).
    const url = page.url();
    await page.goto(`${sys.baseUrl}/desk`);
    await page.goto(url);
    await waitNumbers(page, [c.b.number]);
    expect(await page.getByTestId('filter-level').inputValue()).toBe('general');
    // Nothing matches: the empty state says how to widen the search.
    await page.getByTestId('filter-q').fill('没有这样的事件');
    await page.getByText('没有符合条件的事件').waitFor();
    await page.getByRole('button', { name: '清除筛选' }).first().click();
    await page.waitForURL((u) => u.search === '');
    // Sorting: level, most serious first, then the other way round.
    await page.goto(`${sys.baseUrl}/ledger?q=${encodeURIComponent('台账')}`);
    await rowsOf(page).first().waitFor();
    await page.locator('th[data-col="level"]').click();
    await page.waitForURL(/sort=level/);
    await expect.poll(() => numbers(page).then((n) => n[0])).toBe(c.c.number);
    await page.locator('th[data-col="level"]').click();
    await page.waitForURL(/dir=asc/);
    await expect.poll(() => numbers(page).then((n) => n[n.length - 1])).toBe(c.c.number);
    expect(await page.locator('th[data-col="level"]').getAttribute('aria-sort')).toBe('ascending');
    await ctx.close();
  }, 90_000);

  it('recalls a saved view (filters, sort and columns)', async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await signInUi(page, sys.baseUrl, 'reviewer', DEMO_PASSWORD);
    await page.goto(`${sys.baseUrl}/ledger?category=difficulty&q=${encodeURIComponent('台账')}&sort=clockStartedAt&dir=asc`);
    await waitNumbers(page, [c.b.number, c.a.number]);
    await page.getByTestId('save-view').click();
    await page.getByTestId('view-name').fill('困难类事件');
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await page.getByText('视图“困难类事件”已保存').waitFor();
    await page.goto(`${sys.baseUrl}/ledger`);
    await rowsOf(page).first().waitFor();
    await page.getByTestId('saved-views').selectOption('困难类事件');
    await page.waitForURL(/category=difficulty/);
    expect(new URL(page.url()).searchParams.get('sort')).toBe('clockStartedAt');
    await waitNumbers(page, [c.b.number, c.a.number]);
    // Still there after a reload (localStorage, per user).
    await page.reload();
    expect(await page.getByTestId('saved-views').inputValue()).toBe('困难类事件');
    await ctx.close();
  }, 90_000);

  it("a handler sees only their department's cases", async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await signInUi(page, sys.baseUrl, 'handler', DEMO_PASSWORD);
    await page.goto(`${sys.baseUrl}/ledger?q=${encodeURIComponent('台账')}`);
    await waitNumbers(page, [c.d.number, c.a.number]);
    const depts = await page.locator('[data-testid="ledger-row"] td[data-col="dept"]').allInnerTexts();
    expect(depts.every((d) => d.startsWith('住建局'))).toBe(true);
    // No department filter for a handler: the API scopes the list.
    expect(await page.getByTestId('filter-dept').count()).toBe(0);
    await screenshot(page, '30-ledger-handler');
    await ctx.close();
  }, 90_000);

  it('pages by keyset while scrolling 2,000 more cases', async () => {
    const dept = await departmentId(team.duty, '教育局');
    await sql`
      insert into cases (number, title, summary, level, category, origin, lead_department_id, clock_started_at, opened_at, assigned_at)
      select 'YQ-2026-B' || lpad(g::text, 5, '0'), '批量事件 ' || g, '批量导入的历史事件，用于翻页测试。',
             (array['general','significant','major'])[1 + g % 3], (array['suggestion','difficulty','other'])[1 + g % 3], 'hotline', ${dept},
             now() - (g || ' hours')::interval - interval '2 days', now() - (g || ' hours')::interval - interval '2 days',
             now() - (g || ' hours')::interval - interval '2 days'
      from generate_series(1, 2000) g`.execute(sys.db);
    await sql`insert into case_departments (case_id, department_id, role) select id, lead_department_id, 'lead' from cases where number like 'YQ-2026-B%'`.execute(sys.db);
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await signInUi(page, sys.baseUrl, 'duty', DEMO_PASSWORD);
    await page.goto(`${sys.baseUrl}/ledger`);
    await rowsOf(page).first().waitFor();
    await expect.poll(() => page.getByTestId('ledger-total').innerText()).toBe('共 2,004 件');
    await screenshot(page, '30-ledger');
    // Only a window of rows is in the DOM, however many are loaded.
    expect(await rowsOf(page).count()).toBeLessThan(60);
    const scroller = page.getByTestId('ledger-scroll');
    const maxIndex = () => rowsOf(page).evaluateAll((els) => Math.max(...els.map((e) => Number(e.getAttribute('data-index')))));
    // Scrolled on until rows past the first page show: the next page is asked for near the end of the
    // loaded rows and may take a while on a busy machine, so each look scrolls further (no fixed pauses).
    await expect
      .poll(
        async () => {
          await scroller.evaluate((el) => el.scrollBy(0, 1500));
          return maxIndex();
        },
        { timeout: 30_000, interval: 150 },
      )
      .toBeGreaterThan(150);
    expect(await rowsOf(page).count()).toBeLessThan(60);
    // The rows keep their order across page boundaries: newest first, no repeats.
    const seen = await rowsOf(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-number')));
    expect(new Set(seen).size).toBe(seen.length);
    await ctx.close();
  }, 150_000);

  it('marks a publication recorded afterwards (补录) in the ledger and on the case timeline', async () => {
    const zj = await departmentId(team.duty, '住建局');
    const hour = 3_600_000;
    const k = await registerCase(team.duty, { title: '补录验证 夜间施工噪音扰民', level: 'general', category: 'difficulty', departmentId: zj, receivedAt: new Date(Date.now() - 6 * hour) });
    const draft = await team.handler.call<{ id: string }>('POST', `/api/cases/${k.id}/responses`, { body: '已责成施工单位停止夜间施工。' });
    await team.handler.call('POST', `/api/cases/${k.id}/responses/${draft.id}/submit`, { secrecyConfirmed: true });
    await team.reviewer.call('POST', `/api/cases/${k.id}/responses/${draft.id}/approve`);
    // Approved three hours ago, announced at a press briefing two hours ago, recorded now.
    await sql`update responses set reviewed_at = now() - interval '3 hours' where id = ${draft.id}`.execute(sys.db);
    const publishedAt = new Date(Date.now() - 2 * hour).toISOString();
    await team.handler.call('POST', `/api/cases/${k.id}/responses/${draft.id}/publish`, { channel: 'press_conference', publishedAt });

    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await signInUi(page, sys.baseUrl, 'duty', DEMO_PASSWORD);
    await page.goto(`${sys.baseUrl}/ledger?q=${encodeURIComponent('补录验证')}`);
    await waitNumbers(page, [k.number]);
    const row = page.locator(`[data-testid="ledger-row"][data-case-id="${k.id}"]`);
    expect(await row.getByTestId('backfilled').innerText()).toBe('补录');
    await page.goto(`${sys.baseUrl}/cases/${k.id}`);
    const entry = page.locator('[data-testid="timeline-entry"][data-action="response.publish"]');
    await entry.waitFor();
    expect(await entry.innerText()).toContain('发布回应 · 补录');
    expect(await page.locator('[data-testid="response"][data-status="published"]').innerText()).toContain('补录');
    await ctx.close();
  }, 90_000);
});
