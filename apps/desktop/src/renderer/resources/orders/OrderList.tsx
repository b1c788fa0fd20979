import { useEffect, useState } from 'react';
import { Tab, Tabs } from '@mui/material';
import {
  Datagrid,
  DateField,
  defaultExporter,
  FunctionField,
  List,
  TextField,
  TextInput,
  useListContext,
  useTranslate,
  type Exporter,
} from 'react-admin';
import { useConnection } from '../../connection/ConnectionContext.tsx';
import { FromDayInput, ToDayInput } from '../../filters/DayRangeInputs.tsx';
import { MoneyFilterInput } from '../../filters/MoneyFilterInput.tsx';
import { useLive } from '../../live/LiveProvider.tsx';
import { formatMinor } from '../products/money.ts';
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
  <FromDayInput key="from" source="from" label="mcart.orders.from" />,
  <ToDayInput key="to" source="to" label="mcart.orders.to" />,
  // Typed in the store currency's major units; the server compares minor units.
  <MoneyFilterInput key="minTotal" source="minTotal" label="mcart.orders.min_total" />,
  <MoneyFilterInput key="maxTotal" source="maxTotal" label="mcart.orders.max_total" />,
];

interface OrderSummary {
  number: string;
  status: string;
  email: string;
  total: Money;
  refunded: Money;
  itemCount: number;
  createdAt: string;
  paidAt: string | null;
}

/** A spreadsheet reads amounts as written: the CSV has them in major units, with their currency. */
export const ordersExporter: Exporter<OrderSummary & { id: string }> = (records, ...rest) =>
  defaultExporter(
    records.map((order) => ({
      number: order.number,
      createdAt: order.createdAt,
      paidAt: order.paidAt ?? '',
      email: order.email,
      status: order.status,
      total: formatMinor(order.total.amount),
      refunded: formatMinor(order.refunded.amount),
      currency: order.total.currency,
      itemCount: order.itemCount,
    })),
    ...rest,
  );

export function OrderList() {
  const translate = useTranslate();
  return (
    <List
      filters={filters}
      sort={{ field: 'createdAt', order: 'DESC' }}
      perPage={25}
      exporter={ordersExporter}
    >
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
