import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { writeAudit } from '../../../db/repos/audit.js';
import { loadAllowlist } from '../../../db/repos/crawl-state.js';
import {
  deleteChannel,
  deliveryCounts,
  findChannel,
  insertChannel,
  listChannels,
  recentFailures,
  updateChannel,
  type Channel,
} from '../../../db/repos/notifications.js';
import { checkUrl } from '../../../worker/crawl/ssrf.js';
import { sendDelivery } from '../../../worker/jobs/notifications.deliver.js';
import { fieldError, notFound } from '../../errors.js';
import { actorOf, currentUser, requireRole } from '../../middleware/auth.js';
import { createRouter, DeletedSchema, errors, IntIdParams, json, jsonBody } from '../../openapi.js';
import type { ModuleDeps } from '../shared/deps.js';
import { DateTime } from '../shared/schema.js';

// Notification channels (admin): e-mail over SMTP and webhooks (plain JSON, WeCom robot, DingTalk
// robot), with delivery counts and recent failures; POST …/test sends a test message now.

const tags = ['notification-channels'];
const admin = requireRole('admin');

const EmailConfig = z.object({ smtpUrl: z.string().url().max(2000).optional(), from: z.string().min(1).max(300).optional() }).strict();
const WebhookConfig = z.object({ url: z.string().url().max(2000), format: z.enum(['json', 'wecom', 'dingtalk']).default('json') }).strict();
const ChannelCreate = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('email'), name: z.string().trim().min(1).max(100), enabled: z.boolean().default(true), config: EmailConfig.default({}) }),
    z.object({ kind: z.literal('webhook'), name: z.string().trim().min(1).max(100), enabled: z.boolean().default(true), config: WebhookConfig }),
  ])
  .openapi('ChannelCreate');
const ChannelPatch = z
  .object({ name: z.string().trim().min(1).max(100).optional(), enabled: z.boolean().optional(), config: z.record(z.string(), z.unknown()).optional() })
  .openapi('ChannelPatch');
const Failure = z.object({ id: z.string(), notificationId: z.string().nullable(), target: z.string(), attempts: z.number().int(), lastError: z.string(), createdAt: DateTime });
const ChannelView = z
  .object({
    id: z.number().int(),
    kind: z.enum(['email', 'webhook']),
    name: z.string(),
    enabled: z.boolean(),
    config: z.record(z.string(), z.unknown()),
    createdAt: DateTime,
    deliveries: z.object({ pending: z.number().int(), sent: z.number().int(), failed: z.number().int() }),
    recentFailures: z.array(Failure),
  })
  .openapi('NotificationChannel');
const TestInput = z.object({ to: z.string().email().optional().openapi({ description: '测试邮件收件人（默认：当前管理员的邮箱）' }) }).openapi('ChannelTestInput');
const TestResult = z.object({ ok: z.boolean(), error: z.string().nullable() }).openapi('ChannelTestResult');

const list = createRoute({
  method: 'get',
  path: '/api/notification-channels',
  tags,
  summary: '通知渠道（邮件、Webhook），含投递统计与最近失败',
  middleware: [admin] as const,
  responses: { 200: json(z.object({ items: z.array(ChannelView) }), 'Channels'), 401: errors[401], 403: errors[403] },
});
const create = createRoute({
  method: 'post',
  path: '/api/notification-channels',
  tags,
  summary: '新建通知渠道',
  middleware: [admin] as const,
  request: { body: jsonBody(ChannelCreate) },
  responses: { 201: json(ChannelView, 'Created'), 400: errors[400], 401: errors[401], 403: errors[403] },
});
const get = createRoute({
  method: 'get',
  path: '/api/notification-channels/{id}',
  tags,
  middleware: [admin] as const,
  request: { params: IntIdParams },
  responses: { 200: json(ChannelView, 'Channel'), 401: errors[401], 403: errors[403], 404: errors[404] },
});
const patch = createRoute({
  method: 'patch',
  path: '/api/notification-channels/{id}',
  tags,
  summary: '修改通知渠道（启停、名称、配置）',
  middleware: [admin] as const,
  request: { params: IntIdParams, body: jsonBody(ChannelPatch) },
  responses: { 200: json(ChannelView, 'Updated'), 400: errors[400], 401: errors[401], 403: errors[403], 404: errors[404] },
});
const del = createRoute({
  method: 'delete',
  path: '/api/notification-channels/{id}',
  tags,
  middleware: [admin] as const,
  request: { params: IntIdParams },
  responses: { 200: json(DeletedSchema, 'Deleted'), 401: errors[401], 403: errors[403], 404: errors[404] },
});
const test = createRoute({
  method: 'post',
  path: '/api/notification-channels/{id}/test',
  tags,
  summary: '立即发送一条测试消息并返回结果',
  middleware: [admin] as const,
  request: { params: IntIdParams, body: { required: false, content: { 'application/json': { schema: TestInput } } } },
  responses: { 200: json(TestResult, 'Result of the test send'), 400: errors[400], 401: errors[401], 403: errors[403], 404: errors[404] },
});

/** The channel config after validation: webhook URLs must be http(s) and not private unless allow-listed. */
async function validConfig(deps: ModuleDeps, kind: 'email' | 'webhook', config: unknown): Promise<Record<string, unknown>> {
  const parsed = (kind === 'email' ? EmailConfig : WebhookConfig).safeParse(config);
  if (!parsed.success) throw fieldError('config', `is not a valid ${kind} channel configuration`, `不是有效的${kind === 'email' ? '邮件' : 'Webhook'}渠道配置`);
  if (kind === 'webhook') {
    const allow = await loadAllowlist(deps.db);
    const check = checkUrl((parsed.data as { url: string }).url, (hp) => allow.has(hp.toLowerCase()));
    if (!check.ok) throw fieldError('config.url', `is refused: ${check.reason}`, `被安全策略拒绝（内网或保留地址，需先加入允许列表）：${check.reason}`);
  }
  return parsed.data as Record<string, unknown>;
}

/** The config as shown and audited: an SMTP password is never echoed back. */
function redact(config: Record<string, unknown>): Record<string, unknown> {
  if (typeof config.smtpUrl !== 'string') return config;
  try {
    const u = new URL(config.smtpUrl);
    if (u.password) u.password = '***';
    return { ...config, smtpUrl: u.toString() };
  } catch {
    return config;
  }
}

const redacted = (ch: Channel) => ({ ...ch, config: redact(ch.config) });

async function present(deps: ModuleDeps, channels: Channel[]) {
  const ids = channels.map((c) => c.id);
  const [counts, failures] = await Promise.all([deliveryCounts(deps.db), recentFailures(deps.db, ids, 10)]);
  return channels.map((ch) => {
    const mine = counts.filter((r) => r.channel_id === ch.id);
    const n = (s: string) => Number(mine.find((r) => r.status === s)?.n ?? 0);
    return {
      id: ch.id,
      kind: ch.kind,
      name: ch.name,
      enabled: ch.enabled,
      config: redact(ch.config),
      createdAt: ch.created_at.toISOString(),
      deliveries: { pending: n('pending'), sent: n('sent'), failed: n('failed') },
      recentFailures: failures
        .filter((f) => f.channel_id === ch.id)
        .map((f) => ({ id: f.id, notificationId: f.notification_id, target: f.target, attempts: f.attempts, lastError: f.last_error, createdAt: f.created_at.toISOString() })),
    };
  });
}

async function channelOr404(deps: ModuleDeps, id: number): Promise<Channel> {
  const ch = await findChannel(deps.db, id);
  if (!ch) throw notFound('Notification channel', '通知渠道');
  return ch;
}

async function sendTest(deps: ModuleDeps, c: Context, ch: Channel, to: string | undefined) {
  const user = currentUser(c);
  const email = to ?? (await deps.db.selectFrom('users').select('email').where('id', '=', user.id).executeTakeFirst())?.email ?? '';
  const allow = await loadAllowlist(deps.db);
  const at = deps.now();
  return sendDelivery(
    {
      kind: ch.kind,
      config: ch.config,
      target: ch.kind === 'email' ? email : String(ch.config.url ?? ''),
      payload: {
        title: '测试消息 / Test message',
        body: `这是来自舆情回应台的测试消息（渠道：${ch.name}）。\nThis is a test message from Opinion Desk (channel: ${ch.name}).`,
        caseId: null,
        urgent: false,
        at: at.toISOString(),
        recipient: user.displayName,
      },
    },
    { smtpUrl: deps.config.SMTP_URL, smtpFrom: deps.config.SMTP_FROM, isAllowed: (hp) => allow.has(hp.toLowerCase()) },
  );
}

export function channelsRoutes(deps: ModuleDeps) {
  return createRouter()
    .openapi(list, async (c) => c.json({ items: await present(deps, await listChannels(deps.db)) }, 200))
    .openapi(create, async (c) => {
      const input = c.req.valid('json');
      const config = await validConfig(deps, input.kind, input.config);
      const ch = await deps.db.transaction().execute(async (trx) => {
        const row = await insertChannel(trx, { kind: input.kind, name: input.name, config, enabled: input.enabled });
        await writeAudit(trx, { actor: actorOf(c), entity: 'notification_channel', entityId: row.id, action: 'channel.create', after: redacted(row) });
        return row;
      });
      return c.json((await present(deps, [ch]))[0], 201);
    })
    .openapi(get, async (c) => c.json((await present(deps, [await channelOr404(deps, c.req.valid('param').id)]))[0], 200))
    .openapi(patch, async (c) => {
      const id = c.req.valid('param').id;
      const input = c.req.valid('json');
      const before = await channelOr404(deps, id);
      const config = input.config === undefined ? undefined : await validConfig(deps, before.kind, input.config);
      const ch = await deps.db.transaction().execute(async (trx) => {
        const row = await updateChannel(trx, id, { name: input.name, enabled: input.enabled, config });
        if (!row) throw notFound('Notification channel', '通知渠道');
        await writeAudit(trx, { actor: actorOf(c), entity: 'notification_channel', entityId: id, action: 'channel.update', before: redacted(before), after: redacted(row) });
        return row;
      });
      return c.json((await present(deps, [ch]))[0], 200);
    })
    .openapi(del, async (c) => {
      const id = c.req.valid('param').id;
      await deps.db.transaction().execute(async (trx) => {
        const before = await findChannel(trx, id);
        if (!before || !(await deleteChannel(trx, id))) throw notFound('Notification channel', '通知渠道');
        await writeAudit(trx, { actor: actorOf(c), entity: 'notification_channel', entityId: id, action: 'channel.delete', before: redacted(before) });
      });
      return c.json({ id, deleted: true as const }, 200);
    })
    .openapi(test, async (c) => {
      const ch = await channelOr404(deps, c.req.valid('param').id);
      let to: string | undefined;
      if ((c.req.header('content-type') ?? '').includes('json')) {
        const parsed = TestInput.safeParse(await c.req.json().catch(() => ({})));
        if (!parsed.success) throw fieldError('to', 'is not an e-mail address', '不是有效的邮箱地址');
        to = parsed.data.to;
      }
      const r = await sendTest(deps, c, ch, to);
      return c.json({ ok: r.ok, error: r.ok ? null : r.error }, 200);
    });
}
