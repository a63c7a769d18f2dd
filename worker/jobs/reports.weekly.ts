import type { Db } from '../../db/client.js';
import { weeklyPeriodDue } from '../../core/reports/period.js';
import { generateReport, type GenerateResult } from '../../services/reports/generate.js';

// reports.weekly: the weekly notice (周通报) of the week that is due — the previous ISO week, from
// Monday 08:30 Asia/Shanghai on (a job scheduler with a cron pattern and tz; see worker/main.ts).
// Exactly once per week whatever runs it: any number of workers, a restart, a catch-up run at start
// and a reviewer generating it by hand all meet at the unique (kind, period) row.

export async function runWeeklyReport(db: Db, now: Date): Promise<GenerateResult & { period: string }> {
  const period = weeklyPeriodDue(now);
  return { ...(await generateReport(db, period, now, null)), period: period.key };
}
