import {
  Datagrid,
  DateField,
  DateInput,
  FilterButton,
  FunctionField,
  List,
  SelectInput,
  TextField,
  TextInput,
  TopToolbar,
  useTranslate,
} from 'react-admin';
import { Link } from 'react-router-dom';
import { formatMoney } from '../orders/orderTypes.ts';
import { ExportRegisterButton } from './ExportRegisterButton.tsx';
import { InvoicePdfButton } from './InvoicePdfButton.tsx';
import { fromUtcDay, ISSUED_AT_OPTIONS, toUtcDay, utcFromDay, utcToDay } from './invoiceDays.ts';
import type { InvoiceRecord } from './invoiceTypes.ts';

const filters = [
  <TextInput key="number" source="number" label="mcart.invoices.number" alwaysOn />,
  <SelectInput
    key="kind"
    source="kind"
    label="mcart.invoices.kind_label"
    alwaysOn
    choices={[
      { id: 'invoice', name: 'mcart.invoices.kind.invoice' },
      { id: 'credit_note', name: 'mcart.invoices.kind.credit_note' },
    ]}
  />,
  // UTC days: the days documents are dated and numbered by (invoiceDays.ts).
  <DateInput key="from" source="from" label="mcart.invoices.from" parse={fromUtcDay} format={utcFromDay} />,
  <DateInput key="to" source="to" label="mcart.invoices.to" parse={toUtcDay} format={utcToDay} />,
];

function ListActions() {
  return (
    <TopToolbar>
      <FilterButton />
      <ExportRegisterButton />
    </TopToolbar>
  );
}

/** Read-only: documents are issued by the server when orders are paid and refunded, and never change. */
export function InvoiceList() {
  const translate = useTranslate();
  return (
    <List
      filters={filters}
      sort={{ field: 'issuedAt', order: 'DESC' }}
      perPage={25}
      actions={<ListActions />}
    >
      <Datagrid bulkActionButtons={false} rowClick={false}>
        <TextField source="number" label="mcart.invoices.number" />
        <FunctionField
          source="kind"
          label="mcart.invoices.kind_label"
          sortable={false}
          render={(record: InvoiceRecord) => translate(`mcart.invoices.kind.${record.kind}`)}
        />
        <DateField source="issuedAt" label="mcart.invoices.issued_at" showTime options={ISSUED_AT_OPTIONS} />
        <FunctionField
          label="mcart.invoices.order"
          render={(record: InvoiceRecord) => (
            <Link to={`/orders/${encodeURIComponent(record.orderId)}/show`}>{record.orderNumber}</Link>
          )}
        />
        <FunctionField
          label="mcart.invoices.corrects"
          render={(record: InvoiceRecord) => record.invoiceNumber ?? ''}
        />
        <FunctionField
          source="total"
          label="mcart.invoices.total"
          render={(record: InvoiceRecord) => formatMoney(record.total)}
        />
        <FunctionField
          label="mcart.invoices.tax"
          render={(record: InvoiceRecord) => formatMoney(record.tax)}
        />
        <FunctionField
          label="mcart.invoices.pdf"
          render={(record: InvoiceRecord) => <InvoicePdfButton invoice={record} />}
        />
      </Datagrid>
    </List>
  );
}
