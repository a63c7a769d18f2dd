import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BAND_BITS,
  BAND_COUNT,
  NEAR_DUPLICATE_DISTANCE,
  bands,
  bandsOfHalves,
  fromPgBigint,
  hamming,
  popcount32,
  simhash,
  toPgBigint,
} from './simhash.js';

// Hand-written news paragraphs in the style of local 政务舆情 reports: four stories, each with
// two distinct articles on the same topic (another outlet, or another incident of the same kind).
const BASE: Record<string, string> = {
  demolition:
    '近日，有网民在本地论坛发帖反映，永济市城西片区棚户区改造项目中，部分居民的拆迁补偿款迟迟未能到位，个别住户反映补偿标准与公示方案不一致。帖子发出后引发大量网民关注和转发。记者从永济市住房和城乡建设局了解到，该项目共涉及住户326户，目前已签订补偿协议的有291户，补偿资金已拨付约八成。对于网民反映的补偿标准问题，住建局工作人员表示，项目严格按照2023年公布的征收补偿方案执行，评估由具有资质的第三方机构完成，住户如对评估结果有异议，可以在收到评估报告之日起十日内申请复核。针对资金拨付进度，市财政局表示剩余款项将于本月底前分批拨付到位，并将通过政务网站公开拨付进度，接受群众监督。城西街道办事处也已设立专门接待窗口，安排工作人员逐户上门解释政策，听取居民意见建议。',
  heating:
    '入冬以来，运城市盐湖区多个小区居民通过12345政务服务热线反映家中暖气不热，室内温度长期低于18摄氏度，老人和孩子只能开电暖器取暖。家住康馨苑小区的李女士说，她家卧室的温度白天只有15度左右，夜里更低，多次向物业和热力公司反映都没有得到解决。对此，市城市管理局回应称，今年供暖季开始后，部分老旧小区由于管网老化、单元阀门堵塞等原因出现了供热不均的情况。目前，供热企业已经组织了30多个维修小组，对投诉集中的小区逐一排查，已经完成管网冲洗和阀门更换120余处。城市管理局同时表示，对于室温不达标的用户，将按照相关规定核减供暖费用，并将把整改情况纳入供热企业年度考核，对整改不力的企业依法依规处理。',
  canteen:
    '9月12日，有家长在短视频平台发布视频称，某县第二实验小学食堂提供的午餐中出现发霉的馒头，部分学生食用后出现腹痛症状。视频迅速传播，引发社会广泛关注。当天晚上，县教育局和县市场监督管理局联合发布情况通报称，接到反映后，两部门立即成立联合调查组进驻学校，对食堂留样食品、原材料和加工环境进行抽样检测，同时安排医护人员对出现不适症状的11名学生进行检查，目前学生身体状况均无大碍，已正常上课。通报表示，涉事食堂由一家餐饮公司承包经营，县教育局已责令学校暂停该公司的供餐服务，改由学校自营食堂过渡供餐。调查结果将及时向社会公布，对于存在失职渎职行为的相关人员将严肃追责问责。',
  flood:
    '7月20日下午，一场突如其来的强降雨袭击城区，短时间内降雨量超过80毫米，解放路、中山路等多条主干道出现严重积水，部分路段积水深度超过半米，多辆私家车在积水中熄火，交通一度陷入瘫痪。有市民在网上质疑，城区排水系统去年刚刚完成改造，为何仍然出现大面积内涝。市住建局当晚回应称，此次降雨强度远超城区排水管网的设计标准，属于极端天气。事发后，市防汛指挥部立即启动四级应急响应，调集抽排水设备60余台套，组织救援人员300余人赶赴积水点开展排涝和疏导工作。截至当晚十点，主城区积水已基本排除，交通恢复正常，未造成人员伤亡。住建局表示，下一步将对排水设施运行情况进行全面评估，并加快推进雨污分流和海绵城市建设。',
};

// Distinct articles on the same topics (different outlets / different incidents).
const SAME_TOPIC: Record<string, string[]> = {
  demolition: [
    '永济市人民政府新闻办公室昨日发布通报，针对网民反映的城西片区棚户区改造补偿款拨付缓慢问题，市政府已责成住建、财政、自然资源等部门成立联合工作组，逐户核查补偿协议签订和资金发放情况。通报称，经初步核查，项目补偿资金总额约1.8亿元，已发放1.4亿元，未发放部分主要涉及产权存在争议和部分住户尚未完成交房手续的情况。工作组将在十五个工作日内完成全部核查工作，对于符合条件的住户，确保补偿款足额发放到位；对于存在争议的，将依法通过调解、复核等途径妥善解决。通报同时公布了监督举报电话，欢迎群众对补偿工作中的违规行为进行举报。',
    '蒲州镇东关村村民近日向记者反映，村里因修建农村公路需要占用部分耕地和宅基地，但镇政府给出的补偿方案明显低于周边地区，村民对此意见很大。村民张先生说，他家被占用了两亩多耕地，按照方案每亩只补偿三万元，而邻县同类项目的补偿标准接近每亩五万元。对此，蒲州镇政府工作人员表示，补偿标准是依据省里公布的区片综合地价确定的，并不存在压低补偿的问题，但镇里愿意组织召开村民代表座谈会，把政策讲清楚，听取村民合理诉求。当地自然资源部门也表示，将对补偿方案的测算依据进行复核，并在村务公开栏进行公示。',
  ],
  heating: [
    '近日，有网民在留言板反映，盐湖区某小区供暖期间多次出现停暖情况，每次停暖时间长达数小时，且热力公司没有提前通知。对此，运城市热力有限公司回复称，停暖是由于该小区所在片区的一次管网发生泄漏，为了保障整个片区的供热安全，不得不紧急关阀抢修。公司已经加派人手连夜抢修，并将在今后的抢修工作中通过短信、小区公告等方式及时告知用户。公司同时提醒广大用户，如遇暖气不热、漏水等问题，可拨打24小时服务热线报修，公司承诺接到报修后两小时内上门处理。城市管理局表示将督促热力公司加强管网巡检，减少突发停暖对群众生活的影响。',
    '为切实做好今冬供暖保障工作，运城市城市管理局近日召开全市供热工作推进会，要求各供热企业在11月15日前完成所有供热设施的检修和试运行，确保按时供暖、稳定供暖。会议指出，去年供暖季全市共受理供热投诉两千余件，主要集中在老旧小区暖气不热和新建小区热源不足等方面。今年，全市计划改造老旧供热管网50公里，新增供热面积300万平方米。会议要求，各企业要建立投诉快速处理机制，对群众反映的问题做到当日受理、当日回复，对于因企业原因导致室温不达标的，要主动退还相应供暖费用。',
  ],
  canteen: [
    '近日，某市第一中学学生家长反映，学校食堂饭菜价格偏高、分量偏少，部分菜品口味较差，学生不得不到校外购买食品。对此，市教育局高度重视，组织工作人员到学校进行了实地调查。经查，该校食堂由学校自主经营，菜品价格经过学校膳食委员会讨论确定，但确实存在部分菜品分量不足、花色品种较少的问题。教育局已要求学校立即整改，增加菜品种类，合理调整价格，并邀请家长代表参与食堂的日常监督。教育局同时表示，将在全市中小学开展食堂管理专项检查，重点检查食品原料采购、索证索票、从业人员健康证明等情况，切实保障师生饮食安全。',
    '县市场监督管理局近日对全县中小学校和幼儿园食堂开展了秋季开学食品安全专项检查，共检查学校食堂68家，发现问题隐患23处，已全部责令整改到位。检查中发现，个别学校食堂存在食品留样不规范、餐具消毒记录不完整、从业人员健康证过期等问题。检查人员现场指导学校完善了相关制度，对两家问题较多的食堂下达了责令改正通知书。县市场监管局表示，将建立学校食堂食品安全常态化检查机制，推进明厨亮灶建设，让家长通过手机就能实时看到后厨操作情况，同时畅通投诉举报渠道，对群众反映的学校食品安全问题第一时间处理。',
  ],
  flood: [
    '受持续强降雨影响，7月21日凌晨，城区东部的新华小区地下车库发生倒灌，数十辆车辆被淹。小区业主在业主群里反映，物业公司事先没有采取任何防范措施，挡水板也没有及时安装，导致损失扩大。对此，区住建局回应称，已经责成物业公司全力组织排水，并协助业主联系保险公司进行定损理赔。住建局还表示，将对辖区内所有小区地下车库的防汛设施进行排查，督促物业企业落实防汛责任，完善应急预案，对因物业公司失职造成业主损失的，将依法依规追究相关责任。业主们表示希望物业公司能够给出合理的赔偿方案。',
    '市气象台7月19日发布暴雨橙色预警信号，预计未来24小时内我市大部分地区将出现暴雨，局部地区有大暴雨，并伴有雷电和短时大风。市防汛抗旱指挥部随即发出通知，要求各县区和有关部门立即进入临战状态，加强值班值守，严格执行领导带班和24小时值班制度。通知要求，要重点做好城市内涝、山洪地质灾害、中小河流洪水的防范工作，提前转移危险区域群众，对地下商场、地下车库、下穿隧道等易积水区域加强巡查，必要时采取封闭措施。市民出行请注意避开积水路段，遇到险情及时拨打救援电话。',
  ],
};

const ADDED_SENTENCE: Record<string, string> = {
  demolition: '有居民告诉记者，他们最希望的是相关部门尽快公布时间表，让大家心里有底。',
  heating: '李女士表示，希望热力公司能够尽快把问题解决，让老人孩子过个暖和的冬天。',
  canteen: '不少家长在评论区留言，希望学校能够公开食堂的进货渠道和检测报告。',
  flood: '不少市民在社交媒体上发布了车辆被困的视频，呼吁有关部门尽快排查隐患。',
};

const FOOTERS = [
  '（来源：运城日报 责任编辑：王敏）',
  '本文转载自“永济发布”微信公众号，版权归原作者所有，如有侵权请联系删除。',
  '【责任编辑：张晓明】 点击关注我们，获取更多本地新闻。',
];

// Second and third paragraphs continuing each BASE article (a full-length report).
const CONTINUATION: Record<string, string> = {
  demolition:
    '据了解，城西片区棚户区改造项目于去年正式启动，是今年全市重点民生工程之一，计划建设安置住房1200余套，配套建设幼儿园、社区服务中心和农贸市场。项目完成后，将彻底改变该片区房屋老旧、道路狭窄、排水不畅的面貌。不少已经签约的居民表示，支持政府推进改造，只是希望补偿款能够按时足额发放，安置房能够早日交付。针对部分居民担心的安置房质量问题，住建局表示，安置房建设严格执行工程质量终身责任制，邀请居民代表担任义务监督员，定期组织居民代表到施工现场参观。市纪委监委也表示，将对棚户区改造中的资金使用情况开展专项监督检查，对于截留、挪用补偿资金等违纪违法行为，发现一起，查处一起，绝不姑息。',
  heating:
    '记者在康馨苑小区看到，维修人员正在对单元管道进行冲洗，小区物业也在楼道张贴了维修公告。物业负责人介绍，小区建成于上世纪九十年代，管网已经使用了二十多年，锈蚀严重，去年虽然进行过局部改造，但问题没有根本解决。市城市管理局有关负责人表示，今年全市已将三十个老旧小区的供热管网改造列入民生实事项目，康馨苑小区也在其中，计划明年供暖季前完成改造。在改造完成之前，供热企业将采取临时加压、增设循环泵等措施，尽可能提高末端用户的室温。市民如遇供暖问题，可以拨打12345政务服务热线或供热企业服务电话反映，相关部门将在二十四小时内响应处理，处理结果将通过热线进行回访。',
  canteen:
    '记者了解到，涉事的餐饮公司自前年起承包该校食堂，此前曾多次被家长投诉饭菜质量差、分量不足，但一直没有得到有效处理。有家长质疑，学校在选择承包商时是否经过公开招标，日常监管是否到位。对此，县教育局表示，将对该校食堂承包合同的签订过程进行全面审查，如发现违规行为，将依法依纪追究相关人员责任。县市场监管局也表示，已对涉事餐饮公司的营业执照、食品经营许可证和从业人员健康证明进行了核查，相关食品样品已送检，检测结果预计一周内出具。下一步，全县将在所有中小学校推行家长陪餐制度，每天安排家长代表与学生同餐，对饭菜质量进行评议，评议结果作为考核承包企业的重要依据。',
  flood:
    '有市民反映，解放路与中山路交叉口几乎每逢大雨必积水，此前多次向有关部门反映，但问题始终没有得到彻底解决。对此，市住建局排水管理处负责人解释，该路口地势低洼，周边雨水管网建设年代较早，排水能力偏低，去年的改造工程主要针对管网破损和淤堵问题，并没有扩大管径。目前，排水管理处已经编制了该路口的专项改造方案，计划新建一座雨水泵站，并将周边管网管径由八百毫米扩大到一千二百毫米，工程预计今年十月开工。市防汛指挥部提醒广大市民，汛期遇到强降雨天气时，尽量减少外出，不要在地下通道、涵洞等低洼地带停留，驾车遇到积水路段时不要强行涉水通过，注意人身和财产安全。',
};

/** A few characters changed, as a repost with corrected figures would have. */
const CHAR_EDITS: Record<string, [string, string][]> = {
  demolition: [['326户', '327户'], ['291户', '293户'], ['约八成', '约七成']],
  heating: [['15度', '14度'], ['30多个', '40多个'], ['120余处', '130余处']],
  canteen: [['9月12日', '9月13日'], ['11名', '12名'], ['午餐', '午饭']],
  flood: [['7月20日', '7月21日'], ['80毫米', '90毫米'], ['300余人', '400余人']],
};

function insertAfterSentence(text: string, sentence: string, nth: number): string {
  let idx = -1;
  for (let i = 0; i < nth; i++) idx = text.indexOf('。', idx + 1);
  return text.slice(0, idx + 1) + sentence + text.slice(idx + 1);
}

function applyEdits(text: string, edits: [string, string][]): string {
  let out = text;
  for (const [from, to] of edits) {
    expect(out).toContain(from);
    out = out.replace(from, to);
  }
  return out;
}

/** One-edit reposts of an article: a sentence added, a few characters changed, a site footer removed. */
function reposts(topic: string, article: string): Record<string, string> {
  return {
    sentenceAdded: insertAfterSentence(article, ADDED_SENTENCE[topic], 2),
    charsChanged: applyEdits(article, CHAR_EDITS[topic]),
    footerRemoved: article + FOOTERS[0],
    otherFooterRemoved: article + FOOTERS[2],
  };
}

const TOPICS = Object.keys(BASE);
const full = (topic: string) => BASE[topic] + CONTINUATION[topic];

describe('simhash', () => {
  it('is deterministic and 64-bit', () => {
    for (const text of Object.values(BASE)) {
      const h = simhash(text);
      expect(simhash(text)).toBe(h);
      expect(h >= 0n && h < 1n << 64n).toBe(true);
    }
  });

  it('ignores case, width, whitespace and punctuation', () => {
    const a = '永济市：拆迁补偿款何时到位？ABC 2024年，12345热线！';
    const b = '永济市拆迁补偿款何时到位abc２０２４年１２３４５热线';
    const c = '  永济市「拆迁补偿款」何时到位……Abc\n2024 年，１２３４５ 热线。 ';
    expect(simhash(b)).toBe(simhash(a));
    expect(simhash(c)).toBe(simhash(a));
    expect(simhash('ＡＢＣ')).toBe(simhash('abc'));
  });

  it('gives very short texts (titles) a stable, distinct fingerprint', () => {
    const titles = ['永济拆迁补偿款迟迟未到位', '盐湖区多个小区暖气不热', '小学食堂午餐出现发霉馒头', '暴雨致城区多条道路积水'];
    const hs = titles.map(simhash);
    expect(new Set(hs).size).toBe(titles.length);
    for (let i = 0; i < titles.length; i++) expect(simhash(titles[i])).toBe(hs[i]);
    for (let i = 0; i < hs.length; i++) for (let j = i + 1; j < hs.length; j++) expect(hamming(hs[i], hs[j])).toBeGreaterThan(NEAR_DUPLICATE_DISTANCE);
    expect(simhash('热')).not.toBe(0n);
    expect(simhash('热')).toBe(simhash('「热」'));
    expect(simhash('热')).not.toBe(simhash('冷'));
  });

  it('hashes a text with no letters or digits to 0', () => {
    expect(simhash('')).toBe(0n);
    expect(simhash(' ，。！？…… \n\t')).toBe(0n);
  });

  it('puts every one-edit repost of a full-length article within the near-duplicate distance', () => {
    for (const topic of TOPICS) {
      const article = full(topic);
      expect(article.length).toBeGreaterThan(550);
      const h = simhash(article);
      const tooFar = Object.entries(reposts(topic, article))
        .map(([edit, repost]) => ({ edit, d: hamming(h, simhash(repost)) }))
        .filter(({ d }) => d > NEAR_DUPLICATE_DISTANCE);
      expect({ topic, tooFar }).toEqual({ topic, tooFar: [] });
    }
  });

  it('puts most one-edit reposts of a short (~300 character) article within the distance', () => {
    const distances: number[] = [];
    for (const topic of TOPICS) {
      const h = simhash(BASE[topic]);
      for (const repost of Object.values(reposts(topic, BASE[topic]))) distances.push(hamming(h, simhash(repost)));
    }
    const within = distances.filter((d) => d <= NEAR_DUPLICATE_DISTANCE).length;
    expect(within / distances.length).toBeGreaterThanOrEqual(0.75);
  });

  it('keeps distinct articles on the same topic far apart', () => {
    for (const topic of TOPICS) {
      const texts = [BASE[topic], full(topic), ...SAME_TOPIC[topic]];
      const hs = texts.map(simhash);
      for (let i = 0; i < hs.length; i++) {
        for (let j = i + 1; j < hs.length; j++) {
          if (i === 0 && j === 1) continue; // an article and its own longer version
          expect(hamming(hs[i], hs[j])).toBeGreaterThan(2 * NEAR_DUPLICATE_DISTANCE);
        }
      }
    }
  });

  it('keeps articles of different topics far apart', () => {
    const hs = TOPICS.map((t) => simhash(full(t)));
    for (let i = 0; i < hs.length; i++) for (let j = i + 1; j < hs.length; j++) expect(hamming(hs[i], hs[j])).toBeGreaterThan(2 * NEAR_DUPLICATE_DISTANCE);
  });
});

const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });

function flipBits(h: bigint, positions: number[]): bigint {
  let out = h;
  for (const p of positions) out ^= 1n << BigInt(p);
  return out;
}

describe('hamming', () => {
  it('counts differing bits', () => {
    expect(hamming(0n, 0n)).toBe(0);
    expect(hamming(0n, (1n << 64n) - 1n)).toBe(64);
    expect(hamming(0b1011n, 0b0110n)).toBe(3);
    expect(hamming(1n << 63n, 1n)).toBe(2);
  });

  it('agrees with a bit-by-bit count', () => {
    fc.assert(
      fc.property(u64, u64, (a, b) => {
        const slow = [...(a ^ b).toString(2)].filter((c) => c === '1').length;
        expect(hamming(a, b)).toBe(slow);
        expect(hamming(b, a)).toBe(slow);
      }),
    );
  });

  it('popcount32 counts the bits of any 32-bit value', () => {
    expect(popcount32(0)).toBe(0);
    expect(popcount32(-1)).toBe(32);
    expect(popcount32(0x80000001)).toBe(2);
  });
});

describe('bands', () => {
  it('splits the 64 bits into NEAR_DUPLICATE_DISTANCE + 1 bands', () => {
    expect(BAND_COUNT).toBe(NEAR_DUPLICATE_DISTANCE + 1);
    expect(BAND_BITS.reduce((a, b) => a + b, 0)).toBe(64);
    expect(bands(0n)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(bands((1n << 64n) - 1n)).toEqual(BAND_BITS.map((w) => 2 ** w - 1));
    expect(bands(1n << 63n)[BAND_COUNT - 1]).toBe(2 ** (BAND_BITS[BAND_COUNT - 1] - 1));
  });

  it('reassembles into the fingerprint', () => {
    fc.assert(
      fc.property(u64, (h) => {
        let back = 0n;
        let shift = 0n;
        bands(h).forEach((v, i) => {
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThan(2 ** BAND_BITS[i]);
          back |= BigInt(v) << shift;
          shift += BigInt(BAND_BITS[i]);
        });
        expect(back).toBe(h);
        expect(bandsOfHalves(Number(h & 0xffffffffn), Number(h >> 32n))).toEqual(bands(h));
      }),
    );
  });

  it('shares at least one band between fingerprints within the near-duplicate distance', () => {
    fc.assert(
      fc.property(u64, fc.uniqueArray(fc.integer({ min: 0, max: 63 }), { maxLength: NEAR_DUPLICATE_DISTANCE }), (h, positions) => {
        const g = flipBits(h, positions);
        expect(hamming(h, g)).toBe(positions.length);
        const a = bands(h);
        const b = bands(g);
        expect(a.some((v, i) => v === b[i])).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('finds the same near duplicates through a banded index as by a linear scan', () => {
    const texts = TOPICS.flatMap((t) => [BASE[t], full(t), ...SAME_TOPIC[t], ...Object.values(reposts(t, full(t)))]);
    const hs = texts.map(simhash);
    const index: Map<number, number[]>[] = Array.from({ length: BAND_COUNT }, () => new Map());
    hs.forEach((h, id) => bands(h).forEach((v, k) => index[k].set(v, [...(index[k].get(v) ?? []), id])));
    for (const q of hs) {
      const linear = hs.flatMap((h, id) => (hamming(h, q) <= NEAR_DUPLICATE_DISTANCE ? [id] : []));
      const candidates = new Set(bands(q).flatMap((v, k) => index[k].get(v) ?? []));
      const banded = [...candidates].filter((id) => hamming(hs[id], q) <= NEAR_DUPLICATE_DISTANCE).sort((a, b) => a - b);
      expect(banded).toEqual(linear);
      expect(linear.length).toBeGreaterThanOrEqual(1);
    }
  });
});

describe('toPgBigint / fromPgBigint', () => {
  it('maps unsigned 64-bit values onto the signed bigint range', () => {
    expect(toPgBigint(0n)).toBe('0');
    expect(toPgBigint((1n << 63n) - 1n)).toBe('9223372036854775807');
    expect(toPgBigint(1n << 63n)).toBe('-9223372036854775808');
    expect(toPgBigint((1n << 64n) - 1n)).toBe('-1');
    expect(fromPgBigint('-1')).toBe((1n << 64n) - 1n);
    expect(fromPgBigint('-9223372036854775808')).toBe(1n << 63n);
  });

  it('round-trips every 64-bit value exactly', () => {
    fc.assert(
      fc.property(u64, (h) => {
        const s = toPgBigint(h);
        expect(BigInt(s) >= -(1n << 63n) && BigInt(s) < 1n << 63n).toBe(true);
        expect(fromPgBigint(s)).toBe(h);
      }),
    );
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }), (s) => {
        expect(toPgBigint(fromPgBigint(s.toString()))).toBe(s.toString());
      }),
    );
  });

  it('rejects what is not a Postgres bigint', () => {
    expect(() => fromPgBigint('9223372036854775808')).toThrow(RangeError);
    expect(() => fromPgBigint('12a')).toThrow(RangeError);
    expect(() => fromPgBigint('')).toThrow(RangeError);
  });
});
