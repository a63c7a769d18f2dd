import { describe, expect, it } from 'vitest';
import { workCalendar } from './calendar.js';
import { computeDueAt } from './deadlines.js';
import {
  callbackDue,
  caseObligationSpecs,
  completeOriginWindows,
  DEFAULT_ORIGIN_WINDOWS,
  originWindow,
  originWindowDays,
  requestTypeOf,
  satisfactionRate,
  type OriginWindow,
} from './origin-windows.js';
import { DEFAULT_POLICY } from './policy.js';
import { sh } from './test-helpers.js';

const ctx = { calendar: workCalendar(), periods: [] };
const specsOf = (c: Parameters<typeof caseObligationSpecs>[2], windows: readonly OriginWindow[] = DEFAULT_ORIGIN_WINDOWS) =>
  caseObligationSpecs(DEFAULT_POLICY, windows, c).map((o) => `${o.kind}:${o.window.hours / (o.window.unit === 'natural' ? 1 : 24)}${o.window.unit === 'natural' ? 'h' : 'wd'}`);

describe('windows by origin', () => {
  it('defaults: 7 working days, 咨询 3, 投诉 / 求助 5, 需调查核实 10, for the hotline and the mailbox', () => {
    for (const origin of ['hotline', 'mailbox'] as const) {
      expect(originWindowDays(DEFAULT_ORIGIN_WINDOWS, origin, null)).toBe(7);
      expect(originWindowDays(DEFAULT_ORIGIN_WINDOWS, origin, 'consultation')).toBe(3);
      expect(originWindowDays(DEFAULT_ORIGIN_WINDOWS, origin, 'complaint')).toBe(5);
      expect(originWindowDays(DEFAULT_ORIGIN_WINDOWS, origin, 'help')).toBe(5);
      expect(originWindowDays(DEFAULT_ORIGIN_WINDOWS, origin, 'investigation')).toBe(10);
      expect(originWindowDays(DEFAULT_ORIGIN_WINDOWS, origin, 'suggestion')).toBe(7);
    }
    expect(originWindow(DEFAULT_ORIGIN_WINDOWS, 'hotline', 'consultation')).toEqual({ hours: 72, unit: 'working_days' });
  });

  it('other origins keep the policy: 48 natural hours', () => {
    for (const origin of ['alert', 'cyberspace_office', 'government_office', 'other'] as const) {
      expect(originWindowDays(DEFAULT_ORIGIN_WINDOWS, origin, 'consultation')).toBeNull();
      expect(specsOf({ level: 'general', category: 'other', origin, requestType: 'consultation' })).toEqual(['response:48h']);
    }
  });

  it('replaces only the response window: a rumour keeps its referral, a major case its track', () => {
    expect(specsOf({ level: 'general', category: 'rumour', origin: 'hotline', requestType: 'complaint' })).toEqual(['response:5wd', 'referral:24h']);
    expect(specsOf({ level: 'general', category: 'emergency', origin: 'mailbox', requestType: null })).toEqual(['report:1h', 'response:7wd']);
    expect(specsOf({ level: 'major', category: 'other', origin: 'hotline', requestType: 'consultation' })).toEqual(['report:1h', 'info:5h', 'press:24h', 'update:24h']);
  });

  it('an origin switched off, or edited, follows the admin', () => {
    const edited: OriginWindow[] = [
      { origin: 'hotline', enabled: false, defaultDays: 7, byRequestType: {} },
      { origin: 'mailbox', enabled: true, defaultDays: 15, byRequestType: { consultation: 2 } },
    ];
    expect(specsOf({ level: 'general', category: 'other', origin: 'hotline', requestType: 'consultation' }, edited)).toEqual(['response:48h']);
    expect(originWindowDays(edited, 'mailbox', 'consultation')).toBe(2);
    expect(originWindowDays(edited, 'mailbox', 'complaint')).toBe(15);
    // An origin not stored takes the defaults.
    expect(completeOriginWindows([edited[1]!]).find((w) => w.origin === 'hotline')).toMatchObject({ enabled: true, defaultDays: 7 });
  });

  it('due N working days later on the calendar: holidays skipped, 调休 Saturdays counted', () => {
    const due = (start: string, days: number) => computeDueAt(sh(start), { hours: days * 24, unit: 'working_days' }, ctx);
    // 国庆 2026: 10-01..10-07 off, Sat 10-10 a make-up working day.
    expect(due('2026-09-30 10:00', 3)).toEqual(sh('2026-10-10 10:00'));
    expect(due('2026-09-30 10:00', 5)).toEqual(sh('2026-10-13 10:00'));
    // A call on a Saturday holiday counts from the first working day.
    expect(due('2026-10-03 15:00', 3)).toEqual(sh('2026-10-12 00:00'));
    // An ordinary week: Friday + 7 working days → the Tuesday after next.
    expect(due('2026-12-04 09:30', 7)).toEqual(sh('2026-12-15 09:30'));
    // 需调查核实 over 春节 2026 (2-15..2-23 off, Sat 2-14 and Sat 2-28 make-up days count):
    expect(due('2026-02-12 09:00', 10)).toEqual(sh('2026-03-04 09:00'));
  });

  it('reads the 诉求类型 an export writes', () => {
    expect(requestTypeOf('咨询')).toBe('consultation');
    expect(requestTypeOf('政策咨询')).toBe('consultation');
    expect(requestTypeOf('投诉')).toBe('complaint');
    expect(requestTypeOf('举报')).toBe('complaint');
    expect(requestTypeOf('求助')).toBe('help');
    expect(requestTypeOf('求决')).toBe('help');
    expect(requestTypeOf('意见建议')).toBe('suggestion');
    expect(requestTypeOf('投诉（需调查核实）')).toBe('investigation');
    expect(requestTypeOf('表扬')).toBe('other');
    expect(requestTypeOf('  ')).toBeNull();
  });
});

describe('回访', () => {
  it('is owed by a published hotline / mailbox case not called back and not closed', () => {
    const base = { origin: 'hotline' as const, published: true, callbacks: 0, closed: false };
    expect(callbackDue(base)).toBe(true);
    expect(callbackDue({ ...base, origin: 'mailbox' })).toBe(true);
    expect(callbackDue({ ...base, origin: 'alert' })).toBe(false);
    expect(callbackDue({ ...base, published: false })).toBe(false);
    expect(callbackDue({ ...base, callbacks: 1 })).toBe(false);
    expect(callbackDue({ ...base, closed: true })).toBe(false);
  });

  it('满意率 counts 满意 and 基本满意 over the cases called back', () => {
    expect(satisfactionRate([])).toEqual({ calledBack: 0, satisfied: 0, rate: null });
    expect(satisfactionRate(['satisfied', 'basically_satisfied', 'dissatisfied'])).toEqual({ calledBack: 3, satisfied: 2, rate: 0.667 });
  });
});
