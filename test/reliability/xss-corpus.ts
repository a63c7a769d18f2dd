// A corpus of hostile markup for the stored-XSS test (test/reliability/xss.test.ts). Every payload,
// if a browser ever ran it, calls window.__xss('<its id>') (parent.__xss from a frame), which the
// test installs before any page script; the test then checks no id was ever reported.

export interface XssPayload {
  id: string;
  /** What the payload tries. */
  kind: string;
  text: string;
}

const call = (id: string, target = 'window') => `${target}.__xss('${id}')`;
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

const P = (id: string, kind: string, text: string): XssPayload => ({ id, kind, text });

export const XSS_PAYLOADS: readonly XssPayload[] = [
  P('x01', 'script', `<script>${call('x01')}</script>`),
  P('x02', 'img onerror', `<img src=x onerror="${call('x02')}">`),
  P('x03', 'svg onload', `<svg onload="${call('x03')}">`),
  P('x04', 'body onpageshow', `<body onpageshow="${call('x04')}">`),
  P('x05', 'a href javascript:', `<a href="javascript:${call('x05')}">点此查看原文</a>`),
  P('x06', 'entity-encoded javascript:', `<a href="&#106;avascript:${call('x06')}">实体编码链接</a>`),
  P('x07', 'tab in javascript:', `<a href="jav\tascript:${call('x07')}">制表符链接</a>`),
  P('x08', 'newline in javascript:', `<a href="java\nscript:${call('x08')}">换行链接</a>`),
  P('x09', 'data:text/html link', `<a href="data:text/html;base64,${b64(`<script>${call('x09', 'opener')}</script>`)}">数据链接</a>`),
  P('x10', 'iframe srcdoc', `<iframe srcdoc="<script>${call('x10', 'parent')}</script>"></iframe>`),
  P('x11', 'iframe javascript:', `<iframe src="javascript:${call('x11', 'parent')}"></iframe>`),
  P('x12', 'svg script', `<svg><script>${call('x12')}</script></svg>`),
  P('x13', 'svg xlink javascript:', `<svg><a xlink:href="javascript:${call('x13')}"><text x="0" y="20">点</text></a></svg>`),
  P('x14', 'css url(javascript:)', `<div style="background:url(javascript:${call('x14')})">样式背景</div>`),
  P('x15', 'css expression()', `<div style="width:expression(${call('x15')})">表达式</div>`),
  P('x16', 'meta refresh', `<meta http-equiv="refresh" content="0;url=javascript:${call('x16')}">`),
  P('x17', 'unclosed img', `<img src="x" onerror=${call('x17')}//`),
  P('x18', 'double open tag', `<<script>${call('x18')};//<</script>`),
  P('x19', 'textarea breakout', `</textarea><script>${call('x19')}</script>`),
  P('x20', 'title breakout', `</title><script>${call('x20')}</script>`),
  P('x21', 'attribute breakout', `"><script>${call('x21')}</script>`),
  P('x22', 'single-quote breakout', `'><img src=x onerror=${call('x22')}>`),
  P('x23', 'template injection', `{{constructor.constructor('${call('x23').replace(/'/g, '"')}')()}}`),
  P('x24', 'template literal', '${' + call('x24') + '}'),
  P('x25', 'encoded entities', `&lt;script&gt;${call('x25')}&lt;/script&gt;`),
  P('x26', 'numeric entities', `&#60;img src=x onerror=${call('x26')}&#62;`),
  P('x27', 'details ontoggle', `<details open ontoggle="${call('x27')}"><summary>展开</summary></details>`),
  P('x28', 'input autofocus onfocus', `<input autofocus onfocus="${call('x28')}">`),
  P('x29', 'video source onerror', `<video><source onerror="${call('x29')}"></video>`),
  P('x30', 'object data javascript:', `<object data="javascript:${call('x30')}"></object>`),
  P('x31', 'embed javascript:', `<embed src="javascript:${call('x31')}">`),
  P('x32', 'mXSS math/style', `<math><mtext><table><mglyph><style><img src=x onerror=${call('x32')}>`),
  P('x33', 'noscript breakout', `<noscript><p title="</noscript><img src=x onerror=${call('x33')}>">`),
  P('x34', 'form action javascript:', `<form action="javascript:${call('x34')}"><button>提交</button></form>`),
  P('x35', 'base href', `<base href="javascript:${call('x35')}//">`),
  P('x36', 'data: iframe', `<iframe src="data:text/html,<script>${call('x36', 'parent')}</script>"></iframe>`),
  P('x37', 'style @import', `<style>@import 'javascript:${call('x37').replace(/'/g, '"')}';</style>`),
  P('x38', 'marquee onstart', `<marquee onstart="${call('x38')}">跑马灯</marquee>`),
  P('x39', 'eval(atob)', `<img src=x onerror=eval(atob('${b64(call('x39'))}'))>`),
  P('x40', 'split script tag', `<scr<script>ipt>${call('x40')}</scr</script>ipt>`),
  P('x41', 'leading space javascript:', `<a href=" javascript:${call('x41')}">前导空格</a>`),
  P('x42', 'entity in handler', `<img src="x" onerror="&#119;indow.__xss('x42')">`),
  P('x43', 'svg/onload', `<svg/onload=${call('x43')}>`),
  P('x44', 'mixed Chinese', `城关镇拆迁补偿<img src=x onerror=${call('x44')}>群众反映强烈，“补偿款”去哪了？`),
  P('x45', 'select autofocus', `<select autofocus onfocus=${call('x45')}></select>`),
  P('x46', 'textarea autofocus', `<textarea autofocus onfocus=${call('x46')}></textarea>`),
  P('x47', 'uppercase SCRIPT', `<SCRIPT>${call('x47')}</SCRIPT>`),
  P('x48', 'button formaction', `<button formaction="javascript:${call('x48')}">按钮</button>`),
];

/** Hostile link targets (item, opinion and response URLs). */
export const XSS_URLS: readonly XssPayload[] = [
  P('u01', 'javascript: URL', `javascript:${call('u01')}`),
  P('u02', 'mixed-case javascript:', `JaVaScRiPt:${call('u02')}`),
  P('u03', 'entity-encoded javascript:', `&#106;avascript:${call('u03')}`),
  P('u04', 'tab and newline in javascript:', `java\tscr\nipt:${call('u04')}`),
  P('u05', 'data:text/html URL', `data:text/html,<script>${call('u05', 'opener')}</script>`),
  P('u06', 'vbscript: URL', `vbscript:msgbox("u06")`),
  P('u07', 'http URL breaking out of the attribute', `https://example.org/post?a="><img src=x onerror=${call('u07')}>`),
];

export const ALL_IDS: readonly string[] = [...XSS_PAYLOADS, ...XSS_URLS].map((p) => p.id);

/** Payloads in groups of `n` (one crawled post or one field each). */
export function chunks<T>(list: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += n) out.push(list.slice(i, i + n));
  return out;
}
