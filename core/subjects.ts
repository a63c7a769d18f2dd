// What a complaint is about (拆迁, 停水, 欠薪, 食堂 …), for event grouping (core/stories.ts): two
// items at one village about different subjects tell two events. A small 政务 lexicon: each subject
// is a group of words that name it. Words that are also parts of names (化工厂, 水务公司, 物业公司)
// are avoided or weighed with the rest: a subject is what the words of the title and text say,
// the title counting more. Pure.

/** Subject → words naming it. Order does not matter; a word belongs to one subject. */
export const SUBJECTS: Readonly<Record<string, readonly string[]>> = {
  demolition: ['拆迁', '征收', '征地', '补偿款', '安置房', '补偿安置', '签约户', '拆除'],
  water: ['停水', '断水', '供水', '自来水', '吃水', '没水', '通水', '水管', '管网', '水压', '挑水', '送水'],
  power: ['停电', '断电', '供电', '电网', '电压'],
  wages: ['欠薪', '讨薪', '工资', '农民工', '工钱', '薪资'],
  food: ['食堂', '饭菜', '午餐', '供餐', '腹泻', '食物中毒', '食品安全', '就餐', '吃出'],
  pollution: ['污染', '排污', '偷排', '异味', '恶臭', '臭味', '怪味', '刺鼻', '发臭', '死鱼', '废气', '污水', '粪水', '粪污', '臭水'],
  road: ['道路', '路面', '坑洼', '坑坑洼洼', '路灯', '破损', '摔车', '红绿灯', '修路', '通行'],
  transit: ['公交', '站点', '停车位', '停车场', '停车'],
  hazard: ['爆炸', '泄漏', '危化', '罐体', '起火', '火灾', '垮坝', '透水', '投毒', '疏散'],
  medical: ['医疗', '看病', '医保', '就医', '诊所', '药费'],
  school: ['上学', '入学', '校车', '学费', '择校', '招生'],
  property: ['物业费', '电梯', '业主委员会', '交房', '延期交付', '停工', '复工'],
  heating: ['供暖', '暖气', '取暖', '供热', '不热'],
  noise: ['噪音', '噪声', '扰民', '吵得', '吵醒', '夜间施工'],
  fees: ['乱收费', '卫生费', '收费', '收取'],
};

const SUBJECT_OF = new Map(Object.entries(SUBJECTS).flatMap(([s, ws]) => ws.map((w) => [w, s] as const)));
/** Every word in one pass, longer words first where two start at one place. */
const WORD_RE = new RegExp([...SUBJECT_OF.keys()].sort((a, b) => b.length - a.length).join('|'), 'g');

/** A title's word counts this many times a body's. */
const TITLE_WEIGHT = 3;
/** Subjects weighing less than this share of the heaviest are passing mentions, not what the item is about. */
const MINOR_SHARE = 1 / 3;

function counts(s: string, into: Map<string, number>, weight: number): void {
  for (const m of s.matchAll(WORD_RE)) {
    const subject = SUBJECT_OF.get(m[0]) as string;
    into.set(subject, (into.get(subject) ?? 0) + weight);
  }
}

/** The subjects an item is about, from its title (weighted) and text; empty when no word of the lexicon is there. */
export function findSubjects(title: string, text: string): string[] {
  const score = new Map<string, number>();
  counts(title, score, TITLE_WEIGHT);
  counts(text, score, 1);
  const top = Math.max(0, ...score.values());
  return [...score]
    .filter(([, n]) => n >= top * MINOR_SHARE)
    .map(([s]) => s)
    .sort();
}

/** Both items say what they are about, and no subject is shared. */
export function subjectsDisjoint(a: readonly string[], b: readonly string[]): boolean {
  return a.length > 0 && b.length > 0 && !a.some((s) => b.includes(s));
}
