import { Datagrid, DateField, FunctionField, List, TextField, useTranslate } from 'react-admin';
import { Link } from 'react-router-dom';
import { formatMoney } from '../orders/orderTypes.ts';

interface PaymentRecord {
  orderId: string;
  status: string;
  amount: number;
  capturedAmount: number;
  refundedAmount: number;
  currency: string;
  brand: string | null;
  last4: string | null;
  declineCode: string | null;
}

const money = (amount: number, currency: string) => formatMoney({ amount, currency });

/** Read-only: money moves from the order page (capture, refund, cancel), which records every step here. */
export function PaymentList() {
  const translate = useTranslate();
  return (
    <List sort={{ field: 'createdAt', order: 'DESC' }} perPage={25} exporter={false}>
      <Datagrid bulkActionButtons={false} rowClick={false}>
        <DateField source="createdAt" label="mcart.payments.created_at" showTime />
        {/* The orders list takes no id filter, so no ReferenceField (getMany): a link to the order. */}
        <FunctionField
          label="mcart.payments.order"
          render={(record: PaymentRecord) => (
            <Link to={`/orders/${encodeURIComponent(record.orderId)}/show`}>
              {record.orderId.slice(0, 8)}
            </Link>
          )}
        />
        <TextField source="provider" label="mcart.payments.provider" sortable={false} />
        <FunctionField
          label="mcart.payments.status_label"
          render={(record: PaymentRecord) =>
            translate(`mcart.payments.status.${record.status}`, { _: record.status }) +
            (record.declineCode ? ` (${record.declineCode})` : '')
          }
        />
        <FunctionField
          label="mcart.payments.amount"
          render={(record: PaymentRecord) => money(record.amount, record.currency)}
        />
        <FunctionField
          label="mcart.payments.captured"
          render={(record: PaymentRecord) => money(record.capturedAmount, record.currency)}
        />
        <FunctionField
          label="mcart.payments.refunded"
          render={(record: PaymentRecord) => money(record.refundedAmount, record.currency)}
        />
        <FunctionField
          label="mcart.payments.card"
          render={(record: PaymentRecord) =>
            record.last4 ? `${record.brand ?? ''} •••• ${record.last4}`.trim() : ''
          }
        />
      </Datagrid>
    </List>
  );
}
