import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, type Fixture } from '../helpers/app.js';
import { seedCases } from './seed.js';

// 100,000 ledger rows exported as XLSX and as CSV through the real app: the response is read as it
// streams (bytes counted, not kept) while the process's RSS is sampled; its growth stays far under
// what holding the rows or the file would take.

const ROWS = 100_000;
const BOUND_MB = 300;
const NOW = new Date('2026-11-24T08:00:00Z');
let f: Fixture;

beforeAll(async () => {
  f = await createFixture('expmem', NOW);
  await seedCases(f.db, { cases: ROWS, from: new Date('2026-08-01T00:00:00Z'), spanHours: 24 * 100, now: NOW, userId: f.admin.id });
}, 180_000);
afterAll(async () => {
  await f.tdb.drop();
});

async function exportMeasured(format: 'xlsx' | 'csv'): Promise<{ bytes: number; lines: number; growthMb: number }> {
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  try {
    const r = await f.request('GET', `/api/cases/export?format=${format}`);
    expect(r.status).toBe(200);
    const reader = r.body!.getReader();
    let bytes = 0;
    let lines = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      if (format === 'csv') for (const b of value) if (b === 0x0a) lines++;
      peak = Math.max(peak, process.memoryUsage().rss);
    }
    return { bytes, lines, growthMb: (peak - base) / 1024 / 1024 };
  } finally {
    clearInterval(timer);
  }
}

describe('a 100,000-row ledger export', () => {
  it(`streams as CSV and as XLSX with RSS growth under ${BOUND_MB} MB`, async () => {
    const csv = await exportMeasured('csv');
    expect(csv.lines).toBe(ROWS + 1);
    const xlsx = await exportMeasured('xlsx');
    expect(xlsx.bytes).toBeGreaterThan(1_000_000);
    console.log(`export memory: csv ${csv.bytes} B, +${csv.growthMb.toFixed(0)} MB RSS; xlsx ${xlsx.bytes} B, +${xlsx.growthMb.toFixed(0)} MB RSS`);
    expect(csv.growthMb).toBeLessThan(BOUND_MB);
    expect(xlsx.growthMb).toBeLessThan(BOUND_MB);
  }, 240_000);
});
