import { Datagrid, DateField, FunctionField, List, SelectInput, TextField, useTranslate } from 'react-admin';
import { Link } from 'react-router-dom';
import {
  RETURN_REQUEST_STATUSES,
  refundIsPending,
  unitsOf,
  type ReturnRequestRecord,
} from './returnRequestTypes.ts';

const filters = [
  <SelectInput
    key="status"
    source="status"
    label="mcart.returns.status_label"
    alwaysOn
    choices={RETURN_REQUEST_STATUSES.map((status) => ({
      id: status,
      name: `mcart.returns.status.${status}`,
    }))}
  />,
];

/**
 * Customers' return requests. Sorted by status in the order of the work (requested, then approved, ...;
 * the oldest first within one), so what waits for staff is on top; live events refresh it.
 */
export function ReturnRequestList() {
  const translate = useTranslate();
  return (
    <List filters={filters} sort={{ field: 'status', order: 'ASC' }} perPage={25} exporter={false}>
      <Datagrid rowClick="show" bulkActionButtons={false}>
        <TextField source="number" label="mcart.returns.number" />
        <FunctionField
          source="status"
          label="mcart.returns.status_label"
          render={(record: ReturnRequestRecord) =>
            translate(`mcart.returns.status.${record.status}`) +
            (refundIsPending(record) ? ` · ${translate('mcart.returns.refund_pending_short')}` : '')
          }
        />
        <FunctionField
          label="mcart.returns.order"
          render={(record: ReturnRequestRecord) => (
            <Link
              to={`/orders/${encodeURIComponent(record.orderId)}/show`}
              onClick={(event) => event.stopPropagation()}
            >
              {record.orderNumber}
            </Link>
          )}
        />
        <FunctionField
          label="mcart.returns.reason_label"
          render={(record: ReturnRequestRecord) => translate(`mcart.returns.reason.${record.reason}`)}
        />
        <FunctionField
          label="mcart.returns.units"
          render={(record: ReturnRequestRecord) => unitsOf(record)}
        />
        <DateField source="createdAt" label="mcart.returns.created_at" showTime />
      </Datagrid>
    </List>
  );
}
