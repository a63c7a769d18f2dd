import { readFileSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { addSource, allowHost, crawlDeps } from '../helpers/crawl.js';
import { crawlSource } from '../../services/crawl/crawl-source.js';
import { parseSiteList, readFeed } from '../../services/crawl/parse.js';
import { contentKey } from '../../services/crawl/steps/normalise.js';
import { previewSource } from '../../services/crawl/preview.js';
import { loadAllowlist } from '../../db/repos/allowlist.js';
import { testSettings } from '../helpers/crawl.js';
import { decodeBody } from '../../core/charset.js';
import { CORPUS_URL, LENIENT_CORPUS_URL } from '../../demo/corpus.js';

// The crawler reads what lenient feed readers read: each document of demo/corpus/lenient/ is
// served as application/xml without a charset and crawled through the whole pipeline.

let t: TestDb;
let server: Server;
let base: string;
const names = readdirSync(LENIENT_CORPUS_URL).sort();
const bytesOf = (name: string) => readFileSync(new URL(name, LENIENT_CORPUS_URL));

beforeAll(async () => {
  t = await createTestDb('lenient');
  server = createServer((req, res) => {
    const name = decodeURIComponent((req.url ?? '/').slice(1));
    if (!names.includes(name)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/xml' }).end(bytesOf(name));
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

/** Crawls one corpus document as a new feed source: the outcome, the source row and its items in feed order. */
async function crawl(name: string) {
  const { deps } = crawlDeps(t.db);
  const id = await addSource(t.db, { url: `${base}/${name}`, name });
  const outcome = await crawlSource(deps, id, `job-lenient-${name}`);
  const source = await t.db.selectFrom('sources').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const items = await t.db
    .selectFrom('items')
    .select(['title', 'text', 'author', 'url', 'url_key'])
    .where('source_id', '=', id)
    .orderBy('id')
    .execute();
  return { id, outcome, source, items };
}

describe('lenient feed reading', () => {
  it('reads an <rss> whose items have no <channel>, noting the malformed feed in Chinese', async () => {
    const { outcome, source, items } = await crawl('no-channel.rss');
    expect(outcome.status).toBe('ok');
    expect(items.map((i) => i.title)).toEqual(['城关镇东关村自来水停供三天无人回应', '龙山镇石桥村道路塌陷']);
    expect(items[0].text).toBe('东关村七十多户居民反映，自来水已经停了三天。');
    expect(source.status_message).toContain('格式有误，已容错读取');
    expect(source.status_message).toContain('共 2 条，新增 2 条 / ');
  });

  it('keeps the complete items of an RSS feed cut off mid-item, and says it was truncated', async () => {
    const { outcome, source, items } = await crawl('truncated.rss');
    expect(outcome.status).toBe('ok');
    expect(items.map((i) => i.title)).toEqual(['城西化工厂夜间异味严重', '开发区企业拖欠工资']);
    expect(source.status_message).toContain('截断');
    expect(source.status_message).toContain('共 2 条，新增 2 条 / ');
  });

  it('试抓取 shows the entries of a truncated feed and says how it was read', async () => {
    const r = await previewSource(
      { settings: testSettings, allowlist: () => loadAllowlist(t.db), now: () => new Date() },
      { url: `${base}/truncated.rss`, kind: 'feed', charset: null, selectors: null },
    );
    expect(r).toMatchObject({ status: 'ok', total: 2 });
    expect(r.entries.map((e) => e.title)).toEqual(['城西化工厂夜间异味严重', '开发区企业拖欠工资']);
    expect(r.note?.zh).toContain('下载被截断');
    const plain = await previewSource(
      { settings: testSettings, allowlist: () => loadAllowlist(t.db), now: () => new Date() },
      { url: `${base}/image-title.rss`, kind: 'feed', charset: null, selectors: null },
    );
    expect(plain.note).toBeNull();
  });

  it('keeps the complete entries of a truncated Atom feed, with their author and text', async () => {
    const { outcome, items } = await crawl('truncated.atom');
    expect(outcome.status).toBe('ok');
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      title: '关于城区部分路段临时交通管制的通告',
      text: '因道路施工，实行临时交通管制。',
      author: '清河市公安局',
      url: 'http://gov.qh.example/notice/301.html',
    });
  });

  it('keeps entries with neither link nor guid, keyed by a stable hash of source, title, date and text', async () => {
    const { id, outcome, source, items } = await crawl('no-link-no-guid.rss');
    expect(outcome).toMatchObject({ status: 'ok', itemsSeen: 2, itemsNew: 2 });
    expect(source.status_message).toContain('共 2 条，新增 2 条 / ');
    expect(items.map((i) => i.title)).toEqual(['反映东关村拆迁补偿款未到位', '咨询新生入学政策']);
    // No link of their own: the source's address stands in, as for guid-only entries.
    for (const i of items) expect(i.url).toBe(`${base}/no-link-no-guid.rss`);
    // The same document read again gives the same keys, so the next crawl stores nothing twice.
    const again = (await readFeed(bytesOf('no-link-no-guid.rss').toString('utf8'))).entries.map((e) => contentKey(id, e));
    expect(items.map((i) => i.url_key)).toEqual(again);
    expect(new Set(again).size).toBe(2);
    expect(again[0]).toMatch(/^hash:\d+:[0-9a-f]{32}$/);
  });

  it.each(['utf32le-bom.xml', 'utf32be-bom.xml', 'utf32le-nobom.xml', 'utf32be-nobom.xml', 'utf16le-nobom-nodecl.xml'])(
    'decodes %s (BOM or the NUL pattern)',
    async (name) => {
      expect(decodeBody({ bytes: bytesOf(name) }).text).toContain('<title>城关镇东关村停水 — “第三天”</title>');
      const { outcome, items } = await crawl(name);
      expect(outcome.status).toBe('ok');
      expect(items.map((i) => i.title)).toEqual(['城关镇东关村停水 — “第三天”']);
    },
  );

  it('reads C1 controls as windows-1252 in a feed declared ISO-8859-1 (&#147; … &#148;)', async () => {
    const { items } = await crawl('c1-quotes-latin1.rss');
    expect(items[0].title).toBe('Mayor says “the water is safe” – residents doubt it…');
    expect(items[0].text).toBe('It’s the third day…');
  });

  it('reads C1 controls as windows-1252 in a mislabelled UTF-8 feed', async () => {
    const { items } = await crawl('c1-quotes-mislabelled.rss');
    expect(items[0].title).toBe('“Unsafe water” in Dongguan village…');
    expect(items[0].author).toBe('Li’s desk');
  });

  it('decodes entities encoded twice, and UTF-8 read as windows-1252, but leaves real Latin text alone', async () => {
    const { items } = await crawl('double-encoded.rss');
    expect(items.map((i) => i.title)).toEqual([
      '城关镇停水…居民“等了三天”',
      'Road closed — detour via the old bridge …',
      '城关镇施工',
      'Café de Flore, Déjà vu',
    ]);
    expect(items[0].text).toBe('东关村—停水第三天');
  });

  it('takes the alt or title text of a title that is only an image', async () => {
    const { items } = await crawl('image-title.rss');
    expect(items.map((i) => i.title)).toEqual(['清河大桥加固工程完工', '暴雨过后的老城区']);
  });

  it('takes the alt text of a list page entry whose link holds only an image', () => {
    const html = '<ul class="news"><li><a href="/p/1.html"><img src="/1.jpg" alt="老城区积水点位图"></a></li><li><a href="/p/2.html">文字标题</a></li></ul>';
    const entries = parseSiteList(html, 'http://pic.qh.example/', { item: 'ul.news li' });
    expect(entries.map((e) => e.title)).toEqual(['老城区积水点位图', '文字标题']);
  });

  it('strips NUL and other control characters from crawled text before storing (tab and newline kept)', async () => {
    const { outcome, items } = await crawl('control-chars.rss');
    expect(outcome.status).toBe('ok');
    expect(items[0].title).toBe('空字节与控制符');
    expect(items[0].author).toBe('记者张三');
    expect(items[0].text).toContain('正文第一段');
    for (const i of items) expect(`${i.title}${i.text}${i.author}`).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u0080-\u009f]/);
  });

  it('crawls every document of the corpus without a failure', async () => {
    expect(names.length).toBeGreaterThanOrEqual(14);
    for (const name of names) {
      const r = await readFeed(decodeBody({ bytes: bytesOf(name) }).text);
      expect(r.entries.length, name).toBeGreaterThan(0);
    }
  });
});

describe('the lenient reading over the real-world corpus', () => {
  const realNames = readdirSync(CORPUS_URL).filter((n) => n !== 'unrecognized.rss').sort();

  it.each(realNames)('%s with its root end tag cut off reads the same entries as the whole feed', async (name) => {
    const doc = decodeBody({ bytes: readFileSync(new URL(name, CORPUS_URL)) }).text;
    const whole = await readFeed(doc);
    const cut = doc.replace(/<\/(?:rss|feed|rdf:RDF)>\s*$/i, '');
    expect(cut.length, name).toBeLessThan(doc.length);
    const lenient = await readFeed(cut);
    expect(lenient.truncated).toBe(true);
    const view = (r: typeof whole) => r.entries.map((e) => [e.link, e.title, e.published]);
    expect(view(lenient)).toEqual(view(whole));
  });
});
