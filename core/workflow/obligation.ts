export interface ObligationView {
  goalMs: number;
  elapsedMs: number;
  remainingMs: number;
  dueAt: Date;
  metAt: Date | null;
  breached: boolean;
  onTime: boolean | null;
}
/** The SLA view users of Jira Service Management / Zammad rely on, at `now`. */
export function obligationView(ob: { startedAt: Date; dueAt: Date; metAt: Date | null }, now: Date): ObligationView {
  throw new Error('not implemented');
}
