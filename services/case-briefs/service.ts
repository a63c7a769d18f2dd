import { asReportedAt, briefFileName, briefText, composeBrief, withText, type BriefText } from '../../core/reports/brief.js';
import { FLASH_SERIAL_DEFAULT, formatSerial } from '../../core/reports/office.js';
import { shanghaiParts } from '../../core/workflow/shanghai.js';
import { writeAudit } from '../../db/repos/audit.js';
import { lockCase } from '../../db/repos/case-access.js';
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

// 舆情快报 in one click: in one transaction on the locked case — the 上报 (report up) to the
// recipient, meeting the case's open report obligation; the facts read after it; the next 快报 期号;
// the .docx rendered with the office profile; the brief stored (never changed again); the audit
// row. Events after commit.

const briefNotFound = () => notFound('Brief', '舆情快报');

function present(b: repo.CaseBriefMeta): CaseBriefView {
  return {
    id: b.id,
    caseId: b.case_id,
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
export async function draftBrief(deps: ModuleDeps, kase: Case): Promise<BriefText & { title: string }> {
  refuseClosedCase(kase);
  const now = deps.now();
  const facts = await repo.briefFacts(deps.db, kase.id);
  if (!facts) throw notFound('Case', '舆情事件');
  const content = composeBrief(asReportedAt(facts, now), now);
  return { title: content.title, ...briefText(content) };
}

export async function issueBrief(deps: ModuleDeps, actor: Actor, kase: Case, input: { recipient: string; text?: BriefText }) {
  refuseClosedCase(kase);
  const now = deps.now();
  const out = await deps.db.transaction().execute(async (trx) => {
    const locked = await lockCase(trx, kase.id);
    if (!locked) throw notFound('Case', '舆情事件');
    refuseClosedCase(locked);
    const profile = await getOfficeProfile(trx);
    const facts = await repo.briefFacts(trx, kase.id);
    if (!facts) throw notFound('Case', '舆情事件');
    const title = composeBrief(facts, now).title;
    const up = await reportUpLocked(trx, actor, locked, { recipient: input.recipient, content: `报送舆情快报：${title}`, at: now, backfilled: false }, now);
    // Read again: the report obligation this 上报 met is now done, and the brief says so.
    const composed = composeBrief((await repo.briefFacts(trx, kase.id))!, now);
    const content = input.text ? withText(composed, input.text) : composed;
    const day = shanghaiParts(now).day;
    const no = await takeSerial(trx, 'flash', day.y);
    const serial = formatSerial(profile.serialFormats.flash ?? FLASH_SERIAL_DEFAULT, day.y, no);
    const file = await renderBriefDocx({ profile, serial, day, recipient: input.recipient, content, caseNumber: facts.number });
    const fileName = briefFileName(facts.number, serial);
    const id = await repo.insertBrief(trx, {
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
      action: 'case.brief_issue',
      after: { title: content.title, recipient: input.recipient, edited: input.text !== undefined, serial, serialYear: day.y, serialNo: no, reportUpId: up.row.id, met: up.met },
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
