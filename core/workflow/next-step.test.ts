import { describe, expect, it } from 'vitest';
import { dueSteps, nextStepAt, type StepObligation } from './escalation.js';
import { defaultEscalationSteps, STEP_IDS } from './policy.js';
import { HOUR, sh } from './test-helpers.js';
import type { EscalationStep } from './types.js';

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
const { remind, warn, breach, breachLater } = STEP_IDS;

describe('nextStepAt', () => {
  it.each([
    // name, window h, fired, hasDraft, next at h after start (null: none left)
    ['nothing fired: the 50 % reminder', 48, [], false, 24],
    ['with a draft the reminder never comes: the warning', 48, [], true, 36],
    ['reminder fired: the warning', 48, [remind], false, 36],
    ['warning fired: the breach at due', 48, [remind, warn], false, 48],
    ['breach fired: 24 h after due', 48, [remind, warn, breach], false, 72],
    ['all fired: none', 48, [remind, warn, breach, breachLater], false, null],
    ['1 h report: reminder and warning share 30 min', 1, [], false, 0.5],
    ['fired out of order: the earliest left', 48, [warn], false, 24],
  ] as [string, number, string[], boolean, number | null][])('%s', (_name, window, fired, hasDraft, expected) => {
    expect(nextStepAt(ob(window), steps, new Set(fired), { hasDraft })).toEqual(expected === null ? null : at(expected));
  });

  it('a met obligation has no next step', () => {
    expect(nextStepAt(ob(48, { metAt: at(10) }), steps, new Set())).toBeNull();
  });

  it('steps of other kinds do not count', () => {
    const onlyPress: EscalationStep = { id: 'press-only', kinds: ['press'], trigger: { type: 'fraction', fraction: 0.1 }, target: 'reviewer', urgent: false };
    expect(nextStepAt(ob(48), [onlyPress, ...steps], new Set())).toEqual(at(24));
    expect(nextStepAt(ob(48, { kind: 'press' }), [onlyPress, ...steps], new Set())).toEqual(at(4.8));
  });

  it('no steps: none', () => {
    expect(nextStepAt(ob(48), [], new Set())).toBeNull();
  });

  it('after firing everything due, the next step is in the future (the sweep leaves no row behind)', () => {
    for (const nowH of [0, 24, 30, 36, 47.9, 48, 60, 72, 100]) {
      for (const hasDraft of [false, true]) {
        const due = dueSteps(ob(48), steps, new Set(), at(nowH), { hasDraft });
        const next = nextStepAt(ob(48), steps, new Set(due.map((s) => s.id)), { hasDraft });
        if (next !== null) expect(next.getTime()).toBeGreaterThan(at(nowH).getTime());
        else expect(nowH).toBeGreaterThanOrEqual(72);
      }
    }
  });
});
