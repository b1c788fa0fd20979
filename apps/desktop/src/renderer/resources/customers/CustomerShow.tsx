import { useState } from 'react';
import {
  Box,
  Button,
  Card,
  CardContent,
  Chip,
  Dialog,
  DialogActions,
  DialogTitle,
  Stack,
  Typography,
} from '@mui/material';
import {
  Datagrid,
  DateField,
  FunctionField,
  Pagination,
  ReferenceManyField,
  Show,
  TextField,
  useCanAccess,
  useNotify,
  useRecordContext,
  useTranslate,
  useUpdate,
} from 'react-admin';
import { formatMoney, type Money } from '../orders/orderTypes.ts';
import type { CustomerAddress, CustomerRecord } from './types.ts';
import { DataRightsButtons } from './DataRightsButtons.tsx';

/** Disabling ends the customer's sessions and refuses their sign-in; it is reversible. */
function DisableButton({ customer }: { customer: CustomerRecord }) {
  const translate = useTranslate();
  const notify = useNotify();
  const [open, setOpen] = useState(false);
  const [update, { isPending }] = useUpdate<CustomerRecord>();
  const { canAccess } = useCanAccess({ resource: 'customers', action: 'edit' });
  if (!canAccess) return null;
  const disabling = !customer.disabled;
  const confirm = () =>
    update(
      'customers',
      { id: customer.id, data: { disabled: disabling }, previousData: customer },
      {
        mutationMode: 'pessimistic',
        onSuccess: () => notify(disabling ? 'mcart.customers.disabled_done' : 'mcart.customers.enabled_done'),
        onError: (error) => notify((error as Error).message || 'mcart.customers.failed', { type: 'error' }),
        onSettled: () => setOpen(false),
      },
    );
  return (
    <>
      <Button variant="outlined" color={disabling ? 'error' : 'primary'} onClick={() => setOpen(true)}>
        {translate(disabling ? 'mcart.customers.disable' : 'mcart.customers.enable')}
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)}>
        <DialogTitle>
          {translate(disabling ? 'mcart.customers.confirm_disable' : 'mcart.customers.confirm_enable', {
            name: `${customer.firstName} ${customer.lastName}`.trim() || customer.email || customer.id,
          })}
        </DialogTitle>
        <DialogActions>
          <Button onClick={() => setOpen(false)}>{translate('ra.action.cancel')}</Button>
          <Button variant="contained" disabled={isPending} onClick={confirm}>
            {translate('ra.action.confirm')}
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}

function AddressCard({ address }: { address: CustomerAddress }) {
  const translate = useTranslate();
  return (
    <Card variant="outlined" sx={{ minWidth: 220 }}>
      <CardContent>
        {address.isDefault && <Chip size="small" label={translate('mcart.customers.default_address')} />}
        <Typography variant="body2" component="div">
          {address.name}
          {address.company ? <div>{address.company}</div> : null}
          <div>{address.line1}</div>
          {address.line2 ? <div>{address.line2}</div> : null}
          <div>
            {address.postalCode} {address.city}
            {address.region ? `, ${address.region}` : ''}, {address.country}
          </div>
          {address.phone ? <div>{address.phone}</div> : null}
        </Typography>
      </CardContent>
    </Card>
  );
}

function CustomerOrders() {
  const translate = useTranslate();
  const { canAccess } = useCanAccess({ resource: 'orders', action: 'list' });
  if (!canAccess) return null;
  return (
    <>
      <Typography variant="h6" sx={{ mt: 3 }}>
        {translate('mcart.customers.orders')}
      </Typography>
      <ReferenceManyField
        reference="orders"
        target="customerId"
        sort={{ field: 'createdAt', order: 'DESC' }}
        perPage={10}
        pagination={<Pagination />}
        empty={<Typography variant="body2">{translate('mcart.customers.no_orders')}</Typography>}
      >
        <Datagrid rowClick="show" bulkActionButtons={false}>
          <TextField source="number" label="mcart.orders.number" />
          <DateField source="createdAt" label="mcart.orders.created_at" showTime />
          <FunctionField
            label="mcart.orders.status_label"
            render={(record: { status: string }) => translate(`mcart.orders.status.${record.status}`)}
          />
          <FunctionField
            label="mcart.orders.total"
            render={(record: { total: Money }) => formatMoney(record.total)}
          />
        </Datagrid>
      </ReferenceManyField>
    </>
  );
}

function CustomerDetail() {
  const customer = useRecordContext<CustomerRecord>();
  const translate = useTranslate();
  if (!customer) return null;
  // A record taken from the list cache has no addresses yet: the detail fetch brings them.
  const addresses = customer.addresses;
  return (
    <Box sx={{ p: 2 }}>
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center', mb: 2, flexWrap: 'wrap' }}>
        <Typography variant="h5">
          {`${customer.firstName} ${customer.lastName}`.trim() || customer.email}
        </Typography>
        {customer.disabled && <Chip color="error" label={translate('mcart.customers.is_disabled')} />}
        <Box sx={{ flex: 1 }} />
        <DataRightsButtons customer={customer} />
        <DisableButton customer={customer} />
      </Stack>
      <Typography variant="body2">
        {customer.email ?? '—'}
        {customer.emailVerified ? ` (${translate('mcart.customers.verified')})` : ''}
        {customer.phone ? ` · ${customer.phone}` : ''}
      </Typography>
      <Typography variant="body2" color="text.secondary">
        {translate('mcart.customers.since', { date: new Date(customer.createdAt).toLocaleString() })}
        {customer.lastLoginAt
          ? ` · ${translate('mcart.customers.last_login', { date: new Date(customer.lastLoginAt).toLocaleString() })}`
          : ''}
        {customer.providers.length > 0
          ? ` · ${translate('mcart.customers.providers', { providers: customer.providers.join(', ') })}`
          : ''}
      </Typography>
      <Typography variant="h6" sx={{ mt: 3 }}>
        {translate('mcart.customers.addresses')}
      </Typography>
      {addresses === undefined ? null : addresses.length === 0 ? (
        <Typography variant="body2">{translate('mcart.customers.no_addresses')}</Typography>
      ) : (
        <Stack direction="row" spacing={2} useFlexGap sx={{ flexWrap: 'wrap' }}>
          {addresses.map((address) => (
            <AddressCard key={address.id} address={address} />
          ))}
        </Stack>
      )}
      <CustomerOrders />
    </Box>
  );
}

export function CustomerShow() {
  return (
    // Root cause of the "spinner forever" after a click in the list: react-admin's useGetList seeds the
    // getOne cache with every list row (a summary without addresses), and our QueryClient holds data
    // fresh for 5 s. The Show query mounts disabled (auth check pending), so refetchOnMount never
    // applies; once enabled, the seeded summary counted as fresh and the detail was never fetched (a
    // reload has no list cache, so it worked). staleTime 0 makes the seeded summary a placeholder that
    // is always refetched; apps/desktop/e2e/people.e2e.test.ts clicks a row and waits for the addresses.
    <Show actions={false} queryOptions={{ staleTime: 0 }}>
      <CustomerDetail />
    </Show>
  );
}
