import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeBody } from './charset.js';
import { categoryOfRequestType, guessMapping, parseTicketDate, readCsv, readTickets, titleFromContent, type TicketMapping } from './ticket-import.js';

const HEADER = '工单编号,受理时间,诉求内容,诉求人,承办单位,办理时限,诉求类型';

describe('readCsv', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks inside, over CRLF lines', () => {
    const text = `${HEADER}\r\nGD001,2026/12/5 10:42,"城南小区停水，""物业""不管\r\n第二行",张某,县水务局,2026-12-12,投诉\r\nGD002,2026-12-05 11:00:00,路灯不亮,,,,咨询\r\n`;
    const rows = readCsv(text);
    expect(rows).toHaveLength(3);
    expect(rows[1]).toEqual(['GD001', '2026/12/5 10:42', '城南小区停水，"物业"不管\r\n第二行', '张某', '县水务局', '2026-12-12', '投诉']);
    expect(rows[2]![2]).toBe('路灯不亮');
  });

  it('drops a BOM, skips empty lines, reads LF and CR line ends and a last line without one', () => {
    expect(readCsv('\ufeffa,b\n\n1,2\r3,4')).toEqual([['a', 'b'], ['1', '2'], ['3', '4']]);
  });

  it('takes a tab as the delimiter when the header has tabs and no comma', () => {
    expect(readCsv('工单编号\t诉求内容\nGD1\t有逗号，也有,半角逗号')).toEqual([['工单编号', '诉求内容'], ['GD1', '有逗号，也有,半角逗号']]);
  });

  it('reads a GBK file, with or without a UTF-8 BOM in the other case, through the charset detection', () => {
    const text = `${HEADER}\r\nGD003,2026/12/5 9:05,县城东关村垃圾清运不及时，气味很大,李某,县城管局,,投诉\r\n`;
    const gbk = decodeBody({ bytes: new Uint8Array(iconv.encode(text, 'gbk')) }).text;
    expect(readCsv(gbk)[1]).toEqual(['GD003', '2026/12/5 9:05', '县城东关村垃圾清运不及时，气味很大', '李某', '县城管局', '', '投诉']);
    const bom = decodeBody({ bytes: new Uint8Array(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')])) }).text;
    expect(readCsv(bom)[0]![0]).toBe('工单编号');
  });
});

describe('parseTicketDate (Beijing time)', () => {
  it.each([
    ['2026/12/5 10:42', '2026-12-05T02:42:00.000Z'],
    ['2026-12-05 10:42:00', '2026-12-05T02:42:00.000Z'],
    ['2026-12-05T10:42:30', '2026-12-05T02:42:30.000Z'],
    ['2026年12月5日 10时42分', '2026-12-05T02:42:00.000Z'],
    ['2026.12.05', '2026-12-04T16:00:00.000Z'],
    ['20261205104200', '2026-12-05T02:42:00.000Z'],
    ['46361.4458333333', '2026-12-05T02:42:00.000Z'],
  ])('reads %s', (raw, iso) => {
    expect(parseTicketDate(raw)?.toISOString()).toBe(iso);
  });

  it.each(['', '昨天', '2026/2/30 10:00', '2026-13-01', '2026-12-05 25:00', '12/05/2026', '123'])('refuses %j', (raw) => {
    expect(parseTicketDate(raw)).toBeNull();
  });
});

describe('guessMapping', () => {
  it('maps the usual 12345 header names, each column once', () => {
    const m = guessMapping(['序号', '工单编号', '来电时间', '来电人', '诉求内容', '办理单位', '办理时限', '诉求类型']);
    expect(m).toEqual({ ticketNo: 1, receivedAt: 2, title: -1, content: 4, requester: 3, department: 5, deadline: 6, requestType: 7 });
  });

  it('maps a mailbox export: 信件编号 and 信件标题 are not taken for other fields, headers with spaces and colons match', () => {
    const m = guessMapping(['信件编号', '信件标题', ' 来信内容 ', '来信时间：', '姓名', '类别']);
    expect(m).toMatchObject({ ticketNo: 0, title: 1, content: 2, receivedAt: 3, requester: 4, requestType: 5, department: -1 });
  });

  it('falls back to a header containing a name', () => {
    expect(guessMapping(['热线工单编号（系统）', '受理时间(北京时间)', '诉求内容摘要'])).toMatchObject({ ticketNo: 0, receivedAt: 1, content: 2 });
  });
});

describe('readTickets', () => {
  const mapping: TicketMapping = { ticketNo: 0, receivedAt: 1, title: -1, content: 2, requester: 3, department: 4, deadline: 5, requestType: 6 };
  it('reads good rows and refuses bad ones with the reason and the file row number', () => {
    const rows = readCsv(
      `${HEADER}\nGD1,2026/12/5 10:42,城南小区停水三天了。物业不管,张某,县水务局,2026-12-12,投诉\n,2026/12/5 10:42,没有编号\nGD3,,没有时间\nGD4,明天,时间不对\nGD5,2026/12/5,\nGD6,2026/12/5,含\u0000控制字符`,
    );
    const { tickets, refused } = readTickets(rows, mapping);
    expect(tickets.map((t) => t.ticketNo)).toEqual(['GD1', 'GD6']);
    expect(tickets[0]).toMatchObject({ row: 2, title: '城南小区停水三天了', requester: '张某', department: '县水务局', requestType: '投诉' });
    expect(tickets[1]!.content).toBe('含控制字符');
    expect(refused.map((r) => [r.row, r.reasonZh])).toEqual([
      [3, '缺少工单编号'],
      [4, '缺少受理时间'],
      [5, '受理时间“明天”无法识别'],
      [6, '缺少诉求内容'],
    ]);
  });

  it('titles a long content by its first 40 characters', () => {
    expect(titleFromContent('一'.repeat(50))).toBe(`${'一'.repeat(40)}…`);
  });

  it('reads 诉求类型 as a category where it can', () => {
    expect([categoryOfRequestType('意见建议'), categoryOfRequestType('投诉'), categoryOfRequestType('求助'), categoryOfRequestType('政策咨询'), categoryOfRequestType('表扬')]).toEqual([
      'suggestion',
      'difficulty',
      'difficulty',
      'misunderstanding',
      null,
    ]);
  });
});
