import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext, screenshot, signInUi } from './browser.js';
import { DEMO_PASSWORD, startSystem, type RunningSystem } from './system.js';

// 管理 (administration) in a real browser against the system as `npm start` runs it.

describe('管理 (administration screens)', () => {
  let sys: RunningSystem;
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    sys = await startSystem('e2eadmin');
    browser = await launchBrowser();
    const ctx = await newContext(browser);
    page = await ctx.newPage();
    await signInUi(page, sys.baseUrl, 'admin', DEMO_PASSWORD);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await sys?.stop();
  });

  it('lists the demo sources with their health, and the broken one with its error', async () => {
    await page.goto(`${sys.baseUrl}/admin`);
    await page.getByTestId('admin-nav').getByRole('link', { name: '监测源' }).waitFor();
    const rows = page.getByTestId('source-row');
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(9);
    await expect.poll(() => rows.filter({ hasText: '清河新闻网' }).first().getAttribute('data-status'), { timeout: 30_000 }).toMatch(/^(ok|not_modified)$/);
    const broken = rows.filter({ hasText: '清河晚报（格式错误）' });
    await expect.poll(() => broken.getAttribute('data-status'), { timeout: 30_000 }).toBe('parse_error');
    expect(await broken.getByTestId('source-status').innerText()).toBe('内容解析失败');
    expect((await broken.getByTestId('source-error').innerText()).length).toBeGreaterThan(4);
    await screenshot(page, '60-admin-sources');
  }, 60_000);

  it('test-fetches the demo news feed and lists its entries without saving', async () => {
    await page.getByTestId('source-row').filter({ hasText: '清河新闻网' }).first().getByRole('button', { name: '编辑' }).click();
    await page.getByTestId('source-form').waitFor();
    await page.getByTestId('source-preview').click();
    const result = page.getByTestId('source-preview-result');
    await result.waitFor({ timeout: 30_000 });
    expect(await result.getAttribute('data-status')).toBe('ok');
    expect(await page.getByTestId('preview-entry').count()).toBeGreaterThan(0);
    expect(await result.innerText()).toContain('抓取成功');
    await screenshot(page, '61-admin-source-preview');
    await page.getByRole('button', { name: '取消' }).click();
  }, 60_000);

  it('shows a rule syntax error at its position, and a dry run with the matched words', async () => {
    await page.goto(`${sys.baseUrl}/admin/rules`);
    await page.getByTestId('rule-add').click();
    const expr = page.getByTestId('rule-expression');
    await expr.fill('(永济|蒲州+');
    const status = page.getByTestId('rule-syntax');
    await expect.poll(() => status.getAttribute('data-state'), { timeout: 10_000 }).toBe('error');
    await page.getByTestId('rule-caret').waitFor();
    expect(await status.innerText()).toMatch(/第 \d+ 个字符处有误/);
    await expr.fill('(拆迁|补偿|欠薪|讨薪|污染|食堂)');
    await expect.poll(() => status.getAttribute('data-state'), { timeout: 10_000 }).toBe('ok');
    await expect
      .poll(
        async () => {
          await page.getByTestId('rule-dry-run-btn').click();
          await page.getByTestId('dry-run-summary').waitFor();
          return page.getByTestId('dry-run-match').count();
        },
        { timeout: 30_000, interval: 2000 },
      )
      .toBeGreaterThan(0);
    // Matched words are listed with each match, and marked where they occur in the title.
    expect(await page.getByTestId('dry-run-match').first().locator('.tag').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('dry-run-match').locator('mark').count()).toBeGreaterThan(0);
    await screenshot(page, '62-admin-rules');
    await page.getByRole('button', { name: '取消' }).click();
  }, 60_000);

  it('creates a department and a user in it', async () => {
    await page.goto(`${sys.baseUrl}/admin/org`);
    await page.getByTestId('dept-add').click();
    await page.getByTestId('dept-name').fill('文旅局');
    await page.getByTestId('dept-save').click();
    await page.getByTestId('dept-node').filter({ hasText: '文旅局' }).waitFor();
    await page.getByTestId('user-add').click();
    await page.getByTestId('user-username').fill('wenlv');
    await page.getByTestId('user-displayname').fill('文旅局经办人 孙悦');
    await page.getByTestId('user-role').selectOption('handler');
    await page.getByTestId('user-department').selectOption({ label: '文旅局' });
    await page.getByTestId('user-password').fill('short');
    await page.getByTestId('user-save').click();
    // The server's message appears at the password field.
    await page.getByTestId('user-form').locator('.field-invalid .field-error').waitFor();
    await page.getByTestId('user-password').fill('wenlv-pass-2026');
    await page.getByTestId('user-save').click();
    const row = page.getByTestId('user-row').filter({ hasText: '文旅局经办人 孙悦' });
    await row.waitFor();
    expect(await row.innerText()).toContain('文旅局');
    expect(await row.innerText()).toContain('责任单位经办人');
    await screenshot(page, '63-admin-users');
  }, 60_000);

  it('changes the general response window in the policy editor and saves it', async () => {
    await page.goto(`${sys.baseUrl}/admin/policy`);
    const editor = page.getByTestId('policy-editor');
    await editor.waitFor();
    await editor.getByTestId('policy-window-general-response-unit').selectOption('minutes');
    await editor.getByTestId('policy-window-general-response').fill('30');
    const saved = page.waitForResponse((r) => r.url().endsWith('/api/policies') && r.request().method() === 'PUT');
    await editor.getByRole('button', { name: '保存策略' }).click();
    const res = await saved;
    expect(res.status()).toBe(200);
    const body = (await res.json()) as { rules: { level: string; category: string | null; obligations: { kind: string; window: { hours: number; unit: string } }[] }[] };
    const general = body.rules.find((r) => r.level === 'general' && r.category === null)!;
    expect(general.obligations.find((o) => o.kind === 'response')!.window).toEqual({ hours: 0.5, unit: 'natural' });
    const again = (await (await page.request.get(`${sys.baseUrl}/api/policies`)).json()) as typeof body;
    expect(again.rules.find((r) => r.level === 'general' && r.category === null)!.obligations[0].window.hours).toBe(0.5);
    await screenshot(page, '64-admin-policy');
  }, 60_000);

  it('creates a webhook channel and shows the result of a test send plainly', async () => {
    await page.goto(`${sys.baseUrl}/admin/channels`);
    await page.getByText('还没有通知渠道').waitFor();
    await page.getByTestId('channel-add').click();
    await page.getByLabel('名称').fill('值班群机器人');
    await page.getByLabel('消息格式').selectOption('json');
    await page.getByLabel('Webhook 地址').fill(`${sys.siteUrl}/hooks/duty`);
    await page.getByTestId('channel-save').click();
    const card = page.getByTestId('channel-card').filter({ hasText: '值班群机器人' });
    await card.waitFor();
    await card.getByTestId('channel-test').click();
    const result = card.getByTestId('channel-test-result');
    await result.waitFor({ timeout: 30_000 });
    expect(await result.innerText()).toMatch(/测试消息已发送成功|发送失败：.+/);
    await screenshot(page, '65-admin-channels');
  }, 60_000);

  it('sets the admin’s mobile number, creates, edits and tests an SMS gateway channel; the fake gateway records the message', async () => {
    type Hook = { kind: string; method: string; url: string; headers: Record<string, string>; json: Record<string, string> | null };
    const smsLog = async () => ((await (await page.request.get(`${sys.siteUrl}/hooks/log`)).json()) as Hook[]).filter((m) => m.kind === 'sms');

    // 部门与用户: the admin gives themselves a mobile number (a malformed one is refused at the field).
    await page.goto(`${sys.baseUrl}/admin/org`);
    const me = page.getByTestId('user-row').filter({ has: page.locator('.code', { hasText: /^admin$/ }) });
    await me.getByRole('button', { name: '编辑' }).click();
    await page.getByTestId('user-phone-input').fill('1380013800');
    await page.getByTestId('user-save').click();
    const phoneError = page.getByTestId('user-form').locator('.field-invalid .field-error');
    await phoneError.waitFor();
    expect(await phoneError.innerText()).toContain('手机号');
    await page.getByTestId('user-phone-input').fill('13800138000');
    await page.getByTestId('user-save').click();
    await page.getByTestId('user-form').waitFor({ state: 'detached' });
    await expect.poll(() => me.getByTestId('user-phone').innerText()).toBe('13800138000');

    // 通知渠道: a new SMS gateway channel pointing at the fixture site's fake gateway.
    await page.goto(`${sys.baseUrl}/admin/channels`);
    await page.getByTestId('channel-add').click();
    await page.getByTestId('channel-kind').selectOption({ label: '短信网关' });
    await page.getByLabel('名称').fill('值班短信');
    const form = page.locator('#channel-form');
    // The placeholders are explained where the template is typed.
    expect(await form.innerText()).toContain('{phone} 替换为接收人手机号，{text} 替换为短信内容');
    await page.getByTestId('sms-url').fill(`${sys.siteUrl}/hooks/sms`);
    await page.getByTestId('sms-headers').fill('X-Api-Key: demo-key-1');
    await page.getByTestId('sms-body').fill('{"mobile":"{phone}","content":"{text}"}');
    await screenshot(page, '66-admin-channel-sms-form');
    await page.getByTestId('channel-save').click();
    const card = page.getByTestId('channel-card').filter({ hasText: '值班短信' });
    await card.waitFor();
    expect(await card.innerText()).toContain('短信网关');

    const before = (await smsLog()).length;
    await card.getByTestId('channel-test').click();
    const result = card.getByTestId('channel-test-result');
    await result.waitFor({ timeout: 30_000 });
    expect(await result.getAttribute('data-ok'), await result.innerText()).toBe('true');
    await expect.poll(async () => (await smsLog()).length, { timeout: 10_000 }).toBe(before + 1);
    const sent = (await smsLog()).at(-1)!;
    expect(sent.method).toBe('POST');
    expect(sent.headers['x-api-key']).toBe('demo-key-1');
    expect(sent.json).toMatchObject({ mobile: '13800138000', content: expect.stringContaining('测试消息') });
    await screenshot(page, '67-admin-channel-sms');

    // Edit: a GET gateway with the number and the text in the address; the test goes to the number typed.
    await card.getByRole('button', { name: '编辑' }).click();
    expect(await page.getByTestId('sms-headers').inputValue()).toBe('X-Api-Key: demo-key-1');
    await page.getByTestId('sms-method').selectOption('GET');
    await page.getByTestId('sms-url').fill(`${sys.siteUrl}/hooks/sms?to={phone}&msg={text}`);
    await page.getByTestId('channel-save').click();
    await page.locator('#channel-form').waitFor({ state: 'detached' });
    await card.getByTestId('channel-test-phone').fill('13900001111');
    await card.getByTestId('channel-test').click();
    await expect.poll(async () => (await smsLog()).length, { timeout: 30_000 }).toBe(before + 2);
    const got = (await smsLog()).at(-1)!;
    expect(got.method).toBe('GET');
    const q = new URL(got.url, sys.siteUrl).searchParams;
    expect(q.get('to')).toBe('13900001111');
    expect(q.get('msg')).toContain('测试消息');
  }, 90_000);

  it('is not offered to a duty officer, and /admin shows not-found', async () => {
    const ctx = await newContext(browser);
    const duty = await ctx.newPage();
    await signInUi(duty, sys.baseUrl, 'duty', DEMO_PASSWORD);
    expect(await duty.locator('.nav').getByText('管理').count()).toBe(0);
    await duty.goto(`${sys.baseUrl}/admin/sources`);
    await duty.getByText('页面不存在').waitFor();
    expect(await duty.getByTestId('admin-nav').count()).toBe(0);
    await ctx.close();
  }, 60_000);
});
