import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext, screenshot, signInUi } from './browser.js';
import { DEMO_PASSWORD, startSystem, type RunningSystem } from './system.js';

describe('登录 (sign-in screen)', () => {
  let sys: RunningSystem;
  let browser: Browser;
  beforeAll(async () => {
    sys = await startSystem('e2elogin');
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await sys?.stop();
  });

  it('signs a duty officer in to the duty desk, and out again', async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await signInUi(page, sys.baseUrl, 'duty', DEMO_PASSWORD);
    await page.waitForURL(/\/desk$/);
    expect(await page.locator('.nav-link.active').innerText()).toBe('值班台');
    const [signedOut] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/auth/logout')), page.getByRole('button', { name: '退出登录' }).click()]);
    expect(`${signedOut.status()} ${await signedOut.text()}`).toMatch(/^200 /);
    // exact: the header's 退出登录 button also has 登录 in its name, and matched at once.
    await page.getByRole('button', { name: '登录', exact: true }).waitFor();
    // The session is gone on the server too.
    const res = await page.request.get(sys.baseUrl + '/api/auth/me');
    expect(res.status()).toBe(401);
    await ctx.close();
  });

  it('switches the interface to English and keeps the choice', async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await page.goto(sys.baseUrl + '/');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.reload();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await ctx.close();
  });
  // Last: the failures also trip the per-address throttle for the other sign-ins of this file.
  it('shows the server message for a wrong password, and the same one once locked out', async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await page.goto(sys.baseUrl + '/');
    await expect(page.getByRole('heading', { name: '舆情回应台' })).toBeTruthy();
    await screenshot(page, '01-login');
    for (let i = 0; i < 5; i++) {
      await page.getByLabel('用户名').fill('reviewer');
      await page.getByLabel('密码').fill('wrong-password');
      await page.getByRole('button', { name: '登录', exact: true }).click();
      await page.locator('.form-error').waitFor();
    }
    const text = await page.locator('.form-error').innerText();
    expect(text).toContain('用户名或密码错误，或账号暂不可用，请稍后再试或联系管理员');
    // One more attempt with the right password is refused while the lock lasts, with the same
    // plain message (a locked account is not told apart from a wrong password).
    await page.getByLabel('用户名').fill('reviewer');
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/auth/login')),
      page.getByRole('button', { name: '登录', exact: true }).click(),
    ]);
    expect(refused.status()).toBe(401);
    await expect.poll(() => page.locator('.form-error').innerText()).toContain('用户名或密码错误，或账号暂不可用，请稍后再试或联系管理员');
    await ctx.close();
  });
});
