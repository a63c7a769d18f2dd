import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext, screenshot, signInUi } from './browser.js';
import { departmentId, respond, signInTeam, type Team } from './ledger-seed.js';
import { DEMO_PASSWORD, startSystem, type RunningSystem } from './system.js';

// 向转办单位反馈办理情况 in the case room: a forwarded opinion (政府办转办), verified and its
// response published, owes feedback to the forwarding office. The lead department's handler, on a
// phone (390×844), opens the reply form (and cancels it once), finds the office as the recipient
// and the time as now in Beijing time (never later), types the time an hour back, and sees the
// reply listed with 补录 and that Beijing time; the feedback is met.

const PHONE = { width: 390, height: 844 };
const BEIJING_MS = 8 * 3_600_000;

/** A datetime-local value as Beijing wall-clock time. */
const beijingInput = (ms: number) => new Date(ms + BEIJING_MS).toISOString().slice(0, 16);
/** The instant of a datetime-local value read as Beijing time. */
const fromBeijingInput = (v: string) => new Date(`${v}:00+08:00`).getTime();
/** How the case room shows a Beijing wall-clock value: 12月7日 15:50. */
const shown = (v: string) => `${Number(v.slice(5, 7))}月${Number(v.slice(8, 10))}日 ${v.slice(11, 16)}`;

interface Forwarding {
  office: string;
  feedback: { status: string } | null;
  replies: { recipient: string; content: string; repliedAt: string; backfilled: boolean }[];
}

describe('向转办单位反馈 in the case room', () => {
  let sys: RunningSystem;
  let browser: Browser;
  let team: Team;
  let caseId = '';

  beforeAll(async () => {
    sys = await startSystem('e2efwdreply');
    browser = await launchBrowser();
    team = await signInTeam(sys.baseUrl, DEMO_PASSWORD);
    const zj = await departmentId(team.duty, '住建局');
    const c = await team.duty.call<{ id: string }>('POST', '/api/cases', {
      manual: {
        origin: 'government_office',
        originNote: '政府办转办单 305 号',
        title: '河西街道老旧小区加装电梯补贴迟迟不到位',
        text: '居民反映加装电梯补贴申请半年没有答复。',
        receivedAt: new Date(Date.now() - 3 * 3_600_000).toISOString(),
      },
      level: 'general',
      category: 'difficulty',
      leadDepartmentId: zj,
    });
    caseId = c.id;
    await team.handler.call('POST', `/api/cases/${caseId}/verification`, { result: 'partly_true', note: '补贴延迟属实，金额与反映不符。' });
    await respond(team, caseId, '经核实，住建局已受理加装电梯补贴申请，补贴将于本月发放。');
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await sys?.stop();
  });

  async function open(): Promise<Page> {
    const ctx = await newContext(browser, PHONE);
    const page = await ctx.newPage();
    await signInUi(page, sys.baseUrl, 'handler', DEMO_PASSWORD);
    await page.goto(`${sys.baseUrl}/cases/${caseId}`);
    await page.getByTestId('forward-feedback').waitFor();
    return page;
  }

  it('a handler records the feedback an hour back on a phone: the office as recipient, 补录 and the Beijing time listed, the feedback met', async () => {
    const before = await team.handler.call<Forwarding>('GET', `/api/cases/${caseId}/forwarding`);
    expect(before.feedback?.status).toBe('open');
    expect(before.replies).toEqual([]);
    const page = await open();
    const panel = page.getByTestId('forward-feedback');

    // Cancel closes the form and brings the button back.
    await page.getByTestId('forward-reply-open').click();
    await page.getByTestId('forward-reply-content').waitFor();
    await panel.getByRole('button', { name: '取消', exact: true }).click();
    await page.getByTestId('forward-reply-content').waitFor({ state: 'detached' });
    await page.getByTestId('forward-reply-open').waitFor();

    const earliest = beijingInput(Date.now());
    await page.getByTestId('forward-reply-open').click();
    const content = page.getByTestId('forward-reply-content');
    await content.waitFor();
    const save = page.getByTestId('forward-reply-save');
    expect(await save.isDisabled()).toBe(true); // nothing written yet
    expect(await panel.getByLabel('反馈对象').inputValue()).toBe(before.office);
    const time = panel.getByLabel('反馈时间');
    const value = await time.inputValue();
    const max = (await time.getAttribute('max')) ?? '';
    const latest = beijingInput(Date.now());
    // Now, in Beijing time (whatever minute the form opened in), and never later than now.
    expect([earliest, latest]).toContain(value);
    expect([earliest, latest]).toContain(max);

    await content.fill('已电话向政府办反馈：补贴将于本月发放，金额按核定标准执行。');
    const typed = beijingInput(fromBeijingInput(value) - 3_600_000);
    await time.fill(typed);
    expect(await save.isDisabled()).toBe(false);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'forward-reply-form-390');
    await save.click();

    const row = page.getByTestId('forward-reply');
    await row.waitFor();
    await content.waitFor({ state: 'detached' });
    const text = (await row.textContent()) ?? '';
    expect(text).toContain(shown(typed));
    expect(text).toContain(before.office);
    expect(text).toContain('补录');
    expect(text).toContain('已电话向政府办反馈');
    expect(await panel.textContent()).toContain('已反馈');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'forward-reply-recorded-390');

    // Recorded on the server at the typed time, marked 补录, meeting the feedback.
    const after = await team.handler.call<Forwarding>('GET', `/api/cases/${caseId}/forwarding`);
    expect(after.feedback?.status).toBe('met');
    expect(after.replies).toEqual([expect.objectContaining({ recipient: before.office, backfilled: true, repliedAt: new Date(fromBeijingInput(typed)).toISOString() })]);
  }, 120_000);
});
