import { readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { GENERATED_CORPUS_URL, HANDWRITTEN_CORPUS_URL } from '../../demo/corpus.js';
import { CORPUS_NOW, type ManifestCase } from '../../demo/corpus/generate.js';
import { entriesOf } from '../../services/crawl/steps/parse.js';
import { entryFields } from '../../services/crawl/steps/normalise.js';
import { canonicalUrls } from '../../core/url.js';
import { parseItemDate } from '../../core/dates.js';
import { previewSource } from '../../services/crawl/preview.js';
import { testSettings } from '../helpers/crawl.js';

// Every document of demo/corpus/generated/ read as a crawl reads it (charset decode by the served
// Content-Type, then the feed or list-page parse, then titles and dates as stored), against what
// manifest.json says a reader must find: no failure, every entry kept, its title clean, and its
// date the one the document gives — never the fetch time — unless it gives none.

const manifestOf = (dir: URL) => JSON.parse(readFileSync(new URL('manifest.json', dir), 'utf8')) as ManifestCase[];
const manifest = manifestOf(GENERATED_CORPUS_URL);
const handwritten = manifestOf(HANDWRITTEN_CORPUS_URL);
const now = new Date(CORPUS_NOW);

async function read(c: ManifestCase, dir = GENERATED_CORPUS_URL) {
  const fetched = {
    body: readFileSync(new URL(c.file, dir)),
    contentType: c.contentType,
    finalUrl: `http://corpus.example/${c.file}`,
    httpStatus: 200,
  };
  const spec = { kind: c.kind, charset: null, selectors: c.selectors ?? null, json_config: null } as Parameters<typeof entriesOf>[0];
  const entries = await entriesOf(spec, fetched);
  const fields = entries.map((e) => entryFields(e, e.content, now));
  return { entries, fields, keys: canonicalUrls(entries.map((e) => e.link || null), fetched.finalUrl) };
}

/** The files of a corpus folder, the manifest left out. */
const filesOf = (dir: URL) => readdirSync(dir).filter((f) => f !== 'manifest.json').sort();

describe('the generated lenient corpus', () => {
  it('has at least 150 generated and some hand-written documents, each in its manifest once', () => {
    expect(filesOf(GENERATED_CORPUS_URL).length).toBeGreaterThanOrEqual(150);
    expect(manifest.map((c) => c.file).sort()).toEqual(filesOf(GENERATED_CORPUS_URL));
    expect(handwritten.map((c) => c.file).sort()).toEqual(filesOf(HANDWRITTEN_CORPUS_URL));
    expect(handwritten.length).toBeGreaterThanOrEqual(7);
  });

  it.each([
    ...manifest.map((c) => [c.file, c, GENERATED_CORPUS_URL] as const),
    ...handwritten.map((c) => [`handwritten/${c.file}`, c, HANDWRITTEN_CORPUS_URL] as const),
  ])('%s', async (_, c, dir) => {
    const { fields, entries, keys } = await read(c, dir);
    expect(entries.length, c.about).toBe(c.entries.length);
    expect(fields.map((f) => f.title), c.about).toEqual(c.entries.map((e) => e.title));
    expect(
      fields.map((f) => (f.date.estimated ? null : f.date.date.toISOString())),
      c.about,
    ).toEqual(c.entries.map((e) => e.date));
    for (const f of fields) expect(`${f.title}${f.text}`).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u0080-\u009f\ufffd]|Ã|â€/);
    if (c.keys !== undefined) expect(new Set(keys).size, c.about).toBe(c.keys);
    if (c.linksStartWith !== undefined) for (const k of keys) expect(k, c.about).toMatch(new RegExp(`^${c.linksStartWith.replace(/[.?*+^$[\]\\(){}|-]/g, '\\$&')}`));
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

describe('试抓取 of the corpus', () => {
  it('shows each date as written and says when an entry fell back to the fetch time', async () => {
    const served = new Map(manifest.map((c) => [c.file, c]));
    const server = createServer((req, res) => {
      const c = served.get(decodeURIComponent((req.url ?? '/').slice(1)));
      if (!c) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': c.contentType }).end(readFileSync(new URL(c.file, GENERATED_CORPUS_URL)));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const host = `127.0.0.1:${(server.address() as { port: number }).port}`;
      const deps = { settings: testSettings, allowlist: async () => new Set([host]), now: () => now };
      const run = (file: string) => {
        const c = served.get(file)!;
        return previewSource(deps, { url: `http://${host}/${file}`, kind: c.kind, charset: null, selectors: c.selectors ?? null, json_config: null });
      };
      const inText = await run('list-intext-labelled-count.html');
      expect(inText.entries.map((e) => [e.dateText, e.publishedAt, e.publishedAtEstimated])).toEqual([
        ['2020-12-31 11:06:22', '2020-12-31T03:06:22.000Z', false],
        ['2020-12-31 11:06:22', '2020-12-31T03:06:22.000Z', false],
      ]);
      const junk = await run('struct-junk-date.rss');
      expect(junk.entries[0]).toMatchObject({ dateText: '阅读次数：1234 电话：0359-1234567', publishedAt: CORPUS_NOW, publishedAtEstimated: true });
      const none = await run('struct-no-date.rss');
      expect(none.entries[0]).toMatchObject({ dateText: null, publishedAtEstimated: true });
      const archive = await run('page-fragments-archive.html');
      expect(new Set(archive.entries.map((e) => e.url)).size).toBe(archive.entries.length);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
