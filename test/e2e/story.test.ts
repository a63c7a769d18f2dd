import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext, screenshot, signInUi } from './browser.js';
import { DEMO_PASSWORD, startSystem, type RunningSystem } from './system.js';

// The whole product through the dashboard, as the office uses it: a demo post matching a rule
// appears live on the duty desk → the duty officer opens a case → the handler drafts a response →
// the reviewer returns it, then approves it → publication → the ledger shows it on time →
// statistics count it. Then: a short policy window set in the admin screen makes a case overdue —
// it turns red and the leader in charge is notified.

describe('the full story, in the browser', () => {
  let sys: RunningSystem;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let caseId = '';

  async function signedIn(username: string): Promise<Page> {
    const ctx = await newContext(browser);
    contexts.push(ctx);
    const page = await ctx.newPage();
    await signInUi(page, sys.baseUrl, username, DEMO_PASSWORD);
    return page;
  }

  beforeAll(async () => {
    // Escalations are swept every 2 s so the overdue step fires promptly; no quiet hours.
    sys = await startSystem('e2estory', { SWEEP_INTERVAL_MS: '2000', QUIET_HOURS: 'off' });
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await sys?.stop();
  });

  it('alert live on the desk → case → draft → returned → approved → published → on time in the ledger → counted in statistics', async () => {
    const duty = await signedIn('duty');
    await duty.waitForURL(/\/desk$/);
    // What is on the desk now; the demo publisher and the crawler keep adding posts.
    await duty.locator('[data-testid="alert-row"], .state-empty').first().waitFor({ timeout: 30_000 });
    const before = new Set(await duty.getByTestId('alert-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-alert-id'))));
    const fresh = duty.getByTestId('alert-row');
    await expect
      .poll(
        async () => {
          // Alerts that arrive while the officer triages wait in the "N 条新预警" bar until it is clicked.
          const bar = duty.getByTestId('fresh-bar');
          if (await bar.isVisible()) await bar.click().catch(() => {});
          return (await fresh.evaluateAll((els) => els.map((e) => e.getAttribute('data-alert-id')))).some((id) => !before.has(id));
        },
        { timeout: 90_000, interval: 1000 },
      )
      .toBe(true);
    const newId = (await fresh.evaluateAll((els) => els.map((e) => e.getAttribute('data-alert-id')))).find((id) => !before.has(id))!;
    const row = duty.locator(`[data-testid="alert-row"][data-alert-id="${newId}"]`);

    // Open a case from it; the lead department is the 住建局 (the handler's).
    await row.getByRole('button', { name: '转为事件并交办' }).click();
    const form = duty.getByTestId('open-case-form');
    await form.waitFor();
    await form.getByLabel('牵头部门').selectOption({ label: '住建局' });
    await form.getByLabel('级别').selectOption({ label: '一般' });
    await screenshot(duty, '11-desk-open-case-dialog');
    await duty.getByRole('button', { name: '确认交办' }).click();
    await expect.poll(async () => duty.getByTestId('open-case-row').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    const opened = await sys.db.selectFrom('cases').select(['id', 'number', 'title']).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
    caseId = opened.id;
    await duty.locator(`[data-testid="open-case-row"][data-case-id="${caseId}"]`).waitFor();
    const alertRow = await sys.db.selectFrom('alerts').select('status').where('id', '=', newId).executeTakeFirstOrThrow();
    expect(alertRow.status).toBe('case');

    // The handler drafts; the reviewer returns it with a comment, then approves the revision.
    const handler = await signedIn('handler');
    const reviewer = await signedIn('reviewer');
    await handler.goto(`${sys.baseUrl}/cases/${caseId}`);
    await handler.getByLabel('回应内容').fill('经核实，住建局已责成街道办核查补偿标准。');
    await handler.getByLabel('已按保密审查制度审查，不涉及国家秘密、工作秘密和个人隐私').check();
    await handler.getByRole('button', { name: '提交审核' }).click();
    await handler.locator('[data-testid="response"][data-status="submitted"]').waitFor();

    await reviewer.goto(`${sys.baseUrl}/cases/${caseId}`);
    await reviewer.locator('[data-testid="response"][data-status="submitted"]').waitFor();
    await reviewer.getByRole('button', { name: '退回修改' }).click();
    await reviewer.getByLabel('退回意见').fill('请写明核查结果的公布时间。');
    await reviewer.getByRole('button', { name: '确认退回' }).click();
    await handler.locator('[data-testid="response"][data-status="returned"]').waitFor({ timeout: 15_000 });
    await handler.getByLabel('回应内容').fill('经核实，住建局已责成街道办核查补偿标准，核查结果将于5个工作日内公布。');
    await handler.getByLabel('已按保密审查制度审查，不涉及国家秘密、工作秘密和个人隐私').check();
    await handler.getByRole('button', { name: '提交审核' }).click();
    await reviewer.locator('[data-testid="response"][data-status="submitted"]').waitFor({ timeout: 15_000 });
    await reviewer.getByRole('button', { name: '审核通过' }).click();
    await reviewer.locator('[data-testid="response"][data-status="approved"]').waitFor();
    await reviewer.getByRole('button', { name: '发布', exact: true }).click();
    const publish = reviewer.getByRole('dialog', { name: '发布回应' });
    await publish.getByLabel('发布渠道').selectOption({ label: '政务新媒体' });
    await publish.getByLabel('发布链接').fill('https://mp.example.gov.cn/s/qinghe-1125');
    await publish.getByRole('button', { name: '确认发布' }).click();
    await reviewer.locator('[data-testid="response"][data-status="published"]').waitFor();
    await expect.poll(() => reviewer.locator('[data-testid="obligation"][data-kind="response"]').getAttribute('data-outcome')).toBe('on_time');

    // The ledger shows it responded on time, with the channel.
    await reviewer.goto(`${sys.baseUrl}/ledger`);
    const ledgerRow = reviewer.locator(`[data-testid="ledger-row"][data-case-id="${caseId}"]`);
    await ledgerRow.waitFor({ timeout: 15_000 });
    expect(await ledgerRow.getByTestId('ontime-cell').innerText()).toBe('按时');
    expect(await ledgerRow.getAttribute('data-number')).toBe(opened.number);
    await screenshot(reviewer, '31-ledger-after-story');

    // Statistics count it: the figures on screen are the API's, and the API counts this case.
    const leader = await signedIn('leader');
    await leader.goto(`${sys.baseUrl}/stats`);
    const stats = (await (await leader.request.get(`${sys.baseUrl}/api/stats`)).json()) as { responseTime: { count: number } };
    expect(stats.responseTime.count).toBeGreaterThanOrEqual(1);
    await expect.poll(() => leader.getByTestId('kpi-responded').innerText(), { timeout: 15_000 }).toBe(String(stats.responseTime.count));
    await expect.poll(() => leader.getByTestId('kpi-on-time-rate').innerText()).toMatch(/100(\.0)?\s*%/);
  }, 300_000);

  it('a short policy window set in the admin screen: the case turns red (overdue) and the leader in charge is notified', async () => {
    const admin = await signedIn('admin');
    await admin.goto(`${sys.baseUrl}/admin/policy`);
    const editor = admin.getByTestId('policy-editor');
    await editor.waitFor();
    await editor.getByTestId('policy-window-general-response-unit').selectOption('minutes');
    await editor.getByTestId('policy-window-general-response').fill('1');
    const saved = admin.waitForResponse((r) => r.url().endsWith('/api/policies') && r.request().method() === 'PUT');
    await admin.getByRole('button', { name: '保存策略' }).click();
    expect((await saved).status()).toBe(200);

    // A forwarded opinion registered by hand at the desk: general level, clock starting now.
    const duty = await signedIn('duty');
    await duty.getByRole('button', { name: '登记转办舆情' }).click();
    const dialog = duty.getByRole('dialog', { name: '登记转办舆情' });
    await dialog.getByLabel('来源渠道').selectOption({ label: '政府办转办' });
    await dialog.getByLabel('来源说明').fill('政府办〔2026〕转办单 118 号');
    await dialog.getByLabel('事件标题').fill('群众反映城关镇路灯长期不亮');
    await dialog.getByLabel('内容', { exact: true }).fill('城关镇新华路路灯三个月不亮，夜间出行不便。');
    await dialog.getByLabel('级别').selectOption({ label: '一般' });
    await dialog.getByLabel('类别').selectOption({ label: '实际困难' });
    await dialog.getByLabel('牵头部门').selectOption({ label: '住建局' });
    await screenshot(duty, '13-desk-register');
    await dialog.getByRole('button', { name: '登记并交办' }).click();
    await dialog.waitFor({ state: 'detached', timeout: 15_000 });
    const overdueId = (await sys.db.selectFrom('cases').select('id').where('title', '=', '群众反映城关镇路灯长期不亮').executeTakeFirstOrThrow()).id;

    // Within the minute it is counting down; after it, the desk shows it overdue (red).
    const countdown = duty.locator(`[data-testid="open-case-row"][data-case-id="${overdueId}"] [data-tone]`);
    await countdown.waitFor({ timeout: 15_000 });
    expect(['green', 'amber', 'red']).toContain(await countdown.getAttribute('data-tone'));
    await expect.poll(() => countdown.getAttribute('data-tone'), { timeout: 90_000, interval: 1000 }).toBe('overdue');
    await screenshot(duty, '12-desk-overdue');

    // The sweep records the breach and notifies the leader in charge: the header count goes up live.
    const leader = await signedIn('leader');
    await expect.poll(async () => (await leader.getByTestId('unread-count').count()) > 0, { timeout: 60_000, interval: 1000 }).toBe(true);
    await leader.goto(`${sys.baseUrl}/notifications`);
    const note = leader.getByTestId('notification-row').filter({ has: leader.locator(`a[href$="/cases/${overdueId}"]`) });
    await note.first().waitFor({ timeout: 15_000 });
    expect(await note.first().getAttribute('data-read')).toBe('false');
    await leader.goto(`${sys.baseUrl}/cases/${overdueId}`);
    const ob = leader.locator('[data-testid="obligation"][data-kind="response"]');
    await expect.poll(() => ob.getAttribute('data-outcome')).toBe('breached');
    expect(await ob.locator('[data-tone]').getAttribute('data-tone')).toBe('overdue');
  }, 300_000);
});
