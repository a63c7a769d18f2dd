import { describe, expect, it } from 'vitest';
import { c1AsWindows1252, decodeLeftoverEntities, repairField, stripControls, undoMojibake } from './text-repair.js';

describe('text repair', () => {
  it('strips NUL and other C0 controls, keeping tab, newline and carriage return', () => {
    expect(stripControls('a\u0000b\u0007c\u001bd\te\nf\r\ng')).toBe('abcd\te\nf\r\ng');
  });

  it('reads C1 controls as windows-1252 and drops the five it leaves undefined', () => {
    expect(c1AsWindows1252('\u0093quoted\u0094 \u0096 wait\u0085 \u0080 \u0081x')).toBe('“quoted” – wait… € x');
  });

  it('turns UTF-8 read as windows-1252 back, only when the whole string is plainly that', () => {
    expect(undoMojibake('wait â€¦')).toBe('wait …');
    expect(undoMojibake('åŸŽå…³é•‡æ–½å·¥')).toBe('城关镇施工');
    // Latin-1 read as UTF-8 (â\u0080¦) is also UTF-8 read byte by byte.
    expect(undoMojibake('wait â\u0080¦')).toBe('wait …');
    for (const s of ['Café de Flore', 'naïve résumé', 'â la carte', '城关镇 â€¦', 'Ã and €', '']) expect(undoMojibake(s)).toBe(s);
  });

  it('repairs a raw field in order: controls, mojibake (whose bytes may be C1 controls), then C1', () => {
    // ” is E2 80 9D; 0x9D has no windows-1252 character, so a reader left U+009D in its place.
    expect(repairField('\u0000â€œok â€\u009d')).toBe('“ok ”');
    expect(repairField('\u0093ok\u0094 café')).toBe('“ok” café');
  });

  it('decodes entities that survived one decoding, and reads markup that reveals as text', () => {
    expect(decodeLeftoverEntities('停水&hellip;居民&ldquo;等了三天&rdquo;')).toBe('停水…居民“等了三天”');
    expect(decodeLeftoverEntities('a &amp;hellip; b')).toBe('a … b');
    expect(decodeLeftoverEntities('<p>东关村&mdash;停水</p>')).toBe('东关村—停水');
    expect(decodeLeftoverEntities('AT&T, 5 < 6 & 7 > 3')).toBe('AT&T, 5 < 6 & 7 > 3');
  });
});
