import { z } from 'zod';

// Configuration is read once per process from the environment, validated, and every problem
// printed with the variable's name. Units are in the names.

const bool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));
const port = z.coerce.number().int().min(1).max(65535);
const positiveInt = z.coerce.number().int().positive();

const schema = z.object({
  PORT: port.default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** The dashboard's address as users reach it, for links in pushes (default: http://HOST:PORT). */
  PUBLIC_URL: z.string().url().optional(),
  DATABASE_URL: z.string().url().optional(),
  REDIS_URL: z.string().url().optional(),
  /**
   * Postgres connections of one server process (`npm run server`, and `npm start`, which runs the
   * server and the workers in one process). A dashboard request makes two or three queries one after the other, each
   * waiting for a free connection: with 50 users at once, 10 made short requests queue behind long
   * ones; 20 measured a fifth faster at p95 (test/reliability/load.test.ts).
   */
  DB_POOL_MAX: z.coerce.number().int().min(2).max(200).default(20),
  DEMO: bool.default(true),
  DEMO_SITE_PORT: port.default(3100),
  DEMO_PUBLISH_INTERVAL_MS: positiveInt.default(4000),
  /** With the demo: five weeks of past cases on a database that has none (0 to start empty). */
  DEMO_HISTORY: bool.default(true),
  /** Password of the demo users (admin, duty, handler, …); only used when DEMO is on. */
  DEMO_PASSWORD: z.string().min(8).default('demo1234'),
  /** A session unused this long ends (sliding; 等保: 登录连接超时自动退出). */
  SESSION_IDLE_MINUTES: positiveInt.default(30),
  /** A session ends this long after sign-in, however active. */
  SESSION_MAX_HOURS: positiveInt.default(7 * 24),
  /** Password policy (等保 2.0 身份鉴别): minimum length, and how many of the four character classes (lower, upper, digit, symbol). */
  PASSWORD_MIN_LENGTH: z.coerce.number().int().min(8).max(128).default(10),
  PASSWORD_MIN_CLASSES: z.coerce.number().int().min(1).max(4).default(3),
  /** Failed sign-ins in a row that lock an account, and for how long. */
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(3).max(100).default(5),
  LOGIN_LOCKOUT_MINUTES: positiveInt.default(15),
  /** Audit rows older than this are removed daily; at least 180 (网络安全法: network logs kept ≥ 6 months). */
  AUDIT_RETENTION_DAYS: z.coerce
    .number()
    .int()
    .min(180, { message: '审计日志保留天数不得少于 180 天（《网络安全法》要求网络日志留存不少于六个月）/ must be at least 180 days (Cybersecurity Law: network logs are kept at least six months)' })
    .default(180),
  /** 补录: how far back (hours) a handler or duty officer may date a publication or report; further back only a reviewer. */
  BACKFILL_MAX_HOURS: z.coerce.number().int().min(1).max(720).default(24),
  /** Behind a reverse proxy: read the client address from X-Forwarded-For (else it can be forged). */
  TRUST_PROXY: bool.default(false),
  DATA_DIR: z.string().min(1).default('./data'),
  /**
   * The audit chain's HMAC key (at least 32 characters). Unset: the file audit.key under DATA_DIR,
   * generated at first start. Kept outside the database, and backed up apart from it.
   */
  AUDIT_KEY: z.string().min(32, { message: '审计密钥至少 32 个字符 / must be at least 32 characters' }).optional(),
  /** A built dashboard to serve instead of dist/web (npm start then skips its own build). */
  WEB_DIR: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_{}-]+$/).default('od'),
  CRAWL_CONCURRENCY: positiveInt.default(8),
  CRAWL_TIMEOUT_MS: positiveInt.default(20_000),
  CRAWL_CONNECT_TIMEOUT_MS: positiveInt.default(5_000),
  CRAWL_MAX_BYTES: positiveInt.default(10 * 1024 * 1024),
  CRAWL_MAX_REDIRECTS: z.coerce.number().int().min(0).max(20).default(5),
  CRAWL_PER_HOST_CONCURRENCY: positiveInt.default(1),
  CRAWL_HOST_DELAY_MS: z.coerce.number().int().min(0).default(1000),
  CRAWL_BACKOFF_MAX_S: positiveInt.default(6 * 3600),
  SCHEDULER_TICK_MS: positiveInt.default(5000),
  SWEEP_INTERVAL_MS: positiveInt.default(30_000),
  DELIVER_INTERVAL_MS: positiveInt.default(10_000),
  /** Quiet hours in Asia/Shanghai, "startHour-endHour" (e.g. 22-7); "off" disables them. */
  QUIET_HOURS: z.string().regex(/^(off|([01]?\d|2[0-3])-([01]?\d|2[0-3]))$/).default('22-7'),
  /** The 舆情日报's time on working days, Asia/Shanghai, "HH:MM". */
  DAILY_BRIEF_TIME: z.string().regex(/^([01]?\d|2[0-3]):[0-5]\d$/).default('08:00'),
  SMTP_URL: z.string().url().optional(),
  SMTP_FROM: z.string().min(1).default('舆情回应台 <opinion-desk@localhost>'),
  USER_AGENT: z.string().min(1).default('OpinionDesk/0.1 (+government public-opinion monitor; contact: site admin)'),
});

export type Config = z.infer<typeof schema>;

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration / 配置错误:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Parses the environment. Empty strings count as unset. Throws ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const v = env[key];
    if (v !== undefined && v.trim() !== '') cleaned[key] = v.trim();
  }
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${String(i.path[0])}=${JSON.stringify(cleaned[String(i.path[0])] ?? '')}: ${i.message}`),
    );
  }
  return parsed.data;
}
