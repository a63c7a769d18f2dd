import { Fragment } from 'react';

/** Text with the given words marked (<mark>); plain text only, never HTML. */
export function Highlight({ text, words }: { text: string; words: readonly string[] }) {
  const ws = [...new Set(words.filter((w) => w.length > 0))].sort((a, b) => b.length - a.length);
  if (ws.length === 0 || !text) return <>{text}</>;
  const out: { s: string; hit: boolean }[] = [];
  let i = 0;
  let plain = '';
  while (i < text.length) {
    const w = ws.find((x) => text.startsWith(x, i));
    if (w) {
      if (plain) out.push({ s: plain, hit: false });
      plain = '';
      out.push({ s: w, hit: true });
      i += w.length;
    } else {
      plain += text[i];
      i += 1;
    }
  }
  if (plain) out.push({ s: plain, hit: false });
  return (
    <>
      {out.map((p, k) => (p.hit ? <mark key={k}>{p.s}</mark> : <Fragment key={k}>{p.s}</Fragment>))}
    </>
  );
}
