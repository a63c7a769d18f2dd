import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Automaton, normalizeText } from './automaton.js';

/** Every occurrence as "word@end", sorted: what a correct scan must report. */
function naive(words: readonly string[], text: string, normalize = false): string[] {
  const t = normalize ? normalizeText(text) : text;
  const out: string[] = [];
  words.forEach((word, w) => {
    const needle = normalize ? normalizeText(word) : word;
    for (let at = t.indexOf(needle); at !== -1; at = t.indexOf(needle, at + 1)) out.push(`${w}@${at + needle.length}`);
  });
  return out.sort();
}

function scanned(automaton: Automaton, text: string): string[] {
  const out: string[] = [];
  automaton.scan(text, (w, end) => out.push(`${w}@${end}`));
  return out.sort();
}

/** Deterministic pseudo-random generator for the larger fixed cases. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

describe('Automaton', () => {
  it.each([
    ['the textbook case', ['he', 'she', 'his', 'hers'], 'ushers', ['0@4', '1@4', '3@6']],
    ['words that are prefixes of others', ['拆', '拆迁', '拆迁补偿'], '拆迁补偿款', ['0@1', '1@2', '2@4']],
    ['words that are suffixes of others', ['强拆', '拆'], '暴力强拆', ['0@4', '1@4']],
    ['overlapping occurrences', ['拆迁', '迁补', '补偿'], '拆迁补偿', ['0@2', '1@3', '2@4']],
    ['repeated occurrences', ['aa'], 'aaaa', ['0@2', '0@3', '0@4']],
    ['one-character words', ['坑', '水'], '坑水坑', ['0@1', '0@3', '1@2']],
    ['duplicate words', ['污染', '污染'], '水污染', ['0@3', '1@3']],
    ['a word outside the BMP (surrogate pair)', ['𠀀地'], 'x𠀀地', ['0@4']],
    ['no words at all', [], '任何文本', []],
    ['an empty text', ['拆迁'], '', []],
  ])('%s', (_name, words, text, expected) => {
    expect(scanned(Automaton.build(words), text)).toEqual([...expected].sort());
  });

  it('rejects empty words', () => {
    expect(() => Automaton.build(['拆迁', ''])).toThrow(RangeError);
  });

  it('reports word lengths and count', () => {
    const a = Automaton.build(['拆迁', '补偿款', '拆迁']);
    expect([a.wordCount, a.wordLength(0), a.wordLength(1)]).toEqual([3, 2, 3]);
  });

  it('present() lists the words that occur, markPresent() stamps each once', () => {
    const a = Automaton.build(['永济', '拆迁', '广告', '济']);
    expect([...a.present('永济市拆迁，永济')].sort()).toEqual([0, 1, 3]);
    const seen = new Uint32Array(4);
    const found: number[] = [];
    a.markPresent('拆迁拆迁永济', seen, 7, found);
    a.markPresent('拆迁广告', seen, 7, found);
    expect(found).toEqual([1, 0, 3, 2]);
  });

  it('folds ASCII case and full-width forms when asked to', () => {
    const a = Automaton.build(['WiFi', 'ｐｍ２.５', 'Ａ　b'], { normalize: true });
    expect(scanned(a, 'wifi WIFI ＷｉＦｉ PM2.5 a b')).toEqual(['0@14', '0@4', '0@9', '1@20', '2@24']);
    expect(scanned(Automaton.build(['WiFi']), 'wifi WiFi')).toEqual(['0@9']);
  });

  it('matches indexOf on random words and texts (property)', () => {
    const unit = fc.constantFrom('拆', '迁', '补', '偿', 'a', 'b');
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit, minLength: 1, maxLength: 5 }), { maxLength: 12 }),
        fc.string({ unit: fc.constantFrom('拆', '迁', '补', '偿', 'a', 'b', 'x', '。'), maxLength: 60 }),
        (words, text) => {
          expect(scanned(Automaton.build(words), text)).toEqual(naive(words, text));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('matches normalised indexOf when folding (property)', () => {
    const unit = fc.constantFrom('a', 'A', 'ａ', 'Ａ', 'b', 'B', '中', ' ', '\u3000');
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit, minLength: 1, maxLength: 4 }), { maxLength: 8 }),
        fc.string({ unit, maxLength: 40 }),
        (words, text) => {
          expect(scanned(Automaton.build(words, { normalize: true }), text)).toEqual(naive(words, text, true));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('matches indexOf with 5,000 Chinese terms on a long text', () => {
    const random = lcg(42);
    const pool = Array.from({ length: 400 }, (_, i) => String.fromCharCode(0x4e00 + i * 37));
    const pick = () => pool[Math.floor(random() ** 2 * pool.length)];
    const words = new Set<string>();
    while (words.size < 5000) {
      let w = '';
      const length = 1 + Math.floor(random() * 5);
      for (let i = 0; i < length; i++) w += pick();
      words.add(w);
    }
    let text = '';
    for (let i = 0; i < 20_000; i++) text += random() < 0.05 ? '，' : pick();
    const list = [...words];
    const expected = naive(list, text);
    expect(expected.length).toBeGreaterThan(1000);
    expect(scanned(Automaton.build(list), text)).toEqual(expected);
  });
});
