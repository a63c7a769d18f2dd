// Deterministic generator of the demo city's posts: the same seed always gives the same sequence.
// The publisher thinks in EVENTS: an event has a kind (demo/templates.ts), a place that agrees with
// the gazetteer (demo/places.ts: a town and one of its own villages) and its distinguishing facts
// (firm, school, road, households, people, amounts, dates), fixed when the event happens. Every
// post is either the first report of a new event, another post about an existing event (a repost
// with a framing line, an excerpt with a credit line, a rewritten headline, a second letter, a
// news write-up or the bureau's 答复 naming the same place), or a look-alike: a NEW event under a
// familiar headline (same template, another village / firm / school / number). Each post carries
// the id of its event — ground truth for the story grouping, never shown in its text.
import {
  AUTHORS,
  CREDIT_LINES,
  EVENT_KINDS,
  FLAGGED_TOPICS,
  REPOST_EDITS,
  REPOST_ROUTES,
  SLOTS,
  type DemoChannel,
  type DemoTopic,
  type EventKind,
  type RepostRoute,
  type Retelling,
} from './templates.js';
import { DEMO_TOWNS, DEMO_VILLAGE_PAIRS } from './places.js';

export type { DemoChannel, DemoTopic } from './templates.js';
export { FLAGGED_TOPICS } from './templates.js';

/**
 * How a post came about: the first report of an event, a look-alike (the first report of a new
 * event under a familiar headline), or one of the ways an existing event is told again.
 */
export type PostForm = 'first' | 'lookalike' | 'repost' | 'excerpt' | 'headline' | 'retelling' | 'writeup' | 'reply';

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
  /** The id of the post this one copies (a repost, an excerpt, the same text under a new headline), or null. */
  repostOf: number | null;
  /** Ground truth: the event the post tells (DemoEvent.id). Not part of the post's text. */
  eventId: number;
  form: PostForm;
  /** Carries complaint words (投诉, 愤怒 …). */
  negative: boolean;
  /** A newsroom or government text (also carried by the 政务新媒体 feeds). */
  official: boolean;
}

export interface DemoEvent {
  /** 1, 2, 3 … in the order the events happened. */
  id: number;
  kind: string;
  topic: DemoTopic;
  /** Where it happened: a town of the area and, when the kind names one, a village of that town. */
  town: string;
  village: string;
  /** The event's facts, fixed when it happened (firm, school, numbers, date …). */
  slots: Readonly<Record<string, string>>;
  /** The value that sets it apart from other events of its kind ('' for kinds with one event at a time). */
  identity: string;
  firstAt: Date;
}

export const DEMO_CITY = '清河市';
export const DEFAULT_SEED = 20261125;
/** The forum thread whose page carries hostile HTML (script, onerror, javascript: link). */
export const HOSTILE_POST_ID = 1;
/** Share of posts that tell an existing event again. */
const AGAIN_RATE = 0.5;
/** Share of posts that are a new event under a familiar headline. */
const LOOKALIKE_RATE = 0.12;
/** Events told again are picked among this many of the latest. */
const RECENT_EVENTS = 14;
/** An event's place, firm or school is taken for this long after its latest post. */
const EVENT_LIFETIME_MS = 30 * 86_400_000;

export { mulberry32, type Rng } from '../core/random.js';
import { mulberry32 } from '../core/random.js';
import { BUSINESS_OFFSET_MS } from '../core/business-time.js';

export interface PostGenerator {
  /** The next post of the sequence, stamped with publishedAt. */
  next(publishedAt: Date): DemoPost;
  /** Every post generated so far, oldest first. */
  readonly posts: readonly DemoPost[];
  /** Every event so far, oldest first (ground truth: DemoPost.eventId indexes it from 1). */
  readonly events: readonly DemoEvent[];
}

const KIND_BY_KEY = new Map(EVENT_KINDS.map((k) => [k.key, k]));
/** Identities one live event holds across all kinds (a village, a firm, a school or a road is one event's at a time). */
const GLOBAL_IDENTITY = new Set(['village', 'company', 'school', 'road']);

export function kindOf(e: DemoEvent): EventKind {
  return KIND_BY_KEY.get(e.kind)!;
}

export function createPostGenerator(seed = DEFAULT_SEED): PostGenerator {
  const rng = mulberry32(seed);
  const posts: DemoPost[] = [];
  const events: DemoEvent[] = [];
  /** Latest post time per event id. */
  const lastAt = new Map<number, number>();
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

  const live = (at: Date) => events.filter((e) => at.getTime() - (lastAt.get(e.id) ?? 0) <= EVENT_LIFETIME_MS);

  /** Identity values still free for a new event of the kind, given the live events. */
  function freeIdentities(kind: EventKind, at: Date): { identity: string; town: string; village: string }[] {
    const towns = kind.towns ?? DEMO_TOWNS;
    const taken = new Set(
      live(at)
        .filter((e) => (GLOBAL_IDENTITY.has(kind.identity) ? kindOf(e).identity === kind.identity : e.kind === kind.key))
        .map((e) => e.identity),
    );
    const anyVillage = (_town: string) => '';
    switch (kind.identity) {
      case 'village':
        return DEMO_VILLAGE_PAIRS.filter(([t, v]) => towns.includes(t) && !taken.has(v)).map(([town, village]) => ({ identity: village, town, village }));
      case 'town':
        return towns.filter((t) => !taken.has(t)).map((town) => ({ identity: town, town, village: anyVillage(town) }));
      case 'company':
      case 'school':
      case 'road':
        return SLOTS[kind.identity].filter((v) => !taken.has(v)).map((v) => {
          const town = pick(towns);
          return { identity: v, town, village: anyVillage(town) };
        });
      case 'none': {
        if (taken.has('')) return [];
        const town = pick(towns);
        return [{ identity: '', town, village: anyVillage(town) }];
      }
    }
  }

  function newEvent(kind: EventKind, at: Date): DemoEvent | null {
    const free = freeIdentities(kind, at);
    if (free.length === 0) return null;
    const place = pick(free);
    const slots: Record<string, string> = {};
    for (const [key, values] of Object.entries(SLOTS)) slots[key] = pick(values);
    const local = new Date(at.getTime() + BUSINESS_OFFSET_MS);
    Object.assign(slots, {
      town: place.town,
      village: place.village,
      n: String(int(3, 48)),
      m: String(int(2, 9)),
      months: String(int(3, 14)),
      month: String(local.getUTCMonth() + 1),
      day: String(local.getUTCDate()),
      rent: String(int(8, 20) * 100),
      wage: String(int(16, 92) * 500),
      pct: String(int(62, 97)),
      tel: String(int(1000, 9999)),
    });
    if (kind.identity === 'company' || kind.identity === 'school' || kind.identity === 'road') slots[kind.identity] = place.identity;
    const e: DemoEvent = { id: events.length + 1, kind: kind.key, topic: kind.topic, town: place.town, village: place.village, slots, identity: place.identity, firstAt: at };
    events.push(e);
    return e;
  }

  function write(
    id: number,
    e: DemoEvent,
    text: { titles: string[]; body: string[][]; channel: DemoChannel; negative: boolean; official: boolean },
    publishedAt: Date,
    form: PostForm,
    title = pick(text.titles),
  ): DemoPost {
    const sentences = text.body.map((group) => fill(pick(group), e.slots)).filter((x) => x !== '');
    return {
      id,
      channel: text.channel,
      topic: e.topic,
      title: fill(title, e.slots),
      body: paragraphs(sentences),
      author: pick(AUTHORS[text.channel]),
      publishedAt,
      repostOf: null,
      eventId: e.id,
      form,
      negative: text.negative,
      official: text.official && text.channel === 'news',
    };
  }

  /** A first-hand post of the event in one of its kind's channels. */
  function original(id: number, e: DemoEvent, publishedAt: Date, form: PostForm, opts: { channel?: DemoChannel; title?: string } = {}): DemoPost {
    const kind = kindOf(e);
    return write(id, e, { ...kind, channel: opts.channel ?? pick(kind.channels) }, publishedAt, form, opts.title);
  }

  function edited(body: string): string {
    let out = body;
    for (let i = 0; i < 2; i++) {
      const [from, to] = pick(REPOST_EDITS);
      out = out.replace(from, to);
    }
    return out;
  }

  function repost(id: number, source: DemoPost, route: RepostRoute, publishedAt: Date): DemoPost {
    const outro = pick(route.outro);
    return {
      ...source,
      id,
      channel: route.to,
      title: route.titlePrefix + source.title,
      body: [route.intro, edited(source.body), outro].filter((x) => x !== '').join('\n'),
      author: pick(AUTHORS[route.to]),
      publishedAt,
      repostOf: source.id,
      form: 'repost',
      official: false,
    };
  }

  /** The first paragraphs of a post under its own title, cut off, with the credit line of where it was taken from. */
  function excerpt(id: number, source: DemoPost, publishedAt: Date): DemoPost {
    const to: DemoChannel = source.channel === 'forum' ? 'news' : 'forum';
    const paras = source.body.split('\n');
    const kept = paras.slice(0, Math.max(1, Math.ceil(paras.length / 2)));
    return {
      ...source,
      id,
      channel: to,
      title: to === 'forum' ? `转：${source.title}` : source.title,
      body: `${kept.join('\n')}……\n${CREDIT_LINES[source.channel]}`,
      author: pick(AUTHORS[to]),
      publishedAt,
      repostOf: source.id,
      form: 'excerpt',
      official: false,
    };
  }

  /** The same text with small edits under another of the event's headlines. */
  function headline(id: number, e: DemoEvent, source: DemoPost, publishedAt: Date): DemoPost | null {
    const titles = kindOf(e).titles.map((t) => fill(t, e.slots)).filter((t) => !source.title.includes(t));
    if (titles.length === 0) return null;
    const to: DemoChannel = source.channel === 'news' ? 'forum' : 'news';
    return {
      ...source,
      id,
      channel: to,
      title: pick(titles),
      body: edited(source.body),
      author: pick(AUTHORS[to]),
      publishedAt,
      repostOf: source.id,
      form: 'headline',
      official: false,
    };
  }

  /** Another post about an existing event, in one of the forms events are told again. */
  function again(id: number, e: DemoEvent, publishedAt: Date): DemoPost {
    const kind = kindOf(e);
    const own = posts.filter((p) => p.eventId === e.id && p.repostOf === null);
    const source = pick(own);
    const routes = REPOST_ROUTES.filter((r) => r.from === source.channel);
    type Option = { w: number; make: () => DemoPost | null };
    const options: Option[] = [
      { w: routes.length ? 3 : 0, make: () => repost(id, source, pick(routes), publishedAt) },
      { w: source.body.split('\n').length >= 2 ? 1.5 : 0, make: () => excerpt(id, source, publishedAt) },
      { w: kind.titles.length > 1 ? 1 : 0, make: () => headline(id, e, source, publishedAt) },
      { w: 2, make: () => original(id, e, publishedAt, 'retelling') },
      ...(kind.retellings ?? []).map((r: Retelling, i): Option => ({ w: 1.2, make: () => write(id, e, r, publishedAt, i === 0 && !r.official ? 'writeup' : 'reply') })),
    ];
    for (;;) {
      const o = weighted(options, (x) => x.w);
      const post = o.make();
      if (post) return post;
      o.w = 0;
    }
  }

  function recentEvents(at: Date): DemoEvent[] {
    return live(at).slice(-RECENT_EVENTS);
  }

  return {
    posts,
    events,
    next(publishedAt: Date): DemoPost {
      const id = posts.length + 1;
      let post: DemoPost | null = null;
      if (id === HOSTILE_POST_ID) {
        const kind = KIND_BY_KEY.get('demolition-complaint')!;
        post = original(id, newEvent(kind, publishedAt)!, publishedAt, 'first', { channel: 'forum' });
      } else {
        const r = rng();
        const recent = recentEvents(publishedAt);
        if (r < AGAIN_RATE && recent.length >= 3) {
          const e = weighted(recent, (x) => (FLAGGED_TOPICS.includes(x.topic) ? 3 : 1));
          post = again(id, e, publishedAt);
        } else if (r < AGAIN_RATE + LOOKALIKE_RATE) {
          // A new event under the headline of a recent one: same kind and title, another place, firm or school.
          const familiar = recent.filter((x) => kindOf(x).identity !== 'none').reverse();
          for (const old of familiar) {
            const first = posts.find((p) => p.eventId === old.id)!;
            const kind = kindOf(old);
            const e = newEvent(kind, publishedAt);
            if (!e) continue;
            const title = kind.titles.find((t) => fill(t, old.slots) === first.title) ?? pick(kind.titles);
            post = original(id, e, publishedAt, 'lookalike', { title });
            break;
          }
        }
        if (!post) {
          const kind = weighted(EVENT_KINDS, (k) => k.weight);
          const e = newEvent(kind, publishedAt);
          if (e) post = original(id, e, publishedAt, 'first');
          else {
            // No place, firm or school left for a new event of this kind: its live events are told again.
            const same = live(publishedAt).filter((x) => x.kind === kind.key);
            post = again(id, pick(same.length ? same : live(publishedAt)), publishedAt);
          }
        }
      }
      posts.push(post);
      lastAt.set(post.eventId, publishedAt.getTime());
      return post;
    },
  };
}

function fill(template: string, slots: Readonly<Record<string, string>>): string {
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
