import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { DEPARTMENT_KINDS } from '../../../../core/vocabulary.js';
import { Empty, ErrorBox, Loading } from '../../components/states.js';
import { toast } from '../../components/toast.js';
import { common } from '../../i18n/common.js';
import { useT } from '../../i18n/index.js';
import { api, call, type Ok } from '../../lib/api.js';
import { Confirm } from './Confirm.js';
import { Field, FormModal, GeneralError, useFieldErrors } from './form.js';
import { mAdmin, mOrg } from './messages.js';
import { UsersPanel } from './OrgUsers.js';
import { useDepartments } from './RulesSection.js';

type Department = Ok<Awaited<ReturnType<typeof api.departments.$get>>>['departments'][number];
type DeptKind = (typeof DEPARTMENT_KINDS)[number];

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
    <FormModal
      id="dept-form"
      title={dept ? t('editDept') : t('createDept')}
      onClose={onClose}
      onSubmit={() => save.mutate()}
      pending={save.isPending}
      testid="dept-form"
      saveTestid="dept-save"
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
    </FormModal>
  );
}

