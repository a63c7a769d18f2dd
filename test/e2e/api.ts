import { request, type APIRequestContext } from 'playwright-core';
import { expect } from 'vitest';
import { DEMO_PASSWORD } from './system.js';

// Calling the running system's API beside the browser (to set a scene or check a result), signed
// in as one of the demo users.

/** An API client signed in as `username` (CSRF token and Origin sent on every request). */
export async function apiAs(baseUrl: string, username: string): Promise<APIRequestContext> {
  const anon = await request.newContext({ baseURL: baseUrl, extraHTTPHeaders: { origin: baseUrl } });
  const res = await anon.post('/api/auth/login', { data: { username, password: DEMO_PASSWORD } });
  expect(res.status(), await res.text()).toBe(200);
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const state = await anon.storageState();
  await anon.dispose();
  return request.newContext({ baseURL: baseUrl, storageState: state, extraHTTPHeaders: { origin: baseUrl, 'x-csrf-token': csrfToken } });
}

/** The JSON body of a response that must have succeeded (its URL, status and body otherwise). */
export async function okJson<T>(res: Awaited<ReturnType<APIRequestContext['get']>>): Promise<T> {
  expect(res.ok(), `${res.url()} ${res.status()} ${await res.text()}`).toBe(true);
  return (await res.json()) as T;
}
