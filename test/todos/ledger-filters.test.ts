import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiFixture, type ApiFixture } from '../helpers/app.js';
import { sessionFor } from '../helpers/auth.js';
import type { Office } from '../helpers/factories.js';

// The ledger's response-state filters (待审核 / 已退回 / 待发布) and its 领导批示 column, in the
// API and the CSV export, scoped like every ledger read.

const NOW = new Date('2026-12-07T02:00:00Z');
let f: ApiFixture;
let o: Office;
const ids: Record<string, string> = {};

async function ledger(userId: number, query: string): Promise<{ status: number; titles: string[]; rows: { title: string; instructions: unknown[] }[] }> {
  const res = await f.requestAs(await sessionFor(f.db, { id: userId }, NOW), 'GET', `/api/cases?${query}`);
  const body = (await res.json()) as { cases?: { title: string; instructions: unknown[] }[] };
  const rows = body.cases ?? [];
  return { status: res.status, titles: rows.map((r) => r.title).sort(), rows };
}

beforeAll(async () => {
  f = await createApiFixture('ledger_filters', { now: () => NOW });
  o = await f.newOffice();
  for (const [key, status] of [['s', 'submitted'], ['r', 'returned'], ['a', 'approved'], ['d', 'draft']] as const) {
    ids[key] = (await f.newCase({ lead: o.dept, clockStartedAt: new Date(NOW.getTime() - 3_600_000), title: `台账-${status}` })).id;
    await f.db.insertInto('responses').values({ case_id: ids[key]!, status, body: '稿', drafted_by: o.handler }).execute();
  }
  ids.other = (await f.newCase({ lead: o.otherDept, clockStartedAt: NOW, title: '台账-外单位' })).id;
  await f.db.insertInto('responses').values({ case_id: ids.other, status: 'submitted', body: '稿', drafted_by: o.otherHandler }).execute();
  const leader = await sessionFor(f.db, { id: o.leaderInCharge }, NOW);
  expect((await f.requestAs(leader, 'POST', `/api/cases/${ids.s}/instructions`, { content: '请从速审核发布' })).status).toBe(201);
});
afterAll(async () => {
  await f.tdb.drop();
});

describe('ledger: response-state filters and the 批示 column', () => {
  it('filters by 待审核, 已退回 and 待发布', async () => {
    expect((await ledger(o.reviewer, 'responseStatus=submitted')).titles).toEqual(['台账-submitted', '台账-外单位'].sort());
    expect((await ledger(o.reviewer, 'responseStatus=returned')).titles).toEqual(['台账-returned']);
    expect((await ledger(o.reviewer, 'responseStatus=approved')).titles).toEqual(['台账-approved']);
    expect((await ledger(o.reviewer, 'responseStatus=published')).status).toBe(400);
  });

  it('keeps the department scoping: a handler sees only their department under the filter', async () => {
    expect((await ledger(o.handler, 'responseStatus=submitted')).titles).toEqual(['台账-submitted']);
    expect((await ledger(o.otherHandler, 'responseStatus=submitted')).titles).toEqual(['台账-外单位']);
  });

  it('lists the 批示 on the row and in the export', async () => {
    const { rows } = await ledger(o.leaderInCharge, 'responseStatus=submitted');
    const row = rows.find((r) => r.title === '台账-submitted')!;
    expect(row.instructions).toEqual([{ authorName: expect.any(String), content: '请从速审核发布', reported: false }]);
    const csv = await f.request('GET', '/api/cases/export?format=csv');
    expect(csv.status).toBe(200);
    const text = await csv.text();
    expect(text).toContain('领导批示');
    expect(text).toContain('请从速审核发布');
  });
});
