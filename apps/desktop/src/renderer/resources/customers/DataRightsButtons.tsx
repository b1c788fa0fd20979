import { useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import {
  Alert,
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControlLabel,
  List,
  ListItem,
  Typography,
} from '@mui/material';
import { useNotify, usePermissions, useRedirect, useTranslate } from 'react-admin';
import { useConnection } from '../../connection/ConnectionContext.tsx';
import { saveBlob } from '../../files/download.ts';
import { blockingOrdersOf, fileNameOf, type BlockingOrder } from './dataRights.ts';
import type { CustomerRecord } from './types.ts';

function useDataRightsTranslate() {
  const translate = useTranslate();
  return (key: string, options: Record<string, unknown> = {}) => translate(`mcart.customers.${key}`, options);
}

const displayName = (customer: CustomerRecord) =>
  `${customer.firstName} ${customer.lastName}`.trim() || customer.email || customer.id;

/** Downloads the customer's personal data document (owners and admins: `customers:export`). */
function ExportDataButton({ customer }: { customer: CustomerRecord }) {
  const t = useDataRightsTranslate();
  const notify = useNotify();
  const { http } = useConnection();
  const [busy, setBusy] = useState(false);
  const onClick = async () => {
    setBusy(true);
    try {
      const response = await http.request<unknown>(
        `/api/admin/customers/${encodeURIComponent(customer.id)}/data-export`,
      );
      const name = fileNameOf(
        response.headers.get('content-disposition'),
        // The server's name, for when a cross-origin answer does not expose the header.
        `customer-${customer.id}-personal-data-${new Date().toISOString().slice(0, 10)}.json`,
      );
      saveBlob(new Blob([JSON.stringify(response.body, null, 2)], { type: 'application/json' }), name);
      notify(t('exported'), { type: 'success' });
    } catch (err) {
      notify((err as Error).message, { type: 'error' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button variant="outlined" disabled={busy} onClick={() => void onClick()}>
      {t('export_data')}
    </Button>
  );
}

/**
 * Erases the customer (owners and admins: `customers:erase`) after a dialog that states what goes and what
 * stays. While orders are in progress the server refuses (409): the dialog then lists them, linked.
 */
function EraseButton({ customer }: { customer: CustomerRecord }) {
  const t = useDataRightsTranslate();
  const translate = useTranslate();
  const notify = useNotify();
  const redirect = useRedirect();
  const { http } = useConnection();
  const [open, setOpen] = useState(false);
  const [understood, setUnderstood] = useState(false);
  const [running, setRunning] = useState(false);
  const inFlight = useRef(false);
  const [blocking, setBlocking] = useState<BlockingOrder[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const close = () => {
    if (running) return;
    setOpen(false);
    setUnderstood(false);
    setBlocking(null);
    setFailure(null);
  };

  const confirm = async () => {
    if (inFlight.current) return;
    inFlight.current = true;
    setRunning(true);
    setBlocking(null);
    setFailure(null);
    try {
      const response = await http.request<{ ordersAnonymised: number }>(
        `/api/admin/customers/${encodeURIComponent(customer.id)}/erase`,
        { method: 'POST' },
      );
      setOpen(false);
      notify(t('erased', { orders: response.body.ordersAnonymised }), { type: 'success' });
      redirect('list', 'customers');
    } catch (err) {
      const orders = blockingOrdersOf(err);
      if (orders) setBlocking(orders);
      else setFailure((err as Error).message || translate('mcart.customers.failed'));
    } finally {
      inFlight.current = false;
      setRunning(false);
    }
  };

  return (
    <>
      <Button variant="outlined" color="error" onClick={() => setOpen(true)}>
        {t('erase')}
      </Button>
      <Dialog open={open} onClose={close} maxWidth="sm" fullWidth>
        <DialogTitle>{t('erase_title', { name: displayName(customer) })}</DialogTitle>
        <DialogContent>
          <Typography variant="body2" sx={{ mb: 2 }}>
            {t('erase_account')}
          </Typography>
          <Typography variant="body2" sx={{ mb: 2 }}>
            {t('erase_orders')}
          </Typography>
          <Typography variant="body2" sx={{ mb: 2 }}>
            {t('erase_mail')}
          </Typography>
          {blocking && (
            <Alert severity="warning" role="alert">
              {t('erase_blocked')}
              <List dense>
                {blocking.map((order) => (
                  <ListItem key={order.id} disableGutters>
                    <Link to={`/orders/${encodeURIComponent(order.id)}/show`}>{order.number}</Link>
                    &nbsp;— {translate(`mcart.orders.status.${order.status}`)}
                  </ListItem>
                ))}
              </List>
            </Alert>
          )}
          {failure && (
            <Alert severity="error" role="alert">
              {failure}
            </Alert>
          )}
          <FormControlLabel
            control={
              <Checkbox checked={understood} onChange={(event) => setUnderstood(event.target.checked)} />
            }
            label={t('erase_understood')}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={close} disabled={running}>
            {translate('ra.action.cancel')}
          </Button>
          <Button
            variant="contained"
            color="error"
            disabled={!understood || running || blocking !== null}
            onClick={() => void confirm()}
          >
            {t('erase_confirm')}
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}

/** "Export data" and "Erase personal data" on the customer page, for the roles that hold those rights. */
export function DataRightsButtons({ customer }: { customer: CustomerRecord }) {
  const { permissions } = usePermissions<string[]>();
  const can = (permission: string) => Array.isArray(permissions) && permissions.includes(permission);
  return (
    <>
      {can('customers:export') && <ExportDataButton customer={customer} />}
      {can('customers:erase') && <EraseButton customer={customer} />}
    </>
  );
}
