// A message stored in both languages, "中文 / English" (a crawl's outcome, a delivery error), read
// in one: the Chinese half for a Chinese reader, the English half for an English one. A message
// in one language is returned as it is.

const BOTH = /^(.*\p{Script=Han}[^/]*?)\s*\/\s+([^\p{Script=Han}]+)$/u;

export function inLanguage(text: string | null | undefined, lang: 'zh' | 'en'): string {
  const t = (text ?? '').trim();
  const both = BOTH.exec(t);
  return both ? (lang === 'zh' ? both[1]! : both[2]!) : t;
}
