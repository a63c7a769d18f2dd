import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerRow } from '../../../db/repos/cases-ledger.js';
import { abortDownload } from './abort.js';
import type { Column } from './columns.js';
import { csvStream } from './csv.js';
import { xlsxStream } from './xlsx.js';

// An export whose ledger query fails after the first page must not look like a finished file: the
// status and headers are already sent (200), so the only signal left is the connection, which ends
// without the last chunk. A client (a browser download, fetch, curl) then reports a failed transfer
// instead of saving a well-formed but truncated file. Served by the real Node adapter, which on its
// own ends such a response normally with "Error: …" appended (the first case failed that way).

const columns: Column[] = [
  { header: '编号', width: 12, value: (r) => r.number },
  { header: '标题', width: 40, value: (r) => (r as unknown as { title: string }).title },
];

function row(i: number): LedgerRow {
  return { number: `YQ-${i}`, title: `关于龙山镇石桥村停水的回应 ${i}`, overdue: false, on_time: null, level: 'general', status: 'open', lead_department_name: '水利局' } as unknown as LedgerRow;
}

/** Full pages of rows (each a query away), then the database goes away. */
async function* failingPages(pagesFirst: number, queryMs = 20): AsyncGenerator<LedgerRow[]> {
  for (let p = 0; p < pagesFirst; p++) {
    if (p > 0) await new Promise((r) => setTimeout(r, queryMs));
    yield Array.from({ length: 1000 }, (_, i) => row(p * 1000 + i + 1));
  }
  if (queryMs > 0) await new Promise((r) => setTimeout(r, queryMs));
  throw new Error('connection terminated unexpectedly');
}

async function* goodPages(): AsyncGenerator<LedgerRow[]> {
  yield Array.from({ length: 3 }, (_, i) => row(i + 1));
}

const logged: unknown[] = [];
const log = (err: unknown) => logged.push(err);
let server: ServerType;
let base: string;

beforeAll(async () => {
  const app = new Hono()
    .get('/csv-fails', (c) => c.body(csvStream(columns, failingPages(3), abortDownload(c, log)), 200, { 'content-type': 'text/csv; charset=utf-8' }))
    .get('/csv-fails-fast', (c) => c.body(csvStream(columns, failingPages(1, 0), abortDownload(c, log)), 200, { 'content-type': 'text/csv; charset=utf-8' }))
    .get('/csv-fails-at-once', (c) => c.body(csvStream(columns, failingPages(0), abortDownload(c, log)), 200, { 'content-type': 'text/csv; charset=utf-8' }))
    .get('/csv-ok', (c) => c.body(csvStream(columns, goodPages(), abortDownload(c, log)), 200, { 'content-type': 'text/csv; charset=utf-8' }))
    .get('/xlsx-fails', (c) => c.body(xlsxStream(columns, failingPages(3), { about: [] }, abortDownload(c, log)), 200, { 'content-type': 'application/octet-stream' }));
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve());
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

/** The body as the client receives it: its bytes, or the transfer error. */
async function download(path: string): Promise<{ status: number | null; bytes: number; failed: boolean }> {
  let res: Response;
  try {
    res = await fetch(base + path);
  } catch {
    return { status: null, bytes: 0, failed: true };
  }
  let bytes = 0;
  try {
    const reader = res.body!.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
    }
    return { status: res.status, bytes, failed: false };
  } catch {
    return { status: res.status, bytes, failed: true };
  }
}

describe('an export stream that fails midway', () => {
  it('a CSV whose fourth page fails aborts the connection after the rows already sent', async () => {
    const before = logged.length;
    const r = await download('/csv-fails');
    expect(r.status).toBe(200);
    expect(r.bytes).toBeGreaterThan(100_000);
    expect(r.failed).toBe(true);
    expect(logged.length - before).toBe(1);
  });

  it('a CSV whose second page fails at once (before the adapter has sent the first) is no file either', async () => {
    // The case the adapter alone answers with 200, the rows and "Error: …" as a finished body.
    const r = await download('/csv-fails-fast');
    expect(r.failed).toBe(true);
  });

  it('a CSV whose first page fails is no file either', async () => {
    const r = await download('/csv-fails-at-once');
    expect(r.failed).toBe(true);
  });

  it('an XLSX whose second page fails aborts the connection too', async () => {
    const r = await download('/xlsx-fails');
    expect(r.status).toBe(200);
    expect(r.failed).toBe(true);
  });

  it('a CSV that completes ends normally (the check above can tell the two apart)', async () => {
    const res = await fetch(`${base}/csv-ok`);
    const text = await res.text();
    expect(text.split('\r\n').filter(Boolean)).toHaveLength(4);
    expect(text).toContain('YQ-3');
  });
});
