// One error type and one error shape for the whole API:
//   {error: {code, message, messageZh, requestId, details?}}
// Caller mistakes are 4xx with a stable code; anything unexpected is a logged 500 with a generic message.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';

export const ERROR_CODES = ['NOT_FOUND', 'VALIDATION', 'FORBIDDEN', 'CONFLICT', 'UNAUTHORIZED', 'RATE_LIMITED', 'PAYLOAD_TOO_LARGE', 'INTERNAL'] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

const DEFAULT_STATUS: Record<ErrorCode, ContentfulStatusCode> = {
  NOT_FOUND: 404,
  VALIDATION: 400,
  FORBIDDEN: 403,
  CONFLICT: 409,
  UNAUTHORIZED: 401,
  RATE_LIMITED: 429,
  PAYLOAD_TOO_LARGE: 413,
  INTERNAL: 500,
};

export interface AppErrorInit {
  code: ErrorCode;
  /** English message (for logs and non-Chinese clients). */
  message: string;
  messageZh: string;
  status?: ContentfulStatusCode;
  details?: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: ContentfulStatusCode;
  readonly messageZh: string;
  readonly details?: unknown;

  constructor(init: AppErrorInit) {
    super(init.message);
    this.name = 'AppError';
    this.code = init.code;
    this.status = init.status ?? DEFAULT_STATUS[init.code];
    this.messageZh = init.messageZh;
    this.details = init.details;
  }
}

export function notFound(thingEn: string, thingZh: string): AppError {
  return new AppError({ code: 'NOT_FOUND', message: `${thingEn} not found`, messageZh: `${thingZh}不存在` });
}

export function conflict(message: string, messageZh: string, details?: unknown): AppError {
  return new AppError({ code: 'CONFLICT', message, messageZh, details });
}

/** A validation failure of one field, shaped like the zod-derived ones. */
export function fieldError(field: string, message: string, messageZh: string, extra: Record<string, unknown> = {}): AppError {
  return new AppError({
    code: 'VALIDATION',
    message: `Invalid request: ${field} ${message}`,
    messageZh: `请求参数不正确：${field} ${messageZh}`,
    details: { issues: [{ path: field, code: 'custom', message, messageZh, ...extra }] },
  });
}

// ---------- zod issues → per-field details with Chinese messages ----------

export interface FieldIssue {
  /** Dotted path of the offending field ('' for the whole body). */
  path: string;
  code: string;
  message: string;
  messageZh: string;
}

type Issue = ZodError['issues'][number];

const TYPE_ZH: Record<string, string> = {
  string: '文本',
  number: '数字',
  int: '整数',
  boolean: '布尔值',
  object: '对象',
  array: '数组',
  date: '日期',
  bigint: '整数',
};

function sizeZh(issue: Issue & { origin?: string }, bound: number | bigint, small: boolean, inclusive: boolean): string {
  const cmp = small ? (inclusive ? '不能少于' : '必须多于') : inclusive ? '不能多于' : '必须少于';
  const cmpNum = small ? (inclusive ? '不能小于' : '必须大于') : inclusive ? '不能大于' : '必须小于';
  switch (issue.origin) {
    case 'string':
      return small && Number(bound) === 1 && inclusive ? '不能为空' : `${cmp} ${bound} 个字符`;
    case 'array':
    case 'set':
      return `${cmp} ${bound} 项`;
    default:
      return `${cmpNum} ${bound}`;
  }
}

/** The value at an issue's path in the validated input, if the input is known. */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/**
 * A Chinese sentence fragment describing one zod issue (the field name is prefixed by the caller).
 * With the input at hand, a missing field reads "为必填项" whatever the schema's type.
 */
export function issueMessageZh(issue: Issue, input?: unknown): string {
  const params = (issue as { params?: { messageZh?: unknown } }).params;
  if (typeof params?.messageZh === 'string') return params.messageZh;
  const missing = issue.path.length > 0 && (input === undefined ? /received undefined/.test(issue.message) : valueAt(input, issue.path) === undefined);
  if (missing && (issue.code === 'invalid_type' || issue.code === 'invalid_value' || issue.code === 'invalid_union')) return '为必填项';
  switch (issue.code) {
    case 'invalid_type':
      return `类型不正确（应为${TYPE_ZH[issue.expected] ?? issue.expected}）`;
    case 'too_small':
      return sizeZh(issue, issue.minimum, true, issue.inclusive !== false);
    case 'too_big':
      return sizeZh(issue, issue.maximum, false, issue.inclusive !== false);
    case 'invalid_value':
      return `取值无效，可选值：${issue.values.map(String).join('、')}`;
    case 'invalid_format':
      if (issue.format === 'url') return '不是有效的网址';
      if (issue.format === 'datetime' || issue.format === 'date') return '不是有效的日期时间（ISO 8601）';
      if (issue.format === 'regex') return '格式不正确';
      return `格式不正确（应为 ${issue.format}）`;
    case 'unrecognized_keys':
      return `包含未知字段：${issue.keys.join('、')}`;
    case 'not_multiple_of':
      return `必须是 ${issue.divisor} 的倍数`;
    case 'invalid_union':
      return '格式不正确';
    default:
      return '不正确';
  }
}

export function zodIssues(error: ZodError, input?: unknown): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    code: issue.code,
    message: issue.message,
    messageZh: issueMessageZh(issue, input),
  }));
}

/** 400 VALIDATION from a zod error: "请求参数不正确：url 不是有效的网址；name 为必填项". */
export function validationError(error: ZodError, input?: unknown): AppError {
  const issues = zodIssues(error, input);
  const named = (i: FieldIssue, text: string) => (i.path ? `${i.path} ${text}` : text);
  return new AppError({
    code: 'VALIDATION',
    message: `Invalid request: ${issues.map((i) => named(i, i.message)).join('; ')}`,
    messageZh: `请求参数不正确：${issues.map((i) => named(i, i.messageZh)).join('；')}`,
    details: { issues },
  });
}

// ---------- mapping anything thrown to an AppError ----------

function fromHttpException(err: HTTPException): AppError {
  if (err.status === 400 && /json/i.test(err.message)) {
    return new AppError({
      code: 'VALIDATION',
      message: 'Malformed JSON in request body',
      messageZh: '请求体不是有效的 JSON',
    });
  }
  if (err.status === 415) {
    return new AppError({
      code: 'VALIDATION',
      status: 415,
      message: 'Unsupported media type: send application/json',
      messageZh: '不支持的请求内容类型，请使用 application/json',
    });
  }
  if (err.status === 413) return payloadTooLarge();
  if (err.status === 404) return new AppError({ code: 'NOT_FOUND', message: 'Not found', messageZh: '请求的资源不存在' });
  if (err.status < 500) {
    return new AppError({
      code: 'VALIDATION',
      status: err.status as ContentfulStatusCode,
      message: err.message || 'Bad request',
      messageZh: '请求不正确',
    });
  }
  return internalError();
}

/** 413: a request body over the app's limit (server/app.ts MAX_BODY_BYTES). */
export function payloadTooLarge(maxBytes?: number): AppError {
  return new AppError({
    code: 'PAYLOAD_TOO_LARGE',
    message: maxBytes === undefined ? 'Request body too large' : `Request body too large (at most ${maxBytes} bytes)`,
    messageZh: maxBytes === undefined ? '请求内容过大' : `请求内容过大（不能超过 ${Math.floor(maxBytes / 1024)} KB）`,
    details: maxBytes === undefined ? undefined : { maxBytes },
  });
}

function internalError(): AppError {
  return new AppError({ code: 'INTERNAL', message: 'Internal server error', messageZh: '服务器内部错误，请稍后重试' });
}

/** Postgres constraint violations that are the caller's doing. */
function fromPgError(err: { code?: unknown; constraint?: unknown }): AppError | null {
  if (err.code === '23505') return conflict('A record with the same unique value already exists', '已存在相同的记录');
  // A deadlock or serialization failure: Postgres cancelled this transaction whole (nothing of it
  // was saved) because another one changed the same rows at the same moment. Trying again works.
  if (err.code === '40P01' || err.code === '40001') {
    return new AppError({
      code: 'CONFLICT',
      message: 'The same records were being changed by another request at the same moment; nothing was saved. Please try again.',
      messageZh: '相同的记录正被其他操作同时修改，本次操作未保存，请重试。',
      details: { retry: true },
    });
  }
  if (err.code === '23503') {
    return new AppError({ code: 'VALIDATION', message: 'A referenced record does not exist', messageZh: '引用的记录不存在' });
  }
  return null;
}

export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof HTTPException) return fromHttpException(err);
  if (err && typeof err === 'object') {
    const pgErr = fromPgError(err as { code?: unknown });
    if (pgErr) return pgErr;
  }
  return internalError();
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; messageZh: string; requestId: string; details?: unknown };
}

export function errorBody(err: AppError, requestId: string): ErrorBody {
  return {
    error: {
      code: err.code,
      message: err.message,
      messageZh: err.messageZh,
      requestId,
      ...(err.details === undefined ? {} : { details: err.details }),
    },
  };
}

/** Hono onError handler. Records the original error on the context so the request log line carries it. */
export function handleError(err: unknown, c: Context): Response {
  const appErr = toAppError(err);
  if (appErr.status >= 500) c.set('error', err);
  const requestId = (c.get('requestId') as string | undefined) ?? '';
  return c.json(errorBody(appErr, requestId), appErr.status);
}

export function notFoundResponse(c: Context): Response {
  return handleError(
    new AppError({ code: 'NOT_FOUND', message: `No route for ${c.req.method} ${c.req.path}`, messageZh: '请求的接口不存在' }),
    c,
  );
}
