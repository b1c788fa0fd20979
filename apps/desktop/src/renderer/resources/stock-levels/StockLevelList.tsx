import { useRef, useState, type KeyboardEvent } from 'react';
import {
  Button,
  Card,
  CardContent,
  MenuItem,
  Stack,
  TextField as MuiTextField,
  Typography,
} from '@mui/material';
import {
  BooleanInput,
  Datagrid,
  DateField,
  List,
  NumberField,
  ReferenceInput,
  SelectInput,
  TextField,
  TextInput,
  useNotify,
  useRefresh,
  useTranslate,
  usePermissions,
} from 'react-admin';
import { useConnection } from '../../connection/ConnectionContext.tsx';

const filters = [
  <TextInput key="variantId" source="variantId" label="mcart.inventory.variant_id" alwaysOn />,
  <ReferenceInput key="locationId" source="locationId" reference="stock-locations" alwaysOn>
    <SelectInput optionText="name" label="mcart.inventory.location" />
  </ReferenceInput>,
  <BooleanInput key="lowStock" source="lowStock" label="mcart.inventory.low_stock" />,
  <BooleanInput key="outOfStock" source="outOfStock" label="mcart.inventory.out_of_stock" />,
];

type Mode = 'receive' | 'adjust';

/**
 * Receive or adjust by scanning: the variant field keeps the focus, Enter submits, and the field is
 * emptied for the next scan (a barcode scanner types the code and presses Enter).
 */
function StockEntry() {
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const { http } = useConnection();
  const [mode, setMode] = useState<Mode>('receive');
  const [variantId, setVariantId] = useState('');
  const [quantity, setQuantity] = useState('1');
  const [reason, setReason] = useState('');
  const scan = useRef<HTMLInputElement>(null);

  async function submit() {
    const amount = Number(quantity);
    if (!variantId.trim() || !Number.isInteger(amount) || amount === 0) return;
    try {
      if (mode === 'receive') {
        await http.request('/api/admin/inventory/receipts', {
          method: 'POST',
          body: { variantId: variantId.trim(), quantity: amount, ...(reason ? { reason } : {}) },
        });
      } else {
        await http.request('/api/admin/inventory/adjustments', {
          method: 'POST',
          body: {
            variantId: variantId.trim(),
            delta: amount,
            reason: reason || translate('mcart.inventory.count'),
          },
        });
      }
      notify('mcart.inventory.saved', { type: 'success', messageArgs: { quantity: amount } });
      setVariantId('');
      refresh();
    } catch (err) {
      notify((err as Error).message, { type: 'error' });
    } finally {
      scan.current?.focus();
    }
  }

  const onKey = (event: KeyboardEvent) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      void submit();
    }
  };

  return (
    <Card sx={{ mb: 2 }}>
      <CardContent>
        <Typography variant="subtitle2">{translate('mcart.inventory.entry_title')}</Typography>
        <Stack direction={{ xs: 'column', md: 'row' }} spacing={1} sx={{ mt: 1 }}>
          <MuiTextField
            select
            size="small"
            value={mode}
            onChange={(event) => setMode(event.target.value as Mode)}
            label={translate('mcart.inventory.mode')}
          >
            <MenuItem value="receive">{translate('mcart.inventory.receive')}</MenuItem>
            <MenuItem value="adjust">{translate('mcart.inventory.adjust')}</MenuItem>
          </MuiTextField>
          <MuiTextField
            inputRef={scan}
            autoFocus
            size="small"
            label={translate('mcart.inventory.scan')}
            value={variantId}
            onChange={(event) => setVariantId(event.target.value)}
            onKeyDown={onKey}
          />
          <MuiTextField
            size="small"
            type="number"
            label={translate('mcart.inventory.quantity')}
            value={quantity}
            onChange={(event) => setQuantity(event.target.value)}
            onKeyDown={onKey}
          />
          <MuiTextField
            size="small"
            label={translate('mcart.inventory.reason')}
            value={reason}
            onChange={(event) => setReason(event.target.value)}
            onKeyDown={onKey}
          />
          <Button variant="contained" onClick={() => void submit()}>
            {translate('mcart.inventory.save')}
          </Button>
        </Stack>
      </CardContent>
    </Card>
  );
}

export function StockLevelList() {
  const { permissions } = usePermissions<string[]>();
  const canWrite = Array.isArray(permissions) && permissions.includes('inventory:write');
  return (
    <>
      {canWrite && <StockEntry />}
      <List filters={filters} sort={{ field: 'available', order: 'ASC' }} perPage={50} exporter={false}>
        <Datagrid bulkActionButtons={false} rowClick={false}>
          <TextField source="variantId" label="mcart.inventory.variant_id" />
          <TextField source="locationName" label="mcart.inventory.location" sortable={false} />
          <NumberField source="onHand" label="mcart.inventory.on_hand" />
          <NumberField source="reserved" label="mcart.inventory.reserved" />
          <NumberField source="available" label="mcart.inventory.available" />
          <NumberField source="lowStockThreshold" label="mcart.inventory.threshold" sortable={false} />
          <DateField source="updatedAt" label="mcart.inventory.updated_at" showTime />
        </Datagrid>
      </List>
    </>
  );
}

const kinds = [
  'received',
  'adjusted',
  'reserved',
  'released',
  'sold',
  'returned',
  'transfer_out',
  'transfer_in',
].map((id) => ({
  id,
  name: `mcart.inventory.kind.${id}`,
}));

/** The ledger: every stock change with its reason, staff member or order. */
export function StockMovementList() {
  return (
    <List
      filters={[
        <TextInput key="variantId" source="variantId" label="mcart.inventory.variant_id" alwaysOn />,
        <SelectInput key="kind" source="kind" choices={kinds} label="mcart.inventory.kind_label" />,
      ]}
      sort={{ field: 'id', order: 'DESC' }}
      perPage={50}
      exporter={false}
    >
      <Datagrid bulkActionButtons={false} rowClick={false}>
        <DateField source="createdAt" label="mcart.inventory.updated_at" showTime sortable={false} />
        <TextField source="variantId" label="mcart.inventory.variant_id" sortable={false} />
        <TextField source="kind" label="mcart.inventory.kind_label" sortable={false} />
        <NumberField source="onHandDelta" label="mcart.inventory.on_hand" sortable={false} />
        <NumberField source="reservedDelta" label="mcart.inventory.reserved" sortable={false} />
        <TextField source="reason" label="mcart.inventory.reason" sortable={false} />
        <TextField source="orderId" label="mcart.inventory.order" sortable={false} />
      </Datagrid>
    </List>
  );
}
