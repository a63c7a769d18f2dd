import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importsOf } from '../architecture/import-graph.js';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { addSource, allowHost, crawlDeps, makeDue } from '../helpers/crawl.js';
import { crawlSource } from '../../services/crawl/crawl-source.js';
import { STEP_ORDER, type StepName } from '../../services/crawl/steps/step.js';
import { startFixtureSite, type FixtureSite } from '../../demo/site.js';
import { FORUM_SELECTORS } from '../../demo/seed.js';

// The walk of a crawl from source to stored item moves forward only: each step's module reaches
// (directly or through the shared modules of services/crawl) only the steps before it, and a real
// crawl runs its steps in STEP_ORDER.

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const STEPS_DIR = 'services/crawl/steps';
const stepFile = (name: string) => `${STEPS_DIR}/${name}.ts`;

/** Step modules that reach a step at or after their own place, with the path of imports that gets there. */
function backwardReaches(root: string): string[] {
  const index = new Map<string, number>(STEP_ORDER.map((name, i) => [stepFile(name), i]));
  const bad: string[] = [];
  for (const [from, own] of index) {
    const seen = new Set<string>([from]);
    const walk = (file: string, path: string[]) => {
      for (const e of importsOf(root, file)) {
        const to = e.to.replace(/\.js$/, '.ts');
        if (!to.startsWith('services/crawl/')) continue;
        const at = index.get(to);
        if (at !== undefined) {
          if (at >= own) bad.push([...path, to].join(' → '));
          continue; // an earlier step is checked on its own turn
        }
        if (seen.has(to)) continue;
        seen.add(to);
        walk(to, [...path, to]);
      }
    };
    walk(from, [from]);
  }
  return bad;
}

describe('the crawl steps, statically', () => {
  it('are exactly the files of steps/, each exporting the step of its name', async () => {
    const files = readdirSync(join(ROOT, STEPS_DIR)).filter((f) => f.endsWith('.ts')).sort();
    expect(files).toEqual([...STEP_ORDER.map((n) => `${n}.ts`), 'step.ts'].sort());
    for (const name of STEP_ORDER) {
      const mod = (await import(join(ROOT, stepFile(name)))) as Record<string, unknown>;
      const named = Object.values(mod).filter((v) => typeof v === 'function' && (v as { stepName?: string }).stepName === name);
      expect(named.length, name).toBe(1);
    }
  });

  it('import only the steps before them, directly or through shared modules', () => {
    expect(backwardReaches(ROOT)).toEqual([]);
  });

  describe('catches a step that reaches a later one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'od-steps-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const put = (path: string, text: string) => {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    };
    for (const name of STEP_ORDER) put(stepFile(name), "import { step } from './step.js';\nexport const s = step;\n");
    put(stepFile('step'), 'export const step = 1;\n');
    // fetch calls store; decode reaches match through a shared module; parse calls itself back via one.
    put(stepFile('fetch'), "import { store } from './store.js';\nexport const f = store;\n");
    put(stepFile('decode'), "import { ctx } from '../context.js';\nexport const d = ctx;\n");
    put('services/crawl/context.ts', "import type { M } from './steps/match.js';\nexport const ctx = 1;\nexport type C = M;\n");
    put(stepFile('parse'), "import { o } from '../outcome.js';\nexport const p = o;\n");
    put('services/crawl/outcome.ts', "import { p } from './steps/parse.js';\nexport const o = p;\n");
    // A later step importing an earlier one is fine.
    put(stepFile('match'), "import { f } from './fetch.js';\nexport const m = f;\n");

    it('reports each of them, and no other', () => {
      expect(backwardReaches(dir).sort()).toEqual(
        [
          'services/crawl/steps/fetch.ts → services/crawl/steps/store.ts',
          'services/crawl/steps/decode.ts → services/crawl/context.ts → services/crawl/steps/match.ts',
          'services/crawl/steps/parse.ts → services/crawl/outcome.ts → services/crawl/steps/parse.ts',
        ].sort(),
      );
    });
  });
});

describe('the crawl steps, as a crawl runs them', () => {
  let t: TestDb;
  let site: FixtureSite;

  beforeAll(async () => {
    t = await createTestDb('crawl_steps');
    site = await startFixtureSite({ port: 0, host: '127.0.0.1', publishIntervalMs: null, seedPosts: 10 });
    await allowHost(t.db, new URL(site.url).host);
  });
  afterAll(async () => {
    await site?.close();
    await t?.drop();
  });

  const traced = async (id: number, jobId: string) => {
    const ran: StepName[] = [];
    const { deps } = crawlDeps(t.db, { onStep: (name) => ran.push(name) });
    const outcome = await crawlSource(deps, id, jobId);
    return { outcome, ran };
  };
  const forwardOnly = (ran: StepName[]) => ran.every((name, i) => i === 0 || STEP_ORDER.indexOf(name) > STEP_ORDER.indexOf(ran[i - 1]));

  it('a feed: fetch → decode → parse → normalise → filter known → fingerprint → match → store; unchanged, fetch only', async () => {
    const id = await addSource(t.db, { url: `${site.url}/news/rss.xml`, name: 'feed' });
    const first = await traced(id, 'steps-feed-1');
    expect(first.outcome.status).toBe('ok');
    expect(first.ran).toEqual(['fetch', 'decode', 'parse', 'normalise', 'filter-known', 'fingerprint', 'match', 'store']);
    expect(forwardOnly(first.ran)).toBe(true);

    await makeDue(t.db, id);
    const again = await traced(id, 'steps-feed-2');
    expect(again.outcome.status).toBe('not_modified');
    expect(again.ran).toEqual(['fetch']);
  });

  it('a site with a detail selector also fetches details, between filter known and fingerprint', async () => {
    const id = await addSource(t.db, { url: `${site.url}/forum/list.html`, name: 'site', kind: 'site', selectors: JSON.stringify(FORUM_SELECTORS) });
    const { outcome, ran } = await traced(id, 'steps-site-1');
    expect(outcome.status).toBe('ok');
    expect(outcome.itemsNew).toBeGreaterThan(0);
    expect(ran).toEqual(['fetch', 'decode', 'parse', 'normalise', 'filter-known', 'fetch-details', 'fingerprint', 'match', 'store']);
    expect(forwardOnly(ran)).toBe(true);
  });

  it('a failure ends the walk where it happens: a drifted selector stops at parse', async () => {
    const id = await addSource(t.db, {
      url: `${site.url}/forum/list.html?drift=1`,
      name: 'drifted',
      kind: 'site',
      selectors: JSON.stringify({ item: 'div.layout-that-changed' }),
    });
    const { outcome, ran } = await traced(id, 'steps-drift-1');
    expect(outcome.status).toBe('selector_empty');
    expect(ran).toEqual(['fetch', 'decode', 'parse']);
  });
});
