import { monthPeriod, quarterPeriod, weekOf, type Period } from '../../../../core/reports/period.js';
import { formatYmd, shanghaiParts } from '../../../../core/workflow/shanghai.js';

// The choices of the generate form, in Asia/Shanghai, from the same period rules the server uses:
// the last 12 finished ISO weeks, the last 12 finished months, the last 4 finished quarters.

export interface PeriodChoice {
  key: string;
  year: number;
  /** Week number, month or quarter number. */
  n: number;
  from: string;
  to: string;
}

const choice = (p: Period, year: number, n: number): PeriodChoice => ({ key: p.key, year, n, from: formatYmd(p.firstDay), to: formatYmd(p.lastDay) });

export function lastWeeks(now: Date, count = 12): PeriodChoice[] {
  const out: PeriodChoice[] = [];
  let p = weekOf(now);
  for (let i = 0; i < count; i++) {
    p = weekOf(new Date(p.from.getTime() - 1));
    const [y, w] = p.key.split('-W');
    out.push(choice(p, Number(y), Number(w)));
  }
  return out;
}

export function lastMonths(now: Date, count = 12): PeriodChoice[] {
  const out: PeriodChoice[] = [];
  const today = shanghaiParts(now).day;
  let y = today.y;
  let mo = today.m;
  for (let i = 0; i < count; i++) {
    mo -= 1;
    if (mo === 0) {
      mo = 12;
      y -= 1;
    }
    const p = monthPeriod(`${y}-${String(mo).padStart(2, '0')}`) as Period;
    out.push(choice(p, y, mo));
  }
  return out;
}

export function lastQuarters(now: Date, count = 4): PeriodChoice[] {
  const out: PeriodChoice[] = [];
  const today = shanghaiParts(now).day;
  let y = today.y;
  let q = Math.floor((today.m - 1) / 3) + 1;
  for (let i = 0; i < count; i++) {
    q -= 1;
    if (q === 0) {
      q = 4;
      y -= 1;
    }
    const p = quarterPeriod(`${y}-Q${q}`) as Period;
    out.push(choice(p, y, q));
  }
  return out;
}
