import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GENERATED_CORPUS_URL } from '../../demo/corpus.js';
import { CORPUS_NOW, type ManifestCase } from '../../demo/corpus/generate.js';
import { entriesOf } from '../../services/crawl/steps/parse.js';
import { entryFields } from '../../services/crawl/steps/normalise.js';
import { canonicalUrls } from '../../core/url.js';
import { parseItemDate } from '../../core/dates.js';

// Every document of demo/corpus/generated/ read as a crawl reads it (charset decode by the served
// Content-Type, then the feed or list-page parse, then titles and dates as stored), against what
// manifest.json says a reader must find: no failure, every entry kept, its title clean, and its
// date the one the document gives — never the fetch time — unless it gives none.

const manifest = JSON.parse(readFileSync(new URL('manifest.json', GENERATED_CORPUS_URL), 'utf8')) as ManifestCase[];
const now = new Date(CORPUS_NOW);

async function read(c: ManifestCase) {
  const fetched = {
    body: readFileSync(new URL(c.file, GENERATED_CORPUS_URL)),
    contentType: c.contentType,
    finalUrl: `http://corpus.example/${c.file}`,
    httpStatus: 200,
  };
  const spec = { kind: c.kind, charset: null, selectors: c.selectors ?? null, json_config: null } as Parameters<typeof entriesOf>[0];
  const entries = await entriesOf(spec, fetched);
  const fields = entries.map((e) => entryFields(e, e.content, now));
  return { entries, fields, keys: canonicalUrls(entries.map((e) => e.link || null), fetched.finalUrl) };
}

describe('the generated lenient corpus', () => {
  it('has at least 150 documents, each in the manifest once', () => {
    const files = readdirSync(GENERATED_CORPUS_URL).filter((f) => f !== 'manifest.json').sort();
    expect(files.length).toBeGreaterThanOrEqual(150);
    expect(manifest.map((c) => c.file).sort()).toEqual(files);
  });

  it.each(manifest.map((c) => [c.file, c] as const))('%s', async (_, c) => {
    const { fields, entries, keys } = await read(c);
    expect(entries.length, c.about).toBe(c.entries.length);
    expect(fields.map((f) => f.title), c.about).toEqual(c.entries.map((e) => e.title));
    expect(
      fields.map((f) => (f.date.estimated ? null : f.date.date.toISOString())),
      c.about,
    ).toEqual(c.entries.map((e) => e.date));
    for (const f of fields) expect(`${f.title}${f.text}`).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u0080-\u009f\ufffd]|Ã|â€/);
    if (c.keys !== undefined) expect(new Set(keys).size, c.about).toBe(c.keys);
  });

  it('reads no date of the corpus as the fetch time unless the manifest says there is none', async () => {
    let dated = 0;
    for (const c of manifest) {
      const { entries } = await read(c);
      entries.forEach((e, i) => {
        if (c.entries[i].date === null) return;
        dated++;
        expect(parseItemDate(e.published, now).estimated, `${c.file} #${i}`).toBe(false);
      });
    }
    expect(dated).toBeGreaterThan(300);
  });
});
