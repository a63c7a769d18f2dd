// The demo history's cases: about five weeks of a small office's work (清河市), written as data.
// demo/history.ts plays them through the services.
import type { CaseOrigin, Category, Channel, EffectRating, Level, ReferralTarget } from '../core/vocabulary.js';

export type FeedbackKind = 'reaction' | 'action' | 'release' | 'other';
export type Stage = 'draft' | 'submitted' | 'returned';

export interface Publication {
  /** Hours after the clock's start. */
  h: number;
  channel: Channel;
  body: string;
  /** The reviewer sends the first draft back with this comment; `revised` is the text approved. */
  returned?: { comment: string; revised: string };
  /** Who presses 发布 (default: alternates between the lead handler and the reviewer). */
  by?: 'handler' | 'reviewer';
}

export interface HistoryCase {
  /** When the opinion was first seen: days ago at a Shanghai hour, or hours before now. */
  start: { daysAgo: number; hour: number } | { hoursAgo: number };
  /** Hours from first seen to registration (default 0.5–1.5). */
  openH?: number;
  level: Level;
  category: Category;
  lead: string;
  co?: string[];
  origin: Exclude<CaseOrigin, 'alert'>;
  originNote: string;
  title: string;
  text: string;
  summary: string;
  /** Publications through the review flow, in time order (the first one is the public response). */
  publish?: Publication[];
  /** A response still in review when the history ends (open cases). */
  pending?: { h: number; stage: Stage; body: string; comment?: string };
  feedback?: { h: number; kind: FeedbackKind; body: string }[];
  reportUp?: { h: number; recipient: string; content: string };
  referrals?: { h: number; target: ReferralTarget; recipient: string; content: string }[];
  coordination?: { h: number; content: string };
  close?: { h: number; rating: EffectRating; conclusion: string; by?: 'handler' | 'reviewer' };
}

/** Handlers the history creates for demo departments that have none (they cannot sign in: no password). */
export const EXTRA_HANDLERS: { department: string; username: string; displayName: string }[] = [
  { department: '生态环境局', username: 'handler-sthj', displayName: '生态环境局经办人 孙涛' },
  { department: '教育局', username: 'handler-jyj', displayName: '教育局经办人 周敏' },
  { department: '市场监管局', username: 'handler-scjg', displayName: '市场监管局经办人 吴磊' },
  { department: '公安局', username: 'handler-gaj', displayName: '公安局经办人 郑凯' },
  { department: '城关镇', username: 'handler-cgz', displayName: '城关镇经办人 冯娟' },
  { department: '龙山镇', username: 'handler-lsz', displayName: '龙山镇经办人 何斌' },
];
/** No argon2 hash: verification always fails, so these accounts exist only as authors of the history. */
export const NO_LOGIN = '!demo-history-no-login';

export const REPORT_RECIPIENT = '市委办公室、市政府分管副市长刘洋、市长周伟';

export const DEMO_HISTORY: HistoryCase[] = [
  // ── 35–28 days ago ─────────────────────────────────────────────────────────────────────────────
  {
    start: { daysAgo: 35, hour: 9 },
    level: 'significant',
    category: 'difficulty',
    lead: '住建局',
    co: ['城关镇'],
    origin: 'mailbox',
    originNote: '领导信箱来信（东关村村民张**）',
    title: '城关镇东关村旧城改造拆迁补偿款签约四个月仍未到位',
    text: '我是城关镇东关村的村民，家里的老房子在旧城改造范围内，去年签了拆迁协议，协议写明签约后九十天内付清补偿款，现在已经四个月了一分钱没见到。找村里说是镇上的事，找镇上说资金还没拨下来。一家老小在外租房，每月房租一千二，恳请市领导督促落实。',
    summary: '东关村旧城改造签约户反映补偿款逾期未付，涉及约30户，群众情绪较大。',
    publish: [
      {
        h: 30,
        channel: 'website',
        body: '关于城关镇东关村旧城改造补偿款发放情况的说明：经市住建局会同城关镇核查，东关村片区已签约32户，因第二批征收资金拨付手续未办结，补偿款发放出现延迟。目前资金已落实到位，将于本周五前全部发放至签约户账户。对因延迟给群众带来的不便，我们深表歉意。如有疑问请致电城关镇征收办 0316-5201234。',
      },
    ],
    feedback: [
      { h: 80, kind: 'action', body: '城关镇征收办反馈：32户补偿款已于周五前全部到账，已逐户电话回访。' },
      { h: 100, kind: 'reaction', body: '论坛原帖下多名网民留言“钱已到账”，相关话题热度明显回落。' },
    ],
    close: { h: 130, rating: 'good', conclusion: '补偿款已全部发放到位，来信人表示满意，舆情平息。' },
  },
  {
    start: { daysAgo: 34, hour: 15 },
    level: 'general',
    category: 'difficulty',
    lead: '人社局',
    origin: 'hotline',
    originNote: '12345热线工单 QH2026-1103-0457',
    title: '鑫源劳务公司拖欠滨河湾项目28名农民工工资',
    text: '来电人反映：他和27名工友今年5月进场在滨河湾项目做木工，鑫源劳务公司至今拖欠工资，每人约两万元，包工头与开发商互相推诿，工友们很着急。',
    summary: '滨河湾项目28名农民工反映被拖欠工资，人均约2万元。',
    publish: [
      {
        h: 22,
        channel: 'reply',
        body: '您好！市人社局劳动保障监察大队已于当日约谈鑫源劳务公司及滨河湾项目总包单位，责令其在7日内从农民工工资专用账户足额支付所欠工资。我们将全程跟踪，逾期不支付的将依法立案查处。如有进展问题请拨打12333。',
      },
    ],
    feedback: [
      { h: 70, kind: 'action', body: '总包单位已通过工资专户代发28人工资共计56.3万元。' },
      { h: 96, kind: 'reaction', body: '来电人回访表示工资已到账，对处理结果满意。' },
    ],
    close: { h: 116, rating: 'fairly_good', conclusion: '欠薪已全额支付；已将鑫源劳务公司列入重点监控名单。', by: 'handler' },
  },
  {
    start: { daysAgo: 32, hour: 10 },
    level: 'general',
    category: 'difficulty',
    lead: '生态环境局',
    co: ['城关镇'],
    origin: 'other',
    originNote: '网络监测：清河论坛·民生热线',
    title: '龙溪河河西大桥下游河水发黑发臭',
    text: '最近一周龙溪河河西大桥下游一段河水发黑，岸边能闻到明显臭味，早上跑步都得绕道。不知道是不是上游有企业排污，希望环保部门来看看。',
    summary: '网民反映龙溪河河西大桥下游水体发黑发臭，怀疑有排污。',
    publish: [
      {
        h: 56,
        channel: 'website',
        body: '市生态环境局接报后组织执法人员对龙溪河河西大桥下游段开展排查和水质监测。经查，异味系一处雨污管网破损导致生活污水溢流所致，非企业排污。目前破损管段已完成抢修，水质正在恢复，我局将连续两周加密监测并公开监测结果。',
      },
    ],
    feedback: [
      { h: 120, kind: 'release', body: '第一周加密监测结果已在局网站公布，主要指标达到IV类水标准。' },
      { h: 150, kind: 'reaction', body: '有网民质疑回应太慢，“三天后才有说法”，但对处置结果总体认可。' },
    ],
    close: { h: 170, rating: 'average', conclusion: '管网已修复，水质恢复；回应超时，已要求该局改进首次回应时效。' },
  },
  {
    start: { daysAgo: 32, hour: 20 },
    level: 'general',
    category: 'misunderstanding',
    lead: '市场监管局',
    origin: 'other',
    originNote: '网络监测：清河新闻网评论区',
    title: '网民质疑中山路农贸市场电子秤缺斤短两',
    text: '在中山路农贸市场买了两斤排骨，回家一称少了三两多。听说市场里不少摊位的电子秤都被动过手脚，监管部门管不管？',
    summary: '网民反映中山路农贸市场电子秤计量不准，质疑监管缺位。',
    publish: [
      {
        h: 40,
        channel: 'new_media',
        body: '“清河市场监管”公众号发布：我局于11月对中山路农贸市场146台电子秤进行了全面检定，查处作弊秤3台并依法立案。市场已设置“公平秤”，消费者对计量有疑问可免费复秤，投诉请拨打12315。',
      },
    ],
    feedback: [{ h: 90, kind: 'reaction', body: '公众号文章阅读量1.2万，评论以点赞为主，话题未再发酵。' }],
    close: { h: 115, rating: 'good', conclusion: '计量检定与查处结果公开，群众疑问得到解答。', by: 'handler' },
  },
  {
    start: { daysAgo: 31, hour: 11 },
    level: 'general',
    category: 'suggestion',
    lead: '教育局',
    co: ['公安局'],
    origin: 'mailbox',
    originNote: '领导信箱来信（家长刘女士）',
    title: '家长建议河西实验小学放学时段增设护学岗',
    text: '河西实验小学门口是建设大道，放学时接孩子的车和过路车辆混在一起，非常危险。建议在放学时段安排交警或护学岗维持秩序。',
    summary: '家长建议河西实验小学放学时段增设护学岗、疏导交通。',
    publish: [
      {
        h: 47,
        channel: 'reply',
        body: '刘女士您好！您的建议已被采纳。自下周一起，公安交警部门将在河西实验小学上下学时段设置护学岗，学校同步组织家长志愿者协助疏导，并在校门两侧施划临时停车区。感谢您对校园安全的关心。',
      },
    ],
    feedback: [{ h: 150, kind: 'action', body: '护学岗已于周一上岗，早晚高峰校门口拥堵明显缓解。' }],
    close: { h: 170, rating: 'good', conclusion: '建议采纳并落实，来信人表示感谢。' },
  },
  {
    start: { daysAgo: 28, hour: 16 },
    level: 'general',
    category: 'difficulty',
    lead: '住建局',
    origin: 'government_office',
    originNote: '市政府办公室转办（市民来访登记）',
    title: '锦绣华庭小区交房一年仍未办理不动产证',
    text: '锦绣华庭小区去年交房，业主至今拿不到不动产证，孩子上学落户都受影响。开发商恒信置业一直说在办，业主已多次集体反映。',
    summary: '锦绣华庭业主反映交房一年未办证，影响子女入学落户。',
    publish: [
      {
        h: 66,
        channel: 'website',
        body: '经市住建局核查，锦绣华庭项目因开发商恒信置业未缴清部分配套费用，暂不具备首次登记条件。我局已责令开发商限期补缴，并会同自然资源部门开辟绿色通道，力争两个月内完成办证。',
      },
    ],
    feedback: [
      { h: 100, kind: 'reaction', body: '业主群对“两个月”的时限仍有不满，部分业主表示将继续反映。' },
      { h: 162, kind: 'action', body: '开发商已补缴配套费用，首次登记材料已受理。' },
    ],
    close: { h: 210, rating: 'poor', conclusion: '回应超时且未能给出业主认可的办证时间表，需持续跟进办证进度。' },
  },
  // ── 27–21 days ago ─────────────────────────────────────────────────────────────────────────────
  {
    start: { daysAgo: 27, hour: 9 },
    openH: 0.3,
    level: 'general',
    category: 'rumour',
    lead: '住建局',
    co: ['公安局'],
    origin: 'cyberspace_office',
    originNote: '市委网信办转办（多个微信群流传截图）',
    title: '网传“清河水厂水源被污染，全城将停水三天”',
    text: '微信群流传截图称：“清河水厂水源被上游化工厂污染，明天起全城停水三天，大家赶紧囤水！”截图在多个小区业主群转发，部分超市出现抢购桶装水现象。',
    summary: '网传水厂水源污染、全城停水三天，引发部分市民囤水，经核实为谣言。',
    publish: [
      {
        h: 5,
        channel: 'new_media',
        by: 'reviewer',
        body: '【辟谣】近日网传“清河水厂水源被污染、全城将停水三天”系谣言。经市住建局、生态环境局核实，清河水厂水源地水质各项指标正常，供水设施运行正常，近期无停水计划。请广大市民不信谣、不传谣，以“清河发布”权威信息为准。公安机关已介入调查。',
      },
    ],
    referrals: [
      { h: 3, target: 'public_security', recipient: '市公安局网安大队', content: '移交网传“全城停水三天”谣言的原始截图、首发微信群信息及传播路径线索，请依法调查处理。' },
      { h: 4, target: 'cyberspace', recipient: '市委网信办', content: '移交谣言传播链接与截图，请协调平台对相关不实信息进行处置。' },
    ],
    feedback: [
      { h: 30, kind: 'action', body: '公安机关查明谣言系一网民编造，已依法对其予以行政处罚。' },
      { h: 50, kind: 'reaction', body: '辟谣信息转发超过3000次，超市抢购现象消失，相关讨论明显减少。' },
    ],
    close: { h: 100, rating: 'good', conclusion: '辟谣及时，造谣者已依法处理，未造成进一步影响。' },
  },
  {
    start: { daysAgo: 27, hour: 14 },
    level: 'general',
    category: 'difficulty',
    lead: '人社局',
    co: ['住建局'],
    origin: 'other',
    originNote: '网络监测：清河论坛·民生热线',
    title: '清河新城三期工地农民工讨薪被保安拦在门外',
    text: '我们在清河新城三期工地干了大半年，工钱一分没拿到。去工地讨薪被保安拦在门外，包工头电话也打不通。眼看要过年了，回家都不知道怎么交代。',
    summary: '清河新城三期项目农民工反映讨薪受阻，涉及约40人。',
    coordination: { h: 6, content: '请住建局督促清河新城三期项目总包单位今日内提供农民工实名制及工资专户发放记录，人社局负责约谈劳务分包单位，明日上午联合到工地现场办公。' },
    publish: [
      {
        h: 26,
        channel: 'reply',
        body: '您好！市人社局、住建局已联合到清河新城三期项目现场办公，查实劳务分包单位拖欠41名农民工工资约82万元。总包单位已承诺先行垫付，10日内全部发放到位。我们将全程监督。',
      },
    ],
    feedback: [
      { h: 96, kind: 'action', body: '总包单位已垫付41人工资82.4万元，人社局现场监督发放。' },
      { h: 120, kind: 'reaction', body: '原帖楼主更新“工资已到手，感谢政府”。' },
    ],
    close: { h: 140, rating: 'fairly_good', conclusion: '欠薪已解决；已对劳务分包单位立案调查。', by: 'handler' },
  },
  {
    start: { daysAgo: 25, hour: 10 },
    level: 'general',
    category: 'difficulty',
    lead: '城关镇',
    origin: 'hotline',
    originNote: '12345热线工单 QH2026-1110-0213',
    title: '南街社区老旧小区改造施工噪音扰民至深夜',
    text: '南街社区老旧小区改造工地每天施工到晚上十一点多，切割机声音特别大，老人孩子都休息不好，希望管一管。',
    summary: '南街社区改造工地夜间施工噪音扰民。',
    publish: [
      {
        h: 26,
        channel: 'reply',
        body: '您好！城关镇已约谈施工单位，要求严格执行夜间22时后禁止高噪声作业的规定，确需连续施工的须办理夜间施工许可并提前公告。社区网格员将每晚巡查，欢迎居民继续监督。',
      },
    ],
    feedback: [{ h: 75, kind: 'reaction', body: '回访来电人，近几日夜间已无施工噪音。' }],
    close: { h: 100, rating: 'good', conclusion: '施工时间已规范，居民满意。', by: 'handler' },
  },
  {
    start: { daysAgo: 24, hour: 15 },
    level: 'general',
    category: 'suggestion',
    lead: '龙山镇',
    origin: 'mailbox',
    originNote: '领导信箱来信（龙山安置小区居民）',
    title: '建议龙山大道增设公交站点方便安置小区居民出行',
    text: '龙山安置小区入住两千多户，最近的公交站要走一公里多，老人出行很不方便。建议在龙山大道小区门口增设一个公交站点。',
    summary: '居民建议在龙山安置小区门口增设公交站点。',
    publish: [
      {
        h: 46,
        channel: 'website',
        body: '感谢您的建议。龙山镇已会同市公交公司实地踏勘，拟在龙山大道安置小区北门增设“龙山安置小区”站，3路、12路公交停靠，预计下月中旬启用。',
      },
    ],
    feedback: [{ h: 120, kind: 'release', body: '公交公司发布线路调整公告，新站点启用时间确定。' }],
    close: { h: 145, rating: 'fairly_good', conclusion: '建议采纳，新增站点已列入线路调整计划。' },
  },
  {
    start: { daysAgo: 22, hour: 9 },
    openH: 0.4,
    level: 'major',
    category: 'difficulty',
    lead: '生态环境局',
    co: ['龙山镇', '公安局'],
    origin: 'other',
    originNote: '网络监测：清河新闻网、清河论坛（多源同时出现）',
    title: '白沙河龙山镇段大面积死鱼 疑似上游化工厂排污',
    text: '白沙河龙山镇段今天早上出现大面积死鱼，河面漂满白花花的鱼，沿岸气味刺鼻。村民怀疑是上游一家化工厂夜里偷排，视频已在网上大量转发。',
    summary: '白沙河龙山镇段出现大面积死鱼，视频广泛传播，群众怀疑化工企业偷排，按重大舆情处置。',
    reportUp: { h: 0.8, recipient: REPORT_RECIPIENT, content: '白沙河龙山镇段发生大面积死鱼，网上视频传播较广。生态环境局、龙山镇已赶赴现场采样排查，公安机关同步介入，按重大舆情启动应急处置。' },
    coordination: { h: 1.5, content: '生态环境局负责采样监测和溯源；龙山镇负责打捞死鱼、安抚沿岸群众；公安局负责对涉嫌企业开展调查取证。对外信息由生态环境局统一发布。' },
    publish: [
      {
        h: 4,
        channel: 'new_media',
        by: 'reviewer',
        body: '【情况通报】今日7时许，白沙河龙山镇段出现死鱼现象。市生态环境局、龙山镇、市公安局已第一时间到场处置，对沿线水体和排口采样监测，并暂停上游相关企业生产。下游饮用水源地水质正常。调查进展将及时发布。',
      },
      {
        h: 27.5,
        channel: 'press_conference',
        by: 'reviewer',
        body: '市政府新闻办召开新闻发布会：经监测和溯源，死鱼系上游龙山化工有限公司违法排放含氨氮废水所致。该企业已被责令停产，公安机关已对相关责任人立案侦查；受污染河段正在开展生态修复。',
      },
      {
        h: 50,
        channel: 'website',
        body: '白沙河龙山镇段水质监测日报（第2期）：受影响河段氨氮浓度已降至0.8mg/L，基本恢复至正常水平；已累计打捞死鱼约3.2吨并无害化处理。',
      },
    ],
    feedback: [
      { h: 30, kind: 'reaction', body: '发布会后网上质疑“企业偷排多年”的声音仍较多，需持续回应执法细节。' },
      { h: 72, kind: 'action', body: '涉事企业负责人已被依法采取刑事强制措施；沿岸渔户损失登记完成。' },
      { h: 100, kind: 'reaction', body: '相关话题热度较峰值下降九成以上，主流评论认可处置力度。' },
    ],
    close: { h: 150, rating: 'fairly_good', conclusion: '污染源已查明并依法处理，水质恢复。新闻发布会晚于24小时时限，已在周通报中提醒。' },
  },
  {
    start: { daysAgo: 22, hour: 11 },
    level: 'general',
    category: 'misunderstanding',
    lead: '教育局',
    origin: 'other',
    originNote: '网络监测：清河论坛',
    title: '网传清河市第五中学将取消晚自习 家长疑问多',
    text: '听说五中下学期要取消晚自习，高三也不上了？孩子马上高考，家长都很着急，学校也没个正式通知。',
    summary: '家长对五中“取消晚自习”的传言存疑问，属政策理解偏差。',
    publish: [
      {
        h: 8,
        channel: 'new_media',
        body: '市教育局答复：清河市第五中学未取消晚自习。按照省里关于减轻学生负担的要求，下学期起高一、高二年级晚自习改为自愿参加、教师答疑为主，高三年级晚自习安排不变。具体安排将由学校书面告知家长。',
      },
    ],
    feedback: [{ h: 30, kind: 'reaction', body: '家长群转发教育局答复，疑问基本消除。' }],
    close: { h: 80, rating: 'good', conclusion: '权威信息发布及时，澄清了误解。', by: 'handler' },
  },
  {
    start: { daysAgo: 21, hour: 16 },
    level: 'general',
    category: 'difficulty',
    lead: '市场监管局',
    co: ['城关镇'],
    origin: 'hotline',
    originNote: '12345热线工单 QH2026-1114-0782',
    title: '城东物流园附近烧烤店油烟扰民 多次投诉无果',
    text: '城东物流园旁边一排烧烤店每天营业到凌晨，油烟直接排到居民楼，窗户都不敢开。打过好几次电话，一直没人处理。',
    summary: '居民反映烧烤店油烟扰民，此前多次投诉未果。',
    publish: [
      {
        h: 70,
        channel: 'reply',
        body: '您好！市场监管局会同城关镇对城东物流园周边5家烧烤店进行了检查，责令3家未安装油烟净化设施的店铺限期整改，整改期间停止露天烧烤。给您带来困扰，深表歉意。',
      },
    ],
    feedback: [{ h: 140, kind: 'action', body: '3家店铺已安装油烟净化设备并通过复查。' }],
    close: { h: 186, rating: 'average', conclusion: '问题已整改，但回应超过48小时，来电人对前期处理不满。' },
  },
  // ── 20–13 days ago ─────────────────────────────────────────────────────────────────────────────
  {
    start: { daysAgo: 20, hour: 10 },
    level: 'significant',
    category: 'difficulty',
    lead: '住建局',
    co: ['城关镇'],
    origin: 'other',
    originNote: '网络监测：清河论坛·民生热线',
    title: '滨河路拓宽工程征收补偿标准不一 群众质疑不公',
    text: '同样是滨河路拓宽工程，隔壁村每平方米补偿比我们多三百元，标准为什么不一样？我们多次去问，工作人员只说在走程序。',
    summary: '滨河路拓宽工程被征收户质疑补偿标准不一，帖子转发量较高。',
    publish: [
      {
        h: 28,
        channel: 'website',
        body: '关于滨河路拓宽工程征收补偿标准的说明：滨河路拓宽工程统一执行《清河市国有土地上房屋征收补偿办法》，补偿金额由具有资质的评估机构按房屋区位、结构、成新率分户评估确定，不同地块评估单价存在差异。被征收人对评估结果有异议的，可在收到评估报告之日起10日内申请复核评估。咨询电话：0316-5209876。',
        returned: {
          comment: '请补充复核评估的申请渠道和时限，并避免使用“纯属误解”等容易激化情绪的表述。',
          revised: '关于滨河路拓宽工程征收补偿标准的说明：滨河路拓宽工程统一执行《清河市国有土地上房屋征收补偿办法》，补偿金额由具有资质的评估机构按房屋区位、结构、成新率分户评估确定，不同地块评估单价存在差异。被征收人对评估结果有异议的，可在收到评估报告之日起10日内向市住建局征收办申请复核评估，也可申请专家委员会鉴定。咨询电话：0316-5209876。',
        },
      },
    ],
    feedback: [
      { h: 96, kind: 'action', body: '已受理复核评估申请7件，组织评估机构现场答疑一次。' },
      { h: 130, kind: 'reaction', body: '论坛讨论趋于理性，部分网民认可分户评估的解释。' },
    ],
    close: { h: 170, rating: 'fairly_good', conclusion: '政策解释到位，复核渠道畅通，舆情趋稳。' },
  },
  {
    start: { daysAgo: 18, hour: 9 },
    level: 'general',
    category: 'difficulty',
    lead: '人社局',
    origin: 'mailbox',
    originNote: '领导信箱来信（农民工王先生）',
    title: '龙山建工集团拖欠工程款 农民工年底讨薪难',
    text: '我们在龙山建工集团承建的城东物流园项目干活，公司说甲方没给工程款，欠我们班组十几个人的工资快四个月了。',
    summary: '城东物流园项目班组反映工资被拖欠近四个月。',
    publish: [
      {
        h: 30,
        channel: 'reply',
        body: '王先生您好！市人社局已对龙山建工集团下达《劳动保障监察限期改正指令书》，要求其于15日内支付所欠工资。同时已将该项目纳入根治欠薪冬季专项行动重点督办清单。',
      },
    ],
    feedback: [{ h: 100, kind: 'action', body: '龙山建工集团已支付班组14人工资共计31.6万元。' }],
    close: { h: 130, rating: 'good', conclusion: '欠薪清偿完毕，来信人满意。', by: 'handler' },
  },
  {
    start: { daysAgo: 18, hour: 15 },
    level: 'general',
    category: 'wrong_view',
    lead: '公安局',
    origin: 'other',
    originNote: '网络监测：清河新闻网评论区',
    title: '网民称解放街违停罚款是“钓鱼执法”',
    text: '解放街那段根本没有禁停标志，交警专门等着贴罚单，这不就是钓鱼执法吗？',
    summary: '网民质疑解放街违停处罚，称无禁停标志、“钓鱼执法”。',
    publish: [
      {
        h: 24,
        channel: 'new_media',
        body: '“清河公安”发布：解放街全路段为禁停路段，道路两端及中段均设有禁停标志和黄色实线（附现场照片）。交警依法对违停车辆进行处罚，不存在“钓鱼执法”。为方便群众，解放街周边已新增临时停车泊位60个。',
      },
    ],
    feedback: [{ h: 67, kind: 'reaction', body: '现场照片发布后，评论区多数网民表示理解。' }],
    close: { h: 90, rating: 'fairly_good', conclusion: '以事实澄清了错误看法，并同步回应停车难诉求。' },
  },
  {
    start: { daysAgo: 17, hour: 10 },
    level: 'general',
    category: 'difficulty',
    lead: '生态环境局',
    origin: 'cyberspace_office',
    originNote: '市委网信办转办',
    title: '河西工业园印染企业夜间偷排 东湖湿地附近水体变色',
    text: '东湖湿地公园附近的水这几天晚上变成了蓝紫色，早上又慢慢淡了。怀疑是河西工业园的印染厂夜里偷排，希望环保部门晚上去查。',
    summary: '网民反映东湖湿地附近水体夜间变色，怀疑印染企业偷排。',
    publish: [
      {
        h: 58,
        channel: 'website',
        body: '市生态环境局连续两晚开展夜查，发现河西工业园一家印染企业污水处理设施运行不正常，部分废水未经处理排入雨水管网。我局已对该企业立案查处并责令停产整治，相关水体正在清理。',
      },
    ],
    feedback: [
      { h: 100, kind: 'action', body: '涉事企业被处罚款42万元，整改方案已报备。' },
      { h: 146, kind: 'reaction', body: '网民认可查处结果，但对“夜间偷排为何长期未被发现”仍有质疑。' },
    ],
    close: { h: 170, rating: 'average', conclusion: '违法排污已查处；回应超时，夜间监管薄弱问题需进一步改进。' },
  },
  {
    start: { daysAgo: 15, hour: 11 },
    level: 'general',
    category: 'suggestion',
    lead: '城关镇',
    origin: 'mailbox',
    originNote: '领导信箱来信（晨练市民）',
    title: '建议人民公园增设夜间照明和健身器材',
    text: '人民公园晚上散步的人很多，但东侧步道没有路灯，很不安全，健身器材也大多坏了。建议增设照明、更新器材。',
    summary: '市民建议人民公园增设夜间照明、更新健身器材。',
    publish: [
      {
        h: 47,
        channel: 'website',
        body: '感谢您的建议。城关镇已将人民公园东侧步道照明及健身器材更新纳入本年度民生实事项目，计划新增太阳能路灯32盏、更换健身器材20套，预计一个月内完工。',
      },
    ],
    feedback: [{ h: 200, kind: 'action', body: '东侧步道路灯已安装完毕并通电。' }],
    close: { h: 220, rating: 'good', conclusion: '建议采纳并已落实。', by: 'handler' },
  },
  {
    start: { daysAgo: 14, hour: 13 },
    openH: 0.3,
    level: 'major',
    category: 'emergency',
    lead: '教育局',
    co: ['市场监管局', '城关镇'],
    origin: 'other',
    originNote: '网络监测：清河论坛、家长微信群（同时接学校报告）',
    title: '清河市第三中学多名学生午餐后出现腹泻呕吐症状',
    text: '三中今天中午在食堂吃完饭后，好多学生肚子疼、拉肚子，有的还吐了，已经有十几个孩子被送到医院。家长们都急疯了，学校到现在也没个说法！',
    summary: '第三中学十余名学生午餐后出现腹泻呕吐，已送医，家长情绪激动，按突发事件（重大）处置。',
    reportUp: { h: 0.6, recipient: REPORT_RECIPIENT, content: '第三中学17名学生午餐后出现腹泻、呕吐症状，已送市人民医院诊治，无危重病例。教育局、市场监管局、城关镇已到场，食堂已封存留样并停止供餐。' },
    coordination: { h: 1.2, content: '教育局负责学生救治跟踪和家长沟通；市场监管局负责食堂留样检测和食品安全调查；城关镇协助维持校园周边秩序。统一口径由教育局对外发布，各单位不单独发布。' },
    publish: [
      {
        h: 3.5,
        channel: 'new_media',
        by: 'reviewer',
        body: '【情况通报】今日中午，清河市第三中学部分学生午餐后出现腹泻、呕吐症状，17名学生已送医诊治，均无生命危险。学校食堂已停止供餐，留样食品已送检。市教育局、市场监管局已成立联合工作组，调查结果将及时公布。',
      },
      {
        h: 20,
        channel: 'press_conference',
        by: 'reviewer',
        body: '市政府新闻办召开新闻发布会：经检测，第三中学学生症状系食用受污染的凉拌菜引起的细菌性食物中毒，17名学生中15人已出院。食堂承包企业已被立案调查，学校即日起改由中央厨房配餐，全市开展校园食品安全专项检查。',
      },
      {
        h: 43.8,
        channel: 'website',
        body: '第三中学食物中毒事件进展：住院观察的2名学生已全部康复出院；全市中小学食堂专项检查已完成62所，发现问题隐患9处，均已责令整改。',
      },
    ],
    feedback: [
      { h: 22, kind: 'reaction', body: '发布会后家长情绪趋于平稳，主要关注点转向后续配餐安排。' },
      { h: 70, kind: 'action', body: '食堂承包企业被吊销食品经营许可证，学校与家长委员会建立陪餐制度。' },
      { h: 120, kind: 'reaction', body: '相关话题热度回落至常态，未出现次生舆情。' },
    ],
    close: { h: 144, rating: 'good', conclusion: '处置及时、信息发布连续透明，学生全部康复，责任企业已依法处理。' },
  },
  {
    start: { daysAgo: 13, hour: 10 },
    level: 'general',
    category: 'difficulty',
    lead: '住建局',
    co: ['城关镇'],
    origin: 'hotline',
    originNote: '12345热线工单 QH2026-1121-0339',
    title: '新华里小区电梯频繁故障 维修资金申请难',
    text: '新华里小区3号楼电梯一个月坏了五次，上周还困了人。物业说要用维修资金更换，可申请了两个月还没批下来。',
    summary: '新华里小区电梯频繁故障，住宅专项维修资金申请进展慢。',
    publish: [
      {
        h: 28,
        channel: 'reply',
        body: '您好！市住建局已启动住宅专项维修资金应急使用程序，新华里小区3号楼电梯更换费用已审核通过，施工单位将于下周进场。更换期间请业主注意安全，如遇困梯请拨打电梯内应急电话或96333。',
      },
    ],
    feedback: [{ h: 150, kind: 'action', body: '新电梯已完成安装并通过特种设备检验。' }],
    close: { h: 200, rating: 'fairly_good', conclusion: '应急维修资金已拨付，电梯已更换。', by: 'handler' },
  },
  // ── 11–6 days ago ──────────────────────────────────────────────────────────────────────────────
  {
    start: { daysAgo: 11, hour: 9 },
    level: 'general',
    category: 'misunderstanding',
    lead: '人社局',
    origin: 'other',
    originNote: '网络监测：清河新闻网评论区',
    title: '网民对灵活就业人员社保补贴申领条件有疑问',
    text: '新闻说灵活就业人员可以领社保补贴，可我去问了说不符合条件。到底什么人能领？是不是只是说说而已？',
    summary: '网民对灵活就业社保补贴政策申领条件存在误解。',
    publish: [
      {
        h: 26,
        channel: 'website',
        body: '市人社局政策解读：灵活就业社保补贴对象为就业困难人员和离校2年内未就业高校毕业生，以灵活方式就业并按规定缴纳社会保险费的，可按实际缴费的2/3申请补贴，期限最长3年。符合条件者可通过“清河人社”小程序或各镇街社保所申请。',
      },
    ],
    feedback: [{ h: 74, kind: 'reaction', body: '政策解读被本地媒体转载，咨询电话量下降。' }],
    close: { h: 100, rating: 'good', conclusion: '政策解读清晰，误解得到澄清。', by: 'handler' },
  },
  {
    start: { daysAgo: 11, hour: 16 },
    level: 'significant',
    category: 'difficulty',
    lead: '龙山镇',
    co: ['住建局'],
    origin: 'government_office',
    originNote: '市政府办公室转办（本地论坛网民发帖）',
    title: '龙山安置小区部分房屋墙体开裂 居民担忧安全',
    text: '龙山安置小区5号、7号楼多户墙体出现裂缝，有的裂缝能塞进硬币。住户担心房子质量有问题，要求尽快鉴定。',
    summary: '龙山安置小区多户墙体开裂，居民担忧房屋安全，网民发帖后由市政府办公室转办。',
    publish: [
      {
        h: 66,
        channel: 'website',
        body: '龙山镇会同市住建局委托第三方机构对龙山安置小区5号、7号楼进行了房屋安全鉴定，结论为：裂缝系填充墙与主体结构材料收缩差异所致，不影响主体结构安全。施工单位将在保修期内免费修复，修复方案将在小区公示。',
      },
    ],
    feedback: [
      { h: 100, kind: 'reaction', body: '部分住户对鉴定结论仍有疑虑，要求公开完整鉴定报告。' },
      { h: 162, kind: 'release', body: '完整鉴定报告已在小区公示栏和镇政府网站公开。' },
    ],
    close: { h: 210, rating: 'average', conclusion: '安全鉴定已完成并公开，修复工作启动；首次回应超时，群众有意见。' },
  },
  {
    start: { daysAgo: 10, hour: 10 },
    level: 'general',
    category: 'misunderstanding',
    lead: '市场监管局',
    origin: 'other',
    originNote: '网络监测：清河论坛',
    title: '网民询问桃源乡超市奶粉是否过期',
    text: '在桃源乡一家超市买的奶粉，罐底日期看着像过期了，问店员也说不清。这种情况该找谁？',
    summary: '网民对奶粉生产日期标识存疑，询问维权渠道。',
    publish: [
      {
        h: 26,
        channel: 'new_media',
        body: '市场监管局执法人员已到该超市核查，涉事奶粉在保质期内，罐底为生产批号而非日期，保质期以罐身标注为准。提醒消费者：购买食品时请查看生产日期和保质期，发现问题可拨打12315投诉。',
      },
    ],
    feedback: [{ h: 50, kind: 'reaction', body: '发帖网民回复“明白了，谢谢”。' }],
    close: { h: 80, rating: 'good', conclusion: '核查及时，疑问已解答。', by: 'handler' },
  },
  {
    start: { daysAgo: 9, hour: 14 },
    level: 'general',
    category: 'difficulty',
    lead: '住建局',
    origin: 'mailbox',
    originNote: '领导信箱来信（滨河湾业主）',
    title: '滨河湾小区车位只售不租 业主投诉',
    text: '滨河湾小区地下车位开发商只卖不租，一个车位要十几万，不买就只能停路边被贴条。这合理吗？',
    summary: '滨河湾业主投诉开发商车位只售不租。',
    publish: [
      {
        h: 44,
        channel: 'reply',
        body: '您好！根据相关规定，建筑区划内规划用于停放汽车的车位应当首先满足业主需要。市住建局已约谈滨河湾开发商，要求对未售车位提供租赁服务，租金标准报价格主管部门备案后公示。',
      },
    ],
    feedback: [{ h: 120, kind: 'action', body: '开发商已公示车位租赁方案，月租金300元。' }],
    close: { h: 146, rating: 'fairly_good', conclusion: '开发商已提供车位租赁，业主诉求基本解决。' },
  },
  {
    start: { daysAgo: 7, hour: 9 },
    level: 'general',
    category: 'suggestion',
    lead: '公安局',
    co: ['教育局'],
    origin: 'mailbox',
    originNote: '领导信箱来信（家长陈**）',
    title: '建议建设大道学校路段增设限速标志和电子警察',
    text: '建设大道清河市第五中学路段车速很快，学生过马路很危险。建议增设限速标志、减速带和电子警察。',
    summary: '家长建议五中门前路段增设限速和抓拍设备。',
    publish: [
      {
        h: 28,
        channel: 'website',
        body: '您的建议已采纳。公安交警部门将在建设大道第五中学路段增设“学校区域 限速30”标志、减速带两处和区间测速设备一套，计划本月底前安装完成。',
      },
    ],
    feedback: [{ h: 130, kind: 'action', body: '限速标志和减速带已安装，测速设备正在调试。' }],
    close: { h: 150, rating: 'good', conclusion: '建议采纳并落实。', by: 'handler' },
  },
  {
    start: { daysAgo: 8, hour: 15 },
    level: 'general',
    category: 'difficulty',
    lead: '人社局',
    origin: 'other',
    originNote: '网络监测：清河论坛·民生热线',
    title: '华晟市政工程公司拖欠45名农民工工资近5个月',
    text: '我们45个工友在华晟市政的滨河路工地干活，工资拖了快五个月。公司说等财政付款，可我们等不起了。',
    summary: '滨河路工地45名农民工反映被拖欠工资近五个月。',
    publish: [
      {
        h: 67,
        channel: 'reply',
        body: '您好！市人社局已约谈华晟市政工程公司并下达限期改正指令，要求15日内足额支付。财政部门已加快该项目工程款拨付进度，专款用于支付农民工工资。',
      },
    ],
    feedback: [
      { h: 91, kind: 'reaction', body: '原帖网民质疑回应太慢，要求公布具体发放时间。' },
      { h: 140, kind: 'action', body: '已发放首批工资28人共计61万元，其余17人将于下周发放。' },
    ],
    close: { h: 170, rating: 'average', conclusion: '欠薪已分批解决；首次回应超时，已在周通报中点名提醒。', by: 'handler' },
  },
  {
    start: { daysAgo: 6, hour: 10 },
    level: 'general',
    category: 'difficulty',
    lead: '生态环境局',
    origin: 'hotline',
    originNote: '12345热线工单 QH2026-1206-0521',
    title: '城西造纸厂异味扰民 北关街道居民夜不能寐',
    text: '北关街道这边每天晚上都有一股酸臭味，应该是城西那家造纸厂的，晚上都不敢开窗，孩子老咳嗽。',
    summary: '北关街道居民反映造纸厂夜间异味扰民。',
    publish: [
      {
        h: 30,
        channel: 'website',
        body: '市生态环境局已对城西造纸厂开展夜间执法检查，发现其污水处理站厌氧池加盖密闭不严导致异味外溢，已责令限期整改，并在北关街道设置临时监测点，监测数据每日公开。',
      },
    ],
    feedback: [
      { h: 80, kind: 'release', body: '北关街道临时监测点数据已连续三日在局网站公开，臭气浓度达标。' },
      { h: 120, kind: 'reaction', body: '回访居民，夜间异味明显减轻，仍希望企业彻底整改。' },
    ],
  },
  // ── The last five days: still open, or in follow-up ────────────────────────────────────────────
  {
    start: { daysAgo: 5, hour: 11 },
    level: 'general',
    category: 'difficulty',
    lead: '住建局',
    origin: 'other',
    originNote: '网络监测：清河论坛',
    title: '清河新城三期延期交房 业主要求说法',
    text: '清河新城三期合同约定上月交房，现在工地还在施工，开发商一句“不可抗力”就推了。业主要求政府督促开发商给说法。',
    summary: '清河新城三期逾期交房，业主要求督促开发商。',
    publish: [
      {
        h: 47,
        channel: 'website',
        body: '市住建局已约谈清河新城三期开发商，要求其向业主书面说明延期原因并公布新的交房时间表，按合同约定承担逾期违约责任。我局将每周督查工程进度，并在网站公开。',
      },
    ],
    feedback: [{ h: 100, kind: 'reaction', body: '开发商已发布致业主的公开信，业主群仍在讨论违约金计算方式。' }],
  },
  {
    start: { daysAgo: 4, hour: 9 },
    level: 'general',
    category: 'wrong_view',
    lead: '教育局',
    origin: 'other',
    originNote: '网络监测：清河新闻网评论区',
    title: '网民称城关镇中心小学“乱收费”',
    text: '城关镇中心小学又让交钱，说是什么校服费、课后服务费，这不就是变相乱收费吗？',
    summary: '网民质疑中心小学收取校服费、课后服务费属乱收费。',
    publish: [
      {
        h: 25,
        channel: 'new_media',
        body: '市教育局回应：城关镇中心小学收取的课后服务费按省定标准执行，家长自愿参加；校服由家长自愿购买，学校不得强制。两项收费均已在校门口公示。如发现强制收费，可拨打市教育局监督电话举报。',
      },
    ],
    feedback: [{ h: 53, kind: 'reaction', body: '评论区多数网民认可“自愿”原则，个别网民仍有质疑。' }],
  },
  {
    start: { daysAgo: 4, hour: 15 },
    level: 'general',
    category: 'difficulty',
    lead: '城关镇',
    origin: 'hotline',
    originNote: '12345热线工单 QH2026-1209-0117',
    title: '东关村路灯损坏数月无人修',
    text: '东关村主路十几盏路灯坏了好几个月，晚上一片漆黑，老人晚上出门摔了好几次，反映了多次没人管。',
    summary: '东关村主路路灯长期损坏，夜间出行不便。',
    pending: {
      h: 70,
      stage: 'returned',
      body: '您好！经核实，东关村主路路灯损坏系线路老化所致，我镇正在协调维修。',
      comment: '回复过于笼统：请写明损坏数量、维修责任单位和具体完成时限。',
    },
    feedback: [{ h: 67, kind: 'action', body: '城关镇已联系供电所现场查看，需更换线路约800米。' }],
  },
  {
    start: { daysAgo: 4, hour: 10 },
    level: 'significant',
    category: 'difficulty',
    lead: '人社局',
    co: ['住建局'],
    origin: 'cyberspace_office',
    originNote: '市委网信办转办（短视频平台）',
    title: '宏达建筑公司拖欠锦绣华庭项目工人工资 工人拉横幅讨薪',
    text: '短视频显示，十余名工人在锦绣华庭项目门口拉横幅讨薪，称宏达建筑公司拖欠工资半年，视频播放量已超过十万。',
    summary: '锦绣华庭项目工人拉横幅讨薪视频传播较广，涉及宏达建筑公司欠薪。',
    coordination: { h: 3, content: '请住建局提供锦绣华庭项目工资专户和总包单位履约情况，人社局牵头约谈宏达建筑公司，回应口径由人社局统一起草。' },
    pending: {
      h: 80,
      stage: 'submitted',
      body: '关于锦绣华庭项目工人反映欠薪问题的情况说明：市人社局已会同住建局约谈宏达建筑公司，核实拖欠23名工人工资约67万元，总包单位承诺7日内通过工资专户先行支付。我们将全程跟踪，确保工资足额发放到位。',
    },
  },
  {
    start: { daysAgo: 3, hour: 16 },
    level: 'general',
    category: 'difficulty',
    lead: '市场监管局',
    origin: 'mailbox',
    originNote: '领导信箱来信（家长孙女士）',
    title: '中山路一培训机构收费后闭店 家长退费难',
    text: '中山路一家少儿英语培训机构上个月突然关门，我们交了一年的学费一万多块，现在联系不上负责人，几十个家长都退不了费。',
    summary: '培训机构闭店，数十名家长预付学费难退。',
    publish: [
      {
        h: 22,
        channel: 'reply',
        body: '孙女士您好！市场监管局已对该机构立案调查，并会同教育局成立退费工作专班，请家长于本周内携带缴费凭证到中山路市场监管所登记。涉嫌违法犯罪的，将移送公安机关处理。',
      },
    ],
    feedback: [{ h: 50, kind: 'action', body: '已登记家长46人，涉及预付费用约52万元。' }],
  },
  {
    start: { hoursAgo: 44 },
    openH: 1,
    level: 'general',
    category: 'difficulty',
    lead: '住建局',
    origin: 'hotline',
    originNote: '12345热线工单 QH2026-1214-0308',
    title: '杨柳社区二次供水水压不足 高层住户用水难',
    text: '杨柳社区12号楼15层以上一到早晚高峰就没水，洗澡做饭都成问题，物业说是二次供水设备老化。',
    summary: '杨柳社区高层住户反映二次供水水压不足。',
    pending: {
      h: 40,
      stage: 'draft',
      body: '您好！市住建局已安排供水企业对杨柳社区12号楼二次供水设备进行检修，更换老化水泵两台，预计本周内恢复正常供水。',
    },
  },
  {
    start: { hoursAgo: 30 },
    openH: 1.5,
    level: 'general',
    category: 'difficulty',
    lead: '人社局',
    origin: 'other',
    originNote: '网络监测：清河论坛·民生热线',
    title: '城东物流园快递分拣员反映加班费被克扣',
    text: '我们在城东物流园一家快递分拣中心上夜班，每天干十二个小时，加班费一直按最低标准算，还经常被以各种理由扣钱。',
    summary: '快递分拣员反映加班费被克扣。',
  },
  {
    start: { hoursAgo: 7 },
    openH: 0.5,
    level: 'general',
    category: 'suggestion',
    lead: '龙山镇',
    origin: 'mailbox',
    originNote: '领导信箱来信（龙山镇居民）',
    title: '建议龙山森林公园周末增开公交专线',
    text: '周末去龙山森林公园的人很多，公交要换乘两次，自驾又没地方停车。建议周末开通从市区到公园的旅游专线。',
    summary: '居民建议周末开通市区至龙山森林公园公交专线。',
  },
];
