import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { writeAudit } from '../../db/repos/audit.js';
import * as repo from '../../db/repos/api-tokens.js';
import type { TokenScope } from '../../db/schema-tokens.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { Actor } from '../shared/actor.js';
import type { ModuleDeps } from '../shared/deps.js';
import { iso } from '../shared/present.js';
import type { ApiTokenCreate, ApiTokenView } from './schema.js';

// API tokens (管理 → 接口令牌): a random secret shown once, stored as its sha256, scoped,
// revocable, with its last use. Creation and revocation are audited in their transaction.

/** Requests one token may make per minute (the intake API answers 429 above it). */
export const TOKEN_REQUESTS_PER_MINUTE = 60;
const TOKEN_PREFIX = 'odk_';

export function hashToken(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

type Row = Awaited<ReturnType<typeof repo.listApiTokens>>[number];

function present(r: Omit<Row, 'created_by_name'> & { created_by_name?: string | null }): ApiTokenView {
  return {
    id: r.id,
    name: r.name,
    prefix: r.token_prefix,
    scopes: r.scopes,
    createdAt: iso(r.created_at),
    createdBy: r.created_by_name ?? null,
    lastUsedAt: r.last_used_at ? iso(r.last_used_at) : null,
    revokedAt: r.revoked_at ? iso(r.revoked_at) : null,
  };
}

export async function listTokens(deps: ModuleDeps): Promise<ApiTokenView[]> {
  return (await repo.listApiTokens(deps.db)).map(present);
}

/** A new token; its secret is in the answer and nowhere else. */
export async function createToken(deps: ModuleDeps, input: ApiTokenCreate, actor: Actor): Promise<ApiTokenView & { token: string }> {
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const row = await deps.db.transaction().execute(async (trx) => {
    const inserted = await repo.insertApiToken(trx, {
      name: input.name,
      tokenHash: hashToken(token),
      tokenPrefix: token.slice(0, TOKEN_PREFIX.length + 6),
      scopes: input.scopes,
      createdBy: actor.id,
    });
    await writeAudit(trx, { actor, entity: 'api_token', entityId: inserted.id, action: 'api_token.create', after: { name: inserted.name, prefix: inserted.token_prefix, scopes: inserted.scopes } });
    return inserted;
  });
  return { ...present({ ...row, created_by_name: actor.name }), token };
}

export async function revokeToken(deps: ModuleDeps, id: number, actor: Actor): Promise<ApiTokenView> {
  await deps.db.transaction().execute(async (trx) => {
    const before = await repo.revokeApiToken(trx, id, actor.id, deps.now());
    if (!before) throw notFound('API token', '接口令牌');
    if (before.revoked_at === null) {
      await writeAudit(trx, { actor, entity: 'api_token', entityId: id, action: 'api_token.revoke', before: { name: before.name, revokedAt: null }, after: { revokedAt: deps.now().toISOString() } });
    }
  });
  const found = (await repo.listApiTokens(deps.db)).find((t) => t.id === id);
  if (!found) throw notFound('API token', '接口令牌');
  return present(found);
}

export interface TokenCaller {
  id: number;
  name: string;
  scopes: TokenScope[];
}

function badToken(): AppError {
  return new AppError({ code: 'UNAUTHORIZED', message: 'A valid API token is required (Authorization: Bearer …)', messageZh: '需要有效的接口令牌（Authorization: Bearer …）' });
}

/**
 * The caller of a token route: the token named by `Authorization: Bearer …`, live (not revoked),
 * holding `scope`, within its rate limit. 401 for a missing, unknown or revoked token, 403 for a
 * missing scope, 429 over the limit. Each use sets the token's last use.
 */
export async function authenticateToken(deps: ModuleDeps, authorization: string | undefined, scope: TokenScope): Promise<TokenCaller> {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!m || !m[1]!.startsWith(TOKEN_PREFIX) || m[1]!.length > 200) throw badToken();
  const hash = hashToken(m[1]!);
  const now = deps.now();
  const row = await repo.useApiToken(deps.db, hash, now);
  // The row was found by its hash; compare the two in constant time all the same.
  if (!row || !timingSafeEqual(Buffer.from(row.token_hash), Buffer.from(hash))) throw badToken();
  if (!row.scopes.includes(scope)) {
    throw new AppError({ code: 'FORBIDDEN', message: `This token lacks the scope ${scope}`, messageZh: `该接口令牌没有此权限（${scope}）` });
  }
  if (row.window_count > TOKEN_REQUESTS_PER_MINUTE) {
    const retryS = Math.max(1, Math.ceil((row.window_start.getTime() + 60_000 - now.getTime()) / 1000));
    throw new AppError({
      code: 'RATE_LIMITED',
      message: `Too many requests with this token: at most ${TOKEN_REQUESTS_PER_MINUTE} a minute, retry in ${retryS} s`,
      messageZh: `该接口令牌请求过于频繁：每分钟最多 ${TOKEN_REQUESTS_PER_MINUTE} 次，请 ${retryS} 秒后重试`,
      details: { retryAfterS: retryS },
    });
  }
  return { id: row.id, name: row.name, scopes: row.scopes };
}
