import { type APIRequestContext, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beijingDateTime } from '../../core/business-time.js';
import { launchBrowser, newContext, screenshot, signInUi } from './browser.js';
import { apiAs, okJson } from './api.js';
import { DEMO_PASSWORD, startSystem, type RunningSystem } from './system.js';

// 值班台 through a whole shift: the link in an alert push opens the desk on that alert (after
// sign-in too) and acknowledges the push; a dismissal can be undone for 10 s, and restored later
// from the 已排除 tab, which shows who dismissed it, when, and why; alerts arriving while the
// officer triages wait in a "N 条新预警" bar instead of moving the queue.

interface AlertJson {
  id: string;
  status: string;
  storyTitle: string;
  dismissedBy: string | null;
  dismissedAt: string | null;
  dismissNote: string | null;
}

/** As the screen shows a moment: Beijing time in the office's form (12月7日 15:50). */
const beijing = (iso: string) => beijingDateTime(new Date(iso), 'zh', new Date());

describe('值班台 through a shift', () => {
  let sys: RunningSystem;
  let browser: Browser;
  let duty: APIRequestContext;

  beforeAll(async () => {
    [sys, browser] = await Promise.all([startSystem('e2eshift'), launchBrowser()]);
    duty = await apiAs(sys.baseUrl, 'duty');
  }, 150_000);
  afterAll(async () => {
    await duty?.dispose();
    await browser?.close();
    await sys?.stop();
  });

  async function newAlerts(): Promise<AlertJson[]> {
    let alerts: AlertJson[] = [];
    await expect
      .poll(
        async () => {
          alerts = (await okJson<{ alerts: AlertJson[] }>(await duty.get('/api/alerts?status=new&limit=50'))).alerts;
          return alerts.length;
        },
        { timeout: 60_000, interval: 1000 },
      )
      .toBeGreaterThan(3);
    return alerts;
  }

  async function desk(): Promise<Page> {
    const page = await (await newContext(browser)).newPage();
    await signInUi(page, sys.baseUrl, 'duty', DEMO_PASSWORD);
    await page.goto(`${sys.baseUrl}/desk`);
    await page.locator('[data-testid=alert-row]').first().waitFor({ timeout: 30_000 });
    return page;
  }

  it('the link in a push opens the desk on that alert after sign-in, and opening it acknowledges the push', async () => {
    await newAlerts();
    // An alert with an unacknowledged push if the demo pushed one; any new alert otherwise.
    let pushed: string | undefined;
    await expect
      .poll(
        async () => {
          const row = await sys.db
            .selectFrom('alert_pushes as p')
            .innerJoin('alerts as a', 'a.id', 'p.alert_id')
            .select('p.alert_id')
            .where('p.acknowledged_at', 'is', null)
            .where('a.status', '=', 'new')
            .executeTakeFirst();
          pushed = row ? String(row.alert_id) : undefined;
          return pushed !== undefined;
        },
        { timeout: 20_000, interval: 1000 },
      )
      .toBe(true)
      .catch(() => undefined);
    const id = pushed ?? (await newAlerts())[0].id;

    const page = await (await newContext(browser)).newPage();
    await page.goto(`${sys.baseUrl}/desk?alert=${id}`);
    await page.getByLabel('用户名').fill('duty');
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    const ack = page.waitForResponse((r) => r.url().endsWith(`/api/alerts/${id}/acknowledge`) && r.request().method() === 'POST', { timeout: 30_000 });
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.locator(`[data-testid=alert-row][data-alert-id="${id}"][aria-selected=true]`).waitFor({ timeout: 30_000 });
    expect(new URL(page.url()).pathname).toBe('/desk');
    expect(new URL(page.url()).searchParams.get('alert')).toBe(id);
    await page.locator('[data-testid=alert-detail]').waitFor();
    expect((await ack).status()).toBe(200);
    if (pushed) {
      await expect
        .poll(async () => (await sys.db.selectFrom('alert_pushes').select(['acknowledged_at', 'acknowledged_via']).where('alert_id', '=', id).executeTakeFirstOrThrow()).acknowledged_via)
        .toBe('opened');
    }

    // An alert not on the loaded tab (dismissed): fetched, and its tab opened.
    const other = (await newAlerts()).find((a) => a.id !== id)!;
    await okJson(await duty.post(`/api/alerts/${other.id}/dismiss`, { data: { reason: 'duplicate' } }));
    await page.goto(`${sys.baseUrl}/desk?alert=${other.id}`);
    await page.locator(`[data-testid=alert-row][data-alert-id="${other.id}"][aria-selected=true][data-status=dismissed]`).waitFor({ timeout: 30_000 });
    expect(await page.getByRole('tab', { selected: true }).innerText()).toContain('已排除');
    await okJson(await duty.post(`/api/alerts/${other.id}/restore`));
    await page.context().close();
  }, 120_000);

  it('a dismissal with a note can be undone from the bar, and restored later from the 已排除 tab', async () => {
    const page = await desk();
    // The row is addressed by its id from here on: `.first()` would be looked up again at the click.
    const id = (await page.locator('[data-testid=alert-row][data-status=new]').first().getAttribute('data-alert-id'))!;
    await page.locator(`[data-testid=alert-row][data-alert-id="${id}"]`).getByRole('button', { name: '排除' }).click();
    const menu = page.locator('[data-testid=dismiss-menu]');
    await menu.waitFor();
    await page.locator('textarea[name=note]').fill('已在上周答复，重复转载');
    await menu.locator('[data-reason=duplicate]').click();
    const bar = page.getByTestId('undo-bar');
    await bar.waitFor();
    await page.locator(`[data-testid=alert-row][data-alert-id="${id}"]`).waitFor({ state: 'detached' });
    let alert = await okJson<AlertJson>(await duty.get(`/api/alerts/${id}`));
    expect(alert.status).toBe('dismissed');
    expect(alert.dismissNote).toBe('已在上周答复，重复转载');
    await screenshot(page, '12-desk-undo');
    await bar.getByRole('button', { name: '撤销' }).click();
    await page.locator(`[data-testid=alert-row][data-alert-id="${id}"][data-status=new]`).waitFor();
    alert = await okJson<AlertJson>(await duty.get(`/api/alerts/${id}`));
    expect(alert.status).toBe('new');

    // Dismissed again; on the 已排除 tab: who, when (Beijing time) and the note; then restored.
    await page.locator(`[data-testid=alert-row][data-alert-id="${id}"]`).getByRole('button', { name: '排除' }).click();
    await menu.waitFor();
    await page.locator('textarea[name=note]').fill('与本辖区无关');
    await menu.locator('[data-reason=irrelevant]').click();
    await page.locator(`[data-testid=alert-row][data-alert-id="${id}"]`).waitFor({ state: 'detached' });
    alert = await okJson<AlertJson>(await duty.get(`/api/alerts/${id}`));
    expect(alert.dismissedBy).toBeTruthy();
    await page.getByRole('tab', { name: '已排除' }).click();
    const row = page.locator(`[data-testid=alert-row][data-alert-id="${id}"]`);
    await row.waitFor();
    const info = await row.getByTestId('dismissed-by').innerText();
    expect(info).toContain(alert.dismissedBy!);
    expect(info).toContain(`排除于 ${beijing(alert.dismissedAt!)}`);
    expect(info).toContain('说明：与本辖区无关');
    await screenshot(page, '13-desk-dismissed-tab');
    await row.getByRole('button', { name: '恢复为待研判' }).click();
    await row.waitFor({ state: 'detached' });
    await page.locator('.toast', { hasText: '已恢复为待研判' }).last().waitFor();
    expect((await okJson<AlertJson>(await duty.get(`/api/alerts/${id}`))).status).toBe('new');
    await page.getByRole('tab', { name: /待研判/ }).click();
    await page.locator(`[data-testid=alert-row][data-alert-id="${id}"]`).waitFor();
    await page.context().close();
  }, 90_000);

  it('alerts arriving live gather in the "N 条新预警" bar; the queue and the selection stay put until it is clicked', async () => {
    const page = await desk();
    const rows = page.locator('[data-testid=alert-row]');
    await rows.nth(1).locator('.alert-title').click();
    const selected = page.locator('[data-testid=alert-row][aria-selected=true]');
    const id = (await selected.getAttribute('data-alert-id'))!;
    const order = () => rows.evaluateAll((els) => els.slice(0, 5).map((e) => e.getAttribute('data-alert-id')));
    const before = await order();
    // Where the selected row sits inside the list (a post may already have raised the bar by now).
    const inList = () =>
      page.evaluate(() => {
        const list = document.querySelector('.queue-scroll')!;
        const row = document.querySelector('[data-testid=alert-row][aria-selected=true]')!;
        return row.getBoundingClientRect().top - list.getBoundingClientRect().top + list.scrollTop;
      });
    const at = await inList();

    // The demo publisher and the crawler keep adding posts.
    const bar = page.getByTestId('fresh-bar');
    await bar.waitFor({ timeout: 90_000 });
    expect(await bar.innerText()).toMatch(/^\d+ 条新预警/);
    await screenshot(page, '14-desk-fresh-bar');
    expect(await order()).toEqual(before);
    expect(await selected.getAttribute('data-alert-id')).toBe(id);
    // The bar takes room right above the list; the list itself did not move within.
    const barBox = (await bar.boundingBox())!;
    const listTop = (await page.locator('.queue-scroll').boundingBox())!.y;
    expect(Math.abs(barBox.y + barBox.height - listTop)).toBeLessThan(2);
    expect(Math.abs((await inList()) - at)).toBeLessThan(2);

    const n = Number(/^(\d+)/.exec(await bar.innerText())![1]);
    await bar.click();
    await bar.waitFor({ state: 'detached' });
    await expect.poll(async () => (await order()).filter((x) => !before.includes(x)).length).toBeGreaterThanOrEqual(Math.min(n, 1));
    expect(await page.locator('[data-testid=alert-row][aria-selected=true]').getAttribute('data-alert-id')).toBe(id);
    await page.context().close();
  }, 150_000);

  it('bulk triage: checkboxes and the x key pick several alerts, dismissed together with one reason', async () => {
    const page = await desk();
    const rows = page.locator('[data-testid=alert-row][data-status=new]');
    const ids = (await rows.evaluateAll((els) => els.slice(0, 3).map((e) => e.getAttribute('data-alert-id')!))) as string[];
    expect(ids).toHaveLength(3);
    const row = (id: string) => page.locator(`[data-testid=alert-row][data-alert-id="${id}"]`);
    await row(ids[0]).getByTestId('alert-check').check();
    await row(ids[1]).getByTestId('alert-check').check();
    await row(ids[2]).locator('.alert-title').click();
    await page.keyboard.press('x');
    const bar = page.getByTestId('bulk-bar');
    await expect.poll(() => bar.innerText()).toContain('已选 3 条');
    expect(await row(ids[2]).getByTestId('alert-check').isChecked()).toBe(true);
    await screenshot(page, '15-desk-bulk');
    await bar.getByRole('button', { name: '批量排除' }).click();
    const menu = page.locator('[data-testid=dismiss-menu]');
    await menu.waitFor();
    await page.locator('textarea[name=note]').fill('同一谣言的转载');
    await menu.locator('[data-reason=duplicate]').click();
    for (const id of ids) await row(id).waitFor({ state: 'detached' });
    await bar.waitFor({ state: 'detached' });
    for (const id of ids) {
      const a = await okJson<AlertJson>(await duty.get(`/api/alerts/${id}`));
      expect(a.status).toBe('dismissed');
      expect(a.dismissNote).toBe('同一谣言的转载');
    }
    await page.context().close();
  }, 90_000);
});
