import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createDb } from '../../db/client.js';
import { verifyAuditChain, writeAudit } from '../../db/repos/audit.js';
import { loadConfig } from '../../platform/config.js';
import { runAuditAnchor } from '../../worker/jobs/audit.anchor.js';
import { createApiFixture, type ApiFixture } from '../helpers/app.js';
import { createTestDb } from '../helpers/db.js';

// Issue 15 §1 hole 3: a rewritten chain must not verify. An attacker with the database's rights
// (the trigger disabled, as the table owner or a superuser can) changes a row, recomputes every
// following hash with the published formula sha256(previous hash || audit_log_content(row)) and
// moves audit_chain_head: the chain is keyed (an HMAC whose key is not in the database), so verify
// names the changed row. Deleting the newest rows and moving the head back is caught against the
// anchors the audit.anchor job appends to a file outside Postgres.

let f: ApiFixture;
let dataDir: string;

async function verifyApi() {
  const res = await f.request('GET', '/api/audit/verify');
  expect(res.status).toBe(200);
  return (await res.json()) as { ok: boolean; rows: number; firstBadId: string | null; messageZh: string };
}

/** What an attacker with database rights but without the key can do: rehash from `fromSeq` on with the public formula. */
async function rewriteUnkeyed(fromSeq: number) {
  await sql`alter table audit_log disable trigger user`.execute(f.db);
  try {
    await sql`
      do $$
      declare
        r audit_log;
        h text;
      begin
        select hash into h from audit_log where chain_seq = ${sql.lit(fromSeq - 1)};
        for r in select * from audit_log where chain_seq >= ${sql.lit(fromSeq)} order by chain_seq loop
          h := encode(sha256(convert_to(h || audit_log_content(r), 'UTF8')), 'hex');
          update audit_log set hash = h where id = r.id;
        end loop;
        update audit_chain_head set seq = (select max(chain_seq) from audit_log), hash = h where id = 1;
      end $$`.execute(f.db);
  } finally {
    await sql`alter table audit_log enable trigger user`.execute(f.db);
  }
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'od-anchor-'));
  f = await createApiFixture('keyedchain', { config: loadConfig({ DATA_DIR: dataDir, QUEUE_PREFIX: 'odtest-keyedchain', AUDIT_KEY: process.env.AUDIT_KEY }) });
  for (let i = 0; i < 12; i++) await writeAudit(f.db, { actor: null, entity: 'test', entityId: i, action: 'test.row', after: { i } });
});
afterAll(async () => {
  await f?.tdb.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the keyed audit chain and its anchors', () => {
  it('verifies clean, and the anchor job appends {at, rowId, hash, count} to a file outside the database', async () => {
    expect(await verifyApi()).toMatchObject({ ok: true, firstBadId: null });
    const a = await runAuditAnchor(f.db, dataDir, new Date('2026-12-07T00:00:00Z'));
    const head = (await sql<{ id: string; hash: string; n: string }>`
      select id::text, hash, (select count(*) from audit_log)::text as n from audit_log order by chain_seq desc limit 1`.execute(f.db)).rows[0]!;
    expect(a).toMatchObject({ at: '2026-12-07T00:00:00.000Z', rowId: head.id, hash: head.hash, count: Number(head.n) });
    const lines = readFileSync(a.file, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ rowId: head.id, hash: head.hash, count: Number(head.n) });
    expect(a.file.startsWith(dataDir)).toBe(true);
    expect(await verifyApi()).toMatchObject({ ok: true, firstBadId: null, messageZh: expect.stringContaining('与 1 个锚点一致') });
  });

  it('a row changed with the trigger off and the rest rehashed with the public formula is named', async () => {
    const victim = (await sql<{ id: string; chain_seq: string }>`
      select id::text, chain_seq::text from audit_log where action = 'test.row' order by chain_seq offset 4 limit 1`.execute(f.db)).rows[0]!;
    await sql`alter table audit_log disable trigger user`.execute(f.db);
    await sql`update audit_log set after = '{"i": 999}'::jsonb where id = ${victim.id}::bigint`.execute(f.db);
    await sql`alter table audit_log enable trigger user`.execute(f.db);
    await rewriteUnkeyed(Number(victim.chain_seq));
    // The rewrite is consistent under the public formula: exactly what used to verify.
    const v = await verifyApi();
    expect(v.ok).toBe(false);
    expect(v.firstBadId).toBe(victim.id);
    expect(v.messageZh).toMatch(new RegExp(victim.id));
  });
});

describe('deleting the newest rows after an anchor', () => {
  let g: ApiFixture;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'od-anchor2-'));
    g = await createApiFixture('keyedtail', { config: loadConfig({ DATA_DIR: dir, QUEUE_PREFIX: 'odtest-keyedtail', AUDIT_KEY: process.env.AUDIT_KEY }) });
    for (let i = 0; i < 8; i++) await writeAudit(g.db, { actor: null, entity: 'test', entityId: i, action: 'test.row', after: { i } });
  });
  afterAll(async () => {
    await g?.tdb.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is reported against the anchor, naming the anchored row', async () => {
    const anchor = await runAuditAnchor(g.db, dir, new Date('2026-12-07T00:00:00Z'));
    // Rows written after the anchor may be removed only by rewriting history, which the anchor shows.
    const keep = (await sql<{ chain_seq: string; hash: string }>`
      select chain_seq::text, hash from audit_log order by chain_seq desc offset 3 limit 1`.execute(g.db)).rows[0]!;
    await sql`alter table audit_log disable trigger user`.execute(g.db);
    await sql`delete from audit_log where chain_seq > ${keep.chain_seq}::bigint`.execute(g.db);
    await sql`alter table audit_log enable trigger user`.execute(g.db);
    await sql`update audit_chain_head set seq = ${keep.chain_seq}::bigint, hash = ${keep.hash} where id = 1`.execute(g.db);
    const res = await g.request('GET', '/api/audit/verify');
    const v = (await res.json()) as { ok: boolean; firstBadId: string | null; messageZh: string };
    expect(v.ok).toBe(false);
    expect(v.firstBadId).toBe(anchor.rowId);
    expect(v.messageZh).toMatch(/锚点/);
  });
});

describe('rows from before the key, and connections without it', () => {
  let h: ApiFixture;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'od-anchor3-'));
    h = await createApiFixture('keyedlegacy', { config: loadConfig({ DATA_DIR: dir, QUEUE_PREFIX: 'odtest-keyedlegacy', AUDIT_KEY: process.env.AUDIT_KEY }) });
  });
  afterAll(async () => {
    await h?.tdb.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('old rows keep their plain hashes and verify up to keyed_from; moving keyed_from to pass a rewrite is caught by the anchors', async () => {
    // Three rows as migration 0008 wrote them (plain sha256), the head and keyed_from after them.
    await sql`alter table audit_log disable trigger user`.execute(h.db);
    await sql`
      do $$
      declare
        r audit_log;
        h text := repeat('0', 64);
      begin
        for i in 1 .. 3 loop
          r.id := nextval(pg_get_serial_sequence('audit_log', 'id')::regclass);
          r.at := now(); r.actor_name := 'system'; r.ip := ''; r.entity := 'test'; r.entity_id := i::text; r.action := 'test.legacy';
          r.chain_seq := i;
          h := encode(sha256(convert_to(h || audit_log_content(r), 'UTF8')), 'hex');
          r.hash := h;
          insert into audit_log select r.*;
        end loop;
        update audit_chain_head set seq = 3, hash = h, keyed_from = 3 where id = 1;
      end $$`.execute(h.db);
    await sql`alter table audit_log enable trigger user`.execute(h.db);
    for (let i = 0; i < 4; i++) await writeAudit(h.db, { actor: null, entity: 'test', entityId: i, action: 'test.keyed' });
    const ok = (await (await h.request('GET', '/api/audit/verify')).json()) as { ok: boolean; rows: number };
    expect(ok).toMatchObject({ ok: true, rows: 7 });
    await runAuditAnchor(h.db, dir, new Date('2026-12-07T00:00:00Z'));

    // The attacker declares every row "from before the key" and rehashes them with the plain formula.
    await sql`update audit_chain_head set keyed_from = (select max(chain_seq) from audit_log) where id = 1`.execute(h.db);
    await sql`alter table audit_log disable trigger user`.execute(h.db);
    await sql`
      do $$
      declare
        r audit_log;
        h text;
      begin
        select hash into h from audit_log where chain_seq = 3;
        for r in select * from audit_log where chain_seq > 3 order by chain_seq loop
          if r.action = 'test.keyed' and r.entity_id = '1' then r.after := '{"forged": true}'; update audit_log set after = r.after where id = r.id; end if;
          h := encode(sha256(convert_to(h || audit_log_content(r), 'UTF8')), 'hex');
          update audit_log set hash = h where id = r.id;
        end loop;
        update audit_chain_head set hash = h where id = 1;
      end $$`.execute(h.db);
    await sql`alter table audit_log enable trigger user`.execute(h.db);
    const bad = (await (await h.request('GET', '/api/audit/verify')).json()) as { ok: boolean; messageZh: string };
    expect(bad.ok).toBe(false);
    expect(bad.messageZh).toMatch(/密钥起点/);
  });

  it('a connection without the key can neither write an audit row nor pass verification', async () => {
    const scratch = await createTestDb('keyless');
    await writeAudit(scratch.db, { actor: null, entity: 'test', entityId: 'k', action: 'test.keyed' });
    const keyless = createDb(scratch.url, { max: 1, auditKey: '' });
    try {
      await expect(writeAudit(keyless, { actor: null, entity: 'test', entityId: 'x', action: 'test.keyless' })).rejects.toThrow(/audit_chain\.key/);
      const v = await verifyAuditChain(keyless);
      expect(v.ok).toBe(false);
      expect(v.reason?.messageZh).toMatch(/未配置审计密钥/);
    } finally {
      await keyless.destroy();
      await scratch.drop();
    }
  });
});

describe('deleting the oldest rows and moving the retention anchor (a faked purge)', () => {
  let g: ApiFixture;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'od-anchor4-'));
    g = await createApiFixture('keyedprefix', { config: loadConfig({ DATA_DIR: dir, QUEUE_PREFIX: 'odtest-keyedprefix', AUDIT_KEY: process.env.AUDIT_KEY }) });
    for (let i = 0; i < 6; i++) await writeAudit(g.db, { actor: null, entity: 'test', entityId: i, action: 'test.row', after: { i } });
  });
  afterAll(async () => {
    await g?.tdb.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is reported: an anchored row younger than the retention floor cannot have been purged', async () => {
    const anchor = await runAuditAnchor(g.db, dir, new Date());
    for (let i = 0; i < 3; i++) await writeAudit(g.db, { actor: null, entity: 'test', entityId: `later${i}`, action: 'test.row' });
    // Everything up to the row after the anchored one goes; the head's retention anchor is set as
    // audit_log_purge would set it, so the rest links up.
    const cut = (await sql<{ chain_seq: string; hash: string }>`
      select chain_seq::text, hash from audit_log where chain_seq = ${anchor.seq}::bigint + 1`.execute(g.db)).rows[0]!;
    await sql`alter table audit_log disable trigger user`.execute(g.db);
    await sql`delete from audit_log where chain_seq <= ${cut.chain_seq}::bigint`.execute(g.db);
    await sql`alter table audit_log enable trigger user`.execute(g.db);
    await sql`update audit_chain_head set anchor_seq = ${cut.chain_seq}::bigint, anchor_hash = ${cut.hash} where id = 1`.execute(g.db);
    const v = (await (await g.request('GET', '/api/audit/verify')).json()) as { ok: boolean; firstBadId: string | null; messageZh: string };
    expect(v.ok).toBe(false);
    expect(v.firstBadId).toBe(anchor.rowId);
    expect(v.messageZh).toMatch(/未到保存期限/);
  });
});
