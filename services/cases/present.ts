import { REQUEST_TYPE_LABELS } from '../../core/workflow/origin-windows.js';
import {
  CASE_ORIGIN_LABELS,
  CASE_STATUS_LABELS,
  CATEGORY_LABELS,
  CHANNEL_LABELS,
  EXPECTED_RESPONSE,
  LEVEL_LABELS,
  OBLIGATION_KIND_LABELS,
} from '../../core/vocabulary.js';
import { effectiveWindow } from '../../core/workflow/deadlines.js';
import { obligationView } from '../../core/workflow/obligation.js';
import type { LedgerRow } from '../../db/repos/cases-ledger.js';
import type { Case, Obligation } from '../../db/schema-workflow.js';
import { iso } from '../shared/present.js';
import type { CaseView, LedgerRowView } from './schema.js';
import type { CaseDetailParts } from '../../db/repos/case-detail.js';

export function presentLedgerRow(r: LedgerRow): LedgerRowView {
  return {
    id: r.id,
    number: r.number,
    status: r.status,
    statusLabel: CASE_STATUS_LABELS[r.status],
    clockStartedAt: iso(r.clock_started_at),
    origin: r.origin,
    originLabel: CASE_ORIGIN_LABELS[r.origin],
    originNote: r.origin_note,
    sourceNames: r.source_names,
    places: r.places,
    title: r.title,
    summary: r.summary,
    level: r.level,
    levelLabel: LEVEL_LABELS[r.level],
    category: r.category,
    categoryLabel: CATEGORY_LABELS[r.category],
    leadDepartment: { id: r.lead_department_id, name: r.lead_department_name },
    coDepartments: r.co_departments,
    openedAt: iso(r.opened_at),
    assignedAt: iso(r.assigned_at ?? r.opened_at),
    dueAt: iso(r.due_at),
    respondedAt: iso(r.responded_at),
    respondedBackfilled: r.responded_backfilled,
    responseChannel: r.response_channel,
    responseChannelLabel: r.response_channel ? CHANNEL_LABELS[r.response_channel] : null,
    onTime: r.on_time,
    onTimeLabel: r.on_time === null ? null : r.on_time ? '按时' : '超时',
    overdue: r.overdue,
    feedback: { count: r.feedback_count, latestAt: iso(r.feedback_latest_at), latest: r.feedback_latest_body },
    closedAt: iso(r.closed_at),
    draftedBy: r.drafted_by_name,
    reviewedBy: r.reviewed_by_name,
    instructions: r.instructions,
  };
}

export function presentObligation(o: Obligation, now: Date): CaseView['obligations'][number] {
  const v = obligationView({ startedAt: o.started_at, dueAt: o.due_at, metAt: o.met_at }, now);
  // The 重点时段 recorded with the due time: the window that applied and why (deadlines.ts scheduleDue).
  const period = o.period_name !== null && o.period_factor !== null ? { name: o.period_name, factor: o.period_factor } : null;
  return {
    id: o.id,
    kind: o.kind,
    kindLabel: OBLIGATION_KIND_LABELS[o.kind],
    seq: o.seq,
    status: o.status,
    windowHours: o.window_hours,
    windowUnit: o.window_unit,
    effectiveHours: effectiveWindow({ hours: o.window_hours, unit: o.window_unit }, period).hours,
    period,
    startedAt: iso(o.started_at),
    goalMs: v.goalMs,
    elapsedMs: v.elapsedMs,
    remainingMs: v.remainingMs,
    dueAt: iso(v.dueAt),
    metAt: iso(v.metAt),
    metBy: o.met_by,
    breached: o.status === 'cancelled' ? false : v.breached,
    onTime: o.status === 'met' ? o.on_time : v.onTime,
    note: o.note,
  };
}

const camel = (k: string) => k.replace(/_([a-z])/g, (_, ch: string) => ch.toUpperCase());

/** A row of a table another module owns, in API style: camelCase keys, ISO times. */
export function camelRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[camel(k)] = v instanceof Date ? v.toISOString() : v;
  return out;
}

/** An audit row as the case page's timeline reads it (the shape every audit list here shares). */
export type AuditRowLike = CaseDetailParts['timeline'][number];

export function presentAuditRow(a: AuditRowLike) {
  return {
    id: a.id,
    at: iso(a.at),
    actorId: a.actor_id,
    actorName: a.actor_name,
    entity: a.entity,
    entityId: a.entity_id,
    action: a.action,
    before: a.before,
    after: a.after,
  };
}

/** What the case page shows besides the case row: read in one statement by caseDetail (db/repos/case-detail.ts). */
export type CaseParts = CaseDetailParts;

export function presentCase(c: Case, p: CaseParts, now: Date): CaseView {
  const lead = p.departments.find((d) => d.role === 'lead');
  return {
    id: c.id,
    number: c.number,
    title: c.title,
    summary: c.summary,
    level: c.level,
    levelLabel: LEVEL_LABELS[c.level],
    category: c.category,
    categoryLabel: CATEGORY_LABELS[c.category],
    status: c.status,
    statusLabel: CASE_STATUS_LABELS[c.status],
    origin: c.origin,
    originLabel: CASE_ORIGIN_LABELS[c.origin],
    originNote: c.origin_note,
    requestType: c.request_type,
    requestTypeLabel: c.request_type ? REQUEST_TYPE_LABELS[c.request_type] : null,
    expectedResponse: EXPECTED_RESPONSE[c.category],
    leadDepartment: lead ? { id: lead.id, name: lead.name } : { id: c.lead_department_id, name: '' },
    coDepartments: p.departments.filter((d) => d.role === 'co').map((d) => ({ id: d.id, name: d.name })),
    clockStartedAt: iso(c.clock_started_at),
    openedAt: iso(c.opened_at),
    openedBy: p.openedByName,
    assignedAt: iso(c.assigned_at),
    respondedAt: iso(c.responded_at),
    followUpUntil: iso(c.follow_up_until),
    closedAt: iso(c.closed_at),
    effectRating: c.effect_rating,
    conclusion: c.conclusion,
    places: [],
    decline: null,
    stories: p.stories.map((s) => ({
      id: s.id,
      title: s.title,
      itemCount: s.item_count,
      sourceCount: s.source_count,
      firstSeenAt: iso(s.first_seen_at),
      lastSeenAt: iso(s.last_seen_at),
      alertId: s.alert_id,
      alertStatus: s.alert_status,
    })),
    items: p.items.map((i) => ({
      id: i.id,
      itemId: i.item_id,
      title: i.title,
      text: i.text,
      url: i.url,
      sourceName: i.source_name,
      publishedAt: iso(i.published_at),
      capturedAt: iso(i.captured_at),
    })),
    obligations: p.obligations.map((o) => presentObligation(o, now)),
    responses: p.responses.map(camelRow),
    feedback: p.feedback.map(camelRow),
    reportsUp: p.reportsUp.map(camelRow),
    referrals: p.referrals.map(camelRow),
    timeline: p.timeline.map(presentAuditRow),
    updatedAt: iso(c.updated_at),
  };
}
