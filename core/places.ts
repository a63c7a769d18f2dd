// Place names (地域) of the office's own area: which 乡镇 / 街道 and 村 / 社区 a text names.
//
// The gazetteer is the area's list of places (built from the administrative divisions when an admin
// saves the area, plus the names the office adds by hand). Matching is one pass over the text with a
// trie of every name form, taking the longest name at each position (leftmost-longest, so 城关镇东关村
// is 城关镇 + 东关村, never 城关 + 关村). Forms:
//  - full names (龙山镇, 石桥村) and the office's aliases (东关 for 东关村) name a place outright;
//  - short forms without the suffix (龙山 for 龙山镇, 石桥 for 石桥村): a town's short form counts when
//    only one town has it; a village's only when its own town is named in the same text;
//  - a village name two towns share (石桥村 in 龙山镇 and in 城关镇) is resolved by a town named in the
//    same text, or dropped;
//  - a village named implies its town.
// Pure: no I/O; the caller compiles once per gazetteer version and reuses the result.

export type PlaceKind = 'town' | 'village';

export interface GazetteerPlace {
  code: string;
  name: string;
  kind: PlaceKind;
  /** A village's town; null for a town. */
  parentCode: string | null;
  /** Other names the office uses for it (each names the place outright, like its full name). */
  aliases: readonly string[];
}

/** The places a text names: codes in order of first mention. */
export interface FoundPlaces {
  towns: string[];
  villages: string[];
}

type Form = 'full' | 'short';

interface Candidate {
  code: string;
  kind: PlaceKind;
  parentCode: string | null;
  form: Form;
}

interface TrieNode {
  next: Map<number, TrieNode>;
  /** Set when a name form ends here. */
  candidates: Candidate[] | null;
}

export interface CompiledGazetteer {
  root: TrieNode;
  byCode: Map<string, GazetteerPlace>;
  /** Every distinct name form (for the naive baseline and tests). */
  forms: Map<string, Candidate[]>;
}

const TOWN_SUFFIXES = ['街道办事处', '民族乡', '街道', '镇', '乡'];
const VILLAGE_SUFFIXES = ['社区', '村'];
/** Short forms shorter than this are too common to mean a place. */
const MIN_SHORT_LENGTH = 2;

/**
 * The name people use for a village-level committee of the divisions list: 石桥村村民委员会 →
 * 石桥村, 石桥村委会 → 石桥村, 多福巷社区居委会 → 多福巷社区, 东风居民委员会 → 东风社区.
 */
export function villageDisplayName(official: string): string {
  const n = official.trim();
  for (const [suffix, keep] of [
    ['村民委员会', '村'],
    ['村委会', '村'],
    ['社区居民委员会', '社区'],
    ['社区居委会', '社区'],
    ['居民委员会', '社区'],
    ['居委会', '社区'],
  ] as const) {
    if (n.endsWith(suffix) && n.length > suffix.length) {
      const stem = n.slice(0, -suffix.length);
      return stem.endsWith(keep) ? stem : stem + keep;
    }
  }
  return n;
}

/** The name without its kind's suffix (龙山镇 → 龙山), or null when too short to stand alone. */
export function shortForm(name: string, kind: PlaceKind): string | null {
  for (const suffix of kind === 'town' ? TOWN_SUFFIXES : VILLAGE_SUFFIXES) {
    if (name.endsWith(suffix)) {
      const stem = name.slice(0, -suffix.length);
      return stem.length >= MIN_SHORT_LENGTH ? stem : null;
    }
  }
  return null;
}

export function compileGazetteer(places: readonly GazetteerPlace[]): CompiledGazetteer {
  const root: TrieNode = { next: new Map(), candidates: null };
  const byCode = new Map<string, GazetteerPlace>();
  const forms = new Map<string, Candidate[]>();
  const add = (key: string, p: GazetteerPlace, form: Form) => {
    if (!key) return;
    const list = forms.get(key) ?? [];
    if (list.some((c) => c.code === p.code)) {
      // A place reached by two forms of the same text keeps the stronger one.
      if (form === 'full') for (const c of list) if (c.code === p.code) c.form = 'full';
      return;
    }
    list.push({ code: p.code, kind: p.kind, parentCode: p.parentCode, form });
    forms.set(key, list);
  };
  for (const p of places) {
    byCode.set(p.code, p);
    add(p.name, p, 'full');
    for (const a of p.aliases) add(a.trim(), p, 'full');
    const s = shortForm(p.name, p.kind);
    if (s) add(s, p, 'short');
  }
  for (const [key, candidates] of forms) {
    let node = root;
    for (let i = 0; i < key.length; i++) {
      const ch = key.charCodeAt(i);
      let child = node.next.get(ch);
      if (!child) {
        child = { next: new Map(), candidates: null };
        node.next.set(ch, child);
      }
      node = child;
    }
    node.candidates = candidates;
  }
  return { root, byCode, forms };
}

/** The name forms a text contains, leftmost-longest and not overlapping, in order. */
export function scanForms(g: CompiledGazetteer, text: string): Candidate[][] {
  const found: Candidate[][] = [];
  let i = 0;
  while (i < text.length) {
    let node: TrieNode | undefined = g.root;
    let best: Candidate[] | null = null;
    let bestEnd = i;
    for (let j = i; j < text.length; j++) {
      node = node.next.get(text.charCodeAt(j));
      if (!node) break;
      if (node.candidates) {
        best = node.candidates;
        bestEnd = j + 1;
      }
    }
    if (best) {
      found.push(best);
      i = bestEnd;
    } else i++;
  }
  return found;
}

/** The places a text names (see the rules at the top of this file). */
export function findPlaces(g: CompiledGazetteer, text: string): FoundPlaces {
  return resolve(g, scanForms(g, text));
}

/** Turns the matched forms into places: what a name means depends on the other names of the text. */
export function resolve(g: CompiledGazetteer, matches: Candidate[][]): FoundPlaces {
  // Towns named outright: a full name or alias of exactly one town, or a short form only one place has.
  const namedTowns = new Set<string>();
  for (const cands of matches) {
    const strongest = strongestForm(cands);
    const towns = strongest.filter((c) => c.kind === 'town');
    if (towns.length === 1 && (towns[0].form === 'full' || strongest.length === 1)) namedTowns.add(towns[0].code);
  }
  const villages: string[] = [];
  const order: string[] = [];
  const mention = (code: string) => order.includes(code) || order.push(code);
  /** The town named last before the current match (龙山镇石桥村: 石桥村 of 龙山镇). */
  let lastTown: string | null = null;
  for (const cands of matches) {
    const strongest = strongestForm(cands);
    const towns = strongest.filter((c) => c.kind === 'town');
    if (towns.length === 1 && namedTowns.has(towns[0].code)) {
      mention(towns[0].code);
      lastTown = towns[0].code;
      continue;
    }
    const vill = strongest.filter((c) => c.kind === 'village');
    if (vill.length === 0) continue;
    // A full name (or alias) of one village stands alone; otherwise the village's town must be named.
    // Among several, the one of the town just named, else the only one of any named town.
    const inNamedTown = vill.filter((c) => c.parentCode !== null && namedTowns.has(c.parentCode));
    const inLastTown = inNamedTown.filter((c) => c.parentCode === lastTown);
    const chosen =
      vill[0].form === 'full' && vill.length === 1 ? vill[0] : inLastTown.length === 1 ? inLastTown[0] : inNamedTown.length === 1 ? inNamedTown[0] : null;
    if (!chosen) continue;
    if (!villages.includes(chosen.code)) villages.push(chosen.code);
    if (chosen.parentCode) mention(chosen.parentCode);
  }
  return { towns: order.filter((c) => g.byCode.get(c)?.kind === 'town'), villages };
}

/** Full names outrank short forms of the same text (龙山 a town's short form and a village's alias: the alias). */
function strongestForm(cands: Candidate[]): Candidate[] {
  const full = cands.filter((c) => c.form === 'full');
  return full.length ? full : cands;
}

/**
 * The places as people write them: 龙山镇石桥村 for a village, 城关镇 for a town no village of which is
 * named. Codes missing from the gazetteer (an area changed since) are left out.
 */
export function placeLabels(byCode: ReadonlyMap<string, Pick<GazetteerPlace, 'name' | 'parentCode'>>, found: FoundPlaces): string[] {
  const labels: string[] = [];
  const townsWithVillage = new Set<string>();
  for (const v of found.villages) {
    const p = byCode.get(v);
    if (!p) continue;
    const town = p.parentCode ? byCode.get(p.parentCode) : undefined;
    if (p.parentCode) townsWithVillage.add(p.parentCode);
    labels.push(town ? `${town.name}${p.name}` : p.name);
  }
  for (const t of found.towns) {
    const p = byCode.get(t);
    if (p && !townsWithVillage.has(t)) labels.push(p.name);
  }
  return labels;
}

/** The naive baseline of the benchmark: every name form looked up with indexOf, then the same resolution. */
export function findPlacesNaive(g: CompiledGazetteer, text: string): FoundPlaces {
  const hits: { at: number; end: number; cands: Candidate[] }[] = [];
  for (const [key, cands] of g.forms) {
    let at = text.indexOf(key);
    while (at >= 0) {
      hits.push({ at, end: at + key.length, cands });
      at = text.indexOf(key, at + 1);
    }
  }
  hits.sort((a, b) => a.at - b.at || b.end - a.end);
  const kept: Candidate[][] = [];
  let covered = 0;
  for (const h of hits) {
    if (h.at < covered) continue;
    kept.push(h.cands);
    covered = h.end;
  }
  return resolve(g, kept);
}
