import { useMemo, useRef, useState, type FormEvent } from 'react';
import { Alert, Box, Card, CardContent, LinearProgress, Stack, TextField, Typography } from '@mui/material';
import LocalShippingIcon from '@mui/icons-material/LocalShipping';
import { useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router-dom';
import { Button, Title, useNotify, useTranslate } from 'react-admin';
import { useConnection } from '../../connection/ConnectionContext.tsx';
import {
  isComplete,
  scan,
  shipmentLines,
  startPacking,
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
  if (found && pinned?.orderId !== id) setPinned(found);
  const order = pinned?.orderId === id ? pinned : found;
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
      {order && <Packing key={order.orderId} order={order} />}
    </>
  );
}

function Packing({ order }: { order: ToPackOrder }) {
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
  const [state, setState] = useState(() => startPacking(lines));
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
        { method: 'POST', body: { lines: shipmentLines(state) } },
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
  return (
    <Card>
      <CardContent>
        <Typography variant="h6">{translate('mcart.packing.title', { number: order.number })}</Typography>
        <Typography variant="body2" color="text.secondary" gutterBottom>
          {order.shipTo.name}, {order.shipTo.city} ({order.shipTo.country})
        </Typography>
        <PickList state={state} />
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
              <Button component={Link} to="/to-pack" label="mcart.packing.back_to_queue" />
            </Stack>
          </Stack>
        ) : (
          <Box component="form" onSubmit={onScan} sx={{ mt: 2 }}>
            <Stack spacing={2}>
              <TextField
                inputRef={input}
                autoFocus
                value={code}
                onChange={(event) => setCode(event.target.value)}
                label={translate('mcart.packing.scan')}
                helperText={translate('mcart.packing.scan_help')}
                slotProps={{ htmlInput: { 'data-testid': 'scan-input', autoComplete: 'off' } }}
                disabled={creating}
              />
              <ScanFeedback outcome={outcome} lines={lines} />
              <Box>
                <Button
                  variant="contained"
                  label="mcart.packing.create_shipment"
                  disabled={!complete || creating}
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
