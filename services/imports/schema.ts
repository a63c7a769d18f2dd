import { z } from '@hono/zod-openapi';
import { CATEGORIES, LEVELS } from '../../core/vocabulary.js';
import { MAX_IMPORT_COLUMNS, TICKET_FIELDS } from '../../core/ticket-import.js';
import { IMPORT_MODES, IMPORT_ORIGINS } from '../../db/schema-imports.js';
import { DateTime } from '../shared/schema.js';
import { MAX_IMPORT_FILE_BYTES } from './read-file.js';

// 管理 → 导入: a 12345 hotline or 领导信箱 export (.xlsx or .csv) sent as base64 inside JSON.

/** base64 of the largest file, with room for a data: prefix (over it, up to the body limit, the answer is 413, not 400). */
const MAX_BASE64 = Math.ceil(MAX_IMPORT_FILE_BYTES / 3) * 4 + 200;

const FileFields = {
  fileName: z.string().trim().min(1).max(200).openapi({ example: '12345工单导出.xlsx' }),
  contentBase64: z.string().min(1).max(MAX_BASE64 * 2).openapi({ description: `文件内容（base64），文件不超过 ${MAX_IMPORT_FILE_BYTES / 1024 / 1024} MB` }),
  origin: z.enum(IMPORT_ORIGINS).openapi({ description: 'hotline 12345热线 / mailbox 领导信箱' }),
};

export const ImportPreviewInput = z.object(FileFields).strict().openapi('TicketImportPreviewInput');
export type ImportPreviewInput = z.infer<typeof ImportPreviewInput>;

const Column = z.number().int().min(-1).max(MAX_IMPORT_COLUMNS - 1);
export const TicketMappingSchema = z
  .object(Object.fromEntries(TICKET_FIELDS.map((f) => [f, Column])) as Record<(typeof TICKET_FIELDS)[number], typeof Column>)
  .strict()
  .openapi('TicketMapping', { description: '每个字段对应的列序号（从 0 起；-1 表示文件中没有该列）' });

export const ImportRunInput = z
  .object({
    ...FileFields,
    mode: z.enum(IMPORT_MODES).openapi({ description: 'case 导入为事件（登记转办舆情并交办）/ item 导入为待研判信息' }),
    mapping: TicketMappingSchema,
    departmentId: z.number().int().min(1).max(2_147_483_647).optional().openapi({ description: '默认承办单位：承办单位列为空或不在部门列表中时交办给它' }),
    level: z.enum(LEVELS).default('general'),
    category: z.enum(CATEGORIES).default('other').openapi({ description: '诉求类型认不出时的类别（建议→建设性意见，投诉/求助→实际困难，咨询→模糊认识）' }),
  })
  .strict()
  .openapi('TicketImportInput');
export type ImportRunInput = z.infer<typeof ImportRunInput>;

export const ImportField = z.object({ key: z.enum(TICKET_FIELDS), label: z.string(), required: z.boolean() });

export const ImportPreview = z
  .object({
    fields: z.array(ImportField),
    headers: z.array(z.string()),
    mapping: TicketMappingSchema,
    mappingFrom: z.enum(['saved', 'guessed']).openapi({ description: 'saved 沿用上次同表头的对应关系 / guessed 按表头名称推断' }),
    rows: z.array(z.array(z.string())).openapi({ description: '前 5 行数据' }),
    totalRows: z.number().int(),
  })
  .openapi('TicketImportPreview');
export type ImportPreview = z.infer<typeof ImportPreview>;

const RefusedRow = z.object({ row: z.number().int(), ticketNo: z.string(), reason: z.string(), reasonZh: z.string() });

export const ImportReport = z
  .object({
    id: z.number().int(),
    origin: z.enum(IMPORT_ORIGINS),
    mode: z.enum(IMPORT_MODES),
    fileName: z.string(),
    createdAt: DateTime,
    createdBy: z.string().nullable(),
    rowsTotal: z.number().int(),
    imported: z.number().int(),
    duplicates: z.number().int(),
    refused: z.number().int(),
    refusedRows: z.array(RefusedRow),
    cases: z.array(z.object({ row: z.number().int(), ticketNo: z.string(), caseId: z.string() })).openapi({ description: '本次登记的事件（导入为事件时）' }),
  })
  .openapi('TicketImportReport');
export type ImportReport = z.infer<typeof ImportReport>;

export const ImportHistory = z.object({ imports: z.array(ImportReport.omit({ cases: true })) }).openapi('TicketImportHistory');
