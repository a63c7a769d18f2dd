// A sudden heat spike: items in the last hour far above the story's usual hourly rate.

export interface SpikeInput {
  /** Items of the story first seen in the last hour. */
  lastHour: number;
  /** Items of the story seen before the last hour. */
  before: number;
  /** Hours between the story's first item and the start of the last hour (≥ 0). */
  hoursBefore: number;
}

/** Minimum items in an hour before anything counts as a spike. */
export const SPIKE_MIN_ITEMS = 5;
/** How many times the usual rate the last hour must reach. */
export const SPIKE_FACTOR = 3;

export function isSpike({ lastHour, before, hoursBefore }: SpikeInput): boolean {
  if (lastHour < SPIKE_MIN_ITEMS) return false;
  const usualPerHour = before / Math.max(1, hoursBefore);
  return lastHour >= SPIKE_FACTOR * Math.max(usualPerHour, 1);
}
