import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../core/workflow/index.js';
import type { Db } from '../../db/client.js';
import { verifyAuditChain, writeAudit, writeAuditMany, type AuditEntry } from '../../db/repos/audit.js';
import { loadPolicies } from '../../db/repos/policies.js';
import { declaredRoutes } from '../../server/middleware/auth.js';
import { runAuditRetention } from '../../worker/jobs/audit.retention.js';
import { createApiFixture, makeAlert, makeDepartment, type ApiFixture } from '../helpers/app.js';
import { createUser, sessionFor, TEST_PASSWORD, type SignedIn, type TestUser } from '../helpers/auth.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { recordFigure, variant } from './figures.js';

// The audit log (等保 2.0 安全审计; 责任追究): every state-changing route writes its own audit row in
// the transaction of its change (checked route by route, the list generated from the app's route
// table: the row is the service's, not the backstop's, and when the audit insert fails nothing the
// route would have changed persists; for sources, rules, the allow-list and notification channels,
// a commit refused after the audit insert takes the change and the row away together), the log is
// append-only (a trigger), a hash chain makes any change or removal detectable and names the row,
// concurrent writers still form one valid chain, and retention removes old rows without breaking
// the chain.

const NOW = new Date('2026-11-25T08:00:00Z');
let f: ApiFixture;
let lead: number;
let co: number;
const who: Record<'admin' | 'duty' | 'handler' | 'coHandler' | 'reviewer' | 'leader' | 'leaderInCharge', { user: TestUser; s: SignedIn }> = {} as never;

beforeAll(async () => {
  f = await createApiFixture('audit_cov', { now: () => NOW });
  // The first reader of an empty policy table stores the default rules (the policy in effect
  // either way; not a change anyone makes): done here, so the per-route snapshots below compare
  // only what the routes change.
  await loadPolicies(f.db);
  lead = await makeDepartment(f, '水务局');
  co = await makeDepartment(f, '住建局');
  who.admin = { user: f.admin, s: f.adminSession };
  for (const [k, role, dept] of [
    ['duty', 'duty', null],
    ['handler', 'handler', lead],
    ['coHandler', 'handler', co],
    ['reviewer', 'reviewer', null],
    ['leader', 'leader', null],
  ] as const) {
    const user = await createUser(f.db, { role, departmentId: dept, ...(role === 'leader' ? { leaderRank: 'principal' as const } : {}) });
    who[k] = { user, s: await sessionFor(f.db, user, NOW) };
  }
  const inCharge = await createUser(f.db, { role: 'leader', leaderRank: 'in_charge' });
  who.leaderInCharge = { user: inCharge, s: await sessionFor(f.db, inCharge, NOW) };
}, 60_000);
afterAll(async () => {
  await f.tdb.drop();
});

const maxSeq = async (db: Db) => Number((await sql<{ n: string }>`select coalesce(max(chain_seq), 0)::text as n from audit_log`.execute(db)).rows[0]!.n);

/** audit_log's id sequence: nextval is not rolled back, so it moves even for a row whose transaction failed. */
const auditIdSeq = async (db: Db) =>
  Number((await sql<{ n: string }>`select last_value::text as n from audit_log_id_seq`.execute(db)).rows[0]!.n);

let snapshotQuery: string | null = null;

/**
 * One hash per table over its whole content (every table but the audit log and its chain head):
 * two equal snapshots mean a request changed nothing.
 */
async function snapshot(db: Db): Promise<Map<string, string>> {
  if (snapshotQuery === null) {
    const tables = await sql<{ t: string }>`
      select table_name as t from information_schema.tables
      where table_schema = 'public' and table_type = 'BASE TABLE'
        and table_name not in ('audit_log', 'audit_chain_head') and table_name not like 'kysely%'
      order by 1`.execute(db);
    snapshotQuery = tables.rows
      .map(({ t }) => `select '${t}' as t, md5(coalesce(string_agg(x::text, E'\\n' order by x::text), '')) as h from "${t}" x`)
      .join(' union all ');
  }
  const r = await sql.raw<{ t: string; h: string }>(snapshotQuery).execute(db);
  return new Map(r.rows.map((row) => [row.t, row.h]));
}

/** The tables whose content differs between two snapshots. */
const changedTables = (a: Map<string, string>, b: Map<string, string>) => [...a.keys()].filter((t) => a.get(t) !== b.get(t));

/** Raised by the test's triggers; the app answers 500 and rolls back. */
const refuseFunction = sql`
  create or replace function od_test_refuse() returns trigger language plpgsql as $$
  begin
    raise exception 'refused by the audit test (% on %)', tg_op, tg_table_name;
  end $$`;

/** Until the returned function is called, every insert into audit_log fails (before it happens). */
async function refuseAuditInserts(db: Db): Promise<() => Promise<void>> {
  await refuseFunction.execute(db);
  await sql`create trigger od_test_refuse_audit before insert on audit_log for each row execute function od_test_refuse()`.execute(db);
  return async () => {
    await sql`drop trigger od_test_refuse_audit on audit_log`.execute(db);
  };
}

/**
 * Until the returned function is called, a transaction that changed `table` fails at COMMIT: a
 * deferred constraint trigger fires after every statement of the transaction ran, so after the
 * service's audit insert.
 */
async function refuseCommitsOn(db: Db, table: string): Promise<() => Promise<void>> {
  await refuseFunction.execute(db);
  await sql
    .raw(`create constraint trigger od_test_refuse_commit after insert or update or delete on "${table}" deferrable initially deferred for each row execute function od_test_refuse()`)
    .execute(db);
  return async () => {
    await sql.raw(`drop trigger od_test_refuse_commit on "${table}"`).execute(db);
  };
}

interface Step {
  route: string;
  as: keyof typeof who | SignedIn | null;
  path: string | (() => string);
  body?: unknown | (() => unknown);
  /** Called with the parsed JSON answer (ids for the steps that follow). */
  then?: (body: any, res: Response) => void;
}

/** Routes whose calls this test does not make, with the reason. Empty: every route is called. */
const EXCLUDED: Record<string, string> = {
  // A push acknowledgement writes its audit row when it acknowledges a push (test/push/push.test.ts); this test's alerts were never pushed.
  'POST /api/alerts/:id/acknowledge': 'audited only when a push is acknowledged',
};

describe('every state-changing route writes its own audit row, in the transaction of its change', () => {
  it('calls each POST/PUT/PATCH/DELETE route of the route table with a valid request, first with audit inserts failing (nothing may persist), then normally (its own row)', async () => {
    const routes = declaredRoutes(f.app)
      .filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method))
      .map((r) => `${r.method} ${r.path}`);
    const loginUser = await createUser(f.db, { role: 'duty' });
    const ids: Record<string, string | number> = {};
    let fresh: SignedIn | null = null;
    const [a1, a2, a3] = [await makeAlert(f, '永济水价上涨', new Date(NOW.getTime() - 3 * 3600_000)), await makeAlert(f, '永济水价再涨', NOW), await makeAlert(f, '误报', NOW)];
    const notice = await f.db.insertInto('notifications').values({ user_id: f.admin.id, kind: 'test', title: '测试通知' }).returning('id').executeTakeFirstOrThrow();
    const c = () => `/api/cases/${ids.case}`;
    const steps: Step[] = [
      { route: 'POST /api/auth/login', as: null, path: '/api/auth/login', body: { username: loginUser.username, password: TEST_PASSWORD }, then: (b, res) => {
        const token = /od_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')![1]!;
        fresh = { cookie: `od_session=${token}`, csrfToken: b.csrfToken, headers: (extra = {}) => ({ cookie: `od_session=${token}`, 'x-csrf-token': b.csrfToken, ...extra }) };
      } },
      { route: 'POST /api/auth/password', as: null, path: '/api/auth/password', body: { currentPassword: TEST_PASSWORD, newPassword: 'Audit-pass-2026' } },
      { route: 'POST /api/auth/logout', as: null, path: '/api/auth/logout' },
      { route: 'POST /api/departments', as: 'admin', path: '/api/departments', body: { name: '审计测试部门' }, then: (b) => (ids.dept = b.id) },
      { route: 'PATCH /api/departments/:id', as: 'admin', path: () => `/api/departments/${ids.dept}`, body: { name: '审计测试部门（改）' } },
      { route: 'POST /api/users', as: 'admin', path: '/api/users', body: { username: 'audit_new_user', displayName: '审计用户', role: 'duty', password: 'Audit-user-2026' }, then: (b) => (ids.user = b.id) },
      { route: 'PATCH /api/users/:id', as: 'admin', path: () => `/api/users/${ids.user}`, body: { displayName: '审计用户（改）' } },
      { route: 'POST /api/allowlist', as: 'admin', path: '/api/allowlist', body: { hostPort: '127.0.0.1:39999', note: '审计测试' }, then: (b) => (ids.allow = b.id) },
      { route: 'PUT /api/rsshub/settings', as: 'admin', path: '/api/rsshub/settings', body: { baseUrl: 'https://rsshub.example.cn' } },
      { route: 'POST /api/sources', as: 'admin', path: '/api/sources', body: { name: '审计测试源', url: 'https://news.example.cn/audit.xml', kind: 'feed' }, then: (b) => (ids.source = b.id) },
      // Refused by the fetch policy before any connection (a loopback port not allow-listed): 200 with status ssrf_refused.
      { route: 'POST /api/sources/preview', as: 'admin', path: '/api/sources/preview', body: { url: 'http://127.0.0.1:39998/feed.xml', kind: 'feed' } },
      { route: 'POST /api/sources', as: 'admin', path: '/api/sources', body: { name: '审计新闻搜索', url: 'https://news.example.cn/search?q={query}&format=rss', kind: 'search', search: { queries: ['清河 拆迁', '清河 停水'], format: 'rss' } } },
      { route: 'PATCH /api/sources/:id', as: 'admin', path: () => `/api/sources/${ids.source}`, body: { name: '审计测试源（改）' } },
      { route: 'POST /api/sources/:id/fetch-now', as: 'admin', path: () => `/api/sources/${ids.source}/fetch-now` },
      { route: 'DELETE /api/sources/:id', as: 'admin', path: () => `/api/sources/${ids.source}` },
      { route: 'DELETE /api/allowlist/:id', as: 'admin', path: () => `/api/allowlist/${ids.allow}` },
      { route: 'POST /api/api-tokens', as: 'admin', path: '/api/api-tokens', body: { name: '审计令牌' }, then: (b) => ((ids.apiToken = b.id), (ids.apiTokenSecret = b.token)) },
      // Token auth, no session: the intake batch's row names the token.
      { route: 'POST /api/intake/items', as: { cookie: '', csrfToken: '', headers: (extra = {}) => ({ authorization: `Bearer ${ids.apiTokenSecret}`, ...extra }) }, path: '/api/intake/items', body: { items: [{ title: '审计推送条目', externalId: 'AUDIT-1', sourceName: '审计推送' }] } },
      { route: 'POST /api/api-tokens/:id/revoke', as: 'admin', path: () => `/api/api-tokens/${ids.apiToken}/revoke` },
      // 管理 → 导入: a 12345 export (base64 CSV) previewed, then imported as a case and as an item for triage.
      { route: 'POST /api/imports/preview', as: 'duty', path: '/api/imports/preview', body: { fileName: 'a.csv', origin: 'hotline', contentBase64: Buffer.from('工单编号,受理时间,诉求内容\nAUD-1,2026/11/25 9:00,审计导入工单\n').toString('base64') } },
      ...(['case', 'item'] as const).map((mode, i) => ({
        route: 'POST /api/imports',
        as: 'duty' as const,
        path: '/api/imports',
        body: () => ({
          fileName: 'a.csv',
          origin: 'hotline',
          mode,
          departmentId: lead,
          mapping: { ticketNo: 0, receivedAt: 1, content: 2, title: -1, requester: -1, department: -1, deadline: -1, requestType: -1 },
          contentBase64: Buffer.from(`工单编号,受理时间,诉求内容\nAUD-${i + 2},2026/11/25 9:00,审计导入工单\n`).toString('base64'),
        }),
      })),
      { route: 'POST /api/rules', as: 'admin', path: '/api/rules', body: { name: '审计方案', expression: '水费+上涨' }, then: (b) => (ids.rule = b.id) },
      { route: 'POST /api/rules/test', as: 'admin', path: '/api/rules/test', body: { expression: '水费' } },
      { route: 'PATCH /api/rules/:id', as: 'admin', path: () => `/api/rules/${ids.rule}`, body: { enabled: false } },
      { route: 'DELETE /api/rules/:id', as: 'admin', path: () => `/api/rules/${ids.rule}` },
      { route: 'POST /api/alerts/:id/dismiss', as: 'duty', path: `/api/alerts/${a3.alertId}/dismiss`, body: { reason: 'false_positive' } },
      { route: 'POST /api/alerts/:id/restore', as: 'duty', path: `/api/alerts/${a3.alertId}/restore` },
      { route: 'POST /api/alerts/dismiss', as: 'duty', path: '/api/alerts/dismiss', body: { ids: [a3.alertId], reason: 'irrelevant', note: '批量' } },
      { route: 'POST /api/cases', as: 'duty', path: '/api/cases', body: { alertIds: [a1.alertId], level: 'major', category: 'difficulty', leadDepartmentId: lead, coDepartmentIds: [co] }, then: (b) => (ids.case = b.id) },
      { route: 'POST /api/alerts/:id/attach', as: 'duty', path: `/api/alerts/${a2.alertId}/attach`, body: () => ({ caseId: ids.case }) },
      { route: 'PATCH /api/cases/:id', as: 'duty', path: c, body: { title: '新标题' } },
      // A forwarded opinion (网信办转办): its 核实 and a reply to the forwarding office.
      {
        route: 'POST /api/cases',
        as: 'duty',
        path: '/api/cases',
        body: { manual: { origin: 'cyberspace_office', originNote: '市委网信办', title: '网信办转办：水价', receivedAt: '2026-11-25T07:00:00Z' }, level: 'general', category: 'difficulty', leadDepartmentId: lead },
        then: (b) => (ids.fwd = b.id),
      },
      { route: 'POST /api/cases/:id/verification', as: 'handler', path: () => `/api/cases/${ids.fwd}/verification`, body: { result: 'partly_true', note: '部分属实' } },
      { route: 'POST /api/cases/:id/forward-replies', as: 'handler', path: () => `/api/cases/${ids.fwd}/forward-replies`, body: { content: '已向网信办反馈办理情况' } },
      // A 12345 hotline case: its 诉求类型 changed by duty, its reply published, then its 回访.
      {
        route: 'POST /api/cases',
        as: 'duty',
        path: '/api/cases',
        body: { manual: { origin: 'hotline', originNote: '12345热线', title: '热线：路灯不亮', receivedAt: '2026-11-25T07:00:00Z', requestType: 'consultation' }, level: 'general', category: 'difficulty', leadDepartmentId: lead },
        then: (b) => (ids.hot = b.id),
      },
      { route: 'PATCH /api/cases/:id', as: 'duty', path: () => `/api/cases/${ids.hot}`, body: { requestType: 'help', reason: '来电人补充说明为求助' } },
      { route: 'POST /api/cases/:id/responses', as: 'handler', path: () => `/api/cases/${ids.hot}/responses`, body: { body: '已修复路灯' }, then: (b) => (ids.hotResp = b.id) },
      { route: 'POST /api/cases/:id/responses/:rid/submit', as: 'handler', path: () => `/api/cases/${ids.hot}/responses/${ids.hotResp}/submit`, body: { secrecyConfirmed: true } },
      { route: 'POST /api/cases/:id/responses/:rid/approve', as: 'reviewer', path: () => `/api/cases/${ids.hot}/responses/${ids.hotResp}/approve` },
      { route: 'POST /api/cases/:id/responses/:rid/publish', as: 'handler', path: () => `/api/cases/${ids.hot}/responses/${ids.hotResp}/publish`, body: { channel: 'reply' } },
      { route: 'POST /api/cases/:id/callbacks', as: 'handler', path: () => `/api/cases/${ids.hot}/callbacks`, body: { callee: '张先生', result: 'satisfied' } },
      { route: 'POST /api/cases/:id/decline', as: 'handler', path: () => `${c()}/decline`, body: { reason: '不属于本单位职责' } },
      { route: 'POST /api/cases/:id/decline/overrule', as: 'duty', path: () => `${c()}/decline/overrule`, body: { reason: '请继续办理' } },
      { route: 'POST /api/cases/:id/responses', as: 'handler', path: () => `${c()}/responses`, body: { body: '草稿' }, then: (b) => (ids.resp = b.id) },
      { route: 'PATCH /api/cases/:id/responses/:rid', as: 'handler', path: () => `${c()}/responses/${ids.resp}`, body: { body: '改稿' } },
      { route: 'POST /api/cases/:id/responses/:rid/submit', as: 'handler', path: () => `${c()}/responses/${ids.resp}/submit`, body: { secrecyConfirmed: true } },
      // 会签 of a 重大 case with a co-department: its handler confirms before the reviewer's step.
      { route: 'POST /api/cases/:id/responses/:rid/countersign', as: 'coHandler', path: () => `${c()}/responses/${ids.resp}/countersign`, body: { decision: 'confirm' } },
      { route: 'POST /api/cases/:id/responses/:rid/return', as: 'reviewer', path: () => `${c()}/responses/${ids.resp}/return`, body: { comment: '补充' } },
      { route: 'POST /api/cases/:id/responses/:rid/submit', as: 'handler', path: () => `${c()}/responses/${ids.resp}/submit`, body: { secrecyConfirmed: true } },
      { route: 'POST /api/cases/:id/responses/:rid/countersign', as: 'coHandler', path: () => `${c()}/responses/${ids.resp}/countersign`, body: { decision: 'return', comment: '数据需与我局一致' } },
      { route: 'POST /api/cases/:id/responses/:rid/submit', as: 'handler', path: () => `${c()}/responses/${ids.resp}/submit`, body: { secrecyConfirmed: true } },
      { route: 'POST /api/cases/:id/responses/:rid/countersign', as: 'coHandler', path: () => `${c()}/responses/${ids.resp}/countersign`, body: { decision: 'confirm' } },
      { route: 'POST /api/cases/:id/responses/:rid/approve', as: 'reviewer', path: () => `${c()}/responses/${ids.resp}/approve` },
      // 审批链 of a 重大 case: the leader in charge, then the principal leader.
      { route: 'POST /api/cases/:id/responses/:rid/approve', as: 'leaderInCharge', path: () => `${c()}/responses/${ids.resp}/approve` },
      { route: 'POST /api/cases/:id/responses/:rid/approve', as: 'leader', path: () => `${c()}/responses/${ids.resp}/approve` },
      { route: 'POST /api/cases/:id/responses/:rid/publish', as: 'handler', path: () => `${c()}/responses/${ids.resp}/publish`, body: { channel: 'website' } },
      { route: 'POST /api/cases/:id/reports-up', as: 'duty', path: () => `${c()}/reports-up`, body: { recipient: '县委办', content: '报告' } },
      { route: 'POST /api/cases/:id/briefs', as: 'duty', path: () => `${c()}/briefs`, body: { recipient: '县委办' } },
      { route: 'POST /api/cases/:id/referrals', as: 'duty', path: () => `${c()}/referrals`, body: { target: 'cyberspace', recipient: '网信办', content: '移交' } },
      { route: 'POST /api/cases/:id/coordinations', as: 'handler', path: () => `${c()}/coordinations`, body: { content: '请配合' } },
      { route: 'POST /api/cases/:id/instructions', as: 'leader', path: () => `${c()}/instructions`, body: { content: '请核实并报告', reportWithinHours: 4 }, then: (b) => (ids.instruction = b.id) },
      { route: 'POST /api/cases/:id/instructions/:iid/report', as: 'handler', path: () => `${c()}/instructions/${ids.instruction}/report`, body: { content: '已核实办理' } },
      { route: 'POST /api/cases/:id/feedback', as: 'coHandler', path: () => `${c()}/feedback`, body: { kind: 'reaction', body: '反应平稳' } },
      { route: 'POST /api/cases/:id/close', as: 'handler', path: () => `${c()}/close`, body: { effectRating: 'good', conclusion: '办结' } },
      { route: 'POST /api/cases/:id/reopen', as: 'duty', path: () => `${c()}/reopen`, body: { reason: '新情况' } },
      { route: 'POST /api/reports/weekly', as: 'reviewer', path: '/api/reports/weekly', body: { week: '2026-W47' }, then: (b) => (ids.report = b.id) },
      { route: 'PATCH /api/reports/:id', as: 'reviewer', path: () => `/api/reports/${ids.report}`, body: { notable: '主动回应，效果良好。' } },
      { route: 'POST /api/reports/:id/issue', as: 'leader', path: () => `/api/reports/${ids.report}/issue` },
      { route: 'POST /api/reports/monthly', as: 'reviewer', path: '/api/reports/monthly', body: { month: '2026-10' } },
      { route: 'POST /api/reports/quarterly', as: 'reviewer', path: '/api/reports/quarterly', body: { quarter: '2026-Q3' } },
      {
        route: 'PUT /api/office-profile',
        as: 'admin',
        path: '/api/office-profile',
        body: {
          organ: '清河市人民政府办公室',
          mark: '清河市政务舆情通报',
          serialFormats: { weekly: '〔{年}〕第{号}期', monthly: '〔{年}〕第{号}期', quarterly: '〔{年}〕第{号}期', range: '〔{年}〕第{号}期' },
          recipients: '市直各部门：',
          copyTo: '市委办公室。',
          printingOrgan: '清河市人民政府办公室',
          signature: '清河市人民政府办公室',
          disclosure: 'on_request',
          rectificationTo: '市政府办公室',
        },
      },
      { route: 'PUT /api/area', as: 'admin', path: '/api/area', body: { countyCode: null, areaName: '清河市', extras: [{ name: '城关镇', townCode: null, aliasOf: null }] } },
      // 地域 set by hand on the (reopened) case, from the area just saved.
      { route: 'PUT /api/cases/:id/places', as: 'handler', path: () => `${c()}/places`, body: { town: 'x-城关镇' } },
      { route: 'PUT /api/policies', as: 'admin', path: '/api/policies', body: { rules: DEFAULT_POLICY } },
      { route: 'PUT /api/policies/origin-windows', as: 'admin', path: '/api/policies/origin-windows', body: { windows: [{ origin: 'hotline', enabled: true, defaultDays: 7, byRequestType: { consultation: 3 } }] } },
      { route: 'POST /api/periods', as: 'admin', path: '/api/periods', body: { name: '重点时段', startsAt: '2026-12-01T00:00:00Z', endsAt: '2026-12-10T00:00:00Z', factor: 0.5 }, then: (b) => (ids.period = b.id) },
      { route: 'PATCH /api/periods/:id', as: 'admin', path: () => `/api/periods/${ids.period}`, body: { name: '两会', startsAt: '2026-12-01T00:00:00Z', endsAt: '2026-12-10T00:00:00Z', factor: 0.25 } },
      { route: 'DELETE /api/periods/:id', as: 'admin', path: () => `/api/periods/${ids.period}` },
      { route: 'PUT /api/calendar/:day', as: 'admin', path: '/api/calendar/2026-10-08', body: { isWorkday: false, note: '本地调休' } },
      { route: 'DELETE /api/calendar/:day', as: 'admin', path: '/api/calendar/2026-10-08' },
      { route: 'POST /api/notifications/:id/read', as: 'admin', path: `/api/notifications/${notice.id}/read` },
      { route: 'POST /api/notifications/read-all', as: 'admin', path: '/api/notifications/read-all' },
      { route: 'POST /api/notification-channels', as: 'admin', path: '/api/notification-channels', body: { kind: 'email', name: '审计邮件渠道', config: {} }, then: (b) => (ids.channel = b.id) },
      { route: 'PATCH /api/notification-channels/:id', as: 'admin', path: () => `/api/notification-channels/${ids.channel}`, body: { name: '审计邮件渠道（改）' } },
      { route: 'POST /api/notification-channels/:id/test', as: 'admin', path: () => `/api/notification-channels/${ids.channel}/test` },
      { route: 'DELETE /api/notification-channels/:id', as: 'admin', path: () => `/api/notification-channels/${ids.channel}` },
      { route: 'DELETE /api/departments/:id', as: 'admin', path: () => `/api/departments/${ids.dept}` },
      { route: 'POST /api/roster/shifts', as: 'admin', path: '/api/roster/shifts', body: { name: '中班', start: '12:00', end: '20:00' }, then: (b) => (ids.shift = b.id) },
      { route: 'PATCH /api/roster/shifts/:id', as: 'admin', path: () => `/api/roster/shifts/${ids.shift}`, body: { name: '中班', start: '12:00', end: '21:00' } },
      { route: 'POST /api/roster/fill', as: 'admin', path: '/api/roster/fill', body: () => ({ month: '2026-12', slots: [{ weekday: 1, shiftId: ids.shift, primaryUserId: who.duty.user.id }] }) },
      // NOW is Wednesday 16:00 Beijing: the duty officer is on the 中班 of 11-25, the admin on the next one.
      { route: 'POST /api/roster/swap', as: 'admin', path: '/api/roster/swap', body: () => ({ day: '2026-11-25', shiftId: ids.shift, primaryUserId: who.duty.user.id }) },
      { route: 'POST /api/roster/swap', as: 'admin', path: '/api/roster/swap', body: () => ({ day: '2026-11-26', shiftId: ids.shift, primaryUserId: who.admin.user.id }) },
      { route: 'POST /api/handovers', as: 'duty', path: '/api/handovers', body: { notes: '交班' }, then: (b) => (ids.handover = b.id) },
      { route: 'POST /api/handovers/:id/accept', as: 'admin', path: () => `/api/handovers/${ids.handover}/accept`, body: { note: '接班' } },
      { route: 'DELETE /api/roster/shifts/:id', as: 'admin', path: () => `/api/roster/shifts/${ids.shift}` },
      { route: 'PUT /api/push-policy', as: 'admin', path: '/api/push-policy', body: { mode: 'filter', negative: true } },
    ];

    // A sign-in reserves its attempt (the per-address and per-account counters) in a statement of
    // its own before the password is checked — concurrent guesses must see it (SECURITY.md, sign-in
    // limits). So an attempt whose audit row cannot be written still counts against the limits: the
    // safe direction. Its session, and anything else, is rolled back with the audit row.
    // The intake API counts a token's requests (its rate limit) and sets its last use the same way.
    const ATTEMPT_COUNTERS: Record<string, string[]> = { 'POST /api/auth/login': ['login_throttle', 'users'], 'POST /api/intake/items': ['api_tokens'] };
    const violations: string[] = [];
    const covered = new Set<string>();
    /** Routes whose row came from the backstop (auditTrail), and routes whose row is the service's own. */
    const byBackstop = new Set<string>();
    const ownRow = new Set<string>();
    /** Routes whose change did not persist while their audit row could not be written. */
    const atomic = new Set<string>();
    /** Routes that answered 2xx, or changed a table, with their audit insert failing: what happened. */
    const notAtomic = new Map<string, string>();
    for (const step of steps) {
      const session = step.as === null ? (step.route === 'POST /api/auth/login' ? null : fresh) : typeof step.as === 'string' ? who[step.as].s : step.as;
      const path = typeof step.path === 'function' ? step.path() : step.path;
      const body = typeof step.body === 'function' ? (step.body as () => unknown)() : step.body;
      const method = step.route.split(' ')[0]!;

      // 1. The audit insert fails: the request must fail and leave every table as it was. A change
      //    committed on its own (with its row left to the backstop, or written outside the
      //    transaction) shows up here as a changed table.
      const stateBefore = await snapshot(f.db);
      const seqBefore = await maxSeq(f.db);
      const allowAudit = await refuseAuditInserts(f.db);
      let refusedStatus: number;
      try {
        const refused = await f.requestAs(session, method, path, body, { 'x-forwarded-for': '198.51.100.7' });
        refusedStatus = refused.status;
        await refused.text();
      } finally {
        await allowAudit();
      }
      const changed = changedTables(stateBefore, await snapshot(f.db)).filter((t) => !ATTEMPT_COUNTERS[step.route]?.includes(t));
      if (refusedStatus < 500 || changed.length > 0 || (await maxSeq(f.db)) !== seqBefore) {
        notAtomic.set(step.route, `answered ${refusedStatus}, changed ${changed.join(', ') || 'no table'}`);
      } else {
        atomic.add(step.route);
      }

      // 2. Normally: success, and a row of the service's own (named after the change, not the route).
      const before = await maxSeq(f.db);
      const res = await f.requestAs(session, method, path, body, { 'x-forwarded-for': '198.51.100.7' });
      const text = await res.text();
      if (res.status >= 300) {
        violations.push(`${step.route}: ${res.status} ${text.slice(0, 200)}`);
        continue;
      }
      step.then?.(text ? JSON.parse(text) : null, res);
      if (step.route === 'POST /api/auth/password') {
        // The session rotates: continue (logout) with the fresh cookie the answer set.
        const token = /od_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')![1]!;
        const csrf = (JSON.parse(text) as { csrfToken: string }).csrfToken;
        fresh = { cookie: `od_session=${token}`, csrfToken: csrf, headers: (extra = {}) => ({ cookie: `od_session=${token}`, 'x-csrf-token': csrf, ...extra }) };
      }
      const rows = await f.db
        .selectFrom('audit_log')
        .select(['action', 'actor_id', 'ip'])
        .where(sql<boolean>`chain_seq > ${before}`)
        .execute();
      if (rows.length === 0) {
        violations.push(`${step.route}: no audit row`);
        continue;
      }
      const actorId = step.as === null ? loginUser.id : typeof step.as === 'string' ? who[step.as].user.id : null;
      if (actorId !== null && !rows.some((r) => r.actor_id === actorId)) violations.push(`${step.route}: audit row not attributed to the caller`);
      if (!rows.some((r) => r.ip === '198.51.100.7')) violations.push(`${step.route}: audit row without the client address`);
      // The backstop (auditTrail) names its rows `${METHOD} ${pattern}`, after the route; the
      // services name theirs after the change. No existing route may rely on the backstop.
      if (rows.some((r) => r.action === step.route)) byBackstop.add(step.route);
      else ownRow.add(step.route);
      covered.add(step.route);
    }
    const missing = routes.filter((r) => !covered.has(r) && !(r in EXCLUDED));
    // A route called twice (submit) counts once, and only if every call passed.
    const ownTransaction = routes.filter((r) => covered.has(r) && ownRow.has(r) && !byBackstop.has(r) && atomic.has(r) && !notAtomic.has(r));
    recordFigure({
      area: 'security',
      name: 'audit coverage: state-changing routes without an audit row',
      value: violations.length + missing.length,
      unit: 'routes',
      goal: '0',
      met: violations.length + missing.length === 0,
      detail: { routesChecked: covered.size, routesInTable: routes.length, excluded: EXCLUDED, violations, missing, coveredByBackstop: [...byBackstop] },
    });
    recordFigure({
      area: 'security',
      name: 'state-changing routes audited in their own transaction',
      value: ownTransaction.length,
      unit: `of ${routes.length}`,
      goal: `${routes.length}/${routes.length}`,
      met: ownTransaction.length === routes.length,
      detail: {
        routesInTable: routes.length,
        check: 'own audit row (not the backstop); with audit inserts failing: 5xx, no table changed, no row',
        notAtomic: Object.fromEntries(notAtomic),
        coveredByBackstop: [...byBackstop],
        missing,
      },
    });
    expect(violations).toEqual([]);
    expect(missing).toEqual([]);
    expect([...byBackstop]).toEqual([]);
    expect(Object.fromEntries(notAtomic)).toEqual({});
    expect(ownTransaction.length).toBe(routes.length - Object.keys(EXCLUDED).length);
    expect(covered.size).toBe(routes.length - Object.keys(EXCLUDED).length);
    expect(routes.length).toBeGreaterThanOrEqual(50);
  }, 180_000);

  it('records failed sign-ins and lockouts (auth.login_failed, auth.lockout)', async () => {
    const u = await createUser(f.db, { role: 'duty' });
    for (let i = 0; i < 5; i++) {
      const res = await f.requestAs(null, 'POST', '/api/auth/login', { username: u.username, password: 'Wrong-pass-1' }, { 'x-forwarded-for': `203.0.113.${i + 1}` });
      expect(res.status).toBe(401);
    }
    const rows = await f.db.selectFrom('audit_log').select(['action', 'actor_id']).where('entity', '=', 'user').where('entity_id', '=', String(u.id)).orderBy('chain_seq').execute();
    expect(rows.map((r) => r.action)).toEqual(['auth.login_failed', 'auth.login_failed', 'auth.login_failed', 'auth.login_failed', 'auth.lockout']);
  });
});

describe('sources, rules, allow-list, notification channels: the change and its audit row commit or roll back together', () => {
  type Mode = 'audit insert refused' | 'commit refused after the audit insert';
  interface Op {
    /** The service's action name, found on the row when the same request goes through normally. */
    action: string;
    /** Makes what the request acts on (before any refusal is set up); returns its id. */
    setup?: () => Promise<number>;
    request: (id: number) => { method: string; path: string; body?: unknown };
  }
  let n = 0;
  const uniq = () => `${process.pid}-${++n}`;
  const created = async (path: string, body: unknown): Promise<number> => {
    const res = await f.request('POST', path, body);
    expect(res.status).toBe(201);
    return ((await res.json()) as { id: number }).id;
  };
  const newSource = () => created('/api/sources', { name: `回滚测试源${uniq()}`, url: `https://news.example.cn/rollback-${uniq()}.xml`, kind: 'feed' });
  const newRule = () => created('/api/rules', { name: `回滚方案${uniq()}`, expression: '水费+上涨' });
  const newEntry = () => created('/api/allowlist', { hostPort: `127.0.0.1:${20000 + n++}`, note: '回滚测试' });
  const newChannel = () => created('/api/notification-channels', { kind: 'webhook', name: `回滚渠道${uniq()}`, config: { url: `https://hooks.example.cn/send?key=${uniq()}` } });
  const areas: { area: string; table: string; ops: Op[] }[] = [
    {
      area: 'sources',
      table: 'sources',
      ops: [
        { action: 'source.create', request: () => ({ method: 'POST', path: '/api/sources', body: { name: `回滚测试源${uniq()}`, url: `https://news.example.cn/rollback-${uniq()}.xml`, kind: 'feed' } }) },
        { action: 'source.update', setup: newSource, request: (id) => ({ method: 'PATCH', path: `/api/sources/${id}`, body: { name: `改名${uniq()}`, enabled: false } }) },
        { action: 'source.fetch_now', setup: newSource, request: (id) => ({ method: 'POST', path: `/api/sources/${id}/fetch-now` }) },
        { action: 'source.delete', setup: newSource, request: (id) => ({ method: 'DELETE', path: `/api/sources/${id}` }) },
      ],
    },
    {
      area: 'rules',
      table: 'rules',
      ops: [
        { action: 'rule.create', request: () => ({ method: 'POST', path: '/api/rules', body: { name: `回滚方案${uniq()}`, expression: '(永济|蒲州)+拆迁' } }) },
        { action: 'rule.update', setup: newRule, request: (id) => ({ method: 'PATCH', path: `/api/rules/${id}`, body: { expression: '水价+上涨', enabled: false } }) },
        { action: 'rule.delete', setup: newRule, request: (id) => ({ method: 'DELETE', path: `/api/rules/${id}` }) },
      ],
    },
    {
      area: 'allowlist',
      table: 'fetch_allowlist',
      ops: [
        { action: 'allowlist.create', request: () => ({ method: 'POST', path: '/api/allowlist', body: { hostPort: `127.0.0.1:${20000 + n++}`, note: '回滚测试' } }) },
        { action: 'allowlist.delete', setup: newEntry, request: (id) => ({ method: 'DELETE', path: `/api/allowlist/${id}` }) },
      ],
    },
    {
      area: 'channels',
      table: 'notification_channels',
      ops: [
        { action: 'channel.create', request: () => ({ method: 'POST', path: '/api/notification-channels', body: { kind: 'email', name: `回滚邮件渠道${uniq()}`, config: {} } }) },
        { action: 'channel.update', setup: newChannel, request: (id) => ({ method: 'PATCH', path: `/api/notification-channels/${id}`, body: { name: `改名${uniq()}`, enabled: false } }) },
        { action: 'channel.delete', setup: newChannel, request: (id) => ({ method: 'DELETE', path: `/api/notification-channels/${id}` }) },
      ],
    },
  ];
  const results: { area: string; action: string; mode: Mode; ok: boolean; problem?: string }[] = [];

  afterAll(() => {
    const ok = results.filter((r) => r.ok).length;
    recordFigure({
      area: 'security',
      name: 'admin changes rolled back together with their audit row (sources, rules, allow-list, channels)',
      value: ok,
      unit: `of ${results.length}`,
      goal: `${results.length}/${results.length}`,
      met: results.length > 0 && ok === results.length,
      detail: { cases: results },
    });
  });

  for (const { area, table, ops } of areas) {
    it(`${area}: with the audit insert refused, or the commit refused after it, neither the change nor the row persists`, async () => {
      for (const op of ops) {
        for (const mode of ['audit insert refused', 'commit refused after the audit insert'] as const) {
          const id = op.setup ? await op.setup() : 0;
          // A fresh request each time (names, addresses): the normal run below must not collide.
          const req = op.request(id);
          const state = await snapshot(f.db);
          const seq = await maxSeq(f.db);
          const idSeq = await auditIdSeq(f.db);
          const release = mode === 'audit insert refused' ? await refuseAuditInserts(f.db) : await refuseCommitsOn(f.db, table);
          let status: number;
          try {
            const res = await f.request(req.method, req.path, req.body);
            status = res.status;
            await res.text();
          } finally {
            await release();
          }
          const changed = changedTables(state, await snapshot(f.db));
          const problems = [
            status >= 500 ? null : `answered ${status}`,
            changed.length === 0 ? null : `changed ${changed.join(', ')}`,
            (await maxSeq(f.db)) === seq ? null : 'an audit row persisted',
            // The id sequence is not transactional: it moved only if the service did insert its
            // audit row inside the transaction that the refused commit then rolled back.
            mode === 'commit refused after the audit insert' && (await auditIdSeq(f.db)) === idSeq ? 'no audit row was inserted before the commit' : null,
          ].filter((p): p is string => p !== null);
          // The same request, with nothing refused, goes through and leaves the service's row.
          const before = await maxSeq(f.db);
          const again = await f.request(req.method, req.path, req.body);
          if (again.status >= 300) problems.push(`then failed normally: ${again.status} ${(await again.text()).slice(0, 200)}`);
          const rows = await f.db.selectFrom('audit_log').select('action').where(sql<boolean>`chain_seq > ${before}`).execute();
          if (!rows.some((r) => r.action === op.action)) problems.push(`then no ${op.action} row (${rows.map((r) => r.action).join(', ') || 'none'})`);
          results.push({ area, action: op.action, mode, ok: problems.length === 0, ...(problems.length > 0 ? { problem: problems.join('; ') } : {}) });
          expect(problems, `${op.action}, ${mode}`).toEqual([]);
        }
      }
      expect((await verifyAuditChain(f.db)).ok).toBe(true);
    });
  }
});

describe('audit rows keep no secrets', () => {
  it('a webhook key, an SMTP password and a user password never reach the audit log', async () => {
    const before = await maxSeq(f.db);
    const wecomKey = 'wecom-robot-key-0123456789abcdef';
    const smtpPassword = 'smtp-Secret-pass-2026';
    const ch = await f.request('POST', '/api/notification-channels', {
      kind: 'webhook',
      name: '企业微信机器人',
      config: { url: `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${wecomKey}`, format: 'wecom' },
    });
    expect(ch.status).toBe(201);
    const chId = ((await ch.json()) as { id: number }).id;
    expect((await f.request('PATCH', `/api/notification-channels/${chId}`, { config: { url: 'https://hooks.example.cn/services/T000/B000/abcdefghijklmnopqrstuvwx', format: 'json' } })).status).toBe(200);
    expect((await f.request('DELETE', `/api/notification-channels/${chId}`)).status).toBe(200);
    // A closed local port (allow-listed, as a loopback mail server must be): the test send fails
    // at once, without leaving the machine.
    await f.db.insertInto('fetch_allowlist').values({ host_port: '127.0.0.1:9' }).onConflict((oc) => oc.doNothing()).execute();
    const mail = await f.request('POST', '/api/notification-channels', { kind: 'email', name: '邮件', config: { smtpUrl: `smtp://mailer:${smtpPassword}@127.0.0.1:9` } });
    expect(mail.status).toBe(201);
    const mailId = ((await mail.json()) as { id: number }).id;
    expect((await f.request('POST', `/api/notification-channels/${mailId}/test`, { to: 'duty@example.cn' })).status).toBe(200);
    const smsKey = 'sms-gateway-Bearer-key-7f3a9c';
    const sms = await f.request('POST', '/api/notification-channels', {
      kind: 'sms',
      name: '短信网关',
      config: { url: 'https://sms.example.cn/send', headers: { Authorization: `Bearer ${smsKey}`, 'X-Api-Key': smsKey } },
    });
    expect(sms.status).toBe(201);
    const userPassword = 'Audit-secret-user-2026';
    const u = await f.request('POST', '/api/users', { username: 'audit_secret_user', displayName: '保密测试', role: 'duty', password: userPassword });
    expect(u.status).toBe(201);
    const uid = ((await u.json()) as { id: number }).id;
    expect((await f.request('PATCH', `/api/users/${uid}`, { password: `${userPassword}-2` })).status).toBe(200);

    const rows = await sql<{ action: string; text: string }>`
      select action, coalesce(before::text, '') || ' ' || coalesce(after::text, '') as text from audit_log where chain_seq > ${before} order by chain_seq`.execute(f.db);
    expect(rows.rows.map((r) => r.action)).toEqual(['channel.create', 'channel.update', 'channel.delete', 'channel.create', 'channel.test', 'channel.create', 'create', 'update.password_reset']);
    const all = rows.rows.map((r) => r.text).join('\n');
    for (const secret of [wecomKey, smtpPassword, 'abcdefghijklmnopqrstuvwx', smsKey, userPassword, '$argon2']) expect(all).not.toContain(secret);
    // What stays readable: where the webhook points, and that its key changed (fingerprint).
    expect(all).toContain('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***');
    expect(all).toContain('smtp://mailer:***@127.0.0.1:9');
    expect(all).toContain('urlFingerprint');
    // The SMS gateway's headers by name, their values only as a fingerprint.
    expect(all).toContain('"X-Api-Key": "***"');
    expect(all).toContain('headersFingerprint');
  });
});

describe('append-only, and the hash chain', () => {
  it('refuses UPDATE, DELETE and TRUNCATE (trigger), even with the purge flag set by hand for a row above the anchor', async () => {
    await writeAudit(f.db, { actor: null, entity: 'test', entityId: 1, action: 'test.row' });
    await expect(sql`update audit_log set action = 'x' where chain_seq = (select max(chain_seq) from audit_log)`.execute(f.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log where chain_seq = (select max(chain_seq) from audit_log)`.execute(f.db)).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_log`.execute(f.db)).rejects.toThrow(/append-only/);
    await expect(
      f.db.transaction().execute(async (trx) => {
        await sql`select set_config('audit_log.purging', 'on', true)`.execute(trx);
        await sql`delete from audit_log where chain_seq = (select max(chain_seq) from audit_log)`.execute(trx);
      }),
    ).rejects.toThrow(/append-only/);
    expect((await verifyAuditChain(f.db)).ok).toBe(true);
  });

  it('verifies the chain, names a tampered row (trigger disabled, as a superuser could), and GET /api/audit/verify tells admins', async () => {
    const clean = await verifyAuditChain(f.db);
    const count = Number((await sql<{ n: string }>`select count(*)::text as n from audit_log`.execute(f.db)).rows[0]!.n);
    expect(clean).toEqual({ ok: true, rows: count });
    expect(count).toBeGreaterThan(50);
    const apiOk = await (await f.request('GET', '/api/audit/verify')).json();
    expect(apiOk).toMatchObject({ ok: true, rows: count, firstBadId: null });
    expect(apiOk.messageZh).toContain('审计日志完整');
    expect((await f.requestAs(who.duty.s, 'GET', '/api/audit/verify')).status).toBe(403);
    expect((await f.requestAs(who.leader.s, 'GET', '/api/audit/verify')).status).toBe(403);

    // A row in the middle of the chain: change its content behind the trigger's back.
    const victim = (await sql<{ id: string; after: unknown }>`select id::text, after from audit_log order by chain_seq offset ${Math.floor(count / 2)} limit 1`.execute(f.db)).rows[0]!;
    const tamper = async (after: string | null) =>
      f.db.transaction().execute(async (trx) => {
        await sql`alter table audit_log disable trigger audit_log_no_update`.execute(trx);
        await sql`update audit_log set after = ${after}::jsonb where id = ${victim.id}::bigint`.execute(trx);
        await sql`alter table audit_log enable trigger audit_log_no_update`.execute(trx);
      });
    await tamper(JSON.stringify({ forged: true }));
    const bad = await verifyAuditChain(f.db);
    expect(bad).toMatchObject({ ok: false, rows: count, firstBadId: victim.id });
    const apiBad = await (await f.request('GET', '/api/audit/verify')).json();
    expect(apiBad).toMatchObject({ ok: false, firstBadId: victim.id });
    expect(apiBad.messageZh).toContain(`审计记录 ${victim.id} 被篡改`);
    // Put it back: the chain verifies again (verification is a pure recomputation).
    await tamper(victim.after === null ? null : JSON.stringify(victim.after));
    expect((await verifyAuditChain(f.db)).ok).toBe(true);

    // Removing a row: the next row in the chain is named; removing the newest: the head disagrees.
    const scratch = await createTestDb('audit_del');
    try {
      await writeAuditMany(scratch.db, Array.from({ length: 5 }, (_, i) => ({ actor: null, entity: 'test', entityId: i, action: 'test.row' })));
      const ids = (await sql<{ id: string }>`select id::text from audit_log order by chain_seq`.execute(scratch.db)).rows.map((r) => r.id);
      const drop = async (id: string) =>
        scratch.db.transaction().execute(async (trx) => {
          await sql`alter table audit_log disable trigger audit_log_no_update`.execute(trx);
          await sql`delete from audit_log where id = ${id}::bigint`.execute(trx);
          await sql`alter table audit_log enable trigger audit_log_no_update`.execute(trx);
        });
      await drop(ids[4]!);
      const tail = await verifyAuditChain(scratch.db);
      expect(tail).toMatchObject({ ok: false, rows: 4 });
      expect(tail.firstBadId).toBeUndefined();
      expect(tail.reason?.messageZh).toContain('最新的审计记录被删除');
      await drop(ids[1]!);
      expect(await verifyAuditChain(scratch.db)).toMatchObject({ ok: false, firstBadId: ids[2] });
      // A row inserted with a made-up chain position and hash (it skips the chaining trigger) is named too.
      const scratch2 = await createTestDb('audit_forge');
      try {
        await writeAudit(scratch2.db, { actor: null, entity: 'test', entityId: 1, action: 'test.row' });
        const forged = await sql<{ id: string }>`insert into audit_log (entity, entity_id, action, chain_seq, hash) values ('test', '2', 'test.forged', 1000000, repeat('a', 64)) returning id::text`.execute(scratch2.db);
        await writeAudit(scratch2.db, { actor: null, entity: 'test', entityId: 3, action: 'test.row' });
        expect(await verifyAuditChain(scratch2.db)).toMatchObject({ ok: false, firstBadId: forged.rows[0]!.id });
      } finally {
        await scratch2.drop();
      }
      const detected = bad.firstBadId === victim.id ? 1 : 0;
      recordFigure({
        area: 'security',
        name: 'audit chain: tampered row detected and named',
        value: detected,
        unit: 'of 1',
        goal: '1/1',
        met: detected === 1,
        detail: { chainRowsVerified: count, tamperedId: victim.id, namedId: bad.firstBadId, middleDeletionNamesNextRow: true, tailDeletionDetected: true },
      });
    } finally {
      await scratch.drop();
    }
    recordFigure({ area: 'security', name: 'audit chain rows verified', value: count, unit: 'rows', goal: 'all verify', met: clean.ok });
  });
});

describe('concurrent writers, retention', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestDb('audit_conc');
  });
  afterAll(async () => {
    await t.drop();
  });

  it('concurrent transactions (and a 1,000-row statement) still form one gap-free valid chain', async () => {
    const writers = variant(8, 16);
    const txPerWriter = variant(15, 60);
    const entry = (i: number): AuditEntry => ({ actor: null, entity: 'test', entityId: i, action: 'test.concurrent', after: { i } });
    const started = performance.now();
    await Promise.all([
      ...Array.from({ length: writers }, (_, w) =>
        (async () => {
          for (let k = 0; k < txPerWriter; k++) {
            await t.db.transaction().execute(async (trx) => {
              await writeAudit(trx, entry(w * 1000 + k));
              await new Promise((r) => setTimeout(r, (w + k) % 3));
              await writeAuditMany(trx, [entry(w * 1000 + k + 500), entry(w * 1000 + k + 600)]);
            });
          }
        })(),
      ),
      t.db.transaction().execute((trx) => writeAuditMany(trx, Array.from({ length: 1000 }, (_, i) => entry(900_000 + i)))),
      // A rolled-back transaction leaves no hole in the chain.
      t.db
        .transaction()
        .execute(async (trx) => {
          await writeAudit(trx, entry(-1));
          throw new Error('rollback');
        })
        .catch(() => undefined),
    ]);
    const ms = performance.now() - started;
    const expected = writers * txPerWriter * 3 + 1000;
    const r = await verifyAuditChain(t.db);
    expect(r).toEqual({ ok: true, rows: expected });
    const seq = (await sql<{ min: string; max: string; n: string }>`select min(chain_seq)::text as min, max(chain_seq)::text as max, count(distinct chain_seq)::text as n from audit_log`.execute(t.db)).rows[0]!;
    expect(seq).toEqual({ min: '1', max: String(expected), n: String(expected) });
    // The 1,000-row statement occupies one contiguous stretch of the chain (one lock for the statement).
    const big = (await sql<{ span: string }>`select (max(chain_seq) - min(chain_seq) + 1)::text as span from audit_log where action = 'test.concurrent' and entity_id::int >= 900000`.execute(t.db)).rows[0]!;
    expect(big.span).toBe('1000');
    recordFigure({ area: 'security', name: 'audit chain under concurrent writers: broken links', value: r.ok ? 0 : 1, unit: 'chains', goal: '0', met: r.ok, detail: { writers, transactions: writers * txPerWriter + 1, rows: expected, ms: Math.round(ms) } });
  }, 60_000);

  it('a 1,000-row writeAuditMany stays one statement and cheap', async () => {
    const entries = Array.from({ length: 1000 }, (_, i): AuditEntry => ({ actor: null, entity: 'case', entityId: i, caseId: i + 1, action: 'escalation.fire', after: { step: 'remind', i } }));
    const times: number[] = [];
    for (let k = 0; k < variant(3, 10); k++) {
      const s = performance.now();
      await t.db.transaction().execute((trx) => writeAuditMany(trx, entries));
      times.push(performance.now() - s);
    }
    const best = Math.min(...times);
    recordFigure({ area: 'security', name: 'writeAuditMany of 1,000 chained rows (best)', value: Math.round(best * 10) / 10, unit: 'ms', goal: '', met: null, detail: { runs: times.map((x) => Math.round(x)) } });
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
  });

  it('retention removes rows older than AUDIT_RETENTION_DAYS through the privileged path; the chain still verifies', async () => {
    // A database of its own: the chain starts with the old rows (only the chain's leading old rows go).
    const t = await createTestDb('audit_ret');
    try {
      const now = new Date();
      const old = new Date(now.getTime() - 200 * 86_400_000);
      // Rows of 200 days ago, written (as they would have been) at that time.
      await sql`insert into audit_log (at, entity, entity_id, action) select ${old}::timestamptz, 'test', g::text, 'test.old' from generate_series(1, 50) g`.execute(t.db);
      await writeAudit(t.db, { actor: null, entity: 'test', entityId: 'new', action: 'test.new' });
      const before = Number((await sql<{ n: string }>`select count(*)::text as n from audit_log`.execute(t.db)).rows[0]!.n);
      const oldBefore = Number((await sql<{ n: string }>`select count(*)::text as n from audit_log where at < ${new Date(now.getTime() - 180 * 86_400_000)}::timestamptz`.execute(t.db)).rows[0]!.n);
      expect(oldBefore).toBe(50);
      // The leading old rows go (a prefix of the chain); the purge is itself audited.
      const lastOld = Number((await sql<{ n: string }>`select max(chain_seq)::text as n from audit_log where action = 'test.old'`.execute(t.db)).rows[0]!.n);
      const r = await runAuditRetention(t.db, now, 180);
      expect(r.removed).toBe(lastOld);
      const after = Number((await sql<{ n: string }>`select count(*)::text as n from audit_log`.execute(t.db)).rows[0]!.n);
      expect(after).toBe(before - lastOld + 1);
      const head = (await sql<{ anchor_seq: string }>`select anchor_seq::text from audit_chain_head`.execute(t.db)).rows[0]!;
      expect(Number(head.anchor_seq)).toBe(lastOld);
      const v = await verifyAuditChain(t.db);
      expect(v).toEqual({ ok: true, rows: after });
      expect(await t.db.selectFrom('audit_log').select('action').where('action', '=', 'audit.purge').execute()).toHaveLength(1);
      // Nothing older is left; a second run removes nothing; plain DELETE is still refused.
      expect((await runAuditRetention(t.db, now, 180)).removed).toBe(0);
      await expect(sql`delete from audit_log where action = 'test.new'`.execute(t.db)).rejects.toThrow(/append-only/);
      recordFigure({ area: 'security', name: 'audit retention: chain verifies after purge', value: v.ok ? 1 : 0, unit: 'of 1', goal: '1/1', met: v.ok, detail: { removed: r.removed, remaining: after } });
    } finally {
      await t.drop();
    }
  });
});
