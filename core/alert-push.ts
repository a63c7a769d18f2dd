import { LEVELS, type Category, type Level } from './vocabulary.js';
import { NEGATIVE_THRESHOLD } from './sentiment.js';
import type { HeightenedPeriod } from './workflow/types.js';

// Alert pushes, pure: which alerts are pushed at once (a rule's policy, or the office default),
// how long the duty officers have to acknowledge one (shorter in a heightened period), which
// re-push step comes next (backup duty officer, then the leader on duty, once each), and the
// lock-screen text.

export const PUSH_MODES = ['all', 'filter', 'none'] as const;
export type PushMode = (typeof PUSH_MODES)[number];

export interface PushPolicy {
  /** all: every new alert; filter: an alert meeting any of the conditions below; none: no push. */
  mode: PushMode;
  negative: boolean;
  spike: boolean;
  minHeat: number | null;
  minLevel: Level | null;
  /** Minutes to acknowledge before the backup is pushed (and again before the leader). */
  ackMinutes: number;
  /** The window inside a heightened period (重点时段). */
  heightenedAckMinutes: number;
  /** A group channel (robot, SMS list…) that also receives the push; null: none. */
  groupChannelId: number | null;
}

export const DEFAULT_PUSH_POLICY: PushPolicy = {
  mode: 'all',
  negative: false,
  spike: false,
  minHeat: null,
  minLevel: null,
  ackMinutes: 15,
  heightenedAckMinutes: 5,
  groupChannelId: null,
};

export interface PushCandidate {
  negativity: number;
  spike: boolean;
  /** Items in the story. */
  heat: number;
  level: Level;
}

const rank = (l: Level) => LEVELS.indexOf(l);

/** Whether the alert is pushed at once under the policy. */
export function shouldPush(p: PushPolicy, a: PushCandidate): boolean {
  if (p.mode === 'none') return false;
  if (p.mode === 'all') return true;
  return (
    (p.negative && a.negativity >= NEGATIVE_THRESHOLD) ||
    (p.spike && a.spike) ||
    (p.minHeat !== null && a.heat >= p.minHeat) ||
    (p.minLevel !== null && rank(a.level) >= rank(p.minLevel))
  );
}

/**
 * The policy for an alert matched by several rules: the first rule (in the order given) with a
 * policy that pushes the alert; else the default. A rule saying `none` only silences its own hits.
 */
export function policyFor(rulePolicies: readonly (PushPolicy | null)[], fallback: PushPolicy, a: PushCandidate): PushPolicy | null {
  const own = rulePolicies.filter((p): p is PushPolicy => p !== null);
  const candidates = own.length > 0 && own.length === rulePolicies.length ? own : [...own, fallback];
  return candidates.find((p) => shouldPush(p, a)) ?? null;
}

/** The acknowledgement window at `t`: the heightened one inside a heightened period. */
export function ackWindowMs(p: PushPolicy, periods: readonly HeightenedPeriod[], t: Date): number {
  const heightened = periods.some((h) => h.startsAt.getTime() <= t.getTime() && t.getTime() < h.endsAt.getTime());
  return Math.max(1, heightened ? Math.min(p.heightenedAckMinutes, p.ackMinutes) : p.ackMinutes) * 60_000;
}

export type RepushStep = 'backup' | 'leader';

/** The step after `step` (null: none left). */
export const stepAfter = (step: RepushStep): RepushStep | null => (step === 'backup' ? 'leader' : null);

// ── The lock-screen text ──────────────────────────────────────────────────────────────────────

export interface PushTextInput {
  sourceName: string;
  title: string;
  category: Category;
  negativity: number;
  spike: boolean;
  sourceCount: number;
}

const CATEGORY_TAG_ZH: Record<Category, string | null> = {
  suggestion: '建设性意见',
  difficulty: '实际困难',
  misunderstanding: '模糊认识',
  wrong_view: '错误看法',
  rumour: '网传谣言',
  emergency: '突发事件',
  other: null,
};
const CATEGORY_TAG_EN: Record<Category, string | null> = {
  suggestion: 'suggestion',
  difficulty: 'difficulty',
  misunderstanding: 'misunderstanding',
  wrong_view: 'wrong view',
  rumour: 'rumour',
  emergency: 'emergency',
  other: null,
};

/**
 * At most `max` characters (code points), with an ellipsis when cut. A cut never leaves half a
 * Latin word ("清河（RS…") or a dangling opening bracket: the cut moves back before them.
 */
export function clip(s: string, max: number): string {
  const chars = [...s.replace(/\s+/g, ' ').trim()];
  if (chars.length <= max) return chars.join('');
  let kept = chars.slice(0, max - 1);
  if (/[A-Za-z0-9]/.test(chars[max - 1]!)) {
    let i = kept.length;
    while (i > 0 && /[A-Za-z0-9]/.test(kept[i - 1]!)) i--;
    if (i > 0) kept = kept.slice(0, i);
  }
  while (kept.length > 1 && /[\s（(【「《“·、，,:：-]/.test(kept[kept.length - 1]!)) kept = kept.slice(0, -1);
  return `${kept.join('')}…`;
}

/** The tags in brackets: "网传谣言·负面·3 个来源" / "rumour · negative · 3 sources". */
export function pushTags(a: PushTextInput): { zh: string; en: string } {
  const neg = a.negativity >= NEGATIVE_THRESHOLD;
  const zh = [CATEGORY_TAG_ZH[a.category], neg ? '负面' : null, a.spike ? '热度骤升' : null, `${a.sourceCount} 个来源`];
  const en = [CATEGORY_TAG_EN[a.category], neg ? 'negative' : null, a.spike ? 'spike' : null, `${a.sourceCount} source${a.sourceCount === 1 ? '' : 's'}`];
  return { zh: zh.filter(Boolean).join('·'), en: en.filter(Boolean).join(' · ') };
}

/** The desk link that opens the alert (after sign-in). */
export const alertLink = (baseUrl: string, alertId: string): string => `${baseUrl.replace(/\/+$/, '')}/desk?alert=${alertId}`;

/** The notice parameters of a push (core/notices.ts 'alert.push' / 'alert.repush'). */
export function pushParams(a: PushTextInput, link: string): Record<string, string> {
  const tags = pushTags(a);
  return { sourceName: clip(a.sourceName, 12), alertTitle: clip(a.title, 30), tags: tags.zh, tagsEn: tags.en, link };
}
