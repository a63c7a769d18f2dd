import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiFixture, errorOf, type ApiFixture } from '../helpers/app.js';
import { sessionFor } from '../helpers/auth.js';
import type { Office } from '../helpers/factories.js';

// Windows by origin and 回访 (issue 13 §4): a 12345 hotline / 领导信箱 case's reply is due in working
// days by its 诉求类型 (咨询 3, 投诉 / 求助 5, 需调查核实 10, otherwise 7; admin-editable, 1–60),
// from hand registration, the import and a change of 诉求类型; after the reply is published the lead
// department is asked for a 回访 (notice and to-do), recorded with 满意 / 基本满意 / 不满意 under the
// 补录 rule, audited; 不满意 tells the reviewers and the duty officer who registered the case.

const H = 3_600_000;
const T0 = new Date('2026-12-07T01:00:00Z'); // Monday 7 December 2026, 09:00 Beijing time
let clock = T0;
let f: ApiFixture;
let o: Office;

const at = (hours: number) => new Date(T0.getTime() + hours * H);
/** A Beijing wall time of December 2026 as an instant. */
const bj = (day: number, hour: number, minute = 0) => new Date(Date.UTC(2026, 11, day, hour - 8, minute));

async function send(userId: number, method: string, path: string, body?: unknown): Promise<Response> {
  return f.requestAs(await sessionFor(f.db, { id: userId }, clock), method, path, body);
}
async function json<T = any>(res: Response, status: number): Promise<T> {
  const text = await res.text();
  expect([res.status, text]).toEqual([status, expect.anything()]);
  return JSON.parse(text) as T;
}
const actions = async (caseId: string) => (await f.db.selectFrom('audit_log').select('action').where('case_id', '=', caseId).orderBy('id').execute()).map((r) => r.action);
const responseObligation = (caseId: string) =>
  f.db.selectFrom('obligations').selectAll().where('case_id', '=', caseId).where('kind', '=', 'response').where('status', '<>', 'cancelled').executeTakeFirstOrThrow();
const todoKinds = async (userId: number, caseId: string) =>
  (await json<{ todos: { kind: string; caseId: string | null }[] }>(await send(userId, 'GET', '/api/todos'), 200)).todos.filter((t) => t.caseId === caseId).map((t) => t.kind);
const noticeKinds = async (userId: number, caseId: string) =>
  (await f.db.selectFrom('notifications').select('kind').where('user_id', '=', userId).where('case_id', '=', caseId).execute()).map((n) => n.kind);

async function register(origin: string, requestType?: string | null, extra: { co?: number[] } = {}): Promise<{ id: string; requestType: string | null; requestTypeLabel: string | null }> {
  const manual: Record<string, unknown> = { origin, originNote: '12345热线', title: `来电 ${origin} ${requestType ?? ''}`, text: '来电反映', receivedAt: T0.toISOString() };
  if (requestType !== undefined) manual.requestType = requestType;
  return json(await send(o.duty, 'POST', '/api/cases', { manual, level: 'general', category: 'difficulty', leadDepartmentId: o.dept, coDepartmentIds: extra.co ?? [] }), 201);
}

async function publish(caseId: string): Promise<void> {
  const d = await json<{ id: string }>(await send(o.handler, 'POST', `/api/cases/${caseId}/responses`, { body: '经核实，已安排维修。' }), 201);
  const url = `/api/cases/${caseId}/responses/${d.id}`;
  await json(await send(o.handler, 'POST', `${url}/submit`, { secrecyConfirmed: true }), 200);
  await json(await send(o.reviewer, 'POST', `${url}/approve`), 200);
  await json(await send(o.handler, 'POST', `${url}/publish`, { channel: 'reply' }), 200);
}

beforeAll(async () => {
  f = await createApiFixture('originwindows', { now: () => clock });
  o = await f.newOffice();
});
afterAll(async () => {
  await f.tdb.drop();
});

describe('管理 → 回应规则: windows by origin', () => {
  it('defaults to 7 working days, 咨询 3, 投诉 / 求助 5, 需调查核实 10 for both origins', async () => {
    clock = T0;
    const v = await json(await send(o.admin, 'GET', '/api/policies/origin-windows'), 200);
    expect(v.windows).toEqual([
      { origin: 'hotline', enabled: true, defaultDays: 7, byRequestType: { consultation: 3, complaint: 5, help: 5, investigation: 10 } },
      { origin: 'mailbox', enabled: true, defaultDays: 7, byRequestType: { consultation: 3, complaint: 5, help: 5, investigation: 10 } },
    ]);
  });

  it('refuses days outside 1–60, fractions, unknown types and twice one origin, in Chinese and English; only an admin edits', async () => {
    const put = (windows: unknown, who = o.admin) => send(who, 'PUT', '/api/policies/origin-windows', { windows });
    for (const bad of [
      [{ origin: 'hotline', enabled: true, defaultDays: 0, byRequestType: {} }],
      [{ origin: 'hotline', enabled: true, defaultDays: 61, byRequestType: {} }],
      [{ origin: 'hotline', enabled: true, defaultDays: 7, byRequestType: { consultation: 2.5 } }],
      [{ origin: 'hotline', enabled: true, defaultDays: 7, byRequestType: { gossip: 3 } }],
      [{ origin: 'alert', enabled: true, defaultDays: 7, byRequestType: {} }],
      [
        { origin: 'hotline', enabled: true, defaultDays: 7, byRequestType: {} },
        { origin: 'hotline', enabled: true, defaultDays: 8, byRequestType: {} },
      ],
    ]) {
      const res = await put(bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
      const e = await errorOf(res);
      expect(e.message.length).toBeGreaterThan(0);
      expect(e.messageZh).toMatch(/[\u4e00-\u9fff]/);
    }
    const range = await errorOf(await put([{ origin: 'mailbox', enabled: true, defaultDays: 90, byRequestType: {} }]));
    expect(range.messageZh).toContain('1 至 60');
    expect(range.message).toContain('1 to 60');
    expect((await put([{ origin: 'hotline', enabled: true, defaultDays: 7, byRequestType: {} }], o.reviewer)).status).toBe(403);
    expect((await put([{ origin: 'hotline', enabled: true, defaultDays: 7, byRequestType: {} }], o.duty)).status).toBe(403);
  });

  it('an admin edits one origin (the other keeps its windows); audited with before and after', async () => {
    const v = await json(
      await send(o.admin, 'PUT', '/api/policies/origin-windows', { windows: [{ origin: 'mailbox', enabled: true, defaultDays: 10, byRequestType: { consultation: 4 } }] }),
      200,
    );
    expect(v.windows[1]).toEqual({ origin: 'mailbox', enabled: true, defaultDays: 10, byRequestType: { consultation: 4 } });
    expect(v.windows[0]).toMatchObject({ origin: 'hotline', defaultDays: 7, byRequestType: { consultation: 3 } });
    const audit = await f.db.selectFrom('audit_log').select(['before', 'after']).where('action', '=', 'policy.origin_windows').executeTakeFirstOrThrow();
    expect(JSON.stringify(audit.before)).toContain('"defaultDays":7');
    expect(JSON.stringify(audit.after)).toContain('"defaultDays":10');
    // Two saves at once: each audit row's "before" is what that save replaced (the chain of changes reads true).
    const saves = [8, 9].map((d) => send(o.admin, 'PUT', '/api/policies/origin-windows', { windows: [{ origin: 'mailbox', enabled: true, defaultDays: d, byRequestType: {} }] }));
    for (const r of await Promise.all(saves)) expect(r.status).toBe(200);
    const chain = await f.db.selectFrom('audit_log').select(['before', 'after']).where('action', '=', 'policy.origin_windows').orderBy('id').execute();
    const mailboxDays = (x: unknown) => (x as { origin: string; defaultDays: number }[]).find((w) => w.origin === 'mailbox')!.defaultDays;
    expect(chain).toHaveLength(3);
    expect(mailboxDays(chain[1]!.before)).toBe(mailboxDays(chain[0]!.after));
    expect(mailboxDays(chain[2]!.before)).toBe(mailboxDays(chain[1]!.after));
    // Back to the defaults for the tests below.
    await json(
      await send(o.admin, 'PUT', '/api/policies/origin-windows', {
        windows: [{ origin: 'mailbox', enabled: true, defaultDays: 7, byRequestType: { consultation: 3, complaint: 5, help: 5, investigation: 10 } }],
      }),
      200,
    );
  });
});

describe('the reply window of a registered case', () => {
  it('hotline 咨询: 3 working days; mailbox without a type: 7; 需调查核实: 10; another origin: 48 natural hours', async () => {
    clock = T0;
    const consult = await register('hotline', 'consultation');
    expect(consult).toMatchObject({ requestType: 'consultation', requestTypeLabel: '咨询' });
    const ob = await responseObligation(consult.id);
    expect(ob).toMatchObject({ window_unit: 'working_days', window_hours: 72 });
    expect(ob.due_at.toISOString()).toBe(bj(10, 9).toISOString()); // Thursday 09:00
    // The ladder still runs on it: the 50 % reminder at half the window.
    expect(ob.next_step_at?.toISOString()).toBe(new Date((T0.getTime() + ob.due_at.getTime()) / 2).toISOString());

    const letter = await register('mailbox', null);
    expect((await responseObligation(letter.id)).due_at.toISOString()).toBe(bj(16, 9).toISOString()); // 7 working days: next Wednesday
    const probe = await register('hotline', 'investigation');
    expect((await responseObligation(probe.id)).due_at.toISOString()).toBe(bj(21, 9).toISOString()); // 10 working days
    const other = await register('government_office');
    expect((await responseObligation(other.id)).due_at.toISOString()).toBe(at(48).toISOString());

    // The case room and the ledger show that due time.
    const view = await json(await send(o.handler, 'GET', `/api/cases/${consult.id}`), 200);
    expect(view.obligations.find((x: { kind: string }) => x.kind === 'response').dueAt).toBe(bj(10, 9).toISOString());
    const ledger = await json(await send(o.duty, 'GET', '/api/cases?limit=200'), 200);
    expect(ledger.cases.find((r: { id: string }) => r.id === consult.id).dueAt).toBe(bj(10, 9).toISOString());
  });

  it('a 诉求类型 on another origin is refused with 400', async () => {
    const res = await send(o.duty, 'POST', '/api/cases', {
      manual: { origin: 'other', title: '来电', receivedAt: T0.toISOString(), requestType: 'consultation' },
      level: 'general',
      category: 'other',
      leadDepartmentId: o.dept,
    });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).messageZh).toContain('诉求类型');
  });

  it('duty changes the 诉求类型 of an open case with a reason (1–200 characters): the open reply obligation is recomputed, audited, in the timeline', async () => {
    clock = at(1);
    const c = await register('hotline', 'consultation');
    // No reason, a blank one, or one over 200 characters: refused with 400 in Chinese and English, nothing changed.
    for (const reason of [undefined, '   ', '因'.repeat(201)]) {
      const res = await send(o.duty, 'PATCH', `/api/cases/${c.id}`, { requestType: 'complaint', ...(reason !== undefined ? { reason } : {}) });
      expect(res.status, String(reason?.length)).toBe(400);
      const err = await errorOf(res);
      expect(err.details.issues[0].path).toBe('reason');
      if (reason === '因'.repeat(201)) {
        expect(err.messageZh).toContain('调整诉求类型时必须填写原因（1–200 字）');
        expect(err.message).toContain('is required when the request type changes (1–200 characters)');
      }
    }
    expect((await responseObligation(c.id)).due_at.toISOString()).toBe(bj(10, 9).toISOString()); // still 3 working days
    expect(await actions(c.id)).not.toContain('case.update');

    const reason = '来电人补充：反映物业拒修，属投诉';
    const patched = await json(await send(o.duty, 'PATCH', `/api/cases/${c.id}`, { requestType: 'complaint', reason: '因'.repeat(199) + '。' }), 200);
    expect(patched).toMatchObject({ requestType: 'complaint', requestTypeLabel: '投诉' }); // exactly 200 characters: accepted
    await json(await send(o.duty, 'PATCH', `/api/cases/${c.id}`, { requestType: 'consultation', reason: '误改，恢复为咨询' }), 200);
    await json(await send(o.duty, 'PATCH', `/api/cases/${c.id}`, { requestType: 'complaint', reason }), 200);
    const ob = await responseObligation(c.id);
    expect(ob.due_at.toISOString()).toBe(bj(14, 9).toISOString()); // 5 working days: next Monday
    expect(ob.note).toBe(`诉求类型调整为投诉：${reason}`);
    const acts = await actions(c.id);
    expect(acts).toEqual(expect.arrayContaining(['case.update', 'obligation.recompute']));
    const rows = await f.db.selectFrom('audit_log').select(['before', 'after']).where('case_id', '=', c.id).where('action', '=', 'case.update').orderBy('id').execute();
    expect(rows).toHaveLength(3);
    expect(rows[2]).toMatchObject({ before: { requestType: 'consultation' }, after: { requestType: 'complaint', reason } });
    // The case's timeline (what the case room shows) carries the change and its reason.
    const view = await json(await send(o.duty, 'GET', `/api/cases/${c.id}`), 200);
    const entry = view.timeline.filter((e: { action: string }) => e.action === 'case.update').at(-1);
    expect(entry).toMatchObject({ before: { requestType: 'consultation' }, after: { requestType: 'complaint', reason } });
    // A handler may not; a case of another origin takes no 诉求类型.
    expect((await send(o.handler, 'PATCH', `/api/cases/${c.id}`, { requestType: 'help', reason })).status).toBe(403);
    const other = await register('government_office');
    expect((await send(o.duty, 'PATCH', `/api/cases/${other.id}`, { requestType: 'help', reason })).status).toBe(400);
  });

  it('the import maps the 诉求类型 column (header guessed) and the window follows it', async () => {
    clock = at(2);
    const csv = ['工单编号,受理时间,工单类型,诉求内容,承办单位', 'GD-OW-1,2026-12-07 09:00:00,咨询,咨询社保卡补办流程,', 'GD-OW-2,2026-12-07 09:00:00,投诉（需调查核实）,投诉小区违建,'].join('\n');
    const contentBase64 = Buffer.from(csv, 'utf8').toString('base64');
    const preview = await json(await send(o.duty, 'POST', '/api/imports/preview', { fileName: 'ow.csv', contentBase64, origin: 'hotline' }), 200);
    expect(preview.mapping.requestType).toBe(2);
    const report = await json(
      await send(o.duty, 'POST', '/api/imports', { fileName: 'ow.csv', contentBase64, origin: 'hotline', mode: 'case', mapping: preview.mapping, departmentId: o.dept }),
      201,
    );
    expect(report.imported).toBe(2);
    const byNo = Object.fromEntries(report.cases.map((c: { ticketNo: string; caseId: string }) => [c.ticketNo, c.caseId]));
    const types = await f.db.selectFrom('cases').select(['id', 'request_type']).where('id', 'in', Object.values(byNo) as string[]).execute();
    expect(Object.fromEntries(types.map((t) => [t.id, t.request_type]))).toEqual({ [byNo['GD-OW-1']]: 'consultation', [byNo['GD-OW-2']]: 'investigation' });
    expect((await responseObligation(byNo['GD-OW-1'])).due_at.toISOString()).toBe(bj(10, 9).toISOString());
    expect((await responseObligation(byNo['GD-OW-2'])).due_at.toISOString()).toBe(bj(21, 9).toISOString());
  });
});

describe('回访', () => {
  it('is refused before the reply is published (409) and for a case of another origin (409)', async () => {
    clock = at(3);
    const c = await register('hotline', 'help');
    const early = await send(o.handler, 'POST', `/api/cases/${c.id}/callbacks`, { callee: '王先生', result: 'satisfied' });
    expect(early.status).toBe(409);
    expect((await errorOf(early)).messageZh).toContain('发布');
    const other = await register('government_office');
    expect((await send(o.reviewer, 'POST', `/api/cases/${other.id}/callbacks`, { callee: '王先生', result: 'satisfied' })).status).toBe(409);
    const v = await json(await send(o.handler, 'GET', `/api/cases/${other.id}/callbacks`), 200);
    expect(v).toMatchObject({ applies: false, due: false, callbacks: [] });
  });

  it('publication asks the lead department (notice, to-do); a 回访 recorded clears it, audited; scope and validation hold', async () => {
    clock = at(4);
    const c = await register('hotline', 'complaint', { co: [o.otherDept] });
    clock = at(5);
    await publish(c.id);
    // The department's other handlers hear of it (the publisher is never told of their own act).
    expect(await noticeKinds(o.head, c.id)).toContain('case.callback_due');
    expect(await todoKinds(o.handler, c.id)).toContain('case.callback');
    expect(await todoKinds(o.otherHandler, c.id)).not.toContain('case.callback');
    const due = await json(await send(o.handler, 'GET', `/api/cases/${c.id}/callbacks`), 200);
    expect(due).toMatchObject({ applies: true, due: true, latestPublishedAt: at(5).toISOString() });

    const post = (who: number, body: unknown) => send(who, 'POST', `/api/cases/${c.id}/callbacks`, body);
    expect((await post(o.otherHandler, { callee: '王先生', result: 'satisfied' })).status).toBe(403); // a co-department
    expect((await post(o.leaderInCharge, { callee: '王先生', result: 'satisfied' })).status).toBe(403); // a leader
    expect((await post(o.handler, { callee: '王先生', result: 'happy' })).status).toBe(400);
    expect((await post(o.handler, { callee: '', result: 'satisfied' })).status).toBe(400);
    const future = await post(o.handler, { callee: '王先生', result: 'satisfied', calledAt: at(7).toISOString() });
    expect(future.status).toBe(400);
    expect((await errorOf(future)).messageZh).toContain('不能晚于当前时间');
    clock = at(6);
    const beforeReply = await post(o.handler, { callee: '王先生', result: 'satisfied', calledAt: at(4.5).toISOString() });
    expect(beforeReply.status).toBe(400);
    expect((await errorOf(beforeReply)).messageZh).toContain('答复发布');

    const v = await json(await post(o.handler, { callee: '王先生', result: 'basically_satisfied', note: '维修及时，希望加强巡查', calledAt: at(5.5).toISOString() }), 201);
    expect(v.due).toBe(false);
    expect(v.callbacks).toEqual([
      expect.objectContaining({ callee: '王先生', result: 'basically_satisfied', resultLabel: '基本满意', calledAt: at(5.5).toISOString(), backfilled: true, note: '维修及时，希望加强巡查' }),
    ]);
    expect(v.callbacks[0].caller.length).toBeGreaterThan(0);
    expect(await actions(c.id)).toContain('case.callback');
    expect(await todoKinds(o.handler, c.id)).not.toContain('case.callback');
    // Not 不满意: nobody else is told.
    expect(await noticeKinds(o.reviewer, c.id)).not.toContain('case.callback_dissatisfied');

    // The ledger export's last column, and 统计's 满意率.
    const csv = await (await send(o.duty, 'GET', '/api/cases/export?format=csv')).text();
    const lines = csv.replace(/^\uFEFF/, '').split(/\r?\n/);
    expect(lines[0]!.split(',').at(-1)).toBe('回访结果');
    expect(lines.find((l) => l.includes('来电 hotline complaint'))?.endsWith('基本满意')).toBe(true);
    const stats = await json(await send(o.leaderInCharge, 'GET', '/api/stats?from=2026-12-01&to=2026-12-31'), 200);
    expect(stats.callbacks).toEqual({ calledBack: 1, satisfied: 1, rate: 1 });
  });

  it('不满意 tells the reviewers and the duty officer who registered it; a new reply asks for another 回访; closed: 409', async () => {
    clock = at(8);
    const c = await register('mailbox', 'investigation');
    await publish(c.id);
    clock = at(9);
    await json(await send(o.duty, 'POST', `/api/cases/${c.id}/callbacks`, { caller: '热线回访员', callee: '李女士', result: 'dissatisfied', note: '认为未解决' }), 201);
    expect(await noticeKinds(o.reviewer, c.id)).toContain('case.callback_dissatisfied');
    const notice = await json(await send(o.reviewer, 'GET', '/api/notifications?limit=50'), 200);
    const n = (notice.notifications ?? notice.items ?? []).find((x: { caseId: string; kind: string }) => x.caseId === c.id && x.kind === 'case.callback_dissatisfied');
    expect(n.title).toContain('回访不满意');
    expect(n.body).toContain('12月7日 18:00'); // Beijing time
    expect(n.body).toContain('不满意');
    expect(await todoKinds(o.handler, c.id)).not.toContain('case.callback');
    // The lead department acts next: told, and on its 待办 until a new reply is drafted.
    expect(await noticeKinds(o.handler, c.id)).toContain('case.callback_dissatisfied');
    expect(await todoKinds(o.handler, c.id)).toContain('case.callback_dissatisfied');

    // 重新办理: a new reply published asks for another 回访.
    clock = at(10);
    await publish(c.id);
    expect(await todoKinds(o.handler, c.id)).toContain('case.callback');
    expect(await todoKinds(o.handler, c.id)).not.toContain('case.callback_dissatisfied');

    await json(await send(o.handler, 'POST', `/api/cases/${c.id}/close`, { effectRating: 'average', conclusion: '已重新答复' }), 200);
    const closed = await send(o.handler, 'POST', `/api/cases/${c.id}/callbacks`, { callee: '李女士', result: 'satisfied' });
    expect(closed.status).toBe(409);
    expect(await todoKinds(o.handler, c.id)).not.toContain('case.callback');
  });

  it('a handler of another department who cannot see the case gets 404', async () => {
    clock = at(11);
    const c = await register('hotline', 'help');
    await publish(c.id);
    expect((await send(o.otherHandler, 'POST', `/api/cases/${c.id}/callbacks`, { callee: '王先生', result: 'satisfied' })).status).toBe(404);
    expect((await send(o.otherHandler, 'GET', `/api/cases/${c.id}/callbacks`)).status).toBe(404);
  });
});

describe('重点时段: the window that applies and why', () => {
  it('a hotline 投诉 opened in a key period (factor 0.5) is due in 2.5 working days, an ordinary case in 24 h; the case JSON names the period', async () => {
    clock = at(12);
    const p = await f.db
      .insertInto('heightened_periods')
      .values({ name: '全市重大活动保障', starts_at: bj(6, 0), ends_at: bj(9, 0), factor: 0.5 })
      .returning('id')
      .executeTakeFirstOrThrow();
    try {
      const hot = await register('hotline', 'complaint'); // clock started Monday 09:00, inside the period
      const plain = await register('government_office');
      const obOf = async (id: string) => (await json(await send(o.duty, 'GET', `/api/cases/${id}`), 200)).obligations.find((x: { kind: string }) => x.kind === 'response');
      // 5 working days × 0.5 = 2 working days (Wednesday 09:00) and 12 natural hours.
      expect(await obOf(hot.id)).toMatchObject({
        windowHours: 120,
        windowUnit: 'working_days',
        effectiveHours: 60,
        period: { name: '全市重大活动保障', factor: 0.5 },
        dueAt: bj(9, 21).toISOString(),
      });
      expect(await obOf(plain.id)).toMatchObject({ windowHours: 48, windowUnit: 'natural', effectiveHours: 24, period: { name: '全市重大活动保障', factor: 0.5 }, dueAt: at(24).toISOString() });
      // The obligation's audit row says which period shortened it.
      const created = await f.db.selectFrom('audit_log').select('after').where('case_id', '=', hot.id).where('action', '=', 'obligation.create').executeTakeFirstOrThrow();
      expect(created.after).toMatchObject({ kind: 'response', period: { name: '全市重大活动保障', factor: 0.5 } });

      // An edit of the period later leaves the recorded due time and its reason as they were.
      await f.db.updateTable('heightened_periods').set({ name: '改名后的时段', factor: 0.25 }).where('id', '=', p.id).execute();
      expect(await obOf(hot.id)).toMatchObject({ period: { name: '全市重大活动保障', factor: 0.5 }, dueAt: bj(9, 21).toISOString() });
      // A recompute (new 诉求类型) takes the period as it is now: 3 working days × 0.25 = 0.75 → Monday 09:00 + 18 h.
      await json(await send(o.duty, 'PATCH', `/api/cases/${hot.id}`, { requestType: 'consultation', reason: '来电人只是咨询' }), 200);
      expect(await obOf(hot.id)).toMatchObject({ windowHours: 72, effectiveHours: 18, period: { name: '改名后的时段', factor: 0.25 }, dueAt: bj(8, 3).toISOString() });
    } finally {
      await f.db.deleteFrom('heightened_periods').where('id', '=', p.id).execute();
    }
    // Outside every period: the normal window, no period.
    const normal = await register('hotline', 'complaint');
    const ob = (await json(await send(o.duty, 'GET', `/api/cases/${normal.id}`), 200)).obligations.find((x: { kind: string }) => x.kind === 'response');
    expect(ob).toMatchObject({ windowHours: 120, effectiveHours: 120, period: null, dueAt: bj(14, 9).toISOString() });
  });
});
