import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { DEPARTMENT_KINDS, ROLES } from '../../../../core/vocabulary.js';
import { Modal } from '../../components/Modal.js';
import { Empty, ErrorBox, ListState, Loading } from '../../components/states.js';
import { Tag } from '../../components/Tag.js';
import { toast } from '../../components/toast.js';
import { common } from '../../i18n/common.js';
import { useT } from '../../i18n/index.js';
import { useLabel } from '../../i18n/labels.js';
import { api, call, type Ok } from '../../lib/api.js';
import { useUser } from '../../lib/session.js';
import { fmtDateTime } from '../../lib/time.js';
import { Confirm } from './Confirm.js';
import { Field, GeneralError, orNull, useFieldErrors } from './form.js';
import { mAdmin, mOrg } from './messages.js';
import { useDepartments } from './RulesSection.js';

type Department = Ok<Awaited<ReturnType<typeof api.departments.$get>>>['departments'][number];
type User = Ok<Awaited<ReturnType<typeof api.users.$get>>>['users'][number];
type UserCreate = Parameters<typeof api.users.$post>[0]['json'];
type DeptKind = (typeof DEPARTMENT_KINDS)[number];

const USERS_KEY = ['admin', 'users'] as const;

export function OrgSection() {
  const t = useT(mOrg);
  return (
    <div className="stack">
      <div className="page-head">
        <h1>{useT(mAdmin)('org')}</h1>
        <span className="muted small">{t('deptIntro')}</span>
      </div>
      <div className="org-grid">
        <DepartmentsPanel />
        <UsersPanel />
      </div>
    </div>
  );
}

function DepartmentsPanel() {
  const t = useT(mOrg);
  const ta = useT(mAdmin);
  const tc = useT(common);
  const qc = useQueryClient();
  const q = useDepartments();
  const [editing, setEditing] = useState<Department | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Department | null>(null);
  const all = q.data ?? [];
  const children = (id: number) => all.filter((d) => d.parentId === id);
  const renderNode = (d: Department, depth: number): React.ReactNode => (
    <li key={d.id} data-testid="dept-node">
      <div className="tree-row" style={{ paddingLeft: depth * 16 }}>
        <span className="tree-name">{d.name}</span>
        <span className="row-actions tree-actions">
          <button type="button" className="btn btn-sm" onClick={() => setEditing(d)}>
            {tc('edit')}
          </button>
          <button type="button" className="btn btn-sm btn-danger" onClick={() => setDeleting(d)}>
            {tc('delete')}
          </button>
        </span>
      </div>
      {children(d.id).length > 0 ? <ul className="tree">{children(d.id).map((c) => renderNode(c, depth + 1))}</ul> : null}
    </li>
  );
  return (
    <div className="panel" data-testid="departments">
      <div className="panel-head">
        <h2>{t('departments')}</h2>
        <span className="spacer" />
        <button type="button" className="btn btn-sm btn-primary" onClick={() => setEditing('new')} data-testid="dept-add">
          {t('addDept')}
        </button>
      </div>
      <div className="panel-body">
        {q.isPending ? (
          <Loading />
        ) : q.isError ? (
          <ErrorBox error={q.error} onRetry={() => void q.refetch()} />
        ) : all.length === 0 ? (
          <Empty title={t('deptEmpty')} hint={t('deptEmptyHint')} />
        ) : (
          DEPARTMENT_KINDS.map((kind) => {
            // Roots of this kind: no parent, or a parent that is missing from the list.
            const roots = all.filter((d) => d.kind === kind && (d.parentId === null || !all.some((p) => p.id === d.parentId)));
            if (roots.length === 0) return null;
            return (
              <div key={kind} className="tree-group">
                <div className="tree-group-title">{t(`kind_${kind}`)}</div>
                <ul className="tree">{roots.map((d) => renderNode(d, 0))}</ul>
              </div>
            );
          })
        )}
      </div>
      {editing ? <DepartmentForm dept={editing === 'new' ? null : editing} all={all} onClose={() => setEditing(null)} /> : null}
      {deleting ? (
        <Confirm
          title={tc('delete')}
          text={ta('confirmDelete', { name: deleting.name })}
          onConfirm={async () => {
            await call(api.departments[':id'].$delete({ param: { id: String(deleting.id) } }));
            toast(ta('deleted'));
            await qc.invalidateQueries({ queryKey: ['admin', 'departments'] });
          }}
          onClose={() => setDeleting(null)}
        />
      ) : null}
    </div>
  );
}

function DepartmentForm({ dept, all, onClose }: { dept: Department | null; all: Department[]; onClose: () => void }) {
  const t = useT(mOrg);
  const tc = useT(common);
  const ta = useT(mAdmin);
  const qc = useQueryClient();
  const [name, setName] = useState(dept?.name ?? '');
  const [kind, setKind] = useState<DeptKind>(dept?.kind ?? 'bureau');
  const [parentId, setParentId] = useState<number | null>(dept?.parentId ?? null);
  const save = useMutation({
    mutationFn: async () => {
      const json = { name, kind, parentId };
      return dept ? call(api.departments[':id'].$patch({ param: { id: String(dept.id) }, json })) : call(api.departments.$post({ json }));
    },
    onSuccess: async () => {
      toast(dept ? tc('saved') : ta('created'));
      await qc.invalidateQueries({ queryKey: ['admin', 'departments'] });
      onClose();
    },
  });
  const errs = useFieldErrors(save.error, ['name', 'kind', 'parentId']);
  return (
    <Modal
      title={dept ? t('editDept') : t('createDept')}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            {tc('cancel')}
          </button>
          <button type="submit" form="dept-form" className="btn btn-primary" disabled={save.isPending} data-testid="dept-save">
            {save.isPending ? tc('saving') : tc('save')}
          </button>
        </>
      }
    >
      <form noValidate
        id="dept-form"
        data-testid="dept-form"
        onSubmit={(ev) => {
          ev.preventDefault();
          save.mutate();
        }}
      >
        <GeneralError text={errs.general} />
        <Field label={t('deptName')} error={errs.byField.name}>
          <input value={name} onChange={(ev) => setName(ev.target.value)} maxLength={100} required data-testid="dept-name" />
        </Field>
        <Field label={t('deptKind')} error={errs.byField.kind}>
          <select value={kind} onChange={(ev) => setKind(ev.target.value as DeptKind)}>
            {DEPARTMENT_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`kind_${k}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('parent')} error={errs.byField.parentId}>
          <select value={parentId ?? ''} onChange={(ev) => setParentId(ev.target.value ? Number(ev.target.value) : null)}>
            <option value="">{t('noParent')}</option>
            {all
              .filter((d) => d.id !== dept?.id)
              .map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
          </select>
        </Field>
      </form>
    </Modal>
  );
}

function userState(u: User, now: Date): 'disabled' | 'locked' | 'active' {
  if (u.disabled) return 'disabled';
  if (u.lockedUntil && new Date(u.lockedUntil) > now) return 'locked';
  return 'active';
}

function UsersPanel() {
  const t = useT(mOrg);
  const tc = useT(common);
  const label = useLabel();
  const me = useUser();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: USERS_KEY, queryFn: async () => (await call(api.users.$get())).users });
  const depts = useDepartments();
  const deptName = (id: number | null) => (id === null ? '—' : (depts.data?.find((d) => d.id === id)?.name ?? `#${id}`));
  const [editing, setEditing] = useState<User | 'new' | null>(null);
  const [resetting, setResetting] = useState<User | null>(null);
  const [toggling, setToggling] = useState<User | null>(null);
  const now = new Date();
  return (
    <div className="panel" data-testid="users">
      <div className="panel-head">
        <h2>{t('users')}</h2>
        {q.data ? <span className="muted small">{t('userCount', { n: q.data.length })}</span> : null}
        <span className="spacer" />
        <button type="button" className="btn btn-sm btn-primary" onClick={() => setEditing('new')} data-testid="user-add">
          {t('addUser')}
        </button>
      </div>
      <ListState
        query={q}
        empty={<Empty title={t('usersEmpty')} hint={t('usersEmptyHint')} />}
      >
        {(data) => (
        <div className="table-wrap">
          <table className="table admin-table" data-testid="users-table">
            <thead>
              <tr>
                <th>{t('displayName')}</th>
                <th>{t('role')}</th>
                <th>{t('department')}</th>
                <th>{t('state')}</th>
                <th>{tc('actions')}</th>
              </tr>
            </thead>
            <tbody>
              {data.map((u) => {
                const st = userState(u, now);
                return (
                  <tr key={u.id} data-testid="user-row" className={st === 'disabled' ? 'row-disabled' : undefined}>
                    <td>
                      <div>{u.displayName}</div>
                      <div className="muted small code">{u.username}</div>
                    </td>
                    <td className="nowrap">
                      <div>{label('role', u.role)}</div>
                      {u.leaderRank ? <div className="muted small">{t(`rank_${u.leaderRank}`)}</div> : null}
                    </td>
                    <td>
                      {deptName(u.departmentId)}
                      {u.isDepartmentHead ? (
                        <>
                          {' '}
                          <Tag tone="blue">{t('head')}</Tag>
                        </>
                      ) : null}
                    </td>
                    <td className="nowrap">
                      {st === 'active' ? <Tag tone="green">{t('active')}</Tag> : st === 'disabled' ? <Tag>{t('disabledState')}</Tag> : <Tag tone="red">{t('locked', { t: fmtDateTime(u.lockedUntil) })}</Tag>}
                    </td>
                    <td className="nowrap">
                      <div className="row-actions">
                        <button type="button" className="btn btn-sm" onClick={() => setEditing(u)}>
                          {tc('edit')}
                        </button>
                        <button type="button" className="btn btn-sm" onClick={() => setResetting(u)}>
                          {t('resetPassword')}
                        </button>
                        {u.id !== me.id ? (
                          <button type="button" className={u.disabled ? 'btn btn-sm' : 'btn btn-sm btn-danger'} onClick={() => setToggling(u)}>
                            {u.disabled ? t('enable') : t('disable')}
                          </button>
                        ) : null}
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        )}
      </ListState>
      {editing ? <UserForm user={editing === 'new' ? null : editing} onClose={() => setEditing(null)} /> : null}
      {resetting ? <ResetPassword user={resetting} onClose={() => setResetting(null)} /> : null}
      {toggling ? (
        <Confirm
          title={toggling.disabled ? t('enable') : t('disable')}
          text={toggling.disabled ? `${t('enable')}：${toggling.displayName}` : t('disableConfirm', { name: toggling.displayName })}
          danger={!toggling.disabled}
          onConfirm={async () => {
            await call(api.users[':id'].$patch({ param: { id: String(toggling.id) }, json: { disabled: !toggling.disabled } }));
            toast(tc('saved'));
            await qc.invalidateQueries({ queryKey: USERS_KEY });
          }}
          onClose={() => setToggling(null)}
        />
      ) : null}
    </div>
  );
}

const USER_FIELDS = ['username', 'displayName', 'role', 'departmentId', 'email', 'isDepartmentHead', 'leaderRank', 'password', 'disabled'] as const;

function UserForm({ user, onClose }: { user: User | null; onClose: () => void }) {
  const t = useT(mOrg);
  const tc = useT(common);
  const ta = useT(mAdmin);
  const label = useLabel();
  const qc = useQueryClient();
  const depts = useDepartments();
  const [f, setF] = useState({
    username: user?.username ?? '',
    displayName: user?.displayName ?? '',
    role: user?.role ?? ('handler' as UserCreate['role']),
    departmentId: user?.departmentId ?? null,
    email: user?.email ?? '',
    isDepartmentHead: user?.isDepartmentHead ?? false,
    leaderRank: user?.leaderRank ?? null,
    password: '',
  });
  const set = <K extends keyof typeof f>(k: K, v: (typeof f)[K]) => setF((p) => ({ ...p, [k]: v }));
  const save = useMutation({
    mutationFn: async () => {
      const common = {
        displayName: f.displayName,
        role: f.role,
        departmentId: f.departmentId,
        email: orNull(f.email),
        isDepartmentHead: f.isDepartmentHead,
        leaderRank: f.role === 'leader' ? f.leaderRank : null,
      };
      if (user) return call(api.users[':id'].$patch({ param: { id: String(user.id) }, json: common }));
      return call(api.users.$post({ json: { ...common, username: f.username.trim(), password: f.password } }));
    },
    onSuccess: async () => {
      toast(user ? tc('saved') : ta('created'));
      await qc.invalidateQueries({ queryKey: USERS_KEY });
      onClose();
    },
  });
  const errs = useFieldErrors(save.error, USER_FIELDS);
  const e = errs.byField;
  return (
    <Modal
      title={user ? t('editUser') : t('createUser')}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            {tc('cancel')}
          </button>
          <button type="submit" form="user-form" className="btn btn-primary" disabled={save.isPending} data-testid="user-save">
            {save.isPending ? tc('saving') : tc('save')}
          </button>
        </>
      }
    >
      <form noValidate
        id="user-form"
        data-testid="user-form"
        onSubmit={(ev) => {
          ev.preventDefault();
          save.mutate();
        }}
      >
        <GeneralError text={errs.general} />
        <div className="form-grid">
          <Field label={t('username')} error={e.username}>
            <input value={f.username} onChange={(ev) => set('username', ev.target.value)} disabled={!!user} required autoComplete="off" className="code" data-testid="user-username" />
          </Field>
          <Field label={t('displayName')} error={e.displayName}>
            <input value={f.displayName} onChange={(ev) => set('displayName', ev.target.value)} required maxLength={100} data-testid="user-displayname" />
          </Field>
          <Field label={t('role')} error={e.role}>
            <select value={f.role} onChange={(ev) => set('role', ev.target.value as UserCreate['role'])} data-testid="user-role">
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {label('role', r)}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('department')} error={e.departmentId}>
            <select value={f.departmentId ?? ''} onChange={(ev) => set('departmentId', ev.target.value ? Number(ev.target.value) : null)} data-testid="user-department">
              <option value="">{t('noDepartment')}</option>
              {(depts.data ?? []).map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('email')} error={e.email}>
            <input type="email" value={f.email} onChange={(ev) => set('email', ev.target.value)} />
          </Field>
          {f.role === 'leader' ? (
            <Field label={t('leaderRank')} error={e.leaderRank}>
              <select value={f.leaderRank ?? ''} onChange={(ev) => set('leaderRank', (ev.target.value || null) as typeof f.leaderRank)}>
                <option value="">{t('rank_none')}</option>
                <option value="in_charge">{t('rank_in_charge')}</option>
                <option value="principal">{t('rank_principal')}</option>
              </select>
            </Field>
          ) : (
            <span />
          )}
          {!user ? (
            <Field label={t('password')} error={e.password} hint={t('passwordHint')}>
              <input type="password" value={f.password} onChange={(ev) => set('password', ev.target.value)} required autoComplete="new-password" data-testid="user-password" />
            </Field>
          ) : null}
          <label className="check">
            <input type="checkbox" checked={f.isDepartmentHead} onChange={(ev) => set('isDepartmentHead', ev.target.checked)} />
            {t('head')}
          </label>
        </div>
      </form>
    </Modal>
  );
}

function ResetPassword({ user, onClose }: { user: User; onClose: () => void }) {
  const t = useT(mOrg);
  const tc = useT(common);
  const qc = useQueryClient();
  const [password, setPassword] = useState('');
  const save = useMutation({
    mutationFn: () => call(api.users[':id'].$patch({ param: { id: String(user.id) }, json: { password } })),
    onSuccess: async () => {
      toast(t('resetDone'));
      await qc.invalidateQueries({ queryKey: USERS_KEY });
      onClose();
    },
  });
  const errs = useFieldErrors(save.error, ['password']);
  return (
    <Modal
      title={t('resetTitle', { name: user.displayName })}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            {tc('cancel')}
          </button>
          <button type="submit" form="reset-form" className="btn btn-primary" disabled={save.isPending}>
            {t('resetPassword')}
          </button>
        </>
      }
    >
      <form noValidate
        id="reset-form"
        onSubmit={(ev) => {
          ev.preventDefault();
          save.mutate();
        }}
      >
        <p className="muted small">{t('resetHint')}</p>
        <GeneralError text={errs.general} />
        <Field label={t('newPassword')} error={errs.byField.password} hint={t('passwordHint')}>
          <input type="password" value={password} onChange={(ev) => setPassword(ev.target.value)} required autoComplete="new-password" />
        </Field>
      </form>
    </Modal>
  );
}
