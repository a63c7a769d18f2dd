import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, type Ok } from '../../lib/api.js';
import { BUSINESS_ISO_OFFSET, businessLocalInput } from '../../../../core/business-time.js';

// Types of the case room's answers (from the server's routes) and small shared helpers.

export type CaseData = Ok<Awaited<ReturnType<(typeof api.cases)[':id']['$get']>>>;
export type Obligation = CaseData['obligations'][number];
export type TimelineEntry = CaseData['timeline'][number];
export type CaseItem = CaseData['items'][number];
export type ResponseList = Ok<Awaited<ReturnType<(typeof api.cases)[':id']['responses']['$get']>>>;
export type ResponseData = ResponseList['responses'][number];
export type Escalations = Ok<Awaited<ReturnType<(typeof api.cases)[':id']['escalations']['$get']>>>;
export type FeedbackList = Ok<Awaited<ReturnType<(typeof api.cases)[':id']['feedback']['$get']>>>;
export type FeedbackKind = FeedbackList['feedback'][number]['kind'];
export type Heat = Ok<Awaited<ReturnType<(typeof api.cases)[':id']['heat']['$get']>>>;

export const FEEDBACK_KINDS = ['reaction', 'action', 'release', 'other'] as const satisfies readonly FeedbackKind[];

/** Every query of one case starts with this key, so one invalidation refreshes the whole room. */
export const caseKey = (id: string) => ['case', id] as const;

/** A write on this case: refreshes the room when it succeeds. */
export function useCaseMutation<A, R>(caseId: string, fn: (a: A) => Promise<R>, onDone?: (r: R) => void) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: async (r) => {
      onDone?.(r);
      await qc.invalidateQueries({ queryKey: caseKey(caseId) });
    },
  });
}

/** Only http(s) addresses from crawled data become links. */
export function safeHref(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

/** A Shanghai wall-clock value for <input type="datetime-local">. */
export function shanghaiInput(d: Date): string {
  return businessLocalInput(d);
}

/** The ISO time of a datetime-local value read as Shanghai time (the office's zone, whatever the PC says). */
export function fromShanghaiInput(v: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(v)) return null;
  const d = new Date(`${v}:00${BUSINESS_ISO_OFFSET}`);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
