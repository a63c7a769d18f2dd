import { describe, expect, it } from 'vitest';
import { ackWindowMs, alertLink, clip, DEFAULT_PUSH_POLICY, policyFor, pushTags, shouldPush, stepAfter, type PushPolicy } from './alert-push.js';

const P = (p: Partial<PushPolicy>): PushPolicy => ({ ...DEFAULT_PUSH_POLICY, ...p });
const calm = { negativity: 0.1, spike: false, heat: 1, level: 'general' as const };

describe('shouldPush', () => {
  it.each([
    ['all', P({ mode: 'all' }), calm, true],
    ['none', P({ mode: 'none' }), { ...calm, negativity: 1 }, false],
    ['filter, nothing asked', P({ mode: 'filter' }), calm, false],
    ['negative only, calm alert', P({ mode: 'filter', negative: true }), calm, false],
    ['negative only, negative alert', P({ mode: 'filter', negative: true }), { ...calm, negativity: 0.5 }, true],
    ['spike', P({ mode: 'filter', spike: true }), { ...calm, spike: true }, true],
    ['heat ≥ 5, heat 4', P({ mode: 'filter', minHeat: 5 }), { ...calm, heat: 4 }, false],
    ['heat ≥ 5, heat 5', P({ mode: 'filter', minHeat: 5 }), { ...calm, heat: 5 }, true],
    ['level ≥ significant, general', P({ mode: 'filter', minLevel: 'significant' }), calm, false],
    ['level ≥ significant, major', P({ mode: 'filter', minLevel: 'significant' }), { ...calm, level: 'major' as const }, true],
    ['any of several', P({ mode: 'filter', negative: true, minHeat: 100 }), { ...calm, negativity: 0.9 }, true],
  ] as const)('%s', (_, policy, alert, expected) => {
    expect(shouldPush(policy, alert)).toBe(expected);
  });
});

describe('policyFor', () => {
  const fallback = P({ mode: 'all' });
  it('no rules or rules without a policy: the default', () => {
    expect(policyFor([], fallback, calm)).toBe(fallback);
    expect(policyFor([null], fallback, calm)).toBe(fallback);
  });
  it("rules with policies decide alone; a rule's none silences only its hits", () => {
    expect(policyFor([P({ mode: 'none' })], fallback, calm)).toBeNull();
    expect(policyFor([P({ mode: 'none' }), null], fallback, calm)).toBe(fallback);
    const loud = P({ mode: 'filter', minHeat: 1 });
    expect(policyFor([P({ mode: 'none' }), loud], fallback, calm)).toBe(loud);
  });
});

describe('ack windows and steps', () => {
  const period = { startsAt: new Date('2026-10-01T00:00:00Z'), endsAt: new Date('2026-10-08T00:00:00Z'), factor: 0.5 };
  it.each([
    ['2026-09-30T23:59:59Z', 15],
    ['2026-10-01T00:00:00Z', 5],
    ['2026-10-07T23:59:59Z', 5],
    ['2026-10-08T00:00:00Z', 15],
  ])('at %s: %i minutes', (t, min) => {
    expect(ackWindowMs(DEFAULT_PUSH_POLICY, [period], new Date(t))).toBe(min * 60_000);
  });
  it('backup, then leader, then nothing', () => {
    expect(stepAfter('backup')).toBe('leader');
    expect(stepAfter('leader')).toBeNull();
  });
});

describe('lock-screen text pieces', () => {
  it('tags, clipping and the link', () => {
    expect(pushTags({ sourceName: '清河论坛', title: 't', category: 'rumour', negativity: 0.8, spike: false, sourceCount: 3 })).toEqual({ zh: '网传谣言·负面·3 个来源', en: 'rumour · negative · 3 sources' });
    expect(pushTags({ sourceName: 's', title: 't', category: 'other', negativity: 0, spike: true, sourceCount: 1 }).zh).toBe('热度骤升·1 个来源');
    expect(clip('一二三四五六', 4)).toBe('一二三…');
    expect(clip(' 短  标题 ', 10)).toBe('短 标题');
    // A source name is never cut inside a Latin word or after an opening bracket.
    expect(clip('微博关键词·清河（RSSHub）', 12)).toBe('微博关键词·清河…');
    expect(clip('真实样本：The Guardian（RSS 2.0）', 12)).toBe('真实样本：The…');
    expect(clip('RSSHubRSSHubRSSHub', 6)).toBe('RSSHu…');
    expect(alertLink('http://desk.example/', '123')).toBe('http://desk.example/desk?alert=123');
  });
});
