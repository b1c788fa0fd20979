import { useState } from 'react';
import ReplayIcon from '@mui/icons-material/Replay';
import {
  Button,
  Confirm,
  useCanAccess,
  useNotify,
  useRecordContext,
  useRefresh,
  useTranslate,
} from 'react-admin';
import { useConnection } from '../../connection/ConnectionContext.tsx';
import { templateKey, type OutgoingMailRecord } from './outgoingMailTypes.ts';

/**
 * Sends a failed e-mail again, once its cause is put right: owners and admins (customers:write), after a
 * confirmation naming the e-mail and its recipient. The server refuses (409) one that is no longer failed.
 */
export function RetryMailButton() {
  const record = useRecordContext<OutgoingMailRecord>();
  const { http } = useConnection();
  const notify = useNotify();
  const refresh = useRefresh();
  const translate = useTranslate();
  const { canAccess } = useCanAccess({ resource: 'outgoing-mail', action: 'write' });
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  if (!record || record.status !== 'failed' || !canAccess) return null;

  const confirm = async () => {
    setBusy(true);
    try {
      await http.request(`/api/admin/outgoing-mail/${encodeURIComponent(record.id)}/retry`, {
        method: 'POST',
      });
      notify('resources.outgoing-mail.retried', { type: 'success' });
    } catch (error) {
      notify(error instanceof Error ? error.message : String(error), { type: 'error' });
    } finally {
      setBusy(false);
      setOpen(false);
      refresh();
    }
  };

  return (
    <>
      <Button
        label="resources.outgoing-mail.retry"
        onClick={(event) => {
          event.stopPropagation();
          setOpen(true);
        }}
        disabled={busy}
      >
        <ReplayIcon />
      </Button>
      <Confirm
        isOpen={open}
        loading={busy}
        title="resources.outgoing-mail.retry_title"
        content={translate('resources.outgoing-mail.retry_confirm', {
          template: translate(templateKey(record.template), { _: record.template }),
          to: record.to ?? '—',
        })}
        onConfirm={() => void confirm()}
        onClose={() => setOpen(false)}
      />
    </>
  );
}
