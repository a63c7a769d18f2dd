import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../platform/config.js';
import { createApiFixture, type ApiFixture } from './helpers.js';
import { createUser } from '../helpers/auth.js';

// Without TRUST_PROXY, a forged X-Forwarded-For must not give each request a fresh address:
// the per-address login throttle would be trivially bypassed.
let f: ApiFixture;
beforeAll(async () => {
  f = await createApiFixture('clientip', { config: loadConfig({ TRUST_PROXY: '0' }) });
});
afterAll(async () => f?.tdb.drop());

describe('client address', () => {
  it('ignores X-Forwarded-For unless TRUST_PROXY is set, so forged addresses share one throttle', async () => {
    await createUser(f.db, { role: 'duty', username: 'victim' });
    let throttled = 0;
    for (let i = 0; i < 22; i++) {
      const res = await f.requestAs(null, 'POST', '/api/auth/login', { username: `ghost${i}`, password: 'wrong-password' }, { 'x-forwarded-for': `203.0.113.${i}` });
      if (res.status === 429) throttled++;
    }
    expect(throttled).toBeGreaterThan(0);
    const audit = await f.db.selectFrom('login_throttle').selectAll().execute();
    expect(audit.map((r) => r.ip)).not.toContain('203.0.113.5');
  });
});
