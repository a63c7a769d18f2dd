import { describe, expect, it } from 'vitest';
import { asReportedAt, briefFileName, briefText, composeBrief, withText, type BriefFacts } from './brief.js';

const sh = (text: string) => new Date(`${text.replace(' ', 'T')}:00+08:00`);
const NOW = sh('2026-12-07 15:00');

const facts = (over: Partial<BriefFacts> = {}): BriefFacts => ({
  number: 'YQ-2026-0007',
  title: '某小区物业“乱收费”',
  summary: '业主反映物业费上涨',
  level: 'general',
  category: 'difficulty',
  origin: 'hotline',
  originNote: '12345 热线转办',
  firstSeenAt: sh('2026-12-07 09:05'),
  leadDepartment: '市住建局',
  coDepartments: [],
  suggested: null,
  itemCount: 0,
  sourceCount: 0,
  topSources: [],
  obligations: [],
  published: null,
  ...over,
});

describe('舆情快报 text', () => {
  it('a case registered by hand: where is its origin, no spread, the duty officer\'s assessment, nested quotes', () => {
    const c = composeBrief(facts(), NOW);
    expect(c.title).toBe('关于“某小区物业‘乱收费’”的舆情快报');
    expect(c.situation).toEqual([
      '12月7日9时5分，热线（12345 热线转办）出现“某小区物业‘乱收费’”相关信息（事件编号YQ-2026-0007）。业主反映物业费上涨。',
      '截至12月7日15时，未监测到网上相关信息。',
    ]);
    expect(c.assessment).toEqual(['经值班研判，定为一般舆情，类别为实际困难。']);
    expect(c.handling).toEqual(['已交办市住建局牵头处置。按回应时限要求：', '暂无回应时限。', '我办将持续跟踪监测，及时报告处置进展。']);
  });

  it('lists the obligations by due time with their state; cancelled ones are left out; more sources than named say 等', () => {
    const c = composeBrief(
      facts({
        coDepartments: ['市市场监管局'],
        suggested: { level: 'significant', category: 'difficulty' },
        itemCount: 9,
        sourceCount: 4,
        topSources: ['清河论坛', '微博', '今日头条'],
        obligations: [
          { kind: 'response', seq: 1, dueAt: sh('2026-12-09 09:05'), status: 'open', metAt: null, onTime: null },
          { kind: 'update', seq: 2, dueAt: sh('2026-12-07 12:00'), status: 'open', metAt: null, onTime: null },
          { kind: 'report', seq: 1, dueAt: sh('2026-12-07 10:05'), status: 'met', metAt: sh('2026-12-07 09:50'), onTime: true },
          { kind: 'press', seq: 1, dueAt: sh('2026-12-08 09:05'), status: 'cancelled', metAt: null, onTime: null },
        ],
        published: { at: sh('2026-12-07 11:30'), channel: 'website' },
      }),
      NOW,
    );
    expect(c.situation[0]).toMatch(/^12月7日9时5分，清河论坛、微博、今日头条等出现/);
    expect(c.situation[1]).toBe('截至12月7日15时，共监测到相关信息9条，涉及4个信息来源。');
    expect(c.assessment[0]).toMatch(/^经监测方案研判，建议按较大舆情处置/);
    expect(c.handling).toEqual([
      '已交办市住建局牵头处置，市市场监管局协办。按回应时限要求：',
      '（一）向领导和上级报告，时限12月7日10时5分，已于12月7日9时50分完成。',
      '（二）持续发布进展（第2次），时限12月7日12时，已超时，正在督办。',
      '（三）公开回应，时限12月9日9时5分，正在办理。',
      '已于12月7日11时30分公开回应（回应方式：网站发布）。',
      '我办将持续跟踪监测，及时报告处置进展。',
    ]);
  });

  it('reads as issued: the open report obligation met by the brief, late when past due', () => {
    const f = asReportedAt(facts({ obligations: [{ kind: 'report', seq: 1, dueAt: sh('2026-12-07 10:05'), status: 'open', metAt: null, onTime: null }] }), NOW);
    expect(composeBrief(f, NOW).handling[1]).toBe('（一）向领导和上级报告，时限12月7日10时5分，已于12月7日15时完成（超时）。');
  });

  it('takes the edited text back, one paragraph a line, blank lines dropped', () => {
    const c = composeBrief(facts(), NOW);
    const t = briefText(c);
    expect(withText(c, t)).toEqual(c);
    expect(withText(c, { ...t, handling: '甲\n\n  乙  \n' }).handling).toEqual(['甲', '乙']);
  });

  it('names the file without characters a file name cannot hold', () => {
    expect(briefFileName('YQ-2026-0007', '〔2026〕快报 第1期')).toBe('舆情快报_YQ-2026-0007_〔2026〕快报第1期.docx');
  });
});
