import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { launchBrowser, SCREENSHOT_DIR, screenshot, signedInPages } from './browser.js';
import { departmentId, registerCase, respond, signInTeam, type Team } from './ledger-seed.js';
import { DEMO_PASSWORD, startSystem, type RunningSystem } from './system.js';

// Every screen a person uses away from the desk, at 390×844 (a phone) signed in as the role that
// uses it: no sideways scrolling, the menu folded behind one button that opens it, no text
// squeezed to one character a line, primary buttons big enough to tap. Each screen is also
// photographed at 1366×768 so the desktop look can be compared.

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 768 };

/** Elements in `root` with several characters of their own text laid out narrower than two characters. */
async function squeezedText(page: Page, root: string): Promise<string[]> {
  return page.evaluate((rootSel) => {
    const out: string[] = [];
    const scope = document.querySelector(rootSel);
    if (!scope) return ['no ' + rootSel];
    for (const el of Array.from(scope.querySelectorAll<HTMLElement>('*'))) {
      if (el.closest('svg')) continue;
      const own = Array.from(el.childNodes)
        .filter((n) => n.nodeType === Node.TEXT_NODE)
        .map((n) => n.textContent ?? '')
        .join('')
        .replace(/\s+/g, '');
      if (own.length < 3) continue;
      const r = el.getBoundingClientRect();
      const cs = getComputedStyle(el);
      if (r.width === 0 || r.height === 0 || cs.visibility === 'hidden') continue;
      const font = parseFloat(cs.fontSize) || 14;
      if (r.width < 2 * font * 0.95) out.push(`${el.tagName.toLowerCase()}.${el.className} "${own.slice(0, 20)}" ${Math.round(r.width)}px`);
    }
    return out;
  }, root);
}

/** Visible primary buttons lower than 40 px. */
async function smallPrimaryButtons(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>('.btn-primary'))
      .filter((b) => b.offsetParent !== null)
      .map((b) => ({ text: b.innerText.trim(), h: b.getBoundingClientRect().height }))
      .filter((b) => b.h < 40)
      .map((b) => `${b.text} ${b.h}px`),
  );
}

/** A full-page picture (a phone screen is read by scrolling). */
const fullShot = async (page: Page, name: string) => {
  await screenshot(page, name);
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
};

const scrollWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

/**
 * The screen as it settles: nothing loading any more (every list and panel shows a spinner until its
 * data came), the fonts in, and two frames drawn since (charts size themselves in a frame). Waited
 * for, not a fixed pause, which a busy machine may outlast.
 */
async function settled(page: Page): Promise<void> {
  await expect.poll(() => page.locator('.state-loading').count(), { timeout: 15_000 }).toBe(0);
  await page.evaluate(async () => {
    await document.fonts.ready;
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  });
}

describe('phone screens (390×844)', () => {
  let sys: RunningSystem;
  let browser: Browser;
  let team: Team;
  let caseId = '';
  let reviewCaseId = '';
  let countersignCaseId = '';

  beforeAll(async () => {
    sys = await startSystem('e2ephone');
    browser = await launchBrowser();
    team = await signInTeam(sys.baseUrl, DEMO_PASSWORD);
    const zj = await departmentId(team.duty, '住建局');
    const seeds = [
      { title: '城关镇拆迁补偿款迟迟未发放，群众多次反映无果', level: 'significant', category: 'difficulty', hoursAgo: 5 },
      { title: '老旧小区加装电梯进展缓慢', level: 'general', category: 'suggestion', hoursAgo: 60 },
    ] as const;
    for (const s of seeds) {
      const c = await registerCase(team.duty, { ...s, departmentId: zj, receivedAt: new Date(Date.now() - s.hoursAgo * 3_600_000) });
      if (!caseId) caseId = c.id;
      else await respond(team, c.id);
    }
    // A case whose response waits for review: the reviewer approves or returns it on the phone.
    const review = await registerCase(team.duty, {
      title: '城南菜市场占道经营影响通行',
      level: 'general',
      category: 'difficulty',
      departmentId: zj,
      receivedAt: new Date(Date.now() - 3 * 3_600_000),
    });
    reviewCaseId = review.id;
    const draft = await team.handler.call<{ id: string }>('POST', `/api/cases/${review.id}/responses`, { body: '经核实，已安排城管部门规范摊位，恢复道路通行。' });
    await team.handler.call('POST', `/api/cases/${review.id}/responses/${draft.id}/submit`, { secrecyConfirmed: true });
    // A 较大 case with 人社局 as co-department: the submitted response waits for its 会签.
    const rs = await departmentId(team.duty, '人社局');
    const cs = await team.duty.call<{ id: string }>('POST', '/api/cases', {
      manual: { origin: 'hotline', originNote: '12345 热线转办', title: '开发区工地拖欠农民工工资', text: '来电反映工地拖欠工资三个月。', receivedAt: new Date(Date.now() - 2 * 3_600_000).toISOString() },
      level: 'significant',
      category: 'difficulty',
      leadDepartmentId: zj,
      coDepartmentIds: [rs],
    });
    countersignCaseId = cs.id;
    const csDraft = await team.handler.call<{ id: string }>('POST', `/api/cases/${cs.id}/responses`, { body: '经核实，住建局已督促施工单位于本周内结清工资。' });
    await team.handler.call('POST', `/api/cases/${cs.id}/responses/${csDraft.id}/submit`, { secrecyConfirmed: true });
  }, 180_000);
  afterAll(async () => {
    await closeAll();
    await browser?.close();
    await sys?.stop();
  });

  const { pageAs, closeAll } = signedInPages(() => browser, () => sys.baseUrl, DEMO_PASSWORD);

  const screens = [
    { name: 'desk', user: 'duty', path: () => '/desk', ready: '.desk-grid' },
    { name: 'notifications', user: 'handler', path: () => '/notifications', ready: '.notif-page' },
    { name: 'case', user: 'handler', path: () => `/cases/${caseId}`, ready: '.case-room' },
    { name: 'ledger', user: 'handler', path: () => '/ledger', ready: '[data-testid="ledger-card"]' },
    { name: 'stats', user: 'leader', path: () => '/stats', ready: '[data-testid="kpi-cases"]' },
    { name: 'wall', user: 'leader', path: () => '/stats/wall', ready: '.wall', noMenu: true },
    { name: 'todos-handler', user: 'handler', path: () => '/todos', ready: '[data-testid="todos-page"]' },
    { name: 'todos-leader', user: 'leader', path: () => '/todos', ready: '[data-testid="todos-page"]' },
    { name: 'search', user: 'duty', path: () => '/search', ready: '[data-testid="search-page"]' },
    { name: 'review', user: 'reviewer', path: () => `/cases/${reviewCaseId}`, ready: '[data-testid="response"][data-status="submitted"]' },
  ];

  for (const s of screens) {
    it(`${s.name}: fits the phone, menu button, no one-character text, tap-sized buttons`, async () => {
      const page = await pageAs(s.user, PHONE);
      await page.goto(`${sys.baseUrl}${s.path()}`);
      await page.locator(s.ready).first().waitFor();
      await settled(page);
      await fullShot(page, `phone-${s.name}-390`);
      expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
      expect(await squeezedText(page, s.noMenu ? '.wall' : 'main')).toEqual([]);
      expect(await smallPrimaryButtons(page)).toEqual([]);
      if (!s.noMenu) {
        const menu = page.getByTestId('menu-button');
        expect(await menu.isVisible()).toBe(true);
        expect(await page.locator('.nav-link').first().isVisible()).toBe(false);
        await menu.click();
        await page.locator('.nav-link').first().waitFor({ state: 'visible' });
        expect(await menu.getAttribute('aria-expanded')).toBe('true');
        expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
        await screenshot(page, `phone-${s.name}-390-menu`);
      }
      await page.close();

      const desk = await pageAs(s.user, DESKTOP);
      await desk.goto(`${sys.baseUrl}${s.path()}`);
      await desk.locator(s.name === 'ledger' ? '[data-testid="ledger-row"]' : s.ready).first().waitFor();
      await settled(desk);
      if (!s.noMenu) expect(await desk.getByTestId('menu-button').isVisible()).toBe(false);
      await screenshot(desk, `phone-${s.name}-1366`);
      await desk.close();
    }, 60_000);
  }

  it('the desk on a phone: each alert’s text takes the row’s width, its triage buttons a line below, the check box a 44 px target', async () => {
    const page = await pageAs('duty', PHONE);
    await page.goto(`${sys.baseUrl}/desk`);
    const row = page.locator('[data-testid=alert-row][data-status=new]').first();
    await row.waitFor();
    await settled(page);
    const rowBox = (await row.boundingBox())!;
    const title = (await row.locator('.alert-title').boundingBox())!;
    // The title runs to the row's right edge (less its padding), not up to the buttons.
    expect(title.x + title.width).toBeGreaterThan(rowBox.x + rowBox.width - 20);
    const buttons = row.locator('.alert-actions .btn');
    expect(await buttons.allInnerTexts()).toEqual(['排除', '交办', '归并']);
    for (const b of await buttons.all()) {
      const button = (await b.boundingBox())!;
      expect(button.y).toBeGreaterThanOrEqual(title.y + title.height);
      expect(button.height).toBeGreaterThanOrEqual(44);
      expect(button.width).toBeGreaterThanOrEqual(44);
      expect(button.y + button.height).toBeLessThanOrEqual(rowBox.y + rowBox.height);
    }
    const hit = (await row.locator('.alert-check-hit').boundingBox())!;
    expect(Math.min(hit.width, hit.height)).toBeGreaterThanOrEqual(44);
    // Tapping the check box's target ticks it, without opening the alert.
    await page.mouse.click(hit.x + 4, hit.y + hit.height - 4);
    expect(await row.getByTestId('alert-check').isChecked()).toBe(true);
    expect(await row.getAttribute('aria-selected')).toBe('false');
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await screenshot(page, 'phone-desk-rows-390');
    await page.close();
  }, 60_000);

  it('the case room: the handler drafts and submits a response on the phone', async () => {
    const page = await pageAs('handler', PHONE);
    await page.goto(`${sys.baseUrl}/cases/${caseId}`);
    await page.locator('.case-room').waitFor();
    const box = page.locator('.cr-composer textarea').first();
    await box.scrollIntoViewIfNeeded();
    await box.fill('经核实，拆迁补偿款已于本周拨付到位，群众可到城关镇政府咨询。');
    await screenshot(page, 'phone-case-draft-390');
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    expect(await smallPrimaryButtons(page)).toEqual([]);
    await page.close();
  }, 60_000);

  it('the case room: the reviewer reaches 审核通过 and 退回修改 on the phone, both tap-sized', async () => {
    const page = await pageAs('reviewer', PHONE);
    await page.goto(`${sys.baseUrl}/cases/${reviewCaseId}`);
    const response = page.locator('[data-testid="response"][data-status="submitted"]');
    await response.waitFor();
    for (const name of ['审核通过', '退回修改']) {
      const button = response.locator('.cr-actions button', { hasText: name });
      await button.scrollIntoViewIfNeeded();
      expect(await button.isVisible()).toBe(true);
      expect(await button.isEnabled()).toBe(true);
      const box = await button.boundingBox();
      expect(box && box.height).toBeGreaterThanOrEqual(40);
      expect(box && box.x + box.width).toBeLessThanOrEqual(390);
    }
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await screenshot(page, 'phone-review-actions-390');
    await page.close();
  }, 60_000);

  it('the case room: the co-department confirms 会签 on the phone, and the reviewer’s step opens', async () => {
    const page = await pageAs('handler2', PHONE); // 人社局
    await page.goto(`${sys.baseUrl}/cases/${countersignCaseId}`);
    const block = page.getByTestId('countersign');
    await block.waitFor();
    expect(await block.getAttribute('data-pending')).toBe('yes');
    const confirm = page.getByTestId('countersign-confirm');
    await confirm.scrollIntoViewIfNeeded();
    const box = await confirm.boundingBox();
    expect(box && box.height).toBeGreaterThanOrEqual(40);
    expect(box && box.x + box.width).toBeLessThanOrEqual(390);
    expect(await page.getByTestId('countersign-return').isVisible()).toBe(true);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await screenshot(page, 'phone-countersign-390');
    await confirm.click();
    await page.locator('[data-testid="countersign"][data-pending="no"]').waitFor();
    expect(await page.getByTestId('countersign-dept').first().innerText()).toContain('已确认');
    await page.close();
    const reviewer = await team.reviewer.call<{ responses: { status: string; countersign: { pending: boolean } }[] }>('GET', `/api/cases/${countersignCaseId}/responses`);
    expect(reviewer.responses[0]).toMatchObject({ status: 'submitted', countersign: { pending: false } });
  }, 60_000);

  it('the administration says it is for a desktop instead of a broken layout', async () => {
    const page = await pageAs('admin', PHONE);
    await page.goto(`${sys.baseUrl}/admin/sources`);
    await page.getByTestId('desktop-only').waitFor();
    expect(await page.getByTestId('desktop-only').innerText()).toContain('系统管理仅支持电脑端');
    expect(await page.locator('.admin').isVisible()).toBe(false);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await screenshot(page, 'phone-admin-390');
    await page.close();
    const desk = await pageAs('admin', DESKTOP);
    await desk.goto(`${sys.baseUrl}/admin/sources`);
    await desk.locator('.admin').waitFor();
    expect(await desk.getByTestId('desktop-only').isVisible()).toBe(false);
    await screenshot(desk, 'phone-admin-1366');
    await desk.close();
  }, 60_000);
});
