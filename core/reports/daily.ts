import { BUSINESS_TZ, parseYmd, type Ymd } from '../business-time.js';
import { formatYmd, shanghaiInstant, shanghaiParts } from '../workflow/shanghai.js';
import type { WorkCalendar } from '../workflow/calendar.js';
import { LEVEL_LABELS, OBLIGATION_KIND_LABELS, type Level, type ObligationKind } from '../vocabulary.js';
import { dateTimeZh, dateZh, monthDayZh, quoteZh } from './office.js';

// 舆情日报 (daily brief): made every working day (holidays and 调休 from the work calendar) at the
// configured time, Asia/Shanghai, once per day. What it reports — new alerts and cases since the
// last brief, deadlines falling today and tomorrow, breaches (open obligations past due), the
// heightened periods in force — and how it reads, in the document and in the short text pushed to
// the leaders. Pure: time and calendar are arguments.

/** The default time of the daily brief: 08:00 Beijing time (config DAILY_BRIEF_TIME). */
export const DAILY_BRIEF_TIME_DEFAULT = '08:00';
export const DAILY_BRIEF_TZ = BUSINESS_TZ;

/** 'HH:MM' → minutes after midnight; null when not a time of day. */
export function parseBriefTime(s: string): number | null {
  const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(s);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

/** The job scheduler's cron for a time of day: every day; the handler skips days off. */
export function dailyBriefCron(minutes: number): string {
  return `${minutes % 60} ${Math.floor(minutes / 60)} * * *`;
}

/** A scheduler tick may fire a little early: this much before the time still counts. */
const EARLY_SLACK_MS = 10 * 60_000;

/**
 * The day whose brief is due at `now`: today (Beijing) when it is a working day and the brief's time
 * has come (less a few minutes of slack for an early tick); null otherwise (a day off, or too early —
 * a missed earlier day is not made afterwards: a brief is of its morning).
 */
export function dailyBriefDue(now: Date, minutes: number, calendar: WorkCalendar): Ymd | null {
  const day = shanghaiParts(now).day;
  if (!calendar.isWorkday(formatYmd(day))) return null;
  const dueAt = shanghaiInstant(day, 0).getTime() + minutes * 60_000;
  return now.getTime() + EARLY_SLACK_MS >= dueAt ? day : null;
}

export interface DailyCase {
  number: string;
  title: string;
  level: Level;
}

export interface DailyDeadline {
  caseNumber: string;
  caseTitle: string;
  kind: ObligationKind;
  /** ISO instant. */
  dueAt: string;
}

export interface DailyFigures {
  /** ISO instants: the window of "new since the last brief". */
  since: string;
  until: string;
  alerts: { total: number; untriaged: number; negative: number; spikes: number };
  newCases: DailyCase[];
  /** Open obligations due from now to the end of tomorrow. */
  deadlines: DailyDeadline[];
  /** Open obligations past due. */
  breaches: DailyDeadline[];
  periods: { name: string; endsAt: string }[];
}

export const dailyTitle = (day: Ymd | string): string => `舆情日报（${dateZh(day)}）`;

export const dailyFileName = (day: Ymd | string): string => {
  const d = typeof day === 'string' ? parseYmd(day)! : day;
  return `舆情日报-${formatYmd(d)}.docx`;
};

const caseLine = (c: DailyCase, i: number) => `${i + 1}. ${c.number}${quoteZh(c.title)}（${LEVEL_LABELS[c.level]}）。`;
const deadlineLine = (d: DailyDeadline, i: number, late: boolean) =>
  `${i + 1}. ${d.caseNumber}${quoteZh(d.caseTitle)}：${OBLIGATION_KIND_LABELS[d.kind]}，时限${dateTimeZh(new Date(d.dueAt))}${late ? '，已超期' : ''}。`;

/** The brief's sections, as paragraphs: 一、新增舆情 二、今明两日到期事项 三、超期未办事项 四、重点时段. */
export function dailySections(f: DailyFigures): { heading: string; paragraphs: string[] }[] {
  const since = dateTimeZh(new Date(f.since));
  const until = dateTimeZh(new Date(f.until));
  const a = f.alerts;
  const fresh = [
    `${since}至${until}，新增预警${a.total}条（负面${a.negative}条、热度突增${a.spikes}条），目前待研判${a.untriaged}条；新立事件${f.newCases.length}件${f.newCases.length > 0 ? '：' : '。'}`,
    ...f.newCases.map(caseLine),
  ];
  const deadlines = f.deadlines.length === 0 ? ['今明两日没有到期的回应时限。'] : [`今明两日到期${f.deadlines.length}项：`, ...f.deadlines.map((d, i) => deadlineLine(d, i, false))];
  const breaches = f.breaches.length === 0 ? ['目前没有超期未办事项。'] : [`超期未办${f.breaches.length}项，请督促办理：`, ...f.breaches.map((d, i) => deadlineLine(d, i, true))];
  const periods =
    f.periods.length === 0
      ? ['目前不在重点时段。']
      : f.periods.map((p) => `${quoteZh(p.name)}重点时段正在执行，至${dateTimeZh(new Date(p.endsAt))}结束，回应时限相应缩短、监测加密。`);
  return [
    { heading: '一、新增舆情', paragraphs: fresh },
    { heading: '二、今明两日到期事项', paragraphs: deadlines },
    { heading: '三、超期未办事项', paragraphs: breaches },
    { heading: '四、重点时段', paragraphs: periods },
  ];
}

/** The parameters of the 'report.daily_brief' notice (short, for a phone). */
export function dailyNoticeParams(day: Ymd, f: DailyFigures): Record<string, string | number> {
  return {
    day: monthDayZh(day),
    alerts: f.alerts.total,
    untriaged: f.alerts.untriaged,
    cases: f.newCases.length,
    deadlines: f.deadlines.length,
    breaches: f.breaches.length,
    periods: f.periods.length === 0 ? '无' : f.periods.map((p) => p.name).join('、'),
  };
}
