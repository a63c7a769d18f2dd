import type http from 'node:http';
import { reply, type Reply } from './reply.js';

// The fixture site's fake message gateways, which record what they receive for the tests (and
// for a look during `npm start`):
//   POST|GET /hooks/sms     a generic HTTP SMS gateway (answers {"code":0})
//   POST     /hooks/robot   a WeCom / DingTalk group robot (answers {"errcode":0,"errmsg":"ok"})
//   GET      /hooks/log     what both received, as JSON

export type HookKind = 'sms' | 'robot';

export interface HookMessage {
  kind: HookKind;
  method: string;
  /** Path and query as received. */
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Parsed JSON body, when it is JSON. */
  json: unknown;
  at: Date;
}

export interface HookRecorder {
  /** The answer for a /hooks/… request. */
  handle(req: http.IncomingMessage, path: string, now: Date): Promise<Reply>;
  received(kind?: HookKind): HookMessage[];
  clear(): void;
}

const MAX_BODY = 64 * 1024;
const MAX_KEPT = 1000;

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const json = (v: unknown, status = 200) => reply(status, 'application/json; charset=utf-8', JSON.stringify(v));

export function createHookRecorder(): HookRecorder {
  const log: HookMessage[] = [];
  return {
    async handle(req, path, now) {
      if (path === '/hooks/log' && req.method === 'GET') return json(log);
      const kind: HookKind | null = path === '/hooks/sms' ? 'sms' : path === '/hooks/robot' ? 'robot' : null;
      if (!kind || (req.method !== 'POST' && !(kind === 'sms' && req.method === 'GET'))) return json({ errcode: 404, errmsg: 'not found' }, 404);
      const body = req.method === 'POST' ? await readBody(req) : '';
      let parsed: unknown = null;
      try {
        parsed = body ? JSON.parse(body) : null;
      } catch {
        parsed = null;
      }
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]));
      log.push({ kind, method: req.method ?? '', url: req.url ?? '', headers, body, json: parsed, at: now });
      if (log.length > MAX_KEPT) log.shift();
      return kind === 'sms' ? json({ code: 0, message: 'ok' }) : json({ errcode: 0, errmsg: 'ok' });
    },
    received: (kind) => log.filter((m) => kind === undefined || m.kind === kind),
    clear: () => void log.splice(0),
  };
}
