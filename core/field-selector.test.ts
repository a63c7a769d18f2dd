import { describe, expect, it } from 'vitest';
import { fieldSelectorProblem, parseFieldSelector } from './field-selector.js';

describe('parseFieldSelector', () => {
  it.each([
    ['a', { css: 'a', exclude: [], attr: null }],
    ['a@title', { css: 'a', exclude: [], attr: 'title' }],
    ['h3 > a!span', { css: 'h3 > a', exclude: ['span'], attr: null }],
    ['a!span.date!em', { css: 'a', exclude: ['span.date', 'em'], attr: null }],
    ['span.d@data-time', { css: 'span.d', exclude: [], attr: 'data-time' }],
    ['a[title="a!b@c"]', { css: 'a[title="a!b@c"]', exclude: [], attr: null }],
    ['a:not(.x)!i', { css: 'a:not(.x)', exclude: ['i'], attr: null }],
  ])('%j', (spec, expected) => {
    expect(parseFieldSelector(spec)).toEqual(expected);
  });

  it('names what is wrong, in English and Chinese', () => {
    expect(fieldSelectorProblem('a!span@title')).toBeNull();
    expect(fieldSelectorProblem('a[title="@x"]')).toBeNull();
    expect(fieldSelectorProblem('@title')?.zh).toContain('不能为空');
    expect(fieldSelectorProblem('a!')?.en).toContain('empty');
    expect(fieldSelectorProblem('a@title@href')?.zh).toContain('只能出现一次');
    expect(fieldSelectorProblem('a@title!span')?.zh).toContain('放在最后');
    expect(fieldSelectorProblem('a@ti tle')?.en).toContain('attribute');
  });
});
