import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { createPostGenerator, FLAGGED_TOPICS, HOSTILE_POST_ID, mulberry32, type DemoPost } from './content.js';
import { DEMO_RULES } from './seed.js';
import { DEMO_HISTORY } from './history-cases.js';
import { DEMO_TOWNS, DEMO_VILLAGE_PAIRS, townOf } from './places.js';

const START = new Date('2026-11-23T00:00:00Z').getTime();
function generate(n: number, seed?: number): DemoPost[] {
  const g = createPostGenerator(seed);
  for (let i = 0; i < n; i++) g.next(new Date(START + i * 600_000));
  return [...g.posts];
}

/** A deliberately small evaluator of the rule language: words, ( ), | binds tighter than + and -. */
function matches(expression: string, text: string): boolean {
  let pos = 0;
  const peek = () => expression[pos];
  function atom(): boolean {
    if (peek() === '(') {
      pos++;
      const v = sum();
      pos++; // ')'
      return v;
    }
    const start = pos;
    while (pos < expression.length && !'()+-|'.includes(expression[pos])) pos++;
    return text.includes(expression.slice(start, pos));
  }
  function alt(): boolean {
    let v = atom();
    while (peek() === '|') {
      pos++;
      v = atom() || v;
    }
    return v;
  }
  function sum(): boolean {
    let v = alt();
    while (peek() === '+' || peek() === '-') {
      const op = expression[pos++];
      const r = alt();
      v = op === '+' ? v && r : v && !r;
    }
    return v;
  }
  return sum();
}

const RULE_OF_TOPIC: Record<string, string> = { demolition: '拆迁补偿', wages: '欠薪', water: '水污染', canteen: '学校食堂', rumour: '网传谣言' };

describe('demo content generator', () => {
  const posts = generate(400);

  it('is deterministic for a seed and differs between seeds', () => {
    expect(generate(60).map((p) => [p.channel, p.title, p.body])).toEqual(posts.slice(0, 60).map((p) => [p.channel, p.title, p.body]));
    expect(generate(60, 99).map((p) => p.title)).not.toEqual(posts.slice(0, 60).map((p) => p.title));
  });

  it('mulberry32 stays in [0, 1) and repeats per seed', () => {
    const a = mulberry32(1);
    const b = mulberry32(1);
    for (let i = 0; i < 1000; i++) {
      const x = a();
      expect(x).toBe(b());
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
  });

  it('numbers posts 1, 2, 3 … and stamps the given time', () => {
    expect(posts.map((p) => p.id)).toEqual(posts.map((_, i) => i + 1));
    expect(posts[5].publishedAt.getTime()).toBe(START + 5 * 600_000);
    expect(posts[HOSTILE_POST_ID - 1]).toMatchObject({ channel: 'forum', topic: 'demolition', repostOf: null });
  });

  it('covers all channels, the flagged topics (negative and neutral) and plenty of neutral news', () => {
    for (const ch of ['news', 'forum', 'mailbox'] as const) expect(posts.some((p) => p.channel === ch)).toBe(true);
    for (const topic of FLAGGED_TOPICS) {
      expect(posts.some((p) => p.topic === topic && p.negative), topic).toBe(true);
      expect(posts.some((p) => p.topic === topic && !p.negative), topic).toBe(true);
    }
    const neutral = posts.filter((p) => !FLAGGED_TOPICS.includes(p.topic));
    expect(new Set(neutral.map((p) => p.topic))).toEqual(new Set(['meeting', 'weather', 'jobs', 'culture', 'traffic', 'suggestion', 'chat']));
    expect(neutral.length).toBeGreaterThan(posts.length * 0.3);
    expect(posts.filter((p) => p.negative && /投诉|愤怒|寒心|气愤|推诿/.test(p.body)).length).toBeGreaterThan(20);
  });

  it('writes fully filled, multi-sentence Chinese text', () => {
    for (const p of posts) {
      expect(p.title + p.body).not.toMatch(/[{}]|undefined/);
      expect(p.body.split(/[。！？]/).filter(Boolean).length).toBeGreaterThanOrEqual(2);
      expect(p.title.length).toBeGreaterThan(4);
    }
  });

  it('reposts an earlier post on another channel with most of its text', () => {
    const reposts = posts.filter((p) => p.form === 'repost');
    expect(reposts.length).toBeGreaterThan(posts.length * 0.15);
    for (const r of reposts) {
      const original = posts[r.repostOf! - 1];
      expect(original.id).toBeLessThan(r.id);
      expect(original.repostOf).toBeNull();
      expect(r.channel).not.toBe(original.channel);
      expect(r.title).toContain(original.title);
      expect(bigramOverlap(original.body, r.body)).toBeGreaterThan(0.75);
      expect(r.body).not.toBe(original.body);
      expect(r.eventId).toBe(original.eventId);
    }
  });

  it('tells events: every post carries its event, and the event holds one place, firm or school', () => {
    const g = createPostGenerator();
    for (let i = 0; i < 400; i++) g.next(new Date(START + i * 600_000));
    expect(g.posts.map((p) => [p.title, p.body])).toEqual(posts.map((p) => [p.title, p.body]));
    const events = new Map(g.events.map((e) => [e.id, e]));
    expect(events.size).toBeGreaterThan(40);
    for (const p of g.posts) {
      const e = events.get(p.eventId)!;
      expect(e, `${p.id}`).toBeDefined();
      expect(p.topic).toBe(e.topic);
      expect(p.body + p.title).not.toMatch(/eventId|event\s*\d/i);
      // The post names its event's village (when it has one) and no other village of the area.
      const villages = namedVillages(`${p.title}\n${p.body}`);
      if (e.village) expect(villages, `${p.id} ${p.title}`).toEqual([e.village]);
      else expect(villages, `${p.id} ${p.title}`).toEqual([]);
    }
    for (const e of g.events) if (e.village) expect(townOf(e.village)).toBe(e.town);
    // Every form of telling occurs, copies point at a post of the same event.
    const forms = new Set(g.posts.map((p) => p.form));
    for (const f of ['first', 'lookalike', 'repost', 'excerpt', 'headline', 'retelling', 'writeup', 'reply'] as const) expect(forms, f).toContain(f);
    for (const p of g.posts.filter((x) => x.repostOf !== null)) expect(g.posts[p.repostOf! - 1].eventId).toBe(p.eventId);
  });

  it('publishes look-alikes: a new event under the headline of an earlier one, at another place, firm or school', () => {
    const g = createPostGenerator();
    for (let i = 0; i < 400; i++) g.next(new Date(START + i * 600_000));
    const lookalikes = g.posts.filter((p) => p.form === 'lookalike');
    expect(lookalikes.length).toBeGreaterThan(15);
    for (const p of lookalikes) {
      const e = g.events[p.eventId - 1];
      const earlier = g.events.filter((x) => x.kind === e.kind && x.id < e.id);
      expect(earlier.length, p.title).toBeGreaterThan(0);
      for (const x of earlier) expect(x.identity, p.title).not.toBe(e.identity);
    }
  });

  it('places every village under its own town, in the posts and in the demo history', () => {
    const g = createPostGenerator(7);
    for (let i = 0; i < 300; i++) g.next(new Date(START + i * 60_000));
    const texts = [...g.posts.map((p) => `${p.title}\n${p.body}`), ...DEMO_HISTORY.map((c) => `${c.title}\n${c.text}\n${c.summary}`)];
    for (const text of texts) {
      const known = namedVillages(text);
      expect(known.length, text).toBeLessThanOrEqual(1);
      const towns = DEMO_TOWNS.filter((t) => text.includes(t));
      for (const v of known) for (const t of towns) expect(t, text).toBe(townOf(v));
    }
    expect(DEMO_VILLAGE_PAIRS.length).toBeGreaterThanOrEqual(10);
  });

  it('matches the demo rules where meant: flagged topics by their rule, neutral posts by none', () => {
    const rules = new Map(DEMO_RULES.map((r) => [r.name, r.expression]));
    for (const p of posts) {
      const text = `${p.title}\n${p.body}`;
      const hits = DEMO_RULES.filter((r) => matches(r.expression, text)).map((r) => r.name);
      if (FLAGGED_TOPICS.includes(p.topic)) expect(hits, `${p.id} ${p.title}`).toContain(RULE_OF_TOPIC[p.topic]);
      else expect(hits, `${p.id} ${p.title}`).toEqual([]);
    }
    // The exclusion words are exercised: some job ads name a town and 拆迁 or 拖欠工资.
    const ads = posts.filter((p) => p.topic === 'jobs').map((p) => `${p.title}\n${p.body}`);
    expect(ads.some((t) => matches('(城关|龙山)+(拆迁)', t) || t.includes('拖欠工资'))).toBe(true);
    expect(rules.size).toBe(DEMO_RULES.length);
  });

  it('mailbox text survives GBK encoding', () => {
    for (const p of posts.filter((x) => x.channel === 'mailbox')) {
      const text = p.title + p.body + p.author;
      expect(iconv.decode(iconv.encode(text, 'gbk'), 'gbk')).toBe(text);
    }
  });
});

/** The area's villages a text names (by name, as the gazetteer knows them). */
function namedVillages(text: string): string[] {
  return DEMO_VILLAGE_PAIRS.map(([, v]) => v).filter((v) => text.includes(v));
}

function bigramOverlap(a: string, b: string): number {
  const grams = (s: string) => {
    const set = new Set<string>();
    for (let i = 0; i + 1 < s.length; i++) set.add(s.slice(i, i + 2));
    return set;
  };
  const ga = grams(a);
  const gb = grams(b);
  let shared = 0;
  for (const g of ga) if (gb.has(g)) shared++;
  return shared / ga.size;
}
