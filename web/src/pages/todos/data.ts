import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { Lang, Params } from '../../i18n/index.js';
import { labelOf } from '../../i18n/labels.js';
import { api, call, type Ok } from '../../lib/api.js';
import { useAppEvents } from '../../lib/events.js';
import { fmtDateTime, fmtDuration } from '../../lib/time.js';

// The to-do list query, shared by the screen and the header count, refreshed live: any case
// change, alert or notification may add or remove a to-do, so the list is re-read (it is small).

export type TodoList = Ok<Awaited<ReturnType<typeof api.todos.$get>>>;
export type Todo = TodoList['todos'][number];
export const TODOS_KEY = ['todos'] as const;

export function useTodos(enabled = true) {
  const qc = useQueryClient();
  const q = useQuery({ queryKey: TODOS_KEY, queryFn: () => call(api.todos.$get()), enabled, refetchInterval: 120_000 });
  useAppEvents((ev) => {
    if (!enabled) return;
    if (ev.type === 'case.updated' || ev.type === 'notification.created' || ev.type.startsWith('alert.')) void qc.invalidateQueries({ queryKey: TODOS_KEY });
  });
  return q;
}

/** "12月7日 13:00" / "Dec 7 13:00" (with the year when not this year): Beijing time, through lib/time. */
export function beijingShort(at: string | Date, lang: Lang): string {
  return fmtDateTime(at, lang);
}

/** A to-do's message parameters for display: instants in Beijing time, keys as labels. */
export function displayParams(todo: Todo, lang: Lang, now: Date): Params {
  const out: Params = {};
  for (const [k, v] of Object.entries(todo.params)) {
    if (k === 'oldestAt' && typeof v === 'string') out.age = fmtDuration(Math.max(0, now.getTime() - new Date(v).getTime()), lang);
    if (k.endsWith('At') && typeof v === 'string') out[k] = beijingShort(v, lang);
    else if (k === 'kind' && typeof v === 'string') out[k] = labelOf(lang, 'obligationKind', v);
    else out[k] = v;
  }
  return out;
}
