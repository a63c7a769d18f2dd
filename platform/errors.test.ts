import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { AppError, errorBody, toAppError, validationError } from './errors.js';
import { HTTPException } from 'hono/http-exception';

describe('validationError', () => {
  const schema = z.object({
    name: z.string().min(1),
    count: z.number().int().max(10),
    kind: z.enum(['a', 'b']),
    tags: z.array(z.string()).min(1),
  });

  it('names each field with a Chinese reason and keeps per-field details', () => {
    const input = { name: '', count: 11, tags: [] };
    const r = schema.safeParse(input);
    expect(r.success).toBe(false);
    const e = validationError(r.error!, input);
    expect(e).toMatchObject({ code: 'VALIDATION', status: 400 });
    expect(e.messageZh).toBe('请求参数不正确：name 不能为空；count 不能大于 10；kind 为必填项；tags 不能少于 1 项');
    expect(e.details).toEqual({
      issues: [
        expect.objectContaining({ path: 'name', code: 'too_small' }),
        expect.objectContaining({ path: 'count', code: 'too_big' }),
        expect.objectContaining({ path: 'kind', messageZh: '为必填项' }),
        expect.objectContaining({ path: 'tags', code: 'too_small' }),
      ],
    });
  });

  it('describes a wrong type and a wrong enum value', () => {
    const input = { name: 5, count: 1, kind: 'c', tags: ['x'] };
    const e = validationError(schema.safeParse(input).error!, input);
    expect(e.messageZh).toBe('请求参数不正确：name 类型不正确（应为文本）；kind 取值无效，可选值：a、b');
  });

  it('prefers a messageZh given in the issue params', () => {
    const s = z.string().refine(() => false, { message: 'bad', params: { messageZh: '不行' } });
    const e = validationError(z.object({ x: s }).safeParse({ x: 'y' }).error!, { x: 'y' });
    expect(e.messageZh).toBe('请求参数不正确：x 不行');
  });
});

describe('toAppError', () => {
  it('keeps AppErrors, maps malformed JSON, unique violations, and hides the unknown', () => {
    const own = new AppError({ code: 'FORBIDDEN', message: 'no', messageZh: '无权限' });
    expect(toAppError(own)).toBe(own);
    expect(toAppError(new HTTPException(400, { message: 'Malformed JSON in request body' }))).toMatchObject({ code: 'VALIDATION', status: 400 });
    expect(toAppError(Object.assign(new Error('dup'), { code: '23505' }))).toMatchObject({ code: 'CONFLICT', status: 409 });
    const hidden = toAppError(new Error('password=hunter2 leaked in SQL'));
    expect(hidden).toMatchObject({ code: 'INTERNAL', status: 500, message: 'Internal server error' });
  });

  it('renders the one error shape', () => {
    const e = new AppError({ code: 'NOT_FOUND', message: 'x', messageZh: '无', details: { a: 1 } });
    expect(errorBody(e, 'r1')).toEqual({ error: { code: 'NOT_FOUND', message: 'x', messageZh: '无', requestId: 'r1', details: { a: 1 } } });
    expect(errorBody(new AppError({ code: 'CONFLICT', message: 'x', messageZh: 'y' }), 'r2').error).not.toHaveProperty('details');
  });
});

describe('toAppError for Postgres concurrency failures', () => {
  it('turns a deadlock or serialization failure into a 409 asking to try again, in both languages', () => {
    for (const code of ['40P01', '40001']) {
      const e = toAppError(Object.assign(new Error('deadlock detected'), { code }));
      expect(e).toMatchObject({ code: 'CONFLICT', status: 409, details: { retry: true } });
      expect(e.messageZh).toContain('请重试');
      expect(e.message).toContain('try again');
    }
    expect(toAppError(Object.assign(new Error('x'), { code: '42P01' })).status).toBe(500);
  });
});
