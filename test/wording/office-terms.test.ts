import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as vocabulary from '../../core/vocabulary.js';
import { NOTICE_TEXTS, renderNotice, type NoticeKey } from '../../core/notices.js';
import { composeFigures, type FigureInputs } from '../../core/reports/figures.js';
import { weekPeriod } from '../../core/reports/period.js';
import { defaultNotable, defaultRequirements, healthLines, overviewText } from '../../core/reports/text.js';
import { renderNoticeDocx } from '../../services/reports/docx.js';
import { part, textOf, unzip } from '../reports/helpers.js';

// The office's words (issue 15 §4): the Chinese a 政务 reader sees never uses the terms they stop
// at. Read here: the Chinese texts of every screen's message file, every label of
// core/vocabulary.ts, every notification text (as rendered, with a raw-key reason), the Chinese
// of every file under web/src outside comments (inline texts of components), and a generated
// notice (its editable parts and the .docx itself).

/**
 * The old terms and what replaced them. Allowed exceptions:
 * - 到期应回应 is the new wording of 应回应 / 应判定, so 应回应 counts only when not after 到期.
 * - 立案 followed by 查处 / 调查 / 侦查 is what an enforcement organ does (a court's or police
 *   term used rightly, e.g. in demo responses); no screen text uses it, but a notice quoting a
 *   response may.
 * - 值班台 stays the name of the duty desk screen; the role is 舆情值班员 (舆情监测员 is the old name).
 */
const OLD_TERMS: { term: string; pattern: RegExp; now: string }[] = [
  { term: '立案', pattern: /立案(?!查处|调查|侦查)/, now: '转为事件并交办 / 已交办 / 交办时间 / 交办人' },
  { term: '义务', pattern: /义务/, now: '事项' },
  { term: '应回应方式', pattern: /应回应方式/, now: '回应重点' },
  { term: '应回应', pattern: /(?<!到期)应回应/, now: '到期应回应' },
  { term: '应判定', pattern: /应判定/, now: '到期应回应' },
  { term: 'P90', pattern: /P90/, now: '90% 事件回应用时' },
  { term: '受理', pattern: /受理/, now: '承办' },
  { term: '舆情监测员', pattern: /舆情监测员/, now: '舆情值班员' },
  { term: '市长信箱', pattern: /市长信箱/, now: '领导信箱' },
  { term: 'step ids', pattern: /remind-50|warn-12h|breach-24h/, now: '过半催办 / 到期前提醒 / 超时通报' },
  { term: 'raw key as a reason', pattern: /理由：[a-z_]+\.[a-z_]+/, now: 'the action in words' },
];

/** The old terms in a text ({name} placeholders are parameter names, not words). */
function oldTermsIn(where: string, raw: string): string[] {
  const text = raw.replace(/\{\w+\}/g, '');
  const out: string[] = [];
  for (const { term, pattern, now } of OLD_TERMS) {
    const m = pattern.exec(text);
    if (m) out.push(`${where}: “${text.slice(Math.max(0, m.index - 12), m.index + m[0].length + 12)}” uses ${term} (now: ${now})`);
  }
  return out;
}

const ROOT = join(import.meta.dirname, '..', '..');
const WEB = join(ROOT, 'web', 'src');

function filesUnder(dir: string, ext: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return filesUnder(p, ext);
    return ext.test(name) && !/\.test\.tsx?$/.test(name) ? [p] : [];
  });
}

const isMessages = (v: unknown): v is { zh: Record<string, string> } =>
  !!v && typeof v === 'object' && 'zh' in v && 'en' in v && typeof (v as { zh: unknown }).zh === 'object';

describe('the office’s words', () => {
  it('the scan sees the old terms (it would fail on the earlier wording)', () => {
    for (const old of ['研判立案3件', '立案时间', '回应义务与时限', '应回应方式', '应判定 4', '回应用时 P90', '受理', '舆情监测员', '市长信箱', 'remind-50', '理由：case.close']) {
      expect(oldTermsIn('sample', old), old).not.toEqual([]);
    }
    expect(oldTermsIn('sample', '到期应回应2件；已对该企业立案查处')).toEqual([]);
  });

  it('every screen’s message file, in Chinese', async () => {
    const files = [...filesUnder(WEB, /^messages\.ts$/), join(WEB, 'i18n', 'common.ts')];
    expect(files.length).toBeGreaterThanOrEqual(10);
    const problems: string[] = [];
    let texts = 0;
    for (const file of files) {
      const mod = (await import(file)) as Record<string, unknown>;
      for (const [name, value] of Object.entries(mod)) {
        if (!isMessages(value)) continue;
        for (const [key, text] of Object.entries(value.zh)) {
          texts++;
          problems.push(...oldTermsIn(`${relative(ROOT, file)} ${name}.${key}`, text));
        }
      }
    }
    expect(texts).toBeGreaterThan(500);
    expect(problems).toEqual([]);
  });

  it('the Chinese of every web/src file outside comments (texts written inline in components)', () => {
    const problems: string[] = [];
    for (const file of filesUnder(WEB, /\.tsx?$/)) {
      const code = readFileSync(file, 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
      // String literals and JSX text with Chinese in them (object keys and identifiers are code).
      const texts = [...code.matchAll(/'([^'\n]*)'|"([^"\n]*)"|`([^`]*)`|>([^<>{}]+)</g)].map((m) => m[1] ?? m[2] ?? m[3] ?? m[4] ?? '');
      for (const text of texts) if (/[\u4e00-\u9fff]/.test(text)) problems.push(...oldTermsIn(relative(ROOT, file), text));
    }
    expect(problems).toEqual([]);
  });

  it('every label of core/vocabulary.ts', () => {
    const problems: string[] = [];
    for (const [name, value] of Object.entries(vocabulary)) {
      if (!value || typeof value !== 'object' || Array.isArray(value)) continue;
      for (const [key, text] of Object.entries(value as Record<string, unknown>)) if (typeof text === 'string') problems.push(...oldTermsIn(`${name}.${key}`, text));
    }
    expect(vocabulary.ROLE_LABELS.duty).toBe('舆情值班员');
    expect(vocabulary.ALERT_STATUS_LABELS.case).toBe('已交办');
    expect(problems).toEqual([]);
  });

  it('every notification text, as rendered in Chinese (a reason given as an action key included)', () => {
    const problems: string[] = [];
    const params = {
      caseNumber: 'YQ-2026-0001',
      caseTitle: '某小区停水',
      reason: '情况有变化',
      role: 'lead',
      obligationKind: 'press',
      level: 'major',
      department: '市水务局',
      dueAt: '2026-12-07T02:00:00.000Z',
      remainingHours: 3,
    };
    for (const key of Object.keys(NOTICE_TEXTS) as NoticeKey[]) {
      const zh = NOTICE_TEXTS[key].zh;
      problems.push(...oldTermsIn(`${key} (template)`, `${zh.title} ${zh.body}`));
      const r = renderNotice(key, params, 'zh');
      problems.push(...oldTermsIn(`${key} (rendered)`, `${r.title} ${r.body}`));
    }
    expect(renderNotice('case.assigned', params, 'zh').body).toContain('召开新闻发布会（吹风会）');
    expect(problems).toEqual([]);
  });

  it('a generated notice: its editable parts and the .docx', async () => {
    const inputs: FigureInputs = {
      period: weekPeriod('2026-W49')!,
      now: new Date('2026-12-07T02:00:00Z'),
      totalCases: 3,
      byLevel: [{ key: 'general', count: 2 }, { key: 'major', count: 1 }],
      byCategory: [{ key: 'difficulty', count: 2 }, { key: 'emergency', count: 1 }],
      onTime: { judged: 3, onTime: 2, late: 1, openOverdue: 0 },
      responseTimes: { count: 3, medianHours: 5, p90Hours: 30, averageHours: 12 },
      overdue: [
        { caseId: '3', caseNumber: 'YQ-2026-0003', caseTitle: '学校食堂饭菜变质', kind: 'press', seq: 1, status: 'met', dueAt: new Date('2026-12-02T02:00:00Z'), metAt: new Date('2026-12-02T08:00:00Z'), hoursLate: 6, departmentId: 2, departmentName: '市教育局' },
      ],
      daily: [{ day: '2026-12-01', opened: 2, responded: 1 }, { day: '2026-12-02', opened: 1, responded: 2 }],
      departments: [
        { id: 1, name: '市水务局', cases: 2, judged: 2, onTime: 2, responded: 2, averageResponseHours: 5 },
        { id: 2, name: '市教育局', cases: 1, judged: 1, onTime: 0, responded: 1, averageResponseHours: 30 },
      ],
      itemsMonitored: 120,
      alerts: 9,
      itemsDaily: [{ day: '2026-12-01', n: 60 }, { day: '2026-12-02', n: 60 }],
      alertsDaily: [{ day: '2026-12-01', n: 5 }, { day: '2026-12-02', n: 4 }],
      goodResponses: [{ caseId: '1', caseNumber: 'YQ-2026-0001', caseTitle: '某小区停水', departmentName: '市水务局', hours: 4, channel: 'press_conference', effectRating: 'good' }],
      sources: [{ id: 1, name: '清河新闻网', enabled: true, fetches: 10, unreachable: 2, blocked: 0, itemsNew: 30, lastStatus: 'timeout' }],
    };
    const figures = composeFigures(inputs);
    const notable = defaultNotable(figures);
    const requirements = defaultRequirements(figures, '市政府办公室');
    const parts = [overviewText(figures), notable, requirements, ...healthLines(figures)].join('\n');
    expect(parts).toContain('转为事件并交办3件');
    expect(parts).toContain('24小时内召开新闻发布会（吹风会）');
    const docx = await renderNoticeDocx({
      title: '政务舆情回应情况通报',
      profile: {
        organ: '清河市人民政府办公室',
        mark: '清河市政务舆情通报',
        serialFormats: { weekly: '〔{年}〕第{号}期', monthly: '〔{年}〕第{号}期', quarterly: '〔{年}〕第{号}期', range: '〔{年}〕第{号}期' },
        recipients: '各乡镇人民政府，市直各部门：',
        copyTo: '',
        printingOrgan: '清河市人民政府办公室',
        signature: '清河市人民政府办公室',
        disclosure: 'on_request',
        rectificationTo: '市政府办公室',
      },
      serial: null,
      day: '2026-12-07' as never,
      draft: true,
      figures,
      notable,
      requirements,
    });
    const text = textOf(await part(await unzip(docx), 'word/document.xml'));
    expect(text).toContain('承办');
    expect([...oldTermsIn('notice parts', parts), ...oldTermsIn('notice .docx', text)]).toEqual([]);
  });
});
