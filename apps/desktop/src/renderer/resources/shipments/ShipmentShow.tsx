import { Typography } from '@mui/material';
import {
  ArrayField,
  Datagrid,
  DateField,
  FunctionField,
  Labeled,
  NumberField,
  Show,
  SimpleShowLayout,
  TextField,
  TopToolbar,
  UrlField,
  useRecordContext,
  useTranslate,
} from 'react-admin';
import { addressLines, type PostalAddress } from '../orders/orderTypes.ts';
import { PrintLabelsButton } from '../warehouse/PrintLabelsButton.tsx';
import type { Shipment } from '../warehouse/types.ts';
import { ShipmentStatusField } from './ShipmentStatusField.tsx';
import { TrackingTimeline } from './TrackingTimeline.tsx';
import { VoidLabelButton } from './VoidLabelButton.tsx';

function ShowActions() {
  const record = useRecordContext<Shipment & { id: string }>();
  return (
    <TopToolbar>
      {record && record.status !== 'voided' && <PrintLabelsButton ids={[record.id]} />}
      <VoidLabelButton />
    </TopToolbar>
  );
}

function Recipient() {
  const record = useRecordContext<Shipment & { id: string }>();
  // A record taken from the list cache has no recipient yet: the detail fetch brings it.
  if (!record?.recipient) return null;
  // As the label prints it, company and region included (the generated types may predate them).
  const recipient: PostalAddress = record.recipient;
  return (
    <Typography component="address" sx={{ fontStyle: 'normal', whiteSpace: 'pre-line' }}>
      {addressLines(recipient).join('\n')}
    </Typography>
  );
}

export function ShipmentShow() {
  const translate = useTranslate();
  return (
    // The list caches each row as a summary (no lines, events, recipient); always fetch the detail on
    // open. staleTime 0 too: the query is enabled only after the access check, when "on mount" is past.
    <Show actions={<ShowActions />} queryOptions={{ refetchOnMount: 'always', staleTime: 0 }}>
      <SimpleShowLayout>
        <TextField source="orderNumber" />
        <ShipmentStatusField source="status" label="resources.shipments.fields.status" />
        <TextField source="carrier" />
        <TextField source="service" />
        <TextField source="trackingNumber" />
        <UrlField source="trackingUrl" target="_blank" rel="noopener noreferrer" />
        <FunctionField
          label="resources.shipments.fields.package"
          render={(record: Shipment) =>
            `${record.weightGrams} g · ${record.lengthMm}×${record.widthMm}×${record.heightMm} mm`
          }
        />
        <DateField source="createdAt" showTime />
        <DateField source="voidedAt" showTime emptyText="—" />
        <Labeled label="resources.shipments.fields.recipient">
          <Recipient />
        </Labeled>
        <ArrayField source="lines">
          <Datagrid bulkActionButtons={false} rowClick={false}>
            <TextField source="sku" label="mcart.packing.sku" />
            <TextField source="title" label="mcart.packing.item" />
            <NumberField source="quantity" label="mcart.packing.quantity" />
          </Datagrid>
        </ArrayField>
        <Labeled label={translate('mcart.shipments.timeline')}>
          <TrackingTimeline />
        </Labeled>
      </SimpleShowLayout>
    </Show>
  );
}
