import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Modal } from '../../components/Modal.js';
import { TownVillageFields } from '../../components/TownVillageFields.js';
import { FormError } from '../../components/states.js';
import { toast } from '../../components/toast.js';
import { common } from '../../i18n/common.js';
import { defineMessages, useT } from '../../i18n/index.js';
import { api, call, type Ok } from '../../lib/api.js';
import { useSession } from '../../lib/session.js';
import { caseKey, useCaseMutation, type CaseData } from './data.js';

// 地域 in the case room's header: the places of the case's items, or the 乡镇 (and 村) set by hand.
// A case registered by hand has none until someone sets it; duty officers, reviewers, admins and
// the case's handlers set or correct it here (乡镇, then 村: native selects, thumb-sized on a phone).
// A hand-set 乡镇 / 村 the 辖区 has since dropped reads as the items' places, with a line saying so.

const mp = defineMessages(
  {
    places: '地域',
    notSet: '未设置',
    byHand: '（手工设置）',
    set: '设置地域',
    correct: '更正',
    title: '设置事件地域',
    town: '乡镇（街道）',
    village: '村（社区）',
    chooseTown: '请选择乡镇（街道）',
    wholeTown: '不具体到村（社区）',
    hint: '手工设置的地域替代事件信息中识别出的地名，用于台账筛选、导出和按乡镇统计。',
    clear: '恢复按事件信息识别',
    noArea: '尚未设置辖区地名表，请管理员在“管理 → 辖区”中设置。',
    saved: '地域已保存',
    pickTown: '请先选择乡镇（街道）',
    handRemoved: '手动设置的地域“{name}”已不在辖区中，现按信息内容显示',
  },
  {
    places: 'Places',
    notSet: 'Not set',
    byHand: ' (set by hand)',
    set: 'Set places',
    correct: 'Correct',
    title: "Set the case's places",
    town: 'Town',
    village: 'Village',
    chooseTown: 'Choose a town',
    wholeTown: 'The town as a whole',
    hint: 'Places set by hand replace those found in the case items: the ledger filter, exports and statistics by town use them.',
    clear: 'Back to the places found in the items',
    noArea: 'No gazetteer yet: an admin sets it under 管理 → 辖区.',
    saved: 'Places saved',
    pickTown: 'Choose a town first',
    handRemoved: 'The place set by hand ("{name}") is no longer in the area: shown from the items instead',
  },
);

export function CasePlaces({ c }: { c: CaseData }) {
  const t = useT(mp);
  const { can } = useSession();
  const [editing, setEditing] = useState(false);
  const mayEdit = can('duty', 'handler', 'reviewer', 'admin') && c.status !== 'closed';
  // Read by everyone who sees the case: it says whether the 地域 was set by hand (or set by hand and since dropped from the 辖区).
  const q = useQuery({ queryKey: [...caseKey(c.id), 'places'], queryFn: () => call(api.cases[':id'].places.$get({ param: { id: c.id } })) });
  const places = q.data?.places ?? c.places;
  if (places.length === 0 && !mayEdit && !q.data?.handRemoved) return null;
  return (
    <div>
      <dt>{t('places')}</dt>
      <dd data-testid="case-places">
        {places.length > 0 ? places.join('、') : <span className="muted">{t('notSet')}</span>}
        {q.data?.byHand ? <span className="muted small">{t('byHand')}</span> : null}
        {mayEdit ? (
          <>
            {' '}
            <button type="button" className="btn btn-sm" onClick={() => setEditing(true)} disabled={!q.data} data-testid="case-places-edit">
              {places.length > 0 ? t('correct') : t('set')}
            </button>
          </>
        ) : null}
      </dd>
      {q.data?.handRemoved ? (
        <dd className="muted small" role="status" data-testid="case-places-removed">
          {t('handRemoved', { name: q.data.handRemoved })}
        </dd>
      ) : null}
      {editing && q.data ? <PlacesModal caseId={c.id} current={q.data} onClose={() => setEditing(false)} /> : null}
    </div>
  );
}

type View = Ok<Awaited<ReturnType<(typeof api.cases)[':id']['places']['$get']>>>;

function PlacesModal({ caseId, current, onClose }: { caseId: string; current: View; onClose: () => void }) {
  const t = useT(mp);
  const tc = useT(common);
  const [town, setTown] = useState(current.town?.code ?? '');
  const [village, setVillage] = useState(current.village?.code ?? '');
  const [localError, setLocalError] = useState<string | null>(null);
  const save = useCaseMutation(
    caseId,
    (json: { town: string | null; village: string | null }) => call(api.cases[':id'].places.$put({ param: { id: caseId }, json })),
    () => {
      toast(t('saved'));
      onClose();
    },
  );
  const submit = () => {
    setLocalError(null);
    if (!town) {
      setLocalError(t('pickTown'));
      return;
    }
    save.mutate({ town, village: village || null });
  };
  return (
    <Modal
      title={t('title')}
      onClose={onClose}
      footer={
        <>
          {current.byHand || current.handRemoved ? (
            <button type="button" className="btn" onClick={() => save.mutate({ town: null, village: null })} disabled={save.isPending} data-testid="case-places-clear">
              {t('clear')}
            </button>
          ) : null}
          <span className="spacer" />
          <button type="button" className="btn" onClick={onClose}>
            {tc('cancel')}
          </button>
          <button type="button" className="btn btn-primary" onClick={submit} disabled={save.isPending} data-testid="case-places-save">
            {save.isPending ? tc('saving') : tc('save')}
          </button>
        </>
      }
    >
      {current.towns.length === 0 ? <p className="muted small">{t('noArea')}</p> : null}
      <TownVillageFields
        towns={current.towns}
        town={town}
        village={village}
        onChange={(tw, v) => {
          setTown(tw);
          setVillage(v);
        }}
        labels={{ town: t('town'), village: t('village'), noTown: t('chooseTown'), wholeTown: t('wholeTown') }}
        testId="case-places"
      />
      <p className="muted small cr-tight">{t('hint')}</p>
      {localError ? <p className="form-error">{localError}</p> : null}
      <FormError error={save.error} />
    </Modal>
  );
}
