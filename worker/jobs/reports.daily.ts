import type { Db } from '../../db/client.js';
import { DAILY_BRIEF_TIME_DEFAULT, parseBriefTime } from '../../core/reports/daily.js';
import type { AppEvent } from '../../platform/queues.js';
import { runDailyBrief, type DailyResult } from '../../services/reports/daily.js';

// reports.daily: today's 舆情日报 when today is a working day (work calendar: holidays and 调休) and
// the brief's time has come. Exactly once per day whatever runs it: the scheduled tick, a catch-up
// run at start, any number of workers meet at the unique day row. The leaders' in-app notices are
// published after commit; their channel deliveries go out with the next delivery run.

export async function runDailyBriefJob(db: Db, now: Date, time: string, publish?: (ev: AppEvent) => Promise<void>): Promise<DailyResult> {
  const minutes = parseBriefTime(time) ?? (parseBriefTime(DAILY_BRIEF_TIME_DEFAULT) as number);
  const r = await runDailyBrief(db, now, minutes);
  if (publish) for (const ev of r.events) await publish(ev);
  return r;
}
