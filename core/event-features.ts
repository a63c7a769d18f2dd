import { createRequire } from 'node:module';
import { findSubjects, subjectsDisjoint } from './subjects.js';

// What an item is about, for event grouping (core/stories.ts): its keywords (jieba TF-IDF with a
// 政务 stop list), its normalised title, its distinguishing entities (places down to 村/社区/小区,
// schools and roads, companies, numbers with units, dates) and its published time. Pure: the
// dictionaries load from the package once, in memory.

const require = createRequire(import.meta.url);
interface JiebaLike {
  cut(s: string, hmm?: boolean): string[];
}
interface TfIdfLike {
  extractKeywords(j: JiebaLike, s: string, k: number, pos?: string[] | null): { keyword: string; weight: number }[];
}
let engine: { jieba: JiebaLike; tfidf: TfIdfLike } | undefined;
function jieba(): { jieba: JiebaLike; tfidf: TfIdfLike } {
  if (!engine) {
    const { Jieba, TfIdf } = require('@node-rs/jieba') as { Jieba: { withDict(d: Uint8Array): JiebaLike }; TfIdf: new () => TfIdfLike & { loadDict(d: Uint8Array): void } };
    const { dict, idf } = require('@node-rs/jieba/dict') as { dict: Uint8Array; idf: Uint8Array };
    const tfidf = new TfIdf();
    tfidf.loadDict(idf);
    engine = { jieba: Jieba.withDict(dict), tfidf };
  }
  return engine;
}

export interface EventEntities {
  /** 县/市 names. */
  county: string[];
  /** 镇/乡/街道. */
  town: string[];
  /** 村/社区/小区: where exactly. */
  village: string[];
  /** Schools, hospitals and roads. */
  site: string[];
  /** Firms by their distinctive name (宏达建筑工程有限公司 → 宏达); `plant` for bare …厂 mentions. */
  company: string[];
  plant: string[];
  /** Numbers with a unit (13户, 45万元) and dates (3月10日). */
  number: string[];
  date: string[];
}

export interface EventFeatures {
  /** Top TF-IDF words, heaviest first, with their weights (same order). */
  keywords: string[];
  weights: number[];
  /** The title's own content words (jieba, stop words dropped). */
  titleWords: string[];
  title: string;
  entities: EventEntities;
  publishedMs: number;
  /** What the item is about (core/subjects.ts: 拆迁, 停水 …); features stored before it read from title and keywords. */
  subjects?: string[];
}

/** Words every 政务 text uses: they say nothing about which event it is. */
const STOP = new Set(
  (
    '反映 问题 情况 群众 村民 居民 网民 网友 有关 部门 领导 您好 尊敬 县长 市长 书记 核实 答复 回复 关注 表示 目前 近日 记者 工作 进行 相关 负责人 ' +
    '了解 希望 已经 我们 他们 今天 现在 多次 一直 至今 感谢 支持 下一步 高度重视 依法 有关部门 收悉 经查 调查 处理 落实 督促 要求 请求 恳请 ' +
    '政府 人民政府 县里 镇里 村里 单位 企业 公司 帖子 论坛 网上 消息 扩散 转发 转载 来源 编辑 责任编辑 原文 链接 投稿 全文 原帖 ' +
    '真的 是不是 到底 怎么 什么 为什么 一下 大家 朋友 家里 老人 孩子 说法 办法 时间 期间 此致 敬礼 同志 本网 记者 通讯员 ' +
    '小区 项目 工地 人员 涉及 全部 已于 近期 计划 开展 组织 安排 确保 及时 尽快 正常 情况通报 通报 通知 公告 说明 辟谣 听说 网传 是真的吗 赶紧 好几个 内情 此致敬礼 有没有 一会儿 请问 大家 实在 没有 不是 可以 这个 那个 还是 就是'
  ).split(' '),
);

/** Where a name cannot run across: punctuation, digits, and the ends of place and office names. */
const HARD = /[\s，。！？、：；“”‘’（）()《》#【】…,.!?:;"'\d镇乡县市区村局委会府路道街]/;
/** Words a name is preceded by (the cut nearest the suffix that leaves two characters wins). */
const SOFT = ['关于', '听说', '举报', '督促', '多次向', '住在', '位于', '距离', '前往', '反映', '目前', '网民', '单位', '企业', '督促', '承包', '群众', '居民', '村民', '联系', '来自', '责令', '要求', '关注', '经', '对', '由', '给', '和', '与', '及', '在', '是', '的', '从', '到', '向', '了', '说', '称', '传', '为', '被', '把', '并', '将', '请', '找', '去', '让', '跟', '至', '自', '因', '离', '有', '也', '都', '还', '就', '又'];
const DENY = /[我你他她该本这那各每此全某]|^(附近|整个|有的|一个|一些|城乡|农业农村)$/;
const SUFFIX_RE = /(有限责任公司|股份有限公司|有限公司|集团|公司|厂(?![区房长])|街道|镇(?![上里长政党卫])|(?<!城)乡(?![亲下里镇村])|县(?![里城长委政])|市(?![场民长委政区])|(?<!农)村(?![委民里干头口子庄级务镇上])|社区(?!工作|服务|卫生|医院|居民)|小区|小学|中学|医院|卫生院|大道|路(?![段面况灯口边上])|街(?![头上坊]))/g;
const INDUSTRY = /(建筑工程|建筑|建设工程|建设|化工|水务|热力|餐饮管理|餐饮|置业|房地产开发|房地产|生猪养殖|养殖|供电|供水|物业服务|物业|劳务|运输|科技|食品|环保|混凝土|水泥|化肥|造纸|印染|供热)$/;
const NUMBER_RE = /(\d+(?:\.\d+)?)\s*(名|人|户|万元|元|米|公里|亩|头|天|吨|度|间|套|辆|所|起|个月|栋)/g;
const DATE_RE = /(\d{1,2})月(\d{1,2})日/g;

const uniq = (xs: string[]) => [...new Set(xs)];

/** The name in front of a suffix ending at `end`: back to a hard stop, then cut at the nearest soft word leaving ≥ 2 characters. */
function nameBefore(text: string, end: number): string | null {
  let start = end;
  while (start > 0 && end - start < 6 && !HARD.test(text[start - 1])) start--;
  const run = text.slice(start, end);
  let best: string | null = null;
  for (let i = run.length - 2; i >= 0; i--) {
    const rest = run.slice(i);
    const before = run.slice(0, i);
    if (i === 0 || SOFT.some((w) => before.endsWith(w))) {
      best = rest;
      break;
    }
  }
  if (!best || best.length > 6 || DENY.test(best) || SOFT.includes(best.slice(-1))) return null;
  return best;
}

/** A firm's own name: 安平县宏达建筑工程有限公司 → 宏达; null for a bare trade (热力公司). */
function firmKey(name: string): string | null {
  let n = name;
  for (let i = 0; i < 3 && INDUSTRY.test(n); i++) n = n.replace(INDUSTRY, '');
  return n.length >= 2 ? n.slice(0, 4) : null;
}

export function extractEntities(text: string): EventEntities {
  const e: EventEntities = { county: [], town: [], village: [], site: [], company: [], plant: [], number: [], date: [] };
  for (const m of text.matchAll(SUFFIX_RE)) {
    const suffix = m[1];
    const name = nameBefore(text, m.index);
    if (!name) continue;
    if (suffix === '县' || suffix === '市') e.county.push(name.slice(-2) + suffix);
    else if (suffix === '镇' || suffix === '乡' || suffix === '街道') e.town.push(name.slice(-2) + suffix);
    else if (/公司|集团|厂/.test(suffix)) {
      const key = firmKey(name);
      if (key) (suffix === '厂' ? e.plant : e.company).push(key);
    } else (/村|社区|小区/.test(suffix) ? e.village : e.site).push(name + suffix);
  }
  for (const m of text.matchAll(NUMBER_RE)) e.number.push(`${Number(m[1])}${m[2]}`);
  for (const m of text.matchAll(DATE_RE)) e.date.push(`${Number(m[1])}-${Number(m[2])}`);
  return {
    county: uniq(e.county),
    town: uniq(e.town),
    village: uniq(e.village),
    site: uniq(e.site),
    company: uniq(e.company),
    plant: uniq(e.plant),
    number: uniq(e.number),
    date: uniq(e.date),
  };
}

/** Title without repost marks, brackets and punctuation. */
export function normaliseTitle(title: string): string {
  return title
    .replace(/^\s*(转发|转载|转帖|转|分享|请关注)\s*[:：]\s*|^\s*【[^】]{0,8}】\s*/g, '')
    .replace(/[\s，。！？、：；“”‘’（）()《》#【】…,.!?:;"'—\-~·]/g, '');
}

const KEYWORDS = 16;
const usable = (w: string) => w.length >= 2 && !STOP.has(w) && !/\d/.test(w) && !/^[a-z]+$/i.test(w);

/** Top TF-IDF words of the text with their weights, without stop words, numbers and single characters. */
export function keywords(text: string, k = KEYWORDS): { words: string[]; weights: number[] } {
  const { jieba: j, tfidf } = jieba();
  const words: string[] = [];
  const weights: number[] = [];
  for (const { keyword, weight } of tfidf.extractKeywords(j, text, k * 2, [])) {
    if (!usable(keyword)) continue;
    words.push(keyword);
    weights.push(Math.round(weight * 1000) / 1000);
    if (words.length === k) break;
  }
  return { words, weights };
}

export function eventFeatures(title: string, text: string, published: Date): EventFeatures {
  const body = `${title}\n${text}`;
  const kw = keywords(body);
  const titleWords = uniq(jieba().jieba.cut(normaliseTitle(title), false).filter(usable));
  return {
    keywords: kw.words,
    weights: kw.weights,
    titleWords,
    title: normaliseTitle(title),
    entities: extractEntities(body),
    publishedMs: published.getTime(),
    subjects: findSubjects(title, text),
  };
}

/** Two names of one thing: equal, or one ends the other (网民反映大营村 / 大营村) or holds it (目前金鼎 / 金鼎). */
export const sameName = (a: string, b: string) => a === b || (Math.min(a.length, b.length) >= 3 && (a.endsWith(b) || b.endsWith(a)) && !/^(第|实验|中心|初级)/.test(a.length < b.length ? a : b));
export const sharesName = (a: readonly string[], b: readonly string[]) => a.some((x) => b.some((y) => sameName(x, y)));
/** Firm names are short (宏达): one ending the other is enough (单位宏达 / 宏达). */
export const sharesFirm = (a: readonly string[], b: readonly string[]) => a.some((x) => b.some((y) => x.endsWith(y) || y.endsWith(x)));
const disjoint = (a: readonly string[], b: readonly string[]) => a.length > 0 && b.length > 0 && !sharesName(a, b);
const disjointFirms = (a: readonly string[], b: readonly string[]) => a.length > 0 && b.length > 0 && !sharesFirm(a, b);
const shares = sharesName;

/**
 * Two items whose distinguishing entities differ are different events, however alike the words:
 * another 镇, another 村/小区/school/road, another firm. Numbers, dates and bare …厂 mentions are
 * weaker (a retelling rounds numbers and names the plant loosely): they separate only items that
 * share no place or firm and carry different titles.
 */
export function entitiesConflict(a: EventEntities, b: EventEntities, sameTitle = false): boolean {
  if (disjoint(a.county, b.county) || disjoint(a.town, b.town) || disjoint(a.village, b.village) || disjoint(a.site, b.site) || disjointFirms(a.company, b.company)) return true;
  if (sameTitle) return false;
  const anchored = shares(a.village, b.village) || shares(a.site, b.site) || sharesFirm(a.company, b.company);
  if (anchored) return false;
  return disjoint(a.number, b.number) || disjoint(a.date, b.date) || disjointFirms(a.plant, b.plant);
}

function bigrams(s: string): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i + 1 < s.length; i++) out.add(s.slice(i, i + 2));
  return out;
}

/** Dice coefficient of the character bigrams of two normalised titles. */
export function titleSimilarity(a: string, b: string): number {
  if (!a || !b) return 0;
  if (a === b) return 1;
  const x = bigrams(a);
  const y = bigrams(b);
  let both = 0;
  for (const g of x) if (y.has(g)) both++;
  return x.size + y.size === 0 ? 0 : (2 * both) / (x.size + y.size);
}

/** Weighted share of the lighter keyword list found in the other (weights from TF-IDF). */
export function keywordOverlap(a: Pick<EventFeatures, 'keywords' | 'weights'>, b: Pick<EventFeatures, 'keywords' | 'weights'>): number {
  if (a.keywords.length === 0 || b.keywords.length === 0) return 0;
  const wb = new Map<string, number>();
  b.keywords.forEach((w, i) => wb.set(w, b.weights[i] ?? 1));
  let both = 0;
  let sa = 0;
  a.keywords.forEach((w, i) => {
    const x = a.weights[i] ?? 1;
    sa += x;
    const y = wb.get(w);
    if (y !== undefined) both += Math.min(x, y);
  });
  const sb = [...wb.values()].reduce((s, x) => s + x, 0);
  return both / Math.min(sa, sb);
}

/**
 * Two titles cut from one frame (听说龙山镇水库要垮坝了，是真的吗 / 听说城西化工厂要爆炸了，是真的吗):
 * alike as strings, but neither title's own words appear in the other item at all. Items naming the
 * same 村/小区, school, road or firm are about one subject, however their headlines differ.
 */
export function sameFrameOtherSubject(a: EventFeatures, b: EventFeatures): boolean {
  if (a.title === b.title || titleSimilarity(a.title, b.title) < 0.3) return false;
  const ea = a.entities;
  const eb = b.entities;
  if (sharesName(ea.village, eb.village) || sharesName(ea.site, eb.site) || sharesFirm(ea.company, eb.company)) return false;
  const cover = (x: EventFeatures, y: EventFeatures) => {
    if (x.titleWords.length === 0) return 1;
    const vocab = new Set([...y.keywords, ...y.titleWords]);
    return x.titleWords.filter((w) => vocab.has(w)).length / x.titleWords.length;
  };
  return cover(a, b) < 0.5 && cover(b, a) < 0.5;
}

/** An item's subjects: stored with its features, or read from its title and keywords. */
export const subjectsOf = (f: EventFeatures): string[] => f.subjects ?? findSubjects(f.title, f.keywords.join(' '));

/**
 * Two subjects at one place (龙山镇石桥村拆迁 / 石桥村停水): both items say what they are about and
 * share no subject. Same normalised titles are one item copied, whatever their bodies say.
 */
export function subjectsConflict(a: EventFeatures, b: EventFeatures): boolean {
  if (a.title.length >= 6 && a.title === b.title) return false;
  return subjectsDisjoint(subjectsOf(a), subjectsOf(b));
}
