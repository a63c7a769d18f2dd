import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { htmlToText, sanitizeHtml } from './html.js';

describe('htmlToText', () => {
  it('turns paragraphs and line breaks into single newlines', () => {
    expect(htmlToText('<p>第一段</p>\n\n<p>第二段<br>换行<br/><br/>再换行</p><div><div>嵌套</div></div>')).toBe('第一段\n第二段\n换行\n再换行\n嵌套');
  });

  it('drops scripts, styles and other non-text elements with their content', () => {
    const html =
      '<p>正文</p><script>var x = "<p>不是正文</p>";</script><style>p { color: red }</style><noscript>请启用脚本</noscript>' +
      '<iframe src="https://ads.example.com">广告</iframe><template><p>模板</p></template><!-- 注释 --><p>结尾</p>';
    expect(htmlToText(html)).toBe('正文\n结尾');
  });

  it('decodes entities', () => {
    expect(htmlToText('<p>&lt;通知&gt; &amp; &quot;公告&quot; &#39;x&#39; &#x6c38;&#27982; &copy; &hellip;</p>')).toBe('<通知> & "公告" \'x\' 永济 © …');
  });

  it('collapses whitespace, including no-break and ideographic spaces used as indentation', () => {
    expect(htmlToText('<p>&nbsp;&nbsp;&nbsp;&nbsp;记者   从\n   住建局\t了解到</p><p>\u3000\u3000该项目共涉及住户326户。</p>')).toBe('记者 从 住建局 了解到\n该项目共涉及住户326户。');
  });

  it('keeps inline elements inline', () => {
    expect(htmlToText('<p>市<b>住建局</b>回应：<a href="/x">详情</a><span>见</span>附件</p>')).toBe('市住建局回应：详情见附件');
  });

  it('puts table rows and list items on their own lines', () => {
    expect(htmlToText('<table><tr><th>单位</th><th>件数</th></tr><tr><td>住建局</td><td>12</td></tr></table><ul><li>一</li><li>二</li></ul>')).toBe(
      '单位 件数\n住建局 12\n一\n二',
    );
  });

  it('reads a whole document without its head', () => {
    expect(htmlToText('<!DOCTYPE html><html><head><title>页面标题</title><meta charset="utf-8"></head><body><h1>标题</h1><p>内容</p></body></html>')).toBe('标题\n内容');
  });

  it('passes plain text through, decoding entities and keeping its lines', () => {
    expect(htmlToText('永济市拆迁补偿款迟迟未到位')).toBe('永济市拆迁补偿款迟迟未到位');
    expect(htmlToText('热力公司 &amp; 物业')).toBe('热力公司 & 物业');
    expect(htmlToText('第一行\r\n\r\n  第二行  \n第三行 x < y')).toBe('第一行\n第二行\n第三行 x < y');
  });

  it('returns an empty string for nothing', () => {
    expect(htmlToText('')).toBe('');
    expect(htmlToText('<p> </p><br><script>x</script>')).toBe('');
  });
});

const HOSTILE = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=https://evil.example/x.js></SCRIPT>',
  '<scr<script>ipt>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<img src="https://ok.example/a.png" onerror="alert(1)" onload="alert(2)">',
  '<a href="javascript:alert(1)">x</a>',
  '<a href="JaVaScRiPt:alert(1)">x</a>',
  '<a href="jav&#x61;script:alert(1)">x</a>',
  '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
  '<a href="javascript&colon;alert(1)">x</a>',
  '<a href="java\tscript:alert(1)">x</a>',
  '<a href=" javascript:alert(1)">x</a>',
  '<a href="vbscript:msgbox(1)">x</a>',
  '<svg onload=alert(1)><circle r="1"/></svg>',
  '<svg><script>alert(1)</script></svg>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<iframe src="https://evil.example"></iframe>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<style>body { background: url(javascript:alert(1)) }</style>',
  '<p style="background:url(javascript:alert(1))">styled</p>',
  '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
  '<object data="https://evil.example/x.swf"></object><embed src="https://evil.example/x.swf">',
  '<form action="https://evil.example"><input name="password"><button formaction="javascript:alert(1)">go</button></form>',
  '<body onload=alert(1)>',
  '<div onmouseover="alert(1)">hover</div>',
  '<a href="https://ok.example/" onclick="alert(1)" target="_blank">ok</a>',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<base href="javascript:alert(1)//">',
  '<link rel="stylesheet" href="https://evil.example/x.css">',
  '<details open ontoggle=alert(1)>',
  '<!--<img src="--><img src=x onerror=alert(1)//">',
  '<a href="https://ok.example/?q=javascript:alert(1)">q</a>',
  'text that says onclick=alert(1) and javascript:void(0)',
];

const FORBIDDEN = [/<script/i, /\son\w+\s*=/i, /javascript:/i, /vbscript:/i, /<iframe/i, /<svg/i, /<style/i, /<object/i, /<embed/i, /<form/i, /<meta/i, /<base/i, /(href|src)\s*=\s*["']?\s*data:/i, /style\s*=/i];

describe('sanitizeHtml', () => {
  it.each(HOSTILE)('neutralises %s', (html) => {
    const out = sanitizeHtml(html);
    for (const re of FORBIDDEN) expect(out).not.toMatch(re);
  });

  it('keeps the conservative set of formatting', () => {
    const html =
      '<h2>通报</h2><p>市<strong>住建局</strong>回应：<em>本月底</em>前<b>拨付</b>到位。<br />详见<i>附件</i>。</p>' +
      '<ul><li>一</li></ul><ol><li>二</li></ol><blockquote>引用</blockquote>' +
      '<table><thead><tr><th colspan="2">表</th></tr></thead><tbody><tr><td>a</td><td>b</td></tr></tbody></table>';
    expect(sanitizeHtml(html)).toBe(html);
  });

  it('keeps http(s) and mailto links, adding rel', () => {
    expect(sanitizeHtml('<a href="https://www.gov.cn/zhengce/" title="政策">政策</a>')).toBe(
      '<a rel="noopener noreferrer nofollow" href="https://www.gov.cn/zhengce/" title="政策">政策</a>',
    );
    expect(sanitizeHtml('<a href="mailto:xinfang@example.gov.cn">信箱</a>')).toBe(
      '<a rel="noopener noreferrer nofollow" href="mailto:xinfang@example.gov.cn">信箱</a>',
    );
    expect(sanitizeHtml('<a href="https://ok.example/" rel="opener" target="_blank" onclick="x()">ok</a>')).toBe(
      '<a rel="noopener noreferrer nofollow" href="https://ok.example/">ok</a>',
    );
  });

  it('keeps images with http(s) sources only', () => {
    expect(sanitizeHtml('<img src="https://img.example.cn/a.jpg" alt="现场" onerror="x">')).toBe('<img alt="现场" src="https://img.example.cn/a.jpg" />');
    expect(sanitizeHtml('<p>前<img src="data:image/png;base64,AAAA">后</p>')).toBe('<p>前后</p>');
    expect(sanitizeHtml('<img src="ftp://example.com/a.jpg">')).toBe('');
  });

  it('resolves relative URLs against a base, and drops them without one', () => {
    expect(sanitizeHtml('<a href="../2024/0501.html">详情</a><img src="/img/a.jpg">', 'https://www.yongji.gov.cn/xwdt/list.html')).toBe(
      '<a rel="noopener noreferrer nofollow" href="https://www.yongji.gov.cn/2024/0501.html">详情</a><img src="https://www.yongji.gov.cn/img/a.jpg" />',
    );
    expect(sanitizeHtml('<a href="/x">详情</a><img src="/img/a.jpg">')).toBe('<a rel="noopener noreferrer nofollow">详情</a>');
    expect(sanitizeHtml('<a href="javascript:alert(1)">x</a>', 'https://www.yongji.gov.cn/')).toBe('<a rel="noopener noreferrer nofollow">x</a>');
  });

  it('drops disallowed wrappers but keeps their text', () => {
    expect(sanitizeHtml('<div class="x"><span style="color:red">正文</span><font color="red">文字</font></div>')).toBe('正文文字');
  });

  it('escapes text and keeps what the reader sees', () => {
    expect(sanitizeHtml('a < b & c > d')).toBe('a &lt; b &amp; c &gt; d');
    expect(sanitizeHtml('<p>讲解 javascript: 协议</p>')).toBe('<p>讲解 javascript&#58; 协议</p>');
  });

  it('never outputs a script tag, an event handler or a javascript: URL, whatever the input', () => {
    const piece = fc.oneof(
      fc.constantFrom(...HOSTILE),
      fc.constantFrom('<a href="', '<img src=', '"', "'", '>', '<', '/', ' on', 'load=', 'error=', 'click', '=', 'java', 'script', ':', '&#x61;', '&colon;', '&#58;', '\t', '\n', '<p>', '</p>', '<svg', '<script', '</script>', 'data:', 'alert(1)', '<!--', '-->', '<![CDATA[', ']]>'),
      fc.string({ maxLength: 12 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 25 }), (pieces) => {
        const out = sanitizeHtml(pieces.join(''));
        expect(out).not.toMatch(/<script/i);
        expect(out).not.toMatch(/ on\w+=/i);
        expect(out).not.toMatch(/javascript:/i);
      }),
      { numRuns: 3000 },
    );
  });
});
