import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deferForQuietHours, dueSteps, stepFireAt, type StepObligation } from './escalation.js';
import { defaultEscalationSteps, STEP_IDS } from './policy.js';
import { HOUR, sh } from './test-helpers.js';
import type { EscalationStep, QuietHours } from './types.js';

const start = sh('2026-03-02 09:00');
const ob = (windowHours: number, extra: Partial<StepObligation> = {}): StepObligation => ({
  startedAt: start,
  dueAt: new Date(start.getTime() + windowHours * HOUR),
  kind: 'response',
  metAt: null,
  ...extra,
});
const at = (hours: number) => new Date(start.getTime() + hours * HOUR);
const steps = defaultEscalationSteps(false);
const byId = (id: string) => steps.find((s) => s.id === id)!;
const ids = (list: EscalationStep[]) => list.map((s) => s.id);

describe('stepFireAt', () => {
  it.each([
    // window h, step, fires at h after start
    [48, STEP_IDS.remind, 24],
    [48, STEP_IDS.warn, 36],
    [48, STEP_IDS.breach, 48],
    [48, STEP_IDS.breachLater, 72],
    [24, STEP_IDS.warn, 12], // exactly at the midpoint
    [20, STEP_IDS.warn, 10], // 12 h before due would be 8 h: never before the midpoint
    [5, STEP_IDS.warn, 2.5], // the 5 h information obligation
    [1, STEP_IDS.warn, 0.5], // the 1 h report: not at the clock's start
    [1, STEP_IDS.remind, 0.5],
    [1, STEP_IDS.breach, 1],
    [1, STEP_IDS.breachLater, 25],
  ])('window %i h: %s at %f h', (window, id, hours) => {
    expect(stepFireAt(ob(window), byId(id))).toEqual(at(hours));
  });

  it('fractions are of the window from start to due', () => {
    const step: EscalationStep = { id: 'x', trigger: { type: 'fraction', fraction: 0.75 }, target: 'reviewer', urgent: false };
    expect(stepFireAt(ob(48), step)).toEqual(at(36));
  });
});

describe('dueSteps', () => {
  const none = new Set<string>();
  it.each([
    ['before half-time: nothing', 48, 23.99, none, false, null, []],
    ['half-time without a draft: remind the handlers', 48, 24, none, false, null, [STEP_IDS.remind]],
    ['half-time with a draft: no reminder', 48, 24, none, true, null, []],
    ['12 h before due, reminder already fired: warn the reviewer', 48, 36, new Set([STEP_IDS.remind]), false, null, [STEP_IDS.warn]],
    ['at due: breach', 48, 48, new Set([STEP_IDS.remind, STEP_IDS.warn]), true, null, [STEP_IDS.breach]],
    ['a missed sweep catches up, in fire-time order', 48, 80, none, false, null, [STEP_IDS.remind, STEP_IDS.warn, STEP_IDS.breach, STEP_IDS.breachLater]],
    ['catching up with a draft skips only the reminder', 48, 80, none, true, null, [STEP_IDS.warn, STEP_IDS.breach, STEP_IDS.breachLater]],
    ['all fired: nothing', 48, 100, new Set(Object.values(STEP_IDS)), false, null, []],
    ['met before due: nothing afterwards', 48, 80, none, false, 30, []],
    ['met late: no breach notice after it was met, even if the sweep missed it', 48, 80, none, false, 50, []],
    ['a metAt after now (replaying history) is not yet met', 48, 40, none, false, 50, [STEP_IDS.remind, STEP_IDS.warn]],
    ['1 h report: reminder and warning at 30 min', 1, 0.5, none, false, null, [STEP_IDS.remind, STEP_IDS.warn]],
  ] as [string, number, number, Set<string>, boolean, number | null, string[]][])('%s', (_name, window, nowH, fired, hasDraft, metH, expected) => {
    const o = ob(window, { metAt: metH === null ? null : at(metH) });
    expect(ids(dueSteps(o, steps, fired, at(nowH), { hasDraft }))).toEqual(expected);
  });

  it('honours the kinds a step applies to', () => {
    const referralOnly: EscalationStep = { id: 'ref', kinds: ['referral'], trigger: { type: 'after_due', hours: 0 }, target: 'department_head', urgent: true };
    expect(ids(dueSteps(ob(24), [referralOnly], new Set(), at(30), { hasDraft: false }))).toEqual([]);
    expect(ids(dueSteps(ob(24, { kind: 'referral' }), [referralOnly], new Set(), at(30), { hasDraft: false }))).toEqual(['ref']);
  });

  it('steps with the same fire time keep the policy order', () => {
    const a: EscalationStep = { id: 'a', trigger: { type: 'after_due', hours: 0 }, target: 'reviewer', urgent: true };
    const b: EscalationStep = { id: 'b', trigger: { type: 'fraction', fraction: 1 }, target: 'handlers', urgent: true };
    expect(ids(dueSteps(ob(10), [a, b], new Set(), at(10), { hasDraft: false }))).toEqual(['a', 'b']);
    expect(ids(dueSteps(ob(10), [b, a], new Set(), at(10), { hasDraft: false }))).toEqual(['b', 'a']);
  });

  it('a sweep at random moments fires every step exactly once, at or after its time, never after the obligation is met', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 96 }),
        fc.array(fc.double({ min: 0, max: 200, noNaN: true }), { minLength: 1, maxLength: 30 }),
        fc.option(fc.double({ min: 0, max: 150, noNaN: true }), { nil: null }),
        fc.boolean(),
        (window, ticks, metH, major) => {
          const ladder = defaultEscalationSteps(major);
          const o = ob(window, { metAt: metH === null ? null : at(metH) });
          const fired = new Map<string, number>();
          for (const tick of [...ticks].sort((x, y) => x - y)) {
            const now = at(tick);
            const due = dueSteps(o, ladder, new Set(fired.keys()), now, { hasDraft: false });
            const times = due.map((s) => stepFireAt(o, s).getTime());
            expect(times).toEqual([...times].sort((x, y) => x - y));
            for (const s of due) {
              expect(fired.has(s.id)).toBe(false);
              expect(stepFireAt(o, s).getTime()).toBeLessThanOrEqual(now.getTime());
              if (o.metAt) expect(now.getTime()).toBeLessThan(o.metAt.getTime());
              fired.set(s.id, tick);
            }
          }
          // an unmet obligation swept past its last step has fired them all
          const last = Math.max(...ticks);
          if (metH === null && last >= window + 24) expect([...fired.keys()].sort()).toEqual(ladder.map((s) => s.id).sort());
        },
      ),
    );
  });
});

describe('deferForQuietHours', () => {
  const night: QuietHours = { startHour: 22, endHour: 7 };
  it.each([
    ['23:00 waits until 07:00 the next day', '2026-03-02 23:00', night, false, '2026-03-03 07:00'],
    ['22:00 is inside (start inclusive)', '2026-03-02 22:00', night, false, '2026-03-03 07:00'],
    ['03:00 waits until 07:00 the same day', '2026-03-03 03:00', night, false, '2026-03-03 07:00'],
    ['00:00 waits until 07:00', '2026-03-03 00:00', night, false, '2026-03-03 07:00'],
    ['07:00 is outside (end exclusive)', '2026-03-03 07:00', night, false, '2026-03-03 07:00'],
    ['21:59 is outside', '2026-03-02 21:59', night, false, '2026-03-02 21:59'],
    ['urgent notifications never wait', '2026-03-02 23:00', night, true, '2026-03-02 23:00'],
    ['no quiet hours', '2026-03-02 23:00', null, false, '2026-03-02 23:00'],
    ['equal start and end means none', '2026-03-02 23:00', { startHour: 7, endHour: 7 }, false, '2026-03-02 23:00'],
    ['a daytime window (12–14)', '2026-03-02 13:15', { startHour: 12, endHour: 14 }, false, '2026-03-02 14:00'],
    ['outside a daytime window', '2026-03-02 14:00', { startHour: 12, endHour: 14 }, false, '2026-03-02 14:00'],
    ['across a month end', '2026-03-31 23:30', night, false, '2026-04-01 07:00'],
  ] as [string, string, QuietHours | null, boolean, string][])('%s', (_name, when, quiet, urgent, expected) => {
    expect(deferForQuietHours(sh(when), quiet, urgent)).toEqual(sh(expected));
  });

  it('uses Shanghai time, not UTC: 23:00 Shanghai is 15:00 UTC', () => {
    const t = new Date(Date.UTC(2026, 2, 2, 15, 0));
    expect(deferForQuietHours(t, night, false)).toEqual(new Date(Date.UTC(2026, 2, 2, 23, 0))); // 07:00 Shanghai on 03-03
  });

  it('refuses hours outside 0–24', () => {
    expect(() => deferForQuietHours(sh('2026-03-02 23:00'), { startHour: 25, endHour: 7 }, false)).toThrow(RangeError);
  });

  it('a deferred time is never earlier, never inside quiet hours, and never more than a quiet span away', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 0, 1) }),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 23 }),
        (t, startHour, endHour) => {
          const q = { startHour, endHour };
          const out = deferForQuietHours(new Date(t), q, false).getTime();
          expect(out).toBeGreaterThanOrEqual(t);
          const span = ((endHour - startHour + 24) % 24) * HOUR;
          expect(out - t).toBeLessThanOrEqual(span);
          const hour = new Date(out + 8 * HOUR).getUTCHours();
          const inside = startHour < endHour ? hour >= startHour && hour < endHour : startHour > endHour && (hour >= startHour || hour < endHour);
          expect(inside).toBe(false);
          expect(deferForQuietHours(new Date(t), q, true).getTime()).toBe(t);
        },
      ),
    );
  });
});
