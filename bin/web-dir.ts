import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built dashboard to serve: WEB_DIR when set, else dist/web when it exists. */
export function webDir(configured?: string): string | null {
  if (configured) return existsSync(configured) ? resolve(configured) : null;
  const dir = fileURLToPath(new URL('../dist/web/', import.meta.url));
  return existsSync(dir) ? dir : null;
}
