import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext, screenshot, signInUi } from './browser.js';
import { ApiUser, departmentId, registerCase, signInTeam, type Team } from './ledger-seed.js';
import { DEMO_PASSWORD, startSystem, type RunningSystem } from './system.js';

// 地域 in a real browser, on the demo's 清河市 (its 乡镇/街道 and 村/社区 are the office's own names,
// codes x-城关镇, x-城关镇-x-东关村 …): an alert on the desk shows the places its post names; the
// statistics by 乡镇 show the API's figures for the seeded cases and alerts; the ledger's and the
// search's 乡镇 filters narrow the rows; a handler sets the 地域 of a hand-registered case in the
// case room on a phone. At 1366×768 and 390×844. The demo publishes nothing new during the test
// (its initial posts only), so the figures hold still.

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 768 };
const BEIGUAN = 'x-北关街道';
const YANGLIU = 'x-北关街道-x-杨柳社区';
const HEXI = 'x-河西街道';
const MARK = `P${Date.now().toString(36).toUpperCase()}`;

describe('地域 on the desk, the statistics, the ledger and search, and the case room', () => {
  let sys: RunningSystem;
  let browser: Browser;
  let team: Team;
  let admin: ApiUser;
  let alertId = '';
  let byHand = '';
  const cases: string[] = [];
  let token = '';

  /** A post through the intake API (stored like a crawled one: places, stories, rules, alerts). */
  async function submit(externalId: string, title: string, text: string): Promise<void> {
    const res = await fetch(`${sys.baseUrl}/api/intake/items`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ items: [{ externalId, title, text, publishedAt: new Date().toISOString(), sourceName: '清河论坛', mediaType: 'forum' }] }),
    });
    expect(res.status).toBe(207);
  }

  beforeAll(async () => {
    sys = await startSystem('e2eplaces', { DEMO_PUBLISH_INTERVAL_MS: '3600000' });
    browser = await launchBrowser();
    team = await signInTeam(sys.baseUrl, DEMO_PASSWORD);
    admin = await new ApiUser(sys.baseUrl, 'admin').signIn(DEMO_PASSWORD);
    // A post naming 北关街道杨柳社区 through the intake API: the 网传谣言 rule raises an alert.
    token = (await admin.call<{ token: string }>('POST', '/api/api-tokens', { name: '地域测试' })).token;
    await submit(`places-${MARK}`, `网传北关街道杨柳社区明天全天停水 ${MARK}`, `杨柳社区的居民群里都在传明天全天停水，物业说没接到通知。${MARK}`);
    for (let i = 0; i < 60 && !alertId; i++) {
      const { alerts } = await team.duty.call<{ alerts: { id: string; storyTitle: string }[] }>('GET', '/api/alerts?limit=200');
      alertId = alerts.find((a) => a.storyTitle.includes(MARK))?.id ?? '';
      if (!alertId) await new Promise((r) => setTimeout(r, 500));
    }
    expect(alertId).not.toBe('');
    // Hand-registered cases: two set to 北关街道 (one down to 杨柳社区), one to 河西街道, one left without.
    const zj = await departmentId(team.duty, '住建局');
    for (const [title, town, village] of [
      [`北关街道杨柳社区路灯坏了一个月 ${MARK}`, BEIGUAN, YANGLIU],
      [`北关街道菜市场占道经营 ${MARK}`, BEIGUAN, null],
      [`河西街道小区电梯停运 ${MARK}`, HEXI, null],
    ] as const) {
      const c = await registerCase(team.duty, { title, level: 'general', category: 'difficulty', departmentId: zj });
      await team.duty.call('PUT', `/api/cases/${c.id}/places`, { town, village });
      cases.push(c.id);
    }
    byHand = (await registerCase(team.duty, { title: `群众来电反映路面塌陷 ${MARK}`, level: 'general', category: 'difficulty', departmentId: zj })).id;
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await sys?.stop();
  });

  async function pageAs(username: string, size: { width: number; height: number }): Promise<Page> {
    const ctx = await newContext(browser, size);
    const page = await ctx.newPage();
    await signInUi(page, sys.baseUrl, username, DEMO_PASSWORD);
    return page;
  }

  const noSidewaysScroll = async (page: Page) => expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

  for (const [label, size] of [
    ['1366', DESKTOP],
    ['390', PHONE],
  ] as const) {
    it(`shows the alert's 地域 on the desk at ${label}`, async () => {
      const page = await pageAs('duty', size);
      await page.goto(`${sys.baseUrl}/desk?alert=${alertId}`);
      const row = page.locator(`[data-testid=alert-row][data-alert-id="${alertId}"]`);
      await row.waitFor({ timeout: 20_000 });
      await row.scrollIntoViewIfNeeded();
      await expect.poll(() => row.getByTestId('alert-places').innerText(), { timeout: 15_000 }).toBe('地域：北关街道杨柳社区');
      if (size === PHONE) await noSidewaysScroll(page);
      await screenshot(page, `places-desk-${label}`);
      await page.context().close();
    }, 90_000);

    it(`shows alerts and cases by 乡镇 on the statistics screen as the API counts them, at ${label}`, async () => {
      const page = await pageAs('leader', size);
      await page.goto(`${sys.baseUrl}/stats`);
      const body = page.getByTestId('stats-body');
      await body.waitFor();
      const from = (await body.getAttribute('data-from'))!;
      const to = (await body.getAttribute('data-to'))!;
      type Towns = { towns: { name: string; alerts: number; cases: number }[] };
      const panel = page.getByTestId('stats-by-town');
      const table = panel.getByTestId('by-town-table');
      const readTable = async () => {
        await panel.scrollIntoViewIfNeeded();
        await table.waitFor();
        return table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.textContent?.trim() ?? '')));
      };
      // The screen and the API are two reads: should a late crawl of the demo's initial posts add an
      // alert between them, both are read again (the screen reloaded) until one pair agrees.
      let api: Towns = { towns: [] };
      let rows: string[][] = [];
      const sameRows = (): boolean => {
        const want = api.towns.filter((t) => t.alerts + t.cases > 0).map((t) => [t.name, String(t.alerts), String(t.cases)].join('|'));
        const got = rows.map((r) => r.join('|'));
        return got.length === want.length && want.every((w) => got.includes(w));
      };
      for (let attempt = 0; ; attempt++) {
        if (attempt > 0) {
          await page.reload();
          await body.waitFor();
        }
        rows = await readTable();
        api = await team.leader.call<Towns>('GET', `/api/stats/places?from=${from}&to=${to}`);
        if (sameRows() || attempt === 4) break;
      }
      const byName = Object.fromEntries(api.towns.map((t) => [t.name, t]));
      // The seeded figures: 北关街道 two cases and at least the one alert, 河西街道 one case.
      expect(byName['北关街道']).toMatchObject({ cases: 2 });
      expect(byName['北关街道'].alerts).toBeGreaterThanOrEqual(1);
      expect(byName['河西街道']).toMatchObject({ cases: 1 });
      const expected = api.towns.filter((t) => t.alerts + t.cases > 0);
      expect(rows).toHaveLength(expected.length);
      for (const t of expected) expect(rows).toContainEqual([t.name, String(t.alerts), String(t.cases)]);
      // The chart: one bar label per town shown.
      await expect.poll(() => panel.locator('.recharts-yAxis .recharts-cartesian-axis-tick').count(), { timeout: 15_000 }).toBe(Math.min(expected.length, 15));
      if (size === PHONE) await noSidewaysScroll(page);
      await panel.screenshot({ path: (await screenshot(page, `places-stats-${label}`)).replace(/\.png$/, '-panel.png') });
      await page.context().close();
    }, 90_000);
  }

  it('narrows the ledger to a 乡镇 with its filter (1366) and the phone cards show the 地域 (390)', async () => {
    const page = await pageAs('duty', DESKTOP);
    await page.goto(`${sys.baseUrl}/ledger`);
    const rows = page.getByTestId('ledger-row');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(4);
    await page.getByTestId('filter-town').selectOption(BEIGUAN);
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(2);
    const texts = await rows.allInnerTexts();
    expect(texts.some((t) => t.includes('北关街道杨柳社区'))).toBe(true);
    expect(texts.every((t) => t.includes('北关街道'))).toBe(true);
    await page.getByTestId('filter-town').selectOption(HEXI);
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(1);
    await screenshot(page, 'places-ledger-1366');
    await page.context().close();

    const phone = await pageAs('duty', PHONE);
    await phone.goto(`${sys.baseUrl}/ledger?town=${encodeURIComponent(BEIGUAN)}`);
    const cards = phone.getByTestId('ledger-card');
    await cards.first().waitFor();
    await expect.poll(() => cards.count(), { timeout: 15_000 }).toBe(2);
    expect(await phone.getByTestId('ledger-card-places').allInnerTexts()).toEqual(expect.arrayContaining([expect.stringContaining('北关街道杨柳社区')]));
    await noSidewaysScroll(phone);
    await screenshot(phone, 'places-ledger-390');
    await phone.context().close();
  }, 120_000);

  it('narrows the search results to a 乡镇', async () => {
    const page = await pageAs('duty', DESKTOP);
    await page.goto(`${sys.baseUrl}/search`);
    const results = page.getByTestId('search-result');
    await results.first().waitFor({ timeout: 20_000 });
    const all = await results.count();
    expect(all).toBeGreaterThan(1);
    await page.getByTestId('search-town').selectOption(BEIGUAN);
    await page.getByRole('search').getByRole('button', { name: '检索' }).click();
    // One reading of the list for every check: while the narrowed search loads, the list may be empty
    // (and "every result names 北关街道" true of no result at all).
    let shown: string[] = [];
    await expect
      .poll(
        async () => {
          shown = await results.allInnerTexts();
          return shown.length > 0 && shown.every((t) => t.includes('北关街道')) && shown.some((t) => t.includes(MARK));
        },
        { timeout: 15_000 },
      )
      .toBe(true);
    expect(shown.length).toBeLessThan(all);
    for (const t of shown) expect(t).toContain('北关街道');
    await screenshot(page, 'places-search-1366');
    await page.context().close();
  }, 90_000);

  it('lets the handler set the 地域 of a hand-registered case in the case room on a phone', async () => {
    const page = await pageAs('handler', PHONE);
    await page.goto(`${sys.baseUrl}/cases/${byHand}`);
    const places = page.getByTestId('case-places');
    await places.waitFor();
    await expect.poll(() => places.innerText(), { timeout: 15_000 }).toContain('未设置');
    await page.getByTestId('case-places-edit').click();
    await page.getByTestId('case-places-town').selectOption('x-城关镇');
    await expect.poll(() => page.getByTestId('case-places-village').locator('option').count(), { timeout: 15_000 }).toBeGreaterThan(1);
    await page.getByTestId('case-places-village').selectOption('x-城关镇-x-东关村');
    await noSidewaysScroll(page);
    await screenshot(page, 'places-case-picker-390');
    // Tap-sized: the save button and the selects at least 40 px high.
    for (const id of ['case-places-save', 'case-places-town', 'case-places-village']) {
      expect((await page.getByTestId(id).boundingBox())!.height).toBeGreaterThanOrEqual(40);
    }
    await page.getByTestId('case-places-save').click();
    await expect.poll(() => places.innerText(), { timeout: 15_000 }).toContain('城关镇东关村');
    expect(await places.innerText()).toContain('手工设置');
    await page.locator('[data-testid=timeline-entry][data-action="case.places"]').first().waitFor();
    await noSidewaysScroll(page);
    await screenshot(page, 'places-case-390');
    const api = await team.duty.call<{ places: string[] }>('GET', `/api/cases/${byHand}`);
    expect(api.places).toEqual(['城关镇东关村']);
    await page.context().close();
  }, 90_000);

  it('fills in the places of a stored post after an alias is added in 管理 → 辖区: the worker back-fills, the screen shows how far', async () => {
    const marker = `${MARK}B`;
    // 东关 alone is 东关村's short form, which counts only beside its town: this post names no place yet.
    await submit(`places-${marker}`, `老东关片区明天停电 ${marker}`, `老东关一带的住户说明天停电一整天。${marker}`);
    const placesOf = async () => (await team.duty.call<{ items: { places: string[] }[] }>('GET', `/api/items?q=${marker}`)).items.map((i) => i.places);
    expect(await placesOf()).toEqual([[]]);
    const page = await pageAs('admin', DESKTOP);
    await page.goto(`${sys.baseUrl}/admin/area`);
    await page.getByTestId('area-settings').waitFor();
    const i = await page.locator('[data-testid^=area-extra-name-]').count();
    await page.getByTestId('area-extra-add').click();
    await page.getByTestId(`area-extra-name-${i}`).fill('老东关');
    await page.getByTestId(`area-extra-kind-${i}`).selectOption('alias');
    await page.getByTestId(`area-extra-town-${i}`).selectOption('x-城关镇');
    await page.getByTestId(`area-extra-target-${i}`).selectOption('x-城关镇-x-东关村');
    await page.getByTestId('area-save').click();
    const progress = page.getByTestId('area-backfill');
    await expect.poll(() => progress.innerText(), { timeout: 15_000 }).toMatch(/已补充 \d+ \/ \d+ 条|均已按当前地名表标注地域/);
    await screenshot(page, 'places-area-backfill-1366');
    // The worker's tick (at start, then every sweep interval) works through the stored items.
    await expect.poll(() => progress.innerText(), { timeout: 90_000, interval: 1000 }).toMatch(/均已按当前地名表标注地域（共 \d+ 条）/);
    expect(await placesOf()).toEqual([['城关镇东关村']]);
    await page.context().close();
    // 管理 is a desktop screen (folded away on a phone): no 390 px picture here.
  }, 150_000);

  it('offers the 地域 when registering an opinion by hand on the desk', async () => {
    const page = await pageAs('duty', DESKTOP);
    await page.goto(`${sys.baseUrl}/desk`);
    await page.getByRole('button', { name: '登记转办舆情' }).click();
    const form = page.getByTestId('register-form');
    await form.waitFor();
    const title = `龙山镇石桥村桥面开裂 ${MARK}R`;
    await form.locator('input[name=title]').fill(title);
    await form.getByLabel('牵头部门').selectOption({ label: '住建局' });
    await form.getByTestId('register-town').selectOption('x-龙山镇');
    await expect.poll(() => form.getByTestId('register-village').locator('option').count(), { timeout: 15_000 }).toBeGreaterThan(1);
    await form.getByTestId('register-village').selectOption('x-龙山镇-x-石桥村');
    await screenshot(page, 'places-register-1366');
    await page.getByRole('button', { name: '登记并交办' }).click();
    await form.waitFor({ state: 'detached', timeout: 15_000 });
    const { cases } = await team.duty.call<{ cases: { title: string; places: string[] }[] }>('GET', `/api/cases?q=${encodeURIComponent(`${MARK}R`)}`);
    expect(cases).toEqual([expect.objectContaining({ title, places: ['龙山镇石桥村'] })]);
    await page.context().close();
  }, 90_000);

  it('says in the case room when a hand-set 村 is no longer of the 辖区, shows the items’ places instead, and lets duty set it again', async () => {
    type Extra = { name: string; townCode: string | null; aliasOf: string | null };
    const area = await admin.call<{ countyCode: string | null; areaName: string; extras: Extra[] }>('GET', '/api/area');
    const base = { countyCode: area.countyCode, areaName: area.areaName, extras: area.extras };
    await admin.call('PUT', '/api/area', { ...base, extras: [...base.extras, { name: '临时安置点', townCode: 'x-城关镇', aliasOf: null }] });
    const zj = await departmentId(team.duty, '住建局');
    const c = await registerCase(team.duty, { title: `安置点板房漏雨 ${MARK}`, level: 'general', category: 'difficulty', departmentId: zj });
    await team.duty.call('PUT', `/api/cases/${c.id}/places`, { town: 'x-城关镇', village: 'x-城关镇-x-临时安置点' });
    // The admin drops the place again.
    await admin.call('PUT', '/api/area', base);
    const page = await pageAs('duty', PHONE);
    await page.goto(`${sys.baseUrl}/cases/${c.id}`);
    const removed = page.getByTestId('case-places-removed');
    await removed.waitFor({ timeout: 15_000 });
    expect(await removed.innerText()).toBe('手动设置的地域“城关镇临时安置点”已不在辖区中，现按信息内容显示');
    expect(await page.getByTestId('case-places').innerText()).toContain('未设置');
    await noSidewaysScroll(page);
    await screenshot(page, 'places-case-removed-390');
    await page.getByTestId('case-places-edit').click();
    await page.getByTestId('case-places-town').selectOption('x-城关镇');
    await page.getByTestId('case-places-save').click();
    await removed.waitFor({ state: 'detached', timeout: 15_000 });
    await expect.poll(() => page.getByTestId('case-places').innerText(), { timeout: 15_000 }).toContain('城关镇');
    expect((await team.duty.call<{ places: string[] }>('GET', `/api/cases/${c.id}`)).places).toEqual(['城关镇']);
    await page.context().close();
  }, 90_000);
});
