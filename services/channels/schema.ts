import { z } from '@hono/zod-openapi';
import { DateTime } from '../shared/schema.js';

export const EmailConfig = z.object({ smtpUrl: z.string().url().max(2000).optional(), from: z.string().min(1).max(300).optional() }).strict();
export const WebhookConfig = z.object({ url: z.string().url().max(2000), format: z.enum(['json', 'wecom', 'dingtalk']).default('json') }).strict();
export const SmsConfig = z
  .object({
    url: z.string().url().max(2000).openapi({ description: '短信网关地址，可含 {phone} {text}' }),
    method: z.enum(['POST', 'GET']).default('POST'),
    headers: z.record(z.string().regex(/^[A-Za-z0-9-]{1,64}$/), z.string().max(2000)).default({}),
    bodyTemplate: z.string().max(4000).default('{"phone":"{phone}","text":"{text}"}').openapi({ description: '请求体模板，{phone} 为手机号，{text} 为短信内容' }),
    contentType: z.string().max(200).default('application/json; charset=utf-8'),
    urgentOnly: z.boolean().default(true).openapi({ description: '只发送紧急通知（预警推送）' }),
  })
  .strict();
export const ChannelCreate = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('email'), name: z.string().trim().min(1).max(100), enabled: z.boolean().default(true), config: EmailConfig.default({}) }),
    z.object({ kind: z.literal('webhook'), name: z.string().trim().min(1).max(100), enabled: z.boolean().default(true), config: WebhookConfig }),
    z.object({ kind: z.literal('sms'), name: z.string().trim().min(1).max(100), enabled: z.boolean().default(true), config: SmsConfig }),
  ])
  .openapi('ChannelCreate');
export type ChannelCreate = z.infer<typeof ChannelCreate>;
export const ChannelPatch = z
  .object({ name: z.string().trim().min(1).max(100).optional(), enabled: z.boolean().optional(), config: z.record(z.string(), z.unknown()).optional() })
  .openapi('ChannelPatch');
export type ChannelPatch = z.infer<typeof ChannelPatch>;
const Failure = z.object({ id: z.string(), notificationId: z.string().nullable(), target: z.string(), attempts: z.number().int(), lastError: z.string(), createdAt: DateTime });
export const ChannelView = z
  .object({
    id: z.number().int(),
    kind: z.enum(['email', 'webhook', 'sms']),
    name: z.string(),
    enabled: z.boolean(),
    config: z.record(z.string(), z.unknown()),
    createdAt: DateTime,
    deliveries: z.object({ pending: z.number().int(), sent: z.number().int(), failed: z.number().int() }),
    recentFailures: z.array(Failure),
  })
  .openapi('NotificationChannel');
export type ChannelView = z.infer<typeof ChannelView>;
export const TestInput = z
  .object({
    to: z.string().email().optional().openapi({ description: '测试邮件收件人（默认：当前管理员的邮箱）' }),
    phone: z
      .string()
      .refine((s) => /^1[3-9]\d{9}$/.test(s), {
        message: 'is not a mainland mobile number (11 digits starting with 13–19)',
        params: { messageZh: '不是有效的手机号（11 位，以 13–19 开头）' },
      })
      .optional()
      .openapi({ description: '测试短信的手机号（默认：当前管理员的手机号）' }),
  })
  .openapi('ChannelTestInput');
export const TestResult = z.object({ ok: z.boolean(), error: z.string().nullable() }).openapi('ChannelTestResult');
export type TestResult = z.infer<typeof TestResult>;
