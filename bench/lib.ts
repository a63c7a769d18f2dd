// Benchmarks print figures, each divided by a baseline measured in the same run on the same data.

export interface BenchFigure {
  /** What was measured, e.g. "matching 1k terms". */
  name: string;
  value: number;
  unit: string;
  /** The baseline's figure in the same unit, and what it was. */
  baseline: number;
  baselineName: string;
  /** value / baseline (or baseline / value where smaller is better, stated in `goal`). */
  ratio: number;
  /** The goal as text, e.g. "≥ 0.3". */
  goal: string;
  met: boolean;
}

/** Runs fn repeatedly until minMs has passed; returns operations per second. */
export async function opsPerSecond(fn: () => unknown | Promise<unknown>, minMs = 500): Promise<number> {
  let n = 0;
  const start = performance.now();
  let now = start;
  while (now - start < minMs) {
    await fn();
    n++;
    now = performance.now();
  }
  return (n * 1000) / (now - start);
}

/** Median of several timed runs, in milliseconds. */
export async function medianMs(fn: () => unknown | Promise<unknown>, runs = 5): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

export function printFigures(title: string, figures: BenchFigure[]): void {
  console.log(`\n## ${title}`);
  for (const f of figures) {
    console.log(
      `${f.met ? 'MET ' : 'MISS'}  ${f.name}: ${fmt(f.value)} ${f.unit}  vs ${f.baselineName} ${fmt(f.baseline)} ${f.unit}  → ratio ${fmt(f.ratio)} (goal ${f.goal})`,
    );
  }
}

function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 100) return n.toFixed(0);
  if (Math.abs(n) >= 1) return n.toFixed(2);
  return n.toFixed(3);
}
