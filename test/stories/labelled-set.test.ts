import { describe, expect, it } from 'vitest';
import { loadStorySet } from '../fixtures/stories/load.js';

// The labelled set is what `npm run bench -- stories` measures against: it must stay big and hard.

const set = loadStorySet();
const byStory = new Map<string, typeof set>();
for (const it of set) byStory.set(it.story, [...(byStory.get(it.story) ?? []), it]);

describe('the labelled story set', () => {
  it('holds at least 400 items in at least 120 stories', () => {
    expect(set.length).toBeGreaterThanOrEqual(400);
    expect(byStory.size).toBeGreaterThanOrEqual(120);
  });

  it('has reposts under framing lines and credit lines, and truncated excerpts', () => {
    expect(set.filter((i) => i.text.startsWith('我在论坛上看到这个帖子，情况属实')).length).toBeGreaterThan(3);
    expect(set.filter((i) => /\n(来源|转自|稿源|原文链接)：/.test(i.text)).length).toBeGreaterThan(30);
    expect(set.filter((i) => i.text.includes('……')).length).toBeGreaterThan(20);
  });

  it('has the same title over different stories, some of them months apart', () => {
    const storiesOfTitle = new Map<string, Set<string>>();
    for (const i of set) storiesOfTitle.set(i.title, (storiesOfTitle.get(i.title) ?? new Set()).add(i.story));
    const shared = [...storiesOfTitle.entries()].filter(([, s]) => s.size > 1);
    expect(shared.length).toBeGreaterThanOrEqual(3);
    const notice = set.filter((i) => i.title === '关于计划停电的通知' && i.kind === 'notice');
    const months = notice.map((i) => i.published.getTime()).sort((a, b) => a - b);
    expect(months.length).toBeGreaterThanOrEqual(4);
    expect(months[1] - months[0]).toBeGreaterThan(45 * 86_400_000);
  });

  it('tells most stories in more than one voice (post, letter, news, reply)', () => {
    const voices = [...byStory.values()].filter((items) => new Set(items.map((i) => i.kind)).size >= 2);
    expect(voices.length / byStory.size).toBeGreaterThan(0.7);
  });
});
