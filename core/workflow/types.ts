import type { Category, EscalationTarget, Level, ObligationKind } from '../vocabulary.js';

/** A window: natural hours, or working days on the Chinese calendar (调休 included). */
export interface Window {
  hours: number;
  unit: 'natural' | 'working_days';
}

/** What a policy says a case owes. `repeatEveryHours`: recurring (e.g. an update every 24 h until closed). */
export interface ObligationSpec {
  kind: ObligationKind;
  window: Window;
  repeatEveryHours?: number;
}

/** When an escalation step fires, relative to one obligation. */
export type StepTrigger =
  | { type: 'fraction'; fraction: number } // e.g. 0.5 of the window elapsed
  | { type: 'before_due'; hours: number } // e.g. 12 h before due
  | { type: 'after_due'; hours: number }; // 0 = at due (breach), 24 = a day after

export interface EscalationStep {
  /** Stable id, unique within the policy (escalation_fires is unique per obligation × step id). */
  id: string;
  /** Obligation kinds it applies to; absent = all. */
  kinds?: ObligationKind[];
  trigger: StepTrigger;
  target: EscalationTarget;
  /** Only fire when the case has no response draft yet (the "50 % with no draft" reminder). */
  onlyWithoutDraft?: boolean;
  /** Non-urgent steps respect quiet hours; urgent ones (breaches, major cases) notify at once. */
  urgent: boolean;
  /** Marks the obligation breached when it fires. */
  breach?: boolean;
}

export interface PolicyRule {
  level: Level;
  /** null: the level's default; a category overrides it where the office's rules differ. */
  category: Category | null;
  obligations: ObligationSpec[];
  escalationSteps: EscalationStep[];
  followUpHours: number;
  /** 审批链: the approval steps a response needs, in order; absent = the level's default (approval.ts). */
  approvalSteps?: ('reviewer' | 'leader_in_charge' | 'principal_leader')[];
  /** 会签 by the co-departments before the first approval step; absent = on for 较大 and above (forwarding.ts). */
  countersign?: boolean;
  /** Working days a forwarding office waits for feedback after publication; absent = 2 (forwarding.ts). */
  forwardFeedbackDays?: number;
}

/** Heightened period (重点时段): windows of obligations starting inside it are multiplied by factor. */
export interface HeightenedPeriod {
  startsAt: Date;
  endsAt: Date;
  factor: number;
  /** 全国两会, 春节…: named in the case room as the reason for a shorter window. */
  name?: string;
}

/** The heightened period that shortened a window, as recorded with the due time it gave. */
export interface AppliedPeriod {
  name: string;
  /** Strictly between 0 and 1: a period that does not shorten the window is not recorded. */
  factor: number;
}

/** Quiet hours in Asia/Shanghai, e.g. 22:00–07:00: non-urgent reminders wait until they end. */
export interface QuietHours {
  startHour: number;
  endHour: number;
}
