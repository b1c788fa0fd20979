import { useEffect, useState } from 'react';
import { Alert, Button, Tab, Tabs } from '@mui/material';
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
import { compactTableSx } from '../../layout/compactTable.ts';
import { useLive } from '../../live/LiveProvider.tsx';
import { formatMinor } from '../products/money.ts';
import { formatMoney, ORDER_STATUSES, type Money } from './orderTypes.ts';
import { tabCount, type StatusCounts } from './statusCounts.ts';

/**
 * Status tabs with live counts (`GET /api/admin/orders/counts`), driving the list's status filter. A count
 * that could not be read says so ("?" on the tabs, the reason and Retry under them): a stale or zero figure
 * shown as if true would send staff looking for orders that are not there, or hide those that are.
 */
function StatusTabs() {
  const translate = useTranslate();
  const { filterValues, setFilters, total } = useListContext();
  const { http } = useConnection();
  const [counts, setCounts] = useState<StatusCounts>({ state: 'loading' });
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
      .then(({ body }) => !cancelled && setCounts({ state: 'read', counts: body.counts }))
      // The message may be a translation key (mcart.error.network).
      .catch(
        (err: Error) =>
          !cancelled && setCounts({ state: 'failed', error: translate(err.message, { _: err.message }) }),
      );
    return () => {
      cancelled = true;
    };
  }, [http, total, changes, translate]);
  const current = (filterValues.status as string | undefined) ?? 'all';
  return (
    <>
      <Tabs
        value={current}
        variant="scrollable"
        onChange={(_event, value: string) => {
          const { status: _status, ...rest } = filterValues as Record<string, unknown>;
          setFilters(value === 'all' ? rest : { ...rest, status: value }, undefined);
        }}
      >
        {['all', ...ORDER_STATUSES].map((status) => {
          const count = tabCount(counts, status);
          const label = translate(`mcart.orders.status.${status}`);
          return (
            <Tab
              key={status}
              value={status}
              label={count === null ? label : `${label} (${count})`}
              title={counts.state === 'failed' ? translate('mcart.orders.count_unknown') : undefined}
            />
          );
        })}
      </Tabs>
      {counts.state === 'failed' && (
        <Alert
          severity="warning"
          data-testid="order-counts-failed"
          action={
            <Button color="inherit" size="small" onClick={() => setChanges((n) => n + 1)}>
              {translate('ra.action.refresh')}
            </Button>
          }
        >
          {translate('mcart.orders.counts_failed', { error: counts.error })}
        </Alert>
      )}
    </>
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
      <Datagrid rowClick="show" bulkActionButtons={false} sx={compactTableSx}>
        <TextField source="number" label="mcart.orders.number" cellClassName="nowrap" />
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
