import type { ReactNode } from 'react';
import { useLabel } from '../i18n/labels.js';

/** A small coloured label. */
export function Tag({ tone = 'grey', children, title }: { tone?: 'grey' | 'blue' | 'green' | 'amber' | 'red' | 'purple'; children: ReactNode; title?: string }) {
  return (
    <span className={`tag tag-${tone}`} title={title}>
      {children}
    </span>
  );
}

const LEVEL_TONE = { general: 'blue', significant: 'amber', major: 'red', especially_major: 'purple' } as const;

export function LevelTag({ level }: { level: string }) {
  const label = useLabel();
  return <Tag tone={LEVEL_TONE[level as keyof typeof LEVEL_TONE] ?? 'grey'}>{label('level', level)}</Tag>;
}

const STATUS_TONE = { open: 'amber', responded: 'blue', closed: 'green' } as const;

export function CaseStatusTag({ status }: { status: string }) {
  const label = useLabel();
  return <Tag tone={STATUS_TONE[status as keyof typeof STATUS_TONE] ?? 'grey'}>{label('caseStatus', status)}</Tag>;
}
