import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

// The floors of the project and which floors each may import from. Arrows point down only:
// server, worker and demo stand on services; services on platform and db; everything on core.
export const ALLOWED: Record<string, readonly string[]> = {
  core: ['core'],
  db: ['db', 'core'],
  platform: ['platform', 'core'],
  services: ['services', 'platform', 'db', 'core'],
  server: ['server', 'services', 'platform', 'db', 'core'],
  worker: ['worker', 'services', 'platform', 'db', 'core'],
  demo: ['demo', 'services', 'platform', 'db', 'core'],
  web: ['web', 'core'],
};

export interface ImportEdge {
  from: string;
  to: string;
  typeOnly: boolean;
}

const SKIP = new Set(['node_modules', '.git', 'data', 'dist', 'artifacts', 'corpus']);

export function sourceFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      if (SKIP.has(name)) continue;
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ts|tsx)$/.test(name)) out.push(relative(root, p).split(sep).join('/'));
    }
  };
  walk(join(root, dir));
  return out;
}

const IMPORT_RE = /(?:^|\n)\s*(import|export)\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Relative imports of one file, resolved to project paths. */
export function importsOf(root: string, file: string): ImportEdge[] {
  const src = readFileSync(join(root, file), 'utf8');
  const edges: ImportEdge[] = [];
  for (const m of src.matchAll(IMPORT_RE)) {
    const spec = m[3] ?? m[4];
    if (!spec || !spec.startsWith('.')) continue;
    const to = relative(root, resolve(dirname(join(root, file)), spec)).split(sep).join('/');
    edges.push({ from: file, to, typeOnly: Boolean(m[2]) });
  }
  return edges;
}

/** The floor a project path lives on (its top folder). */
export const floorOf = (path: string): string => path.split('/')[0] ?? '';

/** Imports that break the floor rules (test files beside the code may import test helpers). */
export function violations(root: string): ImportEdge[] {
  const bad: ImportEdge[] = [];
  for (const floor of Object.keys(ALLOWED)) {
    for (const file of sourceFiles(root, floor)) {
      const isTest = /\.test\.tsx?$/.test(file);
      for (const e of importsOf(root, file)) {
        const target = floorOf(e.to);
        if (ALLOWED[floor]!.includes(target)) continue;
        if (isTest && (target === 'test' || target === 'demo')) continue;
        // web reads the server's route types and the event contract (types only, erased at build).
        if (floor === 'web' && (target === 'server' || target === 'platform') && e.typeOnly) continue;
        bad.push(e);
      }
    }
  }
  return bad;
}
