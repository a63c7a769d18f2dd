import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call, type Ok } from '../../lib/api.js';
import { useAppEvents } from '../../lib/events.js';

// The handover screen's reads: my shift (pre-filled draft, what waits for me to accept) and a
// month of past handovers; re-read when a notification arrives (a handover handed to me).

export type Current = Ok<Awaited<ReturnType<typeof api.handovers.current.$get>>>;
export type Handover = Current['toAccept'][number];
export type Snapshot = NonNullable<Current['prefill']>;
export type Slot = NonNullable<Current['slot']>;

export const HANDOVER_KEY = ['handovers'] as const;

export function useCurrentHandover(enabled: boolean) {
  const qc = useQueryClient();
  useAppEvents((ev) => {
    if (ev.type === 'notification.created' || ev.type.startsWith('alert.') || ev.type === 'case.updated') void qc.invalidateQueries({ queryKey: [...HANDOVER_KEY, 'current'] });
  });
  return useQuery({ queryKey: [...HANDOVER_KEY, 'current'], queryFn: () => call(api.handovers.current.$get()), enabled, refetchInterval: 60_000 });
}

export function useHandoverMonth(month: string) {
  return useQuery({ queryKey: [...HANDOVER_KEY, 'month', month], queryFn: () => call(api.handovers.$get({ query: { month } })) });
}

export function useHandover(id: number) {
  return useQuery({ queryKey: [...HANDOVER_KEY, 'one', id], queryFn: () => call(api.handovers[':id'].$get({ param: { id: String(id) } })) });
}
