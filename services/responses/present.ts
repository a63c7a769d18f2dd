import { CHANNEL_LABELS, EXPECTED_RESPONSE, RESPONSE_STATUS_LABELS, type Category } from '../../core/vocabulary.js';
import type { ResponseWithNames } from '../../db/repos/responses.js';
import { iso } from '../shared/present.js';
import type { ResponseView } from './schema.js';

const person = (id: number | null, name: string | null) => (id === null ? null : { id, name });

export function presentResponse(r: ResponseWithNames, category: Category): ResponseView {
  return {
    id: r.id,
    caseId: r.case_id,
    status: r.status,
    statusLabel: RESPONSE_STATUS_LABELS[r.status],
    body: r.body,
    expectedKind: EXPECTED_RESPONSE[category],
    draftedBy: person(r.drafted_by, r.drafted_by_name),
    draftedAt: iso(r.drafted_at),
    submittedBy: person(r.submitted_by, r.submitted_by_name),
    submittedAt: iso(r.submitted_at),
    reviewedBy: person(r.reviewed_by, r.reviewed_by_name),
    reviewedAt: iso(r.reviewed_at),
    reviewComment: r.review_comment,
    publishedBy: person(r.published_by, r.published_by_name),
    publishedAt: iso(r.published_at),
    backfilled: r.backfilled,
    channel: r.channel,
    channelLabel: r.channel === null ? null : CHANNEL_LABELS[r.channel],
    url: r.url,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}
