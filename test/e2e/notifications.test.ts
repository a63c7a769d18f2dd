import { type APIRequestContext, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext, screenshot, signInUi } from './browser.js';
import { DEMO_PASSWORD, startSystem, type RunningSystem } from './system.js';
import { apiAs, okJson } from './api.js';

// 通知 in a real browser. Notifications are made the real way: the duty officer registers a case
// led by 住建局 with 人社局 as co-department, and 住建局's handler sends a coordination note, which
// notifies 人社局's handler (handler2), who is watching the notifications screen (and was told of the
// case's assignment when it was opened).

describe('通知 (notifications)', () => {
  let sys: RunningSystem;
  let browser: Browser;
  let duty: APIRequestContext;
  let handler: APIRequestContext;
  let caseId: string;

  beforeAll(async () => {
    [sys, browser] = await Promise.all([startSystem('e2enotif'), launchBrowser()]);
    [duty, handler] = await Promise.all([apiAs(sys.baseUrl, 'duty'), apiAs(sys.baseUrl, 'handler')]);
    const { departments } = await okJson<{ departments: { id: number; name: string }[] }>(await duty.get('/api/departments'));
    const dept = (name: string) => departments.find((d) => d.name === name)!.id;
    const kase = await okJson<{ id: string }>(
      await duty.post('/api/cases', {
        data: {
          manual: { origin: 'hotline', originNote: '12345 热线', title: '龙山镇工地拖欠农民工工资并涉及拆迁安置', text: '来电反映……', receivedAt: new Date().toISOString() },
          level: 'general',
          category: 'difficulty',
          leadDepartmentId: dept('住建局'),
          coDepartmentIds: [dept('人社局')],
        },
      }),
    );
    caseId = kase.id;
  }, 150_000);
  afterAll(async () => {
    await duty?.dispose();
    await handler?.dispose();
    await browser?.close();
    await sys?.stop();
  });

  const coordinate = async (content: string) => okJson(await handler.post(`/api/cases/${caseId}/coordinations`, { data: { content } }));

  it('shows new notifications live, counts them in the header, and marks them read', async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await signInUi(page, sys.baseUrl, 'handler2', DEMO_PASSWORD);
    await page.goto(`${sys.baseUrl}/notifications`);
    await page.getByRole('heading', { name: '通知' }).waitFor();
    // The case's assignment (交办) already told 人社局 as co-department.
    const rows = page.locator('[data-testid=notification-row]');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(1);
    expect(await rows.first().innerText()).toContain('交办');
    await expect.poll(() => page.locator('[data-testid=unread-count]').innerText(), { timeout: 15_000 }).toBe('1');

    // Two coordination notes arrive while the screen is open.
    await coordinate('请人社局协助核实工资拖欠情况，今日 18 时前反馈。');
    await coordinate('补充：请一并提供该项目农民工工资专户流水。');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(3);
    await expect.poll(() => page.locator('[data-testid=unread-count]').innerText(), { timeout: 15_000 }).toBe('3');
    expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-read')))).toEqual(['false', 'false', 'false']);
    const first = rows.first();
    expect(await first.innerText()).toContain('补充：请一并提供');
    expect(await first.getByRole('link', { name: '查看事件' }).getAttribute('href')).toBe(`/cases/${caseId}`);
    await screenshot(page, '70-notifications');

    // Mark one read: it is no longer emphasised and the header count drops.
    await first.getByRole('button', { name: '标为已读' }).click();
    await expect.poll(() => first.getAttribute('data-read')).toBe('true');
    await expect.poll(() => page.locator('[data-testid=unread-count]').innerText()).toBe('2');

    // The unread filter shows the other two only, newest first.
    await page.getByRole('tab', { name: '未读' }).click();
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.first().innerText()).toContain('今日 18 时前反馈');

    // Mark all read: the count disappears from the header; the server agrees.
    await page.getByRole('button', { name: '全部标为已读' }).click();
    await page.getByText('没有未读通知').waitFor();
    await page.locator('[data-testid=unread-count]').waitFor({ state: 'detached' });
    const api = await apiAs(sys.baseUrl, 'handler2');
    const list = await okJson<{ unreadCount: number; items: { readAt: string | null }[] }>(await api.get('/api/notifications'));
    expect(list.unreadCount).toBe(0);
    expect(list.items.every((n) => n.readAt !== null)).toBe(true);
    await api.dispose();
    await ctx.close();
  }, 90_000);
});
