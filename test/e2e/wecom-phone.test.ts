import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot, signedInPages } from './browser.js';
import { departmentId, respond, signInTeam, type Team } from './ledger-seed.js';
import { DEMO_PASSWORD, startSystem, type RunningSystem } from './system.js';

// The newest screens as handlers, duty officers and leaders open them in 企业微信 on a 390×844 phone:
// the case room's 回访 panel and its record form, the 地域 picker (case room and the desk's 登记
// dialog), 工单导入 (upload, column mapping, report), 统计 (回访满意率 tile, 乡镇 chart) and 我的待办
// (待回访, 回访不满意). On each: no sideways scrolling, the screen's controls at least 44 px tall
// (a radio's or checkbox's label is its target), nothing cut off. The administration says it is for
// a computer on a phone; at 1024 px (the narrowest computer it supports) its newest screens and the
// top bar fit without sideways scrolling or menu words broken one character a line. Every screen is
// photographed at 390 and at 1366 px (test/artifacts/screens/wecom-*.png).

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 768 };
const NARROW_DESKTOP = { width: 1024, height: 768 };
const TAP = 44;
const sample = (name: string) => fileURLToPath(new URL(`../../demo/imports/${name}`, import.meta.url));

/** Visible controls inside `scope` smaller than a finger (44 px tall; buttons also 44 px wide). */
async function smallTargets(scope: Locator): Promise<string[]> {
  return scope.evaluate((root, tap) => {
    const out: string[] = [];
    const controls = root.querySelectorAll<HTMLElement>('button, a[href], select, textarea, input:not([type=hidden]), label.btn');
    for (const el of Array.from(controls)) {
      const cs = getComputedStyle(el);
      if (el.offsetParent === null || cs.visibility === 'hidden') continue;
      // A visually hidden file input is reached through its label.btn; a radio or checkbox through its label.
      if (el instanceof HTMLInputElement && el.type === 'file' && cs.opacity === '0') continue;
      const target = el instanceof HTMLInputElement && (el.type === 'radio' || el.type === 'checkbox') ? (el.closest('label') ?? el) : el;
      const r = target.getBoundingClientRect();
      const wide = el.tagName === 'BUTTON' || target.classList.contains('btn');
      if (r.height < tap || (wide && r.width < tap)) {
        const text = (target.innerText || (el as HTMLInputElement).value || el.getAttribute('aria-label') || '').trim().slice(0, 20);
        out.push(`${el.tagName.toLowerCase()}${el.dataset.testid ? `[${el.dataset.testid}]` : ''} "${text}" ${Math.round(r.width)}×${Math.round(r.height)}`);
      }
    }
    return out;
  }, TAP);
}

/** Elements inside `scope` whose own text is cut (an ellipsis or hidden overflow). */
async function cutText(scope: Locator): Promise<string[]> {
  return scope.evaluate((root) =>
    Array.from(root.querySelectorAll<HTMLElement>('*'))
      .filter((el) => el.offsetParent !== null && !el.closest('svg, .table-wrap, select, option'))
      .filter((el) => Array.from(el.childNodes).some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim().length > 1))
      .filter((el) => el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible')
      .map((el) => `${el.tagName.toLowerCase()}.${el.className} "${el.innerText.trim().slice(0, 24)}"`),
  );
}

const scrollWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

/** The box of `loc` lies inside the viewport's width (and height, when asked). */
async function insideViewport(page: Page, loc: Locator, height = false): Promise<void> {
  const box = (await loc.boundingBox())!;
  const vp = page.viewportSize()!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(vp.width);
  if (height) {
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(vp.height);
  }
}

describe('the newest screens in 企业微信 width (390×844)', () => {
  let sys: RunningSystem;
  let browser: Browser;
  let team: Team;
  let dueCase = '';
  let dissatisfiedCase = '';

  beforeAll(async () => {
    sys = await startSystem('e2ewecom', { DEMO_PUBLISH_INTERVAL_MS: '3600000' });
    browser = await launchBrowser();
    team = await signInTeam(sys.baseUrl, DEMO_PASSWORD);
    const zj = await departmentId(team.duty, '住建局');
    const hotline = async (title: string, requestType: string) => {
      const c = await team.duty.call<{ id: string }>('POST', '/api/cases', {
        manual: {
          origin: 'hotline',
          originNote: '12345 热线工单 GD2026120700131',
          title,
          text: `来电人反映：${title}。`,
          receivedAt: new Date(Date.now() - 3 * 3_600_000).toISOString(),
          requestType,
        },
        level: 'general',
        category: 'difficulty',
        leadDepartmentId: zj,
      });
      await respond(team, c.id, '经核实，住建局已安排维修，已于今日处理完毕。');
      return c.id;
    };
    // A reply published and not yet called back (待回访), set to 城关镇东关村 by hand.
    dueCase = await hotline('城关镇东关村路灯损坏多日无人维修', 'complaint');
    await team.duty.call('PUT', `/api/cases/${dueCase}/places`, { town: 'x-城关镇', village: 'x-城关镇-x-东关村' });
    // A 回访 recorded 不满意 (回访不满意 on the handler's list; the 回访满意率 tile shows).
    dissatisfiedCase = await hotline('北关街道杨柳社区污水井冒水一周未处理，居民反映强烈要求尽快处理', 'help');
    await team.handler.call('POST', `/api/cases/${dissatisfiedCase}/callbacks`, {
      callee: '王先生',
      result: 'dissatisfied',
      note: '来电人表示问题没有根本解决，希望再次上门查看，并给出明确的整改期限和责任人。',
    });
  }, 180_000);
  afterAll(async () => {
    await closeAll();
    await browser?.close();
    await sys?.stop();
  });

  const { pageAs, closeAll } = signedInPages(() => browser, () => sys.baseUrl, DEMO_PASSWORD);

  /** The same screen at 1366 px: photographed, no sideways scrolling (the desktop look kept). */
  async function desktopShot(user: string, path: string, ready: string, name: string, act?: (p: Page) => Promise<void>): Promise<void> {
    const page = await pageAs(user, DESKTOP);
    await page.goto(`${sys.baseUrl}${path}`);
    await page.locator(ready).first().waitFor();
    if (act) await act(page);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(DESKTOP.width);
    await screenshot(page, `wecom-${name}-1366`);
    await page.close();
  }

  it('回访: the panel and its record form fit the phone, every control tap-sized', async () => {
    const page = await pageAs('handler', PHONE);
    await page.goto(`${sys.baseUrl}/cases/${dueCase}`);
    const panel = page.getByTestId('callbacks');
    await panel.waitFor();
    expect(await panel.innerText()).toContain('待回访');
    await page.getByTestId('callback-open').click();
    await page.getByTestId('callback-save').waitFor();
    await panel.scrollIntoViewIfNeeded();
    expect(await scrollWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await insideViewport(page, panel);
    expect(await smallTargets(panel)).toEqual([]);
    // The three results, the fields and the submit button are reachable, one field under another.
    for (const id of ['callback-satisfied', 'callback-basically_satisfied', 'callback-dissatisfied', 'callback-callee', 'callback-note', 'callback-save']) {
      await insideViewport(page, page.getByTestId(id));
    }
    const fieldWidths = await panel.locator('input:not([type=radio]), textarea').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().width));
    for (const w of fieldWidths) expect(w).toBeGreaterThan(300);
    expect(await cutText(panel)).toEqual([]);
    await screenshot(page, 'wecom-callback-form-390');
    // The published reply the 回访 follows: its 查看发布页面 link and 审批记录 are finger-sized too.
    const published = page.locator('[data-testid=response][data-status=published]');
    await published.scrollIntoViewIfNeeded();
    expect(await published.locator('a[href], summary').count()).toBeGreaterThanOrEqual(2);
    expect(await smallTargets(published)).toEqual([]);
    expect(await published.locator('summary').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height).filter((h) => h < 44))).toEqual([]);
    await page.close();

    // 回访不满意: the record reads in full (result, Beijing time, who), the hint under it.
    const other = await pageAs('handler', PHONE);
    await other.goto(`${sys.baseUrl}/cases/${dissatisfiedCase}`);
    const record = other.getByTestId('callback');
    await record.waitFor();
    await record.scrollIntoViewIfNeeded();
    const text = await record.innerText();
    expect(text).toContain('不满意');
    expect(text).toMatch(/\d{1,2}月\d{1,2}日 \d{2}:\d{2}/);
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    expect(await scrollWidth(other)).toBeLessThanOrEqual(PHONE.width);
    expect(await smallTargets(other.getByTestId('callbacks'))).toEqual([]);
    await screenshot(other, 'wecom-callback-dissatisfied-390');
    await other.close();

    await desktopShot('handler', `/cases/${dueCase}`, '[data-testid=callbacks]', 'callback-form', async (p) => {
      await p.getByTestId('callback-open').click();
      await p.getByTestId('callbacks').scrollIntoViewIfNeeded();
    });
  }, 90_000);

  it('地域 in the case room: the picker dialog fits the phone, its selects and buttons tap-sized', async () => {
    const page = await pageAs('handler', PHONE);
    await page.goto(`${sys.baseUrl}/cases/${dueCase}`);
    await page.getByTestId('case-places').waitFor();
    expect(await page.getByTestId('case-places').innerText()).toContain('城关镇东关村');
    const edit = page.getByTestId('case-places-edit');
    expect((await edit.boundingBox())!.height).toBeGreaterThanOrEqual(TAP);
    await edit.click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await page.getByTestId('case-places-town').selectOption('x-北关街道');
    await expect.poll(() => page.getByTestId('case-places-village').locator('option').count()).toBeGreaterThan(1);
    await insideViewport(page, dialog, true);
    expect(await smallTargets(dialog)).toEqual([]);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'wecom-case-places-390');
    await page.close();
    await desktopShot('handler', `/cases/${dueCase}`, '[data-testid=case-places-edit]', 'case-places', (p) => p.getByTestId('case-places-edit').click());
  }, 60_000);

  it('登记 on the desk: one field a row on the phone (nothing squeezed three abreast), the 地域 selects tap-sized', async () => {
    const page = await pageAs('duty', PHONE);
    await page.goto(`${sys.baseUrl}/desk`);
    await page.locator('.desk-grid').waitFor();
    const open = page.getByRole('button', { name: '登记转办舆情', exact: true });
    expect((await open.boundingBox())!.height).toBeGreaterThanOrEqual(TAP);
    await open.click();
    const dialog = page.getByRole('dialog');
    const form = page.getByTestId('register-form');
    await form.waitFor();
    await form.locator('select[name=origin]').selectOption('hotline');
    await page.getByTestId('register-town').selectOption('x-城关镇');
    await expect.poll(() => page.getByTestId('register-village').locator('option').count()).toBeGreaterThan(1);
    await insideViewport(page, dialog, true);
    // Every select and text field spans the dialog's width: the 来源 / 收到时间 and 级别 / 类别 / 牵头部门
    // rows are one field a row, so a chosen value (网信办转办, 请选择部门) or a time is never cut.
    const widths = await form.locator('select, input:not([type=checkbox]), textarea').evaluateAll((els) =>
      els.map((e) => ({ name: e.getAttribute('name'), w: Math.round(e.getBoundingClientRect().width) })),
    );
    expect(widths.length).toBeGreaterThanOrEqual(10);
    for (const f of widths) expect(f.w, String(f.name)).toBeGreaterThan(300);
    expect(await smallTargets(dialog)).toEqual([]);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'wecom-register-390');
    await form.locator('select[name=leadDepartmentId]').scrollIntoViewIfNeeded();
    await screenshot(page, 'wecom-register-390-lower');
    await page.close();
    await desktopShot('duty', '/desk', '.desk-grid', 'register', (p) => p.getByRole('button', { name: '登记转办舆情', exact: true }).click());
  }, 60_000);

  it('工单导入: the column mapping as one card per field on the phone, the first row’s values in full, the report and history within 390 px', async () => {
    const page = await pageAs('duty', PHONE);
    await page.goto(`${sys.baseUrl}/imports`);
    const screen = page.getByTestId('ticket-import');
    await screen.waitFor();
    expect(await smallTargets(screen)).toEqual([]);
    await page.getByTestId('import-file').setInputFiles(sample('12345-export.xlsx'));
    await page.getByRole('button', { name: '预览', exact: true }).click();
    const preview = page.getByTestId('import-preview');
    await preview.waitFor();
    const mapping = preview.locator('table.imports-mapping');
    // No cut sample values, no sideways scroll inside the mapping: each field's select and value fit.
    expect(await mapping.evaluate((t) => t.scrollWidth <= t.parentElement!.clientWidth)).toBe(true);
    const samples = await mapping.locator('td.imports-sample').evaluateAll((tds) => tds.filter((td) => td.textContent).map((td) => td.scrollWidth <= td.clientWidth));
    expect(samples.length).toBeGreaterThan(4);
    expect(samples.every(Boolean)).toBe(true);
    expect(await mapping.innerText()).toContain('GD2026120500123');
    expect(await smallTargets(preview)).toEqual([]);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'wecom-import-mapping-390');
    await page.getByTestId('import-department').selectOption({ label: '住建局' });
    await page.getByTestId('import-run').click();
    await expect.poll(() => page.getByTestId('import-summary').textContent(), { timeout: 30_000 }).toBe('共 6 行：导入 6 行，重复 0 行，未导入 0 行');
    const history = page.getByTestId('import-history');
    await expect.poll(() => history.locator('tbody tr').count()).toBe(1);
    expect(await history.evaluate((t) => t.scrollWidth <= t.parentElement!.clientWidth)).toBe(true);
    expect(await history.innerText()).toMatch(/\d{1,2}月\d{1,2}日 \d{2}:\d{2}/);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await page.getByTestId('import-report').scrollIntoViewIfNeeded();
    await screenshot(page, 'wecom-import-report-390');
    await page.close();
    await desktopShot('duty', '/imports', '[data-testid=ticket-import]', 'import', async (p) => {
      await p.getByTestId('import-file').setInputFiles(sample('12345-export.xlsx'));
      await p.getByRole('button', { name: '预览', exact: true }).click();
      await p.getByTestId('import-preview').waitFor();
    });
  }, 90_000);

  it('统计: the 回访满意率 tile reads in full, the 乡镇 chart and table fit, the range controls are tap-sized', async () => {
    const page = await pageAs('leader', PHONE);
    await page.goto(`${sys.baseUrl}/stats`);
    await page.getByTestId('kpi-satisfaction').waitFor();
    const tile = page.locator('.stat-kpi', { has: page.getByTestId('kpi-satisfaction') });
    expect(await tile.innerText()).toContain('已回访 1（热线、信箱）');
    expect(await cutText(tile)).toEqual([]);
    expect(await cutText(page.locator('.stats-kpis'))).toEqual([]);
    expect(await smallTargets(page.getByTestId('range-picker'))).toEqual([]);
    const byTown = page.getByTestId('stats-by-town');
    await byTown.scrollIntoViewIfNeeded();
    await insideViewport(page, byTown);
    await expect.poll(() => byTown.locator('.recharts-yAxis .recharts-cartesian-axis-tick').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    const table = byTown.getByTestId('by-town-table');
    expect(await table.evaluate((t) => t.scrollWidth <= t.parentElement!.clientWidth)).toBe(true);
    expect(await table.innerText()).toContain('城关镇');
    expect(await scrollWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'wecom-stats-by-town-390');
    await tile.scrollIntoViewIfNeeded();
    await insideViewport(page, tile);
    await screenshot(page, 'wecom-stats-390');
    await page.close();
    await desktopShot('leader', '/stats', '[data-testid=kpi-satisfaction]', 'stats', async (p) => {
      // At 1366 px the tiles stand in one row, the 回访满意率 one among them.
      const tops = await p.locator('.stats-kpis > *').evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top)));
      expect(new Set(tops).size).toBe(1);
    });
  }, 60_000);

  it('我的待办: 待回访 and 回访不满意 as cards that fit the phone, each a finger-sized link', async () => {
    const page = await pageAs('handler', PHONE);
    await page.goto(`${sys.baseUrl}/todos`);
    const list = page.getByTestId('todo-list');
    await list.waitFor();
    const due = list.locator(`[data-testid=todo][data-kind="case.callback"][data-case-id="${dueCase}"]`);
    const bad = list.locator(`[data-testid=todo][data-kind="case.callback_dissatisfied"][data-case-id="${dissatisfiedCase}"]`);
    await due.waitFor();
    await bad.waitFor();
    expect(await due.innerText()).toContain('待回访');
    expect(await bad.innerText()).toContain('回访不满意');
    for (const card of [due, bad]) {
      await insideViewport(page, card);
      expect(await smallTargets(card)).toEqual([]);
      expect(await cutText(card)).toEqual([]);
    }
    expect(await scrollWidth(page)).toBeLessThanOrEqual(PHONE.width);
    await bad.scrollIntoViewIfNeeded();
    await screenshot(page, 'wecom-todos-390');
    await page.close();
    await desktopShot('handler', '/todos', '[data-testid=todo-list]', 'todos');
  }, 60_000);

  it('管理 on the phone says it is for a computer; at 1024 px its newest screens and the top bar fit', async () => {
    const phone = await pageAs('admin', PHONE);
    await phone.goto(`${sys.baseUrl}/admin/policy`);
    const note = phone.getByTestId('desktop-only');
    await note.waitFor();
    expect(await note.innerText()).toContain('系统管理仅支持电脑端');
    await insideViewport(phone, note);
    expect(await scrollWidth(phone)).toBeLessThanOrEqual(PHONE.width);
    await phone.close();

    const screens: { name: string; path: string; ready: string; act?: (p: Page) => Promise<void> }[] = [
      { name: 'origin-windows', path: '/admin/policy', ready: '[data-testid=origin-windows]' },
      { name: 'area', path: '/admin/area', ready: '[data-testid=area-settings]' },
      { name: 'tokens', path: '/admin/tokens', ready: '[data-testid=api-tokens]' },
      ...(['新闻搜索', 'JSON'] as const).map((kind) => ({
        name: `source-${kind === 'JSON' ? 'json' : 'search'}`,
        path: '/admin/sources',
        ready: '[data-testid=source-add]',
        act: async (p: Page) => {
          await p.getByTestId('source-add').click();
          await p.getByTestId('source-form').locator('label.seg-opt', { hasText: kind }).click();
        },
      })),
      {
        name: 'source-rsshub',
        path: '/admin/sources',
        ready: '[data-testid=source-add]',
        act: async (p: Page) => {
          await p.getByTestId('source-add').click();
          await p.getByTestId('source-mode-template').check({ force: true });
          await p.getByTestId('rsshub-template').selectOption('people-liuyan');
        },
      },
    ];
    for (const s of screens) {
      const page = await pageAs('admin', NARROW_DESKTOP);
      await page.goto(`${sys.baseUrl}${s.path}`);
      await page.locator(s.ready).first().waitFor();
      if (s.act) await s.act(page);
      expect(await scrollWidth(page), s.name).toBeLessThanOrEqual(NARROW_DESKTOP.width);
      // Each menu word on one line, the whole menu shown (not scrolled) beside the brand and the user.
      const links = await page.locator('.topbar .nav-link').evaluateAll((els) =>
        els.map((e) => {
          const range = document.createRange();
          range.selectNodeContents(e);
          const lines = new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top)));
          return { text: e.textContent, lines: lines.size };
        }),
      );
      expect(links.length).toBeGreaterThan(5);
      for (const l of links) expect(l.lines, String(l.text)).toBe(1);
      expect(await page.locator('.topbar .nav').evaluate((n) => n.scrollWidth <= n.clientWidth)).toBe(true);
      await screenshot(page, `wecom-admin-${s.name}-1024`);
      await page.close();
    }
  }, 120_000);
});
