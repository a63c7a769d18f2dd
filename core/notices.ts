import { beijingShortEn, beijingShortZh, HOUR_MS } from './business-time.js';
import { NOTICE_PARAM_LABELS } from './notice-labels.js';

// Notification texts. A notification is stored as a message key and its parameters; it is
// rendered when read, in the reader's language, with times in Beijing time — never as an ISO or
// UTC string. A parameter whose name ends in `At` holds an ISO instant and is shown as
// "12月5日 10:42"; one ending in `Hours` is a duration shown as "1天4小时" / "1 d 4 h"; one named in
// notice-labels.ts (role, obligationKind, level, channel, effectRating, …) holds a key shown as
// its label. Add a key here (both languages) and call services/notifications/notify.ts.
// `kind` (optional) is the coarse kind stored in notifications.kind; default: the key itself.

export type NoticeLang = 'zh' | 'en';
export type NoticeParams = Record<string, string | number>;

interface NoticeText {
  title: string;
  body: string;
}

interface NoticeEntry {
  kind?: string;
  zh: NoticeText;
  en: NoticeText;
}

export const NOTICE_TEXTS = {
  'case.assigned': {
    zh: { title: '【交办】{caseNumber} {caseTitle}', body: '{caseNumber}「{caseTitle}」已交办贵单位（{role}），{obligationKind}时限 {dueAt}。请及时核实并起草回应。' },
    en: { title: '[Assigned] {caseNumber} {caseTitle}', body: '{caseNumber} "{caseTitle}" was assigned to your department ({role}); {obligationKind} due {dueAt}. Please verify and draft a response.' },
  },
  'case.assigned_no_due': {
    kind: 'case.assigned',
    zh: { title: '【交办】{caseNumber} {caseTitle}', body: '{caseNumber}「{caseTitle}」已交办贵单位（{role}），请及时核实并起草回应。' },
    en: { title: '[Assigned] {caseNumber} {caseTitle}', body: '{caseNumber} "{caseTitle}" was assigned to your department ({role}). Please verify and draft a response.' },
  },
  'case.unassigned': {
    zh: { title: '【转办】{caseNumber} 已改由其他单位办理', body: '{caseNumber}「{caseTitle}」已转由{leadDepartment}牵头办理，贵单位不再承办。' },
    en: { title: '[Reassigned] {caseNumber} moved to another department', body: '{caseNumber} "{caseTitle}" is now led by {leadDepartment}; your department no longer handles it.' },
  },
  'response.submitted': {
    zh: { title: '【待审核】{caseNumber} {caseTitle}', body: '{submitter}提交了{caseNumber}「{caseTitle}」的回应稿，请审核。' },
    en: { title: '[To review] {caseNumber} {caseTitle}', body: '{submitter} submitted a response to {caseNumber} "{caseTitle}" for review.' },
  },
  'response.returned': {
    zh: { title: '【已退回】{caseNumber} {caseTitle}', body: '{reviewer}退回了{caseNumber}「{caseTitle}」的回应稿。审核意见：{comment}' },
    en: { title: '[Returned] {caseNumber} {caseTitle}', body: '{reviewer} returned the response to {caseNumber} "{caseTitle}". Comment: {comment}' },
  },
  'response.approval_requested': {
    zh: { title: '【待审批】{caseNumber} {caseTitle}', body: '{caseNumber}「{caseTitle}」的回应稿已由{approver}审核同意，请进行{approvalStep}。' },
    en: { title: '[Awaiting approval] {caseNumber} {caseTitle}', body: 'The response to {caseNumber} "{caseTitle}" was approved by {approver}; your step: {approvalStep}.' },
  },
  'response.approved': {
    zh: { title: '【可以发布】{caseNumber} {caseTitle}', body: '{caseNumber}「{caseTitle}」的回应稿已由{reviewer}审核通过，可以发布。' },
    en: { title: '[Ready to publish] {caseNumber} {caseTitle}', body: 'The response to {caseNumber} "{caseTitle}" was approved by {reviewer} and may be published.' },
  },
  'response.countersign_requested': {
    zh: { title: '【待会签】{caseNumber} {caseTitle}', body: '{submitter}提交了{caseNumber}「{caseTitle}」的回应稿，请贵单位会签：确认内容准确一致，或填写意见退回。' },
    en: { title: '[To sign off] {caseNumber} {caseTitle}', body: '{submitter} submitted a response to {caseNumber} "{caseTitle}"; your department signs it off: confirm it is accurate and consistent, or return it with a comment.' },
  },
  'response.countersign_returned': {
    zh: { title: '【会签退回】{caseNumber} {caseTitle}', body: '{department}{reviewer}在会签时退回了{caseNumber}「{caseTitle}」的回应稿。意见：{comment}' },
    en: { title: '[Returned at sign-off] {caseNumber} {caseTitle}', body: '{reviewer} ({department}) returned the response to {caseNumber} "{caseTitle}" at sign-off. Comment: {comment}' },
  },
  'case.verified': {
    zh: { title: '【已核实】{caseNumber} {caseTitle}', body: '{verifier}已核实{caseNumber}「{caseTitle}」：{verification}。{note}' },
    en: { title: '[Verified] {caseNumber} {caseTitle}', body: '{verifier} verified {caseNumber} "{caseTitle}": {verification}. {note}' },
  },
  'case.forward_feedback_due': {
    zh: { title: '【待反馈】{caseNumber} 向转办单位反馈', body: '{caseNumber}「{caseTitle}」的回应已发布，请于 {dueAt} 前向{recipient}反馈办理情况，并在事件中登记。' },
    en: { title: '[Feedback due] {caseNumber} to the forwarding office', body: 'The response to {caseNumber} "{caseTitle}" is published; report how it was handled to {recipient} by {dueAt} and record the reply on the case.' },
  },
  'case.forward_replied': {
    zh: { title: '【已反馈】{caseNumber} {caseTitle}', body: '{replier}已于 {repliedAt} 向{recipient}反馈{caseNumber}「{caseTitle}」的办理情况。' },
    en: { title: '[Feedback sent] {caseNumber} {caseTitle}', body: '{replier} reported to {recipient} on {repliedAt} how {caseNumber} "{caseTitle}" was handled.' },
  },
  // 回访 of hotline / mailbox cases (services/callbacks).
  'case.callback_due': {
    zh: { title: '【待回访】{caseNumber} {caseTitle}', body: '{caseNumber}「{caseTitle}」的答复已于 {publishedAt} 发布，请回访诉求人，并在事件中登记回访结果（满意 / 基本满意 / 不满意）。' },
    en: { title: '[Call back] {caseNumber} {caseTitle}', body: 'The reply to {caseNumber} "{caseTitle}" was published at {publishedAt}; call the requester back and record the result on the case (satisfied / basically satisfied / dissatisfied).' },
  },
  'case.callback_dissatisfied': {
    zh: { title: '【回访不满意】{caseNumber} {caseTitle}', body: '{caller}于 {calledAt} 回访{callee}，结果：{callbackResult}。{note} 请研究是否重新办理（起草新的答复并再次回访）。' },
    en: { title: '[Dissatisfied at call-back] {caseNumber} {caseTitle}', body: '{caller} called {callee} back at {calledAt}: {callbackResult}. {note} Decide whether the case is handled again (a new reply, then another call-back).' },
  },
  'response.published': {
    zh: { title: '【已发布】{caseNumber} {caseTitle}', body: '{caseNumber}「{caseTitle}」的回应已于 {publishedAt} 发布（{channel}）。' },
    en: { title: '[Published] {caseNumber} {caseTitle}', body: 'The response to {caseNumber} "{caseTitle}" was published on {channel} at {publishedAt}.' },
  },
  'case.closed': {
    zh: { title: '【已办结】{caseNumber} {caseTitle}', body: '{caseNumber}「{caseTitle}」已于 {closedAt} 办结，回应效果：{effectRating}。' },
    en: { title: '[Closed] {caseNumber} {caseTitle}', body: '{caseNumber} "{caseTitle}" was closed at {closedAt}; effect: {effectRating}.' },
  },
  'case.reopened': {
    zh: { title: '【重新打开】{caseNumber} {caseTitle}', body: '{caseNumber}「{caseTitle}」已重新打开，请继续办理。理由：{reason}' },
    en: { title: '[Reopened] {caseNumber} {caseTitle}', body: '{caseNumber} "{caseTitle}" was reopened; please continue. Reason: {reason}' },
  },
  'case.coordination': {
    kind: 'coordination',
    zh: { title: '【协调】{caseNumber} {caseTitle}', body: '牵头单位{fromDepartment}的协调意见：{content}' },
    en: { title: '[Coordination] {caseNumber} {caseTitle}', body: 'Coordination note from the lead department {fromDepartment}: {content}' },
  },
  'case.referral': {
    zh: { title: '【移交】{caseNumber} {caseTitle}', body: '{caseNumber}「{caseTitle}」的线索已移交{referralTarget}（{recipient}）：{content}' },
    en: { title: '[Referred] {caseNumber} {caseTitle}', body: 'The clues of {caseNumber} "{caseTitle}" were referred to {referralTarget} ({recipient}): {content}' },
  },
  'case.report_up': {
    zh: { title: '【上报】{caseNumber} {caseTitle}', body: '{reporter}已就{caseNumber}「{caseTitle}」向{recipient}报告：{content}' },
    en: { title: '[Reported up] {caseNumber} {caseTitle}', body: '{reporter} reported {caseNumber} "{caseTitle}" to {recipient}: {content}' },
  },
  // 退回交办 / 改派 (services/cases/decline.ts).
  'case.declined': {
    zh: { title: '【退回交办】{caseNumber} {caseTitle}', body: '{department}退回了{caseNumber}「{caseTitle}」的交办，理由：{reason}。请改派或说明不同意退回的理由。' },
    en: { title: '[Assignment declined] {caseNumber} {caseTitle}', body: '{department} declined {caseNumber} "{caseTitle}". Reason: {reason}. Please reassign it or overrule the decline.' },
  },
  'case.decline_overruled': {
    zh: { title: '【不同意退回】{caseNumber} {caseTitle}', body: '贵单位退回{caseNumber}「{caseTitle}」的交办未获同意，请继续办理。理由：{reason}' },
    en: { title: '[Decline overruled] {caseNumber} {caseTitle}', body: 'Your decline of {caseNumber} "{caseTitle}" was overruled; please go on with it. Reason: {reason}' },
  },
  // 领导批示 (services/instructions).
  'instruction.created': {
    zh: { title: '【领导批示】{caseNumber} {caseTitle}', body: '{leaderName}对{caseNumber}「{caseTitle}」作出批示：{content}' },
    en: { title: "[Leader's instruction] {caseNumber} {caseTitle}", body: '{leaderName} wrote an instruction on {caseNumber} "{caseTitle}": {content}' },
  },
  'instruction.created_due': {
    zh: { title: '【领导批示】{caseNumber} {caseTitle}', body: '{leaderName}对{caseNumber}「{caseTitle}」作出批示：{content}\n请于 {dueAt} 前报告办理情况。' },
    en: { title: "[Leader's instruction] {caseNumber} {caseTitle}", body: '{leaderName} wrote an instruction on {caseNumber} "{caseTitle}": {content}\nPlease report on it by {dueAt}.' },
  },
  'instruction.reported': {
    zh: { title: '【批示办理情况】{caseNumber} {caseTitle}', body: '{reporterName}报告了{caseNumber}「{caseTitle}」的批示办理情况：{content}' },
    en: { title: '[Instruction report] {caseNumber} {caseTitle}', body: '{reporterName} reported on the instruction for {caseNumber} "{caseTitle}": {content}' },
  },
  // Escalation steps (services/escalations/sweep.ts). Each says what is true when it is sent.
  'escalation.remind': {
    kind: 'escalation',
    zh: { title: '【催办】{caseNumber} {obligationKind}：{caseTitle}', body: '{caseNumber}「{caseTitle}」的{obligationKind}时限已过半，尚无回应稿。时限 {dueAt}，还剩{remainingHours}。' },
    en: { title: '[Reminder] {caseNumber} {obligationKind}: {caseTitle}', body: 'Half the {obligationKind} window of {caseNumber} "{caseTitle}" has passed with no draft. Due {dueAt}, {remainingHours} left.' },
  },
  'escalation.warn': {
    kind: 'escalation',
    zh: { title: '【{remainingHours}后到期】{caseNumber} {obligationKind}：{caseTitle}', body: '{caseNumber}「{caseTitle}」的{obligationKind}将于 {dueAt} 到期，还剩{remainingHours}，请督促办理。' },
    en: { title: '[Due in {remainingHours}] {caseNumber} {obligationKind}: {caseTitle}', body: 'The {obligationKind} of {caseNumber} "{caseTitle}" is due {dueAt}, {remainingHours} left. Please follow it up.' },
  },
  'escalation.breach': {
    kind: 'breach',
    zh: { title: '【已超期】{caseNumber} {obligationKind}：{caseTitle}', body: '{caseNumber}「{caseTitle}」的{obligationKind}时限 {dueAt} 已到，仍未完成，已记为超期。' },
    en: { title: '[Overdue] {caseNumber} {obligationKind}: {caseTitle}', body: 'The {obligationKind} of {caseNumber} "{caseTitle}" was due {dueAt} and is not done: it is now overdue.' },
  },
  'escalation.breach_late': {
    kind: 'breach',
    zh: { title: '【已超期 {lateHours}】{caseNumber} {obligationKind}：{caseTitle}', body: '{caseNumber}「{caseTitle}」的{obligationKind}时限为 {dueAt}，已超期 {lateHours}，仍未完成。' },
    en: { title: '[Overdue by {lateHours}] {caseNumber} {obligationKind}: {caseTitle}', body: 'The {obligationKind} of {caseNumber} "{caseTitle}" was due {dueAt}, {lateHours} ago, and is not done.' },
  },
  'escalation.due': {
    kind: 'escalation',
    zh: { title: '【已到期】{caseNumber} {obligationKind}：{caseTitle}', body: '{caseNumber}「{caseTitle}」的{obligationKind}时限 {dueAt} 已到，仍未完成，请督促办理。' },
    en: { title: '[Due now] {caseNumber} {obligationKind}: {caseTitle}', body: 'The {obligationKind} of {caseNumber} "{caseTitle}" was due {dueAt} and is not done. Please follow it up.' },
  },
  'escalation.overdue': {
    kind: 'escalation',
    zh: { title: '【已超期 {lateHours}】{caseNumber} {obligationKind}：{caseTitle}', body: '{caseNumber}「{caseTitle}」的{obligationKind}时限为 {dueAt}，已超期 {lateHours}，仍未完成，请督促办理。' },
    en: { title: '[Overdue by {lateHours}] {caseNumber} {obligationKind}: {caseTitle}', body: 'The {obligationKind} of {caseNumber} "{caseTitle}" was due {dueAt}, {lateHours} ago, and is not done. Please follow it up.' },
  },
  'alert.push': {
    kind: 'alert',
    zh: { title: '【舆情预警】{sourceName}：{alertTitle}（{tags}）请及时研判 {link}', body: '值班员打开或研判该预警即为确认；{ackMinutes} 分钟内无人确认将转备班和带班领导。' },
    en: { title: '[Alert] {sourceName}: {alertTitle} ({tagsEn}) please triage {link}', body: 'Opening or triaging the alert acknowledges it; unacknowledged after {ackMinutes} min it goes to the backup and the leader on duty.' },
  },
  'alert.repush_backup': {
    kind: 'alert',
    zh: { title: '【舆情预警·未确认】{sourceName}：{alertTitle}（{tags}）请及时研判 {link}', body: '该预警推送 {ackMinutes} 分钟后值班员仍未确认，现转给备班的您。' },
    en: { title: '[Alert · unacknowledged] {sourceName}: {alertTitle} ({tagsEn}) please triage {link}', body: 'No duty officer acknowledged this alert within {ackMinutes} min; it is passed to you as the backup.' },
  },
  'alert.repush_leader': {
    kind: 'alert',
    zh: { title: '【舆情预警·未确认】{sourceName}：{alertTitle}（{tags}）请督促研判 {link}', body: '该预警推送后值班员和备班均未确认，现报带班领导。' },
    en: { title: '[Alert · unacknowledged] {sourceName}: {alertTitle} ({tagsEn}) please see it triaged {link}', body: 'Neither the duty officer nor the backup acknowledged this alert; it is passed to you as the leader on duty.' },
  },
  // 交接班 (services/handovers).
  'handover.submitted': {
    kind: 'handover',
    zh: { title: '【交接班】{fromName}已提交{shiftName}交接班记录，请接班确认', body: '{shiftName}（{startsAt}起）交接：未研判预警 {untriaged} 条，本班交办事件 {opened} 件，下一班到期事项 {deadlines} 项，未确认的预警推送 {pushes} 条。交班意见：{notes}' },
    en: { title: '[Handover] {fromName} handed over the {shiftName} shift; please accept', body: 'Shift from {startsAt}: {untriaged} alerts untriaged, {opened} cases opened, {deadlines} deadlines in the next shift, {pushes} pushes unacknowledged. Notes: {notes}' },
  },
  'handover.accepted': {
    kind: 'handover',
    zh: { title: '【交接班】{toName}已接班', body: '{shiftName}（{startsAt}起）的交接班记录已由{toName}于 {acceptedAt} 确认接班。{note}' },
    en: { title: '[Handover] {toName} accepted the handover', body: 'The handover of the {shiftName} shift (from {startsAt}) was accepted by {toName} at {acceptedAt}. {note}' },
  },
  'handover.not_submitted': {
    kind: 'handover',
    zh: { title: '【交接班未完成】{shiftName}（{startsAt}起）未提交交接班记录', body: '{fromName}值守的{shiftName}已于 {endsAt} 结束，下一班开始 30 分钟后仍未提交交接班记录，请督促交接。' },
    en: { title: '[Handover missing] {shiftName} shift from {startsAt}: no handover record', body: 'The {shiftName} shift of {fromName} ended at {endsAt}; 30 minutes into the next shift no handover was submitted. Please see to it.' },
  },
  'handover.not_accepted': {
    kind: 'handover',
    zh: { title: '【交接班未完成】{shiftName}（{startsAt}起）交接班未确认', body: '{fromName}已提交交接班记录，下一班开始 30 分钟后{toName}仍未接班确认，请督促。' },
    en: { title: '[Handover not accepted] {shiftName} shift from {startsAt}', body: '{fromName} submitted the handover; 30 minutes into the next shift {toName} has not accepted it. Please see to it.' },
  },
  // 舆情日报 (services/reports/daily.ts): the leaders' short morning text; the document is on the reports screen.
  'report.daily_brief': {
    kind: 'daily_brief',
    zh: { title: '【舆情日报】{day}：新增预警{alerts}条、事件{cases}件，今明到期{deadlines}项，超期{breaches}项', body: '待研判预警{untriaged}条；重点时段：{periods}。日报全文见“通报”页“日报”。' },
    en: { title: '[Daily brief] {day}: {alerts} new alerts, {cases} new cases, {deadlines} due today or tomorrow, {breaches} overdue', body: '{untriaged} alerts untriaged; heightened periods: {periods}. The full brief is on the Notices screen (Daily).' },
  },
} as const satisfies Record<string, NoticeEntry>;

export type NoticeKey = keyof typeof NOTICE_TEXTS;

export function isNoticeKey(key: string): key is NoticeKey {
  return Object.prototype.hasOwnProperty.call(NOTICE_TEXTS, key);
}

/** The coarse kind stored in notifications.kind for a key (the key itself unless the entry names one). */
export function noticeKind(key: NoticeKey): string {
  const e: NoticeEntry = NOTICE_TEXTS[key];
  return e.kind ?? key;
}

/** A duration in hours as "1天4小时" / "1 d 4 h" (whole hours); under an hour in minutes: "40分钟" / "40 min". */
export function durationText(hours: number, lang: NoticeLang): string {
  if (hours < 1) {
    const m = Math.max(1, Math.round(Math.max(0, hours) * 60));
    if (m < 60) return lang === 'zh' ? `${m}分钟` : `${m} min`;
  }
  const h = Math.max(0, Math.round(hours));
  const d = Math.floor(h / 24);
  const r = h % 24;
  if (lang === 'zh') return d > 0 ? `${d}天${r > 0 ? `${r}小时` : ''}` : `${r}小时`;
  return d > 0 ? `${d} d${r > 0 ? ` ${r} h` : ''}` : `${r} h`;
}

function paramText(name: string, value: string | number, lang: NoticeLang): string {
  if (name.endsWith('At') && typeof value === 'string') {
    const t = new Date(value);
    if (!Number.isNaN(t.getTime())) return lang === 'zh' ? beijingShortZh(t) : beijingShortEn(t);
  }
  if (name.endsWith('Hours') && typeof value === 'number') return durationText(value, lang);
  const labels = NOTICE_PARAM_LABELS[name];
  if (labels && typeof value === 'string' && Object.prototype.hasOwnProperty.call(labels[lang], value)) return labels[lang][value]!;
  return String(value);
}

function fill(template: string, params: NoticeParams, lang: NoticeLang): string {
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? paramText(name, params[name]!, lang) : m));
}

/** The title and body of a notice for a reader. An unknown key (a newer server wrote it) shows its key. */
export function renderNotice(key: string, params: NoticeParams, lang: NoticeLang): NoticeText {
  if (!isNoticeKey(key)) return { title: key, body: '' };
  const t: NoticeText = NOTICE_TEXTS[key][lang];
  return { title: fill(t.title, params, lang), body: fill(t.body, params, lang) };
}

/** The reader's language from `?lang=` or an Accept-Language header; Chinese unless English is asked for first. */
export function noticeLang(query: string | undefined, acceptLanguage: string | undefined): NoticeLang {
  if (query === 'en' || query === 'zh') return query;
  const first = (acceptLanguage ?? '').split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh';
}

/** Hours between two instants (for `…Hours` parameters). */
export const hoursBetween = (from: Date, to: Date): number => (to.getTime() - from.getTime()) / HOUR_MS;
