import { asReportedAt, BRIEF_KIND_LABELS, briefFileName, composeBrief, sectionsText, withSections, type BriefContent, type BriefKind, type SectionsText } from '../../core/reports/brief.js';
import { FLASH_SERIAL_DEFAULT, formatSerial, SPECIAL_SERIAL_DEFAULT } from '../../core/reports/office.js';
import { composeSpecialBrief, type SpecialContent } from '../../core/reports/special-brief.js';
import { shanghaiParts } from '../../core/workflow/shanghai.js';
import { writeAudit } from '../../db/repos/audit.js';
import { lockCase } from '../../db/repos/case-access.js';
import type { Db } from '../../db/client.js';
import * as repo from '../../db/repos/case-briefs.js';
import { getOfficeProfile, takeSerial } from '../../db/repos/office-profile.js';
import type { Case } from '../../db/schema-workflow.js';
import { notFound } from '../../platform/errors.js';
import { reportUpLocked } from '../escalations/service.js';
import { renderBriefDocx } from '../reports/brief-docx.js';
import type { Actor } from '../shared/actor.js';
import { refuseClosedCase } from '../shared/closed-case.js';
import type { ModuleDeps } from '../shared/deps.js';
import type { CaseBriefView } from './schema.js';

// 舆情快报 and 舆情专报 in one click: in one transaction on the locked case — the 上报 (report up) to
// the recipient, meeting the case's open report obligation; the facts read after it; the next 期号
// of the kind; the .docx rendered with the office profile; the brief stored (never changed again);
// the audit row. Events after commit (the leaders hear of the 上报).

const SERIAL_DEFAULTS: Record<BriefKind, string> = { flash: FLASH_SERIAL_DEFAULT, special: SPECIAL_SERIAL_DEFAULT };
const AUDIT_ACTIONS: Record<BriefKind, string> = { flash: 'case.brief_issue', special: 'case.special_brief_issue' };

const briefNotFound = () => notFound('Brief', '舆情快报');

type Composed = { kind: 'flash'; number: string; content: BriefContent } | { kind: 'special'; number: string; content: SpecialContent };

/**
 * The brief of a kind as the case stands: `issuedAt` reads an open report obligation as met by this
 * brief (the draft); `reportUpId` leaves the 上报 this brief is out of the 专报's timeline.
 */
async function compose(db: Db, kind: BriefKind, caseId: string, now: Date, o: { issuedAt?: Date; reportUpId?: string } = {}): Promise<Composed> {
  if (kind === 'flash') {
    const facts = await repo.briefFacts(db, caseId);
    if (!facts) throw notFound('Case', '舆情事件');
    return { kind, number: facts.number, content: composeBrief(o.issuedAt ? asReportedAt(facts, o.issuedAt) : facts, now) };
  }
  const facts = await repo.specialFacts(db, caseId, { reportUpId: o.reportUpId });
  if (!facts) throw notFound('Case', '舆情事件');
  return { kind, number: facts.number, content: composeSpecialBrief(o.issuedAt ? asReportedAt(facts, o.issuedAt) : facts, now) };
}

const textOf = (c: Composed): Partial<Record<string, string>> => (c.kind === 'flash' ? sectionsText('flash', c.content) : sectionsText('special', c.content));

/** The composed brief with its sections as the handler edited them (the schema checked they fit the kind). */
function edited(c: Composed, t: Partial<Record<string, string>> | undefined): Composed {
  if (!t) return c;
  return c.kind === 'flash' ? { ...c, content: withSections('flash', c.content, t as SectionsText<'flash'>) } : { ...c, content: withSections('special', c.content, t as SectionsText<'special'>) };
}

function present(b: repo.CaseBriefMeta): CaseBriefView {
  return {
    id: b.id,
    caseId: b.case_id,
    kind: b.kind,
    title: b.title,
    recipient: b.recipient,
    serial: b.serial_text,
    fileName: b.file_name,
    reportUpId: b.report_up_id,
    issuedBy: b.issued_by_name,
    issuedAt: b.issued_at.toISOString(),
  };
}

/** The text the brief would have if issued now, for the handler to edit before issuing. */
export async function draftBrief(deps: ModuleDeps, kase: Case, kind: BriefKind = 'flash'): Promise<{ kind: BriefKind; title: string } & Partial<Record<string, string>>> {
  refuseClosedCase(kase);
  const now = deps.now();
  const c = await compose(deps.db, kind, kase.id, now, { issuedAt: now });
  return { kind, title: c.content.title, ...textOf(c) };
}

export async function issueBrief(deps: ModuleDeps, actor: Actor, kase: Case, input: { kind?: BriefKind; recipient: string; text?: Partial<Record<string, string>> }) {
  refuseClosedCase(kase);
  const kind = input.kind ?? 'flash';
  const label = BRIEF_KIND_LABELS[kind];
  const now = deps.now();
  const out = await deps.db.transaction().execute(async (trx) => {
    const locked = await lockCase(trx, kase.id);
    if (!locked) throw notFound('Case', '舆情事件');
    refuseClosedCase(locked);
    const profile = await getOfficeProfile(trx);
    const title = (await compose(trx, kind, kase.id, now)).content.title;
    const up = await reportUpLocked(trx, actor, locked, { recipient: input.recipient, content: `报送${label}：${title}`, at: now, backfilled: false }, now);
    // Read again: the report obligation this 上报 met is now done, and the brief says so.
    const composed = edited(await compose(trx, kind, kase.id, now, { reportUpId: up.row.id }), input.text);
    const content = composed.content;
    const day = shanghaiParts(now).day;
    const no = await takeSerial(trx, kind, day.y);
    const serial = formatSerial(profile.serialFormats[kind] ?? SERIAL_DEFAULTS[kind], day.y, no);
    const doc = { profile, serial, day, recipient: input.recipient, caseNumber: composed.number };
    const file = await renderBriefDocx(composed.kind === 'special' ? { ...doc, kind: 'special', content: composed.content } : { ...doc, kind: 'flash', content: composed.content });
    const fileName = briefFileName(composed.number, serial, kind);
    const id = await repo.insertBrief(trx, {
      kind,
      caseId: kase.id,
      title: content.title,
      recipient: input.recipient,
      content,
      serial: { year: day.y, no, text: serial },
      file,
      fileName,
      reportUpId: up.row.id,
      by: actor.id,
      at: now,
    });
    await writeAudit(trx, {
      actor,
      entity: 'case_brief',
      entityId: id,
      caseId: kase.id,
      action: AUDIT_ACTIONS[kind],
      after: { kind, title: content.title, recipient: input.recipient, edited: input.text !== undefined, serial, serialYear: day.y, serialNo: no, reportUpId: up.row.id, met: up.met },
    });
    return { id, notices: up.notices, met: up.met };
  });
  for (const ev of [{ type: 'case.updated' as const, caseId: kase.id }, ...out.notices]) await deps.emit(ev);
  const row = (await repo.listBriefs(deps.db, kase.id)).find((b) => b.id === out.id)!;
  return { ...present(row), met: out.met.map((m) => ({ id: String(m.id), kind: m.kind, onTime: m.onTime })) };
}

export async function listBriefs(deps: ModuleDeps, caseId: string): Promise<{ briefs: CaseBriefView[] }> {
  return { briefs: (await repo.listBriefs(deps.db, caseId)).map(present) };
}

export async function briefFile(deps: ModuleDeps, caseId: string, briefId: string): Promise<{ file: Buffer; fileName: string }> {
  const r = await repo.briefFile(deps.db, caseId, briefId);
  if (!r) throw briefNotFound();
  return { file: r.file, fileName: r.file_name };
}
