import { printFigures, type BenchFigure } from './lib.js';

// npm run bench [name…]: every benchmark, or the named ones. Figures, not pass/fail.
const all: Record<string, () => Promise<{ default: () => Promise<BenchFigure[]> }>> = {
  matching: () => import('./matching.js'),
  simhash: () => import('./simhash.js'),
  ingest: () => import('./ingest.js'),
  scheduling: () => import('./scheduling.js'),
  ledger: () => import('./ledger.js'),
  sweep: () => import('./sweep.js'),
  dashboard: () => import('./dashboard.js'),
  reports: () => import('./reports.js'),
  push: () => import('./push.js'),
  places: () => import('./places.js'),
  backfill: () => import('./backfill-progress.js'),
  stories: () => import('./stories.js'),
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length ? wanted : Object.keys(all);
let missed = 0;
for (const name of names) {
  const load = all[name];
  if (!load) {
    console.error(`Unknown benchmark "${name}". Known: ${Object.keys(all).join(', ')}`);
    process.exit(2);
  }
  const figures = await (await load()).default();
  printFigures(name, figures);
  missed += figures.filter((f) => !f.met).length;
}
console.log(`\n${missed === 0 ? 'All goals met.' : `${missed} goal(s) missed.`}`);
process.exit(0);
