import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { charsetFromContentType, decodeBody, normaliseCharset } from './charset.js';
import { CORPUS_URL } from '../demo/corpus.js';

const CORPUS = CORPUS_URL;
const corpus = (name: string) => new Uint8Array(readFileSync(new URL(name, CORPUS)));
const enc = (text: string, charset: string) => new Uint8Array(iconv.encode(text, charset));
const concat = (...parts: Uint8Array[]) => new Uint8Array(parts.flatMap((p) => [...p]));

const ZH = '永济市城西片区棚户区改造补偿款迟迟未到位，住建局回应：本月底前拨付到位。';
const html = (head: string) => `<!DOCTYPE html><html><head>${head}<title>通报</title></head><body><p>${ZH}</p></body></html>`;

describe('decodeBody on real feeds', () => {
  it('decodes the GB2312 feed from its XML declaration', () => {
    const d = decodeBody({ bytes: corpus('encoding-gb2312.xml') });
    expect(d.charset).toBe('gb18030');
    expect(d.from).toBe('xml');
    expect(d.text.startsWith('<?xml version="1.0" encoding="gb2312"?>')).toBe(true);
    expect(/<item>\s*<title>([^<]*)<\/title>/.exec(d.text)?.[1]).toBe('习近平为何如此强调崇尚英雄？');
    expect(d.text).toContain('<title>新闻国内</title>');
    expect(d.text).not.toContain('\ufffd');
  });

  it('decodes the GB2312 feed even when the server calls it text/xml without a charset', () => {
    const d = decodeBody({ bytes: corpus('encoding-gb2312.xml'), contentType: 'text/xml' });
    expect(d.from).toBe('xml');
    expect(d.text).toContain('习近平为何如此强调崇尚英雄？');
  });

  it('decodes the ISO-8859-1 feed as windows-1252', () => {
    const d = decodeBody({ bytes: corpus('encoding.rss') });
    expect(d).toMatchObject({ charset: 'windows-1252', from: 'xml' });
    expect(d.text).toContain('<title>Jornal de Notícias - Últimas Notícias</title>');
  });
});

describe('decodeBody priorities', () => {
  it('uses the Content-Type charset for GBK HTML', () => {
    const d = decodeBody({ bytes: enc(html(''), 'gbk'), contentType: 'text/html; charset=GBK' });
    expect(d).toMatchObject({ charset: 'gb18030', from: 'header' });
    expect(d.text).toContain(ZH);
  });

  it.each([
    ['text/html;charset="gb2312"'],
    ["text/html; charset='x-gbk'"],
    ['text/html; Charset = cp936 ; q=1'],
    ['text/html; CHARSET=GB_2312-80'],
  ])('reads %s', (contentType) => {
    const d = decodeBody({ bytes: enc(html(''), 'gbk'), contentType });
    expect(d).toMatchObject({ charset: 'gb18030', from: 'header' });
    expect(d.text).toContain(ZH);
  });

  it.each([
    ['<meta charset="gb2312">'],
    ['<META CHARSET=GBK>'],
    ['<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />'],
    ["<META HTTP-EQUIV='content-type' CONTENT='text/html;charset=GBK'>"],
  ])('reads %s', (meta) => {
    const d = decodeBody({ bytes: enc(html(meta), 'gbk'), contentType: 'text/html' });
    expect(d).toMatchObject({ charset: 'gb18030', from: 'meta' });
    expect(d.text).toContain(ZH);
  });

  it('decodes Big5 and Big5-HKSCS', () => {
    const tw = '臺灣地區民眾反映：颱風過後停電，電力公司回應將儘速搶修。';
    const body = enc(`<html><head><meta charset="big5"></head><body>${tw}</body></html>`, 'big5');
    expect(decodeBody({ bytes: body })).toMatchObject({ charset: 'big5', from: 'meta' });
    expect(decodeBody({ bytes: body }).text).toContain(tw);
    const d = decodeBody({ bytes: enc(tw, 'big5hkscs'), contentType: 'text/plain; charset=Big5-HKSCS' });
    expect(d).toEqual({ text: tw, charset: 'big5', from: 'header' });
  });

  it('decodes UTF-16 with a BOM, strips the BOM, and lets the BOM beat the header', () => {
    const le = concat(new Uint8Array([0xff, 0xfe]), enc(ZH, 'utf-16le'));
    const be = concat(new Uint8Array([0xfe, 0xff]), enc(ZH, 'utf-16be'));
    expect(decodeBody({ bytes: le, contentType: 'text/html; charset=gbk' })).toEqual({ text: ZH, charset: 'utf-16le', from: 'bom' });
    expect(decodeBody({ bytes: be })).toEqual({ text: ZH, charset: 'utf-16be', from: 'bom' });
  });

  it('strips a UTF-8 BOM and lets it beat a meta that says otherwise', () => {
    const bytes = concat(new Uint8Array([0xef, 0xbb, 0xbf]), enc(html('<meta charset="gbk">'), 'utf-8'));
    const d = decodeBody({ bytes });
    expect(d).toMatchObject({ charset: 'utf-8', from: 'bom' });
    expect(d.text.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(d.text).toContain(ZH);
  });

  it('lets the admin override beat everything', () => {
    const bytes = enc(html('<meta charset="utf-8">'), 'gbk');
    const d = decodeBody({ bytes, contentType: 'text/html; charset=utf-8', override: ' GB2312 ' });
    expect(d).toMatchObject({ charset: 'gb18030', from: 'override' });
    expect(d.text).toContain(ZH);
    const withBom = concat(new Uint8Array([0xef, 0xbb, 0xbf]), enc('abc', 'utf-8'));
    expect(decodeBody({ bytes: withBom, override: 'windows-1252' })).toMatchObject({ charset: 'windows-1252', from: 'override' });
  });

  it('prefers the header over the XML declaration, and the XML declaration over <meta>', () => {
    // ASCII text: nothing in the bytes contradicts any of the labels.
    const xml = enc(`<?xml version='1.0' encoding='GBK'?><rss><channel><title>Notice</title><meta charset="big5"/></channel></rss>`, 'gbk');
    expect(decodeBody({ bytes: xml })).toMatchObject({ charset: 'gb18030', from: 'xml' });
    expect(decodeBody({ bytes: xml, contentType: 'application/rss+xml; charset=big5' })).toMatchObject({ charset: 'big5', from: 'header' });
  });

  it('reads a BOM-less UTF-16 XML document from its first bytes', () => {
    const doc = `<?xml version="1.0" encoding="UTF-16"?><rss><title>${ZH}</title></rss>`;
    expect(decodeBody({ bytes: enc(doc, 'utf-16le') })).toEqual({ text: doc, charset: 'utf-16le', from: 'xml' });
    expect(decodeBody({ bytes: enc(doc, 'utf-16be') })).toEqual({ text: doc, charset: 'utf-16be', from: 'xml' });
  });
});

describe('decodeBody with wrong or missing labels', () => {
  it('skips unknown labels and falls through to the next source', () => {
    const bytes = enc(html('<meta charset="gbk">'), 'gbk');
    expect(decodeBody({ bytes, contentType: 'text/html; charset=x-no-such-charset', override: 'nonsense' })).toMatchObject({ charset: 'gb18030', from: 'meta' });
  });

  it('falls back to UTF-8 when no label is usable', () => {
    const bytes = enc(html('<meta charset="klingon">'), 'utf-8');
    const d = decodeBody({ bytes, contentType: 'text/html; charset=' });
    expect(d).toMatchObject({ charset: 'utf-8', from: 'default' });
    expect(d.text).toContain(ZH);
  });

  it('reads a UTF-16 label inside an ASCII-compatible document as UTF-8', () => {
    const bytes = enc(html('<meta charset="utf-16">'), 'utf-8');
    expect(decodeBody({ bytes })).toMatchObject({ charset: 'utf-8', from: 'meta' });
    const xml = enc(`<?xml version="1.0" encoding="utf-16"?><a>${ZH}</a>`, 'utf-8');
    expect(decodeBody({ bytes: xml })).toMatchObject({ charset: 'utf-8', from: 'xml', text: `<?xml version="1.0" encoding="utf-16"?><a>${ZH}</a>` });
  });

  it('sniffs unlabelled GBK as GB18030', () => {
    const d = decodeBody({ bytes: enc(html(''), 'gbk'), contentType: 'text/html' });
    expect(d).toMatchObject({ charset: 'gb18030', from: 'default' });
    expect(d.text).toContain(ZH);
  });

  it('keeps UTF-8 when a stray invalid byte is all that is wrong', () => {
    const bytes = concat(enc(`<p>${ZH}</p>`, 'utf-8'), new Uint8Array([0xff]), enc('<p>ok</p>', 'utf-8'));
    const d = decodeBody({ bytes });
    expect(d).toMatchObject({ charset: 'utf-8', from: 'default' });
    expect(d.text).toBe(`<p>${ZH}</p>\ufffd<p>ok</p>`);
  });

  it('re-reads a body that plainly contradicts its label, and keeps a label on too little evidence', () => {
    const d = decodeBody({ bytes: enc(`<p>${ZH}</p>`, 'gbk'), contentType: 'text/html; charset=utf-8' });
    expect(d).toMatchObject({ charset: 'gb18030', from: 'sniff' });
    expect(d.text).toBe(`<p>${ZH}</p>`);
    const utf8 = decodeBody({ bytes: enc(html('<meta charset="gb2312">'), 'utf-8') });
    expect(utf8).toMatchObject({ charset: 'utf-8', from: 'sniff' });
    expect(utf8.text).toContain(ZH);
    const few = decodeBody({ bytes: enc('<p>通报</p>', 'gbk'), contentType: 'text/html; charset=utf-8' });
    expect(few).toMatchObject({ charset: 'utf-8', from: 'header' });
    expect(few.text).toContain('\ufffd');
    expect(few.text.startsWith('<p>')).toBe(true);
  });

  it('replaces bytes that are invalid in the declared charset', () => {
    const truncated = concat(enc('拆迁', 'gbk'), new Uint8Array([0xb2]));
    expect(decodeBody({ bytes: truncated, override: 'gbk' }).text).toBe('拆迁\ufffd');
    const badUtf8 = new Uint8Array([0x61, 0xe6, 0x8b, 0x62, 0xc0, 0xaf]);
    const d = decodeBody({ bytes: badUtf8, contentType: 'text/plain; charset=utf-8' });
    expect(d.text.startsWith('a')).toBe(true);
    expect(d.text).toContain('\ufffd');
    expect(d.text).toContain('b');
  });

  it('looks for <meta> only in the first 4 KB', () => {
    const bytes = enc(`<html><head><!--${'x'.repeat(5000)}--><meta charset="gbk"></head><body>abc</body></html>`, 'utf-8');
    expect(decodeBody({ bytes })).toMatchObject({ charset: 'utf-8', from: 'default' });
  });

  it('decodes an empty body', () => {
    expect(decodeBody({ bytes: new Uint8Array(0) })).toEqual({ text: '', charset: 'utf-8', from: 'default' });
  });

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'])('treats the hostile label %s as unknown', (label) => {
    const bytes = new TextEncoder().encode('清河');
    for (const d of [
      decodeBody({ bytes, contentType: `text/html; charset=${label}` }),
      decodeBody({ bytes, override: label }),
      decodeBody({ bytes: new TextEncoder().encode(`<meta charset="${label}">清河`) }),
    ]) {
      expect(d.text).toContain('清河');
      expect(d.charset).toBe('utf-8');
    }
  });

  it('never throws, whatever the bytes and labels', () => {
    const label = fc.oneof(fc.constantFrom('gbk', 'utf-8', 'big5', 'utf-16le', 'shift_jis', 'latin1', '', 'bogus', '"gb2312"'), fc.string());
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.option(label), fc.option(label), (bytes, header, override) => {
        const d = decodeBody({ bytes, contentType: header === null ? null : `text/html; charset=${header}`, override });
        expect(typeof d.text).toBe('string');
        expect(d.text.charCodeAt(0)).not.toBe(0xfeff);
      }),
      { numRuns: 500 },
    );
  });
});

describe('normaliseCharset / charsetFromContentType', () => {
  it.each([
    ['GBK', 'gb18030'],
    ['gb2312', 'gb18030'],
    ['x-gbk', 'gb18030'],
    ['CP936', 'gb18030'],
    ['gb_2312-80', 'gb18030'],
    ['GB18030', 'gb18030'],
    ['big5', 'big5'],
    ['Big5-HKSCS', 'big5'],
    ['UTF8', 'utf-8'],
    ['"utf-8"', 'utf-8'],
    ['ISO-8859-1', 'windows-1252'],
    ['Shift_JIS', 'shift_jis'],
    ['nonsense', null],
    ['', null],
    [null, null],
  ])('%s → %s', (label, expected) => {
    expect(normaliseCharset(label)).toBe(expected);
  });

  it('finds the charset parameter', () => {
    expect(charsetFromContentType('text/html; charset=GBK')).toBe('GBK');
    expect(charsetFromContentType('text/html;charset="utf-8";foo=bar')).toBe('utf-8');
    expect(charsetFromContentType('text/html')).toBeNull();
    expect(charsetFromContentType(null)).toBeNull();
  });
});
