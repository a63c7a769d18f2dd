import type { Db } from '../../../db/client.js';
import { BUSINESS_TZ } from '../../../core/business-time.js';
import { failuresFrom, recordFailureFrom } from '../../../db/repos/login-throttle.js';
import { deleteSession, deleteUserSessions } from '../../../db/repos/sessions.js';
import { clearFailedLogins, countFailedLogin, findUser, findUserByUsername, lockUser, updateUser } from '../../../db/repos/users.js';
import { writeAudit } from '../../../db/repos/audit.js';
import type { User } from '../../../db/schema-auth.js';
import { toSessionUser } from '../../../services/users/present.js';
import { AppError, fieldError } from '../../../platform/errors.js';
import type { Actor, SessionUser } from '../../middleware/auth.js';
import type { ModuleDeps } from '../../../services/shared/deps.js';
import { hashPassword, passwordProblem, verifyDummy, verifyPassword } from '../../../services/users/password.js';
import { startSession, type NewSessionTokens } from './session.js';

// Sign-in with per-account lockout and per-address throttling; password change.

/** Defaults of LOGIN_MAX_FAILURES and LOGIN_LOCKOUT_MINUTES (platform/config.ts). */
export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MS = 15 * 60_000;
export const IP_WINDOW_MS = 15 * 60_000;
export const MAX_IP_FAILURES = 20;

/** "14:05" in business time (Asia/Shanghai). */
function clockTime(d: Date): string {
  return new Intl.DateTimeFormat('zh-CN', { timeZone: BUSINESS_TZ, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(d);
}

function badCredentials(): AppError {
  return new AppError({ code: 'UNAUTHORIZED', message: 'Wrong username or password', messageZh: '用户名或密码错误' });
}

function locked(until: Date): AppError {
  const hhmm = clockTime(until);
  return new AppError({
    code: 'RATE_LIMITED',
    message: `Account locked after repeated failed sign-ins; try again after ${hhmm} (${BUSINESS_TZ})`,
    messageZh: `账户已锁定，请于 ${hhmm} 后再试`,
    details: { lockedUntil: until.toISOString() },
  });
}

function throttled(): AppError {
  return new AppError({
    code: 'RATE_LIMITED',
    message: 'Too many failed sign-ins from this address; try again in 15 minutes',
    messageZh: '登录失败次数过多，请 15 分钟后再试',
  });
}

export interface LoginResult extends NewSessionTokens {
  user: SessionUser;
}

export async function login(
  deps: ModuleDeps,
  input: { username: string; password: string },
  client: { ip: string; userAgent: string },
  previousSessionId?: string,
): Promise<LoginResult> {
  const now = deps.now();
  if ((await failuresFrom(deps.db, client.ip, now, IP_WINDOW_MS)) >= MAX_IP_FAILURES) throw throttled();
  const maxFailures = deps.config.LOGIN_MAX_FAILURES ?? MAX_FAILED_LOGINS;
  const lockoutMs = (deps.config.LOGIN_LOCKOUT_MINUTES ?? LOCKOUT_MS / 60_000) * 60_000;
  const user = await findUserByUsername(deps.db, input.username);
  // Every failed attempt is an audit row too (等保: 登录失败处理与审计), written in the transaction
  // that counts the failure (per address, and per account when there is one); the per-address
  // throttle above bounds how many one client can write.
  const recordFailure = async (trx: Db, err: AppError, action: string): Promise<void> => {
    await recordFailureFrom(trx, client.ip, now, IP_WINDOW_MS);
    await writeAudit(trx, {
      actor: { id: user?.id ?? null, name: user ? user.display_name || user.username : input.username.slice(0, 100), ip: client.ip },
      entity: 'user',
      entityId: user?.id ?? 0,
      action,
      after: { username: input.username.slice(0, 100), reason: err.code },
    });
  };
  const fail = async (err: AppError): Promise<never> => {
    await deps.db.transaction().execute((trx) => recordFailure(trx, err, 'auth.login_failed'));
    throw err;
  };

  if (!user) {
    await verifyDummy(input.password);
    return fail(badCredentials());
  }
  if (user.locked_until && user.locked_until > now) return fail(locked(user.locked_until));
  if (!(await verifyPassword(user.password_hash, input.password))) {
    const lockedUntil = await deps.db.transaction().execute(async (trx) => {
      const failures = await countFailedLogin(trx, user.id);
      if (failures < maxFailures) {
        await recordFailure(trx, badCredentials(), 'auth.login_failed');
        return null;
      }
      const until = new Date(now.getTime() + lockoutMs);
      await lockUser(trx, user.id, until);
      await recordFailure(trx, locked(until), 'auth.lockout');
      return until;
    });
    if (lockedUntil === null) throw badCredentials();
    deps.logger.warn({ user_id: user.id, ip: client.ip }, 'Account locked after failed sign-ins');
    throw locked(lockedUntil);
  }
  if (user.disabled) {
    throw new AppError({ code: 'FORBIDDEN', message: 'This account is disabled; ask an administrator', messageZh: '账户已停用，请联系系统管理员' });
  }
  // The session, the end of the one the client came with (no session fixation: always a fresh
  // one), the failure counter's reset and the audit row commit together.
  const tokens = await deps.db.transaction().execute(async (trx) => {
    if (user.failed_logins > 0 || user.locked_until) await clearFailedLogins(trx, user.id);
    if (previousSessionId !== undefined) await deleteSession(trx, previousSessionId);
    const fresh = await startSession(trx, deps.config, user.id, { now, ip: client.ip, userAgent: client.userAgent });
    await writeAudit(trx, {
      actor: { id: user.id, name: user.display_name || user.username, ip: client.ip },
      entity: 'user',
      entityId: user.id,
      action: 'auth.login',
      after: { userAgent: client.userAgent.slice(0, 200), ...(previousSessionId !== undefined ? { previousSessionEnded: true } : {}) },
    });
    return fresh;
  });
  return { ...tokens, user: toSessionUser(user) };
}

/** Ends a session server-side (the row goes: the cookie is worthless afterwards), with its audit row. */
export async function logout(db: Db, sessionId: string, actor: Actor): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await deleteSession(trx, sessionId);
    await writeAudit(trx, { actor, entity: 'user', entityId: actor.id ?? '', action: 'auth.logout' });
  });
}

/**
 * Changes the caller's password and ends every session of theirs, the current one included: the
 * caller continues in a fresh session (new cookie, new CSRF token), so no session id survives a
 * password change.
 */
export async function changePassword(
  deps: ModuleDeps,
  me: SessionUser,
  sessionId: string,
  input: { currentPassword: string; newPassword: string },
  actor: Actor,
  client: { ip: string; userAgent: string } = { ip: actor.ip, userAgent: '' },
): Promise<NewSessionTokens> {
  const user = await findUser(deps.db, me.id);
  if (!user || !(await verifyPassword(user.password_hash, input.currentPassword))) {
    throw fieldError('currentPassword', 'is wrong', '不正确');
  }
  const problem = passwordProblem(user.username, input.newPassword, deps.config);
  if (problem) throw fieldError('newPassword', problem.message, problem.messageZh);
  const passwordHash = await hashPassword(input.newPassword);
  return deps.db.transaction().execute(async (trx) => {
    await updateUser(trx, me.id, { password_hash: passwordHash, password_changed_at: deps.now(), updated_at: deps.now() });
    const ended = await deleteUserSessions(trx, me.id, sessionId);
    await deleteSession(trx, sessionId);
    const tokens = await startSession(trx, deps.config, me.id, { now: deps.now(), ip: client.ip, userAgent: client.userAgent });
    await writeAudit(trx, { actor, entity: 'user', entityId: me.id, action: 'password.change', after: { otherSessionsEnded: ended, sessionRotated: true } });
    return tokens;
  });
}
