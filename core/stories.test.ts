import { describe, expect, it } from 'vitest';
import { groupIntoStories, storyText } from './stories.js';
import { simhash } from './simhash.js';

describe('storyText', () => {
  it('drops repost prefixes and credit lines', () => {
    expect(storyText('转：城关镇拆迁补偿', '转自清河新闻网：正文第一段。\n来源：清河日报\n责任编辑：张三')).toBe('城关镇拆迁补偿\n正文第一段。\n\n');
    expect(storyText('【转载】标题', '正文')).toBe('标题\n正文');
  });
});

describe('groupIntoStories', () => {
  const h = (n: bigint) => n;
  it('joins an existing story within the distance, founds new stories otherwise, and groups within the batch', () => {
    const candidates = [{ id: '7', simhash: h(0b1111n) }];
    const items = [{ simhash: h(0b1110n) }, { simhash: h(0xffff_0000_0000_0000n) }, { simhash: h(0xffff_0000_0000_0001n) }];
    const { assignments, founders } = groupIntoStories(items, candidates, 3);
    expect(assignments[0]).toEqual({ kind: 'existing', storyId: '7' });
    expect(assignments[1]).toEqual({ kind: 'new', index: 0 });
    expect(assignments[2]).toEqual({ kind: 'new', index: 0 });
    expect(founders).toEqual([1]);
  });

  it('picks the nearest of several candidates', () => {
    const candidates = [
      { id: 'far', simhash: h(0b111n) },
      { id: 'near', simhash: h(0b1n) },
    ];
    const { assignments } = groupIntoStories([{ simhash: h(0n) }], candidates, 3);
    expect(assignments[0]).toEqual({ kind: 'existing', storyId: 'near' });
  });

  it('reposts with a different credit line land in the same story', () => {
    const body = '龙山镇多名农民工反映，某建筑工地拖欠工资已有三个月，涉及金额约四十万元。工人们多次找到项目负责人讨薪未果，希望有关部门介入处理。镇劳动保障所表示已经受理，正在联系施工单位核实。';
    const a = simhash(storyText('龙山镇农民工讨薪', `${body}\n来源：清河日报\n责任编辑：李明`));
    const b = simhash(storyText('转：龙山镇农民工讨薪', `转自清河论坛：${body}\n来源：网友投稿\n编辑：王芳`));
    const { assignments } = groupIntoStories([{ simhash: b }], [{ id: 's', simhash: a }], 5);
    expect(assignments[0]).toEqual({ kind: 'existing', storyId: 's' });
  });
});
