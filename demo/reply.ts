// Building and sending the fixture site's answers.
import { createHash } from 'node:crypto';
import type http from 'node:http';
import iconv from 'iconv-lite';
import { statusPage } from './faults.js';

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export const HTML = 'text/html; charset=utf-8';

export function reply(status: number, contentType: string, body: string | Buffer, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'content-type': contentType, ...headers }, body: typeof body === 'string' ? Buffer.from(body) : body };
}

export function html(body: string, status = 200): Reply {
  return reply(status, HTML, body);
}

/** GBK bytes, a Content-Type without charset: the page's <meta> is the only hint. */
export function gbk(body: string): Reply {
  return reply(200, 'text/html', iconv.encode(body, 'gbk'));
}

export function redirect(location: string): Reply {
  return reply(302, HTML, statusPage(302), { location });
}

/** A feed body with ETag / Last-Modified; 304 when the client already has it. */
export function conditional(req: http.IncomingMessage, body: string | Buffer, contentType: string, lastModified: Date | null): Reply {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const etag = `"${createHash('sha1').update(bytes).digest('hex').slice(0, 20)}"`;
  const headers: Record<string, string> = { etag };
  if (lastModified) headers['last-modified'] = lastModified.toUTCString();
  const inm = req.headers['if-none-match'];
  const ims = req.headers['if-modified-since'];
  let fresh = false;
  if (inm) {
    fresh = inm.split(',').some((t) => t.trim() === '*' || t.trim().replace(/^W\//, '') === etag);
  } else if (ims && lastModified) {
    const since = Date.parse(ims);
    fresh = !Number.isNaN(since) && Math.floor(lastModified.getTime() / 1000) <= Math.floor(since / 1000);
  }
  if (fresh) return { status: 304, headers, body: Buffer.alloc(0) };
  return reply(200, contentType, bytes, headers);
}

export function send(req: http.IncomingMessage, res: http.ServerResponse, answer: Reply): void {
  const headers = answer.status === 304 ? answer.headers : { ...answer.headers, 'content-length': String(answer.body.length) };
  res.writeHead(answer.status, headers);
  res.end(req.method === 'HEAD' || answer.status === 304 ? undefined : answer.body);
}
