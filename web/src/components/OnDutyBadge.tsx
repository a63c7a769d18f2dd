import { useQuery } from '@tanstack/react-query';
import { defineMessages, useT } from '../i18n/index.js';
import { api, call } from '../lib/api.js';
import { fmtTime } from '../lib/time.js';

// The header's "值班：张三" (who is on duty now, from the roster) and "你正在值班" for that person.

const m = defineMessages(
  { onDuty: '值班：{name}', you: '你正在值班', nobody: '当前无人排班', until: '{shift}至 {end}' },
  { onDuty: 'On duty: {name}', you: 'You are on duty', nobody: 'Nobody rostered now', until: '{shift} until {end}' },
);

export function OnDutyBadge() {
  const t = useT(m);
  const q = useQuery({ queryKey: ['roster', 'now'], queryFn: () => call(api.roster.now.$get()), refetchInterval: 60_000 });
  if (!q.data) return null;
  const d = q.data.onDuty;
  if (!d) return <span className="muted small" data-testid="on-duty">{t('nobody')}</span>;
  const end = fmtTime(d.endsAt);
  return (
    <span className="small" data-testid="on-duty" title={t('until', { shift: d.shiftName, end })}>
      {q.data.youAreOnDuty ? <strong>{t('you')}</strong> : t('onDuty', { name: d.primary?.name ?? '' })}
    </span>
  );
}
