import { describe, expect, it } from 'vitest';
import { entitiesConflict, eventFeatures, extractEntities, keywordOverlap, normaliseTitle, sameFrameOtherSubject, subjectsConflict, subjectsOf, titleSimilarity } from './event-features.js';
import { findSubjects } from './subjects.js';

describe('extractEntities', () => {
  it('finds towns, villages, estates, roads, schools and firms by their suffixes, without the words in front', () => {
    const e = extractEntities('关于龙山镇石桥村停水问题：住在锦绣花园小区的居民反映，督促安平县宏达建筑工程有限公司和人民路工地，安平县第二实验小学。');
    expect(e.town).toEqual(['龙山镇']);
    expect(e.village).toEqual(['石桥村', '锦绣花园小区']);
    expect(e.site).toEqual(['人民路', '第二实验小学']);
    expect(e.company).toEqual(['宏达']);
    expect(e.county).toEqual(['安平县']);
  });

  it('reads numbers with units and dates, and skips generic words (村民, 该村, 全村, 村委会)', () => {
    const e = extractEntities('12月5日，该村村民反映全村70户停水3天，村委会称损失约4.5万元。');
    expect(e.number).toEqual(['70户', '3天', '4.5万元']);
    expect(e.date).toEqual(['12-5']);
    expect(e.village).toEqual([]);
  });
});

describe('entitiesConflict', () => {
  const f = (t: string) => extractEntities(t);
  it('separates another town or village, another firm', () => {
    expect(entitiesConflict(f('龙山镇石桥村20多户居民反映'), f('城关镇东关村70户居民反映'))).toBe(true);
    expect(entitiesConflict(f('城关镇石桥村停水'), f('城关镇东关村停水'))).toBe(true);
    expect(entitiesConflict(f('宏达建筑公司欠薪'), f('鑫源建筑公司欠薪'))).toBe(true);
  });
  it('keeps a retelling that names less, or the same firm by a longer name', () => {
    expect(entitiesConflict(f('龙山镇石桥村停水'), f('龙山镇一村庄断水多日'))).toBe(false);
    expect(entitiesConflict(f('安平县宏达建筑工程有限公司'), f('宏达建筑公司'))).toBe(false);
  });
  it('lets numbers separate only items with no shared place and unlike titles', () => {
    expect(entitiesConflict(f('招聘社区工作者30名'), f('招聘社区工作者45名'))).toBe(true);
    expect(entitiesConflict(f('招聘社区工作者30名'), f('招聘社区工作者45名'), true)).toBe(false);
    expect(entitiesConflict(f('石桥村23户停水'), f('石桥村20户停水'))).toBe(false);
  });
});

describe('titles and keywords', () => {
  it('normalises repost marks and punctuation away', () => {
    expect(normaliseTitle('转：听说城西化工厂要爆炸了，是真的吗？')).toBe('听说城西化工厂要爆炸了是真的吗');
    expect(normaliseTitle('【转载】龙山镇停水')).toBe('龙山镇停水');
    expect(titleSimilarity('龙山镇停水', '龙山镇停水')).toBe(1);
    expect(titleSimilarity('龙山镇停水', '城关镇欠薪')).toBe(0);
  });

  it('extracts keywords without the 政务 stop words and weighs their overlap', () => {
    const a = eventFeatures('龙山镇石桥村停水一周', '龙山镇石桥村村民反映，自来水已经停了一周，水务公司说在抢修。', new Date());
    const b = eventFeatures('石桥村断水多日', '石桥村断水多日，村民排队接井水，自来水管道抢修仍未完成。', new Date());
    const c = eventFeatures('城关镇农民工讨薪', '农民工讨要工资被保安拦在门外，建筑公司拖欠工资三个月。', new Date());
    expect(a.keywords).not.toContain('反映');
    expect(a.keywords).not.toContain('村民');
    expect(keywordOverlap(a, b)).toBeGreaterThan(keywordOverlap(a, c));
    expect(keywordOverlap(a, c)).toBe(0);
  });

  it('tells a title cut from the same frame over another subject', () => {
    const at = new Date();
    const west = eventFeatures('听说城西化工厂要爆炸了，是真的吗', '好几个群都在传，说城西化工厂要爆炸了，让附近的人赶紧搬走。', at);
    const dam = eventFeatures('听说龙山镇水库要垮坝了，是真的吗', '好几个群都在传，说龙山镇水库要垮坝了，让附近的人赶紧搬走。', at);
    const retold = eventFeatures('城西化工厂爆炸？', '朋友圈疯传城西化工厂马上爆炸，说附近三公里都要疏散。', at);
    expect(sameFrameOtherSubject(west, dam)).toBe(true);
    expect(sameFrameOtherSubject(west, retold)).toBe(false);
  });

  it('never takes two headlines over the same village for two subjects', () => {
    const at = new Date();
    const body = '我们城关镇后营村有46户人家签了拆迁协议，补偿款签约后九十天内付清，现在早就过了期限。一家老小在外面租房住，每月房租1800元。';
    const a = eventFeatures('强烈投诉城关镇后营村棚户区改造征收补偿标准不公', body, at);
    const b = eventFeatures('城关镇后营村拆迁补偿款迟迟未到位，谁来管？', body, at);
    expect(titleSimilarity(a.title, b.title)).toBeGreaterThanOrEqual(0.3);
    expect(sameFrameOtherSubject(a, b)).toBe(false);
    // The same two headlines over different villages stay apart (by place, not by frame).
    const c = eventFeatures('城关镇东关村拆迁补偿款迟迟未到位，谁来管？', body.replace('后营村', '东关村'), at);
    expect(entitiesConflict(a.entities, c.entities)).toBe(true);
  });

  it('reads what an item is about, the title counting more than a passing mention', () => {
    expect(findSubjects('龙山镇石桥村拆迁补偿款迟迟未到位', '签了协议半年了，补偿款还没拿到。')).toEqual(['demolition']);
    expect(findSubjects('网传石桥村要停水三天？', '群里说明天开始停水，让大家储水。')).toEqual(['water']);
    // 城西化工厂 is a name: smell is pollution, the rumour is a hazard.
    expect(findSubjects('城西化工厂夜间排放刺鼻气味', '每晚十点后附近有刺鼻气味，居民不敢开窗。')).toEqual(['pollution']);
    expect(findSubjects('听说城西化工厂要爆炸了，是真的吗', '好几个群都在传，说要爆炸了。')).toEqual(['hazard']);
    // A passing mention (拆迁 once in the body) is not a second subject of a water complaint.
    expect(findSubjects('石桥村停水五天', '自来水停了五天，供水站说管网在抢修，和去年拆迁时一样没人管。')).toEqual(['water']);
    expect(findSubjects('石桥村村民的钱去哪了', '签了协议一年了。')).toEqual([]);
  });

  it('sets apart two subjects at one village, not an item that names none, nor one title copied', () => {
    const at = new Date();
    const demolition = eventFeatures('龙山镇石桥村拆迁补偿款迟迟未到位', '石桥村46户签了拆迁协议，补偿款还没拿到。', at);
    const water = eventFeatures('龙山镇石桥村自来水断供三天', '石桥村从周一起停水，至今没有通知何时恢复。', at);
    const vague = eventFeatures('龙山镇石桥村的事有人管吗', '石桥村的事拖了很久了。', at);
    expect(entitiesConflict(demolition.entities, water.entities)).toBe(false);
    expect(subjectsConflict(demolition, water)).toBe(true);
    expect(subjectsConflict(demolition, vague)).toBe(false);
    expect(subjectsConflict(demolition, { ...water, title: demolition.title })).toBe(false);
    // Features stored without subjects read them from title and keywords.
    const { subjects: _dropped, ...stored } = water;
    expect(subjectsOf(stored)).toContain('water');
    expect(subjectsConflict(demolition, stored)).toBe(true);
  });
});
