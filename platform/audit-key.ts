import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './config.js';

// The audit chain's key lives outside the database: AUDIT_KEY, else the file audit.key under
// DATA_DIR, written (mode 600) with 32 random bytes at first start. Whoever has it can write rows
// that verify; whoever has only the database cannot. Back it up apart from the database dumps.

export const AUDIT_KEY_FILE = 'audit.key';

/** The key: AUDIT_KEY, else DATA_DIR/audit.key (created when missing). */
export function resolveAuditKey(config: Pick<Config, 'AUDIT_KEY' | 'DATA_DIR'>): string {
  if (config.AUDIT_KEY) return config.AUDIT_KEY;
  const file = join(config.DATA_DIR, AUDIT_KEY_FILE);
  if (existsSync(file)) {
    const key = readFileSync(file, 'utf8').trim();
    if (key.length < 32) throw new Error(`${file}: the audit key is shorter than 32 characters / 审计密钥文件内容过短`);
    return key;
  }
  mkdirSync(config.DATA_DIR, { recursive: true });
  const key = randomBytes(32).toString('hex');
  try {
    writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    // Another process of this installation wrote it first: use theirs.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return resolveAuditKey(config);
    throw err;
  }
  chmodSync(file, 0o600);
  return key;
}
