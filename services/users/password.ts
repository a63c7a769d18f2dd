import { hash, verify, type Options } from '@node-rs/argon2';

// Password hashing (argon2id with OWASP's parameters, spelled out so a library upgrade cannot change
// them silently: 19 MiB, t=2, p=1) and the one password policy used by the API, the create-admin
// command and password changes. The demo users are seeded directly (their password is demo-only).

/** argon2id parameters (OWASP Password Storage Cheat Sheet, the first recommended configuration). */
// algorithm 2 = Argon2id (the library's const enum is not available at run time under isolatedModules).
export const ARGON2_OPTIONS: Options = { algorithm: 2 as Options['algorithm'], memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/** The configurable part of the policy (platform/config.ts: PASSWORD_MIN_LENGTH, PASSWORD_MIN_CLASSES). */
export interface PasswordPolicy {
  PASSWORD_MIN_LENGTH: number;
  PASSWORD_MIN_CLASSES: number;
}

/** Defaults (等保 2.0 身份鉴别: 口令具有复杂度要求): at least 10 characters, 3 of the 4 character classes. */
export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = { PASSWORD_MIN_LENGTH: 10, PASSWORD_MIN_CLASSES: 3 };

/** @deprecated the minimum is configurable; see DEFAULT_PASSWORD_POLICY. */
export const MIN_PASSWORD_LENGTH = DEFAULT_PASSWORD_POLICY.PASSWORD_MIN_LENGTH;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
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
  dummy ??= hash('not-a-real-password-0d', ARGON2_OPTIONS);
  await verifyPassword(await dummy, password);
}

const TOO_COMMON = new Set(['12345678', '123456789', '1234567890', 'password', 'password1', 'qwertyui', 'qwerty123', '11111111', '88888888', 'abcd1234', 'admin123', 'admin1234']);

/** How many of the four classes (lowercase, uppercase, digit, other) the password uses. */
export function characterClasses(password: string): number {
  return [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
}

/** Why a password is refused, in both languages, naming the rule; null when acceptable. */
export function passwordProblem(
  username: string,
  password: string,
  policy: PasswordPolicy = DEFAULT_PASSWORD_POLICY,
): { message: string; messageZh: string } | null {
  const min = policy.PASSWORD_MIN_LENGTH;
  if (password.length < min) {
    return { message: `must be at least ${min} characters (password policy: minimum length)`, messageZh: `不能少于 ${min} 个字符（密码策略：最小长度）` };
  }
  if (password.length > 200) return { message: 'must be at most 200 characters', messageZh: '不能多于 200 个字符' };
  if (password.toLowerCase() === username.toLowerCase()) {
    return { message: 'must differ from the username (password policy)', messageZh: '不能与用户名相同（密码策略）' };
  }
  const classes = policy.PASSWORD_MIN_CLASSES;
  if (characterClasses(password) < classes) {
    return {
      message: `must use at least ${classes} of: lowercase letters, uppercase letters, digits, symbols (password policy: complexity)`,
      messageZh: `须包含小写字母、大写字母、数字、符号中的至少 ${classes} 类（密码策略：复杂度）`,
    };
  }
  if (TOO_COMMON.has(password.toLowerCase()) || /^(.)\1+$/.test(password)) {
    return { message: 'is too common (password policy)', messageZh: '过于简单，请换一个（密码策略）' };
  }
  return null;
}
