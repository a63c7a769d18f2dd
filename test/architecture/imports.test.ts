import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ALLOWED, importsOf, sourceFiles, violations } from './import-graph.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('the import graph', () => {
  it('points down only: server and worker never import each other, db and platform never import upward, core imports nothing outside', () => {
    const bad = violations(ROOT).map((v) => `${v.from} → ${v.to}`);
    expect(bad).toEqual([]);
  });

  it('reads the imports of every floor it guards', () => {
    for (const floor of Object.keys(ALLOWED)) {
      const edges = sourceFiles(ROOT, floor).flatMap((f) => importsOf(ROOT, f));
      expect(edges.length, floor).toBeGreaterThan(0);
    }
  });

  describe('catches a crafted violation', () => {
    const dir = mkdtempSync(join(tmpdir(), 'od-graph-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const put = (path: string, text: string) => {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    };
    put('core/a.ts', "import { x } from '../db/client.js';\nexport const a = x;\n");
    put('db/client.ts', "import type { Config } from '../platform/config.js';\nexport const x = 1;\n");
    put('platform/config.ts', 'export interface Config { a: number }\n');
    put('server/app.ts', "import { startWorker } from '../worker/main.js';\nexport const app = startWorker;\n");
    put('worker/main.ts', "export { loadConfig } from '../server/config.js';\nexport const startWorker = () => import('../server/app.js');\n");
    put('services/s.ts', "import { app } from '../server/app.js';\nimport { ok } from './t.js';\nexport const s = [app, ok];\n");
    put('services/t.ts', 'export const ok = 1;\n');
    put('web/src/a.tsx', "import type { AppType } from '../../server/app.js';\nimport { app } from '../../server/app.js';\nexport type T = AppType;\nexport const b = app;\n");
    put('demo/d.ts', "import { s } from '../services/s.js';\nexport const d = s;\n");

    it('reports each import that points up or sideways, and no other', () => {
      const found = violations(dir).map((v) => `${v.from} → ${v.to}`).sort();
      expect(found).toEqual(
        [
          'core/a.ts → db/client.js',
          'db/client.ts → platform/config.js',
          'server/app.ts → worker/main.js',
          'services/s.ts → server/app.js',
          'web/src/a.tsx → server/app.js',
          'worker/main.ts → server/app.js',
          'worker/main.ts → server/config.js',
        ].sort(),
      );
    });
  });
});
