// What misbehaving publishers answer: error pages, anti-bot challenges, broken XML.

/** An override for one path of the fixture site. */
export type Fault =
  /** Answer this status (and body/headers) instead of the page. */
  | { kind: 'status'; status: number; body?: string; headers?: Record<string, string> }
  /** Answer the normal page after ms. */
  | { kind: 'delay'; ms: number }
  /** Send the normal page at bytesPerSecond. */
  | { kind: 'drip'; bytesPerSecond: number }
  /** Drop the connection without answering. */
  | { kind: 'reset' };

const STATUS_TEXT: Record<number, string> = {
  400: '请求错误',
  403: '禁止访问',
  404: '页面不存在',
  405: '请求方法不允许',
  410: '页面已删除',
  429: '请求过于频繁',
  500: '服务器内部错误',
  502: '网关错误',
  503: '服务暂时不可用',
  504: '网关超时',
};

export function statusPage(status: number): string {
  const text = STATUS_TEXT[status] ?? '请求失败';
  return `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>${status} ${text}</title></head>
<body><h1>${status} ${text}</h1><p>请稍后再试，或联系网站管理员。</p><hr><address>nginx</address></body></html>
`;
}

/** A JS cookie challenge (412), as anti-bot services serve before the real page. */
export function challengePage(token: string): string {
  return `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>安全验证</title></head>
<body>
<p>正在进行安全检测，请稍候……</p>
<script>
var _0x4e=["__jsl_clearance_s","=","${token}","; max-age=3600; path=/"];
document.cookie=_0x4e[0]+_0x4e[1]+_0x4e[2]+_0x4e[3];
setTimeout(function(){location.reload();},1500);
</script>
<noscript>请开启浏览器的 JavaScript 功能后刷新页面。</noscript>
</body></html>
`;
}

/** A web application firewall's block page (403). */
export function wafPage(eventId: string): string {
  return `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>访问被拦截</title></head>
<body>
<div class="waf-block">
<h2>您的访问请求可能对网站造成安全威胁，已被网站防火墙拦截。</h2>
<p>事件ID：${eventId}</p>
<p>如果您是网站管理员，请登录云防护控制台查看详情。</p>
</div>
</body></html>
`;
}

/**
 * Not well-formed: an unescaped ampersand, a mismatched tag, and the document cut short inside
 * its first item — so even the lenient reading, which keeps the complete items of a cut-off feed,
 * finds none.
 */
export const BROKEN_FEED = `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0">
  <channel>
    <title>清河晚报 & 清河在线</title>
    <link>http://example.invalid/</link>
    <item>
      <title>城关镇旧城改造最新进展</title>
      <description><p>记者从城关镇了解到……</description>
      <title>龙山镇召开`;
