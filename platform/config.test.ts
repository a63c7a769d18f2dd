import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('applies defaults when nothing is set', () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(3000);
    expect(c.DEMO_SITE_PORT).toBe(3100);
    expect(c.DEMO).toBe(true);
    expect(c.DATABASE_URL).toBeUndefined();
  });

  it('reads and coerces values; empty strings count as unset', () => {
    const c = loadConfig({ PORT: '8080', DEMO: '0', DATABASE_URL: 'postgres://u@h:5432/db', REDIS_URL: '' });
    expect(c.PORT).toBe(8080);
    expect(c.DEMO).toBe(false);
    expect(c.DATABASE_URL).toBe('postgres://u@h:5432/db');
    expect(c.REDIS_URL).toBeUndefined();
  });

  it('names every bad variable in one readable error', () => {
    let err: unknown;
    try {
      loadConfig({ PORT: 'eighty', DEMO: 'maybe', DATABASE_URL: 'not a url' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const msg = (err as ConfigError).message;
    expect(msg).toContain('配置错误');
    expect(msg).toMatch(/PORT="eighty"/);
    expect(msg).toMatch(/DEMO="maybe"/);
    expect(msg).toMatch(/DATABASE_URL="not a url"/);
    expect((err as ConfigError).problems).toHaveLength(3);
  });
});
