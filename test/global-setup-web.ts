import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The dashboard, built once per run into its own folder for the tests that start the system as
// `npm start` does (test/e2e/system.ts reads OD_TEST_WEB_DIR). vitest.config.ts adds this setup
// only to runs that include such tests (test/tiers.ts: needsWeb).
export default async function setup(): Promise<() => void> {
  const webDir = mkdtempSync(join(tmpdir(), 'od-web-'));
  process.env.OD_TEST_WEB_DIR = webDir;
  const { build } = await import('vite');
  await build({
    configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)),
    logLevel: 'error',
    build: { outDir: webDir, emptyOutDir: true },
  });
  return () => rmSync(webDir, { recursive: true, force: true });
}
