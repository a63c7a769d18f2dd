import { addDays, DAY_MS, formatYmd, parseYmd, shanghaiInstant, shanghaiParts, weekday } from './workflow/shanghai.js';
import type { WorkCalendar } from './workflow/calendar.js';

// The duty roster (值班表), pure: shifts are Beijing wall-clock windows (end <= start: the shift
// ends the next day, 夜班 17:30–08:30), the roster says who is on each shift of each day, and
// onDutyAt answers "who is on duty at instant t". A month is filled from a weekly pattern, with
// the working-day calendar (holidays and 调休) deciding which shifts a day has.

export interface Shift {
  id: number;
  name: string;
  /** Minutes after Beijing midnight, 0..1439. */
  startMinute: number;
  endMinute: number;
  position: number;
}

export interface RosterEntry {
  /** 'YYYY-MM-DD': the Beijing day the shift starts on. */
  day: string;
  shiftId: number;
  primaryUserId: number;
  backupUserId: number | null;
  leaderUserId: number | null;
}

export interface OnDuty {
  day: string;
  shiftId: number;
  primary: number;
  backup: number | null;
  leader: number | null;
  startsAt: Date;
  endsAt: Date;
}

const MINUTE_MS = 60_000;

/** Whether the shift runs past midnight into the next day. */
export const crossesMidnight = (s: Pick<Shift, 'startMinute' | 'endMinute'>): boolean => s.endMinute <= s.startMinute;

/** The instants a shift of `day` starts and ends. */
export function shiftWindow(day: string, s: Pick<Shift, 'startMinute' | 'endMinute'>): { startsAt: Date; endsAt: Date } {
  const ymd = parseYmd(day);
  if (!ymd) throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${JSON.stringify(day)}`);
  const startsAt = shanghaiInstant(ymd, s.startMinute * MINUTE_MS);
  const endsAt = shanghaiInstant(crossesMidnight(s) ? addDays(ymd, 1) : ymd, s.endMinute * MINUTE_MS);
  return { startsAt, endsAt };
}

/** Who is on duty at `t`: the roster entry whose shift window contains t (first shift by position), or null. */
export function onDutyAt(roster: readonly RosterEntry[], shifts: readonly Shift[], t: Date): OnDuty | null {
  const { day } = shanghaiParts(t);
  const days = new Set([formatYmd(day), formatYmd(addDays(day, -1))]);
  const byId = new Map(shifts.map((s) => [s.id, s]));
  let best: { e: RosterEntry; s: Shift; w: { startsAt: Date; endsAt: Date } } | null = null;
  for (const e of roster) {
    if (!days.has(e.day)) continue;
    const s = byId.get(e.shiftId);
    if (!s) continue;
    const w = shiftWindow(e.day, s);
    if (t.getTime() < w.startsAt.getTime() || t.getTime() >= w.endsAt.getTime()) continue;
    if (!best || s.position < best.s.position || (s.position === best.s.position && w.startsAt > best.w.startsAt)) best = { e, s, w };
  }
  if (!best) return null;
  const { e, w } = best;
  return { day: e.day, shiftId: e.shiftId, primary: e.primaryUserId, backup: e.backupUserId, leader: e.leaderUserId, ...w };
}

/** The days a roster read must cover to answer onDutyAt for `t` (the shift may have started the day before). */
export function rosterDaysAround(t: Date): { from: string; to: string } {
  const { day } = shanghaiParts(t);
  return { from: formatYmd(addDays(day, -1)), to: formatYmd(day) };
}

/** "08:30" ↔ 510. */
export function minuteOfText(hhmm: string): number | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}
export const textOfMinute = (min: number): string => `${String(Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`;

// ── Filling a month from a weekly pattern ──────────────────────────────────────────────────────

export type DayKind = 'workday' | 'offday';

export interface PatternSlot {
  /** ISO weekday: 1 Monday … 7 Sunday. */
  weekday: number;
  shiftId: number;
  primaryUserId: number;
  backupUserId: number | null;
  leaderUserId: number | null;
}

export interface WeeklyPattern {
  slots: readonly PatternSlot[];
  /** Which shifts a working day and a day off (weekend, holiday) have; default: every shift of the pattern. */
  shiftsByDayKind?: Partial<Record<DayKind, readonly number[]>>;
}

/** The days of a month 'YYYY-MM', in order. */
export function daysOfMonth(month: string): string[] {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!m) throw new RangeError(`Not a month (YYYY-MM): ${JSON.stringify(month)}`);
  const out: string[] = [];
  const start = Date.UTC(Number(m[1]), Number(m[2]) - 1, 1);
  for (let t = start; new Date(t).getUTCMonth() === Number(m[2]) - 1; t += DAY_MS) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/**
 * The roster of a month from a weekly pattern: each day takes the slots of its weekday, limited to
 * the shifts of its kind (a 调休 Saturday is a working day, a holiday Monday a day off, by the
 * calendar).
 */
export function fillMonth(month: string, pattern: WeeklyPattern, calendar: WorkCalendar): RosterEntry[] {
  const out: RosterEntry[] = [];
  for (const day of daysOfMonth(month)) {
    const kind: DayKind = calendar.isWorkday(day) ? 'workday' : 'offday';
    const allowed = pattern.shiftsByDayKind?.[kind];
    const wd = weekday(parseYmd(day)!) || 7;
    for (const s of pattern.slots) {
      if (s.weekday !== wd) continue;
      if (allowed && !allowed.includes(s.shiftId)) continue;
      out.push({ day, shiftId: s.shiftId, primaryUserId: s.primaryUserId, backupUserId: s.backupUserId, leaderUserId: s.leaderUserId });
    }
  }
  return out;
}

// ── Handover (交接班) ───────────────────────────────────────────────────────────────────────────

/** Every roster entry with its window, in start order (entries naming an unknown shift are left out). */
export function slotsOf(roster: readonly RosterEntry[], shifts: readonly Shift[]): OnDuty[] {
  const byId = new Map(shifts.map((s) => [s.id, s]));
  const out: OnDuty[] = [];
  for (const e of roster) {
    const s = byId.get(e.shiftId);
    if (!s) continue;
    out.push({ day: e.day, shiftId: e.shiftId, primary: e.primaryUserId, backup: e.backupUserId, leader: e.leaderUserId, ...shiftWindow(e.day, s) });
  }
  return out.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || a.shiftId - b.shiftId);
}

/** How far ahead the next shift is looked for (a day off may separate two shifts). */
export const NEXT_SHIFT_HORIZON_MS = 3 * DAY_MS;

/** The shift after `slot`: the first one starting at or after its end, within the horizon; null if none is rostered. */
export function nextSlot(slots: readonly OnDuty[], slot: Pick<OnDuty, 'endsAt'>): OnDuty | null {
  const end = slot.endsAt.getTime();
  return slots.find((s) => s.startsAt.getTime() >= end && s.startsAt.getTime() < end + NEXT_SHIFT_HORIZON_MS) ?? null;
}

/** How long after a shift ends its officer may still write the handover. */
export const HANDOVER_GRACE_MS = 2 * 60 * MINUTE_MS;
/** A handover not accepted this long into the next shift is reported to the leader on duty. */
export const HANDOVER_ACCEPT_MS = 30 * MINUTE_MS;

const onSlot = (s: OnDuty, userId: number) => s.primary === userId || s.backup === userId;

/**
 * The shift whose handover `userId` writes at `t`: their shift running at t, else their latest
 * shift that ended less than the grace before t; null if they are not on duty.
 */
export function handoverSlotOf(slots: readonly OnDuty[], userId: number, t: Date): OnDuty | null {
  const now = t.getTime();
  const running = slots.find((s) => onSlot(s, userId) && s.startsAt.getTime() <= now && now < s.endsAt.getTime());
  if (running) return running;
  const ended = slots.filter((s) => onSlot(s, userId) && s.endsAt.getTime() <= now && now - s.endsAt.getTime() < HANDOVER_GRACE_MS);
  return ended.length > 0 ? ended[ended.length - 1]! : null;
}

/**
 * The handovers due for a check at `t`: pairs (outgoing, incoming) where the incoming shift began
 * at least the acceptance window before t and less than a day before (older ones were checked by
 * earlier sweeps, or are history). A shift followed by the same officer needs no handover.
 */
export function handoversDueAt(slots: readonly OnDuty[], t: Date): { from: OnDuty; to: OnDuty }[] {
  const now = t.getTime();
  const out: { from: OnDuty; to: OnDuty }[] = [];
  for (const from of slots) {
    const to = nextSlot(slots, from);
    if (!to || to.primary === from.primary) continue;
    const since = now - to.startsAt.getTime();
    if (since >= HANDOVER_ACCEPT_MS && since < DAY_MS) out.push({ from, to });
  }
  return out;
}
