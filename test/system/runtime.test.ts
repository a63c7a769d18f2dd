import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HEAP_MB, NODE_FLAGS } from '../../bin/runtime.js';

// The system's processes run with the heap cap of bin/runtime.ts: npm's scripts say so, and a
// process started that way really has that heap limit (V8 sizes its heap growth from it, which is
// what keeps a streaming export's peak RSS low; see bin/runtime.ts).

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };

describe('process runtime flags', () => {
  it.each(['start', 'server', 'worker'])('npm run %s starts node with the runtime flags', (name) => {
    expect(pkg.scripts[name]).toBe(`node ${NODE_FLAGS.join(' ')} bin/${name}.ts`);
  });

  it(`a process started with them has a ${HEAP_MB} MB heap limit and runs TypeScript`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'od-runtime-'));
    const script = join(dir, 'limit.ts');
    writeFileSync(script, "import v8 from 'node:v8';\nconst n: number = v8.getHeapStatistics().heap_size_limit;\nconsole.log(n);\n");
    let out: string;
    try {
      out = execFileSync(process.execPath, [...NODE_FLAGS, script], { encoding: 'utf8' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const limitMb = Number(out.trim()) / 1024 / 1024;
    // The limit is the old space plus V8's young generation, a few MB.
    expect(limitMb).toBeGreaterThanOrEqual(HEAP_MB);
    expect(limitMb).toBeLessThan(HEAP_MB + 100);
  });
});
