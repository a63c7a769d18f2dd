import { hash, verify } from '@node-rs/argon2';

// Password hashing (argon2id, the library's default algorithm and parameters: 19 MiB, t=2, p=1)
// and the one password policy used by the API, the create-admin command and the demo seed.

export const MIN_PASSWORD_LENGTH = 8;

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

/** False (never throws) for a wrong password or an unreadable hash. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | null = null;
/** Spends the time of a real verification, for unknown usernames (no timing oracle). */
export async function verifyDummy(password: string): Promise<void> {
  dummy ??= hash('not-a-real-password-0d');
  await verifyPassword(await dummy, password);
}

const TOO_COMMON = new Set(['12345678', '123456789', '1234567890', 'password', 'password1', 'qwertyui', 'qwerty123', '11111111', '88888888', 'abcd1234', 'admin123', 'admin1234']);

/** Why a password is refused, in both languages; null when acceptable. */
export function passwordProblem(username: string, password: string): { message: string; messageZh: string } | null {
  if (password.length < MIN_PASSWORD_LENGTH) {
    return { message: `must be at least ${MIN_PASSWORD_LENGTH} characters`, messageZh: `不能少于 ${MIN_PASSWORD_LENGTH} 个字符` };
  }
  if (password.length > 200) return { message: 'must be at most 200 characters', messageZh: '不能多于 200 个字符' };
  if (password.toLowerCase() === username.toLowerCase()) return { message: 'must differ from the username', messageZh: '不能与用户名相同' };
  if (TOO_COMMON.has(password.toLowerCase()) || /^(.)\1+$/.test(password)) {
    return { message: 'is too common', messageZh: '过于简单，请换一个' };
  }
  return null;
}
