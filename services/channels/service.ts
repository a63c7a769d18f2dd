import { createHash } from 'node:crypto';
import { writeAudit } from '../../db/repos/audit.js';
import { loadAllowlist } from '../../db/repos/allowlist.js';
import { findUser } from '../../db/repos/users.js';
import { deleteChannel, deliveryCounts, findChannel, insertChannel, listChannels, recentFailures, updateChannel, type Channel } from '../../db/repos/notifications.js';
import { checkSmtpUrl, checkUrl } from '../../platform/http/ssrf.js';
import { MAIL_AUTH_FAILED, MAIL_CONNECT_FAILED, sendDelivery, type SendResult } from '../notifications/deliver.js';
import { fieldError, notFound } from '../../platform/errors.js';
import type { Actor, SessionUser } from '../shared/actor.js';
import type { ModuleDeps } from '../shared/deps.js';
import { EmailConfig, SmsConfig, WebhookConfig, type ChannelCreate, type ChannelPatch, type ChannelView, type TestResult } from './schema.js';
import { beijingShortZh } from '../../core/business-time.js';

// Notification channels (admin): e-mail over SMTP and webhooks. Each create, edit and delete writes
// its audit row in the transaction of the change. A channel's config carries credentials (an SMTP
// password in smtpUrl; a robot key or token in a webhook URL), so audit rows hold a masked copy.

const channelNotFound = () => notFound('Notification channel', '通知渠道');

/** The config after validation: webhook URLs must be http(s) and not private unless allow-listed. */
async function validConfig(deps: ModuleDeps, kind: 'email' | 'webhook' | 'sms', config: unknown): Promise<Record<string, unknown>> {
  const parsed = (kind === 'email' ? EmailConfig : kind === 'sms' ? SmsConfig : WebhookConfig).safeParse(config);
  if (!parsed.success) throw fieldError('config', `is not a valid ${kind} channel configuration`, `不是有效的${kind === 'email' ? '邮件' : kind === 'sms' ? '短信网关' : 'Webhook'}渠道配置`);
  if (kind === 'webhook' || kind === 'sms') {
    const allow = await loadAllowlist(deps.db);
    const check = checkUrl((parsed.data as { url: string }).url.replace(/\{(phone|text)\}/g, 'x'), (hp) => allow.has(hp.toLowerCase()));
    if (!check.ok) throw fieldError('config.url', `is refused: ${check.reason}`, `被安全策略拒绝（内网或保留地址，需先加入允许列表）：${check.reason}`);
  }
  const smtpUrl = kind === 'email' ? (parsed.data as { smtpUrl?: string }).smtpUrl : undefined;
  if (smtpUrl !== undefined) {
    // The SMTP server is held to the rules of every outbound connection (checked again after DNS at each send).
    const allow = await loadAllowlist(deps.db);
    const check = checkSmtpUrl(smtpUrl, (hp) => allow.has(hp.toLowerCase()));
    if (!check.ok) throw fieldError('config.smtpUrl', `is refused: ${check.reason}`, `被安全策略拒绝（须为 smtp:// 或 smtps://，内网或保留地址需先加入允许列表）：${check.reason}`);
  }
  return parsed.data as Record<string, unknown>;
}

/** The config as shown to admins: an SMTP password is never echoed back. */
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

/** A path segment that looks like a token (Slack-style webhooks carry their secret in the path). */
const TOKEN_SEGMENT = /^[A-Za-z0-9_-]{16,}$/;

/**
 * A URL as an audit row may keep it: scheme, host, port and the readable path, with everything that
 * may be a credential replaced by *** — the password, every query value (WeCom `key`, DingTalk
 * `access_token`), token-like path segments and the fragment.
 */
function maskUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return '***';
  }
  if (u.password) u.password = '***';
  for (const key of new Set(u.searchParams.keys())) u.searchParams.set(key, '***');
  u.pathname = u.pathname
    .split('/')
    .map((s) => (TOKEN_SEGMENT.test(s) ? '***' : s))
    .join('/');
  if (u.hash) u.hash = '***';
  return u.toString();
}

/** A short one-way fingerprint: an audit reader sees that a masked URL changed, not what it is. */
const fingerprint = (raw: string) => createHash('sha256').update(raw).digest('hex').slice(0, 16);

/** The URLs of a config that may carry a credential. */
function secretUrls(config: Record<string, unknown>): string[] {
  return [config.url, config.smtpUrl].filter((v): v is string => typeof v === 'string' && v !== '');
}

/**
 * The config as an audit row keeps it: every credential-bearing URL masked, with its fingerprint;
 * an SMS gateway's request headers (Authorization, an API key) by name only, with one fingerprint.
 */
function auditedConfig(config: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...config };
  const headers = config.headers;
  if (headers && typeof headers === 'object' && Object.keys(headers).length > 0) {
    out.headers = Object.fromEntries(Object.keys(headers).map((name) => [name, '***']));
    out.headersFingerprint = fingerprint(JSON.stringify(headers));
  }
  for (const key of ['url', 'smtpUrl'] as const) {
    const v = config[key];
    if (typeof v === 'string' && v !== '') {
      out[key] = maskUrl(v);
      out[`${key}Fingerprint`] = fingerprint(v);
    }
  }
  return out;
}

const audited = (ch: Channel) => ({ kind: ch.kind, name: ch.name, enabled: ch.enabled, config: auditedConfig(ch.config) });

/** Text (a send error) with the config's credential-bearing URLs replaced by their masked form. */
function scrub(text: string, config: Record<string, unknown>): string {
  let out = text;
  for (const url of secretUrls(config)) out = out.split(url).join(maskUrl(url));
  return out.slice(0, 500);
}

async function present(deps: ModuleDeps, channels: Channel[]): Promise<ChannelView[]> {
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
  if (!ch) throw channelNotFound();
  return ch;
}

export async function listAll(deps: ModuleDeps): Promise<ChannelView[]> {
  return present(deps, await listChannels(deps.db));
}

export async function getOne(deps: ModuleDeps, id: number): Promise<ChannelView> {
  return (await present(deps, [await channelOr404(deps, id)]))[0]!;
}

export async function create(deps: ModuleDeps, input: ChannelCreate, actor: Actor): Promise<ChannelView> {
  const config = await validConfig(deps, input.kind, input.config);
  const ch = await deps.db.transaction().execute(async (trx) => {
    const row = await insertChannel(trx, { kind: input.kind, name: input.name, config, enabled: input.enabled });
    await writeAudit(trx, { actor, entity: 'notification_channel', entityId: row.id, action: 'channel.create', after: audited(row) });
    return row;
  });
  return (await present(deps, [ch]))[0]!;
}

export async function patch(deps: ModuleDeps, id: number, input: ChannelPatch, actor: Actor): Promise<ChannelView> {
  const existing = await channelOr404(deps, id);
  const config = input.config === undefined ? undefined : await validConfig(deps, existing.kind, input.config);
  const ch = await deps.db.transaction().execute(async (trx) => {
    // Read again inside the transaction: the audited "before" is the row this update replaces.
    const before = await findChannel(trx, id);
    const row = before && (await updateChannel(trx, id, { name: input.name, enabled: input.enabled, config }));
    if (!before || !row) throw channelNotFound();
    await writeAudit(trx, { actor, entity: 'notification_channel', entityId: id, action: 'channel.update', before: audited(before), after: audited(row) });
    return row;
  });
  return (await present(deps, [ch]))[0]!;
}

export async function remove(deps: ModuleDeps, id: number, actor: Actor): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const before = await findChannel(trx, id);
    if (!before || !(await deleteChannel(trx, id))) throw channelNotFound();
    await writeAudit(trx, { actor, entity: 'notification_channel', entityId: id, action: 'channel.delete', before: audited(before) });
  });
}

/**
 * What a test tells of a failure. E-mail: 认证失败 or 连接失败 only (a refusal by the SSRF guard
 * included), so a test cannot tell a closed port from an open one or read a banner.
 */
function testError(r: Extract<SendResult, { ok: false }>): string {
  if (r.mail === 'auth') return MAIL_AUTH_FAILED;
  if (r.mail !== undefined) return MAIL_CONNECT_FAILED;
  return r.error;
}

/**
 * Sends a test message through the channel now. No data changes, but a message leaves the system
 * on an admin's request, so the attempt is audited as an action of its own (channel.test, with
 * the outcome) after the send, instead of being left to the route backstop.
 */
export async function sendTest(deps: ModuleDeps, id: number, user: SessionUser, input: { to?: string; phone?: string }, actor: Actor): Promise<TestResult> {
  const ch = await channelOr404(deps, id);
  const me = input.to !== undefined && input.phone !== undefined ? undefined : await findUser(deps.db, user.id);
  const email = input.to ?? me?.email ?? '';
  // An SMS test goes to the number given, else to the administrator's own (用户 → 手机号).
  const phone = input.phone ?? me?.phone ?? '';
  const allow = await loadAllowlist(deps.db);
  const at = deps.now();
  const r: SendResult =
    ch.kind === 'sms' && phone === ''
      ? { ok: false, error: '请填写测试手机号，或先在“部门与用户”中为自己设置手机号' }
      : await sendDelivery(
          {
            kind: ch.kind,
            config: ch.config,
            target: ch.kind === 'email' ? email : ch.kind === 'sms' ? phone : String(ch.config.url ?? ''),
            payload: {
              // In Chinese only, like every message the office's people receive.
              title: '【舆情回应台】测试消息',
              body: `这是来自舆情回应台的测试消息（渠道：${ch.name}）。`,
              caseId: null,
              urgent: false,
              at: beijingShortZh(at),
              recipient: user.displayName,
            },
          },
          { smtpUrl: deps.config.SMTP_URL, smtpFrom: deps.config.SMTP_FROM, isAllowed: (hp) => allow.has(hp.toLowerCase()) },
        );
  // Nothing else is written: the audit insert is a transaction of its own.
  await writeAudit(deps.db, {
    actor,
    entity: 'notification_channel',
    entityId: id,
    action: 'channel.test',
    after: { kind: ch.kind, ...(ch.kind === 'email' ? { to: email } : ch.kind === 'sms' ? { phone } : {}), ok: r.ok, error: r.ok ? null : scrub(testError(r), ch.config) },
  });
  return { ok: r.ok, error: r.ok ? null : testError(r) };
}
