import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { DataTable, EditDelete } from '../../components/DataTable.js';
import { Empty, ListState } from '../../components/states.js';
import { LevelTag, Tag } from '../../components/Tag.js';
import { toast } from '../../components/toast.js';
import { common } from '../../i18n/common.js';
import { useT } from '../../i18n/index.js';
import { useLabel } from '../../i18n/labels.js';
import { api, call, type Ok } from '../../lib/api.js';
import { Confirm } from './Confirm.js';
import { mAdmin, mRules } from './messages.js';
import { RuleEditor } from './RuleEditor.js';

export type Rule = Ok<Awaited<ReturnType<typeof api.rules.$get>>>['rules'][number];

export const RULES_KEY = ['admin', 'rules'] as const;

export function useDepartments() {
  return useQuery({ queryKey: ['admin', 'departments'], queryFn: async () => (await call(api.departments.$get())).departments, staleTime: 60_000 });
}

export function RulesSection() {
  const t = useT(mRules);
  const ta = useT(mAdmin);
  const tc = useT(common);
  const label = useLabel();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: RULES_KEY, queryFn: async () => (await call(api.rules.$get())).rules });
  const [editing, setEditing] = useState<Rule | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Rule | null>(null);
  return (
    <div className="stack">
      <div className="page-head">
        <h1>{t('heading')}</h1>
        <span className="spacer" />
        <button type="button" className="btn btn-primary" onClick={() => setEditing('new')} data-testid="rule-add">
          {t('add')}
        </button>
      </div>
      <p className="muted small intro">{t('intro')}</p>
      <div className="panel">
        <ListState
          query={q}
          empty={<Empty title={t('emptyTitle')} hint={t('emptyHint')} />}
        >
          {(data) => (
            <DataTable
              testid="rules-table"
              rows={data}
              rowKey={(r) => r.id}
              rowClass={(r) => (r.enabled ? undefined : 'row-disabled')}
              columns={[
                { key: 'name', header: t('colName'), cellClass: 'nowrap', cell: (r) => r.name },
                { key: 'expr', header: t('colExpr'), cellClass: 'code break', cell: (r) => r.expression },
                {
                  key: 'scope',
                  header: t('colScope'),
                  cellClass: 'nowrap',
                  cell: (r) => (
                    <>
                      {r.scope === 'title' ? t('scopeTitle') : t('scopeTitleText')}
                      {r.negativeOnly ? <div className="muted small">{t('negativeOnly')}</div> : null}
                    </>
                  ),
                },
                {
                  key: 'suggest',
                  header: t('colSuggest'),
                  cell: (r) => (
                    <div className="tags">
                      <LevelTag level={r.suggestedLevel} />
                      <Tag>{label('category', r.suggestedCategory)}</Tag>
                      {r.suggestedDepartmentName ? <Tag tone="blue">{r.suggestedDepartmentName}</Tag> : null}
                    </div>
                  ),
                },
                { key: 'enabled', header: ta('enabled'), cell: (r) => (r.enabled ? <Tag tone="green">{ta('on')}</Tag> : <Tag>{ta('off')}</Tag>) },
                { key: 'actions', header: tc('actions'), cellClass: 'nowrap', cell: (r) => <EditDelete onEdit={() => setEditing(r)} onDelete={() => setDeleting(r)} /> },
              ]}
            />
          )}
        </ListState>
      </div>
      {editing ? <RuleEditor rule={editing === 'new' ? null : editing} onClose={() => setEditing(null)} /> : null}
      {deleting ? (
        <Confirm
          title={tc('delete')}
          text={ta('confirmDelete', { name: deleting.name })}
          onConfirm={async () => {
            await call(api.rules[':id'].$delete({ param: { id: String(deleting.id) } }));
            toast(ta('deleted'));
            await qc.invalidateQueries({ queryKey: RULES_KEY });
          }}
          onClose={() => setDeleting(null)}
        />
      ) : null}
    </div>
  );
}

