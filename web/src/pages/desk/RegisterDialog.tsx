import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { BUSINESS_ISO_OFFSET, businessLocalInput } from '../../../../core/business-time.js';
import { CASE_ORIGINS } from '../../../../core/vocabulary.js';
import { Modal } from '../../components/Modal.js';
import { TownVillageFields } from '../../components/TownVillageFields.js';
import { FormError } from '../../components/states.js';
import { toast } from '../../components/toast.js';
import { common } from '../../i18n/common.js';
import { defineMessages, useT } from '../../i18n/index.js';
import { REQUEST_TYPES, type RequestType } from '../../../../core/workflow/origin-windows.js';
import { useLabel } from '../../i18n/labels.js';
import { api, call } from '../../lib/api.js';
import { useTowns } from '../../lib/towns.js';
import { CaseFields, type CaseFieldValues, type OpenedCase } from './dialogs.js';
import { m } from './messages.js';

const MANUAL_ORIGINS = CASE_ORIGINS.filter((o) => o !== 'alert');

/** 诉求类型 of a hotline call or a mailbox letter: sets the reply's working-day window (管理 → 回应规则). */
const rt = defineMessages(
  { requestType: '诉求类型', none: '未分类（按默认时限）', hint: '热线、信箱来信按诉求类型的工作日时限办理' },
  { requestType: 'Request type', none: 'Not classified (default window)', hint: 'Hotline calls and letters are due in working days by their type' },
);
/** 地域 of the opinion: the 乡镇 (and 村) it is about, from the gazetteer; set on the case right after it is registered. */
const pm = defineMessages(
  { town: '地域：乡镇（街道）', village: '村（社区）', none: '不填', whole: '不具体到村（社区）', failed: '事件已登记，但地域未能保存，请在事件页设置' },
  { town: 'Place: town', village: 'Village', none: 'None', whole: 'The town as a whole', failed: 'The case is registered but its place was not saved: set it in the case room' },
);
type ManualOrigin = Exclude<(typeof CASE_ORIGINS)[number], 'alert'>;

/** "YYYY-MM-DDTHH:mm" in Shanghai, for a datetime-local input. */
function shanghaiInputNow(): string {
  return businessLocalInput(new Date());
}

export function RegisterDialog({ onClose, onOpened }: { onClose: () => void; onOpened: (c: OpenedCase) => void }) {
  const t = useT(m);
  const tc = useT(common);
  const label = useLabel();
  const [origin, setOrigin] = useState<ManualOrigin>('cyberspace_office');
  const [originNote, setOriginNote] = useState('');
  const [url, setUrl] = useState('');
  const [title, setTitle] = useState('');
  const [text, setText] = useState('');
  const [receivedAt, setReceivedAt] = useState(shanghaiInputNow);
  const [requestType, setRequestType] = useState<RequestType | ''>('');
  const trt = useT(rt);
  const takesType = origin === 'hotline' || origin === 'mailbox';
  const [fields, setFields] = useState<CaseFieldValues>({ level: 'general', category: 'other', lead: '', co: [] });
  const [problem, setProblem] = useState<string | null>(null);
  const tp = useT(pm);
  const towns = useTowns();
  const [town, setTown] = useState('');
  const [village, setVillage] = useState('');
  const register = useMutation({
    mutationFn: async () => {
      const opened = await call(
        api.cases.$post({
          json: {
            manual: {
              origin,
              originNote: originNote.trim(),
              url: url.trim(),
              title: title.trim(),
              text,
              receivedAt: new Date(`${receivedAt}:00${BUSINESS_ISO_OFFSET}`).toISOString(),
              ...(takesType && requestType ? { requestType } : {}),
            },
            level: fields.level,
            category: fields.category,
            leadDepartmentId: Number(fields.lead),
            coDepartmentIds: fields.co,
          },
        }),
      );
      if (town) {
        await call(api.cases[':id'].places.$put({ param: { id: opened.id }, json: { town, village: village || null } })).catch(() => toast(tp('failed'), 'error'));
      }
      return opened;
    },
    onSuccess: onOpened,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!title.trim()) return setProblem(t('required', { f: t('caseTitle') }));
    if (url.trim() && !/^https?:\/\//i.test(url.trim())) return setProblem(t('badUrl'));
    if (!receivedAt || Number.isNaN(new Date(`${receivedAt}:00${BUSINESS_ISO_OFFSET}`).getTime())) return setProblem(t('required', { f: t('receivedAt') }));
    if (fields.lead === '') return setProblem(t('required', { f: t('lead') }));
    setProblem(null);
    register.mutate();
  };
  return (
    <Modal
      title={t('registerTitle')}
      onClose={onClose}
      wide
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            {tc('cancel')}
          </button>
          <button type="submit" form="register-form" className="btn btn-primary" disabled={register.isPending}>
            {register.isPending ? t('registering') : t('registerSubmit')}
          </button>
        </>
      }
    >
      <form id="register-form" onSubmit={submit} data-testid="register-form">
        <div className="form-grid form-grid-3">
          <label className="field">
            <span>{t('origin')}</span>
            <select value={origin} onChange={(e) => setOrigin(e.target.value as ManualOrigin)} name="origin">
              {MANUAL_ORIGINS.map((o) => (
                <option key={o} value={o}>
                  {label('caseOrigin', o)}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>{t('originNote')}</span>
            <input value={originNote} onChange={(e) => setOriginNote(e.target.value)} placeholder={t('originNotePh')} maxLength={500} name="originNote" />
          </label>
          <label className="field">
            <span>{t('receivedAt')}</span>
            <input type="datetime-local" value={receivedAt} onChange={(e) => setReceivedAt(e.target.value)} name="receivedAt" />
          </label>
        </div>
        {takesType ? (
          <label className="field">
            <span>{trt('requestType')}</span>
            <select value={requestType} onChange={(e) => setRequestType(e.target.value as RequestType | '')} name="requestType" title={trt('hint')}>
              <option value="">{trt('none')}</option>
              {REQUEST_TYPES.map((x) => (
                <option key={x} value={x}>
                  {label('requestType', x)}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <label className="field">
          <span>{t('caseTitle')}</span>
          <input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={300} name="title" />
        </label>
        <label className="field">
          <span>{t('url')}</span>
          <input value={url} onChange={(e) => setUrl(e.target.value)} placeholder={t('urlPh')} maxLength={2000} name="url" inputMode="url" />
        </label>
        <label className="field">
          <span>{t('text')}</span>
          <textarea value={text} onChange={(e) => setText(e.target.value)} maxLength={50_000} rows={3} name="text" />
        </label>
        {towns.length > 0 ? (
          <div className="form-grid">
            <TownVillageFields
              towns={towns}
              town={town}
              village={village}
              onChange={(t, v) => {
                setTown(t);
                setVillage(v);
              }}
              labels={{ town: tp('town'), village: tp('village'), noTown: tp('none'), wholeTown: tp('whole') }}
              testId="register"
              named
            />
          </div>
        ) : null}
        <CaseFields value={fields} onChange={setFields} />
        {problem ? <p className="form-error">{problem}</p> : null}
        <FormError error={register.error} />
      </form>
    </Modal>
  );
}
