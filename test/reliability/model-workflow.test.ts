import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandArb, createHarness, openArbWithPolicy, type Harness } from '../model/workflow-model.js';
import { LONG, recordFigure, variant } from './figures.js';

// The model-based workflow test at scale (issue "prove it holds", timers): the model of
// test/model/workflow-model.ts — case status, responses, obligations and their due times checked
// after every command through the real API — with the admin switching the policy between window
// sets (natural hours and working days) and heightened periods (重点时段) shortening windows that
// start inside them. The clock starts on the eve of National Day 2026, so working-day windows cross
// the holiday and its 调休 make-up days as the commands advance it.

/** OD_MODEL_SEQUENCES overrides the count (e.g. to measure a slice of the long run). */
const SEQUENCES = Number(process.env.OD_MODEL_SEQUENCES) || variant(100, 10_000);
const MAX_COMMANDS = variant(15, 20);
const BASE = new Date('2026-09-30T08:00:00Z'); // Wed 30 Sep, 16:00 in Beijing
const PERIODS = [
  { startsAt: new Date('2026-09-29T00:00:00Z'), endsAt: new Date('2026-09-30T20:00:00Z'), factor: 0.5 },
  { startsAt: new Date('2026-09-30T00:00:00Z'), endsAt: new Date('2026-10-01T00:00:00Z'), factor: 0.75 },
  { startsAt: new Date('2026-10-02T00:00:00Z'), endsAt: new Date('2026-10-03T12:00:00Z'), factor: 0.25 },
];

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ label: 'rel_model', base: BASE, periods: PERIODS });
});
afterAll(async () => {
  await h?.close();
});

describe('case workflow model at scale', () => {
  it(`${SEQUENCES} random sequences (policy changes, working days, heightened periods) never diverge from the model`, async () => {
    const started = Date.now();
    let sequences = 0;
    let commands = 0;
    const result = await fc.check(
      fc.asyncProperty(openArbWithPolicy(), fc.array(commandArb({ policies: true }), { minLength: 4, maxLength: MAX_COMMANDS, size: 'max' }), async (open, cmds) => {
        sequences++;
        commands += await h.run(open, cmds);
      }),
      {
        numRuns: SEQUENCES,
        ...(LONG ? { endOnFailure: true } : {}),
        examples: [
          // Found by this test: with updates every 8 h, a level change gave the second update the first one's 24 h window.
          [
            { level: 'major', category: 'difficulty', hoursAgo: 2, policy: 'default', forwarded: false, co: false },
            [
              { t: 'policy', variant: 'recurring', asAdmin: true, broken: false },
              { t: 'draft' },
              { t: 'submit', pick: 0 },
              // 审批链 of a major case: the reviewer, the leader in charge, the principal leader.
              { t: 'approve', pick: 0, by: 0 },
              { t: 'approve', pick: 0, by: 1 },
              { t: 'approve', pick: 0, by: 2 },
              { t: 'advance', hours: 1 },
              { t: 'publish', pick: 0, channel: 'website', byReviewer: true },
              { t: 'advance', hours: 1 },
              { t: 'level', level: 'especially_major', reason: true },
            ],
          ],
          // 会签 and a forwarded opinion: 核实 before the draft; C signs off (returns once) before the
          // reviewer; the publication owes the 网信办 feedback 2 working days later, across National Day.
          [
            { level: 'significant', category: 'difficulty', hoursAgo: 3, policy: 'workdays', forwarded: true, co: true },
            [
              { t: 'draft' },
              { t: 'verify', result: 1 },
              { t: 'draft' },
              { t: 'submit', pick: 0 },
              { t: 'approve', pick: 0, by: 0 },
              { t: 'countersign', pick: 0, confirm: true, asLead: true },
              { t: 'countersign', pick: 0, confirm: false, asLead: false },
              { t: 'submit', pick: 0 },
              { t: 'countersign', pick: 0, confirm: true, asLead: false },
              { t: 'approve', pick: 0, by: 0 },
              { t: 'approve', pick: 0, by: 1 },
              { t: 'publish', pick: 0, channel: 'website', byReviewer: false },
              { t: 'advance', hours: 30 },
              { t: 'forwardReply' },
              { t: 'close', byHandler: true },
            ],
          ],
        ],
      },
    );
    const seconds = Math.round((Date.now() - started) / 1000);
    const mismatches = result.failed ? 1 : 0;
    const failure = result.failed ? String(result.errorInstance).slice(-3000) : '';
    const detail = { seconds, maxCommands: MAX_COMMANDS, seed: result.seed, ...(result.failed ? { counterexample: fc.stringify(result.counterexample), failure } : {}) };
    recordFigure({ area: 'timers', name: 'model: sequences run', value: sequences, unit: 'sequences', goal: `${SEQUENCES}`, met: sequences >= SEQUENCES, detail });
    recordFigure({ area: 'timers', name: 'model: commands executed', value: commands, unit: 'commands', goal: '', met: null, detail });
    recordFigure({ area: 'timers', name: 'model: mismatches with the model', value: mismatches, unit: 'mismatches', goal: '0', met: mismatches === 0, detail });
    expect(result.failed, `${fc.defaultReportMessage(result) ?? ''}\n${failure}`).toBe(false);
    expect(commands).toBeGreaterThan(SEQUENCES * 4);
    // Sequences now also verify, sign off (会签) and reply to forwarding offices: more commands each.
  }, variant(360_000, 24 * 3_600_000));
});
