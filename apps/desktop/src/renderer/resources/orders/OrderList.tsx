import { useEffect, useState } from 'react';
import { Tab, Tabs } from '@mui/material';
import {
  Datagrid,
  DateField,
  FunctionField,
  List,
  NumberInput,
  TextField,
  TextInput,
  useListContext,
  useTranslate,
} from 'react-admin';
import { useConnection } from '../../connection/ConnectionContext.tsx';
import { useLive } from '../../live/LiveProvider.tsx';
import { formatMoney, ORDER_STATUSES, type Money } from './orderTypes.ts';

/** Status tabs with live counts (`GET /api/admin/orders/counts`), driving the list's status filter. */
function StatusTabs() {
  const translate = useTranslate();
  const { filterValues, setFilters, total } = useListContext();
  const { http } = useConnection();
  const [counts, setCounts] = useState<Record<string, number>>({});
  // The counts are not a react-admin query: refetch them on any order change (a status move keeps the total).
  const live = useLive();
  const [changes, setChanges] = useState(0);
  useEffect(
    () => live?.onChange((change) => change.resource === 'orders' && setChanges((n) => n + 1)),
    [live],
  );
  useEffect(() => {
    let cancelled = false;
    void http
      .request<{ counts: Record<string, number> }>('/api/admin/orders/counts')
      .then(({ body }) => !cancelled && setCounts(body.counts))
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [http, total, changes]);
  const current = (filterValues.status as string | undefined) ?? 'all';
  return (
    <Tabs
      value={current}
      variant="scrollable"
      onChange={(_event, value: string) => {
        const { status: _status, ...rest } = filterValues as Record<string, unknown>;
        setFilters(value === 'all' ? rest : { ...rest, status: value }, undefined);
      }}
    >
      {['all', ...ORDER_STATUSES].map((status) => (
        <Tab
          key={status}
          value={status}
          label={`${translate(`mcart.orders.status.${status}`)} (${counts[status] ?? 0})`}
        />
      ))}
    </Tabs>
  );
}

const filters = [
  <TextInput key="number" source="number" label="mcart.orders.number" alwaysOn />,
  <TextInput key="email" source="email" label="mcart.orders.email" />,
  <TextInput key="from" source="from" label="mcart.orders.from" type="date" />,
  <TextInput key="to" source="to" label="mcart.orders.to" type="date" />,
  <NumberInput key="minTotal" source="minTotal" label="mcart.orders.min_total" />,
  <NumberInput key="maxTotal" source="maxTotal" label="mcart.orders.max_total" />,
];

export function OrderList() {
  const translate = useTranslate();
  return (
    <List filters={filters} sort={{ field: 'createdAt', order: 'DESC' }} perPage={25}>
      <StatusTabs />
      <Datagrid rowClick="show" bulkActionButtons={false}>
        <TextField source="number" label="mcart.orders.number" />
        <DateField source="createdAt" label="mcart.orders.created_at" showTime />
        <TextField source="email" label="mcart.orders.email" sortable={false} />
        <FunctionField
          source="status"
          label="mcart.orders.status_label"
          render={(record: { status: string }) => translate(`mcart.orders.status.${record.status}`)}
        />
        <FunctionField
          source="total"
          label="mcart.orders.total"
          render={(record: { total: Money }) => formatMoney(record.total)}
        />
        <TextField source="itemCount" label="mcart.orders.items" sortable={false} />
      </Datagrid>
    </List>
  );
}
