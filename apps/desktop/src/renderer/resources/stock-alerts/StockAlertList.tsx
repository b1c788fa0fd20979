import { Datagrid, DateField, List, NumberField, TextField } from 'react-admin';

/** The stock levels of one variant: where a row leads, to see what there is and where. */
const levelsPath = (variantId: string) =>
  `/stock-levels?${new URLSearchParams({ filter: JSON.stringify({ variantId }) }).toString()}`;

/**
 * Read-only: the server keeps the addresses to itself (GET /api/admin/stock-alerts answers counts), and the
 * e-mails go out by themselves when stock arrives (ADR 0052). Confirmed alerts (`waiting`) are the shoppers who
 * will be e-mailed; pending ones have not confirmed their address yet (double opt-in) and may never.
 */
export function StockAlertList() {
  return (
    <List sort={{ field: 'waiting', order: 'DESC' }} perPage={25} exporter={false}>
      <Datagrid
        bulkActionButtons={false}
        rowClick={(_id, _resource, record) => levelsPath(String(record.variantId))}
      >
        <TextField source="sku" />
        <TextField source="productTitle" sortable={false} />
        <TextField source="variantTitle" sortable={false} emptyText="—" />
        <NumberField source="waiting" />
        <NumberField source="pending" />
        <DateField source="oldestAt" showTime />
      </Datagrid>
    </List>
  );
}
