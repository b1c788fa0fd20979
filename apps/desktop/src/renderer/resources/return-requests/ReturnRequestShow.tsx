import { useRef, useState, type ReactNode } from 'react';
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  Checkbox,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControlLabel,
  LinearProgress,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField as MuiTextField,
  Typography,
} from '@mui/material';
import {
  HttpError,
  Show,
  useGetOne,
  useNotify,
  usePermissions,
  useRecordContext,
  useRefresh,
  useTranslate,
} from 'react-admin';
import { Link } from 'react-router-dom';
import { useConnection } from '../../connection/ConnectionContext.tsx';
import { formatMoney, type OrderRecord } from '../orders/orderTypes.ts';
import { refundPendingOf } from '../orders/paymentState.ts';
import {
  refundAtReceipt,
  refundIsPending,
  restockChoice,
  restockedPartly,
  unitsOf,
  type ReturnRequestRecord,
} from './returnRequestTypes.ts';

type Action = 'approve' | 'reject' | 'receive';

/**
 * What "Refund these lines" will give back, shown before staff confirm: the order's detail (a live query: a
 * refund made meanwhile on the order changes it) priced as the server refunds at receipt (`refundAtReceipt`).
 */
function RefundAtReceipt({ request }: { request: ReturnRequestRecord }) {
  const translate = useTranslate();
  // staleTime 0: the orders list may have cached a summary of the order (no lines); the detail is fetched.
  const { data: order, error } = useGetOne<OrderRecord>('orders', { id: request.orderId }, { staleTime: 0 });
  if (error) return <Alert severity="warning">{(error as Error).message}</Alert>;
  if (!order?.lines || !order.totals || !order.refunded)
    return <Typography variant="body2">{translate('mcart.returns.refund_loading')}</Typography>;
  const amount = refundAtReceipt(request, order);
  return (
    <Typography variant="body2" data-testid="receive-refund" sx={{ fontWeight: 500 }}>
      {amount > 0
        ? translate('mcart.returns.refund_amount', {
            amount: formatMoney({ amount, currency: order.totals.total.currency }),
          })
        : translate('mcart.returns.refund_nothing')}
    </Typography>
  );
}

/** Approve, Reject (with the reason the customer is e-mailed) and Receive (restock, refund), each asked first. */
function ReturnRequestActions({ request }: { request: ReturnRequestRecord }) {
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const { http } = useConnection();
  const { permissions } = usePermissions<string[]>();
  const can = (permission: string) => Array.isArray(permissions) && permissions.includes(permission);
  const [pending, setPending] = useState<Action | null>(null);
  const [text, setText] = useState('');
  // Units of each line going back to stock, as typed (all by default; the rest is kept out as damaged).
  const [restockUnits, setRestockUnits] = useState<Record<string, string>>({});
  const [refund, setRefund] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  // A double click must not post twice (the button disables only once React renders again).
  const inFlight = useRef(false);
  // Approve and reject decide on the request (orders:write); receiving is the returns desk's (returns:receive).
  const mayDecide = can('orders:write');
  const mayReceive = can('returns:receive');
  if (!mayDecide && !mayReceive) return null;
  const mayRefund = can('orders:refund');

  function open(action: Action) {
    setPending(action);
    setText('');
    setRestockUnits(
      Object.fromEntries(request.lines.map((line) => [line.orderLineId, String(line.quantity)])),
    );
    setRefund(mayRefund);
    setError(null);
  }

  async function run(action: Action) {
    if (inFlight.current) return;
    inFlight.current = true;
    setRunning(true);
    setError(null);
    const body =
      action === 'approve'
        ? text.trim()
          ? { note: text.trim() }
          : {}
        : action === 'reject'
          ? { reason: text.trim() }
          : { ...restockChoice(request, restockUnits), refund: mayRefund && refund };
    try {
      await http.request(`/api/admin/return-requests/${encodeURIComponent(request.id)}/${action}`, {
        method: 'POST',
        body,
      });
      notify(`mcart.returns.done.${action}`, { type: 'success', messageArgs: { number: request.number } });
      setPending(null);
      refresh();
    } catch (err) {
      if (action === 'receive' && err instanceof HttpError && refundPendingOf(err.body)) {
        // The goods are received and the refund was sent, but the gateway's answer was lost: it is confirmed
        // automatically (then shows on the request). Not an error to retry: refunding again is what must not happen.
        notify('mcart.order_ops.refund_pending_notice', {
          type: 'info',
          multiLine: true,
          autoHideDuration: 15_000,
        });
        setPending(null);
        refresh();
        return;
      }
      // Kept open with what was typed; a refund the gateway refused still left the goods received.
      setError((err as Error).message || translate('mcart.orders.failed'));
      refresh();
    } finally {
      inFlight.current = false;
      setRunning(false);
    }
  }

  const choice = restockChoice(request, restockUnits);
  const allBack = choice !== null && 'restock' in choice && choice.restock;
  const noneBack = choice !== null && 'restock' in choice && !choice.restock;
  const setAll = (back: boolean) =>
    setRestockUnits(
      Object.fromEntries(request.lines.map((line) => [line.orderLineId, back ? String(line.quantity) : '0'])),
    );
  const allowed = (to: string) => request.allowedTransitions.includes(to as ReturnRequestRecord['status']);
  return (
    <Stack direction="row" spacing={1} sx={{ flexWrap: 'wrap', mb: 2 }}>
      {mayDecide && allowed('approved') && (
        <Button variant="contained" onClick={() => open('approve')}>
          {translate('mcart.returns.approve')}
        </Button>
      )}
      {mayReceive && allowed('received') && (
        <Button variant="contained" onClick={() => open('receive')}>
          {translate('mcart.returns.receive')}
        </Button>
      )}
      {mayDecide && allowed('rejected') && (
        <Button variant="outlined" color="error" onClick={() => open('reject')}>
          {translate('mcart.returns.reject')}
        </Button>
      )}
      <Dialog open={pending !== null} onClose={() => !running && setPending(null)} fullWidth maxWidth="sm">
        <DialogTitle>
          {pending ? translate(`mcart.returns.confirm.${pending}`, { number: request.number }) : ''}
        </DialogTitle>
        <DialogContent>
          {pending === 'approve' && (
            <MuiTextField
              autoFocus
              fullWidth
              multiline
              minRows={2}
              sx={{ mt: 1 }}
              label={translate('mcart.returns.note_for_customer')}
              helperText={translate('mcart.returns.approve_help')}
              value={text}
              onChange={(event) => setText(event.target.value)}
              slotProps={{ htmlInput: { maxLength: 1000 } }}
            />
          )}
          {pending === 'reject' && (
            <MuiTextField
              autoFocus
              fullWidth
              multiline
              required
              minRows={2}
              sx={{ mt: 1 }}
              label={translate('mcart.returns.rejection_reason')}
              helperText={translate('mcart.returns.reject_help')}
              value={text}
              onChange={(event) => setText(event.target.value)}
              slotProps={{ htmlInput: { maxLength: 1000 } }}
            />
          )}
          {pending === 'receive' && (
            <Stack>
              <Typography variant="body2" sx={{ mb: 1 }}>
                {translate('mcart.returns.receive_help', { units: unitsOf(request) })}
              </Typography>
              <FormControlLabel
                control={
                  <Checkbox
                    checked={allBack}
                    indeterminate={!allBack && !noneBack}
                    onChange={(event) => setAll(event.target.checked)}
                  />
                }
                label={translate('mcart.returns.restock')}
              />
              <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
                {translate('mcart.returns.restock_per_line_help')}
              </Typography>
              <Table size="small" sx={{ mb: 1 }}>
                <TableHead>
                  <TableRow>
                    <TableCell>{translate('mcart.orders.item')}</TableCell>
                    <TableCell align="right">{translate('mcart.returns.received_units')}</TableCell>
                    <TableCell align="right">{translate('mcart.returns.restock_units')}</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody data-testid="receive-restock-lines">
                  {request.lines.map((line) => {
                    const typed = restockUnits[line.orderLineId] ?? String(line.quantity);
                    const valid = /^\d+$/.test(typed.trim()) && Number(typed) <= line.quantity;
                    return (
                      <TableRow key={line.orderLineId}>
                        <TableCell>
                          {line.sku} · {line.title}
                        </TableCell>
                        <TableCell align="right">{line.quantity}</TableCell>
                        <TableCell align="right">
                          <MuiTextField
                            type="number"
                            size="small"
                            sx={{ width: 110 }}
                            value={typed}
                            error={!valid}
                            helperText={
                              valid
                                ? undefined
                                : translate('mcart.returns.restock_range', { max: line.quantity })
                            }
                            onChange={(event) =>
                              setRestockUnits((units) => ({
                                ...units,
                                [line.orderLineId]: event.target.value,
                              }))
                            }
                            slotProps={{
                              htmlInput: {
                                min: 0,
                                max: line.quantity,
                                step: 1,
                                'aria-label': translate('mcart.returns.restock_line_label', {
                                  sku: line.sku,
                                }),
                              },
                            }}
                          />
                        </TableCell>
                      </TableRow>
                    );
                  })}
                </TableBody>
              </Table>
              {mayRefund && (
                <FormControlLabel
                  control={
                    <Checkbox checked={refund} onChange={(event) => setRefund(event.target.checked)} />
                  }
                  label={translate('mcart.returns.refund_lines')}
                />
              )}
              {mayRefund && refund && <RefundAtReceipt request={request} />}
            </Stack>
          )}
          {error && (
            <Alert severity="error" sx={{ mt: 2 }}>
              {error}
            </Alert>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setPending(null)} disabled={running}>
            {translate('ra.action.cancel')}
          </Button>
          <Button
            variant="contained"
            disabled={
              running || (pending === 'reject' && !text.trim()) || (pending === 'receive' && choice === null)
            }
            onClick={() => pending && void run(pending)}
          >
            {translate('ra.action.confirm')}
          </Button>
        </DialogActions>
      </Dialog>
    </Stack>
  );
}

function ReturnRequestDetail() {
  const request = useRecordContext<ReturnRequestRecord>();
  const translate = useTranslate();
  if (!request?.lines) return <LinearProgress sx={{ m: 2 }} />;
  const when = (at: string | null) => (at ? new Date(at).toLocaleString() : null);
  // Per line, what went back to stock (servers before it leave it out).
  const received = request.lines.some((line) => typeof line.restockedQuantity === 'number');
  const facts: [string, ReactNode][] = [
    [
      translate('mcart.returns.order'),
      <Link key="order" to={`/orders/${encodeURIComponent(request.orderId)}/show`}>
        {request.orderNumber}
      </Link>,
    ],
    [translate('mcart.returns.reason_label'), translate(`mcart.returns.reason.${request.reason}`)],
    [translate('mcart.returns.created_at'), when(request.createdAt)],
    ...(request.approvedAt
      ? [[translate('mcart.returns.approved_at'), when(request.approvedAt)] as [string, string]]
      : []),
    ...(request.rejectedAt
      ? [[translate('mcart.returns.rejected_at'), when(request.rejectedAt)] as [string, string]]
      : []),
    ...(request.withdrawnAt
      ? [[translate('mcart.returns.withdrawn_at'), when(request.withdrawnAt)] as [string, string]]
      : []),
    ...(request.receivedAt
      ? [
          [
            translate('mcart.returns.received_at'),
            `${when(request.receivedAt)} · ${translate(
              restockedPartly(request)
                ? 'mcart.returns.restocked_partly'
                : request.restocked
                  ? 'mcart.returns.restocked'
                  : 'mcart.returns.not_restocked',
            )}`,
          ] as [string, string],
        ]
      : []),
    ...(request.refund
      ? [
          [
            translate('mcart.returns.refunded'),
            `${formatMoney(request.refund.amount)} · ${when(request.refund.at)}`,
          ] as [string, string],
        ]
      : []),
    ...(refundIsPending(request)
      ? [[translate('mcart.returns.refunded'), translate('mcart.returns.refund_pending')] as [string, string]]
      : []),
  ];
  return (
    <Box sx={{ p: 2 }}>
      <Typography variant="h5">
        {translate('mcart.returns.heading', { number: request.number })} ·{' '}
        {translate(`mcart.returns.status.${request.status}`)}
      </Typography>
      <ReturnRequestActions request={request} />
      <Stack direction={{ xs: 'column', md: 'row' }} spacing={2}>
        <Card sx={{ flex: 2 }}>
          <CardContent>
            <Table size="small">
              <TableHead>
                <TableRow>
                  <TableCell>{translate('mcart.orders.sku')}</TableCell>
                  <TableCell>{translate('mcart.orders.item')}</TableCell>
                  <TableCell align="right">{translate('mcart.orders.quantity')}</TableCell>
                  <TableCell align="right">{translate('mcart.orders.unit_price')}</TableCell>
                  {received && (
                    <TableCell align="right">{translate('mcart.returns.restock_units')}</TableCell>
                  )}
                </TableRow>
              </TableHead>
              <TableBody data-testid="return-lines">
                {request.lines.map((line) => (
                  <TableRow key={line.orderLineId}>
                    <TableCell>{line.sku}</TableCell>
                    <TableCell>{line.title}</TableCell>
                    <TableCell align="right">{line.quantity}</TableCell>
                    <TableCell align="right">{formatMoney(line.unitPrice)}</TableCell>
                    {received && <TableCell align="right">{line.restockedQuantity}</TableCell>}
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </CardContent>
        </Card>
        <Card sx={{ flex: 1 }}>
          <CardContent data-testid="return-facts">
            {facts.map(([label, value]) => (
              <Typography key={label} variant="body2">
                <Box component="span" sx={{ color: 'text.secondary' }}>
                  {label}:
                </Box>{' '}
                {value}
              </Typography>
            ))}
            <Typography variant="subtitle2" sx={{ mt: 2 }}>
              {translate('mcart.returns.comment')}
            </Typography>
            <Typography variant="body2" data-testid="return-comment" sx={{ whiteSpace: 'pre-line' }}>
              {request.comment ?? translate('mcart.returns.no_comment')}
            </Typography>
            {request.note && (
              <>
                <Typography variant="subtitle2" sx={{ mt: 2 }}>
                  {translate('mcart.returns.note_for_customer')}
                </Typography>
                <Typography variant="body2" sx={{ whiteSpace: 'pre-line' }}>
                  {request.note}
                </Typography>
              </>
            )}
            {request.rejectionReason && (
              <>
                <Typography variant="subtitle2" sx={{ mt: 2 }}>
                  {translate('mcart.returns.rejection_reason')}
                </Typography>
                <Typography variant="body2" sx={{ whiteSpace: 'pre-line' }}>
                  {request.rejectionReason}
                </Typography>
              </>
            )}
          </CardContent>
        </Card>
      </Stack>
    </Box>
  );
}

export function ReturnRequestShow() {
  return (
    <Show actions={false}>
      <ReturnRequestDetail />
    </Show>
  );
}
