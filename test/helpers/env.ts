/** The audit chain's key of every test connection and process (not a secret: tests only). */
export const TEST_AUDIT_KEY = 'od-test-audit-key-not-secret-0123456789abcdef';

/** The migrated template of this test run (set by test/global-setup.ts). */
export function templateDb(): string {
  return process.env.OD_TEST_TEMPLATE ?? 'od_test_template';
}

export function adminUrl(): string {
  return process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

export function redisUrl(): string {
  return process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
