// OpenAPI: the document at /api/openapi.json is generated from the very zod schemas that validate
// requests, using @hono/zod-openapi. Each route is a `createRoute({...})` value (method, path,
// request schemas, response schemas, and later a per-route `middleware` for roles) registered with
// `router.openapi(route, handler)`; the handler receives already-validated, typed input via
// `c.req.valid(...)`, and its `c.json(body, status)` is type-checked against the declared response.
// We chose this over assembling a document from `z.toJSONSchema` by hand because the route table,
// the validation and the document cannot drift apart, and the chained routers keep `AppType` typed
// for the dashboard's `hc` client. Validation failures are thrown from the shared `defaultHook` and
// rendered by the one error handler in errors.ts.
import { OpenAPIHono, z, type Hook } from '@hono/zod-openapi';
import type { ZodError } from 'zod';
import { ERROR_CODES, validationError } from '../platform/errors.js';
import type { SessionUser } from './middleware/auth.js';

export interface AppEnv {
  Variables: {
    requestId: string;
    /** TRUST_PROXY: the client address comes from X-Forwarded-For. */
    trustProxy?: boolean;
    /** An unexpected error, kept for the request log line. */
    error?: unknown;
    /** Set by the session middleware when the request carries a valid session cookie. */
    user?: SessionUser;
    /** The session behind `user`: its stored id (SHA-256 of the cookie token) and CSRF token. */
    session?: { id: string; csrfToken: string };
  };
}

const defaultHook: Hook<unknown, AppEnv, string, undefined> = (result) => {
  // The validator passes the raw input as `data` alongside the failure: it tells "missing" from "wrong".
  if (!result.success) throw validationError(result.error as ZodError, (result as { data?: unknown }).data);
  return undefined;
};

/** Every module builds its routes on one of these; validation errors become 400 VALIDATION. */
export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({ defaultHook });
}

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES),
      message: z.string(),
      messageZh: z.string(),
      requestId: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .openapi('Error');

function errorResponse(description: string) {
  return { description, content: { 'application/json': { schema: ErrorSchema } } };
}

/** Declared error responses (documentation only: the error handler produces them). */
export const errors = {
  400: errorResponse('请求参数不正确 / validation failed'),
  401: errorResponse('请先登录 / sign-in required'),
  403: errorResponse('无权执行此操作 / forbidden'),
  404: errorResponse('不存在 / not found'),
  409: errorResponse('状态冲突 / conflict'),
  429: errorResponse('请求过多，请稍后再试 / too many requests'),
} as const;

export function json<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

/** The media type of the Word documents the API serves. */
export const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** A 200 answer that is a .docx document (notices, briefs). */
export function docxFile(description = 'The .docx (A4 公文 layout)') {
  return { description, content: { [DOCX]: { schema: z.string().openapi({ format: 'binary' }) } } };
}

/** A required JSON request body (required: true makes a missing or non-JSON body a validation error). */
export function jsonBody<T extends z.ZodType>(schema: T) {
  return { required: true, content: { 'application/json': { schema } } };
}

/** Path parameter of a serial (int4) id. */
export const IntIdParams = z.object({
  id: z.coerce.number().int().min(1).max(2_147_483_647).openapi({ param: { name: 'id', in: 'path' }, example: 1 }),
});

/** Path parameter of a bigserial id, kept as a decimal string. */
export const BigIdParams = z.object({
  id: z
    .string()
    .refine((s) => /^[1-9][0-9]{0,17}$/.test(s), { message: 'must be a positive integer id', params: { messageZh: '必须是正整数编号' } })
    .openapi({ param: { name: 'id', in: 'path' }, example: '1' }),
});

export const DeletedSchema = z.object({ id: z.union([z.number(), z.string()]), deleted: z.literal(true) }).openapi('Deleted');

export function openApiConfig() {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Opinion Desk 舆情回应台 API',
      version: '0.1.0',
      description: 'JSON over HTTP. camelCase keys; ids of bigint tables are strings. Errors: {error: {code, message, messageZh, requestId, details?}}.',
    },
  };
}

/** 401 / 403, documented beside each guarded route. */
export const denied = {
  401: { description: '未登录 / not signed in', content: { 'application/json': { schema: ErrorSchema } } },
  403: { description: '无权操作 / forbidden for this role', content: { 'application/json': { schema: ErrorSchema } } },
} as const;
