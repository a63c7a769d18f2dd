import { z } from '@hono/zod-openapi';
import { DateTime } from '../shared/schema.js';

/** "host:port" as the crawler compares it: WHATWG-normalised host (IPv6 in brackets), explicit port. */
export function normaliseHostPort(raw: string): string | null {
  const m = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(raw.trim());
  if (!m) return null;
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return null;
  try {
    const url = new URL(`http://${m[1]}:${port}/`);
    return `${url.hostname.toLowerCase()}:${url.port || '80'}`;
  } catch {
    return null;
  }
}

export const AllowlistCreate = z
  .object({
    hostPort: z
      .string()
      .trim()
      .max(300)
      .transform((v, ctx) => {
        const n = normaliseHostPort(v);
        if (n === null) {
          ctx.addIssue({ code: 'custom', message: 'must be host:port, e.g. 127.0.0.1:3100', params: { messageZh: '格式应为 主机:端口，例如 127.0.0.1:3100' } });
          return z.NEVER;
        }
        return n;
      })
      .openapi({ type: 'string', example: '127.0.0.1:3100' }),
    note: z.string().trim().max(500).default(''),
  })
  .strict()
  .openapi('AllowlistCreate');

export const AllowlistEntry = z
  .object({ id: z.number().int(), hostPort: z.string(), note: z.string(), createdAt: DateTime })
  .openapi('AllowlistEntry');
export type AllowlistEntry = z.infer<typeof AllowlistEntry>;

export const AllowlistList = z.object({ entries: z.array(AllowlistEntry) });
