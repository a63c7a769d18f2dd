// Cases seeded the real way, through the API, for the ledger and statistics browser tests: manual
// registrations by the duty officer, and responses drafted by the handler, approved by the reviewer
// and published. Each user has their own cookie jar (session cookie + CSRF token).

export class ApiUser {
  private cookie = '';
  private csrf = '';
  constructor(
    readonly baseUrl: string,
    readonly username: string,
  ) {}

  async signIn(password: string): Promise<this> {
    const res = await fetch(`${this.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: this.baseUrl },
      body: JSON.stringify({ username: this.username, password }),
    });
    if (!res.ok) throw new Error(`sign-in of ${this.username} failed: ${res.status} ${await res.text()}`);
    this.cookie = (res.headers.getSetCookie() ?? []).map((c) => c.split(';')[0]).join('; ');
    this.csrf = ((await res.json()) as { csrfToken: string }).csrfToken;
    return this;
  }

  async call<T = any>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        cookie: this.cookie,
        origin: this.baseUrl,
        ...(method === 'GET' ? {} : { 'x-csrf-token': this.csrf }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${this.username} ${method} ${path} → ${res.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

export interface Team {
  duty: ApiUser;
  handler: ApiUser;
  handler2: ApiUser;
  reviewer: ApiUser;
  leader: ApiUser;
  /** The principal leader (主要领导). */
  leader2: ApiUser;
}

export async function signInTeam(baseUrl: string, password: string): Promise<Team> {
  const [duty, handler, handler2, reviewer, leader, leader2] = await Promise.all(
    ['duty', 'handler', 'handler2', 'reviewer', 'leader', 'leader2'].map((u) => new ApiUser(baseUrl, u).signIn(password)),
  );
  return { duty, handler, handler2, reviewer, leader, leader2 };
}

export async function departmentId(user: ApiUser, name: string): Promise<number> {
  const { departments } = await user.call<{ departments: { id: number; name: string }[] }>('GET', '/api/departments');
  const d = departments.find((x) => x.name === name);
  if (!d) throw new Error(`no department ${name}`);
  return d.id;
}

export interface CaseSeed {
  title: string;
  text?: string;
  summary?: string;
  level: 'general' | 'significant' | 'major' | 'especially_major';
  category: 'suggestion' | 'difficulty' | 'misunderstanding' | 'wrong_view' | 'rumour' | 'emergency' | 'other';
  departmentId: number;
  origin?: 'cyberspace_office' | 'government_office' | 'hotline' | 'mailbox' | 'other';
  /** When the opinion was received (the clock start); default now. */
  receivedAt?: Date;
}

/** POST /api/cases (manual registration) as the duty officer; returns the case id and number. */
export async function registerCase(duty: ApiUser, s: CaseSeed): Promise<{ id: string; number: string }> {
  const c = await duty.call<{ id: string; number: string }>('POST', '/api/cases', {
    manual: {
      origin: s.origin ?? 'hotline',
      originNote: '12345 热线转办',
      title: s.title,
      text: s.text ?? s.title,
      receivedAt: (s.receivedAt ?? new Date()).toISOString(),
    },
    title: s.title,
    summary: s.summary ?? `${s.title}：群众反映情况，需责任单位核实并公开回应。`,
    level: s.level,
    category: s.category,
    leadDepartmentId: s.departmentId,
  });
  return { id: c.id, number: c.number };
}

/** Draft → submit (handler) → approve (reviewer, then the leaders the case's 审批链 asks for) → publish (reviewer). */
export async function respond(
  t: { handler: ApiUser; reviewer: ApiUser; leader: ApiUser; leader2: ApiUser },
  caseId: string,
  body = '经核实，已责成相关单位限期整改，整改情况将及时公布。',
): Promise<void> {
  const draft = await t.handler.call<{ id: string }>('POST', `/api/cases/${caseId}/responses`, { body });
  await t.handler.call('POST', `/api/cases/${caseId}/responses/${draft.id}/submit`, { secrecyConfirmed: true });
  type View = { status: string; approvalChain: { kind: string; state: string }[] };
  let v = await t.reviewer.call<View>('POST', `/api/cases/${caseId}/responses/${draft.id}/approve`);
  for (let i = 0; i < 2 && v.status === 'submitted'; i++) {
    const step = v.approvalChain.find((s) => s.state === 'current')?.kind;
    v = await (step === 'principal_leader' ? t.leader2 : t.leader).call<View>('POST', `/api/cases/${caseId}/responses/${draft.id}/approve`);
  }
  await t.reviewer.call('POST', `/api/cases/${caseId}/responses/${draft.id}/publish`, { channel: 'website', url: 'https://www.example.gov.cn/hd/1' });
}
