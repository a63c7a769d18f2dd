import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { createDb } from '../db/client.js';
import type { BenchFigure } from './lib.js';
import { benchDb } from './db.js';
import { createApp } from '../server/app.js';
import { loadConfig } from '../platform/config.js';
import { EventHub } from '../platform/events.js';
import { weekPeriod } from '../core/reports/period.js';
import { figureInputs } from '../db/repos/reports.js';
import { generateReport } from '../services/reports/generate.js';
import { createUser, sessionFor } from '../test/helpers/auth.js';
import { seedCases } from '../test/reports/seed.js';
import { NODE_FLAGS } from '../bin/runtime.js';

// reports: (1) the weekly notice (figures from the statistics SQL, the .docx with its chart, the
// row) for a week with 10,000 cases and 30,000 items → time, goal ≤ 3 s; the figures' SQL alone is
// shown as the baseline. (2) GET /api/cases/export of 100,000 ledger rows as XLSX vs the same rows
// as CSV in the same run → XLSX time ÷ CSV time, goal ≤ 3; and the process's peak RSS during the
// XLSX export, goal ≤ 300 MB.

const WEEK = '2026-W47';
const WEEK_CASES = 10_000;
const EXPORT_ROWS = 100_000;

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await fn();
  return { ms: performance.now() - t, value };
}

async function weekly(): Promise<BenchFigure[]> {
  const { db, drop } = await benchDb('reports_weekly');
  try {
    const period = weekPeriod(WEEK)!;
    const now = new Date(period.to.getTime() + 8.5 * 3_600_000);
    // The week, and the weeks around it (so the SQL has to pick the week out of more).
    await seedCases(db, { cases: WEEK_CASES * 3, from: new Date(period.from.getTime() - 7 * 86_400_000), spanHours: 24 * 21, now, itemsPerCase: 3 });
    const sql = await timed(() => figureInputs(db, period, now));
    const notice = await timed(() => generateReport(db, period, now, null));
    if (!notice.value.created) throw new Error('the notice existed already');
    return [
      {
        name: `weekly notice, ${WEEK_CASES.toLocaleString('en')} cases in the week (${(WEEK_CASES * 3).toLocaleString('en')} in the database): figures + .docx + row`,
        value: notice.ms,
        unit: 'ms',
        baseline: sql.ms,
        baselineName: 'the figures SQL alone',
        ratio: notice.ms / 3000,
        goal: '≤ 3 s (ratio = time ÷ 3 s ≤ 1)',
        met: notice.ms <= 3000,
      },
    ];
  } finally {
    await drop();
  }
}

async function exportRun(app: ReturnType<typeof createApp>, headers: Record<string, string>, format: 'csv' | 'xlsx') {
  const base = process.memoryUsage().rss;
  let peak = base;
  const sample = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  try {
    const { ms, value: bytes } = await timed(async () => {
      const r = await app.request(`/api/cases/export?format=${format}`, { headers });
      if (r.status !== 200) throw new Error(`export ${format} → ${r.status}`);
      const reader = r.body!.getReader();
      let n = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return n;
        n += value.byteLength;
      }
    });
    return { ms, bytes, peakMb: peak / 1024 / 1024, baseMb: base / 1024 / 1024 };
  } finally {
    clearInterval(sample);
  }
}

async function exports(): Promise<BenchFigure[]> {
  const { db, url, drop } = await benchDb('reports_export');
  try {
    const admin = await createUser(db, { role: 'admin' });
    const now = new Date();
    await seedCases(db, { cases: EXPORT_ROWS, from: new Date(now.getTime() - 200 * 86_400_000), spanHours: 24 * 190, now, userId: admin.id });
    const headers = (await sessionFor(db, admin)).headers();
    // Each export in a fresh process (the app and one pool, nothing else), so its peak RSS is its own.
    await childExport(url, headers, 'csv'); // warm-up (plans, caches)
    const csv = await childExport(url, headers, 'csv');
    const xlsx = await childExport(url, headers, 'xlsx');
    const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;
    return [
      {
        name: `XLSX export, ${EXPORT_ROWS.toLocaleString('en')} rows (${mb(xlsx.bytes)}), streamed`,
        value: xlsx.ms,
        unit: 'ms',
        baseline: csv.ms,
        baselineName: `CSV of the same rows (${mb(csv.bytes)})`,
        ratio: xlsx.ms / csv.ms,
        goal: '≤ 3',
        met: xlsx.ms / csv.ms <= 3,
      },
      {
        name: `peak RSS of the exporting process (XLSX; ${xlsx.baseMb.toFixed(0)} MB before the request)`,
        value: xlsx.peakMb,
        unit: 'MB',
        baseline: csv.peakMb,
        baselineName: 'the same for CSV',
        ratio: xlsx.peakMb / 300,
        goal: '≤ 300 MB (ratio = peak ÷ 300 MB ≤ 1)',
        met: xlsx.peakMb <= 300,
      },
    ];
  } finally {
    await drop();
  }
}

type ExportResult = { ms: number; bytes: number; peakMb: number; baseMb: number };

function childExport(url: string, headers: Record<string, string>, format: 'csv' | 'xlsx'): Promise<ExportResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...NODE_FLAGS, fileURLToPath(import.meta.url)], {
      env: { ...process.env, OD_BENCH_EXPORT: JSON.stringify({ url, headers, format }) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!)) : reject(new Error(`export child exited ${code}`))));
  });
}

/** In the child: one export through the app, printed as JSON. */
async function exportChild(spec: { url: string; headers: Record<string, string>; format: 'csv' | 'xlsx' }): Promise<void> {
  const db = createDb(spec.url, { max: 4 });
  const app = createApp({ db, config: loadConfig({ LOG_LEVEL: 'silent', DEMO: 'false' }), logger: pino({ level: 'silent' }), redis: null, events: new EventHub() });
  const r = await exportRun(app, spec.headers, spec.format);
  await db.destroy();
  process.stdout.write(`${JSON.stringify(r)}\n`);
}

export default async function bench(): Promise<BenchFigure[]> {
  return [...(await weekly()), ...(await exports())];
}

if (process.env.OD_BENCH_EXPORT && import.meta.url === `file://${process.argv[1]}`) {
  await exportChild(JSON.parse(process.env.OD_BENCH_EXPORT));
  process.exit(0);
} else if (import.meta.url === `file://${process.argv[1]}`) {
  const { printFigures } = await import('./lib.js');
  printFigures('reports', await bench());
}
