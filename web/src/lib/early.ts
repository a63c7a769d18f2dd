import { apiFetch } from './api.js';

// The first request of the screen in the address bar, started at page load alongside the session
// check instead of after it. A screen takes its answer once; an answer that is not 200 (signed out,
// say) is dropped and the screen asks again the usual way.

const pending = new Map<string, Promise<Response | null>>();

export function startEarly(path: string): void {
  if (!pending.has(path)) pending.set(path, apiFetch(path).catch(() => null));
}

/** The early answer's JSON for `path`, or undefined when there is none (or it failed). */
export async function takeEarly<T>(path: string): Promise<T | undefined> {
  const p = pending.get(path);
  if (!p) return undefined;
  pending.delete(path);
  const res = await p;
  if (!res || res.status !== 200) return undefined;
  try {
    return (await res.json()) as T;
  } catch {
    return undefined;
  }
}
