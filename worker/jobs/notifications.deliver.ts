import type { Enqueue } from './registry.js';

// notifications.deliver on demand: besides its tick (DELIVER_INTERVAL_MS), a job that has just
// committed deliveries (a crawl that pushed an alert, the alert sweep) asks for a delivery run at
// once. All such requests share one deduplication id and keep the last one while a run is active:
// at most one run and one follow-up at any time, however many crawls ask, and a request made while
// a run is in progress (it may already have read the due deliveries) still gets a run after it.

/** The deduplication id of every on-demand delivery run. */
export const DELIVER_NOW = 'notifications-deliver-now';

/** Asks for a notifications.deliver run now (deduplicated). */
export async function deliverNow(enqueue: Enqueue): Promise<void> {
  await enqueue('notifications.deliver', [{ data: {}, dedupe: DELIVER_NOW }]);
}
