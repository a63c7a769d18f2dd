// Fictional text material for the demo city 清河市: slot values and the kinds of event the demo
// publisher reports on (demo/content.ts). Everything here is invented; any resemblance to real
// places, firms or people is accidental.
import { DEMO_TOWNS, type DemoTown } from './places.js';

export type DemoChannel = 'news' | 'forum' | 'mailbox';

export type DemoTopic =
  | 'demolition' // 拆迁补偿
  | 'wages' // 欠薪
  | 'water' // 水污染
  | 'canteen' // 学校食堂
  | 'rumour' // 网传谣言 / 辟谣
  | 'meeting'
  | 'weather'
  | 'jobs'
  | 'culture'
  | 'traffic'
  | 'suggestion'
  | 'chat';

/** The topics the demo monitoring rules are written to catch. */
export const FLAGGED_TOPICS: readonly DemoTopic[] = ['demolition', 'wages', 'water', 'canteen', 'rumour'];

/**
 * What makes two events of a kind two events: the place (a 村/社区 with its own town), the town, the
 * firm, the school or the road. A new event under a familiar headline differs in it; 'none' means
 * the kind has one event at a time (a second post under its headline tells the same event).
 * Villages, firms, schools and roads are held by one live event of any kind at a time.
 */
export type Identity = 'village' | 'town' | 'company' | 'school' | 'road' | 'none';

/** Another account of an event: a news write-up of a complaint or the bureau's 答复 to it. */
export interface Retelling {
  channel: DemoChannel;
  /** A newsroom or government text. */
  official: boolean;
  negative: boolean;
  titles: string[];
  body: string[][];
}

export interface EventKind {
  key: string;
  topic: DemoTopic;
  /** Carries complaint words (投诉, 愤怒, 寒心 …). */
  negative: boolean;
  /** Written by a newsroom or a government account (goes to the 政务新媒体 feeds too). */
  official: boolean;
  weight: number;
  channels: DemoChannel[];
  identity: Identity;
  /** Towns the kind's events happen in (default: every town of the area). */
  towns?: readonly DemoTown[];
  /** Headlines of one event: a first report takes one, a retelling may take another. */
  titles: string[];
  /** One sentence is picked from each group, in order; '' means the group is skipped. */
  body: string[][];
  /** Write-ups and 答复 of the kind's events. */
  retellings?: Retelling[];
}

export const SLOTS: Record<string, string[]> = {
  project: ['旧城改造', '棚户区改造', '滨河路拓宽工程', '高铁站片区开发', '老街区更新项目'],
  company: ['宏达建筑公司', '鑫源劳务公司', '龙腾建工集团', '恒信置业公司', '华晟工程公司', '顺达劳务公司', '金穗建设公司'],
  site: ['锦绣华庭', '滨河湾', '清河新城三期', '城东物流园', '翠湖名苑'],
  river: ['清河', '龙溪河', '白沙河', '南干渠'],
  factory: ['城西一家造纸厂', '工业园一家印染企业', '上游一家养殖场', '附近一家化工厂'],
  school: ['清河市第三中学', '城关镇中心小学', '河西实验小学', '龙山镇初级中学', '清河市第五中学'],
  park: ['人民公园', '滨河公园', '青峰森林公园', '月湖湿地公园'],
  road: ['中山路', '滨河路', '建设大道', '解放街', '龙山大道'],
  weekday: ['周一', '周三', '周五', '周六', '下周二'],
};

/** Pools the forum and mailbox pick authors from. */
export const AUTHORS: Record<DemoChannel, string[]> = {
  news: ['本网记者 王晓燕', '记者 刘建国', '通讯员 陈静', '本网记者 赵磊', '清河新闻网'],
  forum: ['清河老街坊', '龙山小李', '河西打工人', '一只路过的猫', '城关老王', '吃瓜群众2026', '清河观察者', '晨跑的阿强', '桃源乡亲', '热心市民张女士'],
  mailbox: ['张**', '李*', '王先生', '刘女士', '匿名网民', '陈**', '赵先生', '孙女士'],
};

const DEMOLITION_TOWNS: DemoTown[] = ['城关镇', '河西街道', '龙山镇'];

export const EVENT_KINDS: EventKind[] = [
  {
    key: 'demolition-complaint', topic: 'demolition', negative: true, official: false, weight: 10, channels: ['forum', 'forum', 'mailbox'],
    identity: 'village', towns: DEMOLITION_TOWNS,
    titles: [
      '{town}{village}拆迁补偿款迟迟未到位，谁来管？',
      '{town}{village}拆迁户：签协议{months}个月了，补偿款还没拿到',
      '强烈投诉{town}{village}{project}征收补偿标准不公',
    ],
    body: [
      ['我是{town}{village}的村民，家里的老房子在{project}范围内。', '{project}启动快一年了，我们{town}{village}有{n}户人家签了拆迁协议。'],
      ['当时说好签约后三个月内补偿款全部到位，可到现在已经{months}个月了，一分钱都没见到。', '协议上写得清清楚楚，补偿款签约后九十天内付清，现在早就过了期限。'],
      ['去镇上问了好几次，工作人员只说在走程序，让我们回去等。', '找村里，村里说是镇上的事；找镇上，镇上又说资金还没拨下来。'],
      ['同样面积的房子，邻村每平方米补偿多出{m}00元，标准为什么不一样？', '现在一家老小在外面租房住，每月房租{rent}元，全靠借钱撑着。'],
      ['大家都很愤怒，也很无奈。', '老百姓的血汗钱就这样被拖着，实在让人寒心。', '我们已经向镇政府投诉多次，始终没有答复。'],
      ['希望有关部门尽快给个说法，把补偿款发到群众手里。', '恳请市领导关注此事，督促{town}依法依规落实补偿。'],
    ],
    retellings: [
      {
        channel: 'news', official: false, negative: true,
        titles: ['{town}{village}{n}户拆迁户反映补偿款逾期未付', '记者调查：{town}{village}拆迁补偿款为何迟迟不到位'],
        body: [
          ['近日，{town}{village}多名村民向本网反映，{project}拆迁补偿款逾期未付。', '记者走访{town}{village}了解到，{project}范围内已有{n}户签订拆迁协议。'],
          ['村民称，协议约定签约后九十天内付清补偿款，如今已过去{months}个月，补偿款仍未到账。', '按照协议，补偿款早应发放，但已拖了{months}个月。'],
          ['不少村民在外租房，每月房租{rent}元，对拖延补偿十分不满。', '村民们对迟迟拿不到补偿款意见很大。'],
          ['记者已就此事联系{town}，对方表示正在核实。', '本网将持续关注此事进展。'],
        ],
      },
      {
        channel: 'news', official: true, negative: false,
        titles: ['关于{town}{village}拆迁补偿款发放问题的答复'],
        body: [
          ['网民反映{town}{village}{project}拆迁补偿款未按期发放的问题收悉。', '关于{town}{village}{n}户签约户补偿款发放问题，现答复如下。'],
          ['经市住建局会同{town}核查，{village}片区已签约{n}户，因第二批征收资金拨付手续未办结，补偿款发放出现延迟。'],
          ['目前资金已落实，将于本周内发放至签约户账户。', '对因延迟给群众带来的不便，我们深表歉意。'],
        ],
      },
    ],
  },
  {
    key: 'demolition-progress', topic: 'demolition', negative: false, official: true, weight: 2, channels: ['news'],
    identity: 'village', towns: DEMOLITION_TOWNS,
    titles: ['{town}{village}{project}征收工作有序推进 已签约{n}户'],
    body: [
      ['记者从{town}获悉，{village}片区{project}房屋征收工作进展顺利。'],
      ['截至目前，{village}已有{n}户居民签订补偿安置协议，签约率达{pct}%。'],
      ['{town}相关负责人表示，补偿款将严格按照协议约定时间足额发放。', '据介绍，{village}安置房计划于明年年底前交付使用。'],
      ['下一步，{town}将继续做好政策解释和群众服务工作。', ''],
    ],
  },
  {
    key: 'demolition-briefing', topic: 'demolition', negative: false, official: true, weight: 2, channels: ['news'],
    identity: 'village', towns: DEMOLITION_TOWNS,
    titles: ['{town}在{village}召开{project}补偿安置政策宣讲会'],
    body: [
      ['{town}近日在{village}召开{project}补偿安置政策宣讲会，{m}0余名居民参加。'],
      ['工作人员现场解答了补偿标准、过渡安置费发放等问题。'],
      ['据介绍，{village}安置房选房将于{weekday}开始。', ''],
    ],
  },
  {
    key: 'wages-complaint', topic: 'wages', negative: true, official: false, weight: 9, channels: ['forum', 'mailbox'],
    identity: 'company',
    titles: [
      '{company}拖欠{n}名农民工工资近{months}个月',
      '讨薪无门！在{town}{site}工地干了大半年，{company}一分没结',
      '年底了，{company}的欠薪什么时候能结清？',
    ],
    body: [
      ['我们一共{n}个工友，今年{month}月进场，在{town}的{site}项目给{company}干活。', '我在{town}{site}工地给{company}干钢筋工，和我一起的还有{n}个工友。'],
      ['包工头说开发商没给钱，开发商又说钱早就拨给了{company}，互相推诿。', '{company}的项目经理换了三个，每次去问都说下个月发。'],
      ['算下来每人被拖欠工资{wage}元左右，家里老人看病、孩子上学都等着用钱。', '眼看就要过年了，拖欠工资一直不结，回家都不知道怎么跟家里人交代。'],
      ['我们去工地讨薪，被保安拦在门外。', '工友们心里都很着急，有的已经愤怒得想去上访。', ''],
      ['希望人社部门出面协调，帮我们农民工讨回血汗钱。', '恳请政府帮帮我们这些打工的人。'],
    ],
    retellings: [
      {
        channel: 'news', official: false, negative: true,
        titles: ['{n}名农民工反映{company}拖欠工资', '{town}{site}工地农民工讨薪：{company}欠薪{months}个月'],
        body: [
          ['近日，在{town}{site}项目务工的{n}名农民工向本网反映，{company}拖欠工资已近{months}个月。'],
          ['据农民工介绍，每人被拖欠工资{wage}元左右，多次讨要无果。', '农民工说，{company}一直以开发商未拨款为由推诿。'],
          ['记者已将情况反映给市人社局。', '本网将持续关注此事进展。'],
        ],
      },
      {
        channel: 'news', official: true, negative: false,
        titles: ['关于{company}拖欠农民工工资问题的答复'],
        body: [
          ['网民反映{company}在{town}{site}项目拖欠{n}名农民工工资的问题收悉。'],
          ['经市人社局调查核实，{company}确有拖欠农民工工资情况，已责令其限期支付。', '市人社局已约谈{company}负责人，督促其在春节前结清拖欠工资。'],
          ['劳动者遇到拖欠工资问题，可拨打12333热线反映。'],
        ],
      },
    ],
  },
  {
    key: 'wages-campaign', topic: 'wages', negative: false, official: true, weight: 3, channels: ['news'],
    identity: 'none',
    titles: ['市人社局开展根治欠薪冬季专项行动', '我市根治欠薪冬季专项行动启动'],
    body: [
      ['为切实保障农民工工资权益，市人社局近日启动根治欠薪冬季专项行动。'],
      ['行动将持续至春节前，重点检查在建工程项目农民工工资专用账户和实名制管理落实情况。'],
      ['劳动者遇到拖欠工资问题，可拨打12333热线反映。', '市人社局提醒用人单位依法按时足额支付劳动报酬。'],
    ],
  },
  {
    key: 'water-complaint', topic: 'water', negative: true, official: false, weight: 8, channels: ['forum', 'forum', 'mailbox'],
    identity: 'village',
    titles: ['{town}{village}旁的{river}河水发黑发臭，还有死鱼漂在水面', '{town}{village}附近的{river}又有人排污，恶臭熏得人睡不着'],
    body: [
      ['最近一个星期，{town}{village}旁边的{river}河水颜色越来越深，靠近岸边能闻到刺鼻的恶臭。', '我家就住在{town}{village}，紧挨着{river}，这几天一开窗就是一股臭味。'],
      ['今天早上散步时看到水面上漂着十几条死鱼。', '岸边的排水口一到晚上就往河里放黑水。'],
      ['附近居民怀疑是{factory}夜里偷偷排污。', '大家都说是{factory}干的，白天不排晚上排。'],
      ['我们打过环保热线投诉，来人看了一眼就走了，到现在也没有结果。', '家里孩子小，天天闻着这个味道，大家都很担心，也很气愤。'],
      ['请生态环境部门彻查排污源头，还我们一条干净的河。', '希望有关部门认真管一管。'],
    ],
    retellings: [
      {
        channel: 'news', official: false, negative: true,
        titles: ['{town}{village}村民反映{river}遭排污 河水发黑有死鱼'],
        body: [
          ['近日，{town}{village}村民向本网反映，村旁{river}河水发黑发臭，水面出现死鱼。'],
          ['村民怀疑是{factory}夜间偷排污水。', '村民说，排水口多在夜间往河里排放黑水。'],
          ['记者已将情况反映给市生态环境局。', '本网将持续关注此事进展。'],
        ],
      },
      {
        channel: 'news', official: true, negative: false,
        titles: ['关于{town}{village}段{river}水污染问题的答复'],
        body: [
          ['网民反映{town}{village}附近{river}河水发黑、有死鱼的问题收悉。'],
          ['市生态环境局已到{village}现场采样，对沿河排污口逐一排查，并对{factory}开展检查。'],
          ['检测结果出来后将及时向社会公布，发现偷排行为将依法严肃查处。'],
        ],
      },
    ],
  },
  {
    key: 'water-campaign', topic: 'water', negative: false, official: true, weight: 3, channels: ['news'],
    identity: 'none',
    titles: ['市生态环境局开展全市河道水污染专项整治', '我市启动河道水污染专项整治'],
    body: [
      ['为改善全市河道水环境质量，市生态环境局近日开展水污染专项整治。'],
      ['整治期间将排查沿河排污口，对重点企业开展现场检查。', '下一步将加密对沿河企业的在线监测，发现问题立即处置。'],
      ['群众发现水污染或偷排漏排行为，可拨打12369环保热线反映。'],
    ],
  },
  {
    key: 'canteen-complaint', topic: 'canteen', negative: true, official: false, weight: 6, channels: ['forum', 'mailbox'],
    identity: 'school',
    titles: ['{school}食堂饭菜变质，多名学生腹泻', '孩子在{school}食堂吃完午饭后腹泻，家长很担心'],
    body: [
      ['昨天中午，{school}不少学生在食堂吃完午饭后出现肚子疼、腹泻的症状。', '我家孩子在{school}上学，前天吃完学校食堂的午饭，晚上就开始拉肚子。'],
      ['孩子回家说当天的青菜有股酸味，米饭也不新鲜，像是变质了。', '同班好几个孩子都一样，有的还发了烧。'],
      ['据家长群里统计，至少有{n}个孩子去了医院。', ''],
      ['学校到现在没有给家长一个正式的说法，大家非常愤怒。', '食堂承包给外面的公司以后，饭菜质量一直被家长投诉。'],
      ['希望教育局和市场监管局尽快调查，保障孩子们吃得安全。', '请有关部门查清楚，给家长们一个交代。'],
    ],
    retellings: [
      {
        channel: 'news', official: false, negative: true,
        titles: ['家长反映{school}多名学生在食堂就餐后腹泻'],
        body: [
          ['近日，{school}多名学生家长向本网反映，孩子在学校食堂吃完午饭后出现腹泻症状。'],
          ['家长称，至少{n}名学生到医院就诊，怀疑食堂饭菜变质。'],
          ['记者已将情况反映给市教育局。', '本网将持续关注此事进展。'],
        ],
      },
      {
        channel: 'news', official: true, negative: false,
        titles: ['关于{school}学生食堂就餐后腹泻问题的答复'],
        body: [
          ['网民反映{school}学生在食堂就餐后腹泻的问题收悉。'],
          ['市教育局、市市场监管局已进驻{school}，封存食堂留样，对食材和餐具进行检测。'],
          ['就诊学生已无大碍，调查结果将及时向家长通报。'],
        ],
      },
    ],
  },
  {
    key: 'canteen-inspection', topic: 'canteen', negative: false, official: true, weight: 2, channels: ['news'],
    identity: 'none',
    titles: ['市教育局开展秋季校园食品安全专项检查'],
    body: [
      ['为保障师生饮食安全，市教育局联合市市场监管局开展秋季校园食品安全专项检查。'],
      ['检查组深入全市{n}所学校食堂，查看食材采购台账、留样记录和后厨卫生。'],
      ['对发现的问题，检查组当场反馈并要求限期整改，严防学生食堂饭菜变质、食物中毒。'],
    ],
  },
  {
    key: 'rumour-water', topic: 'rumour', negative: true, official: false, weight: 3, channels: ['forum'],
    identity: 'town',
    titles: ['网传{town}{weekday}起停水三天？', '{town}要停水三天？超市的水都被抢光了'],
    body: [
      ['今天家族群里有人转发消息，网传{town}一带{weekday}开始停水，让大家赶紧储水。', '早上买菜的时候听说{town}{weekday}起要停水，好几个人都在传这件事。'],
      ['{town}超市里的桶装水都被抢光了，大家心里很慌。', '群里说得有鼻子有眼的，还配了图。'],
      ['有谁知道这个消息是真是假？', '有没有知情的朋友出来说一下？'],
    ],
    retellings: [
      {
        channel: 'news', official: true, negative: false,
        titles: ['网传“{town}停水三天”系谣言'],
        body: [
          ['近日，网上流传{town}{weekday}起将停水三天的消息，引发部分市民关注。'],
          ['经核实，该消息不实。市自来水公司表示，目前{town}供水正常。'],
          ['请广大市民以官方发布的信息为准，不信谣、不传谣，公安机关将依法查处造谣传谣行为。'],
        ],
      },
    ],
  },
  {
    key: 'rumour-plant', topic: 'rumour', negative: true, official: false, weight: 2, channels: ['forum'],
    identity: 'none',
    titles: ['听说城西化工厂要爆炸了，是真的吗'],
    body: [
      ['朋友圈里有人发了一段视频，说城西化工厂罐体泄漏，随时可能爆炸。', '听说城西化工厂出事了，附近的人都在往外跑，说是要爆炸。'],
      ['我家离城西化工厂不到两公里，吓得不敢在家待着。', '城西化工厂附近的人都在转这段视频。'],
      ['有没有知情的朋友出来说一下？'],
    ],
    retellings: [
      {
        channel: 'news', official: true, negative: false,
        titles: ['关于网传“城西化工厂爆炸”的情况说明'],
        body: [
          ['近日，有网民在论坛发帖称城西化工厂将发生爆炸。'],
          ['经核实，该消息不实，城西化工厂生产正常。目前全市生产生活秩序正常。'],
          ['请广大市民以官方发布的信息为准，不信谣、不传谣，公安机关将依法查处造谣传谣行为。'],
        ],
      },
    ],
  },
  {
    key: 'meeting-standing', topic: 'meeting', negative: false, official: true, weight: 2, channels: ['news'],
    identity: 'none',
    titles: ['市政府召开第{n}次常务会议'],
    body: [
      ['{month}月{day}日，市长周文海主持召开市政府第{n}次常务会议，研究部署近期重点工作。'],
      ['会议听取了全市经济运行情况汇报，审议通过了有关文件。'],
      ['各县区、市直有关部门主要负责同志列席会议。', ''],
    ],
  },
  {
    key: 'meeting-business', topic: 'meeting', negative: false, official: true, weight: 1, channels: ['news'],
    identity: 'none',
    titles: ['全市营商环境优化提升推进会召开'],
    body: [
      ['{month}月{day}日，全市营商环境优化提升推进会召开，副市长出席并讲话。'],
      ['会议通报了政务服务“一网通办”和企业开办提速进展。', '会议要求进一步压缩审批时限，提升市场主体满意度。'],
    ],
  },
  {
    key: 'meeting-safety', topic: 'meeting', negative: false, official: true, weight: 1, channels: ['news'],
    identity: 'none',
    titles: ['市政府召开冬季安全生产工作会议'],
    body: [
      ['{month}月{day}日，市政府召开冬季安全生产工作会议，部署岁末年初安全防范工作。'],
      ['会议强调，要压实各方责任，重点抓好燃气、消防和道路交通安全。'],
    ],
  },
  {
    key: 'weather', topic: 'weather', negative: false, official: true, weight: 5, channels: ['news'],
    identity: 'none',
    titles: ['清河市气象台发布寒潮蓝色预警', '本周末我市将迎来明显降温降雨天气'],
    body: [
      ['据清河市气象台消息，受冷空气影响，{weekday}起我市气温将下降{n}度左右。', '受寒潮影响，{weekday}起我市有明显降温降雨，降温幅度{n}度左右。'],
      ['最低气温将降至零下{m}度，请市民注意添衣保暖。', '雨天地面湿滑，请广大市民出行注意安全。'],
      ['农业部门提醒种植户提前做好大棚加固和防冻措施。', ''],
    ],
  },
  {
    key: 'jobs-company', topic: 'jobs', negative: false, official: false, weight: 2, channels: ['forum', 'news'],
    identity: 'company',
    titles: ['{company}招聘施工员、安全员 待遇从优'],
    body: [
      ['因业务发展需要，{company}现招聘施工员{n}名、安全员{m}名。'],
      ['要求身体健康，有相关工作经验者优先。', '包吃包住，工资月结，绝不拖欠工资。'],
      ['有意者请携带身份证到{company}项目部面试，联系电话0539-886{tel}。'],
    ],
  },
  {
    key: 'jobs-resettlement', topic: 'jobs', negative: false, official: false, weight: 1, channels: ['forum', 'news'],
    identity: 'none',
    titles: ['【招聘】城关镇拆迁安置项目部招聘施工员、资料员'],
    body: [
      ['城关镇拆迁安置项目部现招聘施工员{n}名、资料员{m}名。'],
      ['要求身体健康，有相关工作经验者优先。'],
      ['有意者请携带身份证到项目部面试，联系电话0539-886{tel}。'],
    ],
  },
  {
    key: 'jobs-guard', topic: 'jobs', negative: false, official: false, weight: 2, channels: ['forum'],
    identity: 'none',
    titles: ['龙山安置小区项目招聘保安、保洁（广告）'],
    body: [
      ['龙山安置小区项目长期招聘保安、保洁若干名，年龄60岁以下。'],
      ['包吃包住，工资月结，绝不拖欠工资。'],
      ['有意者请到龙山镇龙山安置小区项目部面试，联系电话0539-886{tel}。'],
    ],
  },
  {
    key: 'culture-chrysanthemum', topic: 'culture', negative: false, official: true, weight: 2, channels: ['news', 'forum'],
    identity: 'none',
    titles: ['清河市第十届菊花文化节在{park}开幕'],
    body: [
      ['{month}月{day}日上午，清河市第十届菊花文化节在{park}开幕，上百个菊花品种吸引众多市民前来观赏。'],
      ['现场还安排了传统戏曲表演。', '文化节期间市民可免费入园赏菊。'],
    ],
  },
  {
    key: 'culture-papercut', topic: 'culture', negative: false, official: true, weight: 2, channels: ['news', 'forum'],
    identity: 'town',
    titles: ['{town}非遗剪纸作品展在{park}开展'],
    body: [
      ['{month}月{day}日，{town}非遗剪纸作品展在{park}开展，展出{town}剪纸艺人作品{n}件。'],
      ['现场还安排了亲子剪纸手工体验。', '市民可凭身份证免费入场参观。'],
    ],
  },
  {
    key: 'culture-reading', topic: 'culture', negative: false, official: true, weight: 1, channels: ['news'],
    identity: 'none',
    titles: ['“书香清河”全民阅读月活动在{park}启动'],
    body: [
      ['{month}月{day}日，“书香清河”全民阅读月活动在{park}启动。'],
      ['据介绍，阅读月期间还将举办讲座、读书分享会等{m}场配套活动。'],
    ],
  },
  {
    key: 'traffic-roadworks', topic: 'traffic', negative: false, official: true, weight: 3, channels: ['news'],
    identity: 'road',
    titles: ['{road}部分路段施工 交警发布绕行提示', '{road}管网改造 {weekday}起半幅通行'],
    body: [
      ['因管网改造施工，{road}部分路段将于{weekday}起实行半幅通行。'],
      ['请过往车辆提前绕行{road}，服从现场交警指挥。'],
      ['施工期间给市民出行带来的不便，敬请谅解。', ''],
    ],
  },
  {
    key: 'traffic-bus', topic: 'traffic', negative: false, official: true, weight: 2, channels: ['news'],
    identity: 'none',
    titles: ['我市新增{m}条公交线路 {weekday}起开通'],
    body: [
      ['为方便群众出行，市公交公司将于{weekday}新开通{m}条公交线路。'],
      ['新线路首末班时间为6:00至21:00。'],
      ['市民可通过“清河公交”小程序查询实时到站信息。', ''],
    ],
  },
  {
    key: 'suggestion-bus', topic: 'suggestion', negative: false, official: false, weight: 2, channels: ['mailbox'],
    identity: 'town',
    titles: ['建议在{town}增设公交站点'],
    body: [
      ['尊敬的市长您好！我是{town}的居民。'],
      ['现在{town}附近的公交站离小区有一公里多，老人出行很不方便。'],
      ['建议有关部门研究一下，谢谢！'],
    ],
  },
  {
    key: 'suggestion-parking', topic: 'suggestion', negative: false, official: false, weight: 1, channels: ['mailbox'],
    identity: 'village',
    titles: ['关于{town}{village}周边增设停车位的建议'],
    body: [
      ['市长您好！我住在{town}{village}。'],
      ['{village}周边停车位太少，晚上车只能停在路边，消防通道经常被堵。'],
      ['建议在{village}附近的空地规划建设停车场，谢谢！'],
    ],
  },
  {
    key: 'suggestion-park', topic: 'suggestion', negative: false, official: false, weight: 1, channels: ['mailbox'],
    identity: 'none',
    titles: ['建议{park}延长开放时间'],
    body: [
      ['市长您好！我经常带孩子去{park}。'],
      ['晚上下班以后想去走走，可是{park}晚上八点就关门了。'],
      ['建议{park}夏秋季延长到晚上十点，谢谢！'],
    ],
  },
  {
    key: 'chat-park', topic: 'chat', negative: false, official: false, weight: 1, channels: ['forum'],
    identity: 'none',
    titles: ['周末带娃去{park}玩，人好多'],
    body: [
      ['周末天气不错，一家人去{park}转了转。'],
      ['{park}里人山人海，停车都找不到位置。', '拍了几张照片，分享给大家。'],
    ],
  },
  {
    key: 'chat-breakfast', topic: 'chat', negative: false, official: false, weight: 2, channels: ['forum'],
    identity: 'town',
    titles: ['求推荐{town}好吃的早餐店'],
    body: [
      ['刚搬来{town}不久，想问问大家的意见。'],
      ['{town}哪家的豆浆油条好吃？', '大家有什么好的推荐吗？'],
    ],
  },
  {
    key: 'chat-bookshop', topic: 'chat', negative: false, official: false, weight: 1, channels: ['forum'],
    identity: 'road',
    titles: ['{road}新开的书店环境不错'],
    body: [
      ['今天经过{road}，发现新开了一家书店。'],
      ['书店里还有咖啡座，环境很安静。', '拍了几张照片，分享给大家。'],
    ],
  },
];

/** Words swapped in a repost to mimic small edits (first occurrence only). */
export const REPOST_EDITS: [string, string][] = [
  ['我们', '咱们'],
  ['现在', '目前'],
  ['希望', '盼望'],
  ['非常', '十分'],
  ['大家', '居民们'],
  ['已经', '都'],
  ['近日', '日前'],
];

export interface RepostRoute {
  from: DemoChannel;
  to: DemoChannel;
  titlePrefix: string;
  intro: string;
  outro: string[];
}

/** How a post travels to another channel: a framing line first, often a line added at the end. */
export const REPOST_ROUTES: RepostRoute[] = [
  { from: 'forum', to: 'news', titlePrefix: '网友反映：', intro: '据网友在清河论坛发帖反映：', outro: ['本网将持续关注此事进展。', '记者已就此事联系相关部门。'] },
  { from: 'forum', to: 'mailbox', titlePrefix: '', intro: '我在论坛上看到这个帖子，情况属实，特向市长反映：', outro: ['请市长关注。'] },
  { from: 'news', to: 'forum', titlePrefix: '【转】', intro: '转自清河新闻网。', outro: ['顶上去，希望引起重视！', '大家帮忙转发一下。', ''] },
  { from: 'mailbox', to: 'forum', titlePrefix: '【转帖】', intro: '以下是我写给领导信箱的信，发上来让大家看看。', outro: ['顶上去，希望引起重视！', ''] },
];

/** Credit lines an excerpt ends with, per channel it was taken from. */
export const CREDIT_LINES: Record<DemoChannel, string> = {
  news: '来源：清河新闻网',
  forum: '来源：清河论坛',
  mailbox: '来源：清河市领导信箱',
};

export { DEMO_TOWNS };
