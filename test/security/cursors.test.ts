import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiFixture, errorOf, type ApiFixture } from '../helpers/app.js';

// Crafted paging cursors: every list route that pages by cursor answers a cursor it did not issue
// with 400 VALIDATION and a message in both languages, never a 500 from Postgres reading an
// impossible date (2026-99-99T99:99:99) or an out-of-range number.

let f: ApiFixture;

beforeAll(async () => {
  f = await createApiFixture('seccursor');
});
afterAll(async () => {
  await f?.tdb.drop();
});

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v), 'utf8').toString('base64url');

const BAD_TIMES = ['2026-99-99T99:99:99.000000Z', '2026-02-30T10:00:00.000000Z', '2026-12-01T24:00:00.000000Z', '0000-01-01T00:00:00.000000Z', '2026-12-01T10:61:00.000000Z'];

/** Cursors that have the right outer shape but an impossible key, plus plain garbage. */
function keysetCursors(): string[] {
  return ['2026-99-99T99:99:99Z', 'garbage!!', b64('not json'), b64([]), ...BAD_TIMES.map((t) => b64([t, '1'])), b64(['2026-12-01T10:00:00.000000Z', '99999999999999999999'])];
}

const TABLE: { route: string; cursors: string[] }[] = [
  { route: '/api/alerts', cursors: keysetCursors() },
  { route: '/api/items', cursors: keysetCursors() },
  { route: '/api/notifications', cursors: keysetCursors() },
  { route: '/api/reports', cursors: keysetCursors() },
  {
    route: '/api/cases',
    cursors: ['2026-99-99T99:99:99Z', 'garbage!!', ...BAD_TIMES.map((t) => b64(['openedAt', 'desc', t, '1'])), b64(['level', 'desc', '999', '1'])],
  },
  { route: '/api/audit', cursors: ['2026-99-99T99:99:99Z', 'garbage!!', b64('0'), b64('99999999999999999999')] },
];

describe('crafted paging cursors', () => {
  it('the table names every GET route that takes a cursor (read from the OpenAPI document)', async () => {
    const doc = (await (await f.request('GET', '/api/openapi.json')).json()) as {
      paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>;
    };
    const withCursor = Object.entries(doc.paths)
      .filter(([, ops]) => ops.get?.parameters?.some((p) => p.in === 'query' && p.name === 'cursor'))
      .map(([path]) => path)
      .sort();
    expect(withCursor).toEqual(TABLE.map((t) => t.route).sort());
  });

  for (const { route, cursors } of TABLE) {
    it(`${route}: 400 with a message in both languages for every crafted cursor`, async () => {
      for (const cursor of cursors) {
        const res = await f.request('GET', `${route}?cursor=${encodeURIComponent(cursor)}`);
        expect({ cursor, status: res.status }).toEqual({ cursor, status: 400 });
        const e = await errorOf(res);
        expect(e.code).toBe('VALIDATION');
        expect(e.message).toMatch(/cursor/);
        expect(e.messageZh).toMatch(/cursor.*无效/);
      }
    });
  }

  it('a cursor the API issued still pages', async () => {
    for (let i = 0; i < 3; i++) await f.newAlert({ title: `翻页 ${i}`, firstSeen: new Date(Date.UTC(2026, 11, 1, i)) });
    const first = (await (await f.request('GET', '/api/alerts?limit=2')).json()) as { alerts: unknown[]; nextCursor: string | null };
    expect(first.alerts).toHaveLength(2);
    expect(first.nextCursor).not.toBeNull();
    const second = await f.request('GET', `/api/alerts?limit=2&cursor=${encodeURIComponent(first.nextCursor!)}`);
    expect(second.status).toBe(200);
    expect(((await second.json()) as { alerts: unknown[] }).alerts).toHaveLength(1);
  });
});
