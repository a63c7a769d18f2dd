import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// `npm start` serves the built dashboard; this builds it (Vite, a few seconds) when dist/web is
// missing or older than the dashboard's sources, so a fresh clone needs no separate build step.

const root = fileURLToPath(new URL('..', import.meta.url));
const SOURCES = ['web', 'core', 'vite.config.ts', 'package-lock.json'];

function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const name of readdirSync(path)) max = Math.max(max, newest(join(path, name)));
  return max;
}

export function webBuildIsStale(): boolean {
  const index = join(root, 'dist', 'web', 'index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  return SOURCES.some((s) => newest(join(root, s)) > built);
}

/** Builds the dashboard into dist/web if needed; returns whether it built. */
export async function ensureWebBuilt(log: (msg: string) => void = console.log): Promise<boolean> {
  if (!webBuildIsStale()) return false;
  log('正在构建前端控制台… / building the dashboard…');
  const { build } = await import('vite');
  await build({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
  return true;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await ensureWebBuilt();
}
