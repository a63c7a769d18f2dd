import { z } from '@hono/zod-openapi';
import { DateTime } from '../shared/schema.js';

// 我的待办: what is asked of the signed-in user. `kind` is the message key the dashboard renders
// (web/src/pages/todos/messages.ts) with `params`; a new source adds its kind here.

export const TODO_KINDS = [
  'alerts.untriaged', // duty: new alerts not yet triaged (params: count, oldestAt)
  'alert.unacknowledged', // duty: an alert pushed and not acknowledged (params: pushedAt); due: the next re-push
  'handover.write', // duty: their shift ends soon (or just ended) and its handover is not submitted (params: shiftName)
  'handover.accept', // duty: a handover handed to them, to accept (params: shiftName, fromName)
  'case.declined', // duty: a department declined its assignment (退回交办): reassign or overrule (params: department, reason)
  'case.needs_draft', // handler: no response drafted yet
  'response.returned', // handler: their draft came back (params: comment)
  'response.publish', // handler: approved, to publish
  'case.follow_up', // handler: follow-up window: feedback and closing
  'instruction.report', // handler: a leader's 批示 to report on (params: content)
  'response.review', // reviewer: 待审核
  'notice.issue', // reviewer: a notice generated, not issued (params: title)
  'obligation.breached', // leader: an obligation past due (params: kind)
  'report_up.read', // leader: a report up (上报) not read
  'response.leader_approval', // leader: a response waiting for a leader's approval (filled by the approval chain)
  'response.countersign', // handler: a response waiting for their department's 会签
  'case.verify', // handler: a forwarded opinion to verify (核实) before drafting
  'case.forward_feedback', // handler: feedback owed to the forwarding office (params: note)
  'case.callback', // handler: a hotline / mailbox reply published, 回访 to record
  'case.callback_dissatisfied', // handler: the latest 回访 was 不满意 and no reply drafted since: handle again, or close with the reason (params: note)
] as const;
export type TodoKind = (typeof TODO_KINDS)[number];

export const TodoView = z
  .object({
    id: z.string().openapi({ description: '稳定编号：种类 + 对象编号' }),
    kind: z.enum(TODO_KINDS).openapi({ description: '要做的事（消息键）' }),
    params: z.record(z.string(), z.union([z.string(), z.number()])).openapi({ description: '消息参数（以 At 结尾的是时刻）' }),
    caseId: z.string().nullable(),
    caseNumber: z.string().nullable(),
    title: z.string(),
    dueAt: DateTime.nullable().openapi({ description: '时限（无：null）' }),
    overdue: z.boolean(),
    link: z.string().openapi({ description: '办理的位置（仪表盘路径）' }),
  })
  .openapi('Todo');
export type TodoView = z.infer<typeof TodoView>;

export const TodoList = z
  .object({ todos: z.array(TodoView), count: z.number().int().openapi({ description: '待办条数' }), now: DateTime })
  .openapi('TodoList');
export type TodoList = z.infer<typeof TodoList>;
