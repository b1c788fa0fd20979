import { useState } from 'react';
import {
  Button as MuiButton,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  TextField as MuiTextField,
} from '@mui/material';
import PublishIcon from '@mui/icons-material/Publish';
import ArchiveIcon from '@mui/icons-material/Archive';
import PercentIcon from '@mui/icons-material/Percent';
import UploadFileIcon from '@mui/icons-material/UploadFile';
import {
  Button,
  Confirm,
  CreateButton,
  Datagrid,
  DateField,
  FunctionField,
  List,
  ReferenceArrayField,
  ReferenceInput,
  SearchInput,
  SelectInput,
  SingleFieldList,
  ChipField,
  TextField,
  TopToolbar,
  FilterButton,
  useListContext,
  useNotify,
  useCanAccess,
  useRefresh,
  useTranslate,
} from 'react-admin';
import { Link } from 'react-router-dom';
import { useConnection } from '../../connection/ConnectionContext.tsx';
import { displayMoney } from './money.ts';
import { PRODUCT_STATUSES, type MoneyValue } from './productTypes.ts';
import { ExportCsvButton } from './ExportCsvButton.tsx';

export const statusChoices = PRODUCT_STATUSES.map((id) => ({ id, name: `mcart.catalog.status.${id}` }));

const filters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <SelectInput
    key="status"
    source="status"
    choices={statusChoices}
    label="mcart.catalog.status_label"
    alwaysOn
  />,
  <ReferenceInput
    key="categoryId"
    source="categoryId"
    reference="categories"
    perPage={200}
    sort={{ field: 'name', order: 'ASC' }}
  >
    <SelectInput optionText="name" label="mcart.catalog.category" />
  </ReferenceInput>,
];

// canAccess maps react-admin actions onto the server's permission list (auth/permissions.ts).
const useAllowed = (resource: string, action: string) =>
  useCanAccess({ resource, action }).canAccess === true;

function useBulk() {
  const { http } = useConnection();
  const notify = useNotify();
  const refresh = useRefresh();
  const { selectedIds, onUnselectItems } = useListContext();
  const [busy, setBusy] = useState(false);
  const run = async (action: 'publish' | 'archive' | 'priceChange', percent?: number) => {
    setBusy(true);
    try {
      const { body } = await http.request<{ updated: number }>('/api/admin/products/bulk', {
        method: 'POST',
        body: { ids: selectedIds, action, ...(percent === undefined ? {} : { percent }) },
      });
      notify('mcart.catalog.bulk_done', { type: 'success', messageArgs: { smart_count: body.updated } });
      onUnselectItems();
      refresh();
    } catch (err) {
      notify((err as Error).message, { type: 'error' });
    } finally {
      setBusy(false);
    }
  };
  return { run, busy, count: selectedIds.length };
}

function BulkStatusButton({ action }: { action: 'publish' | 'archive' }) {
  const { run, busy, count } = useBulk();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button label={`mcart.catalog.bulk_${action}`} disabled={busy} onClick={() => setOpen(true)}>
        {action === 'publish' ? <PublishIcon /> : <ArchiveIcon />}
      </Button>
      <Confirm
        isOpen={open}
        loading={busy}
        title={`mcart.catalog.bulk_${action}`}
        content="mcart.catalog.bulk_confirm"
        translateOptions={{ smart_count: count }}
        onConfirm={() => {
          setOpen(false);
          void run(action);
        }}
        onClose={() => setOpen(false)}
      />
    </>
  );
}

/** Percentage from the dialog: -99..1000 as the server accepts, at most 2 decimals. */
export function parsePercent(text: string): number | undefined {
  const trimmed = text.trim().replace(',', '.');
  if (!/^[+-]?\d+(\.\d{1,2})?$/.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return value === 0 || value < -99 || value > 1000 ? undefined : value;
}

function BulkPriceButton() {
  const translate = useTranslate();
  const { run, busy, count } = useBulk();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [confirming, setConfirming] = useState(false);
  const percent = parsePercent(text);
  return (
    <>
      <Button label="mcart.catalog.bulk_price" disabled={busy} onClick={() => setOpen(true)}>
        <PercentIcon />
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)}>
        <DialogTitle>{translate('mcart.catalog.bulk_price')}</DialogTitle>
        <DialogContent>
          <MuiTextField
            autoFocus
            fullWidth
            margin="dense"
            label={translate('mcart.catalog.percent')}
            helperText={translate('mcart.catalog.percent_help')}
            value={text}
            error={text !== '' && percent === undefined}
            onChange={(event) => setText(event.target.value)}
          />
        </DialogContent>
        <DialogActions>
          <MuiButton onClick={() => setOpen(false)}>{translate('ra.action.cancel')}</MuiButton>
          <MuiButton
            variant="contained"
            disabled={percent === undefined}
            onClick={() => {
              setOpen(false);
              setConfirming(true);
            }}
          >
            {translate('ra.action.confirm')}
          </MuiButton>
        </DialogActions>
      </Dialog>
      <Confirm
        isOpen={confirming}
        loading={busy}
        title="mcart.catalog.bulk_price"
        content="mcart.catalog.bulk_price_confirm"
        translateOptions={{ smart_count: count, percent: percent ?? 0 }}
        onConfirm={() => {
          setConfirming(false);
          setText('');
          void run('priceChange', percent);
        }}
        onClose={() => setConfirming(false)}
      />
    </>
  );
}

function BulkActions() {
  // Price changes need pricing:write, the permission that guards sales (scope catalog/pricing).
  const canPrice = useAllowed('sales', 'edit');
  return (
    <>
      <BulkStatusButton action="publish" />
      <BulkStatusButton action="archive" />
      {canPrice && <BulkPriceButton />}
    </>
  );
}

function ListActions() {
  const canWrite = useAllowed('products', 'edit');
  return (
    <TopToolbar>
      <FilterButton />
      {canWrite && <CreateButton />}
      <ExportCsvButton />
      {canWrite && (
        <Button component={Link} to="/products/import" label="mcart.catalog.import">
          <UploadFileIcon />
        </Button>
      )}
    </TopToolbar>
  );
}

export function ProductList() {
  const translate = useTranslate();
  const canWrite = useAllowed('products', 'edit');
  return (
    <List
      filters={filters}
      actions={<ListActions />}
      sort={{ field: 'updatedAt', order: 'DESC' }}
      perPage={25}
      exporter={false}
    >
      <Datagrid rowClick="edit" bulkActionButtons={canWrite ? <BulkActions /> : false}>
        <TextField source="title" label="mcart.catalog.title" />
        <FunctionField
          source="status"
          label="mcart.catalog.status_label"
          render={(record: { status: string }) => translate(`mcart.catalog.status.${record.status}`)}
        />
        <FunctionField
          label="mcart.catalog.skus"
          render={(record: { skus: string[] }) => record.skus.join(', ')}
        />
        <FunctionField
          source="minPrice"
          label="mcart.catalog.price_from"
          render={(record: { minPrice: MoneyValue | null }) => displayMoney(record.minPrice)}
        />
        <ReferenceArrayField
          source="categoryIds"
          reference="categories"
          label="mcart.catalog.categories"
          sortable={false}
        >
          <SingleFieldList linkType={false}>
            <ChipField source="name" size="small" />
          </SingleFieldList>
        </ReferenceArrayField>
        <DateField source="updatedAt" label="mcart.catalog.updated_at" showTime />
      </Datagrid>
    </List>
  );
}
