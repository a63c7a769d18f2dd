import http from 'node:http';
import https from 'node:https';
import { promises as dns } from 'node:dns';
import { isIP } from 'node:net';
import nodemailer from 'nodemailer';
import type { Db } from '../../db/client.js';
import { claimDueDeliveries, markDeliveryFailed, markDeliverySent, type ClaimedDelivery, type DeliveryPayload } from '../../db/repos/notifications.js';
import { loadAllowlist } from '../../db/repos/crawl-state.js';
import { checkParsedUrl, isForbiddenAddress, urlTarget } from '../crawl/ssrf.js';

// notifications.deliver: sends due pending deliveries (e-mail over SMTP, webhooks: plain JSON,
// WeCom robot, DingTalk robot). A failure is written on the row (last_error) and retried with
// exponential backoff; after MAX_ATTEMPTS the row is failed, visible on the channels admin page.
// Webhook POSTs apply the crawler's SSRF policy: private and reserved addresses are refused unless
// the host:port is on the admin allow-list, and the socket connects only to the vetted address.

export const MAX_ATTEMPTS = 8;
export const BACKOFF_BASE_MS = 30_000;
export const BACKOFF_MAX_MS = 6 * 3600_000;
const DELIVER_BATCH = 200;
const LEASE_MS = 5 * 60_000;
const WEBHOOK_TIMEOUT_MS = 10_000;

export interface DeliverOptions {
  /** Default SMTP server (SMTP_URL) and sender (SMTP_FROM); a channel's config overrides them. */
  smtpUrl?: string;
  smtpFrom: string;
  /** Name resolution (tests). */
  resolve?: (host: string) => Promise<{ address: string; family: 4 | 6 }[]>;
}

export type SendResult = { ok: true } | { ok: false; error: string; permanent?: boolean };

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
    return await sendWebhook(d.config, d.payload, ctx);
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

// ── E-mail ────────────────────────────────────────────────────────────────────────────────────

export async function sendEmail(config: Record<string, unknown>, to: string, p: DeliveryPayload, ctx: DeliverOptions): Promise<SendResult> {
  const smtpUrl = typeof config.smtpUrl === 'string' && config.smtpUrl !== '' ? config.smtpUrl : ctx.smtpUrl;
  const from = typeof config.from === 'string' && config.from !== '' ? config.from : ctx.smtpFrom;
  if (!smtpUrl) return { ok: false, error: '未配置 SMTP 服务器 / no SMTP server configured (SMTP_URL or channel smtpUrl)', permanent: true };
  if (to === '') return { ok: false, error: '用户未设置邮箱 / the user has no e-mail address', permanent: true };
  const transport = nodemailer.createTransport(smtpUrl, { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 } as never);
  try {
    await transport.sendMail({
      from,
      to,
      subject: `${p.urgent ? '【紧急】' : ''}${p.title}`,
      text: `${p.recipient ? `${p.recipient}：\n\n` : ''}${p.body}\n\n— 舆情回应台 Opinion Desk (${p.at})`,
    });
    return { ok: true };
  } finally {
    transport.close();
  }
}

// ── Webhooks ──────────────────────────────────────────────────────────────────────────────────

export type WebhookFormat = 'json' | 'wecom' | 'dingtalk';

/** The request body for a webhook format. */
export function webhookBody(format: WebhookFormat, p: DeliveryPayload): unknown {
  const heading = `${p.urgent ? '【紧急】' : ''}${p.title}`;
  const text = `### ${heading}\n\n${p.body.replace(/\n/g, '\n\n')}${p.recipient ? `\n\n> 接收人 / to: ${p.recipient}` : ''}`;
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
  const check = checkParsedUrl(parsed, ctx.isAllowed);
  if (!check.ok) return { ok: false, error: `安全策略拒绝 / refused: ${check.reason}`, permanent: true };
  const { host, port, hostPort } = urlTarget(parsed);
  const resolve = ctx.resolve ?? ((h: string) => dns.lookup(h, { all: true, verbatim: true }) as Promise<{ address: string; family: 4 | 6 }[]>);
  let addresses: { address: string; family: 4 | 6 }[];
  try {
    addresses = await resolve(host);
  } catch (err) {
    return { ok: false, error: `域名解析失败 / DNS lookup failed for ${host}: ${(err as Error).message}` };
  }
  if (!ctx.isAllowed(hostPort)) {
    const bad = addresses.find((a) => isForbiddenAddress(a.address));
    if (bad) return { ok: false, error: `安全策略拒绝（内网地址）/ refused: ${hostPort} resolves to the private or reserved address ${bad.address}`, permanent: true };
  }
  if (addresses.length === 0) return { ok: false, error: `域名解析失败 / no address for ${host}` };
  const body = Buffer.from(JSON.stringify(webhookBody(format, p)), 'utf8');
  const { status, text } = await postJson(parsed, host, port, addresses[0], body);
  if (status < 200 || status >= 300) return { ok: false, error: `HTTP ${status}: ${text.slice(0, 200)}` };
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

function postJson(url: URL, host: string, port: number, addr: { address: string; family: 4 | 6 }, body: Buffer): Promise<{ status: number; text: string }> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request({
      host,
      port,
      path: `${url.pathname}${url.search}`,
      method: 'POST',
      agent: false,
      timeout: WEBHOOK_TIMEOUT_MS,
      headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': String(body.length), 'user-agent': 'OpinionDesk/0.1 webhook' },
      // Connect only to the address that was vetted (no second lookup that could answer differently).
      lookup: ((_h: string, opts: { all?: boolean }, cb: (...args: unknown[]) => void) => {
        if (opts?.all) cb(null, [addr]);
        else cb(null, addr.address, addr.family);
      }) as never,
      ...(isIP(host) ? {} : { servername: host }),
    });
    req.on('timeout', () => req.destroy(new Error(`timed out after ${WEBHOOK_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= 64 * 1024) chunks.push(c);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.end(body);
  });
}
