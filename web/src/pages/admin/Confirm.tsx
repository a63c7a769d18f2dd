import { useState } from 'react';
import { Modal } from '../../components/Modal.js';
import { FormError } from '../../components/states.js';
import { common } from '../../i18n/common.js';
import { useT } from '../../i18n/index.js';

/** A confirmation dialog for destructive actions; shows the server's refusal if the action fails. */
export function Confirm({ title, text, danger = true, confirmLabel, onConfirm, onClose }: { title: string; text: string; danger?: boolean; confirmLabel?: string; onConfirm: () => Promise<unknown>; onClose: () => void }) {
  const t = useT(common);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  return (
    <Modal
      title={title}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            {t('cancel')}
          </button>
          <button
            type="button"
            className={danger ? 'btn btn-danger' : 'btn btn-primary'}
            disabled={busy}
            data-testid="confirm-ok"
            onClick={async () => {
              setBusy(true);
              setError(null);
              try {
                await onConfirm();
                onClose();
              } catch (e) {
                setError(e);
              } finally {
                setBusy(false);
              }
            }}
          >
            {confirmLabel ?? t('confirm')}
          </button>
        </>
      }
    >
      <p>{text}</p>
      <FormError error={error} />
    </Modal>
  );
}
