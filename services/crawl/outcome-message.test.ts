import { describe, expect, it } from 'vitest';
import { inLanguage } from '../../core/bilingual.js';
import { successMessage } from './crawl-source.js';

// A crawl's outcome is stored in both languages and shown in the reader's only: the Chinese screen
// never reads "30 entries, 0 new".

describe('the outcome message of a successful crawl', () => {
  it('is written in both languages and split per reader', () => {
    const m = successMessage(30, 30, 0, null);
    expect(inLanguage(m, 'zh')).toBe('共 30 条，新增 0 条');
    expect(inLanguage(m, 'en')).toBe('30 entries, 0 new');
  });

  it('says when only the first entries were kept and when the feed was read leniently', () => {
    const m = successMessage(900, 500, 12, { zh: '格式有误，已容错读取', en: 'Malformed feed, read leniently' });
    expect(inLanguage(m, 'zh')).toBe('格式有误，已容错读取；共 900 条（仅保留前 500 条），新增 12 条');
    expect(inLanguage(m, 'en')).toBe('Malformed feed, read leniently; 900 entries (only the first 500 kept), 12 new');
    expect(inLanguage(m, 'zh')).not.toMatch(/[A-Za-z]/);
  });

  it('leaves a message in one language as it is', () => {
    expect(inLanguage('Timed out after 20000 ms', 'zh')).toBe('Timed out after 20000 ms');
    expect(inLanguage('返回的不是 JSON', 'en')).toBe('返回的不是 JSON');
  });
});
