import { useState } from 'react';
import BlockIcon from '@mui/icons-material/Block';
import { Button, Confirm, useNotify, useRecordContext, useRefresh, useTranslate } from 'react-admin';
import { useConnection } from '../../connection/ConnectionContext.tsx';
import type { Shipment } from '../warehouse/types.ts';

/** Only a label not yet handed to the carrier can be voided; the server checks it again. */
export function VoidLabelButton() {
  const record = useRecordContext<Shipment & { id: string }>();
  const { http } = useConnection();
  const notify = useNotify();
  const refresh = useRefresh();
  const translate = useTranslate();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  if (!record || record.status !== 'label_created') return null;

  const confirm = async () => {
    setBusy(true);
    try {
      await http.request(`/api/admin/shipments/${encodeURIComponent(record.id)}/void`, { method: 'POST' });
      notify(translate('mcart.shipments.voided'), { type: 'success' });
      refresh();
    } catch (error) {
      notify(error instanceof Error ? error.message : String(error), { type: 'error' });
    } finally {
      setBusy(false);
      setOpen(false);
    }
  };

  return (
    <>
      <Button label="mcart.shipments.void" color="error" onClick={() => setOpen(true)} disabled={busy}>
        <BlockIcon />
      </Button>
      <Confirm
        isOpen={open}
        loading={busy}
        title="mcart.shipments.void_title"
        content="mcart.shipments.void_confirm"
        onConfirm={() => void confirm()}
        onClose={() => setOpen(false)}
      />
    </>
  );
}
