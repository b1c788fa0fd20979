import {
  Datagrid,
  DateField,
  FunctionField,
  List,
  ReferenceField,
  TextField,
  useTranslate,
} from 'react-admin';
import { formatMoney } from '../orders/orderTypes.ts';
import type { PaymentDispute } from '../orders/paymentState.ts';

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
  dispute?: PaymentDispute | null;
}

const money = (amount: number, currency: string) => formatMoney({ amount, currency });

/** Read-only: money moves from the order page (capture, refund, cancel), which records every step here. */
export function PaymentList() {
  const translate = useTranslate();
  return (
    <List sort={{ field: 'createdAt', order: 'DESC' }} perPage={25} exporter={false}>
      <Datagrid bulkActionButtons={false} rowClick={false}>
        <DateField source="createdAt" label="mcart.payments.created_at" showTime />
        {/* The payments API gives the order's id: the numbers of a page's orders come in one list request (getMany). */}
        <ReferenceField
          source="orderId"
          reference="orders"
          link="show"
          label="mcart.payments.order"
          sortable={false}
        >
          <TextField source="number" />
        </ReferenceField>
        <TextField source="provider" label="mcart.payments.provider" sortable={false} />
        <FunctionField
          label="mcart.payments.status_label"
          render={(record: PaymentRecord) =>
            translate(`mcart.payments.status.${record.status}`, { _: record.status }) +
            (record.declineCode ? ` (${record.declineCode})` : '') +
            // A disputed payment says so here; its order page has the amount and the evidence deadline.
            (record.dispute
              ? ` · ${translate('mcart.order_ops.dispute', {
                  status: translate(`mcart.order_ops.dispute_status.${record.dispute.status}`, {
                    _: record.dispute.status,
                  }),
                  amount: money(record.dispute.amount, record.currency),
                })}`
              : '')
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
