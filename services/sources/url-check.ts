import type { Db } from '../../db/client.js';
import { loadAllowlist } from '../../db/repos/allowlist.js';
import { checkUrl } from '../../platform/http/ssrf.js';
import { fieldError } from '../../platform/errors.js';

// Source URL checks. Syntax (scheme, userinfo) is checked by the zod schema through urlProblem;
// the address policy (no private / loopback / reserved targets unless allow-listed) by
// validateSourceUrl, which uses the crawler's own SSRF policy so creation and fetch agree.

export interface UrlProblem {
  message: string;
  messageZh: string;
}

/** Why a string is not an acceptable source URL, or null when it is well-formed http(s). */
export function urlProblem(raw: string): UrlProblem | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { message: 'is not a valid URL', messageZh: '不是有效的网址' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { message: 'must use http or https', messageZh: '只支持 http 或 https 网址' };
  }
  if (url.username !== '' || url.password !== '') {
    return { message: 'must not contain a user name or password', messageZh: '不能包含用户名或密码' };
  }
  if (url.hostname === '') return { message: 'has no host', messageZh: '缺少主机名' };
  return null;
}

/** Throws 400 VALIDATION when the crawler would refuse the URL (private address, local name…). */
export async function validateSourceUrl(db: Db, url: string): Promise<void> {
  const syntax = urlProblem(url);
  if (syntax) throw fieldError('url', syntax.message, syntax.messageZh);
  const allowed = await loadAllowlist(db);
  const verdict = checkUrl(url, (hostPort) => allowed.has(hostPort.toLowerCase()));
  if (!verdict.ok) {
    throw fieldError(
      'url',
      `is refused by the fetch policy: ${verdict.reason}`,
      '指向内网、本机或保留地址，不允许作为监测源（如确需抓取，请管理员将该 host:port 加入白名单）',
    );
  }
}
