import type { DeliveryPayload } from '../../db/repos/notifications.js';
import { guardedFetch } from '../../platform/http/fetch.js';
import type { SendContext, SendResult } from './deliver.js';

// SMS through an HTTP SMS gateway: a generic adapter an office points at its provider's API.
// Config: url (may hold {phone} and {text}), method (POST | GET), headers, bodyTemplate with
// {phone} and {text}, contentType. Placeholders are escaped for where they land: JSON-string
// escaped in a JSON body, percent-encoded in a URL or a form body. Sent through the guarded client
// like the webhooks (SSRF policy, allow-list, pinned address, timeouts, no redirects).

const SMS_TIMEOUT_MS = 10_000;
const SMS_MAX_RESPONSE_BYTES = 256 * 1024;
const SMS_USER_AGENT = 'OpinionDesk/0.1 sms';
/** A lock screen shows about this much; longer texts are cut with an ellipsis. */
export const SMS_MAX_CHARS = 200;

export interface SmsConfig {
  url: string;
  method?: 'POST' | 'GET';
  headers?: Record<string, string>;
  bodyTemplate?: string;
  contentType?: string;
}

export const DEFAULT_SMS_BODY = '{"phone":"{phone}","text":"{text}"}';

/** The message: the title (the lock-screen line), cut to SMS_MAX_CHARS. */
export function smsText(p: Pick<DeliveryPayload, 'title' | 'urgent'>): string {
  const chars = [...p.title];
  return chars.length <= SMS_MAX_CHARS ? p.title : `${chars.slice(0, SMS_MAX_CHARS - 1).join('')}…`;
}

const jsonEscape = (s: string) => JSON.stringify(s).slice(1, -1);

/** Fills {phone} and {text} in a template, escaping them with `escape`. */
export function fillTemplate(template: string, vars: { phone: string; text: string }, escape: (s: string) => string): string {
  return template.replace(/\{(phone|text)\}/g, (_, k: 'phone' | 'text') => escape(vars[k]));
}

/** The request an SMS delivery makes. */
export function smsRequest(config: SmsConfig, phone: string, text: string): { url: string; method: 'POST' | 'GET'; body?: Buffer; headers: Record<string, string> } {
  const method = config.method === 'GET' ? 'GET' : 'POST';
  const url = fillTemplate(config.url, { phone, text }, encodeURIComponent);
  const headers = { ...(config.headers ?? {}) };
  if (method === 'GET') return { url, method, headers };
  const contentType = config.contentType ?? 'application/json; charset=utf-8';
  const escape = /json/i.test(contentType) ? jsonEscape : encodeURIComponent;
  const body = Buffer.from(fillTemplate(config.bodyTemplate ?? DEFAULT_SMS_BODY, { phone, text }, escape), 'utf8');
  return { url, method, body, headers: { 'content-type': contentType, ...headers } };
}

export async function sendSms(config: Record<string, unknown>, phone: string, p: DeliveryPayload, ctx: SendContext): Promise<SendResult> {
  if (phone === '') return { ok: false, error: '用户未设置手机号 / the user has no phone number', permanent: true };
  if (typeof config.url !== 'string') return { ok: false, error: '未配置短信网关地址 / no SMS gateway URL', permanent: true };
  const req = smsRequest(config as unknown as SmsConfig, phone, smsText(p));
  try {
    new URL(req.url);
  } catch {
    return { ok: false, error: `不是有效的网址 / not a valid URL`, permanent: true };
  }
  const r = await guardedFetch(req.url, {
    method: req.method,
    body: req.body,
    headers: { accept: 'application/json, */*;q=0.5', 'user-agent': SMS_USER_AGENT, ...req.headers },
    userAgent: SMS_USER_AGENT,
    timeoutMs: SMS_TIMEOUT_MS,
    connectTimeoutMs: SMS_TIMEOUT_MS,
    maxBytes: SMS_MAX_RESPONSE_BYTES,
    maxRedirects: 0,
    isAllowed: ctx.isAllowed,
    resolve: ctx.resolve,
  });
  if (r.kind === 'error') {
    if (r.status === 'ssrf_refused') return { ok: false, error: `安全策略拒绝（内网或保留地址）/ refused: ${r.message}`, permanent: true };
    return { ok: false, error: r.httpStatus !== null ? `HTTP ${r.httpStatus}: ${r.message}` : r.message };
  }
  if (r.kind !== 'body') return { ok: false, error: `HTTP ${r.httpStatus}: unexpected answer from the SMS gateway` };
  return { ok: true };
}
