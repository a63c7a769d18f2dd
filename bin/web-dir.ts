import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The built dashboard, when there is one. */
export function webDir(): string | null {
  const dir = fileURLToPath(new URL('../dist/web/', import.meta.url));
  return existsSync(dir) ? dir : null;
}
