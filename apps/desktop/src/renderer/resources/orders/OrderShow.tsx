import { useState } from 'react';
import {
  Box,
  Button,
  Card,
  CardContent,
  Dialog,
  LinearProgress,
  DialogActions,
  DialogContent,
  DialogTitle,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField as MuiTextField,
  Typography,
} from '@mui/material';
import { Show, useNotify, useRecordContext, useRefresh, useTranslate, usePermissions } from 'react-admin';
import { useConnection } from '../../connection/ConnectionContext.tsx';
import { formatMoney, type OrderRecord } from './orderTypes.ts';

type Action = 'cancel' | 'capture' | 'refund' | 'processing' | 'shipped' | 'delivered';

/** Money actions ask first: they move real money and cannot be undone. */
function OrderActions({ order }: { order: OrderRecord }) {
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const { http } = useConnection();
  const { permissions } = usePermissions<string[]>();
  const [pending, setPending] = useState<Action | null>(null);
  const [amount, setAmount] = useState('');
  const can = (permission: string) => Array.isArray(permissions) && permissions.includes(permission);

  async function run(action: Action) {
    const base = `/api/admin/orders/${encodeURIComponent(order.id)}`;
    try {
      if (action === 'cancel') await http.request(`${base}/cancel`, { method: 'POST', body: {} });
      else if (action === 'capture') await http.request(`${base}/capture`, { method: 'POST', body: {} });
      else if (action === 'refund') {
        const minor = Math.round(Number(amount) * 100);
        await http.request(`${base}/refund`, { method: 'POST', body: { amount: minor } });
      } else await http.request(`${base}/transition`, { method: 'POST', body: { status: action } });
      notify('mcart.orders.done', { type: 'success' });
      refresh();
    } catch (err) {
      notify((err as Error).message || 'mcart.orders.failed', { type: 'error' });
    } finally {
      setPending(null);
      setAmount('');
    }
  }

  const next = (['processing', 'shipped', 'delivered'] as const).filter((status) =>
    order.allowedTransitions.includes(status),
  );
  return (
    <Stack direction="row" spacing={1} sx={{ flexWrap: 'wrap', mb: 2 }}>
      {can('orders:write') &&
        next.map((status) => (
          <Button key={status} variant="outlined" onClick={() => setPending(status)}>
            {translate(`mcart.orders.mark.${status}`)}
          </Button>
        ))}
      {can('orders:write') && order.status !== 'pending_payment' && order.status !== 'cancelled' && (
        <Button variant="outlined" onClick={() => setPending('capture')}>
          {translate('mcart.orders.capture')}
        </Button>
      )}
      {can('orders:refund') && order.status !== 'pending_payment' && order.status !== 'cancelled' && (
        <Button variant="outlined" onClick={() => setPending('refund')}>
          {translate('mcart.orders.refund')}
        </Button>
      )}
      {can('orders:write') && order.allowedTransitions.includes('cancelled') && (
        <Button variant="outlined" color="error" onClick={() => setPending('cancel')}>
          {translate('mcart.orders.cancel')}
        </Button>
      )}
      <Button variant="text" onClick={() => window.print()}>
        {translate('mcart.orders.packing_slip')}
      </Button>
      <Dialog open={pending !== null} onClose={() => setPending(null)}>
        <DialogTitle>
          {pending ? translate(`mcart.orders.confirm.${pending}`, { number: order.number }) : ''}
        </DialogTitle>
        {pending === 'refund' && (
          <DialogContent>
            <MuiTextField
              autoFocus
              fullWidth
              type="number"
              label={translate('mcart.orders.refund_amount', { currency: order.totals.total.currency })}
              value={amount}
              onChange={(event) => setAmount(event.target.value)}
            />
          </DialogContent>
        )}
        <DialogActions>
          <Button onClick={() => setPending(null)}>{translate('ra.action.cancel')}</Button>
          <Button
            variant="contained"
            disabled={pending === 'refund' && !(Number(amount) > 0)}
            onClick={() => pending && void run(pending)}
          >
            {translate('ra.action.confirm')}
          </Button>
        </DialogActions>
      </Dialog>
    </Stack>
  );
}

function AddNote({ orderId }: { orderId: string }) {
  const translate = useTranslate();
  const { http } = useConnection();
  const refresh = useRefresh();
  const notify = useNotify();
  const [body, setBody] = useState('');
  return (
    <Stack direction="row" spacing={1} sx={{ mt: 1 }}>
      <MuiTextField
        size="small"
        fullWidth
        label={translate('mcart.orders.note')}
        value={body}
        onChange={(event) => setBody(event.target.value)}
      />
      <Button
        disabled={!body.trim()}
        onClick={() =>
          void http
            .request(`/api/admin/orders/${encodeURIComponent(orderId)}/notes`, {
              method: 'POST',
              body: { body },
            })
            .then(() => {
              setBody('');
              refresh();
            })
            .catch((err: Error) => notify(err.message, { type: 'error' }))
        }
      >
        {translate('mcart.orders.add_note')}
      </Button>
    </Stack>
  );
}

/** Everything staff need on one page; the lines and address block doubles as the printed packing slip. */
function OrderDetail() {
  const order = useRecordContext<OrderRecord>();
  const translate = useTranslate();
  // A record taken from the list cache is a summary (no lines, no address) until the detail arrives.
  if (!order || order.shippingAddress === undefined) return <LinearProgress sx={{ m: 2 }} />;
  const a = order.shippingAddress;
  return (
    <Box sx={{ p: 2 }}>
      <Typography variant="h5">
        {order.number} · {translate(`mcart.orders.status.${order.status}`)}
      </Typography>
      <OrderActions order={order} />
      <Stack direction={{ xs: 'column', md: 'row' }} spacing={2}>
        <Card sx={{ flex: 2 }} className="packing-slip">
          <CardContent>
            <Typography variant="subtitle2">{translate('mcart.orders.ship_to')}</Typography>
            <Typography>
              {a.name}
              <br />
              {a.line1}
              {a.line2 ? <>, {a.line2}</> : null}
              <br />
              {a.postalCode} {a.city}, {a.country}
              {a.phone ? (
                <>
                  <br />
                  {a.phone}
                </>
              ) : null}
            </Typography>
            <Typography variant="body2" sx={{ mt: 1 }}>
              {order.email} · {order.shippingMethod?.name ?? ''}
            </Typography>
            <Table size="small" sx={{ mt: 2 }}>
              <TableHead>
                <TableRow>
                  <TableCell>{translate('mcart.orders.sku')}</TableCell>
                  <TableCell>{translate('mcart.orders.item')}</TableCell>
                  <TableCell align="right">{translate('mcart.orders.quantity')}</TableCell>
                  <TableCell align="right">{translate('mcart.orders.unit_price')}</TableCell>
                  <TableCell align="right">{translate('mcart.orders.total')}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {order.lines.map((line) => (
                  <TableRow key={line.id}>
                    <TableCell>{line.sku}</TableCell>
                    <TableCell>
                      {line.productTitle}{' '}
                      {line.title && line.title !== line.productTitle ? `– ${line.title}` : ''}
                      {line.returnedQuantity
                        ? ` (${translate('mcart.orders.returned', { count: line.returnedQuantity })})`
                        : ''}
                    </TableCell>
                    <TableCell align="right">{line.quantity}</TableCell>
                    <TableCell align="right">{formatMoney(line.unitPrice)}</TableCell>
                    <TableCell align="right">{formatMoney(line.total)}</TableCell>
                  </TableRow>
                ))}
                {(['subtotal', 'discount', 'shipping', 'tax', 'total'] as const).map((key) => (
                  <TableRow key={key}>
                    <TableCell colSpan={4} align="right">
                      {translate(`mcart.orders.totals.${key}`)}
                    </TableCell>
                    <TableCell align="right">{formatMoney(order.totals[key])}</TableCell>
                  </TableRow>
                ))}
                {order.refunded.amount > 0 && (
                  <TableRow>
                    <TableCell colSpan={4} align="right">
                      {translate('mcart.orders.refunded')}
                    </TableCell>
                    <TableCell align="right">{formatMoney(order.refunded)}</TableCell>
                  </TableRow>
                )}
              </TableBody>
            </Table>
          </CardContent>
        </Card>
        <Card sx={{ flex: 1 }}>
          <CardContent>
            <Typography variant="subtitle2">
              {translate('mcart.orders.payments', { smart_count: order.payments?.length ?? 0 })}
            </Typography>
            {(order.payments ?? []).map((payment, index) => (
              <Typography key={index} variant="body2">
                {String(payment.status ?? '')} {String(payment.provider ?? '')}
              </Typography>
            ))}
            <Typography variant="subtitle2" sx={{ mt: 2 }}>
              {translate('mcart.orders.timeline')}
            </Typography>
            {(order.timeline ?? []).map((event) => (
              <Typography key={event.id} variant="body2">
                {new Date(event.at).toLocaleString()} ·{' '}
                {event.toStatus ? translate(`mcart.orders.status.${event.toStatus}`) : event.kind}
                {event.message ? ` — ${event.message}` : ''}
              </Typography>
            ))}
            <AddNote orderId={order.id} />
          </CardContent>
        </Card>
      </Stack>
    </Box>
  );
}

export function OrderShow() {
  return (
    // staleTime 0: the list cached a summary of this order; always fetch the detail on open.
    <Show actions={false} queryOptions={{ staleTime: 0 }}>
      <OrderDetail />
    </Show>
  );
}
