// Deterministic generator of the demo city's posts: the same seed always gives the same sequence.
import {
  AUTHORS,
  FLAGGED_TOPICS,
  REPOST_EDITS,
  REPOST_ROUTES,
  SLOTS,
  VARIANTS,
  type DemoChannel,
  type DemoTopic,
  type RepostRoute,
  type Variant,
} from './templates.js';

export type { DemoChannel, DemoTopic } from './templates.js';
export { FLAGGED_TOPICS } from './templates.js';

export interface DemoPost {
  /** 1, 2, 3 … in publishing order, unique across channels. */
  id: number;
  channel: DemoChannel;
  topic: DemoTopic;
  title: string;
  /** Plain text; paragraphs separated by '\n'. */
  body: string;
  author: string;
  publishedAt: Date;
  /** The id of the post this one reposts (same text, small edits), or null for an original. */
  repostOf: number | null;
  /** Carries complaint words (投诉, 愤怒 …). */
  negative: boolean;
  /** A newsroom or government text (also carried by the 政务新媒体 feeds). */
  official: boolean;
}

export const DEMO_CITY = '清河市';
export const DEFAULT_SEED = 20261125;
/** The forum thread whose page carries hostile HTML (script, onerror, javascript: link). */
export const HOSTILE_POST_ID = 1;
/** Share of posts that repost an earlier one on another channel. */
const REPOST_RATE = 0.25;
/** How far back a repost may reach, in posts. */
const REPOST_WINDOW = 25;

export { mulberry32, type Rng } from '../core/random.js';
import { mulberry32, type Rng } from '../core/random.js';
import { BUSINESS_OFFSET_MS } from '../core/business-time.js';

export interface PostGenerator {
  /** The next post of the sequence, stamped with publishedAt. */
  next(publishedAt: Date): DemoPost;
  /** Every post generated so far, oldest first. */
  readonly posts: readonly DemoPost[];
}

export function createPostGenerator(seed = DEFAULT_SEED): PostGenerator {
  const rng = mulberry32(seed);
  const posts: DemoPost[] = [];
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
  const int = (lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));

  function weighted<T>(xs: readonly T[], weight: (x: T) => number): T {
    const total = xs.reduce((s, x) => s + weight(x), 0);
    let r = rng() * total;
    for (const x of xs) {
      r -= weight(x);
      if (r < 0) return x;
    }
    return xs[xs.length - 1];
  }

  function slots(publishedAt: Date): Record<string, string> {
    const s: Record<string, string> = {};
    for (const [key, values] of Object.entries(SLOTS)) s[key] = pick(values);
    const local = new Date(publishedAt.getTime() + BUSINESS_OFFSET_MS);
    Object.assign(s, {
      n: String(int(3, 48)),
      m: String(int(2, 9)),
      months: String(int(3, 14)),
      month: String(local.getUTCMonth() + 1),
      day: String(local.getUTCDate()),
      rent: String(int(8, 20) * 100),
      wage: String(int(16, 92) * 500),
      wan: String(int(120, 980)),
      pct: String(int(62, 97)),
      tel: String(int(1000, 9999)),
    });
    return s;
  }

  function original(id: number, variant: Variant, publishedAt: Date, channel = pick(variant.channels)): DemoPost {
    const s = slots(publishedAt);
    const sentences = variant.body.map((group) => fill(pick(group), s)).filter((x) => x !== '');
    return {
      id,
      channel,
      topic: variant.topic,
      title: fill(pick(variant.titles), s),
      body: paragraphs(sentences),
      author: pick(AUTHORS[channel]),
      publishedAt,
      repostOf: null,
      negative: variant.negative,
      official: variant.official && channel === 'news',
    };
  }

  function repost(id: number, source: DemoPost, route: RepostRoute, publishedAt: Date): DemoPost {
    let body = source.body;
    for (let i = 0; i < 2; i++) {
      const [from, to] = pick(REPOST_EDITS);
      body = body.replace(from, to);
    }
    const outro = pick(route.outro);
    return {
      id,
      channel: route.to,
      topic: source.topic,
      title: route.titlePrefix + source.title,
      body: [route.intro, body, outro].filter((x) => x !== '').join('\n'),
      author: pick(AUTHORS[route.to]),
      publishedAt,
      repostOf: source.id,
      negative: source.negative,
      official: false,
    };
  }

  function repostCandidate(): { source: DemoPost; route: RepostRoute } | null {
    const recent = posts.slice(-REPOST_WINDOW).filter((p) => p.repostOf === null);
    if (recent.length < 3) return null;
    const source = weighted(recent, (p) => (FLAGGED_TOPICS.includes(p.topic) ? 3 : 1));
    const routes = REPOST_ROUTES.filter((r) => r.from === source.channel);
    return routes.length ? { source, route: pick(routes) } : null;
  }

  return {
    posts,
    next(publishedAt: Date): DemoPost {
      const id = posts.length + 1;
      let post: DemoPost;
      const candidate = id !== HOSTILE_POST_ID && rng() < REPOST_RATE ? repostCandidate() : null;
      if (id === HOSTILE_POST_ID) {
        const variant = VARIANTS.find((v) => v.topic === 'demolition' && v.negative)!;
        post = original(id, variant, publishedAt, 'forum');
      } else if (candidate) {
        post = repost(id, candidate.source, candidate.route, publishedAt);
      } else {
        post = original(id, weighted(VARIANTS, (v) => v.weight), publishedAt);
      }
      posts.push(post);
      return post;
    },
  };
}

function fill(template: string, slots: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const value = slots[key];
    if (value === undefined) throw new Error(`Demo template slot {${key}} has no value`);
    return value;
  });
}

/** Two sentences to a paragraph. */
function paragraphs(sentences: string[]): string {
  const out: string[] = [];
  for (let i = 0; i < sentences.length; i += 2) out.push(sentences.slice(i, i + 2).join(''));
  return out.join('\n');
}
