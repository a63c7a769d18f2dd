import { createHash } from 'node:crypto';

// The audit chain's HMAC (RFC 2104 over SHA-256) is computed inside Postgres with the built-in
// sha256() only, so it needs no extension: hmac(K, m) = sha256((K' ⊕ opad) || sha256((K' ⊕ ipad) || m)),
// K' the key padded to 64 bytes (hashed first when longer). The application hands each connection
// the two padded keys, as one hex string (inner then outer, 128 hex digits each), in the session
// setting audit_chain.key (db/client.ts); the key itself stays in the application's process.

const BLOCK = 64;

/** The session setting for a key: hex(K' ⊕ ipad) || hex(K' ⊕ opad), 256 hex digits. */
export function auditKeySetting(key: string): string {
  let k = Buffer.from(key, 'utf8');
  if (k.length > BLOCK) k = createHash('sha256').update(k).digest();
  const padded = Buffer.alloc(BLOCK);
  k.copy(padded);
  const inner = Buffer.alloc(BLOCK);
  const outer = Buffer.alloc(BLOCK);
  for (let i = 0; i < BLOCK; i++) {
    inner[i] = padded[i]! ^ 0x36;
    outer[i] = padded[i]! ^ 0x5c;
  }
  return inner.toString('hex') + outer.toString('hex');
}
