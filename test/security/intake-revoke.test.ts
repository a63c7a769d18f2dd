import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokeApiToken } from '../../db/repos/api-tokens.js';
import { loadConfig } from '../../platform/config.js';
import { createLogger } from '../../platform/logger.js';
import { RuleCache } from '../../services/crawl/rules-cache.js';
import { submitItems } from '../../services/intake/intake.js';
import { authenticateToken } from '../../services/intake/tokens.js';
import type { ModuleDeps } from '../../services/shared/deps.js';
import { createApiFixture, errorOf, type ApiFixture } from '../helpers/app.js';

// A token revoked while one of its batches is under way: the batch is authenticated first, then
// stored in a transaction of its own, and a revocation committed in between used to let the batch
// in after 吊销 had answered — a leaked token went on writing after the admin saw it revoked. Now
// the batch re-checks the token under a share lock in its transaction: refused (401, nothing
// stored) once revoked, and a revocation holding the row makes a batch wait and then refuses it.
// Also: a pushed date the crawler would not believe (years ahead, or year 1 — which made the item
// the 首发 of its story) was stored as given; now that item is rejected with the reason.

let f: ApiFixture;
beforeAll(async () => {
  f = await createApiFixture('secintakerevoke');
});
afterAll(async () => {
  await f?.tdb.drop();
});

const item = (n: number) => ({ externalId: `R-${n}`, title: `城东路灯不亮第${n}天`, text: '夜间行人看不清路面。', sourceName: '12345热线（推送）' });
const push = (token: string, items: unknown[]) => f.requestAs(null, 'POST', '/api/intake/items', { items }, { authorization: `Bearer ${token}` });
const itemCount = async () => Number((await f.db.selectFrom('items').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

/** Until `done` or a backend of this database waits on a row lock (polled; bounded). */
async function untilBlockedOr(done: () => boolean): Promise<boolean> {
  for (let i = 0; i < 1000 && !done(); i++) {
    const r = await sql<{ n: string }>`select count(*)::text as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(f.db);
    if (Number(r.rows[0]!.n) > 0) return true;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return false;
}

describe('token revoked while a batch is in flight', () => {
  it('a batch authenticated before the revocation and stored after it is refused (was stored)', async () => {
    const created = (await (await f.request('POST', '/api/api-tokens', { name: '网格对接' })).json()) as { id: number; token: string };
    const deps: ModuleDeps = {
      db: f.db,
      config: loadConfig({}),
      logger: createLogger('silent', 'test'),
      redis: null,
      events: f.events,
      now: () => new Date(),
      emit: async () => {},
    };
    // The route's first step: the token is live.
    const caller = await authenticateToken(deps, `Bearer ${created.token}`, 'items:submit');
    // The admin revokes it before the batch's transaction begins.
    expect((await f.request('POST', `/api/api-tokens/${created.id}/revoke`)).status).toBe(200);
    const before = await itemCount();
    const actor = { id: null, name: `接口令牌：${caller.name}`, ip: '127.0.0.1' };
    await expect(submitItems(deps, new RuleCache(f.db, 0), caller, [item(20)], actor)).rejects.toMatchObject({ code: 'UNAUTHORIZED', messageZh: '接口令牌已被吊销' });
    expect(await itemCount()).toBe(before);
  });

  it('a batch that reaches the token after the revocation took it is refused and stores nothing', async () => {
    const created = (await (await f.request('POST', '/api/api-tokens', { name: '热线对接' })).json()) as { id: number; token: string };
    // The token's intake source exists already (a first batch), so the batch takes no other lock on the token.
    expect((await push(created.token, [item(1)])).status).toBe(207);
    const before = await itemCount();

    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let taken!: () => void;
    const revokedInTx = new Promise<void>((r) => (taken = r));
    const revoking = f.db.transaction().execute(async (trx) => {
      await revokeApiToken(trx, created.id, f.admin.id, new Date());
      taken();
      await held;
    });
    await revokedInTx;

    let settled = false;
    const inFlight = push(created.token, [item(2), item(3)]).finally(() => (settled = true));
    const blocked = await untilBlockedOr(() => settled);
    release();
    await revoking;
    const res = await inFlight;

    expect(blocked).toBe(true);
    expect(res.status).toBe(401);
    expect((await errorOf(res)).code).toBe('UNAUTHORIZED');
    expect(await itemCount()).toBe(before);
    // Refused from then on, as before.
    expect((await push(created.token, [item(4)])).status).toBe(401);
  });

  it('a live token still pushes, and a batch of an unrevoked token is not held up', async () => {
    const created = (await (await f.request('POST', '/api/api-tokens', { name: '信箱对接' })).json()) as { id: number; token: string };
    const res = await push(created.token, [item(10), item(11)]);
    expect(res.status).toBe(207);
    expect(((await res.json()) as { accepted: number }).accepted).toBe(2);
  });
});

describe('pushed dates the crawler would not believe', () => {
  it('an item dated more than a day ahead or before 1990 is rejected with the reason; the rest of the batch goes in', async () => {
    const created = (await (await f.request('POST', '/api/api-tokens', { name: '日期对接' })).json()) as { token: string };
    const soon = new Date(Date.now() + 3_600_000).toISOString();
    const res = await push(created.token, [
      { ...item(30), publishedAt: '9999-12-31T00:00:00Z' },
      { ...item(31), publishedAt: '0001-01-01T00:00:00Z' },
      { ...item(32), publishedAt: soon },
      { ...item(33), publishedAt: '2026-12-01T08:00:00+08:00' },
    ]);
    expect(res.status).toBe(207);
    const body = (await res.json()) as { accepted: number; rejected: number; results: { status: string; reasonZh?: string }[] };
    expect(body.results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'accepted', 'accepted']);
    expect(body.results[0]!.reasonZh).toContain('晚于当前时间一天以上');
    expect(body.results[1]!.reasonZh).toContain('早于 1990 年');
    const stored = await f.db.selectFrom('items').select('published_at').where('guid', 'in', ['R-30', 'R-31']).execute();
    expect(stored).toEqual([]);
  });
});
