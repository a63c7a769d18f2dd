// A 留言板-like JSON endpoint of the fixture site, as 政务 message boards load their lists: a POST
// (form `page=2&size=10`, or JSON {"page": 2}) answering {code, data: {total, list: [...]}} with
// Chinese messages and epoch-millisecond dates, paged; and an endpoint that answers an HTML login
// page instead of JSON (a session the board wants renewed).
import type http from 'node:http';
import { html, reply, type Reply } from './reply.js';

export const LIUYAN_API_PREFIX = '/api/liuyan/';
export const LIUYAN_LIST_PATH = '/api/liuyan/list';
export const LIUYAN_LOGIN_PATH = '/api/liuyan/login-required';
export const LIUYAN_TOTAL = 25;

const SUBJECTS = [
  ['龙山镇石桥村自来水断供三天', '石桥村从周一起停水，至今没有通知何时恢复，老人孩子生活困难。'],
  ['城关镇东关村拆迁补偿标准不公开', '东关村七十户居民要求公开拆迁补偿标准和测量结果。'],
  ['清河二中门口早晚高峰拥堵严重', '学校门口接送车辆乱停，建议设置临时停车位并安排交警疏导。'],
  ['河西街道垃圾中转站异味扰民', '中转站离居民楼不足五十米，夏天异味很大，希望搬迁或加装除臭设备。'],
  ['城南工地夜间施工噪音', '城南工地每天晚上十一点后仍在打桩，严重影响休息。'],
] as const;

/** The board's messages, newest first, dated back from the hour of now. */
function messages(now: Date) {
  const hour = Math.floor(now.getTime() / 3600_000) * 3600_000;
  return Array.from({ length: LIUYAN_TOTAL }, (_, i) => {
    const [subject, content] = SUBJECTS[i % SUBJECTS.length]!;
    const tid = 90_000 + LIUYAN_TOTAL - i;
    return {
      tid,
      subject: i < SUBJECTS.length ? subject : `${subject}（第${Math.floor(i / SUBJECTS.length) + 1}次反映）`,
      content,
      nickname: `网友${(tid * 7919) % 100_000}`,
      createTime: hour - (i * 3 + 1) * 3600_000,
      state: i % 3 === 0 ? '已回复' : '办理中',
    };
  });
}

const LOGIN_PAGE = `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>用户登录 - 清河市网上留言板</title></head>
<body><form action="/login" method="post"><h1>用户登录</h1><p>登录已过期，请重新登录</p>
<label>用户名 <input name="username"></label><label>密码 <input type="password" name="password"></label>
<button type="submit">登录</button></form></body></html>
`;

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= 64 * 1024) chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const json = (v: unknown, status = 200) => reply(status, 'application/json; charset=utf-8', JSON.stringify(v));

/** The page and size a request asks for: form or JSON body (POST), or the query (GET). */
function paging(body: string, contentType: string, url: URL): { page: number; size: number } {
  let fields: Record<string, unknown> = Object.fromEntries(url.searchParams);
  if (contentType.includes('json')) {
    try {
      fields = { ...fields, ...(JSON.parse(body) as Record<string, unknown>) };
    } catch {
      /* an unreadable body asks for page 1 */
    }
  } else if (body) {
    fields = { ...fields, ...Object.fromEntries(new URLSearchParams(body)) };
  }
  const page = Math.max(1, Math.floor(Number(fields.page ?? 1)) || 1);
  const size = Math.min(50, Math.max(1, Math.floor(Number(fields.size ?? 10)) || 10));
  return { page, size };
}

export async function liuyanApi(req: http.IncomingMessage, url: URL, now: Date): Promise<Reply> {
  if (url.pathname === LIUYAN_LOGIN_PATH) {
    if (req.method === 'POST') await readBody(req);
    return html(LOGIN_PAGE);
  }
  if (url.pathname !== LIUYAN_LIST_PATH) return json({ code: 404, msg: '接口不存在' }, 404);
  if (req.method !== 'POST') return json({ code: 405, msg: '请使用 POST 请求' }, 405);
  const { page, size } = paging(await readBody(req), String(req.headers['content-type'] ?? ''), url);
  const all = messages(now);
  const list = all.slice((page - 1) * size, page * size);
  return json({ code: 0, msg: '成功', data: { total: all.length, page, size, list } });
}
