import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext, screenshot, signInUi } from './browser.js';
import { ApiUser, departmentId } from './ledger-seed.js';
import { DEMO_PASSWORD, startSystem, type RunningSystem } from './system.js';

// 退回交办 and 改派 in the browser: the 住建局 handler, on a phone, declines a case that belongs to
// 人社局; the duty officer sees it on 待办 and in the case room, and reassigns it to 人社局, whose
// handler then has it on 待办.

describe('declining an assignment (browser)', () => {
  let sys: RunningSystem;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let caseId = '';

  beforeAll(async () => {
    sys = await startSystem('e2edecline');
    browser = await launchBrowser();
    const duty = await new ApiUser(sys.baseUrl, 'duty').signIn(DEMO_PASSWORD);
    const c = await duty.call<{ id: string }>('POST', '/api/cases', {
      manual: { origin: 'government_office', originNote: '转办单', receivedAt: new Date(Date.now() - 3_600_000).toISOString(), title: '工地拖欠农民工工资', text: '群众反映工地拖欠工资。' },
      level: 'general',
      category: 'difficulty',
      leadDepartmentId: await departmentId(duty, '住建局'),
    });
    caseId = c.id;
  }, 240_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await sys?.stop();
  });

  async function signedIn(username: string, size?: { width: number; height: number }): Promise<Page> {
    const ctx = await newContext(browser, size);
    contexts.push(ctx);
    const page = await ctx.newPage();
    await signInUi(page, sys.baseUrl, username, DEMO_PASSWORD);
    return page;
  }

  it('the handler declines on a phone; the duty officer reassigns; the new department has it on 待办', async () => {
    const handler = await signedIn('handler', { width: 390, height: 844 });
    await handler.goto(`${sys.baseUrl}/cases/${caseId}`);
    await handler.getByTestId('decline-open').click();
    await handler.getByTestId('decline-reason').fill('拖欠工资属人社局职责，建议交人社局');
    await handler.getByTestId('decline-confirm').click();
    await expect.poll(() => handler.getByTestId('decline-panel').innerText()).toContain('已退回，等待值班员改派');
    expect(await handler.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(handler, '84-decline-phone-handler');

    const duty = await signedIn('duty');
    await duty.goto(`${sys.baseUrl}/todos`);
    await duty.locator(`[data-testid="todo"][data-kind="case.declined"][data-case-id="${caseId}"] a`).click();
    await duty.getByTestId('decline-text').waitFor();
    expect(await duty.getByTestId('decline-text').innerText()).toContain('拖欠工资属人社局职责');
    const rs = await duty.locator('[data-testid="reassign-to"] option', { hasText: '人社局' }).getAttribute('value');
    await duty.getByTestId('reassign-to').selectOption(rs!);
    await duty.getByTestId('reassign').click();
    await duty.getByTestId('decline-panel').waitFor({ state: 'detached' });
    await screenshot(duty, '85-decline-reassigned');

    const handler2 = await signedIn('handler2');
    await handler2.goto(`${sys.baseUrl}/todos`);
    await handler2.locator(`[data-testid="todo"][data-kind="case.needs_draft"][data-case-id="${caseId}"]`).waitFor();
  }, 180_000);
});
