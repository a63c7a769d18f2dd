import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext, screenshot } from './browser.js';
import { DEMO_PASSWORD, startSystem, type RunningSystem } from './system.js';

// 事件详情 (case room) in a real browser: the response's review loop (draft → return with a
// comment → revise → approve → publish), the deadline met on time, the timeline, follow-up and
// closing; another department's handler gets "not found"; crawled markup renders as text.

const XSS_IMG = '<img src=x onerror=window.__xss=1>';
const XSS_SCRIPT = '<script>window.__xss=2</script>';

describe('事件详情 (case room)', () => {
  let sys: RunningSystem;
  let browser: Browser;
  let caseId = '';
  const contexts: BrowserContext[] = [];

  /** A browser session signed in through the API (the sign-in screen has its own test). */
  async function session(username: string): Promise<{ page: Page; csrf: string }> {
    const ctx = await newContext(browser);
    contexts.push(ctx);
    const page = await ctx.newPage();
    const res = await page.request.post(`${sys.baseUrl}/api/auth/login`, { data: { username, password: DEMO_PASSWORD } });
    expect(res.status(), await res.text()).toBe(200);
    const body = (await res.json()) as { csrfToken: string };
    return { page, csrf: body.csrfToken };
  }

  async function openCase(page: Page, id: string): Promise<void> {
    await page.goto(`${sys.baseUrl}/cases/${id}`);
    await page.getByTestId('case-room').waitFor();
  }

  beforeAll(async () => {
    sys = await startSystem('e2ecase');
    browser = await launchBrowser();
    // The duty officer registers a forwarded opinion by hand, for 住建局 (the demo handler's department).
    const { page, csrf } = await session('duty');
    const depts = (await (await page.request.get(`${sys.baseUrl}/api/departments`)).json()) as { departments: { id: number; name: string }[] };
    const lead = depts.departments.find((d) => d.name === '住建局')!;
    const res = await page.request.post(`${sys.baseUrl}/api/cases`, {
      headers: { 'x-csrf-token': csrf },
      data: {
        manual: {
          origin: 'hotline',
          originNote: '12345 热线转办',
          title: '网民反映幸福小区加装电梯停工半年',
          text: `幸福小区加装电梯工程停工半年，居民多次反映无果。${XSS_IMG}${XSS_SCRIPT}`,
          url: 'https://example.org/post/1',
          receivedAt: new Date(Date.now() - 3600_000).toISOString(),
        },
        summary: '居民反映小区加装电梯工程停工，要求说明原因和复工时间。',
        level: 'general',
        category: 'difficulty',
        leadDepartmentId: lead.id,
      },
    });
    expect(res.status(), await res.text()).toBe(201);
    caseId = ((await res.json()) as { id: string }).id;
    // A crawled item whose stored text and title carry markup, and a link that is not http(s).
    await sys.db
      .insertInto('case_items')
      .values({
        case_id: caseId,
        item_id: null,
        title: `转帖${XSS_IMG}`,
        text: `网友跟帖：${XSS_SCRIPT} 还有 ${XSS_IMG} 结束`,
        url: 'javascript:window.__xss=3',
        source_name: '清河论坛',
        published_at: new Date(Date.now() - 1800_000),
        captured_at: new Date(),
      })
      .execute();
  }, 120_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await sys?.stop();
  });

  it('runs the review loop to publication; the response deadline is met on time and the timeline lists each step', async () => {
    const handler = (await session('handler')).page;
    const reviewer = (await session('reviewer')).page;
    await openCase(handler, caseId);
    expect(await handler.locator('h1').innerText()).toContain('加装电梯');
    // The response obligation is running.
    const ob = handler.locator('[data-testid="obligation"][data-kind="response"]');
    await expect.poll(() => ob.getAttribute('data-outcome')).toBe('open');
    await screenshot(handler, '20-case-room');

    // Handler drafts and submits.
    await handler.getByLabel('回应内容').fill('经核实，工程因施工方资金问题停工，住建局已约谈施工单位。');
    await handler.getByLabel('已按保密审查制度审查，不涉及国家秘密、工作秘密和个人隐私').check();
    await handler.getByRole('button', { name: '提交审核' }).click();
    await handler.locator('[data-testid="response"][data-status="submitted"]').waitFor();
    // A handler is not offered the reviewer's steps.
    expect(await handler.getByRole('button', { name: '审核通过' }).count()).toBe(0);

    // Reviewer returns it with a comment.
    await openCase(reviewer, caseId);
    await reviewer.locator('[data-testid="response"][data-status="submitted"]').waitFor();
    expect(await reviewer.getByLabel('回应内容').count()).toBe(0); // a reviewer does not edit the text
    await reviewer.getByRole('button', { name: '退回修改' }).click();
    await reviewer.getByLabel('退回意见').fill('请补充复工时间和联系电话。');
    await reviewer.getByRole('button', { name: '确认退回' }).click();
    await reviewer.locator('[data-testid="response"][data-status="returned"]').waitFor();

    // The handler's open page updates live and shows the comment prominently.
    await handler.locator('[data-testid="response"][data-status="returned"]').waitFor({ timeout: 15_000 });
    await expect.poll(() => handler.getByTestId('review-comment').innerText()).toContain('请补充复工时间和联系电话。');
    await screenshot(handler, '21-case-response-returned');

    // Handler revises and resubmits.
    await handler.getByLabel('回应内容').fill('经核实，工程因施工方资金问题停工，住建局已约谈施工单位，预计12月10日复工。咨询电话：12345。');
    await handler.getByLabel('已按保密审查制度审查，不涉及国家秘密、工作秘密和个人隐私').check();
    await handler.getByRole('button', { name: '提交审核' }).click();
    await handler.locator('[data-testid="response"][data-status="submitted"]').waitFor();

    // Reviewer approves and publishes.
    await reviewer.locator('[data-testid="response"][data-status="submitted"]').waitFor({ timeout: 15_000 });
    await reviewer.getByRole('button', { name: '审核通过' }).click();
    await reviewer.locator('[data-testid="response"][data-status="approved"]').waitFor();
    await reviewer.getByRole('button', { name: '发布', exact: true }).click();
    const dialog = reviewer.getByRole('dialog', { name: '发布回应' });
    await dialog.getByLabel('发布渠道').selectOption({ label: '网站发布' });
    await dialog.getByLabel('发布链接').fill('https://www.example.gov.cn/zwgk/2026/1125.html');
    expect(await dialog.getByLabel('发布时间').inputValue()).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d$/);
    await dialog.getByRole('button', { name: '确认发布' }).click();
    await reviewer.locator('[data-testid="response"][data-status="published"]').waitFor();
    await expect.poll(() => reviewer.locator('[data-testid="response"][data-status="published"] a').getAttribute('href')).toBe(
      'https://www.example.gov.cn/zwgk/2026/1125.html',
    );

    // The response obligation is met, on time.
    const met = reviewer.locator('[data-testid="obligation"][data-kind="response"]');
    await expect.poll(() => met.getAttribute('data-outcome')).toBe('on_time');
    expect(await met.innerText()).toContain('已按时完成');

    // The timeline lists every step, in Chinese.
    const actions = await reviewer.getByTestId('timeline-entry').evaluateAll((els) => els.map((e) => e.getAttribute('data-action')));
    for (const a of ['case.create', 'obligation.create', 'response.draft', 'response.submit', 'response.return', 'response.edit', 'response.approve', 'response.publish', 'obligation.met'])
      expect(actions, a).toContain(a);
    const text = await reviewer.locator('.cr-timeline').innerText();
    for (const words of ['转为事件并交办', '起草回应', '提交审核', '退回修改', '请补充复工时间和联系电话。', '审核通过', '发布回应', '时限已履行']) expect(text).toContain(words);
    expect(text).not.toMatch(/response\.|obligation\.|case\./);

    // Follow-up: the handler records the public reaction; the heat chart is there.
    await handler.locator('[data-testid="response"][data-status="published"]').waitFor({ timeout: 15_000 });
    await handler.getByTestId('heat').waitFor();
    await handler.getByLabel('反馈类型').selectOption({ label: '舆论反应' });
    await handler.getByLabel('反馈内容').fill('回应发布后跟帖以理解为主，转发量明显下降。');
    await handler.getByRole('button', { name: '添加反馈' }).click();
    await handler.locator('[data-testid="feedback-entry"]').waitFor();
    await handler.getByTestId('follow-up').scrollIntoViewIfNeeded();
    await screenshot(handler, '22-case-followup');

    // The lead department's handler closes it with an effect rating and a conclusion.
    await handler.getByRole('button', { name: '办结', exact: true }).click();
    const close = handler.getByRole('dialog', { name: '办结事件' });
    await close.getByLabel('较好').check();
    await close.getByLabel('办结结论').fill('已回应并约定复工时间，舆情平稳。');
    await close.getByRole('button', { name: '确认办结' }).click();
    await handler.getByTestId('case-closed').waitFor();
    expect(await handler.getByTestId('case-closed').innerText()).toContain('较好');
    // A handler may not reopen; nothing to draft on a closed case.
    expect(await handler.getByRole('button', { name: '重新打开' }).count()).toBe(0);
    expect(await handler.getByLabel('回应内容').count()).toBe(0);
  }, 180_000);

  it('shows another department’s handler a plain not-found state and no case data', async () => {
    const { page } = await session('handler2');
    await page.goto(`${sys.baseUrl}/cases/${caseId}`);
    await page.getByTestId('case-not-found').waitFor();
    expect(await page.getByTestId('case-not-found').innerText()).toContain('事件不存在或无权查看');
    const body = await page.locator('body').innerText();
    expect(body).not.toContain('加装电梯');
    expect(await page.getByTestId('case-room').count()).toBe(0);
    // A missing case looks the same.
    await page.goto(`${sys.baseUrl}/cases/999999999`);
    await page.getByTestId('case-not-found').waitFor();
  }, 60_000);

  it('renders crawled markup as text: nothing executes, non-http links are not links', async () => {
    const { page } = await session('duty');
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await openCase(page, caseId);
    await page.getByRole('tab', { name: /信息/ }).click();
    await page.getByTestId('case-item').first().waitFor();
    // Expand the long snapshots so the whole text is on screen.
    for (const more of await page.getByRole('button', { name: '展开全文' }).all()) await more.click();
    const items = page.getByTestId('case-item');
    expect(await items.count()).toBe(2);
    const all = await items.allInnerTexts();
    const joined = all.join('\n');
    expect(joined).toContain(XSS_IMG);
    expect(joined).toContain(XSS_SCRIPT);
    expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
    expect(await page.locator('.cr-items img, .cr-items script').count()).toBe(0);
    // Only the http(s) link became an anchor, opening safely in a new tab.
    const anchors = page.locator('.cr-items a');
    expect(await anchors.count()).toBe(1);
    expect(await anchors.first().getAttribute('href')).toBe('https://example.org/post/1');
    expect(await anchors.first().getAttribute('rel')).toBe('noopener noreferrer');
    expect(await anchors.first().getAttribute('target')).toBe('_blank');
    expect(await page.locator('a[href^="javascript:"]').count()).toBe(0);
    expect(errors).toEqual([]);
  }, 60_000);
});
