import { createHash } from 'node:crypto';
import { CASE_ORIGIN_LABELS } from '../../core/vocabulary.js';
import {
  categoryOfRequestType,
  guessMapping,
  readTickets,
  REQUIRED_TICKET_FIELDS,
  TICKET_FIELD_LABELS,
  TICKET_FIELDS,
  type Ticket,
  type TicketMapping,
} from '../../core/ticket-import.js';
import { requestTypeOf } from '../../core/workflow/origin-windows.js';
import { writeAudit } from '../../db/repos/audit.js';
import { listDepartments } from '../../db/repos/departments.js';
import * as repo from '../../db/repos/ticket-imports.js';
import type { ImportOrigin, RefusedRowRecord } from '../../db/schema-imports.js';
import { fieldError } from '../../platform/errors.js';
import { emitOpened, openCaseIn, openingContext, type OpenedCase } from '../cases/triage.js';
import type { RuleCache } from '../crawl/rules-cache.js';
import { emitSubmitted, submitItemsIn, type Submitted } from '../intake/intake.js';
import type { Actor } from '../shared/actor.js';
import type { ModuleDeps } from '../shared/deps.js';
import { decodeUpload, readUpload } from './read-file.js';
import type { ImportPreview, ImportPreviewInput, ImportReport, ImportRunInput } from './schema.js';

// 管理 → 导入: a 12345 hotline or 领导信箱 export, previewed with its column mapping, then imported
// row by row — each a forwarded opinion registered exactly as by hand (services/cases/triage.ts:
// obligations, 交办 notices, audit rows) or an item for triage through the intake pipeline
// (stories, rules, alerts). Each 工单编号 is taken once per origin, so re-importing a file changes
// nothing; the import itself is kept and audited with its counts and refused rows.

/** The intake source of rows imported as items, per origin (the 诉求人 is not put on items). */
const SOURCE_NAMES: Record<ImportOrigin, string> = { hotline: '12345热线（导入）', mailbox: '领导信箱（导入）' };
const ORIGIN_NAMES: Record<ImportOrigin, string> = { hotline: '12345热线', mailbox: '领导信箱' };

const PREVIEW_ROWS = 5;

const sameHeaders = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((h, i) => h.trim() === b[i]!.trim());

export async function previewImport(deps: ModuleDeps, input: ImportPreviewInput, actor: Actor): Promise<ImportPreview> {
  const rows = await readUpload(decodeUpload(input.contentBase64));
  const headers = rows[0]!.map((h) => h.trim());
  const saved = await repo.loadProfile(deps.db, input.origin);
  // Nothing else is written: the audit insert is a transaction of its own.
  await writeAudit(deps.db, {
    actor,
    entity: 'ticket_import',
    entityId: '',
    action: 'ticket_import.preview',
    after: { origin: input.origin, fileName: input.fileName, rows: rows.length - 1, headers: headers.slice(0, 50) },
  });
  const usable = saved && sameHeaders(saved.headers, headers) ? (saved.mapping as TicketMapping) : null;
  const width = Math.max(headers.length, ...rows.slice(1, PREVIEW_ROWS + 1).map((r) => r.length));
  return {
    fields: TICKET_FIELDS.map((key) => ({ key, label: TICKET_FIELD_LABELS[key], required: REQUIRED_TICKET_FIELDS.includes(key) })),
    headers,
    mapping: usable ?? guessMapping(headers),
    mappingFrom: usable ? 'saved' : 'guessed',
    rows: rows.slice(1, PREVIEW_ROWS + 1).map((r) => Array.from({ length: width }, (_, i) => (r[i] ?? '').slice(0, 500))),
    totalRows: rows.length - 1,
  };
}

function checkMapping(mapping: TicketMapping, width: number): void {
  const missing = REQUIRED_TICKET_FIELDS.filter((f) => mapping[f] < 0);
  if (missing.length > 0) {
    const zh = missing.map((f) => TICKET_FIELD_LABELS[f]).join('、');
    throw fieldError('mapping', `needs a column for ${missing.join(', ')}`, `须指定“${zh}”对应的列`);
  }
  const beyond = TICKET_FIELDS.filter((f) => mapping[f] >= width);
  if (beyond.length > 0) throw fieldError('mapping', `refers to a column the file does not have (${beyond.join(', ')})`, `所指的列在文件中不存在（${beyond.map((f) => TICKET_FIELD_LABELS[f]).join('、')}）`);
  const cols = TICKET_FIELDS.map((f) => mapping[f]).filter((c) => c >= 0);
  if (new Set(cols).size !== cols.length) throw fieldError('mapping', 'maps one column to two fields', '同一列不能对应两个字段');
}

/** The origin note of an imported case: 工单编号, 诉求人, 承办单位, 办理时限, 诉求类型 as the file gave them. */
function originNote(origin: ImportOrigin, t: Ticket): string {
  const parts = [`${ORIGIN_NAMES[origin]}工单 ${t.ticketNo}`];
  if (t.requestType) parts.push(`诉求类型：${t.requestType}`);
  if (t.requester) parts.push(`诉求人：${t.requester}`);
  if (t.department) parts.push(`承办单位：${t.department}`);
  if (t.deadline) parts.push(`办理时限：${t.deadline}`);
  return parts.join('；').slice(0, 500);
}

const normName = (s: string) => s.replace(/\s/g, '');

/** The department a 承办单位 names: the same name, else the one whose name contains it or is contained in it. */
function departmentResolver(departments: { id: number; name: string }[]) {
  const byName = new Map(departments.map((d) => [normName(d.name), d.id]));
  return (name: string): number | null => {
    const n = normName(name);
    if (n === '') return null;
    const exact = byName.get(n);
    if (exact !== undefined) return exact;
    const near = departments.filter((d) => normName(d.name).includes(n) || n.includes(normName(d.name)));
    return near.length === 1 ? near[0]!.id : null;
  };
}

interface Split {
  fresh: Ticket[];
  duplicates: number;
}

/** Later rows with a 工单编号 seen earlier in the file are duplicates. */
function dedupeInFile(tickets: Ticket[]): Split {
  const seen = new Set<string>();
  const fresh: Ticket[] = [];
  for (const t of tickets) {
    if (seen.has(t.ticketNo)) continue;
    seen.add(t.ticketNo);
    fresh.push(t);
  }
  return { fresh, duplicates: tickets.length - fresh.length };
}

export async function runImport(deps: ModuleDeps, rules: RuleCache, input: ImportRunInput, actor: Actor): Promise<ImportReport> {
  const bytes = decodeUpload(input.contentBase64);
  const rows = await readUpload(bytes);
  const headers = rows[0]!.map((h) => h.trim());
  const mapping = input.mapping as TicketMapping;
  checkMapping(mapping, headers.length);
  const sha = createHash('sha256').update(bytes).digest('hex');
  const read = readTickets(rows, mapping);
  const refused: RefusedRowRecord[] = [...read.refused];
  const { fresh, duplicates: inFile } = dedupeInFile(read.tickets);
  const base = { origin: input.origin, mode: input.mode, fileName: input.fileName, fileSha256: sha, mapping, createdBy: actor.id };
  const now = deps.now();
  const cases: { row: number; ticketNo: string; caseId: string }[] = [];
  let imported = 0;
  let duplicates = inFile;
  let importId: number;

  if (input.mode === 'case') {
    if (input.departmentId !== undefined && !(await listDepartments(deps.db)).some((d) => d.id === input.departmentId)) {
      throw fieldError('departmentId', `refers to unknown department ${input.departmentId}`, `所指部门不存在（${input.departmentId}）`);
    }
    const resolve = departmentResolver(await listDepartments(deps.db));
    const placed: { t: Ticket; lead: number }[] = [];
    for (const t of fresh) {
      const lead = resolve(t.department) ?? input.departmentId ?? null;
      if (lead === null) {
        refused.push(
          t.department
            ? { row: t.row, ticketNo: t.ticketNo, reason: `department "${t.department}" is not in the department list and no default was chosen`, reasonZh: `承办单位“${t.department}”不在部门列表中，且未选择默认承办单位` }
            : { row: t.row, ticketNo: t.ticketNo, reason: 'no department and no default was chosen', reasonZh: '没有承办单位，且未选择默认承办单位' },
        );
      } else placed.push({ t, lead });
    }
    // 工单编号 taken in one order, so two imports sharing numbers never wait for each other in a cycle.
    placed.sort((a, b) => (a.t.ticketNo < b.t.ticketNo ? -1 : a.t.ticketNo > b.t.ticketNo ? 1 : 0));
    const opening = await openingContext(deps.db);
    const opened: OpenedCase[] = [];
    importId = await deps.db.transaction().execute(async (trx) => {
      const id = await repo.insertImport(trx, { ...base, createdAt: now });
      for (const { t, lead } of placed) {
        if (!(await repo.takeTicket(trx, { origin: input.origin, ticketNo: t.ticketNo, importId: id }))) {
          duplicates++;
          continue;
        }
        const result = await openCaseIn(
          trx,
          opening,
          {
            manual: {
              origin: input.origin,
              originNote: originNote(input.origin, t),
              url: '',
              title: t.title,
              text: t.content,
              receivedAt: t.receivedAt,
              // 诉求类型 sets the reply's working-day window (core/workflow/origin-windows.ts).
              requestType: requestTypeOf(t.requestType),
            },
            level: input.level,
            category: categoryOfRequestType(t.requestType) ?? input.category,
            leadDepartmentId: lead,
            coDepartmentIds: [],
          },
          actor,
          now,
        );
        await repo.setTicketCase(trx, input.origin, t.ticketNo, result.caseId);
        opened.push(result);
        cases.push({ row: t.row, ticketNo: t.ticketNo, caseId: result.caseId });
        imported++;
      }
      await finish(trx, id);
      return id;
    });
    for (const o of opened) await emitOpened(deps, o);
  } else {
    const caller = { ...(await repo.importToken(deps.db)), scopes: ['items:submit' as const] };
    const ruleSet = await rules.get();
    const sorted = [...fresh].sort((a, b) => (a.ticketNo < b.ticketNo ? -1 : a.ticketNo > b.ticketNo ? 1 : 0));
    let submitted: Submitted | null = null;
    importId = await deps.db.transaction().execute(async (trx) => {
      const id = await repo.insertImport(trx, { ...base, createdAt: now });
      const toSubmit: Ticket[] = [];
      for (const t of sorted) {
        if (await repo.takeTicket(trx, { origin: input.origin, ticketNo: t.ticketNo, importId: id })) toSubmit.push(t);
        else duplicates++;
      }
      if (toSubmit.length > 0) {
        submitted = await submitItemsIn(
          trx,
          ruleSet,
          caller,
          toSubmit.map((t) => ({
            title: t.title,
            externalId: t.ticketNo,
            publishedAt: t.receivedAt.toISOString(),
            text: t.content,
            sourceName: SOURCE_NAMES[input.origin],
            mediaType: input.origin === 'mailbox' ? 'mailbox' : 'other',
          })),
          actor,
          now,
        );
        for (const r of submitted.result.results) {
          const t = toSubmit[r.index]!;
          if (r.status === 'rejected') {
            // Not stored: the 工单编号 is given back, so a later import may bring the row in.
            await repo.releaseTicket(trx, input.origin, t.ticketNo);
            refused.push({ row: t.row, ticketNo: t.ticketNo, reason: r.reason ?? 'rejected', reasonZh: r.reasonZh ?? '未通过校验' });
            continue;
          }
          await repo.setTicketItem(trx, input.origin, t.ticketNo, r.key ?? null);
          if (r.status === 'accepted') imported++;
          else duplicates++;
        }
      }
      await finish(trx, id);
      return id;
    });
    if (submitted) await emitSubmitted(deps, submitted);
  }
  refused.sort((a, b) => a.row - b.row);
  return {
    id: importId,
    origin: input.origin,
    mode: input.mode,
    fileName: input.fileName,
    createdAt: now.toISOString(),
    createdBy: actor.name,
    rowsTotal: rows.length - 1,
    imported,
    duplicates,
    refused: refused.length,
    refusedRows: refused,
    cases,
  };

  async function finish(trx: Parameters<typeof repo.finishImport>[0], id: number): Promise<void> {
    const sorted = [...refused].sort((a, b) => a.row - b.row);
    await repo.finishImport(trx, id, { rowsTotal: rows.length - 1, imported, duplicates, refused: sorted });
    await repo.saveProfile(trx, input.origin, headers, mapping, actor.id, now);
    await writeAudit(trx, {
      actor,
      entity: 'ticket_import',
      entityId: id,
      action: 'ticket_import.create',
      after: {
        origin: input.origin,
        originLabel: CASE_ORIGIN_LABELS[input.origin],
        mode: input.mode,
        fileName: input.fileName,
        fileSha256: sha,
        rowsTotal: rows.length - 1,
        imported,
        duplicates,
        refused: sorted.length,
        caseIds: cases.map((c) => c.caseId),
      },
    });
  }
}

export async function importHistory(deps: ModuleDeps, limit = 50) {
  const rows = await repo.listImports(deps.db, limit);
  return {
    imports: rows.map((r) => ({
      id: r.id,
      origin: r.origin,
      mode: r.mode,
      fileName: r.file_name,
      createdAt: r.created_at.toISOString(),
      createdBy: r.created_by_name ?? null,
      rowsTotal: r.rows_total,
      imported: r.imported,
      duplicates: r.duplicates,
      refused: r.refused,
      refusedRows: r.refused_rows,
    })),
  };
}
