import { describe, expect, it } from 'vitest';
import { parseRule } from './rules/parse.js';
import {
  classifyQuery,
  countQueries,
  distinctQueries,
  MAX_QUERIES,
  nextQuerySchedule,
  queriesFromRule,
  queriesSummary,
  queryJitter,
  searchUrl,
  sourceStatusOf,
  uniqueBy,
} from './search-source.js';

describe('search queries from a monitoring rule', () => {
  it('are region words × subject words, leaving out the words a rule only excludes', () => {
    expect(queriesFromRule(parseRule('(永济|蒲州)+(拆迁|补偿|强拆)-(招聘|广告)'))).toEqual([
      '永济 拆迁',
      '永济 补偿',
      '永济 强拆',
      '蒲州 拆迁',
      '蒲州 补偿',
      '蒲州 强拆',
    ]);
  });

  it('a single word or an or-list is one query per word; a repeated word is one query', () => {
    expect(queriesFromRule(parseRule('清河'))).toEqual(['清河']);
    expect(queriesFromRule(parseRule('停水|断水|停水'))).toEqual(['停水', '断水']);
    expect(queriesFromRule(parseRule('清河+清河+拆迁'))).toEqual(['清河 拆迁']);
  });

  it('are capped at 20 per rule', () => {
    const regions = Array.from({ length: 8 }, (_, i) => `镇${i}`).join('|');
    const subjects = Array.from({ length: 8 }, (_, i) => `事${i}`).join('|');
    const q = queriesFromRule(parseRule(`(${regions})+(${subjects})`));
    expect(q).toHaveLength(MAX_QUERIES);
    expect(q[0]).toBe('镇0 事0');
    expect(new Set(q).size).toBe(MAX_QUERIES);
  });

  it('hand-written queries are trimmed, distinct and capped', () => {
    expect(distinctQueries(['  清河  拆迁 ', '', '清河 拆迁', '停水'])).toEqual(['清河 拆迁', '停水']);
    expect(distinctQueries(Array.from({ length: 30 }, (_, i) => `q${i}`))).toHaveLength(20);
  });
});

describe('search URLs', () => {
  it('fill {query} URL-encoded and {page}, typed or encoded', () => {
    expect(searchUrl('http://s.example.cn/search/news?q={query}&page={page}', '清河 拆迁', 2)).toBe(
      'http://s.example.cn/search/news?q=%E6%B8%85%E6%B2%B3%20%E6%8B%86%E8%BF%81&page=2',
    );
    expect(searchUrl('http://s.example.cn/s?q=%7Bquery%7D', 'a&b')).toBe('http://s.example.cn/s?q=a%26b');
  });
});

describe('query health', () => {
  const base = { httpStatus: 200, entries: 0, text: '<html><body></body></html>' };
  it('tells an anti-bot answer from an honest empty result page', () => {
    expect(classifyQuery({ ...base, fetchStatus: 'blocked_challenge', httpStatus: 412, text: null })).toBe('anti_bot');
    expect(classifyQuery({ ...base, fetchStatus: 'http_4xx', httpStatus: 403, text: null })).toBe('anti_bot');
    expect(classifyQuery({ ...base, fetchStatus: 'rate_limited', httpStatus: 429, text: null })).toBe('anti_bot');
    expect(classifyQuery({ ...base, fetchStatus: 'selector_empty', text: '<title>安全验证</title>请输入验证码' })).toBe('anti_bot');
    expect(classifyQuery({ ...base, fetchStatus: 'ok', text: '<rss><channel><title>访问过于频繁</title></channel></rss>' })).toBe('anti_bot');
    expect(classifyQuery({ ...base, fetchStatus: 'selector_empty', text: '<p>抱歉，未找到相关结果</p>' })).toBe('empty');
    expect(classifyQuery({ ...base, fetchStatus: 'ok', text: '<rss><channel></channel></rss>' })).toBe('empty');
  });

  it('a list selector matching nothing on a page that does not say "no results" is a failure', () => {
    expect(classifyQuery({ ...base, fetchStatus: 'selector_empty' })).toBe('failing');
    expect(classifyQuery({ ...base, fetchStatus: 'http_5xx', httpStatus: 503, text: null })).toBe('failing');
    expect(classifyQuery({ ...base, fetchStatus: 'timeout', httpStatus: null, text: null })).toBe('failing');
    expect(classifyQuery({ ...base, fetchStatus: 'ok', entries: 3 })).toBe('ok');
  });

  it('sums up in Chinese and gives the source a status', () => {
    const c = countQueries(['ok', 'ok', 'empty', 'anti_bot', 'failing', 'pending']);
    expect(queriesSummary(c).zh).toBe('共 6 个查询词：2 个有结果，1 个无结果，1 个遇到反爬验证，1 个抓取失败，1 个待抓取');
    expect(sourceStatusOf(c, 'timeout')).toBe('ok');
    expect(sourceStatusOf(countQueries(['anti_bot', 'anti_bot']), 'timeout')).toBe('blocked_challenge');
    expect(sourceStatusOf(countQueries(['anti_bot', 'failing']), 'timeout')).toBe('timeout');
  });
});

describe('query schedule', () => {
  const now = new Date('2026-12-07T02:00:00Z');
  const at = (d: Date) => (d.getTime() - now.getTime()) / 1000;
  it('a healthy query is due again after the interval, spread by its jitter', () => {
    const a = nextQuerySchedule({ status: 'ok', now, pollIntervalS: 600, backoffMaxS: 21600, jitter: 0, consecutiveFailures: 2, failureScore: 4 });
    const b = nextQuerySchedule({ status: 'empty', now, pollIntervalS: 600, backoffMaxS: 21600, jitter: 0.99, consecutiveFailures: 0, failureScore: 0 });
    expect(at(a.nextDueAt)).toBe(540);
    expect(a.consecutiveFailures).toBe(0);
    expect(at(b.nextDueAt)).toBeCloseTo(658.8, 0);
  });

  it('a failing query backs off exponentially up to the cap', () => {
    let state = { consecutiveFailures: 0, failureScore: 0 };
    const delays: number[] = [];
    for (let i = 0; i < 10; i++) {
      const s = nextQuerySchedule({ status: 'anti_bot', now, pollIntervalS: 600, backoffMaxS: 6 * 3600, jitter: 0.5, ...state });
      delays.push(at(s.nextDueAt));
      state = s;
    }
    expect(delays.slice(0, 4)).toEqual([600, 1200, 2400, 4800]);
    expect(delays[9]).toBe(6 * 3600);
    expect(state.consecutiveFailures).toBe(10);
  });

  it('jitter is fixed per source and query, and differs between queries', () => {
    expect(queryJitter(1, '清河 拆迁')).toBe(queryJitter(1, '清河 拆迁'));
    const values = new Set(['a', 'b', 'c', 'd', 'e'].map((q) => queryJitter(1, q)));
    expect(values.size).toBeGreaterThan(1);
    for (const v of values) expect(v >= 0 && v < 1).toBe(true);
  });
});

describe('uniqueBy', () => {
  it('keeps the first of each key, and every item without a key', () => {
    expect(uniqueBy([{ k: 'a', n: 1 }, { k: null, n: 2 }, { k: 'a', n: 3 }, { k: null, n: 4 }], (x) => x.k).map((x) => x.n)).toEqual([1, 2, 4]);
  });
});
