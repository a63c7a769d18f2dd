import { common } from '../i18n/common.js';
import { useLang, useT } from '../i18n/index.js';
import { countdownTone, fmtDateTime, fmtDuration } from '../lib/time.js';

/**
 * Time left to a deadline, coloured by how much of the window is left (green / amber / red /
 * overdue). Pass `now` from a useNow() in the parent so a list ticks with one timer.
 */
export function Countdown({ dueAt, now, windowMs, metAt, onTime }: { dueAt: string; now: Date; windowMs: number; metAt?: string | null; onTime?: boolean | null }) {
  const t = useT(common);
  const { lang } = useLang();
  const due = new Date(dueAt);
  const met = metAt ? new Date(metAt) : null;
  const tone = countdownTone(due, now, windowMs, met);
  let text: string;
  if (met) text = onTime === false ? t('metLate') : t('metOnTime');
  else {
    const left = due.getTime() - now.getTime();
    text = left >= 0 ? t('dueIn', { t: fmtDuration(left, lang) }) : t('overdueBy', { t: fmtDuration(-left, lang) });
  }
  return (
    <span className={`countdown tone-${tone}`} data-tone={tone} title={fmtDateTime(due, lang)}>
      {text}
    </span>
  );
}
