import type { Db } from '../../../db/client.js';
import { confirmSignIn, reserveSignIn } from '../../../db/repos/login-throttle.js';
import { deleteSession, deleteUserSessions } from '../../../db/repos/sessions.js';
import { findUser, findUserByUsername, updateUser } from '../../../db/repos/users.js';
import { writeAudit } from '../../../db/repos/audit.js';
import { toSessionUser } from '../../../services/users/present.js';
import { AppError, fieldError } from '../../../platform/errors.js';
import type { Actor, SessionUser } from '../../middleware/auth.js';
import type { ModuleDeps } from '../../../services/shared/deps.js';
import { hashPassword, passwordProblem, verifyDummy, verifyPassword } from '../../../services/users/password.js';
import { startSession, type NewSessionTokens } from './session.js';

// Sign-in with per-account lockout and per-address throttling; password change.
//
// Each attempt is reserved (counted as a failure of its address and account) before its password
// is checked, by one statement (db/repos/login-throttle.ts), so concurrent attempts check no more
// passwords than the limits allow; a success gives the reservation back unless the account was
// locked meanwhile. The caller learns only "signed in" or the one generic refusal: an unknown
// name, a wrong password, a locked and a disabled account answer alike. The audit row of each
// refusal keeps the reason, with the typed name as data (the caller is anonymous, whatever they
// typed). Only the per-address throttle answers differently (429): it is about the caller's
// address, not the account.

/** Defaults of LOGIN_MAX_FAILURES and LOGIN_LOCKOUT_MINUTES (platform/config.ts). */
export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MS = 15 * 60_000;
export const IP_WINDOW_MS = 15 * 60_000;
export const MAX_IP_FAILURES = 20;

/** Why a sign-in was refused, as its audit row records it (never told to the caller). */
export type SignInRefusal = 'UNKNOWN_USER' | 'WRONG_PASSWORD' | 'LOCKED' | 'DISABLED';

/** The one answer to every refused sign-in (no account enumeration). */
export function signInRefused(): AppError {
  return new AppError({
    code: 'UNAUTHORIZED',
    message: 'Wrong username or password, or the account is not available; try again later or ask an administrator',
    messageZh: '用户名或密码错误，或账号暂不可用，请稍后再试或联系管理员',
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
  const maxFailures = deps.config.LOGIN_MAX_FAILURES ?? MAX_FAILED_LOGINS;
  const lockoutMs = (deps.config.LOGIN_LOCKOUT_MINUTES ?? LOCKOUT_MS / 60_000) * 60_000;
  const user = await findUserByUsername(deps.db, input.username);
  const reservation = await reserveSignIn(deps.db, client.ip, user?.id ?? null, {
    now,
    windowMs: IP_WINDOW_MS,
    maxAddressFailures: MAX_IP_FAILURES,
    maxFailures,
    lockoutMs,
  });
  if (!reservation.address) throw throttled();

  // Every refused attempt is an audit row (等保: 登录失败处理与审计); the reservation above already
  // counted it, and the per-address throttle bounds how many one client can write. The actor is
  // anonymous: the typed name is only data.
  const refuse = async (reason: SignInRefusal): Promise<never> => {
    const lockedUntil = reason === 'WRONG_PASSWORD' ? reservation.lockedUntil : null;
    await writeAudit(deps.db, {
      actor: { id: null, name: 'anonymous', ip: client.ip },
      entity: 'user',
      entityId: user?.id ?? 0,
      action: lockedUntil ? 'auth.lockout' : 'auth.login_failed',
      after: { username: input.username.slice(0, 100), reason, ...(lockedUntil ? { lockedUntil: lockedUntil.toISOString() } : {}) },
    });
    if (lockedUntil) deps.logger.warn({ user_id: user?.id, ip: client.ip }, 'Account locked after failed sign-ins');
    throw signInRefused();
  };

  if (!user) {
    await verifyDummy(input.password);
    return refuse('UNKNOWN_USER');
  }
  // Locked, or as many attempts as the limit allows are being checked: refused unchecked.
  if (reservation.seq === null) return refuse('LOCKED');
  if (!(await verifyPassword(user.password_hash, input.password))) return refuse('WRONG_PASSWORD');
  if (user.disabled) return refuse('DISABLED');
  // The session, the end of the one the client came with (no session fixation: always a fresh
  // one), the reservation given back and the audit row commit together — unless the account was
  // locked while the password was being checked.
  const tokens = await deps.db.transaction().execute(async (trx) => {
    if (!(await confirmSignIn(trx, client.ip, user.id, reservation, now))) return null;
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
  if (!tokens) return refuse('LOCKED');
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
