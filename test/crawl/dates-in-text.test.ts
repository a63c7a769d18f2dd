import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { addSource, allowHost, crawlDeps, makeDue } from '../helpers/crawl.js';
import { crawlSource } from '../../services/crawl/crawl-source.js';
import { GENERATED_CORPUS_URL } from '../../demo/corpus.js';
import { CORPUS_NOW, type ManifestCase } from '../../demo/corpus/generate.js';

// List pages of the generated corpus crawled through the whole pipeline and stored: dates found
// inside the rows' text, titles without their dates, links by <base href>, and one archive page's
// posts (links differing only by #pid) kept as separate items, crawl after crawl.

let t: TestDb;
let server: Server;
let base: string;
const manifest = JSON.parse(readFileSync(new URL('manifest.json', GENERATED_CORPUS_URL), 'utf8')) as ManifestCase[];
const caseOf = (file: string) => manifest.find((c) => c.file === file)!;
const now = new Date(CORPUS_NOW);
/** Posts added to the archive page after its first crawl. */
let archiveExtra = '';

beforeAll(async () => {
  t = await createTestDb('dates-in-text');
  server = createServer((req, res) => {
    const c = manifest.find((m) => m.file === decodeURIComponent((req.url ?? '/').slice(1)));
    if (!c) return void res.writeHead(404).end();
    const bytes = readFileSync(new URL(c.file, GENERATED_CORPUS_URL));
    res.writeHead(200, { 'content-type': c.contentType }).end(c.file === 'page-fragments-archive.html' ? bytes.toString('utf8').replace('</ul>', `${archiveExtra}</ul>`) : bytes);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  base = `http://127.0.0.1:${port}`;
  await allowHost(t.db, `127.0.0.1:${port}`);
});
afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await t?.drop();
});

async function crawl(file: string, id?: number) {
  const c = caseOf(file);
  const { deps } = crawlDeps(t.db, { now: () => now });
  const sourceId = id ?? (await addSource(t.db, { url: `${base}/${file}`, name: file, kind: c.kind, selectors: c.selectors ? JSON.stringify(c.selectors) : null }));
  if (id !== undefined) await makeDue(t.db, id);
  const outcome = await crawlSource(deps, sourceId, `job-dates-${file}-${id ?? 0}`);
  const items = await t.db
    .selectFrom('items')
    .select(['title', 'url', 'url_key', 'published_at', 'published_at_estimated'])
    .where('source_id', '=', sourceId)
    .orderBy('id')
    .execute();
  return { sourceId, outcome, items };
}

describe('dates inside text, through a crawl', () => {
  it('stores a government list page\'s dates read from "(发布时间：… 阅读次数：)", not the fetch time', async () => {
    const { outcome, items } = await crawl('list-intext-labelled-count.html');
    expect(outcome.status).toBe('ok');
    expect(items).toHaveLength(2);
    for (const i of items) expect(i).toMatchObject({ published_at: new Date('2020-12-31T03:06:22Z'), published_at_estimated: false });
  });

  it('stores titles without the date printed after them, and 贴吧 dates relative to the fetch time', async () => {
    const trailing = await crawl('list-trailing-bracket-day.html');
    expect(trailing.items.map((i) => i.title)).toEqual(caseOf('list-trailing-bracket-day.html').entries.map((e) => e.title));
    expect(trailing.items.every((i) => i.title.indexOf('2020') === -1)).toBe(true);
    const tieba = await crawl('page-tieba.html');
    expect(tieba.items.map((i) => i.published_at.toISOString())).toEqual(caseOf('page-tieba.html').entries.map((e) => e.date));
  });

  it('resolves links against <base href>', async () => {
    const { items } = await crawl('page-base-href.html');
    expect(items.map((i) => i.url)).toEqual([0, 1, 2].map((k) => `http://bbs.corpus.example/forum/viewthread.php?tid=${k}`));
  });

  it('keeps the 16 posts of one archive page as 16 items, and stores only the new post on the next crawl', async () => {
    const first = await crawl('page-fragments-archive.html');
    expect(first.outcome).toMatchObject({ status: 'ok', itemsSeen: 16, itemsNew: 16 });
    expect(new Set(first.items.map((i) => i.url_key)).size).toBe(16);
    expect(first.items[0].url).toBe(`${base}/archiver/tid-9.html#pid1`);
    archiveExtra = '<li><a href="/archiver/tid-9.html#pid17">第17楼：补充情况</a> <span>2020-12-17</span></li>';
    const again = await crawl('page-fragments-archive.html', first.sourceId);
    expect(again.outcome).toMatchObject({ status: 'ok', itemsSeen: 17, itemsNew: 1 });
    expect(again.items.map((i) => i.url_key).slice(-1)).toEqual([`${base}/archiver/tid-9.html#pid17`]);
    expect(again.items).toHaveLength(17);
  });

  it('drops a page anchor when each link has its own page', async () => {
    const { items } = await crawl('page-fragment-single-anchor.html');
    expect(items.map((i) => i.url)).toEqual([0, 1, 2].map((k) => `${base}/news/${k}.html`));
  });
});
