import { describe, expect, it } from 'vitest';
import { groupIntoStories, sameStory, storyText } from './stories.js';
import { simhash } from './simhash.js';
import { minhash, jaccard } from './minhash.js';

describe('storyText', () => {
  it('drops repost prefixes and credit lines', () => {
    expect(storyText('转：城关镇拆迁补偿', '转自清河新闻网：正文第一段。\n来源：清河日报\n责任编辑：张三')).toBe('城关镇拆迁补偿\n正文第一段。\n\n');
    expect(storyText('【转载】标题', '正文')).toBe('标题\n正文');
  });
});

const none = new Int32Array(0);
const fp = (h: bigint, m: Int32Array = none) => ({ simhash: h, minhash: m });

describe('groupIntoStories by SimHash', () => {
  it('joins an existing story within the distance, founds new stories otherwise, and groups within the batch', () => {
    const candidates = [{ id: '7', ...fp(0b1111n) }];
    const items = [fp(0b1110n), fp(0xffff_0000_0000_0000n), fp(0xffff_0000_0000_0001n)];
    const { assignments, founders } = groupIntoStories(items, candidates);
    expect(assignments[0]).toEqual({ kind: 'existing', storyId: '7' });
    expect(assignments[1]).toEqual({ kind: 'new', index: 0 });
    expect(assignments[2]).toEqual({ kind: 'new', index: 0 });
    expect(founders).toEqual([1]);
  });

  it('picks the nearest of several candidates and refuses one beyond the distance', () => {
    const candidates = [
      { id: 'far', ...fp(0b11111n) },
      { id: 'near', ...fp(0b1n) },
    ];
    expect(groupIntoStories([fp(0n)], candidates).assignments[0]).toEqual({ kind: 'existing', storyId: 'near' });
    expect(groupIntoStories([fp(0b111111n)], [{ id: 'x', ...fp(0n) }]).assignments[0]).toEqual({ kind: 'new', index: 0 });
  });
});

const BODY =
  '城关镇旧城改造项目拆迁补偿款迟迟未到位，多户居民反映已经等待半年。居民王先生说，房子去年就拆了，补偿协议也签了，可钱一直没有发下来，一家人只能租房住。记者联系了镇政府，工作人员表示正在核实情况，将尽快给出答复。';
const OTHER =
  '城关镇今年计划完成旧城改造项目二期工程，涉及居民三百余户。镇政府表示，补偿方案已经过听证，居民可到便民服务中心查询。工程将于明年春季开工，预计两年内完工，届时将新建学校一所、社区卫生服务站两处。';

describe('groupIntoStories by MinHash', () => {
  const item = (title: string, text: string) => {
    const t = storyText(title, text);
    return fp(simhash(t), minhash(t));
  };

  it('groups a repost with a framing line, an edit and an appended comment, which SimHash alone misses', () => {
    const original = item('城关镇拆迁补偿款迟迟未到位', BODY);
    const repost = item('转：城关镇拆迁补偿款迟迟未到位', `转自清河新闻网：${BODY.replace('半年', '六个月')}网友评论：希望尽快解决。`);
    expect(jaccard(original.minhash, repost.minhash)).toBeGreaterThanOrEqual(0.5);
    const { assignments } = groupIntoStories([repost], [{ id: 's', ...original }]);
    expect(assignments[0]).toEqual({ kind: 'existing', storyId: 's' });
  });

  it('keeps a different article on the same topic apart', () => {
    const a = item('城关镇拆迁补偿款迟迟未到位', BODY);
    const b = item('城关镇旧城改造二期明年开工', OTHER);
    expect(sameStory(a, b)).toBeNull();
    expect(groupIntoStories([b], [{ id: 's', ...a }]).assignments[0]).toEqual({ kind: 'new', index: 0 });
  });

  it('reposts with a different credit line land in the same story', () => {
    const body = '龙山镇多名农民工反映，某建筑工地拖欠工资已有三个月，涉及金额约四十万元。工人们多次找到项目负责人讨薪未果，希望有关部门介入处理。镇劳动保障所表示已经受理，正在联系施工单位核实。';
    const a = item('龙山镇农民工讨薪', `${body}\n来源：清河日报\n责任编辑：李明`);
    const b = item('转：龙山镇农民工讨薪', `转自清河论坛：${body}\n来源：网友投稿\n编辑：王芳`);
    expect(groupIntoStories([b], [{ id: 's', ...a }]).assignments[0]).toEqual({ kind: 'existing', storyId: 's' });
  });
});
