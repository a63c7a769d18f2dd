import { createHash, randomBytes } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Db } from '../../../db/client.js';
import { deleteSession, findSessionWithUser, insertSession, touchSession } from '../../../db/repos/sessions.js';
import type { Config } from '../../../platform/config.js';
import type { SessionUser } from '../../middleware/auth.js';
import type { ModuleDeps } from '../../../services/shared/deps.js';

// Server-side sessions. The cookie carries a random 32-byte token (base64url); the database keeps
// only its SHA-256 (hex) as sessions.id, so a leaked table does not yield usable cookies. A session
// ends after SESSION_IDLE_MINUTES without use (last_seen_at, refreshed at most once a minute) or
// SESSION_MAX_HOURS after sign-in (expires_at), whichever comes first.

export const SESSION_COOKIE = 'od_session';
const TOUCH_EVERY_MS = 60_000;

export function sessionIdOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface NewSessionTokens {
  /** The cookie value. */
  token: string;
  csrfToken: string;
  expiresAt: Date;
}

export async function startSession(
  db: Db,
  config: Pick<Config, 'SESSION_MAX_HOURS'>,
  userId: number,
  at: { now: Date; ip?: string; userAgent?: string },
): Promise<NewSessionTokens> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const expiresAt = new Date(at.now.getTime() + config.SESSION_MAX_HOURS * 3600_000);
  await insertSession(db, { id: sessionIdOf(token), userId, csrfToken, ip: at.ip ?? '', userAgent: at.userAgent ?? '', now: at.now, expiresAt });
  return { token, csrfToken, expiresAt };
}

function isHttps(c: Context): boolean {
  const proto = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase();
  return proto === 'https' || new URL(c.req.url).protocol === 'https:';
}

export function setSessionCookie(c: Context, token: string, maxAgeSeconds: number): void {
  setCookie(c, SESSION_COOKIE, token, { httpOnly: true, sameSite: 'Lax', path: '/', secure: isHttps(c), maxAge: maxAgeSeconds });
}

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { httpOnly: true, sameSite: 'Lax', path: '/', secure: isHttps(c) });
}

/** Whether a stored session is still alive at `now`: its user enabled, neither expired nor idle too long. */
function alive(
  row: { disabled: boolean; expires_at: Date; last_seen_at: Date },
  now: Date,
  config: Pick<Config, 'SESSION_IDLE_MINUTES'>,
): boolean {
  const idleLimit = row.last_seen_at.getTime() + config.SESSION_IDLE_MINUTES * 60_000;
  return !row.disabled && now < row.expires_at && now.getTime() < idleLimit;
}

/** Whether the session `id` (sessions.id) is still alive: what a long-lived stream re-checks. */
export async function sessionAlive(deps: Pick<ModuleDeps, 'db' | 'config' | 'now'>, id: string): Promise<boolean> {
  const row = await findSessionWithUser(deps.db, id);
  return row !== undefined && alive(row, deps.now(), deps.config);
}

/** Loads the session and its user (if the cookie names a live one) onto the context. */
export function sessionMiddleware(deps: ModuleDeps): MiddlewareHandler {
  return async (c, next) => {
    const token = getCookie(c, SESSION_COOKIE);
    if (token && /^[A-Za-z0-9_-]{20,100}$/.test(token)) {
      const id = sessionIdOf(token);
      const row = await findSessionWithUser(deps.db, id);
      const now = deps.now();
      if (row) {
        if (!alive(row, now, deps.config)) {
          await deleteSession(deps.db, id);
        } else {
          if (now.getTime() - row.last_seen_at.getTime() >= TOUCH_EVERY_MS) await touchSession(deps.db, id, now);
          const user: SessionUser = {
            id: row.user_id,
            username: row.username,
            displayName: row.display_name,
            role: row.role,
            departmentId: row.department_id,
            isDepartmentHead: row.is_department_head,
            leaderRank: row.leader_rank,
          };
          c.set('user', user);
          c.set('session', { id, csrfToken: row.csrf_token });
        }
      }
    }
    await next();
  };
}
