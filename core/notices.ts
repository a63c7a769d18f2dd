import { beijingShortEn, beijingShortZh, HOUR_MS } from './business-time.js';

// Notification texts. A notification is stored as a message key and its parameters; it is
// rendered when read, in the reader's language, with times in Beijing time — never as an ISO or
// UTC string. A parameter whose name ends in `At` holds an ISO instant and is shown as
// "12月5日 10:42"; one ending in `Hours` is a duration shown as "1天4小时" / "1 d 4 h".
// Add a key here (both languages) and call services/notifications/notify.ts.

export type NoticeLang = 'zh' | 'en';
export type NoticeParams = Record<string, string | number>;

interface NoticeText {
  title: string;
  body: string;
}

export const NOTICE_TEXTS = {
  'case.assigned': {
    zh: { title: '【交办】{caseNumber} {caseTitle}', body: '{caseNumber}「{caseTitle}」已交办贵单位（{role}），回应时限 {dueAt}。请及时核实并起草回应。' },
    en: { title: '[Assigned] {caseNumber} {caseTitle}', body: '{caseNumber} "{caseTitle}" was assigned to your department ({role}); response due {dueAt}. Please verify and draft a response.' },
  },
} as const satisfies Record<string, Record<NoticeLang, NoticeText>>;

export type NoticeKey = keyof typeof NOTICE_TEXTS;

export function isNoticeKey(key: string): key is NoticeKey {
  return Object.prototype.hasOwnProperty.call(NOTICE_TEXTS, key);
}

/** A duration in whole hours as "1天4小时" / "1 d 4 h". */
export function durationText(hours: number, lang: NoticeLang): string {
  const h = Math.max(0, Math.round(hours));
  const d = Math.floor(h / 24);
  const r = h % 24;
  if (lang === 'zh') return d > 0 ? `${d}天${r > 0 ? `${r}小时` : ''}` : `${r}小时`;
  return d > 0 ? `${d} d${r > 0 ? ` ${r} h` : ''}` : `${r} h`;
}

function paramText(name: string, value: string | number, lang: NoticeLang): string {
  if (name.endsWith('At') && typeof value === 'string') {
    const t = new Date(value);
    if (!Number.isNaN(t.getTime())) return lang === 'zh' ? beijingShortZh(t) : beijingShortEn(t);
  }
  if (name.endsWith('Hours') && typeof value === 'number') return durationText(value, lang);
  return String(value);
}

function fill(template: string, params: NoticeParams, lang: NoticeLang): string {
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? paramText(name, params[name]!, lang) : m));
}

/** The title and body of a notice for a reader. An unknown key (a newer server wrote it) shows its key. */
export function renderNotice(key: string, params: NoticeParams, lang: NoticeLang): NoticeText {
  if (!isNoticeKey(key)) return { title: key, body: '' };
  const t: NoticeText = NOTICE_TEXTS[key][lang];
  return { title: fill(t.title, params, lang), body: fill(t.body, params, lang) };
}

/** Hours between two instants (for `…Hours` parameters). */
export const hoursBetween = (from: Date, to: Date): number => (to.getTime() - from.getTime()) / HOUR_MS;
