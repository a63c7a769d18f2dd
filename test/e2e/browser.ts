import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

// Debian's chromium driven by playwright-core (no browser download): the flags keep it from
// reaching out to the network it does not have.

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync', '--lang=zh-CN'];

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

/** A fresh context sized like the office PC the dashboard is built for. */
export async function newContext(browser: Browser, opts: { width?: number; height?: number } = {}): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: opts.width ?? 1366, height: opts.height ?? 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
}

/** Signs in through the login form and waits for the first screen. */
export async function signInUi(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.locator('.topbar').waitFor();
}

export const SCREENSHOT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'artifacts', 'screens');

/** Saves a full-page screenshot under test/artifacts/screens/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

/**
 * Pages signed in as a user at a viewport size: one signed-in context per user and size (signed in
 * through POST /api/auth/login, as the login form does), reused for each page asked for.
 */
export function signedInPages(browser: () => Browser, baseUrl: () => string, password: string) {
  const contexts = new Map<string, BrowserContext>();
  return {
    async pageAs(user: string, size: { width: number; height: number }): Promise<Page> {
      const key = `${user}-${size.width}x${size.height}`;
      let ctx = contexts.get(key);
      if (!ctx) {
        ctx = await newContext(browser(), size);
        const res = await ctx.request.post(`${baseUrl()}/api/auth/login`, { data: { username: user, password }, headers: { origin: baseUrl() } });
        if (res.status() !== 200) throw new Error(`sign-in of ${user} failed: ${res.status()} ${await res.text()}`);
        contexts.set(key, ctx);
      }
      return ctx.newPage();
    },
    async closeAll(): Promise<void> {
      for (const c of contexts.values()) await c.close().catch(() => {});
      contexts.clear();
    },
  };
}
