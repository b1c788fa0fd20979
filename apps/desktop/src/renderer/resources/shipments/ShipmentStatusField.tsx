import { Chip } from '@mui/material';
import { useRecordContext, useTranslate } from 'react-admin';
import type { ShipmentStatus } from '../warehouse/types.ts';

const COLORS: Record<ShipmentStatus, 'default' | 'info' | 'success' | 'warning' | 'error'> = {
  label_created: 'default',
  in_transit: 'info',
  out_for_delivery: 'info',
  delivered: 'success',
  exception: 'error',
  returned_to_sender: 'warning',
  voided: 'default',
};

export function ShipmentStatusField({ source = 'status' }: { source?: string; label?: string }) {
  const record = useRecordContext();
  const translate = useTranslate();
  const status = record?.[source] as ShipmentStatus | undefined;
  if (!status) return null;
  return (
    <Chip
      size="small"
      color={COLORS[status] ?? 'default'}
      label={translate(`mcart.shipments.status.${status}`)}
    />
  );
}
