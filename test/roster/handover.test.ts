import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderNotice } from '../../core/notices.js';
import { insertPush } from '../../db/repos/alert-pushes.js';
import { sweepHandovers } from '../../services/handovers/service.js';
import { createApiFixture, errorOf, type ApiFixture } from '../api/helpers.js';
import { createUser, sessionFor, type TestUser } from '../helpers/auth.js';
import { testContext } from '../helpers/factories.js';

// 交接班 through the real app: the outgoing officer's record pre-filled (untriaged alerts, cases
// opened in the shift, deadlines in the next shift, pushes not acknowledged), submitted once,
// accepted by the incoming officer (both audited and notified), the leader on duty told exactly
// once when a handover is not accepted — or not written — 30 minutes into the next shift, and the
// to-dos "write the handover" and "accept the handover". Beijing = UTC+8; 白班 08:30–17:30.

let f: ApiFixture;
let clock = new Date('2026-12-07T08:00:00Z'); // Monday 16:00 Beijing
let duty1: TestUser;
let duty2: TestUser;
let duty3: TestUser;
let leaderDay: TestUser;
let leaderNight: TestUser;
let day: number;
let night: number;
let openedCaseId: string;
let dueCaseId: string;
let pushedAlertId: string;

const at = (iso: string) => {
  clock = new Date(iso);
};
const as = async (u: TestUser | 'admin', method: string, path: string, body?: unknown) =>
  f.requestAs(await sessionFor(f.db, u === 'admin' ? f.admin : u, clock), method, path, body);
const notices = (userId: number) =>
  f.db.selectFrom('notifications').select(['kind', 'key', 'params']).where('user_id', '=', userId).orderBy('id').execute();
const todosOf = async (u: TestUser) => (await (await as(u, 'GET', '/api/todos')).json()).todos as { kind: string; dueAt: string | null; params: Record<string, unknown>; link: string }[];

beforeAll(async () => {
  f = await createApiFixture('handover', { now: () => clock });
  duty1 = await createUser(f.db, { role: 'duty', displayName: '张三' });
  duty2 = await createUser(f.db, { role: 'duty', displayName: '李四' });
  duty3 = await createUser(f.db, { role: 'duty', displayName: '王五' });
  leaderDay = await createUser(f.db, { role: 'leader', displayName: '刘主任' });
  leaderNight = await createUser(f.db, { role: 'leader', displayName: '陈主任' });
  const shifts = (await (await as('admin', 'GET', '/api/roster/shifts')).json()).shifts as { id: number; name: string }[];
  day = shifts.find((s) => s.name === '白班')!.id;
  night = shifts.find((s) => s.name === '夜班')!.id;
  for (const [d, shiftId, p, l] of [
    ['2026-12-07', day, duty1, leaderDay],
    ['2026-12-07', night, duty2, leaderNight],
    ['2026-12-08', day, duty1, leaderDay],
  ] as const) {
    const res = await as('admin', 'POST', '/api/roster/swap', { day: d, shiftId, primaryUserId: p.id, leaderUserId: l.id });
    expect(res.status).toBe(200);
  }
  const t = testContext(f.db);
  const dept = await t.newDepartment({ name: '住建局' });
  // untriaged alerts: one plain, one pushed and not acknowledged
  await t.newAlert({ title: '城西化工厂要爆炸了？', firstSeen: new Date('2026-12-07T03:00:00Z') });
  const pushed = await t.newAlert({ title: '东关村自来水浑浊', firstSeen: new Date('2026-12-07T05:00:00Z') });
  pushedAlertId = pushed.alert.id;
  await insertPush(f.db, { alertId: pushedAlertId, ruleId: null, text: '推送', ackWindowS: 900, groupChannelId: null, recipientIds: [duty1.id], nextDueAt: new Date('2026-12-07T05:15:00Z') }, new Date('2026-12-07T05:00:00Z'));
  // opened in the day shift (10:00 Beijing), due in two days
  openedCaseId = (await t.newCase({ lead: dept.id, title: '幼儿园收费问题', clockStartedAt: new Date('2026-12-07T02:00:00Z') })).id;
  // opened on Saturday, its 48 h response falls due at 20:00 Beijing tonight (the night shift)
  dueCaseId = (await t.newCase({ lead: dept.id, title: '老旧小区加装电梯', clockStartedAt: new Date('2026-12-05T12:00:00Z') })).id;
  // opened long before, due tomorrow afternoon: not in the next shift
  await t.newCase({ lead: dept.id, title: '道路积水', clockStartedAt: new Date('2026-12-06T08:00:00Z'), obligations: [{ kind: 'response', hours: 48 }] });
});
afterAll(async () => {
  await f.tdb.drop();
});

describe('writing the handover', () => {
  it('pre-fills what the next shift must know, for the officer on shift', async () => {
    const res = await as(duty1, 'GET', '/api/handovers/current');
    expect(res.status).toBe(200);
    const cur = await res.json();
    expect(cur.slot).toMatchObject({ day: '2026-12-07', shiftName: '白班', startsAt: '2026-12-07T00:30:00.000Z', endsAt: '2026-12-07T09:30:00.000Z' });
    expect(cur.next).toMatchObject({ shiftName: '夜班', primary: { id: duty2.id, name: '李四' }, leader: { name: '陈主任' } });
    expect(cur.submitted).toBeNull();
    expect(cur.prefill.untriaged.total).toBe(2);
    expect(cur.prefill.opened.map((c: { id: string }) => c.id)).toEqual([openedCaseId]);
    expect(cur.prefill.deadlines.items.map((d: { caseId: string }) => d.caseId)).toEqual([dueCaseId]);
    expect(cur.prefill.deadlines.items[0].dueAt).toBe('2026-12-07T12:00:00.000Z');
    expect(cur.prefill.pushes.map((p: { alertId: string }) => p.alertId)).toEqual([pushedAlertId]);
  });

  it('an officer not on a shift gets no slot and cannot submit; other roles cannot write', async () => {
    const cur = await (await as(duty3, 'GET', '/api/handovers/current')).json();
    expect(cur).toMatchObject({ slot: null, next: null, prefill: null, toAccept: [] });
    const res = await as(duty2, 'POST', '/api/handovers', { notes: '' }); // the night shift has not begun
    expect(res.status).toBe(409);
    expect((await errorOf(res)).messageZh).toContain('不在值班表的班次上');
    expect((await as(leaderDay, 'POST', '/api/handovers', { notes: '' })).status).toBe(403);
  });

  it('"write the handover" is a to-do in the last hour of the shift, not before', async () => {
    expect((await todosOf(duty1)).some((t) => t.kind === 'handover.write')).toBe(false); // 16:00
    at('2026-12-07T08:45:00Z'); // 16:45
    const todo = (await todosOf(duty1)).find((t) => t.kind === 'handover.write');
    expect(todo).toMatchObject({ dueAt: '2026-12-07T09:30:00.000Z', params: { shiftName: '白班' }, link: '/handover' });
    // the pushed alert nobody acknowledged is a to-do too, due when it goes to the next person
    const push = (await todosOf(duty1)).find((t) => t.kind === 'alert.unacknowledged');
    expect(push).toMatchObject({ link: `/desk?alert=${pushedAlertId}`, dueAt: '2026-12-07T05:15:00.000Z' });
  });

  it('submits once (audited), tells the incoming officer, and the to-do moves to them', async () => {
    at('2026-12-07T09:20:00Z'); // 17:20
    const res = await as(duty1, 'POST', '/api/handovers', { notes: '化工厂谣言请继续关注' });
    expect(res.status).toBe(201);
    const h = await res.json();
    expect(h).toMatchObject({ state: 'submitted', from: { name: '张三' }, to: { id: duty2.id }, notes: '化工厂谣言请继续关注', shiftName: '白班' });
    expect(h.snapshot.untriaged.total).toBe(2);
    const again = await as(duty1, 'POST', '/api/handovers', { notes: '再交一次' });
    expect(again.status).toBe(409);
    expect((await errorOf(again)).messageZh).toContain('已提交');
    const audit = await f.db.selectFrom('audit_log').select(['action', 'actor_id']).where('entity', '=', 'handover').execute();
    expect(audit).toEqual([{ action: 'handover.submit', actor_id: duty1.id }]);
    const [n] = await notices(duty2.id);
    expect(n!.key).toBe('handover.submitted');
    const text = renderNotice(n!.key!, n!.params as Record<string, string | number>, 'zh');
    expect(text.title).toBe('【交接班】张三已提交白班交接班记录，请接班确认');
    expect(text.body).toContain('12月7日 08:30起');
    expect(text.body).toContain('未研判预警 2 条');
    expect(text.body).not.toMatch(/T\d\d:\d\d|[A-Za-z]{3,}/);
    expect((await todosOf(duty1)).some((t) => t.kind === 'handover.write')).toBe(false);
    const todo = (await todosOf(duty2)).find((t) => t.kind === 'handover.accept');
    expect(todo).toMatchObject({ dueAt: '2026-12-07T10:00:00.000Z', params: { fromName: '张三', shiftName: '白班' } });
  });

  it('only the incoming officer accepts', async () => {
    const [h] = (await (await as(leaderDay, 'GET', '/api/handovers?month=2026-12')).json()).handovers;
    const res = await as(duty3, 'POST', `/api/handovers/${h.id}/accept`, { note: '' });
    expect(res.status).toBe(403);
  });
});

describe('the leader on duty hears of a handover not accepted, once', () => {
  it('nothing before 30 minutes into the next shift; then the night leader, exactly once', async () => {
    at('2026-12-07T09:55:00Z'); // 17:55
    expect(await sweepHandovers(f.db, clock)).toEqual({ notified: 0 });
    at('2026-12-07T10:01:00Z'); // 18:01
    expect(await sweepHandovers(f.db, clock)).toEqual({ notified: 1 });
    expect(await sweepHandovers(f.db, clock)).toEqual({ notified: 0 });
    const ns = await notices(leaderNight.id);
    expect(ns.map((n) => n.key)).toEqual(['handover.not_accepted']);
    expect(renderNotice('handover.not_accepted', ns[0]!.params as Record<string, string | number>, 'zh').body).toContain('李四仍未接班确认');
    expect(await notices(leaderDay.id)).toEqual([]);
  });

  it('the incoming officer accepts (audited); the outgoing one is told', async () => {
    at('2026-12-07T10:10:00Z');
    const [h] = (await (await as(duty2, 'GET', '/api/handovers/current')).json()).toAccept;
    expect(h).toMatchObject({ state: 'submitted', notes: '化工厂谣言请继续关注' });
    const res = await as(duty2, 'POST', `/api/handovers/${h.id}/accept`, { note: '已阅，继续关注' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ state: 'accepted', acceptedBy: { name: '李四' }, acceptedAt: '2026-12-07T10:10:00.000Z', acceptNote: '已阅，继续关注' });
    expect((await as(duty2, 'POST', `/api/handovers/${h.id}/accept`, { note: '' })).status).toBe(409);
    expect((await notices(duty1.id)).map((n) => n.key)).toEqual(['handover.accepted']);
    expect((await todosOf(duty2)).some((t) => t.kind === 'handover.accept')).toBe(false);
    const audit = await f.db.selectFrom('audit_log').select('action').where('entity', '=', 'handover').orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['handover.submit', 'handover.leader_notified', 'handover.accept']);
  });

  it('a handover never written: the next leader hears 30 minutes in; the officer may still write it', async () => {
    at('2026-12-08T01:05:00Z'); // Tuesday 09:05: the night shift (duty2) ended at 08:30, nothing written
    expect(await sweepHandovers(f.db, clock)).toEqual({ notified: 1 });
    const ns = await notices(leaderDay.id);
    expect(ns.map((n) => n.key)).toEqual(['handover.not_submitted']);
    expect(renderNotice('handover.not_submitted', ns[0]!.params as Record<string, string | number>, 'zh').title).toBe('【交接班未完成】夜班（12月7日 17:30起）未提交交接班记录');
    const list = (await (await as('admin', 'GET', '/api/handovers?month=2026-12')).json()).handovers;
    expect(list.map((h: { shiftName: string; state: string }) => [h.shiftName, h.state])).toEqual([
      ['夜班', 'missing'],
      ['白班', 'accepted'],
    ]);
    // within two hours of the end of the shift its officer may still submit
    const res = await as(duty2, 'POST', '/api/handovers', { notes: '补交' });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ shiftName: '夜班', state: 'submitted', to: { id: duty1.id } });
    expect(await sweepHandovers(f.db, clock)).toEqual({ notified: 0 });
  });

  it('past handovers are readable by leaders, not by handlers; one reads alone', async () => {
    const handler = await createUser(f.db, { role: 'handler', displayName: '赵经办' });
    expect((await as(handler, 'GET', '/api/handovers?month=2026-12')).status).toBe(403);
    const list = (await (await as(leaderDay, 'GET', '/api/handovers?month=2026-12')).json()).handovers;
    const one = await as(leaderDay, 'GET', `/api/handovers/${list[1].id}`);
    expect(one.status).toBe(200);
    expect((await one.json()).snapshot.deadlines.items).toHaveLength(1);
    expect((await as(leaderDay, 'GET', '/api/handovers/99999')).status).toBe(404);
    expect((await as(leaderDay, 'GET', '/api/handovers?month=2026-13')).status).toBe(400);
  });
});
