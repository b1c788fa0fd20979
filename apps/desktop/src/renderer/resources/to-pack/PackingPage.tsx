import { useMemo, useRef, useState, type FormEvent } from 'react';
import { Alert, Box, Card, CardContent, LinearProgress, Stack, TextField, Typography } from '@mui/material';
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
import { PickList } from './PickList.tsx';
import { ScanFeedback } from './ScanFeedback.tsx';
import { useToPack } from './useToPack.ts';

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
    try {
      const { body } = await http.request<CreatedShipment>(
        `/api/admin/orders/${encodeURIComponent(order.orderId)}/shipments`,
        { method: 'POST', body: { lines: shipmentLines(state), package: parcel.package ?? undefined } },
      );
      setCreated(body);
      await queryClient.invalidateQueries({ queryKey: ['to-pack'] });
      notify(translate('mcart.packing.created', { tracking: body.trackingNumber }), { type: 'success' });
    } catch (error) {
      notify(error instanceof Error ? error.message : String(error), { type: 'error' });
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
              {partial && plannedUnits(state) > 0 && (
                <Alert severity="info" data-testid="partial-notice">
                  {translate('mcart.packing.partial', { smart_count: leftBehind })}
                </Alert>
              )}
              <Box>
                <Button
                  variant="contained"
                  label="mcart.packing.create_shipment"
                  disabled={!complete || !parcel.package || creating}
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
