// The demo organisation: departments, monitoring rules and sources pointing at the fixture site.
import type { Db } from '../db/client.js';
import { DEMO_TOWNS, DEMO_VILLAGE_PAIRS } from './places.js';
import { insertDemoUser, seedMonitoringOnce, usernameTaken } from '../db/repos/demo.js';
import { writeAudit } from '../db/repos/audit.js';
import { lockOfficeProfile, updateOfficeProfile } from '../db/repos/office-profile.js';
import { lockRsshubSettings, saveRsshubBase } from '../db/repos/rsshub-settings.js';
import { composeRsshubUrl, findRsshubTemplate } from '../services/sources/rsshub-templates.js';
import type { OfficeProfile } from '../core/reports/office.js';
import { getAreaSettings } from '../db/repos/places.js';
import { saveArea } from '../services/places/area.js';
import type { NewRule, NewSource, SiteSelectors } from '../db/schema.js';
import type { Category, DepartmentKind, Level, Role } from '../core/vocabulary.js';

/** CSS selectors of the fixture forum's list and thread pages. */
export const FORUM_SELECTORS: SiteSelectors = {
  item: 'table.thread-list tr.thread',
  link: 'td.subject a',
  title: 'td.subject a',
  date: 'td.date',
  text: 'div.post-content',
};

/** CSS selectors of the fixture mayor's mailbox (GBK) list and letter pages. */
export const MAILBOX_SELECTORS: SiteSelectors = {
  item: 'table.letters tr.letter',
  link: 'td.title a',
  title: 'td.title a',
  date: 'td.date',
  text: 'div.letter-content',
};

export const DEMO_DEPARTMENTS: { name: string; kind: DepartmentKind }[] = [
  { name: '市政府办公室', kind: 'office' },
  { name: '住建局', kind: 'bureau' },
  { name: '人社局', kind: 'bureau' },
  { name: '生态环境局', kind: 'bureau' },
  { name: '教育局', kind: 'bureau' },
  { name: '市场监管局', kind: 'bureau' },
  { name: '公安局', kind: 'bureau' },
  { name: '城关镇', kind: 'town' },
  { name: '龙山镇', kind: 'town' },
];

export const DEMO_RULES: { name: string; expression: string; department: string; level: Level; category: Category; negativeOnly?: boolean }[] = [
  { name: '拆迁补偿', expression: '(城关|河西|龙山|清河)+(拆迁|补偿|强拆|征收)-(招聘|广告)', department: '住建局', level: 'significant', category: 'difficulty' },
  { name: '欠薪', expression: '(欠薪|讨薪|拖欠工资|拖欠工资款|农民工工资)-(招聘)', department: '人社局', level: 'general', category: 'difficulty' },
  { name: '水污染', expression: '(河|水|排污)+(污染|恶臭|死鱼|排污)', department: '生态环境局', level: 'general', category: 'difficulty' },
  { name: '学校食堂', expression: '(学校|学生|校园)+(食堂|饭菜|餐)+(变质|腹泻|异物|中毒)', department: '教育局', level: 'major', category: 'emergency' },
  { name: '网传谣言', expression: '(网传|传言|谣传|听说)+(停水|停电|封路|爆炸|地震)', department: '公安局', level: 'general', category: 'rumour' },
];

/** The real-world corpus feeds the demo also crawls (served by the fixture site under /real/). */
export const DEMO_REAL_FEEDS: { file: string; name: string }[] = [
  { file: 'encoding-gb2312.xml', name: '真实样本：腾讯新闻国内（GB2312）' },
  { file: 'rss-1.rss', name: '真实样本：Science（RSS 1.0）' },
  { file: 'heise.atom', name: '真实样本：heise Developer（Atom）' },
  { file: 'guardian.rss', name: '真实样本：The Guardian（RSS 2.0）' },
];

/**
 * Seeds the demo organisation when the sources table is empty; does nothing otherwise, so it is
 * safe on every start. A transaction-scoped advisory lock makes two processes seeding at once
 * take turns: the second one finds the sources and stops.
 */
export async function seedDemo(db: Db, siteUrl: string, troubleSiteUrl?: string): Promise<void> {
  const base = siteUrl.replace(/\/+$/, '');
  const trouble = (troubleSiteUrl ?? siteUrl).replace(/\/+$/, '');
  const hostPorts = [...new Set([base, trouble])].map((u) => {
    const site = new URL(u);
    return `${site.hostname}:${site.port || (site.protocol === 'https:' ? '443' : '80')}`;
  });

  const first = await seedMonitoringOnce(db, {
    departments: DEMO_DEPARTMENTS,
    rules: (departmentId): NewRule[] =>
      DEMO_RULES.map((r) => ({
        name: r.name,
        expression: r.expression,
        negative_only: r.negativeOnly ?? false,
        suggested_level: r.level,
        suggested_category: r.category,
        suggested_department_id: departmentId.get(r.department) ?? null,
      })),
    sources: demoSources(base, trouble),
    allowHostPorts: hostPorts,
  });
  await seedOfficeProfile(db, first);
  await seedArea(db);
  await seedRsshubBase(db, rsshubBase(base));
}

/**
 * The demo's 辖区: 清河市 is fictional, so no county of the divisions is picked; its 乡镇/街道 and
 * 村/社区 (the places the demo's content names) are the office's own names. Set once, while no
 * area has been saved (an administrator's area stays).
 */
export const DEMO_AREA = {
  countyCode: null,
  areaName: '清河市',
  towns: DEMO_TOWNS,
  villages: DEMO_VILLAGE_PAIRS,
} as const;

async function seedArea(db: Db): Promise<void> {
  const area = await getAreaSettings(db);
  if (area.countyCode !== null || area.extras.length > 0 || area.updatedBy !== null) return;
  const extras = [
    ...DEMO_AREA.towns.map((name) => ({ name, townCode: null, aliasOf: null })),
    ...DEMO_AREA.villages.map(([town, name]) => ({ name, townCode: `x-${town}`, aliasOf: null })),
  ];
  await saveArea(db, { countyCode: null, areaName: DEMO_AREA.areaName, extras }, null, new Date());
}

/** The fixture site's fake RSSHub (demo/rsshub.ts), the demo office's RSSHub instance. */
export const rsshubBase = (base: string) => `${base}/rsshub`;

/** Sets the demo's RSSHub base URL, audited, while none is set and no administrator has set one. */
async function seedRsshubBase(db: Db, baseUrl: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await lockRsshubSettings(trx);
    if (before.baseUrl !== null || before.updatedBy !== null) return;
    await saveRsshubBase(trx, baseUrl, null, new Date());
    await writeAudit(trx, { actor: null, entity: 'rsshub_settings', entityId: 1, action: 'rsshub.update', before: { baseUrl: null }, after: { baseUrl } });
  });
}

/** A feed URL of an RSSHub template on the demo's instance. */
function rsshubUrl(base: string, template: string, params: Record<string, string>): string {
  const composed = composeRsshubUrl(rsshubBase(base), findRsshubTemplate(template)!, params);
  if ('problem' in composed) throw new Error(`Demo RSSHub template ${template}: ${composed.problem.message}`);
  return composed.url;
}

/** The demo's 单位信息: the fictional city's government office issues the notices. */
export const DEMO_OFFICE_PROFILE: OfficeProfile = {
  organ: '清河市人民政府办公室',
  mark: '清河市政务舆情通报',
  serialFormats: { weekly: '〔{年}〕第{号}期', monthly: '〔{年}〕月报第{号}期', quarterly: '〔{年}〕季报第{号}期', range: '〔{年}〕专报第{号}期' },
  recipients: '各乡镇人民政府、街道办事处，市直各部门：',
  copyTo: '市委办公室，市人大常委会办公室，市政协办公室，市委宣传部（市委网信办）。',
  printingOrgan: '清河市人民政府办公室',
  signature: '清河市人民政府办公室',
  disclosure: 'on_request',
  rectificationTo: '市政府办公室政务公开科',
};

/** The organ the migration's default profile names (no office has filled it in yet). */
const UNFILLED_ORGAN = '政务舆情回应工作办公室';

/**
 * Fills the office profile, audited: on the first seed, or later while it is still the migration's
 * default (a demo database from before the profile existed); an administrator's edits stay.
 */
async function seedOfficeProfile(db: Db, firstSeed: boolean): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await lockOfficeProfile(trx);
    if (!firstSeed && (before.organ !== UNFILLED_ORGAN || before.updatedBy !== null)) return;
    if (before.organ === DEMO_OFFICE_PROFILE.organ) return;
    await updateOfficeProfile(trx, DEMO_OFFICE_PROFILE, null, new Date());
    await writeAudit(trx, { actor: null, entity: 'office_profile', entityId: '1', action: 'office_profile.update', before: { organ: before.organ, mark: before.mark }, after: DEMO_OFFICE_PROFILE });
  });
}

/** The demo's 新闻搜索 queries (the fixture search engine answers 强拆 with a captcha page). */
export const DEMO_SEARCH_QUERIES = ['清河 拆迁', '城关镇 停水', '龙山镇 停水', '清河 强拆'];

/**
 * The demo's sources. `trouble` serves the failing and the real-world feeds: another address, so
 * a slow page there does not hold up the live sources' per-host politeness slot.
 */
export function demoSources(base: string, trouble = base): NewSource[] {
  const feed = (path: string, name: string, media: NewSource['media_type'], pollS: number, region = '清河市', at = base): NewSource => ({
    name,
    url: `${at}${path}`,
    kind: 'feed',
    media_type: media,
    region,
    poll_interval_s: pollS,
  });
  return [
    feed('/news/rss.xml', '清河新闻网', 'news', 10),
    {
      name: '清河论坛·民生热线',
      url: `${base}/forum/list.html`,
      kind: 'site',
      media_type: 'forum',
      region: '清河市',
      selectors: JSON.stringify(FORUM_SELECTORS),
      poll_interval_s: 15,
    },
    {
      name: '清河领导信箱',
      url: `${base}/mailbox/index.html`,
      kind: 'site',
      media_type: 'mailbox',
      region: '清河市',
      charset: null,
      selectors: JSON.stringify(MAILBOX_SELECTORS),
      poll_interval_s: 20,
    },
    feed('/gov/rdf.xml', '清河发布', 'gov_media', 30),
    feed('/gov/rss091.xml', '清河发布·交通天气（RSS 0.91）', 'gov_media', 30),
    { ...feed('', '人民网领导留言板·清河（RSSHub）', 'mailbox', 60), url: rsshubUrl(base, 'people-liuyan', { id: '539', state: '1' }) },
    { ...feed('', '微博关键词·清河（RSSHub）', 'forum', 30), url: rsshubUrl(base, 'weibo-keyword', { keyword: '清河' }) },
    {
      name: '清河新闻搜索',
      url: `${base}/search/news?q={query}&page={page}&format=rss`,
      kind: 'search',
      media_type: 'news',
      region: '清河市',
      // One query meets the search engine's captcha: the source's health shows it apart from the others.
      search_config: JSON.stringify({ queries: DEMO_SEARCH_QUERIES, ruleId: null, format: 'rss', selectors: null }),
      poll_interval_s: 120,
    },
    feed('/broken/feed.xml', '清河晚报（格式错误）', 'news', 60, '清河市', trouble),
    feed('/slow/feed.xml', '清河在线（响应缓慢）', 'news', 120, '清河市', trouble),
    feed('/error/feed.xml', '龙山镇政府网（服务器错误）', 'gov_media', 60, '龙山镇', trouble),
    feed('/challenge/feed.xml', '清河商情网（反爬验证）', 'other', 120, '清河市', trouble),
    ...DEMO_REAL_FEEDS.map((f) => feed(`/real/${f.file}`, f.name, 'other', 300, '', trouble)),
  ];
}

/** The demo's people: one per role, two handlers in different departments, two leaders. */
export const DEMO_USERS: {
  username: string;
  displayName: string;
  role: Role;
  department: string;
  isDepartmentHead?: boolean;
  leaderRank?: 'in_charge' | 'principal';
}[] = [
  { username: 'admin', displayName: '系统管理员', role: 'admin', department: '市政府办公室' },
  { username: 'duty', displayName: '值班员 王敏', role: 'duty', department: '市政府办公室' },
  { username: 'handler', displayName: '住建局经办人 李强', role: 'handler', department: '住建局', isDepartmentHead: true },
  { username: 'handler2', displayName: '人社局经办人 赵丽', role: 'handler', department: '人社局', isDepartmentHead: true },
  { username: 'reviewer', displayName: '办公室主任 陈刚', role: 'reviewer', department: '市政府办公室' },
  { username: 'leader', displayName: '分管副市长 刘洋', role: 'leader', department: '市政府办公室', leaderRank: 'in_charge' },
  { username: 'leader2', displayName: '市长 周伟', role: 'leader', department: '市政府办公室', leaderRank: 'principal' },
];

/**
 * Creates the demo users (all with `password`) whose usernames do not exist yet; existing ones are
 * left untouched, so it is safe on every start. Creates a missing department it needs. Returns the
 * usernames created.
 */
export async function seedDemoUsers(db: Db, password: string): Promise<string[]> {
  const { hashPassword } = await import('../services/users/password.js');
  const created: string[] = [];
  for (const u of DEMO_USERS) {
    if (await usernameTaken(db, u.username)) continue;
    const inserted = await insertDemoUser(db, {
      username: u.username,
      displayName: u.displayName,
      role: u.role,
      department: u.department,
      departmentKind: DEMO_DEPARTMENTS.find((d) => d.name === u.department)?.kind ?? 'bureau',
      isDepartmentHead: u.isDepartmentHead ?? false,
      leaderRank: u.leaderRank ?? null,
      passwordHash: await hashPassword(password),
    });
    if (inserted) created.push(u.username);
  }
  return created;
}
