import { describe, expect, it } from 'vitest';
import { eventsApart, groupIntoStories, itemsApart, sameStory, storyText } from './stories.js';
import { eventFeatures } from './event-features.js';
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

describe('groupIntoStories by event (features)', () => {
  const at = (iso: string) => new Date(iso);
  const item = (title: string, text: string, published = at('2026-12-05T02:00:00Z')) => {
    const t = storyText(title, text);
    return { simhash: simhash(t), minhash: minhash(t), features: eventFeatures(title, text, published) };
  };
  const joins = (a: ReturnType<typeof item>, b: ReturnType<typeof item>) =>
    groupIntoStories([b], [{ id: 's', ...a }]).assignments[0].kind === 'existing';

  const POST = '龙山镇石桥村二十多户村民反映，村里的自来水从12月1日起停了，到今天已经五天。老人孩子只能去几里外挑水，打了水务公司电话说在抢修，一直不见人来。';

  it('joins a 领导信箱 letter that quotes a forum post under a framing line', () => {
    const post = item('龙山镇石桥村停水五天没人管', POST);
    const letter = item('请关注：石桥村停水问题', `我在论坛上看到这个帖子，情况属实，特向市长反映：${POST}恳请领导督促尽快恢复供水。`);
    expect(joins(post, letter)).toBe(true);
  });

  it('joins two posts under the same rumour title written in other words', () => {
    const a = item('听说城西化工厂要爆炸了，是真的吗', '今天好几个群都在传，说城西化工厂要爆炸了，让附近的人赶紧搬走，有没有知道内情的？');
    const b = item('听说城西化工厂要爆炸了，是真的吗', '我表姐就在城西化工厂旁边上班，她们单位也在议论爆炸的事，人心惶惶，到底有没有这回事？');
    expect(sameStory(a, b)).toBeNull();
    expect(joins(a, b)).toBe(true);
  });

  it('joins a news write-up and the bureau 答复 that name the same village', () => {
    const post = item('龙山镇石桥村停水五天没人管', POST);
    const reply = item(
      '关于网民反映石桥村停水问题的答复',
      '您反映的龙山镇石桥村停水问题已收悉。经核实，该村供水主管道老化破裂，导致村民用水中断。目前水务公司已完成管道更换，石桥村已恢复正常供水。',
    );
    expect(joins(post, reply)).toBe(true);
  });

  it('keeps complaints from 龙山镇石桥村 and 城关镇东关村 apart, though written from one template', () => {
    const a = item('村里停水好几天了，有人管吗', '龙山镇石桥村20户村民反映，自来水停了五天，老人孩子只能去井里挑水，水务公司说在抢修。');
    const b = item('村里停水好几天了，有人管吗', '城关镇东关村70户村民反映，自来水停了五天，老人孩子只能去井里挑水，水务公司说在抢修。');
    expect(sameStory(a, b)).not.toBeNull();
    expect(joins(a, b)).toBe(false);
  });

  it('keeps the same headline over another building site and company apart', () => {
    const a = item('农民工讨薪无门', '我们在锦绣花园小区工地干活，宏达建筑工程有限公司拖欠30名工人工资45万元，多次讨要无果。');
    const b = item('农民工讨薪无门', '我们在滨河小区工地干活，鑫源建筑工程有限公司拖欠30名工人工资45万元，多次讨要无果。');
    expect(joins(a, b)).toBe(false);
  });

  it('keeps the same notice months apart in two stories, though the text is a near-copy', () => {
    const text = '为进一步严明纪律，现将近期查处的三起酒驾醉驾典型问题通报如下：县农业农村局干部王某某醉酒驾驶机动车，受到党内严重警告处分。';
    const spring = item('安平县纪委监委通报三起酒驾醉驾典型问题', text, at('2026-03-02T02:00:00Z'));
    const autumn = item('安平县纪委监委通报三起酒驾醉驾典型问题', text.replace('王某某', '李某某'), at('2026-09-14T02:00:00Z'));
    expect(sameStory(spring, autumn)).not.toBeNull();
    expect(joins(spring, autumn)).toBe(false);
    expect(eventsApart(spring.features, autumn.features)).toBe(true);
  });

  it('refuses a story when any member found as a candidate names another village', () => {
    const vague = item('龙山镇停水五天', '龙山镇一个村自来水停了五天，水务公司说在抢修管道。');
    const shiqiao = item('龙山镇石桥村停水', '龙山镇石桥村自来水停了五天，水务公司说在抢修管道。');
    const dongguan = item('龙山镇东关村停水', '龙山镇东关村自来水停了五天，水务公司说在抢修管道。');
    expect(groupIntoStories([dongguan], [{ id: 'x', ...vague }]).assignments[0]).toEqual({ kind: 'existing', storyId: 'x' });
    const { assignments } = groupIntoStories([dongguan], [
      { id: 'x', ...vague },
      { id: 'x', ...shiqiao },
    ]);
    expect(assignments[0]).toEqual({ kind: 'new', index: 0 });
  });

  const DEMOLITION = item('龙山镇石桥村拆迁补偿款迟迟未到位，谁来管？', '我是龙山镇石桥村的村民，去年签了拆迁协议，全村46户的补偿款到现在还没拿到，租房的钱都快付不起了。');
  const RUMOUR = item('网传龙山镇石桥村要停水三天？', '今天家族群里有人转发消息，说龙山镇石桥村明天开始停水三天，让大家赶紧储水，是真的吗？');

  it('keeps 拆迁 and 停水 at one village in two stories, while each subject still joins its own retellings', () => {
    expect(eventsApart(DEMOLITION.features, RUMOUR.features)).toBe(false);
    expect(itemsApart(DEMOLITION, RUMOUR)).toBe(true);
    expect(joins(DEMOLITION, RUMOUR)).toBe(false);
    const letter = item('关于石桥村拆迁补偿款未按期发放的反映', '尊敬的县长：您好！龙山镇石桥村46户拆迁户签约已满半年，征收补偿款至今未发放。恳请领导督促尽快兑付。');
    expect(joins(DEMOLITION, letter)).toBe(true);
    expect(joins(RUMOUR, item('龙山镇石桥村停水五天没人管', POST))).toBe(true);
  });

  it('does not chain two subjects through a third item at the same village', () => {
    const road = item('龙山镇石桥村道路破损严重，雨天无法通行', '石桥村村口到小学的道路坑洼积水，孩子上学只能绕行，希望尽快修复。');
    const { assignments } = groupIntoStories([DEMOLITION, road, RUMOUR], []);
    expect(new Set(assignments.map((a) => (a.kind === 'new' ? a.index : a.storyId))).size).toBe(3);
  });

  it('still joins a near-copy whose subject words were cut, and an item naming no subject', () => {
    const copy = item('转：龙山镇石桥村拆迁补偿款迟迟未到位，谁来管？', '我是龙山镇石桥村的村民，去年签了协议，全村46户的钱到现在还没拿到，租房的钱都快付不起了。');
    expect(sameStory(DEMOLITION, copy)).not.toBeNull();
    expect(joins(DEMOLITION, copy)).toBe(true);
    const vague = item('龙山镇石桥村46户村民的钱去哪了', '我是龙山镇石桥村的村民，去年签了协议，全村46户到现在还没拿到钱，租房的钱都快付不起了，谁来管？');
    expect(vague.features.subjects).toEqual([]);
    expect(itemsApart(DEMOLITION, vague)).toBe(false);
  });
});
