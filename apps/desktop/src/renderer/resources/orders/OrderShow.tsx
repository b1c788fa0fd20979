import { useEffect, useRef, useState } from 'react';
import {
  Alert,
  Box,
  Button,
  Card,
  Chip,
  CardContent,
  Dialog,
  LinearProgress,
  DialogActions,
  DialogContent,
  DialogTitle,
  GlobalStyles,
  Link,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  TextField as MuiTextField,
  ToggleButton,
  ToggleButtonGroup,
  Typography,
} from '@mui/material';
import {
  HttpError,
  Show,
  useNotify,
  useRecordContext,
  useRefresh,
  useLocaleState,
  useShowContext,
  useTranslate,
  usePermissions,
} from 'react-admin';
import { useConnection } from '../../connection/ConnectionContext.tsx';
import { OrderInvoices } from '../invoices/OrderInvoices.tsx';
import { OrderReturnRequests } from '../return-requests/OrderReturnRequests.tsx';
import type { ProblemErrorBody } from '../../api/problem.ts';
import { parseMajor } from '../products/money.ts';
import {
  addressLines,
  chronological,
  formatMoney,
  planLineRefund,
  refundableAmount,
  refundedBetween,
  refundFieldErrors,
  unitsLeftToRefund,
  lineRefunded,
  type OrderRecord,
  type ShipmentSummary,
} from './orderTypes.ts';
import {
  disputeOpen,
  disputeTone,
  pendingRefundTotal,
  refundLine,
  refundPendingOf,
  type PaymentDispute,
  type PaymentRefund,
} from './paymentState.ts';
import { timelineText } from './timelineText.ts';

type Action = 'cancel' | 'capture' | 'refund' | 'processing' | 'shipped' | 'delivered';

/** Money actions ask first: they move real money and cannot be undone. */
function OrderActions({ order }: { order: OrderRecord }) {
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const { http } = useConnection();
  const { permissions } = usePermissions<string[]>();
  const [pending, setPending] = useState<Action | null>(null);
  // While a request runs, Confirm is disabled: a second click must not refund twice (the ref also
  // stops a double click that lands before the disabled button renders).
  const [running, setRunning] = useState(false);
  const inFlight = useRef(false);
  // A refused refund keeps the dialog open with what was typed, and says why in it.
  const [refundError, setRefundError] = useState<string | null>(null);
  // The server's reasons for a refused refund by line: on their lines, and the others listed under the error.
  const [lineErrors, setLineErrors] = useState<Record<string, string>>({});
  const [otherErrors, setOtherErrors] = useState<string[]>([]);
  const [amount, setAmount] = useState('');
  // A refund is an amount, or units of lines (priced as the customer paid them: refundForGoods).
  const [refundBy, setRefundBy] = useState<'amount' | 'lines'>('amount');
  const [quantities, setQuantities] = useState<Record<string, string>>({});
  const can = (permission: string) => Array.isArray(permissions) && permissions.includes(permission);
  const currency = order.totals.total.currency;
  const refundable = refundableAmount(order);
  // Units already refunded are not offered again; a quantity that cannot be refunded is an error, never dropped.
  const linePlan = planLineRefund(order, quantities);
  const refundLines = linePlan.lines;
  const linesAmount = linePlan.amount;
  const maxRefund = formatMoney({ amount: refundable, currency });
  // Typed in major units and converted exactly (no float rounding: "10.005" is refused, not 10.01).
  const typed = parseMajor(amount);
  const amountError =
    amount.trim() === ''
      ? null
      : !typed.ok
        ? translate(`mcart.catalog.money_${typed.reason}`)
        : typed.minor > refundable
          ? translate('mcart.order_ops.refund_too_much', { amount: maxRefund })
          : typed.minor < 1
            ? translate('mcart.pricing.value_positive')
            : null;
  const refundReady = refundBy === 'amount' ? typed.ok && amountError === null : linePlan.ready;
  // Captured payments have nothing left to capture; without payment details, let the server decide.
  const capturable = order.payments
    ? order.payments.some((payment) => payment.status === 'authorized')
    : order.status !== 'pending_payment' && order.status !== 'cancelled';

  function close() {
    setPending(null);
    setAmount('');
    setQuantities({});
    setRefundBy('amount');
    setRefundError(null);
    setLineErrors({});
    setOtherErrors([]);
  }

  async function run(action: Action) {
    const base = `/api/admin/orders/${encodeURIComponent(order.id)}`;
    if (inFlight.current) return;
    inFlight.current = true;
    setRunning(true);
    setRefundError(null);
    setLineErrors({});
    setOtherErrors([]);
    const sentLineIds = refundLines.map(({ line }) => line.id);
    try {
      if (action === 'cancel') {
        await http.request(`${base}/cancel`, { method: 'POST', body: {} });
        notify('mcart.order_ops.cancelled_done', { type: 'success' });
      } else if (action === 'capture') {
        await http.request(`${base}/capture`, { method: 'POST', body: {} });
        notify('mcart.order_ops.captured_done', { type: 'success' });
      } else if (action === 'refund') {
        if (refundBy === 'amount' && !typed.ok) return;
        const byAmount = refundBy === 'amount' && typed.ok ? typed.minor : null;
        const body =
          byAmount !== null
            ? { amount: byAmount }
            : { lines: refundLines.map(({ line, quantity }) => ({ orderLineId: line.id, quantity })) };
        const response = await http.request<OrderRecord>(`${base}/refund`, { method: 'POST', body });
        // What the server refunded (its refunded total grew by it), not what the dialog estimated.
        const refunded = refundedBetween(order, response.body) ?? byAmount ?? linesAmount;
        notify('mcart.order_ops.refunded_done', {
          type: 'success',
          messageArgs: { amount: formatMoney({ amount: refunded, currency }) },
        });
      } else {
        await http.request(`${base}/transition`, { method: 'POST', body: { status: action } });
        notify('mcart.orders.done', { type: 'success' });
      }
      refresh();
      close();
    } catch (err) {
      const problem = err instanceof HttpError ? (err.body as ProblemErrorBody | undefined) : undefined;
      const code = problem?.code;
      if (action === 'refund' && refundPendingOf(problem)) {
        // The gateway's answer was lost: the refund is sent and reserved, and confirmed automatically. Not an
        // error to retry: the dialog closes and the order page shows the refund as pending.
        notify('mcart.order_ops.refund_pending_notice', {
          type: 'info',
          multiLine: true,
          autoHideDuration: 15_000,
        });
        refresh();
        close();
      } else if (action === 'refund') {
        // "only 1 of 2 left to refund" on body/lines/0: shown on the line it is about.
        const fieldErrors = refundFieldErrors(sentLineIds, problem?.fieldErrors);
        setLineErrors(fieldErrors.byLine);
        setOtherErrors(fieldErrors.other);
        // The server counts in minor units ("At most 3000"): say it in money.
        setRefundError(
          code === 'MCART_ERR_REFUND_EXCEEDS_TOTAL'
            ? translate('mcart.order_ops.refund_too_much', { amount: maxRefund })
            : (err as Error).message || translate('mcart.orders.failed'),
        );
        refresh();
      } else {
        notify((err as Error).message || 'mcart.orders.failed', { type: 'error' });
        close();
      }
    } finally {
      inFlight.current = false;
      setRunning(false);
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
      {can('orders:write') && capturable && (
        <Button variant="outlined" onClick={() => setPending('capture')}>
          {translate('mcart.orders.capture')}
        </Button>
      )}
      {can('orders:refund') &&
        order.status !== 'pending_payment' &&
        order.status !== 'cancelled' &&
        refundable > 0 && (
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
      <Dialog open={pending !== null} onClose={() => !running && close()}>
        <DialogTitle>
          {pending ? translate(`mcart.orders.confirm.${pending}`, { number: order.number }) : ''}
        </DialogTitle>
        {pending === 'refund' && (
          <DialogContent>
            <ToggleButtonGroup
              exclusive
              size="small"
              value={refundBy}
              aria-label={translate('mcart.order_ops.refund_by')}
              onChange={(_event, value: 'amount' | 'lines' | null) => value && setRefundBy(value)}
              sx={{ mb: 2 }}
            >
              <ToggleButton value="amount">{translate('mcart.order_ops.by_amount')}</ToggleButton>
              <ToggleButton value="lines">{translate('mcart.order_ops.by_lines')}</ToggleButton>
            </ToggleButtonGroup>
            {refundBy === 'amount' ? (
              <MuiTextField
                autoFocus
                fullWidth
                label={translate('mcart.orders.refund_amount', { currency })}
                value={amount}
                onChange={(event) => {
                  setAmount(event.target.value);
                  setRefundError(null);
                }}
                error={amountError !== null}
                helperText={
                  amountError ?? translate('mcart.order_ops.refund_too_much', { amount: maxRefund })
                }
                slotProps={{ htmlInput: { inputMode: 'decimal' } }}
              />
            ) : (
              <Stack spacing={1}>
                {order.lines.map((line) => {
                  const left = unitsLeftToRefund(line);
                  const invalid = linePlan.errors[line.id];
                  const error = invalid
                    ? invalid.reason === 'too_many'
                      ? translate('mcart.order_ops.refund_quantity_too_many', { smart_count: invalid.left })
                      : translate('mcart.order_ops.refund_quantity_whole')
                    : (lineErrors[line.id] ?? null);
                  return (
                    <Stack key={line.id} direction="row" spacing={1} sx={{ alignItems: 'flex-start' }}>
                      <Typography variant="body2" sx={{ flex: 1, pt: 1 }}>
                        {line.sku} · {line.productTitle} × {line.quantity} · {formatMoney(line.unitPrice)} ·{' '}
                        {translate('mcart.order_ops.units_left', { smart_count: left })}
                      </Typography>
                      <MuiTextField
                        size="small"
                        type="number"
                        sx={{ width: 140 }}
                        // A short visible label (the line is named beside it); the full one for screen readers.
                        label={translate('mcart.order_ops.refund_units')}
                        disabled={left === 0}
                        slotProps={{
                          htmlInput: {
                            min: 0,
                            max: left,
                            step: 1,
                            'aria-label': translate('mcart.order_ops.refund_quantity', { sku: line.sku }),
                          },
                        }}
                        value={quantities[line.id] ?? ''}
                        error={error !== null}
                        helperText={error}
                        onChange={(event) => {
                          setQuantities((current) => ({ ...current, [line.id]: event.target.value }));
                          setRefundError(null);
                          setLineErrors(({ [line.id]: _changed, ...others }) => others);
                        }}
                      />
                    </Stack>
                  );
                })}
                <Typography variant="body2" data-testid="refund-total">
                  {translate('mcart.order_ops.refund_total', {
                    amount: formatMoney({ amount: linesAmount, currency }),
                  })}
                </Typography>
              </Stack>
            )}
            {refundError && (
              <Alert severity="error" sx={{ mt: 2 }}>
                {refundError}
                {otherErrors.length > 0 && (
                  <Box component="ul" sx={{ m: 0, pl: 2 }}>
                    {otherErrors.map((message) => (
                      <li key={message}>{message}</li>
                    ))}
                  </Box>
                )}
              </Alert>
            )}
          </DialogContent>
        )}
        {/* Cancelling an order: "Cancel" beside "Confirm" would read both ways (and "Annuler" is both in French),
            so the buttons say what they do. */}
        <DialogActions>
          <Button onClick={close} disabled={running}>
            {translate(pending === 'cancel' ? 'mcart.orders.keep_order' : 'ra.action.cancel')}
          </Button>
          <Button
            variant="contained"
            color={pending === 'cancel' ? 'error' : 'primary'}
            disabled={running || (pending === 'refund' && !refundReady)}
            onClick={() => pending && void run(pending)}
          >
            {translate(pending === 'cancel' ? 'mcart.orders.cancel' : 'ra.action.confirm')}
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
        sx={{ whiteSpace: 'nowrap', flexShrink: 0 }}
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

/** One refund of a payment: its amount and where it stands (pending, failed and reversed ones stand out). */
function RefundLine({ refund, currency }: { refund: PaymentRefund; currency: string }) {
  const translate = useTranslate();
  const line = refundLine(refund);
  const amount = formatMoney({ amount: refund.amount, currency });
  const text = translate(line.key, {
    amount,
    status: translate(`mcart.order_ops.refund_status.${line.state}`, { _: line.state }),
    reason: line.reason ?? translate('mcart.order_ops.no_reason'),
    date: line.reversedAt ? new Date(line.reversedAt).toLocaleString() : '',
  });
  const color =
    line.state === 'pending' ? 'warning.main' : line.state === 'succeeded' ? 'text.secondary' : 'error.main';
  return (
    <Typography
      variant="body2"
      sx={{ pl: 2, color }}
      data-testid="payment-refund"
      data-refund-state={line.state}
    >
      {text}
      {refund.reason ? ` — ${refund.reason}` : ''}
    </Typography>
  );
}

/** The payment's dispute (chargeback): status, amount, evidence deadline while open; needs_response in warning. */
function DisputeBadge({ dispute, currency }: { dispute: PaymentDispute; currency: string }) {
  const translate = useTranslate();
  const parts = [
    translate('mcart.order_ops.dispute', {
      status: translate(`mcart.order_ops.dispute_status.${dispute.status}`, { _: dispute.status }),
      amount: formatMoney({ amount: dispute.amount, currency }),
    }),
    ...(dispute.evidenceDueBy && disputeOpen(dispute)
      ? [
          translate('mcart.order_ops.dispute_due', {
            date: new Date(dispute.evidenceDueBy).toLocaleDateString(),
          }),
        ]
      : []),
    ...(dispute.reason ? [translate('mcart.order_ops.dispute_reason', { reason: dispute.reason })] : []),
  ];
  return (
    <Chip
      size="small"
      data-testid="payment-dispute"
      data-dispute-status={dispute.status}
      color={disputeTone(dispute.status)}
      variant={dispute.status === 'needs_response' ? 'filled' : 'outlined'}
      label={parts.join(' · ')}
      sx={{
        my: 0.5,
        maxWidth: '100%',
        height: 'auto',
        '& .MuiChip-label': { whiteSpace: 'normal', py: 0.25 },
      }}
    />
  );
}

/** Each payment: status, card, amounts taken and given back, its dispute, and every refund. */
function Payments({ order }: { order: OrderRecord }) {
  const translate = useTranslate();
  const payments = order.payments ?? [];
  const pending = pendingRefundTotal(payments);
  return (
    <Box data-testid="order-payments">
      <Typography variant="subtitle2">
        {translate('mcart.orders.payments', { smart_count: payments.length })}
      </Typography>
      {payments.length === 0 && (
        <Typography variant="body2">{translate('mcart.order_ops.no_payment')}</Typography>
      )}
      {pending > 0 && (
        <Alert severity="info" sx={{ my: 1 }} data-testid="refunds-pending">
          {translate('mcart.order_ops.refunds_pending', {
            amount: formatMoney({ amount: pending, currency: order.totals.total.currency }),
          })}
        </Alert>
      )}
      {payments.map((payment) => {
        const money = (amount: number) => formatMoney({ amount, currency: payment.currency });
        return (
          <Box key={payment.id} sx={{ mb: 1 }}>
            <Typography variant="body2">
              {translate('mcart.order_ops.payment_line', {
                status: translate(`mcart.payments.status.${payment.status}`, { _: payment.status }),
                provider: payment.provider,
              })}
              {payment.last4
                ? ` · ${translate('mcart.order_ops.card', { brand: payment.brand ?? '', last4: payment.last4 })}`
                : ''}
            </Typography>
            <Typography variant="body2" color="text.secondary">
              {translate('mcart.order_ops.amount', { amount: money(payment.amount) })} ·{' '}
              {translate('mcart.order_ops.captured', { amount: money(payment.capturedAmount) })}
              {payment.refundedAmount > 0
                ? ` · ${translate('mcart.order_ops.refunded', { amount: money(payment.refundedAmount) })}`
                : ''}
            </Typography>
            {payment.dispute && <DisputeBadge dispute={payment.dispute} currency={payment.currency} />}
            {payment.refunds.map((refund) => (
              <RefundLine key={refund.id} refund={refund} currency={payment.currency} />
            ))}
          </Box>
        );
      })}
    </Box>
  );
}

/** The order's parcels with their tracking links (staff without shipping:read do not see the section). */
function Shipments({ order }: { order: OrderRecord }) {
  const translate = useTranslate();
  const { http } = useConnection();
  const { permissions } = usePermissions<string[]>();
  const allowed = Array.isArray(permissions) && permissions.includes('shipping:read');
  const [shipments, setShipments] = useState<ShipmentSummary[] | null>(null);
  // A failed read says so: shown as no parcel, it read "Not shipped yet" for an order that had shipped.
  const [error, setError] = useState<string | null>(null);
  // Refetched when the order moves (a shipment changes the order's status and timeline).
  const revision = `${order.status}:${order.timeline?.length ?? 0}`;
  useEffect(() => {
    if (!allowed) return;
    let cancelled = false;
    void http
      .request<{ data: ShipmentSummary[] }>(
        `/api/admin/shipments?orderId=${encodeURIComponent(order.id)}&perPage=50&sort=createdAt&order=ASC`,
      )
      .then(({ body }) => {
        if (cancelled) return;
        setShipments(body.data);
        setError(null);
      })
      // The message may be a translation key (mcart.error.network).
      .catch((err: Error) => !cancelled && setError(translate(err.message, { _: err.message })));
    return () => {
      cancelled = true;
    };
  }, [http, order.id, allowed, revision, translate]);
  if (!allowed) return null;
  if (error)
    return (
      <Alert data-testid="order-shipments" severity="warning" sx={{ mt: 2 }}>
        {translate('mcart.order_ops.shipments_failed', { error })}
      </Alert>
    );
  if (shipments === null) return null;
  return (
    <Box data-testid="order-shipments" sx={{ mt: 2 }}>
      <Typography variant="subtitle2">
        {translate('mcart.order_ops.shipments', { smart_count: shipments.length })}
      </Typography>
      {shipments.length === 0 && (
        <Typography variant="body2">{translate('mcart.order_ops.no_shipment')}</Typography>
      )}
      {shipments.map((shipment) => (
        <Typography key={shipment.id} variant="body2">
          {shipment.carrier} · {translate(`mcart.shipments.status.${shipment.status}`)} ·{' '}
          <Link href={shipment.trackingUrl} target="_blank" rel="noopener noreferrer">
            {translate('mcart.order_ops.track', { trackingNumber: shipment.trackingNumber })}
          </Link>
        </Typography>
      ))}
    </Box>
  );
}

/** Printing the packing slip prints only the slip (address and lines), not the back-office around it. */
const packingSlipPrint = (
  <GlobalStyles
    styles={{
      '@media print': {
        'body *': { visibility: 'hidden' },
        '.packing-slip, .packing-slip *': { visibility: 'visible' },
        '.packing-slip': { position: 'absolute', left: 0, top: 0, width: '100%', boxShadow: 'none' },
      },
    }}
  />
);

/** Everything staff need on one page; the lines and address block doubles as the printed packing slip. */
function OrderDetail() {
  const order = useRecordContext<OrderRecord>();
  const { refetch } = useShowContext<OrderRecord>();
  const translate = useTranslate();
  const [locale = 'en'] = useLocaleState();
  const { permissions } = usePermissions<string[]>();
  // A record taken from the list cache is a summary (no lines, no address) until the detail arrives; if
  // the cached summary stands in for the detail, fetch it.
  const partial = !!order && (!order.lines || !order.totals || order.shippingAddress === undefined);
  useEffect(() => {
    if (partial) void refetch();
  }, [partial, refetch]);
  if (!order || partial) return <LinearProgress sx={{ m: 2 }} />;
  const a = order.shippingAddress;
  // Per line, what refunds by line gave back: a column once any line was refunded by line.
  const refundColumn = order.lines.some((line) => lineRefunded(line) !== null);
  return (
    <Box sx={{ p: 2 }}>
      {packingSlipPrint}
      <Typography variant="h5">
        {order.number} · {translate(`mcart.orders.status.${order.status}`)}
      </Typography>
      <OrderActions order={order} />
      {/* Side by side only where both fit next to the menu (at md the lines card is too narrow). */}
      <Stack direction={{ xs: 'column', lg: 'row' }} spacing={2}>
        <Card sx={{ flex: 2, minWidth: 0 }} className="packing-slip">
          <CardContent>
            <Typography variant="h6" className="packing-slip-number">
              {order.number}
            </Typography>
            <Typography variant="subtitle2">{translate('mcart.orders.ship_to')}</Typography>
            <Typography
              component="address"
              data-testid="order-address"
              sx={{ fontStyle: 'normal', whiteSpace: 'pre-line' }}
            >
              {addressLines(a).join('\n')}
            </Typography>
            <Typography variant="body2" sx={{ mt: 1 }}>
              {order.email} · {order.shippingMethod?.name ?? ''}
            </Typography>
            {/* Scrolls sideways rather than being cut off by the card when the window is narrow. */}
            <TableContainer sx={{ mt: 2, overflowX: 'auto' }}>
              {/* A SKU or an amount is read whole: "HOME-MUG" broke at its hyphen. The item's name wraps instead. */}
              <Table
                size="small"
                sx={{ '& td.MuiTableCell-alignRight, & td.order-line-sku': { whiteSpace: 'nowrap' } }}
              >
                <TableHead>
                  <TableRow>
                    <TableCell>{translate('mcart.orders.sku')}</TableCell>
                    <TableCell>{translate('mcart.orders.item')}</TableCell>
                    <TableCell align="right">{translate('mcart.orders.quantity')}</TableCell>
                    <TableCell align="right">{translate('mcart.orders.unit_price')}</TableCell>
                    <TableCell align="right">{translate('mcart.orders.total')}</TableCell>
                    {refundColumn && (
                      <TableCell align="right">{translate('mcart.orders.line_refunded')}</TableCell>
                    )}
                  </TableRow>
                </TableHead>
                <TableBody>
                  {order.lines.map((line) => (
                    <TableRow key={line.id} data-testid="order-line">
                      <TableCell className="order-line-sku">{line.sku}</TableCell>
                      <TableCell>
                        {line.productTitle}{' '}
                        {line.title && line.title !== line.productTitle ? `– ${line.title}` : ''}
                        {line.returnedQuantity
                          ? ` (${translate('mcart.orders.returned', { count: line.returnedQuantity })})`
                          : ''}
                        {line.refundedQuantity
                          ? ` (${translate('mcart.orders.refunded_units', { count: line.refundedQuantity })})`
                          : ''}
                      </TableCell>
                      <TableCell align="right">{line.quantity}</TableCell>
                      <TableCell align="right">{formatMoney(line.unitPrice)}</TableCell>
                      <TableCell align="right">{formatMoney(line.total)}</TableCell>
                      {refundColumn && (
                        <TableCell align="right" data-testid="order-line-refunded">
                          {formatMoney(lineRefunded(line) ?? { amount: 0, currency: line.total.currency })}
                        </TableCell>
                      )}
                    </TableRow>
                  ))}
                  {(['subtotal', 'discount', 'shipping', 'tax', 'total'] as const).map((key) => (
                    <TableRow key={key}>
                      <TableCell colSpan={4} align="right">
                        {translate(`mcart.orders.totals.${key}`)}
                      </TableCell>
                      <TableCell align="right">{formatMoney(order.totals[key])}</TableCell>
                      {refundColumn && <TableCell />}
                    </TableRow>
                  ))}
                  {order.refunded.amount > 0 && (
                    <TableRow>
                      <TableCell colSpan={4} align="right">
                        {translate('mcart.orders.refunded')}
                      </TableCell>
                      <TableCell align="right">{formatMoney(order.refunded)}</TableCell>
                      {refundColumn && <TableCell />}
                    </TableRow>
                  )}
                </TableBody>
              </Table>
            </TableContainer>
          </CardContent>
        </Card>
        <Card sx={{ flex: 1, minWidth: 0 }}>
          <CardContent>
            <Payments order={order} />
            <Shipments order={order} />
            <OrderInvoices orderId={order.id} />
            <OrderReturnRequests orderId={order.id} />
            <Typography variant="subtitle2" sx={{ mt: 2 }}>
              {translate('mcart.orders.timeline')}
            </Typography>
            <Box data-testid="order-timeline">
              {chronological(order.timeline ?? []).map((event) => {
                const text = timelineText(event, translate, locale);
                return (
                  <Typography key={event.id} variant="body2">
                    {new Date(event.at).toLocaleString(locale)} ·{' '}
                    {event.toStatus
                      ? translate(`mcart.orders.status.${event.toStatus}`)
                      : translate(`mcart.orders.event.${event.kind}`, { _: event.kind })}
                    {text ? ` — ${text}` : ''}
                  </Typography>
                );
              })}
            </Box>
            {Array.isArray(permissions) && permissions.includes('orders:annotate') && (
              <AddNote orderId={order.id} />
            )}
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
