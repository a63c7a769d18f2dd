import { sql } from 'kysely';
import type { Db } from '../client.js';
import type { MediaType } from '../../core/vocabulary.js';
import type { TokenScope } from '../schema-tokens.js';

// API tokens (管理 → 接口令牌) and the intake sources they push to. Secrets are never stored: only
// their sha256.

export async function listApiTokens(db: Db) {
  return db
    .selectFrom('api_tokens')
    .leftJoin('users', 'users.id', 'api_tokens.created_by')
    .selectAll('api_tokens')
    .select(sql<string | null>`coalesce(nullif(users.display_name, ''), users.username)`.as('created_by_name'))
    .orderBy('api_tokens.id', 'desc')
    .execute();
}

export async function insertApiToken(db: Db, values: { name: string; tokenHash: string; tokenPrefix: string; scopes: TokenScope[]; createdBy: number | null }) {
  return db
    .insertInto('api_tokens')
    .values({ name: values.name, token_hash: values.tokenHash, token_prefix: values.tokenPrefix, scopes: values.scopes, created_by: values.createdBy })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Revokes the token (once); returns the row before, or undefined when there is no such token. */
export async function revokeApiToken(db: Db, id: number, by: number | null, now: Date) {
  const before = await db.selectFrom('api_tokens').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  if (!before) return undefined;
  if (before.revoked_at === null) await db.updateTable('api_tokens').set({ revoked_at: now, revoked_by: by }).where('id', '=', id).execute();
  return before;
}

/**
 * The live token with this hash, its last use set to now and its request counted in the current
 * one-minute window (a new window when the last one is over), in one statement: the count is
 * right across server processes. Undefined for an unknown or revoked token.
 */
export async function useApiToken(db: Db, tokenHash: string, now: Date) {
  const r = await sql<{ id: number; name: string; scopes: TokenScope[]; token_hash: string; window_count: number; window_start: Date }>`
    update api_tokens set
      last_used_at = ${now}::timestamptz,
      window_count = case when window_start is null or window_start <= ${now}::timestamptz - interval '1 minute' then 1 else window_count + 1 end,
      window_start = case when window_start is null or window_start <= ${now}::timestamptz - interval '1 minute' then ${now}::timestamptz else window_start end
    where token_hash = ${tokenHash} and revoked_at is null
    returning id, name, scopes, token_hash, window_count, window_start`.execute(db);
  return r.rows[0];
}

/**
 * Whether the token is still live, its row share-locked for the caller's transaction: a revocation
 * (which locks the row for update) waits for a batch already under way, and a batch that comes
 * after the revocation's lock sees it revoked once it commits.
 */
export async function lockLiveToken(db: Db, id: number): Promise<boolean> {
  const row = await db.selectFrom('api_tokens').select('id').where('id', '=', id).where('revoked_at', 'is', null).forShare().executeTakeFirst();
  return row !== undefined;
}

/** The intake source of this token and source name, created on first use (locked for the batch). */
export async function intakeSource(db: Db, tokenId: number, name: string, mediaType: MediaType) {
  await db
    .insertInto('sources')
    .values({
      name,
      url: `intake:${tokenId}:${encodeURIComponent(name)}`,
      kind: 'intake',
      media_type: mediaType,
      intake_token_id: tokenId,
      status: 'ok',
      status_message: '接口推送 / Intake API',
    })
    .onConflict((oc) => oc.column('url').doNothing())
    .execute();
  return db
    .selectFrom('sources')
    .select(['id', 'enabled'])
    .where('intake_token_id', '=', tokenId)
    .where('name', '=', name)
    .where('kind', '=', 'intake')
    .forNoKeyUpdate()
    .executeTakeFirstOrThrow();
}

/** An intake batch's mark on its source: the last success and, with new items, the last new item. */
export async function markIntakeSource(db: Db, sourceId: number, total: number, inserted: number, now: Date) {
  await db
    .updateTable('sources')
    .set({
      last_success_at: now,
      ...(inserted > 0 ? { last_new_item_at: now } : {}),
      status: 'ok',
      status_message: `接口推送：共 ${total} 条，新增 ${inserted} 条 / intake: ${total} items, ${inserted} new`,
      updated_at: now,
    })
    .where('id', '=', sourceId)
    .execute();
}
