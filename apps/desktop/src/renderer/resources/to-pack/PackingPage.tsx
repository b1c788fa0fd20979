import { useMemo, useRef, useState, type FormEvent } from 'react';
import { Alert, Box, Card, CardContent, LinearProgress, Stack, TextField, Typography } from '@mui/material';
import EditLocationAltIcon from '@mui/icons-material/EditLocationAlt';
import LocalShippingIcon from '@mui/icons-material/LocalShipping';
import { useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router-dom';
import { Button, Title, useNotify, useTranslate } from 'react-admin';
import { useConnection } from '../../connection/ConnectionContext.tsx';
import {
  isComplete,
  isPartial,
  PARCEL_FIELDS,
  parcelDefaults,
  parcelRequest,
  plannedUnits,
  scan,
  setPlanned,
  shipmentLines,
  startPacking,
  type ParcelEdits,
  type PickLine,
  type ScanOutcome,
} from '../warehouse/packing.ts';
import { PrintLabelsButton } from '../warehouse/PrintLabelsButton.tsx';
import type { CreatedShipment, ToPackOrder } from '../warehouse/types.ts';
import { addressLines, type PostalAddress } from '../orders/orderTypes.ts';
import { PickList } from './PickList.tsx';
import { ScanFeedback } from './ScanFeedback.tsx';
import {
  addressErrors,
  addressRequest,
  draftFrom,
  LABEL_ADDRESS_REFUSED,
  missingFields,
  readRefusal,
  sameAsOrder,
  type AddressDraft,
  type AddressErrors,
  type AddressField,
} from './shipTo.ts';
import { ShipToForm, type ShipToRefusal } from './ShipToForm.tsx';
import { useToPack } from './useToPack.ts';
import { useOrderAddress, useReturnedParcels } from './useShipTo.ts';

export function PackingPage() {
  const { id } = useParams<{ id: string }>();
  const translate = useTranslate();
  const { data, isPending, error } = useToPack();
  const found = data?.data.find((entry) => entry.orderId === id);
  // Once shipped the order leaves the queue; keep it on screen to print its label.
  const [pinned, setPinned] = useState<ToPackOrder | null>(null);
  // Bumped by "Pack the rest" after a partial shipment: a fresh packing of what is left.
  const [round, setRound] = useState(0);
  if (found && pinned?.orderId !== id) setPinned(found);
  const order = pinned?.orderId === id ? pinned : found;
  const packRest = found
    ? () => {
        setPinned(found);
        setRound((value) => value + 1);
      }
    : undefined;
  return (
    <>
      <Title
        title={
          order
            ? translate('mcart.packing.title', { number: order.number })
            : translate('mcart.packing.title_loading')
        }
      />
      {isPending && <LinearProgress />}
      {error && <Alert severity="error">{error.message}</Alert>}
      {data && !order && <Alert severity="info">{translate('mcart.packing.not_in_queue')}</Alert>}
      {order && <Packing key={`${order.orderId}:${round}`} order={order} onPackRest={packRest} />}
    </>
  );
}

function Packing({ order, onPackRest }: { order: ToPackOrder; onPackRest?: (() => void) | undefined }) {
  const translate = useTranslate();
  const notify = useNotify();
  const { http } = useConnection();
  const queryClient = useQueryClient();
  const lines: PickLine[] = useMemo(
    () =>
      order.lines
        .filter((line) => line.remaining > 0)
        .map(({ orderLineId, sku, title, remaining }) => ({ orderLineId, sku, title, remaining })),
    [order],
  );
  const weights = useMemo(
    () => Object.fromEntries(order.lines.map((line) => [line.orderLineId, line.weightGrams])),
    [order],
  );
  const [state, setState] = useState(() => startPacking(lines));
  const [edits, setEdits] = useState<ParcelEdits>({});
  const defaults = parcelDefaults(state, weights);
  const parcel = parcelRequest(defaults, edits);
  const [outcome, setOutcome] = useState<ScanOutcome | null>(null);
  const [code, setCode] = useState('');
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedShipment | null>(null);
  const input = useRef<HTMLInputElement>(null);
  // "Ship to another address": the label address the packer writes (kept while the form is closed, sent
  // only while it is open), the server's field errors on it, and why it was refused.
  const orderAddress = useOrderAddress(order.orderId);
  const returned = useReturnedParcels(order.orderId).data?.data[0];
  const [shipTo, setShipTo] = useState<AddressDraft | null>(null);
  const [shipToOpen, setShipToOpen] = useState(false);
  const [shipToErrors, setShipToErrors] = useState<AddressErrors>({});
  const [refusal, setRefusal] = useState<ShipToRefusal | null>(null);
  const [shippedTo, setShippedTo] = useState<PostalAddress | null>(null);
  const labelAddress = shipToOpen && shipTo ? shipTo : null;

  const openShipTo = () => {
    if (!shipTo) setShipTo(draftFrom(orderAddress.data, order.shipTo));
    setShipToOpen(true);
  };
  const closeShipTo = () => {
    setShipToOpen(false);
    setShipToErrors({});
    setRefusal(null);
  };
  const editShipTo = (field: AddressField, value: string) => {
    setShipTo((current) => (current ? { ...current, [field]: value } : current));
    // The server's message was about the value it saw: gone once the packer changes it.
    setShipToErrors(({ [field]: _fixed, ...rest }) => rest);
  };

  const onScan = (event: FormEvent) => {
    event.preventDefault();
    if (!code.trim()) return;
    const result = scan(state, code);
    setState(result.state);
    setOutcome(result.outcome);
    setCode('');
    input.current?.focus();
  };

  const createShipment = async () => {
    setCreating(true);
    const shippingAddress = labelAddress ? addressRequest(labelAddress) : undefined;
    try {
      const { body } = await http.request<CreatedShipment>(
        `/api/admin/orders/${encodeURIComponent(order.orderId)}/shipments`,
        {
          method: 'POST',
          body: {
            lines: shipmentLines(state),
            package: parcel.package ?? undefined,
            ...(shippingAddress ? { shippingAddress } : {}),
          },
        },
      );
      setCreated(body);
      setShippedTo(shippingAddress ?? null);
      setShipToErrors({});
      setRefusal(null);
      await queryClient.invalidateQueries({ queryKey: ['to-pack'] });
      notify(translate('mcart.packing.created', { tracking: body.trackingNumber }), { type: 'success' });
    } catch (error) {
      const refused = readRefusal(error);
      const errors = addressErrors(refused.fieldErrors);
      const onAddress =
        Object.keys(errors).length > 0 || (refused.code === LABEL_ADDRESS_REFUSED && !!labelAddress);
      if (!onAddress) {
        notify(refused.message, { type: 'error' });
        return;
      }
      if (labelAddress) {
        // What the packer typed stays as it is; only the server's verdict is added.
        setShipToErrors(errors);
        setRefusal({ of: 'label', message: refused.message });
        return;
      }
      // The order's own address cannot be printed: the form opens on it, marked where the server said, for
      // the packer to write it as the label can print it. A draft written before (then put aside) is kept;
      // the marks then go only on the fields it still has as the order has them.
      const address = orderAddress.data ?? (await orderAddress.refetch()).data;
      const fromOrder = draftFrom(address, order.shipTo);
      const draft = shipTo ?? fromOrder;
      setShipTo(draft);
      setShipToOpen(true);
      setShipToErrors(sameAsOrder(errors, draft, fromOrder));
      setRefusal({ of: 'order', message: refused.message });
    } finally {
      setCreating(false);
    }
  };

  const complete = isComplete(state);
  const partial = isPartial(state);
  const leftBehind = lines.reduce((sum, line) => sum + line.remaining, 0) - plannedUnits(state);
  return (
    <Card>
      <CardContent>
        <Typography variant="h6">{translate('mcart.packing.title', { number: order.number })}</Typography>
        <Typography variant="body2" color="text.secondary" gutterBottom>
          {order.shipTo.name}, {order.shipTo.city} ({order.shipTo.country})
        </Typography>
        <PickList
          state={state}
          disabled={creating || created !== null}
          onPlan={
            created
              ? undefined
              : (orderLineId, quantity) => setState((current) => setPlanned(current, orderLineId, quantity))
          }
        />
        {created ? (
          <Stack spacing={2} sx={{ mt: 2 }} data-testid="shipment-created">
            <Alert severity="success">
              {translate('mcart.packing.created', { tracking: created.trackingNumber })}
            </Alert>
            {shippedTo && (
              <Typography variant="body2" data-testid="shipped-to">
                {translate('mcart.packing.ship_to.shipped_to', {
                  address: addressLines(shippedTo).join(', '),
                })}
              </Typography>
            )}
            <Stack direction="row" spacing={1}>
              <PrintLabelsButton ids={[created.id]} />
              <Button
                component={Link}
                to={`/shipments/${encodeURIComponent(created.id)}/show`}
                label="mcart.packing.open_shipment"
              />
              {partial && onPackRest && <Button label="mcart.packing.pack_rest" onClick={onPackRest} />}
              <Button component={Link} to="/to-pack" label="mcart.packing.back_to_queue" />
            </Stack>
          </Stack>
        ) : (
          <Box sx={{ mt: 2 }}>
            <Stack spacing={2}>
              {/* The scan field alone in its form: Enter submits a form with a single text field. */}
              <Box component="form" onSubmit={onScan}>
                <TextField
                  fullWidth
                  inputRef={input}
                  autoFocus
                  value={code}
                  onChange={(event) => setCode(event.target.value)}
                  label={translate('mcart.packing.scan')}
                  helperText={translate('mcart.packing.scan_help')}
                  slotProps={{ htmlInput: { 'data-testid': 'scan-input', autoComplete: 'off' } }}
                  disabled={creating}
                />
              </Box>
              <ScanFeedback outcome={outcome} lines={lines} />
              <Stack direction="row" spacing={2} data-testid="parcel">
                {PARCEL_FIELDS.map((field) => (
                  <TextField
                    key={field}
                    size="small"
                    type="number"
                    label={translate(`mcart.packing.parcel.${field}`)}
                    value={edits[field] ?? String(defaults[field] ?? '')}
                    onChange={(event) => setEdits((current) => ({ ...current, [field]: event.target.value }))}
                    error={parcel.errors?.includes(field) ?? false}
                    helperText={
                      parcel.errors?.includes(field) ? translate('mcart.packing.parcel.invalid') : undefined
                    }
                    disabled={creating}
                    sx={{ width: '10em' }}
                  />
                ))}
              </Stack>
              {returned && (
                <Alert severity="warning" data-testid="returned-hint">
                  {translate('mcart.packing.ship_to.returned', { tracking: returned.trackingNumber })}
                </Alert>
              )}
              <Box>
                {shipToOpen ? (
                  <Button label="mcart.packing.ship_to.use_order" onClick={closeShipTo} disabled={creating} />
                ) : (
                  <Button
                    label="mcart.packing.ship_to.open"
                    onClick={openShipTo}
                    disabled={creating || orderAddress.isPending}
                  >
                    <EditLocationAltIcon />
                  </Button>
                )}
              </Box>
              {shipToOpen && shipTo && (
                <ShipToForm
                  draft={shipTo}
                  errors={shipToErrors}
                  refusal={refusal}
                  disabled={creating}
                  onChange={editShipTo}
                />
              )}
              {partial && plannedUnits(state) > 0 && (
                <Alert severity="info" data-testid="partial-notice">
                  {translate('mcart.packing.partial', { smart_count: leftBehind })}
                </Alert>
              )}
              <Box>
                <Button
                  variant="contained"
                  label="mcart.packing.create_shipment"
                  disabled={
                    !complete ||
                    !parcel.package ||
                    creating ||
                    (labelAddress !== null && missingFields(labelAddress).length > 0)
                  }
                  onClick={() => void createShipment()}
                >
                  <LocalShippingIcon />
                </Button>
              </Box>
            </Stack>
          </Box>
        )}
      </CardContent>
    </Card>
  );
}
