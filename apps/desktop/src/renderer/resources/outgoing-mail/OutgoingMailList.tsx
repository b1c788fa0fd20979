import { Typography } from '@mui/material';
import {
  Datagrid,
  DateField,
  FunctionField,
  List,
  NumberField,
  SelectInput,
  TextField,
  useTranslate,
} from 'react-admin';
import { Link } from 'react-router-dom';
import { RetryMailButton } from './RetryMailButton.tsx';
import { MAIL_STATUSES, templateKey, type OutgoingMailRecord } from './outgoingMailTypes.ts';

/** Every template the server sends (its TEMPLATE_NAMES), for the filter. */
export const MAIL_TEMPLATES = [
  'order-confirmation',
  'payment-failed',
  'order-shipped',
  'order-delivered',
  'order-cancelled',
  'refund-issued',
  'return-requested',
  'return-approved',
  'return-rejected',
  'invoice-issued',
  'credit-note-issued',
  'back-in-stock',
  'back-in-stock-confirm',
  'account-erased',
  'password-reset',
  'verify-email',
  'email-change',
  'email-changed',
] as const;

const filters = [
  <SelectInput
    key="status"
    source="status"
    alwaysOn
    choices={MAIL_STATUSES.map((status) => ({
      id: status,
      name: `resources.outgoing-mail.status.${status}`,
    }))}
  />,
  <SelectInput
    key="template"
    source="template"
    alwaysOn
    choices={MAIL_TEMPLATES.map((template) => ({ id: template, name: templateKey(template) }))}
  />,
];

/**
 * The customer e-mails the store queued (ADR 0071), failed ones first on opening: what each was, to whom, about
 * which order, how many attempts and why the last one failed; a failed one may be sent again (RetryMailButton).
 */
export function OutgoingMailList() {
  const translate = useTranslate();
  return (
    <List
      filters={filters}
      filterDefaultValues={{ status: 'failed' }}
      sort={{ field: 'createdAt', order: 'DESC' }}
      perPage={25}
      exporter={false}
    >
      <Datagrid bulkActionButtons={false} rowClick={false} data-testid="outgoing-mail">
        <DateField source="createdAt" showTime />
        <FunctionField
          source="template"
          sortable={false}
          render={(record: OutgoingMailRecord) =>
            translate(templateKey(record.template), { _: record.template })
          }
        />
        <TextField source="to" sortable={false} emptyText="—" />
        <FunctionField
          source="orderNumber"
          sortable={false}
          render={(record: OutgoingMailRecord) =>
            record.orderId && record.orderNumber ? (
              <Link to={`/orders/${encodeURIComponent(record.orderId)}/show`}>{record.orderNumber}</Link>
            ) : (
              (record.orderNumber ?? '—')
            )
          }
        />
        <FunctionField
          source="status"
          sortable={false}
          render={(record: OutgoingMailRecord) =>
            translate(`resources.outgoing-mail.status.${record.status}`, { _: record.status })
          }
        />
        <NumberField source="attempts" sortable={false} />
        <FunctionField
          source="lastError"
          sortable={false}
          render={(record: OutgoingMailRecord) => (
            <Typography variant="body2" sx={{ maxWidth: 420, overflowWrap: 'anywhere' }}>
              {record.lastError ?? '—'}
            </Typography>
          )}
        />
        <DateField source="updatedAt" showTime />
        <RetryMailButton />
      </Datagrid>
    </List>
  );
}
