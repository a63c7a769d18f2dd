// The selectors of a site source's link, title and date fields: a CSS selector, optionally
// followed by children to leave out of the text (`!`) and an attribute to read instead (`@`):
//   a@title        the title attribute of the first <a>
//   a!span         the text of the first <a> without its <span> children (a nested date)
//   a!span!em      several exclusions
//   span.date@title
// `!` and `@` are not CSS outside quoted strings and brackets, so a plain selector reads as before.

export interface FieldSelector {
  /** The CSS selector of the element. */
  css: string;
  /** CSS selectors of descendants whose text is left out. */
  exclude: string[];
  /** The attribute read instead of the text, or null. */
  attr: string | null;
}

const ATTRIBUTE = /^[A-Za-z_:][\w:.-]*$/;

/** Splits a field selector at its top-level `!` and `@` (not inside quotes, brackets or parentheses). */
export function parseFieldSelector(spec: string): FieldSelector {
  const parts: { mark: string; text: string }[] = [{ mark: '', text: '' }];
  let quote: string | null = null;
  let depth = 0;
  for (const ch of spec) {
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '[' || ch === '(') depth++;
    else if ((ch === ']' || ch === ')') && depth > 0) depth--;
    else if (depth === 0 && (ch === '!' || ch === '@')) {
      parts.push({ mark: ch, text: '' });
      continue;
    }
    parts[parts.length - 1].text += ch;
  }
  const exclude: string[] = [];
  let attr: string | null = null;
  for (const p of parts.slice(1)) {
    const text = p.text.trim();
    if (p.mark === '!') exclude.push(text);
    else attr = text;
  }
  return { css: parts[0].text.trim(), exclude, attr };
}

/**
 * What is wrong with a field selector's syntax beyond its CSS (checked by the caller), or null:
 * an empty part, `@` other than last or more than once, an attribute name that is not one.
 */
export function fieldSelectorProblem(spec: string): { en: string; zh: string } | null {
  const f = parseFieldSelector(spec);
  if (f.css === '' || f.exclude.some((e) => e === '')) {
    return { en: 'has an empty part before or after "!"/"@"', zh: '“!”或“@”前后不能为空' };
  }
  const marks = spec.replace(/"[^"]*"|'[^']*'|\[[^\]]*\]|\([^)]*\)/g, '').replace(/[^!@]/g, '');
  if (f.attr !== null && (marks.indexOf('@') !== marks.length - 1 || !ATTRIBUTE.test(f.attr))) {
    return { en: 'must end with one attribute name after "@" (e.g. a@title)', zh: '“@”只能出现一次，放在最后，后面是属性名（如 a@title）' };
  }
  return null;
}
