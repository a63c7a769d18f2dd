import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { commandArb, createHarness, openArb, type Harness } from './workflow-model.js';

// Model-based test of the case state machine (issue #3 §8): random sequences of calls through the
// real app against a small reference model (test/model/workflow-model.ts says what is checked after
// every command, 会签 and forwarded opinions included). This quick run keeps the default policy; test/reliability/model-workflow.test.ts
// runs the same model at scale, with policy changes and heightened periods.

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ label: 'model_case', base: new Date('2026-11-24T08:00:00Z') });
});
afterAll(async () => {
  await h?.close();
});

describe('case workflow: model-based (fast-check)', () => {
  it('no sequence of calls reaches an invalid state, loses an obligation, or changes state without an audit row', async () => {
    await fc.assert(
      fc.asyncProperty(openArb, fc.array(commandArb({ policies: false }), { minLength: 4, maxLength: 15, size: 'max' }), async (open, cmds) => {
        await h.run(open, cmds);
      }),
      {
        numRuns: 25,
        examples: [
          // 会签 and a forwarded opinion, step by step (the random runs mix these commands in too).
          [
            { level: 'major', category: 'difficulty', hoursAgo: 2, forwarded: true, co: true },
            [
              { t: 'draft' },
              { t: 'verify', result: 0 },
              { t: 'draft' },
              { t: 'submit', pick: 0 },
              { t: 'approve', pick: 0, by: 0 },
              { t: 'countersign', pick: 0, confirm: true, asLead: false },
              { t: 'approve', pick: 0, by: 0 },
              { t: 'approve', pick: 0, by: 1 },
              { t: 'approve', pick: 0, by: 2 },
              { t: 'publish', pick: 0, channel: 'press_conference', byReviewer: true },
              { t: 'forwardReply' },
            ],
          ],
        ],
      },
    );
  }, 180_000);
});
