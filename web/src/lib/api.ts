import { hc, type ClientResponse } from 'hono/client';
import type { AppType } from '../../../server/app.js';

// The typed API client: hc<AppType> over the server's own route definitions, so request and
// response types come from the server's zod schemas (no hand-copied types). Every unsafe request
// carries the session's CSRF token; failures become ApiError with the server's Chinese and
// English messages, which screens show as they are.

let csrfToken = '';
export function setCsrfToken(token: string): void {
  csrfToken = token;
}

const unauthorizedListeners = new Set<() => void>();
/** Called when any request (other than sign-in) answers 401: the session has ended. */
export function onUnauthorized(fn: () => void): () => void {
  unauthorizedListeners.add(fn);
  return () => unauthorizedListeners.delete(fn);
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly messageZh: string,
    messageEn: string,
    readonly details?: unknown,
    readonly requestId?: string,
  ) {
    super(messageEn);
    this.name = 'ApiError';
  }
  /** The message in the interface language. */
  text(lang: 'zh' | 'en'): string {
    return lang === 'zh' ? this.messageZh : this.message;
  }
}

/** Any thrown value as a message a user can read. */
export function errorText(err: unknown, lang: 'zh' | 'en'): string {
  if (err instanceof ApiError) return err.text(lang);
  return lang === 'zh' ? '出现意外错误，请刷新页面后重试。' : 'Something unexpected went wrong; reload the page and try again.';
}

export async function apiFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const method = (init?.method ?? 'GET').toUpperCase();
  const headers = new Headers(init?.headers);
  if (UNSAFE.has(method) && csrfToken) headers.set('x-csrf-token', csrfToken);
  try {
    return await fetch(input, { ...init, headers, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'NETWORK', '无法连接服务器，请检查网络或稍后重试。', 'Cannot reach the server; check the network and try again.');
  }
}

export const api = hc<AppType>('/', { fetch: apiFetch }).api;

type SuccessStatus = 200 | 201 | 202 | 204;
/** The body type of a typed response's success branch. */
export type Ok<R> = R extends ClientResponse<infer T, infer S, infer _F> ? (S extends SuccessStatus ? T : never) : never;

/** Turns a failed response into an ApiError (server message kept), and a 401 into a signed-out state. */
export async function failure(res: Response): Promise<ApiError> {
  let body: { error?: { code?: string; message?: string; messageZh?: string; details?: unknown; requestId?: string } } | null = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  const e = body?.error;
  if (res.status === 401 && !res.url.endsWith('/api/auth/login')) for (const fn of unauthorizedListeners) fn();
  return new ApiError(
    res.status,
    e?.code ?? `HTTP_${res.status}`,
    e?.messageZh ?? `服务器返回错误（${res.status}），请稍后重试。`,
    e?.message ?? `The server answered ${res.status}; try again later.`,
    e?.details,
    e?.requestId,
  );
}

/** Awaits a typed request and returns its JSON body, or throws ApiError. */
export async function call<R>(request: Promise<R>): Promise<Ok<R>> {
  const res = (await request) as unknown as Response;
  if (!res.ok) throw await failure(res);
  if (res.status === 204) return undefined as Ok<R>;
  return (await res.json()) as Ok<R>;
}

/** Plain JSON GET for paths the typed client cannot express (e.g. repeated query keys). */
export async function getJson<T>(path: string): Promise<T> {
  const res = await apiFetch(path);
  if (!res.ok) throw await failure(res);
  return (await res.json()) as T;
}
