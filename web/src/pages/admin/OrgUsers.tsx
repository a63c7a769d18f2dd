import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ROLES } from '../../../../core/vocabulary.js';
import { DataTable, EditDelete } from '../../components/DataTable.js';
import { Empty, ListState } from '../../components/states.js';
import { Tag } from '../../components/Tag.js';
import { toast } from '../../components/toast.js';
import { common } from '../../i18n/common.js';
import { useT } from '../../i18n/index.js';
import { useLabel } from '../../i18n/labels.js';
import { api, call, type Ok } from '../../lib/api.js';
import { useUser } from '../../lib/session.js';
import { fmtDateTime } from '../../lib/time.js';
import { Confirm } from './Confirm.js';
import { Field, FormModal, GeneralError, orNull, useFieldErrors } from './form.js';
import { mAdmin, mOrg } from './messages.js';
import { useDepartments } from './RulesSection.js';

// 用户: the users table and its create / edit / reset-password dialogs.

type User = Ok<Awaited<ReturnType<typeof api.users.$get>>>['users'][number];
type UserCreate = Parameters<typeof api.users.$post>[0]['json'];

const USERS_KEY = ['admin', 'users'] as const;

function userState(u: User, now: Date): 'disabled' | 'locked' | 'active' {
  if (u.disabled) return 'disabled';
  if (u.lockedUntil && new Date(u.lockedUntil) > now) return 'locked';
  return 'active';
}

export function UsersPanel() {
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
          <DataTable
            testid="users-table"
            rows={data}
            rowKey={(u) => u.id}
            rowTestid="user-row"
            rowClass={(u) => (u.disabled ? 'row-disabled' : undefined)}
            columns={[
              {
                key: 'name',
                header: t('displayName'),
                cell: (u) => (
                  <>
                    <div>{u.displayName}</div>
                    <div className="muted small code" translate="no">
                      {u.username}
                    </div>
                  </>
                ),
              },
              {
                key: 'role',
                header: t('role'),
                cellClass: 'nowrap',
                cell: (u) => (
                  <>
                    <div>{label('role', u.role)}</div>
                    {u.leaderRank ? <div className="muted small">{t(`rank_${u.leaderRank}`)}</div> : null}
                  </>
                ),
              },
              {
                key: 'dept',
                header: t('department'),
                cell: (u) => (
                  <>
                    {deptName(u.departmentId)}
                    {u.isDepartmentHead ? (
                      <>
                        {' '}
                        <Tag tone="blue">{t('head')}</Tag>
                      </>
                    ) : null}
                  </>
                ),
              },
              {
                key: 'phone',
                header: t('phone'),
                cellClass: 'nowrap',
                cell: (u) => (u.phone ? <span className="code" data-testid="user-phone">{u.phone}</span> : <span className="muted">{t('noPhone')}</span>),
              },
              {
                key: 'state',
                header: t('state'),
                cellClass: 'nowrap',
                cell: (u) => {
                  const st = userState(u, now);
                  return st === 'active' ? <Tag tone="green">{t('active')}</Tag> : st === 'disabled' ? <Tag>{t('disabledState')}</Tag> : <Tag tone="red">{t('locked', { t: fmtDateTime(u.lockedUntil) })}</Tag>;
                },
              },
              {
                key: 'actions',
                header: tc('actions'),
                cellClass: 'nowrap',
                cell: (u) => (
                  <EditDelete onEdit={() => setEditing(u)}>
                    <button type="button" className="btn btn-sm" onClick={() => setResetting(u)}>
                      {t('resetPassword')}
                    </button>
                    {u.id !== me.id ? (
                      <button type="button" className={u.disabled ? 'btn btn-sm' : 'btn btn-sm btn-danger'} onClick={() => setToggling(u)}>
                        {u.disabled ? t('enable') : t('disable')}
                      </button>
                    ) : null}
                  </EditDelete>
                ),
              },
            ]}
          />
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

const USER_FIELDS = ['username', 'displayName', 'role', 'departmentId', 'email', 'phone', 'isDepartmentHead', 'leaderRank', 'password', 'disabled'] as const;

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
    phone: user?.phone ?? '',
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
        phone: f.phone.trim(),
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
    <FormModal
      id="user-form"
      title={user ? t('editUser') : t('createUser')}
      onClose={onClose}
      onSubmit={() => save.mutate()}
      pending={save.isPending}
      testid="user-form"
      saveTestid="user-save"
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
        <Field label={t('phone')} error={e.phone} hint={t('phoneHint')}>
          <input type="tel" inputMode="numeric" value={f.phone} onChange={(ev) => set('phone', ev.target.value)} maxLength={20} autoComplete="off" placeholder="13800138000" data-testid="user-phone-input" />
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
    </FormModal>
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
    <FormModal
      id="reset-form"
      title={t('resetTitle', { name: user.displayName })}
      onClose={onClose}
      onSubmit={() => save.mutate()}
      pending={save.isPending}
      submitLabel={t('resetPassword')}
    >
      <p className="muted small">{t('resetHint')}</p>
      <GeneralError text={errs.general} />
      <Field label={t('newPassword')} error={errs.byField.password} hint={t('passwordHint')}>
        <input type="password" value={password} onChange={(ev) => setPassword(ev.target.value)} required autoComplete="new-password" />
      </Field>
    </FormModal>
  );
}
