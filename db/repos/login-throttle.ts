import { sql } from 'kysely';
import type { Db } from '../client.js';

// Sign-in throttling: failed sign-ins per client address (login_throttle, a window of windowMs) and
// per account (users.failed_logins, locked_until). An attempt is reserved — counted as a failure of
// both — BEFORE its password is checked, by one statement that also checks both limits under the
// rows' locks, so any number of concurrent attempts checks at most as many passwords as the limits
// allow. A success gives its reservation back.

export interface SignInLimits {
  now: Date;
  /** The per-address window (ms) and the failures it allows. */
  windowMs: number;
  maxAddressFailures: number;
  /** Consecutive failures that lock an account, and for how long (ms). */
  maxFailures: number;
  lockoutMs: number;
}

export interface Reservation {
  /** False: the address has used its failures in the window (nothing else was counted). */
  address: boolean;
  /**
   * The account's failure count including this attempt (1..maxFailures; more only after the limit
   * was lowered), or null when the account is locked. Always null without an account.
   */
  seq: number | null;
  /** The lock this attempt set by reaching maxFailures (its own success lifts it), else null. */
  lockedUntil: Date | null;
}

/**
 * Reserves one sign-in attempt from `ip` (and for `userId`, when the name is an account's), in one
 * statement. The address row is counted only while under its limit (a window that has passed starts
 * over); the account is counted only when the address was, and only while not locked (a lock that
 * has passed starts the count over). The attempt that reaches maxFailures locks the account at
 * once — so reaching the limit always locks, and attempts still being checked count as failures
 * until they succeed: every later attempt is refused without a password check, and a success of
 * an earlier attempt still being checked is refused (confirmSignIn). The count is kept while locked.
 */
export async function reserveSignIn(db: Db, ip: string, userId: number | null, l: SignInLimits): Promise<Reservation> {
  const windowStart = new Date(l.now.getTime() - l.windowMs);
  const lockUntil = new Date(l.now.getTime() + l.lockoutMs);
  const count = sql`(case when u.locked_until is not null and u.locked_until <= ${l.now} then 1 else u.failed_logins + 1 end)`;
  const r = await sql<{ address: boolean; seq: number | null; locked_until: Date | null }>`
    with addr as (
      insert into login_throttle as t (ip, failures, window_started_at) values (${ip}, 1, ${l.now})
      on conflict (ip) do update set
        failures = case when t.window_started_at <= ${windowStart} then 1 else t.failures + 1 end,
        window_started_at = case when t.window_started_at <= ${windowStart} then ${l.now} else t.window_started_at end
      where t.window_started_at <= ${windowStart} or t.failures < ${l.maxAddressFailures}
      returning t.failures
    ), acct as (
      update users u set
        failed_logins = ${count},
        locked_until = case when ${count} >= ${l.maxFailures} then ${lockUntil}::timestamptz
                            when u.locked_until <= ${l.now} then null else u.locked_until end
      where u.id = ${userId}::int and exists (select 1 from addr)
        and (u.locked_until is null or u.locked_until <= ${l.now})
      returning u.failed_logins, u.locked_until
    )
    select exists (select 1 from addr) as address, (select failed_logins from acct) as seq, (select locked_until from acct) as locked_until`.execute(db);
  const row = r.rows[0];
  return { address: row.address, seq: row.seq, lockedUntil: row.seq !== null && row.seq >= l.maxFailures ? row.locked_until : null };
}

/**
 * A right password: gives the attempt's reservation back — the account's count starts over and the
 * address is charged nothing — unless the account was locked after the attempt was reserved (by
 * another attempt reaching the limit; a lock the attempt set itself does not count). False: locked
 * meanwhile, nothing changed (the attempt stays a failure).
 */
export async function confirmSignIn(db: Db, ip: string, userId: number, reservation: Reservation, now: Date): Promise<boolean> {
  const ownLock = reservation.lockedUntil;
  const r = await sql<{ id: number }>`
    with acct as (
      update users u set failed_logins = 0, locked_until = null
      where u.id = ${userId}
        and (u.locked_until is null or u.locked_until <= ${now}
             or (${ownLock}::timestamptz is not null and u.locked_until = ${ownLock}::timestamptz and u.failed_logins = ${reservation.seq}::int))
      returning u.id
    ), addr as (
      update login_throttle set failures = greatest(failures - 1, 0)
      where ip = ${ip} and exists (select 1 from acct)
      returning 1
    )
    select id, (select count(*) from addr) as released from acct`.execute(db);
  return r.rows.length > 0;
}
