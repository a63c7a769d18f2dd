import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';

// A small 12345 hotline export, as such systems write it, for the demo's 管理 → 导入 and the
// tests: an .xlsx (受理时间 as Excel date cells) and a GBK .csv (受理时间 as text). Written to
// demo/imports/ by demo/make-ticket-exports.ts; the 承办单位 are the demo's departments.

export const TICKET_HEADERS = ['序号', '工单编号', '受理时间', '诉求类型', '诉求人', '诉求内容', '承办单位', '办理时限'] as const;

/** [工单编号, 受理时间 (Beijing wall clock), 诉求类型, 诉求人, 诉求内容, 承办单位, 办理时限] */
export const DEMO_TICKETS: readonly (readonly [string, string, string, string, string, string, string])[] = [
  ['GD2026120500123', '2026-12-05 08:42:00', '投诉', '王某', '城关镇东关村安置房拆迁补偿款至今未发放，多次询问无人答复，请尽快落实。', '住建局', '2026-12-12'],
  ['GD2026120500131', '2026-12-05 09:15:00', '求助', '李某', '在龙山镇工地干活三个月，包工头拖欠工资一万二千元，春节前想拿到工资回家。', '人社局', '2026-12-10'],
  ['GD2026120500158', '2026-12-05 10:03:00', '咨询', '张某', '想咨询今年城乡居民医保的缴费截止时间和线上缴费方式。', '人社局', '2026-12-08'],
  ['GD2026120500164', '2026-12-05 10:47:00', '投诉', '赵某', '清河边上的小厂晚上偷偷排污，河水发黑发臭，附近居民无法开窗。', '生态环境局', '2026-12-12'],
  ['GD2026120500170', '2026-12-05 11:20:00', '建议', '刘某', '建议在实验小学门口增设上下学时段的交通协管员，早晚高峰太乱。', '教育局', '2026-12-19'],
  ['GD2026120500185', '2026-12-05 14:06:00', '投诉', '陈某', '城西农贸市场有商户缺斤短两，电子秤做了手脚，希望市场监管部门检查。', '市场监管局', '2026-12-12'],
];

const wall = (s: string) => new Date(`${s.replace(' ', 'T')}Z`); // exceljs writes a date cell's UTC fields as its wall clock

export async function ticketExportXlsx(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('工单');
  ws.addRow([...TICKET_HEADERS]);
  DEMO_TICKETS.forEach(([no, at, type, who, text, dept, due], i) => ws.addRow([i + 1, no, wall(at), type, who, text, dept, due]));
  ws.getColumn(3).numFmt = 'yyyy-mm-dd hh:mm';
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** The same tickets as a GBK CSV with CRLF lines and 受理时间 in the 2026/12/5 8:42 form. */
export function ticketExportCsv(): Buffer {
  const lines = [TICKET_HEADERS.join(',')];
  DEMO_TICKETS.forEach(([no, at, type, who, text, dept, due], i) => {
    const [d, t] = at.split(' ');
    const [y, m, day] = d!.split('-').map(Number);
    const [h, mi] = t!.split(':').map(Number);
    lines.push([String(i + 1), no, `${y}/${m}/${day} ${h}:${String(mi).padStart(2, '0')}`, type, who, text, dept, due].map(quote).join(','));
  });
  return iconv.encode(`${lines.join('\r\n')}\r\n`, 'gbk');
}
