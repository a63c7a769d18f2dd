import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Documents checked as rendered: a .docx converted by LibreOffice into `outDir`, its pages drawn
// as PNGs (`<png>-N.png`, old ones removed first) and read back with `pdftotext -layout`.

export function renderDocx(docx: Buffer, name: string, outDir: string, png: { prefix: string; dpi: number }): { pdfPath: string; pages: string[] } {
  mkdirSync(outDir, { recursive: true });
  for (const old of readdirSync(outDir).filter((n) => n.startsWith(`${png.prefix}-`))) rmSync(join(outDir, old), { recursive: true });
  const path = join(outDir, `${name}.docx`);
  writeFileSync(path, docx);
  // A profile directory of its own: a second soffice (another test, a desktop session) never blocks this one.
  execFileSync('soffice', [`-env:UserInstallation=file://${join(outDir, '.lo-profile')}`, '--headless', '--convert-to', 'pdf', '--outdir', outDir, path], { stdio: 'pipe', timeout: 120_000 });
  const pdfPath = join(outDir, `${name}.pdf`);
  execFileSync('pdftoppm', ['-png', '-r', String(png.dpi), pdfPath, join(outDir, png.prefix)]);
  const text = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
  const pages = text.split('\f').filter((p, i, all) => i < all.length - 1 || p.trim() !== '');
  return { pdfPath, pages };
}

/** pdftotext puts spaces between CJK and Latin text ("第 1 期"): a page's lines without the spaces inside them. */
export const unspaced = (page: string): string =>
  page
    .split('\n')
    .map((l) => l.replace(/(\S) (?=\S)/g, '$1'))
    .join('\n');

const DOC_SCREENS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'screens');

/**
 * The README's pictures of rendered documents: with UPDATE_DOC_SCREENS=1 in the environment, the
 * given pages of a rendered PDF are drawn again into docs/screens/ (pdftoppm, 80 dpi: a page is a
 * hundred KB or so). Without it nothing is written.
 */
export function updateDocScreens(pdfPath: string, shots: { page: number; name: string }[]): void {
  if (process.env.UPDATE_DOC_SCREENS !== '1') return;
  mkdirSync(DOC_SCREENS, { recursive: true });
  for (const s of shots) execFileSync('pdftoppm', ['-png', '-r', '80', '-f', String(s.page), '-l', String(s.page), '-singlefile', pdfPath, join(DOC_SCREENS, s.name)]);
}
