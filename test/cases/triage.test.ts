import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditCount, createFixture, errorOf, makeAlert, makeDepartment, makeUser, type Fixture, type TestUser } from '../helpers/app.js';

const NOW = new Date('2026-11-24T08:00:00Z');
const H = 3_600_000;
let f: Fixture;
let water: number;
let housing: number;
let duty: TestUser;
let admin: TestUser;
let handler: TestUser;

beforeAll(async () => {
  f = await createFixture('cases_triage', NOW);
  water = await makeDepartment(f, '市水务局');
  housing = await makeDepartment(f, '市住建局');
  duty = await makeUser(f, 'duty', null, '值班员甲');
  admin = await makeUser(f, 'admin');
  handler = await makeUser(f, 'handler', water);
});
afterAll(async () => {
  await f.tdb.drop();
});

const open = (body: unknown, who: TestUser = duty) => f.as(who, 'POST', '/api/cases', body);
const base = { level: 'general', category: 'difficulty', leadDepartmentId: 1, coDepartmentIds: [] as number[] };

describe('POST /api/cases from alerts', () => {
  it('numbers the case, starts the clock at first sight, snapshots evidence, links the alert, owes a 48 h response, audits', async () => {
    const firstSeen = new Date('2026-11-24T02:00:00Z');
    const { alertId, storyId } = await makeAlert(f, '永济水价上涨', firstSeen, ['永济论坛', '运城新闻网']);
    const res = await open({ ...base, alertIds: [alertId], leadDepartmentId: water, coDepartmentIds: [housing] });
    expect(res.status).toBe(201);
    const c = await res.json();
    expect(c.number).toMatch(/^YQ-2026-\d{4}$/);
    expect(c.title).toBe('永济水价上涨');
    expect(c.clockStartedAt).toBe(firstSeen.toISOString());
    expect(c.openedAt).toBe(NOW.toISOString());
    expect(c.openedBy).toBe('值班员甲');
    expect(c.leadDepartment).toEqual({ id: water, name: '市水务局' });
    expect(c.coDepartments).toEqual([{ id: housing, name: '市住建局' }]);
    expect(c.stories.map((s: { id: string }) => s.id)).toEqual([storyId]);
    expect(c.items.map((i: { sourceName: string }) => i.sourceName)).toEqual(['永济论坛', '运城新闻网']);
    expect(c.items[0]).toMatchObject({ title: '永济水价上涨（1）', text: '正文1', publishedAt: firstSeen.toISOString() });
    expect(c.obligations).toHaveLength(1);
    expect(c.obligations[0]).toMatchObject({
      kind: 'response',
      status: 'open',
      dueAt: new Date(firstSeen.getTime() + 48 * H).toISOString(),
      goalMs: 48 * H,
      elapsedMs: 6 * H,
      remainingMs: 42 * H,
      breached: false,
      onTime: null,
    });
    const alert = await f.db.selectFrom('alerts').select(['status', 'case_id']).where('id', '=', alertId).executeTakeFirstOrThrow();
    expect(alert).toEqual({ status: 'case', case_id: c.id });
    expect(c.timeline.map((t: { action: string }) => t.action)).toEqual(['case.create', 'alert.open', 'obligation.create']);
    expect(c.timeline[0].actorName).toBe('值班员甲');
    expect(await auditCount(f, { caseId: c.id })).toBe(3);
  });

  it('numbers consecutively within the year', async () => {
    const a = await makeAlert(f, '编号一', new Date('2026-11-23T00:00:00Z'));
    const b = await makeAlert(f, '编号二', new Date('2026-11-23T00:00:00Z'));
    const n1 = (await (await open({ ...base, leadDepartmentId: water, alertIds: [a.alertId] })).json()).number as string;
    const n2 = (await (await open({ ...base, leadDepartmentId: water, alertIds: [b.alertId] })).json()).number as string;
    expect(Number(n2.slice(-4))).toBe(Number(n1.slice(-4)) + 1);
  });

  it('takes the earliest first sight of several alerts and keeps every story', async () => {
    const a = await makeAlert(f, '较晚', new Date('2026-11-24T05:00:00Z'));
    const b = await makeAlert(f, '较早', new Date('2026-11-23T20:00:00Z'));
    const c = await (await open({ ...base, leadDepartmentId: water, alertIds: [a.alertId, b.alertId], title: '合并事件' })).json();
    expect(c.title).toBe('合并事件');
    expect(c.clockStartedAt).toBe('2026-11-23T20:00:00.000Z');
    expect(c.stories).toHaveLength(2);
    expect(await auditCount(f, { caseId: c.id, action: 'alert.open' })).toBe(2);
  });

  it('major: report 1 h, information 5 h, press conference 24 h, update 24 h', async () => {
    const start = new Date('2026-11-24T07:00:00Z');
    const { alertId } = await makeAlert(f, '突发事故', start);
    const c = await (await open({ ...base, level: 'major', category: 'emergency', leadDepartmentId: water, alertIds: [alertId] })).json();
    const due = Object.fromEntries(c.obligations.map((o: { kind: string; dueAt: string }) => [o.kind, o.dueAt]));
    expect(due).toEqual({
      report: new Date(start.getTime() + H).toISOString(),
      info: new Date(start.getTime() + 5 * H).toISOString(),
      press: new Date(start.getTime() + 24 * H).toISOString(),
      update: new Date(start.getTime() + 24 * H).toISOString(),
    });
    const report = c.obligations.find((o: { kind: string }) => o.kind === 'report');
    expect(report).toMatchObject({ breached: false, remainingMs: 0 });
  });

  it('rumour adds a referral to public security and the cyberspace office', async () => {
    const { alertId } = await makeAlert(f, '谣言', new Date('2026-11-24T06:00:00Z'));
    const c = await (await open({ ...base, category: 'rumour', leadDepartmentId: water, alertIds: [alertId] })).json();
    expect(c.obligations.map((o: { kind: string }) => o.kind).sort()).toEqual(['referral', 'response']);
  });

  it('409 on a second opening of the same alert, and nothing is written', async () => {
    const { alertId } = await makeAlert(f, '重复立案', new Date('2026-11-24T06:00:00Z'));
    expect((await open({ ...base, leadDepartmentId: water, alertIds: [alertId] })).status).toBe(201);
    const cases = await f.db.selectFrom('cases').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const audits = await auditCount(f);
    const again = await open({ ...base, leadDepartmentId: water, alertIds: [alertId] });
    expect(again.status).toBe(409);
    expect((await errorOf(again)).code).toBe('CONFLICT');
    const after = await f.db.selectFrom('cases').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(cases.n);
    expect(await auditCount(f)).toBe(audits);
  });

  it('404 for an unknown alert; 400 for an unknown department or neither alerts nor manual', async () => {
    expect((await open({ ...base, leadDepartmentId: water, alertIds: ['999999'] })).status).toBe(404);
    const { alertId } = await makeAlert(f, '部门', new Date('2026-11-24T06:00:00Z'));
    expect((await open({ ...base, leadDepartmentId: 424242, alertIds: [alertId] })).status).toBe(400);
    expect((await open({ ...base, leadDepartmentId: water })).status).toBe(400);
  });

  it('handlers may not open cases (403); nobody signed in gets 401', async () => {
    const { alertId } = await makeAlert(f, '权限', new Date('2026-11-24T06:00:00Z'));
    expect((await open({ ...base, leadDepartmentId: water, alertIds: [alertId] }, handler)).status).toBe(403);
    expect((await f.requestAs(null, 'POST', '/api/cases', { ...base, leadDepartmentId: water, alertIds: [alertId] })).status).toBe(401);
    expect((await open({ ...base, leadDepartmentId: water, alertIds: [alertId] }, admin)).status).toBe(201);
  });
});

describe('POST /api/cases by hand (手工登记)', () => {
  it('registers a forwarded opinion: origin, evidence from the text, clock at receipt', async () => {
    const receivedAt = '2026-11-24T01:30:00Z';
    const res = await open({
      ...base,
      leadDepartmentId: water,
      manual: { origin: 'cyberspace_office', originNote: '市网信办转办单 2026-118', url: 'https://weibo.example/1', title: '网民反映停水', text: '连续三天停水', receivedAt },
    });
    expect(res.status).toBe(201);
    const c = await res.json();
    expect(c).toMatchObject({ origin: 'cyberspace_office', originLabel: '网信办转办', originNote: '市网信办转办单 2026-118', title: '网民反映停水', clockStartedAt: '2026-11-24T01:30:00.000Z' });
    expect(c.stories).toEqual([]);
    expect(c.items).toHaveLength(1);
    expect(c.items[0]).toMatchObject({ itemId: null, title: '网民反映停水', text: '连续三天停水', url: 'https://weibo.example/1', sourceName: '市网信办转办单 2026-118' });
    expect(c.obligations[0].dueAt).toBe('2026-11-26T01:30:00.000Z');
  });

  it('a receipt time in the future starts the clock now, not later', async () => {
    const c = await (
      await open({ ...base, leadDepartmentId: water, manual: { origin: 'hotline', title: '热线', receivedAt: '2026-11-30T00:00:00Z' } })
    ).json();
    expect(c.clockStartedAt).toBe(NOW.toISOString());
  });
});

describe('POST /api/alerts/{id}/attach', () => {
  it('links the story to the case, adds its evidence, marks the alert, audits', async () => {
    const first = await makeAlert(f, '并案主事件', new Date('2026-11-24T03:00:00Z'));
    const c = await (await open({ ...base, leadDepartmentId: water, alertIds: [first.alertId] })).json();
    const second = await makeAlert(f, '并案转载', new Date('2026-11-24T04:00:00Z'), ['微博', '抖音']);
    const res = await f.as(duty, 'POST', `/api/alerts/${second.alertId}/attach`, { caseId: c.id });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ alertId: second.alertId, storyId: second.storyId, caseId: c.id, evidenceAdded: 2 });
    const after = await (await f.as(duty, 'GET', `/api/cases/${c.id}`)).json();
    expect(after.stories.map((s: { id: string }) => s.id).sort()).toEqual([first.storyId, second.storyId].sort());
    expect(after.items).toHaveLength(3);
    expect(after.clockStartedAt).toBe(c.clockStartedAt);
    const alert = await f.db.selectFrom('alerts').select(['status', 'case_id']).where('id', '=', second.alertId).executeTakeFirstOrThrow();
    expect(alert).toEqual({ status: 'case', case_id: c.id });
    expect(after.timeline.map((t: { action: string }) => t.action)).toContain('alert.attach');
    expect((await f.as(duty, 'POST', `/api/alerts/${second.alertId}/attach`, { caseId: c.id })).status).toBe(409);
    expect((await f.as(duty, 'POST', `/api/alerts/${first.alertId}/attach`, { caseId: '99999999' })).status).toBe(409);
    const third = await makeAlert(f, '并案失败', new Date('2026-11-24T04:00:00Z'));
    expect((await f.as(duty, 'POST', `/api/alerts/${third.alertId}/attach`, { caseId: '99999999' })).status).toBe(404);
    expect((await f.as(handler, 'POST', `/api/alerts/${third.alertId}/attach`, { caseId: c.id })).status).toBe(403);
  });

  it('dismissing an alert writes an audit row', async () => {
    const { alertId } = await makeAlert(f, '误报', new Date('2026-11-24T04:00:00Z'));
    const res = await f.as(duty, 'POST', `/api/alerts/${alertId}/dismiss`, { reason: 'false_positive' });
    expect(res.status).toBe(200);
    const row = await f.db.selectFrom('audit_log').selectAll().where('entity', '=', 'alert').where('entity_id', '=', alertId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ action: 'alert.dismiss', actor_id: duty.id, after: { status: 'dismissed', reason: 'false_positive' } });
  });
});
