import { isIP } from 'node:net';
import nodemailer from 'nodemailer';
import type { Db } from '../../db/client.js';
import { claimDueDeliveries, markDeliveryFailed, markDeliverySent, type ClaimedDelivery, type DeliveryPayload } from '../../db/repos/notifications.js';
import { loadAllowlist } from '../../db/repos/allowlist.js';
import { FetchFailure, guardedFetch, vetTarget } from '../../platform/http/fetch.js';
import { smtpTarget } from '../../platform/http/ssrf.js';
import { sendSms } from './sms.js';

// notifications.deliver: sends due pending deliveries (e-mail over SMTP, webhooks: plain JSON,
// WeCom robot, DingTalk robot). A failure is written on the row (last_error) and retried with
// exponential backoff; after MAX_ATTEMPTS the row is failed, visible on the channels admin page.
// Webhook POSTs go through the crawler's guarded client (guardedFetch): private and reserved
// addresses are refused unless the host:port is on the admin allow-list, and the socket connects
// only to the vetted address. E-mail goes through the same guard (vetTarget) before the mail
// transport is given the vetted address.

export const MAX_ATTEMPTS = 8;
export const BACKOFF_BASE_MS = 30_000;
export const BACKOFF_MAX_MS = 6 * 3600_000;
const DELIVER_BATCH = 200;
const LEASE_MS = 5 * 60_000;
const WEBHOOK_TIMEOUT_MS = 10_000;
const WEBHOOK_MAX_RESPONSE_BYTES = 1024 * 1024;
const WEBHOOK_USER_AGENT = 'OpinionDesk/0.1 webhook';

export interface DeliverOptions {
  /** Default SMTP server (SMTP_URL) and sender (SMTP_FROM); a channel's config overrides them. */
  smtpUrl?: string;
  smtpFrom: string;
  /** Name resolution (tests). */
  resolve?: (host: string) => Promise<{ address: string; family: 4 | 6 }[]>;
}

export type SendResult =
  | { ok: true }
  | {
      ok: false;
      error: string;
      permanent?: boolean;
      /** E-mail only: the failure as a channel test may tell it (refused: by the SSRF guard, before connecting). */
      mail?: 'connect' | 'auth' | 'refused';
    };

/** Delay before attempt n+1 after n failed attempts: 30 s, 1 min, 2 min, … capped at 6 h. */
export function backoffMs(attempts: number): number {
  return Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1));
}

/** One tick: sends every due delivery once. Returns how many were sent and failed (for good or retrying). */
export async function deliverDue(db: Db, now: Date, opts: DeliverOptions): Promise<{ sent: number; failed: number }> {
  let sent = 0;
  let failed = 0;
  let allow: Set<string> | null = null;
  for (;;) {
    const batch = await claimDueDeliveries(db, now, DELIVER_BATCH, LEASE_MS);
    if (batch.length === 0) break;
    allow ??= await loadAllowlist(db);
    const allowed = allow;
    await Promise.all(
      batch.map(async (d) => {
        const r = await sendDelivery(d, { ...opts, isAllowed: (hp) => allowed.has(hp.toLowerCase()) });
        if (r.ok) {
          sent += 1;
          await markDeliverySent(db, d.id, now);
        } else {
          failed += 1;
          const last = r.permanent === true || d.attempts >= MAX_ATTEMPTS;
          await markDeliveryFailed(db, d.id, `attempt ${d.attempts}: ${r.error}`, last ? null : new Date(now.getTime() + backoffMs(d.attempts)));
        }
      }),
    );
    if (batch.length < DELIVER_BATCH) break;
  }
  return { sent, failed };
}

export interface SendContext extends DeliverOptions {
  isAllowed: (hostPort: string) => boolean;
}

export async function sendDelivery(d: Pick<ClaimedDelivery, 'kind' | 'config' | 'target' | 'payload'>, ctx: SendContext): Promise<SendResult> {
  try {
    if (d.kind === 'email') return await sendEmail(d.config, d.target, d.payload, ctx);
    if (d.kind === 'sms') return await sendSms(d.config, d.target, d.payload, ctx);
    return await sendWebhook(d.config, d.payload, ctx);
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

// ── E-mail ────────────────────────────────────────────────────────────────────────────────────

/** What an e-mail failure tells: only these, never the socket's or the server's own words. */
export const MAIL_CONNECT_FAILED = '连接失败';
export const MAIL_AUTH_FAILED = '认证失败';
const MAIL_REFUSED = '连接失败：安全策略拒绝（内网或保留地址，需先加入允许列表）';
const SMTP_DNS_TIMEOUT_MS = 10_000;

/**
 * Sends one e-mail. The SMTP server goes through the SSRF guard as every other outbound connection:
 * the URL must be smtp:// or smtps://, its name is resolved here and refused when it is (or resolves
 * to) a private or reserved address, unless its host:port is allow-listed, and the transport is given
 * the checked address (the name kept only for TLS: SNI and the certificate check), so it makes no
 * lookup of its own. Only the server, port and credentials are taken from the URL (no proxy or other
 * transport options). A failure says 连接失败 or 认证失败 and nothing more: a closed port, an open port
 * that speaks something else and a timeout read the same.
 */
export async function sendEmail(config: Record<string, unknown>, to: string, p: DeliveryPayload, ctx: SendContext): Promise<SendResult> {
  const smtpUrl = typeof config.smtpUrl === 'string' && config.smtpUrl !== '' ? config.smtpUrl : ctx.smtpUrl;
  const from = typeof config.from === 'string' && config.from !== '' ? config.from : ctx.smtpFrom;
  if (!smtpUrl) return { ok: false, error: '未配置 SMTP 服务器 / no SMTP server configured (SMTP_URL or channel smtpUrl)', permanent: true };
  if (to === '') return { ok: false, error: '用户未设置邮箱 / the user has no e-mail address', permanent: true };
  let url: URL;
  try {
    url = new URL(smtpUrl);
  } catch {
    return { ok: false, error: MAIL_CONNECT_FAILED, mail: 'connect', permanent: true };
  }
  const target = smtpTarget(url);
  if (!target) return { ok: false, error: MAIL_CONNECT_FAILED, mail: 'connect', permanent: true };
  let address: string;
  try {
    address = (await vetTarget(target, ctx, AbortSignal.timeout(SMTP_DNS_TIMEOUT_MS)))[0]!.address;
  } catch (err) {
    if (err instanceof FetchFailure && err.status === 'ssrf_refused') return { ok: false, error: MAIL_REFUSED, mail: 'refused', permanent: true };
    return { ok: false, error: MAIL_CONNECT_FAILED, mail: 'connect' };
  }
  const servername = isIP(target.host) === 0 ? target.host : undefined;
  const transport = nodemailer.createTransport({
    host: address,
    port: target.port,
    secure: url.protocol === 'smtps:',
    servername,
    tls: servername ? { servername } : {},
    auth: url.username !== '' ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  } as never);
  try {
    await transport.sendMail({
      from,
      to,
      subject: `${p.urgent ? '【紧急】' : ''}${p.title}`,
      text: `${p.recipient ? `${p.recipient}：\n\n` : ''}${p.body}\n\n— 舆情回应台（${p.at}）`,
    });
    return { ok: true };
  } catch (err) {
    const code = (err as { code?: unknown } | null)?.code;
    if (code === 'EAUTH' || code === 'ENOAUTH') return { ok: false, error: MAIL_AUTH_FAILED, mail: 'auth' };
    return { ok: false, error: MAIL_CONNECT_FAILED, mail: 'connect' };
  } finally {
    transport.close();
  }
}

// ── Webhooks ──────────────────────────────────────────────────────────────────────────────────

export type WebhookFormat = 'json' | 'wecom' | 'dingtalk';

/** The request body for a webhook format. */
export function webhookBody(format: WebhookFormat, p: DeliveryPayload): unknown {
  const heading = `${p.urgent ? '【紧急】' : ''}${p.title}`;
  const text = `### ${heading}\n\n${p.body.replace(/\n/g, '\n\n')}${p.recipient ? `\n\n> 接收人：${p.recipient}` : ''}`;
  if (format === 'wecom') return { msgtype: 'markdown', markdown: { content: text } };
  if (format === 'dingtalk') return { msgtype: 'markdown', markdown: { title: heading.slice(0, 64), text } };
  return { title: p.title, body: p.body, caseId: p.caseId, urgent: p.urgent, at: p.at, recipient: p.recipient };
}

export async function sendWebhook(config: Record<string, unknown>, p: DeliveryPayload, ctx: SendContext): Promise<SendResult> {
  const url = typeof config.url === 'string' ? config.url : '';
  const format: WebhookFormat = config.format === 'wecom' || config.format === 'dingtalk' ? config.format : 'json';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, error: `不是有效的网址 / not a valid URL: ${url}`, permanent: true };
  }
  const body = Buffer.from(JSON.stringify(webhookBody(format, p)), 'utf8');
  // The one guarded client: SSRF policy after DNS (allow-list honoured), pinned address, timeouts.
  // A webhook is not re-posted to another host: redirects are not followed.
  const r = await guardedFetch(parsed.href, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json; charset=utf-8', accept: 'application/json, */*;q=0.5', 'user-agent': WEBHOOK_USER_AGENT },
    userAgent: WEBHOOK_USER_AGENT,
    timeoutMs: WEBHOOK_TIMEOUT_MS,
    connectTimeoutMs: WEBHOOK_TIMEOUT_MS,
    maxBytes: WEBHOOK_MAX_RESPONSE_BYTES,
    maxRedirects: 0,
    isAllowed: ctx.isAllowed,
    resolve: ctx.resolve,
  });
  if (r.kind === 'error') {
    if (r.status === 'ssrf_refused') return { ok: false, error: `安全策略拒绝（内网或保留地址）/ refused: ${r.message}`, permanent: true };
    if (r.status === 'dns_error') return { ok: false, error: `域名解析失败 / ${r.message}` };
    return { ok: false, error: r.httpStatus !== null ? `HTTP ${r.httpStatus}: ${r.message}` : r.message };
  }
  if (r.kind !== 'body') return { ok: false, error: `HTTP ${r.httpStatus}: unexpected answer to a webhook POST` };
  const text = r.body.toString('utf8');
  // WeCom and DingTalk robots answer 200 with {errcode, errmsg}.
  if (format !== 'json') {
    try {
      const j = JSON.parse(text) as { errcode?: unknown; errmsg?: unknown };
      if (typeof j.errcode === 'number' && j.errcode !== 0) return { ok: false, error: `errcode ${j.errcode}: ${String(j.errmsg ?? '')}` };
    } catch {
      // not JSON: a 2xx is a success
    }
  }
  return { ok: true };
}
