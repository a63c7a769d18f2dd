// The demo's case history: about five weeks of a small office's work (清河市), so the ledger, the
// leader's statistics and the weekly notice are not empty on a fresh demo. Every step goes through
// the real services (registration, 发布审核, 跟踪反馈, 办结, 上报/移交/协调) with an injected clock,
// so obligations, deadlines, on-time judgements and audit rows are what the product itself writes.
import type { Db } from '../db/client.js';
import { findCase } from '../db/repos/cases.js';
import { activeUsersOf, anyCaseExists, departmentIdsByName, insertNoLoginHandler, withTryLock } from '../db/repos/demo.js';
import type { Channel, Role } from '../core/vocabulary.js';
import { DEMO_HISTORY, EXTRA_HANDLERS, NO_LOGIN, REPORT_RECIPIENT, type HistoryCase, type Publication, type Stage } from './history-cases.js';
import { mulberry32, type Rng } from '../core/random.js';
import { BUSINESS_OFFSET_MS } from '../core/business-time.js';
import { loadConfig } from '../platform/config.js';
import { EventHub } from '../platform/events.js';
import { createLogger } from '../platform/logger.js';
import type { Actor, SessionUser } from '../services/shared/actor.js';
import { openCase } from '../services/cases/triage.js';
import type { OpenCaseInput } from '../services/cases/schema.js';
import { recordCoordination, recordReferral, recordReportUp } from '../services/escalations/service.js';
import { addFeedback, closeCase } from '../services/followup/service.js';
import type { Who } from '../services/responses/guard.js';
import { approveResponse, countersignResponse, createResponse, editResponse, publishResponse, returnResponse, submitResponse } from '../services/responses/service.js';
import { recordForwardReply, recordVerification } from '../services/forwarding/service.js';
import { forwardingOffice, isForwarded } from '../core/workflow/forwarding.js';
import type { ResponseView } from '../services/responses/schema.js';
import type { ModuleDeps } from '../services/shared/deps.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SHANGHAI = BUSINESS_OFFSET_MS;
export const HISTORY_SEED = 20261201;
/** Audit rows of the history carry this in place of a client address. */
const HISTORY_IP = 'demo-history';

export { DEMO_HISTORY, type HistoryCase } from './history-cases.js';

// ── Running it ─────────────────────────────────────────────────────────────────────────────

interface People {
  duty: SessionUser;
  reviewer: SessionUser;
  /** 审批链: the leaders who take the leaders' steps (a missing one leaves its responses waiting there). */
  leaders: Partial<Record<'leader_in_charge' | 'principal_leader', SessionUser>>;
  handlers: Map<number, SessionUser>;
  departments: Map<string, number>;
}

interface Event {
  at: Date;
  order: number;
  run: () => Promise<void>;
}

const who = (user: SessionUser): Who => ({ user, actor: actorFor(user) });
const actorFor = (user: SessionUser): Actor => ({ id: user.id, name: user.displayName || user.username, ip: HISTORY_IP });

async function sessionUser(db: Db, where: { username?: string; role: Role; departmentId?: number }): Promise<SessionUser | undefined> {
  const rows = await activeUsersOf(db, { role: where.role, departmentId: where.departmentId });
  const row = rows.find((r) => r.username.toLowerCase() === where.username) ?? rows[0];
  if (!row) return undefined;
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    departmentId: row.department_id,
    isDepartmentHead: row.is_department_head,
    leaderRank: row.leader_rank,
  };
}

async function people(db: Db): Promise<People | undefined> {
  const departments = await departmentIdsByName(db);
  const duty = await sessionUser(db, { username: 'duty', role: 'duty' });
  const reviewer = await sessionUser(db, { username: 'reviewer', role: 'reviewer' });
  if (!duty || !reviewer) return undefined;
  const handlers = new Map<number, SessionUser>();
  const leads = new Set(DEMO_HISTORY.map((c) => c.lead));
  for (const name of leads) {
    const departmentId = departments.get(name);
    if (departmentId === undefined) continue;
    let h = await sessionUser(db, { role: 'handler', departmentId });
    const extra = EXTRA_HANDLERS.find((e) => e.department === name);
    if (!h && extra) {
      await insertNoLoginHandler(db, { username: extra.username, displayName: extra.displayName, departmentId, passwordHash: NO_LOGIN });
      h = await sessionUser(db, { role: 'handler', departmentId });
    }
    if (h) handlers.set(departmentId, h);
  }
  const leaderRows = await activeUsersOf(db, { role: 'leader' });
  const leaders: People['leaders'] = {};
  for (const [step, rank] of [['leader_in_charge', 'in_charge'], ['principal_leader', 'principal']] as const) {
    const row = leaderRows.find((r) => r.leader_rank === rank);
    if (row) leaders[step] = (await sessionUser(db, { username: row.username.toLowerCase(), role: 'leader' })) ?? undefined;
  }
  return { duty, reviewer, leaders, handlers, departments };
}

/** Midnight (Asia/Shanghai) `days` days before `now`'s Shanghai day, plus `hour` hours. */
function shanghaiAt(now: Date, days: number, hour: number): Date {
  const local = new Date(now.getTime() + SHANGHAI);
  const midnight = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()) - SHANGHAI;
  return new Date(midnight - days * DAY + hour * HOUR);
}

function channelUrl(channel: Channel, rng: Rng, at: Date): string {
  const id = 100_000 + Math.floor(rng() * 900_000);
  const local = new Date(at.getTime() + SHANGHAI);
  const ym = `${local.getUTCFullYear()}${String(local.getUTCMonth() + 1).padStart(2, '0')}`;
  switch (channel) {
    case 'website':
      return `https://www.qinghe.gov.example/xxgk/${ym}/t${id}.html`;
    case 'new_media':
      return `https://mp.qinghe-fabu.example/s/${id.toString(36)}`;
    case 'press_conference':
      return `https://www.qinghe.gov.example/xwfb/${ym}/fbh${id}.html`;
    case 'reply':
      return `https://bbs.qinghe.example/thread-${id}-1-1.html`;
    default:
      return '';
  }
}

/**
 * Seeds the demo case history when the cases table is empty (nothing otherwise: a restart adds
 * nothing, and an office that took the demo into real use keeps its own cases). Needs the demo
 * departments and users (seedDemo, seedDemoUsers); cases whose departments are missing are
 * skipped. `now` is the end of the history: the latest step happens before it. Returns the number
 * of cases created.
 */
export async function seedDemoHistory(db: Db, now: Date): Promise<number> {
  // A session-level advisory lock on one connection: a second process starting at the same time
  // skips instead of seeding twice (the seeding itself spans many transactions on the pool).
  return withTryLock(db, 'opinion-desk:seed-demo-history', 0, async () => ((await anyCaseExists(db)) ? 0 : seed(db, now)));
}

async function seed(db: Db, end: Date): Promise<number> {
  const p = await people(db);
  if (!p) return 0;
  let clock = end;
  const deps: ModuleDeps = {
    db,
    config: loadConfig({}),
    logger: createLogger('silent', 'demo-history'),
    redis: null,
    events: new EventHub(),
    now: () => clock,
    emit: async () => {},
  };
  const rng = mulberry32(HISTORY_SEED);
  const jitter = (maxMinutes: number) => Math.floor(rng() * maxMinutes) * 60_000;
  // Nothing happens in the last minute before `end`: every step is in the past.
  const latest = end.getTime() - 60_000;
  const events: Event[] = [];
  let created = 0;

  DEMO_HISTORY.forEach((spec, index) => {
    const lead = p.departments.get(spec.lead);
    const co = (spec.co ?? []).map((n) => p.departments.get(n));
    const handler = lead === undefined ? undefined : p.handlers.get(lead);
    if (lead === undefined || !handler || co.some((d) => d === undefined)) return;

    const t0 = 'hoursAgo' in spec.start ? new Date(end.getTime() - spec.start.hoursAgo * HOUR) : new Date(shanghaiAt(end, spec.start.daysAgo, spec.start.hour).getTime() + jitter(50));
    const at = (h: number) => new Date(t0.getTime() + h * HOUR);
    const openH = spec.openH ?? 0.5 + rng();
    const state: { caseId?: string; responseId?: string; verified?: boolean; replied?: boolean } = {};
    let order = 0;
    const add = (when: Date, run: () => Promise<void>) => events.push({ at: when, order: index * 1000 + order++, run });
    const needCase = () => {
      if (!state.caseId) throw new Error('demo history: step before the case was opened');
      return state.caseId;
    };

    add(at(openH), async () => {
      const input: OpenCaseInput = {
        manual: { origin: spec.origin, originNote: spec.originNote, url: '', title: spec.title, text: spec.text, receivedAt: t0 },
        title: spec.title,
        summary: spec.summary,
        level: spec.level,
        category: spec.category,
        leadDepartmentId: lead,
        coDepartmentIds: co as number[],
      };
      state.caseId = await openCase(deps, input, actorFor(p.duty));
      created += 1;
    });

    // One response through review: draft → submit (→ return → edit → submit) → approve (→ publish).
    const review = (from: number, h: number, body: string, returned: Publication['returned'] | undefined, stopAt?: Stage) => {
      const gap = Math.min(2.5, (h - from) * 0.6);
      const step = (f: number) => at(h - gap * f);
      add(step(1), async () => {
        // A forwarded opinion is verified (核实) before its response is drafted.
        if (isForwarded(spec.origin) && !state.verified) {
          await recordVerification(deps, who(handler), needCase(), { result: 'true', note: '经实地核实，反映的情况属实。' });
          state.verified = true;
        }
        state.responseId = (await createResponse(deps, who(handler), needCase(), body)).id;
      });
      if (stopAt === 'draft') return;
      /** 会签: every co-department asked confirms 内容准确一致. */
      const signOff = async (v: ResponseView) => {
        for (const d of v.countersign.departments) {
          const h = d.state === 'pending' ? p.handlers.get(d.departmentId) : undefined;
          if (h) await countersignResponse(deps, who(h), needCase(), state.responseId!, { decision: 'confirm', comment: '' });
        }
      };
      add(step(0.75), async () => void (await signOff(await submitResponse(deps, who(handler), needCase(), state.responseId!, true))));
      if (returned) {
        add(step(0.6), async () => void (await returnResponse(deps, who(p.reviewer), needCase(), state.responseId!, returned.comment)));
        if (stopAt === 'returned') return;
        add(step(0.5), async () => void (await editResponse(deps, who(handler), needCase(), state.responseId!, returned.revised)));
        add(step(0.4), async () => void (await signOff(await submitResponse(deps, who(handler), needCase(), state.responseId!, true))));
      }
      if (stopAt === 'submitted') return;
      add(step(0.2), async () => {
        // Through the whole approval chain: the reviewer, then the leaders the case's level asks for.
        let v = await approveResponse(deps, who(p.reviewer), needCase(), state.responseId!);
        for (let i = 0; i < 3 && v.status === 'submitted'; i++) {
          const current = v.approvalChain.find((s) => s.state === 'current');
          const leader = current && current.kind !== 'reviewer' ? p.leaders[current.kind] : undefined;
          if (!leader) break;
          v = await approveResponse(deps, who(leader), needCase(), state.responseId!);
        }
      });
    };

    let from = openH;
    for (const pub of spec.publish ?? []) {
      review(from, pub.h, pub.body, pub.returned);
      const publisher = pub.by ?? (rng() < 0.5 ? 'handler' : 'reviewer');
      const url = channelUrl(pub.channel, rng, at(pub.h));
      add(at(pub.h), async () => {
        const u = publisher === 'reviewer' ? p.reviewer : handler;
        await publishResponse(deps, who(u), needCase(), state.responseId!, { channel: pub.channel, ...(url ? { url } : {}) });
      });
      // 向转办单位反馈办理情况: the lead handler reports back to the forwarding office the next working day or so.
      if (isForwarded(spec.origin)) {
        add(at(pub.h + 20), async () => {
          if (state.replied || (await caseOf(db, needCase())).status === 'closed') return;
          state.replied = true;
          const content = '已就该事项公开回应，核实情况和整改措施已书面反馈贵单位。';
          await recordForwardReply(deps, who(handler), needCase(), { content, recipient: forwardingOffice(spec.origin, spec.originNote) });
        });
      }
      from = pub.h;
    }
    if (spec.pending) {
      const pd = spec.pending;
      const returned = pd.stage === 'returned' ? { comment: pd.comment ?? '请补充具体措施和时限后重新提交。', revised: pd.body } : undefined;
      review(from, pd.h, pd.body, returned, pd.stage);
    }
    for (const f of spec.feedback ?? []) {
      add(at(f.h), async () => void (await addFeedback(deps, who(handler), needCase(), { kind: f.kind, body: f.body })));
    }
    if (spec.reportUp) {
      const r = spec.reportUp;
      add(at(r.h), async () => {
        const kase = await caseOf(db, needCase());
        await recordReportUp(deps, actorFor(p.duty), 'duty', kase, { recipient: r.recipient, content: r.content });
      });
    }
    for (const r of spec.referrals ?? []) {
      add(at(r.h), async () => {
        const kase = await caseOf(db, needCase());
        await recordReferral(deps, actorFor(r.target === 'public_security' ? p.duty : p.reviewer), kase, { target: r.target, recipient: r.recipient, content: r.content });
      });
    }
    if (spec.coordination) {
      const c = spec.coordination;
      add(at(c.h), async () => {
        const kase = await caseOf(db, needCase());
        await recordCoordination(deps, actorFor(handler), handler, kase, c.content);
      });
    }
    if (spec.close) {
      const c = spec.close;
      add(at(c.h), async () => {
        const u = c.by === 'handler' ? handler : p.reviewer;
        await closeCase(deps, who(u), needCase(), { effectRating: c.rating, conclusion: c.conclusion });
      });
    }
  });

  // All cases' steps in time order, so audit rows and case numbers follow the story's own order.
  events.sort((a, b) => a.at.getTime() - b.at.getTime() || a.order - b.order);
  for (const ev of events) {
    if (ev.at.getTime() > latest) continue; // a step the story has not reached yet
    clock = ev.at;
    await ev.run();
  }
  return created;
}

async function caseOf(db: Db, id: string) {
  const kase = await findCase(db, id);
  if (!kase) throw new Error(`demo history: case ${id} vanished`);
  return kase;
}
