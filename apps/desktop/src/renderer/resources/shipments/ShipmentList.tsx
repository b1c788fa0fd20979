import {
  Datagrid,
  DateField,
  FilterButton,
  List,
  SelectInput,
  TextField,
  TextInput,
  TopToolbar,
  useListContext,
} from 'react-admin';
import { compactTableSx } from '../../layout/compactTable.ts';
import { PrintLabelsButton } from '../warehouse/PrintLabelsButton.tsx';
import { SHIPMENT_STATUSES } from '../warehouse/types.ts';
import { ShipmentStatusField } from './ShipmentStatusField.tsx';
import { TrackingImportButton } from './TrackingImportButton.tsx';

export const statusChoices = SHIPMENT_STATUSES.map((id) => ({ id, name: `mcart.shipments.status.${id}` }));

const filters = [
  <TextInput key="q" source="q" label="ra.action.search" alwaysOn />,
  <SelectInput key="status" source="status" choices={statusChoices} alwaysOn />,
];

function ListActions() {
  return (
    <TopToolbar>
      <FilterButton />
      <TrackingImportButton />
    </TopToolbar>
  );
}

/** One print job for all the selected labels. */
function BulkPrint() {
  const { selectedIds } = useListContext();
  return <PrintLabelsButton ids={selectedIds.map(String)} label="mcart.labels.print_selected" />;
}

export function ShipmentList() {
  return (
    <List filters={filters} actions={<ListActions />} sort={{ field: 'createdAt', order: 'DESC' }}>
      <Datagrid rowClick="show" bulkActionButtons={<BulkPrint />} sx={compactTableSx}>
        <TextField source="orderNumber" cellClassName="nowrap" />
        <TextField source="trackingNumber" />
        <TextField source="carrier" />
        <ShipmentStatusField source="status" />
        <DateField source="createdAt" showTime />
        <DateField source="deliveredAt" showTime />
      </Datagrid>
    </List>
  );
}
