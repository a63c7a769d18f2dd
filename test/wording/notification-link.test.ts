import { describe, expect, it } from 'vitest';
import { splitTrailingLink } from '../../web/src/pages/notifications/NotificationsPage.js';

// An alert push is written for a text message and ends with its link; the 通知 screen shows the
// words and turns the link into a button (a path on this site, the whole address elsewhere).

describe('a notice title ending with a link', () => {
  const origin = 'http://127.0.0.1:3000';

  it('splits off a link to this site as a path', () => {
    expect(splitTrailingLink('【舆情预警】清河论坛：停水三天？（网传谣言·1 个来源）请及时研判 http://127.0.0.1:3000/desk?alert=73', origin)).toEqual({
      title: '【舆情预警】清河论坛：停水三天？（网传谣言·1 个来源）请及时研判',
      href: '/desk?alert=73',
    });
  });

  it('keeps a link elsewhere whole, and a title without a link as it is', () => {
    expect(splitTrailingLink('请查看 https://desk.example.gov.cn/desk?alert=5', origin)).toEqual({ title: '请查看', href: 'https://desk.example.gov.cn/desk?alert=5' });
    expect(splitTrailingLink('【交办】YQ-2026-0033 杨柳社区二次供水水压不足', origin)).toEqual({ title: '【交办】YQ-2026-0033 杨柳社区二次供水水压不足', href: null });
    expect(splitTrailingLink('网址 http://a.b/c 在中间', origin)).toEqual({ title: '网址 http://a.b/c 在中间', href: null });
  });
});
