import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUSINESS_OFFSET_MS } from '../../core/business-time.js';
import { createUser, type TestUser } from '../helpers/auth.js';
import { launchBrowser, newContext, screenshot, signInUi } from './browser.js';
import { ApiUser } from './ledger-seed.js';
import { DEMO_PASSWORD, startSystem, type RunningSystem } from './system.js';

// 交接班 in the browser: the duty officer of a shift that ends soon sees the record pre-filled
// (the alert still untriaged, the case opened in the shift), writes a note and submits it on a
// desktop; the next shift's officer, on a phone, sees "accept the handover" arrive on 我的待办
// without reloading, accepts it; the outgoing officer is told; the record prints without the frame.

const MINUTE = 60_000;
/**
 * A live change shows within 2 s; on a loaded test machine (the suite runs beside this browser) a
 * single one may take longer. One measurement here, so it is held to the cap a single hand-off has in
 * handoff.test.ts (whose median of ten keeps the 2 s): far below 我的待办's 2-minute refresh, so it
 * still proves the record came live.
 */
const LIVE_CAP_MS = 6_000;

/** Beijing wall-clock minute of the day, and the Beijing day, of an instant. */
function beijing(t: Date): { day: string; minute: number } {
  const local = new Date(t.getTime() + BUSINESS_OFFSET_MS);
  return { day: local.toISOString().slice(0, 10), minute: local.getUTCHours() * 60 + local.getUTCMinutes() };
}
const hhmm = (min: number) => `${String(Math.floor(min / 60) % 24).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`;

describe('shift handover (browser)', () => {
  let sys: RunningSystem;
  let browser: Browser;
  let duty2: TestUser;
  let admin: ApiUser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    sys = await startSystem('e2ehandover');
    browser = await launchBrowser();
    duty2 = await createUser(sys.db, { role: 'duty', username: 'duty-night', displayName: '值班员 张伟' });
    admin = await new ApiUser(sys.baseUrl, 'admin').signIn(DEMO_PASSWORD);
    const users = (await admin.call<{ users: { id: number; username: string }[] }>('GET', '/api/users')).users;
    const id = (u: string) => users.find((x) => x.username === u)!.id;
    // A shift that began two hours ago and ends in 20 minutes (the last hour: "write the handover"), then the next one.
    const now = new Date();
    const start = beijing(new Date(now.getTime() - 120 * MINUTE));
    const end = beijing(new Date(now.getTime() + 20 * MINUTE));
    const nextEnd = beijing(new Date(now.getTime() + 8 * 60 * MINUTE));
    const a = await admin.call<{ id: number }>('POST', '/api/roster/shifts', { name: '测试白班', start: hhmm(start.minute), end: hhmm(end.minute) });
    const b = await admin.call<{ id: number }>('POST', '/api/roster/shifts', { name: '测试夜班', start: hhmm(end.minute), end: hhmm(nextEnd.minute) });
    await admin.call('POST', '/api/roster/swap', { day: start.day, shiftId: a.id, primaryUserId: id('duty'), leaderUserId: id('leader') });
    await admin.call('POST', '/api/roster/swap', { day: end.day, shiftId: b.id, primaryUserId: duty2.id, leaderUserId: id('leader') });
    // A case opened in the shift, through the API.
    const duty = await new ApiUser(sys.baseUrl, 'duty').signIn(DEMO_PASSWORD);
    const { departments } = await duty.call<{ departments: { id: number; name: string }[] }>('GET', '/api/departments');
    await duty.call('POST', '/api/cases', {
      manual: { origin: 'government_office', originNote: '转办单', receivedAt: new Date(now.getTime() - 30 * MINUTE).toISOString(), title: '城南菜市场占道经营', text: '群众反映占道经营。' },
      level: 'general',
      category: 'difficulty',
      leadDepartmentId: departments.find((d) => d.name === '住建局')!.id,
    });
  }, 240_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await sys?.stop();
  });

  async function signedIn(username: string, password: string, size?: { width: number; height: number }): Promise<Page> {
    const ctx = await newContext(browser, size);
    contexts.push(ctx);
    const page = await ctx.newPage();
    await signInUi(page, sys.baseUrl, username, password);
    return page;
  }

  it('the outgoing officer submits a pre-filled record; the incoming one, on a phone, hears of it at once and accepts', async () => {
    const out = await signedIn('duty', DEMO_PASSWORD);
    const inc = await signedIn(duty2.username, duty2.password, { width: 390, height: 844 });

    // The outgoing officer's to-do list asks for the handover.
    await out.goto(`${sys.baseUrl}/todos`);
    await out.locator('[data-testid="todo"][data-kind="handover.write"]').waitFor();
    await out.locator('[data-testid="todo"][data-kind="handover.write"] a').click();
    await out.waitForURL(/\/handover$/);
    const current = out.getByTestId('handover-current');
    await current.getByText('本班：测试白班').waitFor();
    await expect.poll(() => current.getByTestId('ho-opened').innerText()).toContain('城南菜市场占道经营');
    expect(await current.innerText()).toContain('值班员 张伟');
    await screenshot(out, '80-handover-desktop-draft');

    // The incoming officer waits on 我的待办 (phone); the record arrives without reload.
    await inc.goto(`${sys.baseUrl}/todos`);
    await inc.getByTestId('todos-page').waitFor();
    await out.getByTestId('handover-notes').fill('城南菜市场占道经营请跟进住建局答复。');
    await out.getByTestId('handover-submit').click();
    await out.getByTestId('handover-submitted').waitFor();
    const started = Date.now();
    await inc.locator('[data-testid="todo"][data-kind="handover.accept"]').waitFor({ timeout: LIVE_CAP_MS });
    console.log(`handover to-do arrived live in ${Date.now() - started} ms`);
    await screenshot(inc, '81-handover-phone-todo');

    // Accept on the phone: the lists and the note are there; nothing scrolls sideways.
    await inc.locator('[data-testid="todo"][data-kind="handover.accept"] a').click();
    const card = inc.getByTestId('handover-accept-card');
    await card.waitFor();
    expect(await card.innerText()).toContain('城南菜市场占道经营请跟进住建局答复。');
    expect(await inc.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(inc, '82-handover-phone-accept');
    await inc.getByTestId('handover-accept-note').fill('已阅');
    await inc.getByTestId('handover-accept').click();
    await inc.locator('[data-testid="handover-row"][data-state="accepted"]').waitFor();
    const tapHeight = await inc.locator('.ho-view').first().evaluate((e) => e.getBoundingClientRect().height);
    expect(tapHeight).toBeGreaterThanOrEqual(40);

    // The outgoing officer is told (the notifications screen, no reload of the page needed).
    await out.goto(`${sys.baseUrl}/notifications`);
    await out.getByText('值班员 张伟已接班').first().waitFor();

    // The record prints: the frame and buttons stay off the paper.
    await out.goto(`${sys.baseUrl}/handover`);
    await out.locator('[data-testid="handover-row"][data-state="accepted"] .ho-view').click();
    await out.getByTestId('handover-print').waitFor();
    const text = await out.getByTestId('handover-print').innerText();
    expect(text).toContain('值班交接班记录');
    expect(text).toContain('已阅');
    expect(text).not.toMatch(/T\d\d:\d\d/);
    await out.emulateMedia({ media: 'print' });
    expect(await out.locator('.topbar').isVisible()).toBe(false);
    await screenshot(out, '83-handover-print');
    await out.emulateMedia({ media: 'screen' });
  }, 180_000);
});
