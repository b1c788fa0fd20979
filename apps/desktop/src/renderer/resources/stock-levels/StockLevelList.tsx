import HistoryIcon from '@mui/icons-material/History';
import MoveDownIcon from '@mui/icons-material/MoveDown';
import QrCodeScannerIcon from '@mui/icons-material/QrCodeScanner';
import { Link } from 'react-router-dom';
import {
  AutocompleteInput,
  BooleanInput,
  Button,
  Datagrid,
  DateField,
  FilterButton,
  FunctionField,
  List,
  NumberField,
  ReferenceField,
  ReferenceInput,
  SelectField,
  SelectInput,
  TextField,
  TopToolbar,
  useCanAccess,
  useRecordContext,
} from 'react-admin';
import { compactTableSx } from '../../layout/compactTable.ts';
import { variantLabel } from '../stock/stockLines.ts';
import { RowActionButton } from './RowActionButton.tsx';
import { ThresholdButton } from './ThresholdButton.tsx';

interface VariantRecord {
  id: string;
  sku: string;
  title: string;
  productTitle: string;
}

interface LevelRecord {
  id: string;
  variantId: string;
  available: number;
  lowStockThreshold: number | null;
}

/** Variants are picked by SKU or product title (GET /api/admin/variants?q=). */
const variantFilter = (key: string) => (
  <ReferenceInput
    key={key}
    source="variantId"
    reference="variants"
    sort={{ field: 'sku', order: 'ASC' }}
    alwaysOn
  >
    <AutocompleteInput
      label="mcart.stock.sku"
      optionText={(variant: VariantRecord) => `${variant.sku} · ${variantLabel(variant)}`}
      filterToQuery={(q: string) => ({ q })}
      sx={{ minWidth: 260 }}
    />
  </ReferenceInput>
);

const locationFilter = (key: string) => (
  <ReferenceInput key={key} source="locationId" reference="stock-locations" alwaysOn>
    <SelectInput optionText="name" label="mcart.inventory.location" />
  </ReferenceInput>
);

const levelFilters = [
  variantFilter('variantId'),
  locationFilter('locationId'),
  <BooleanInput key="lowStock" source="lowStock" label="mcart.inventory.low_stock" alwaysOn />,
  <BooleanInput key="outOfStock" source="outOfStock" label="mcart.inventory.out_of_stock" alwaysOn />,
];

/** The ledger of one variant: where a stock level row leads. */
export const historyPath = (variantId: string) =>
  `/stock-movements?${new URLSearchParams({ filter: JSON.stringify({ variantId }) }).toString()}`;

/** The low-stock list: levels at or below their variant's threshold, emptiest first. */
export const LOW_STOCK_PATH = `/stock-levels?${new URLSearchParams({
  filter: JSON.stringify({ lowStock: true }),
  sort: 'available',
  order: 'ASC',
}).toString()}`;

function HistoryButton() {
  const record = useRecordContext<LevelRecord>();
  if (!record) return null;
  return (
    <RowActionButton
      to={historyPath(record.variantId)}
      label="mcart.stock.history"
      icon={<HistoryIcon />}
      onClick={(event) => event.stopPropagation()}
    />
  );
}

function LevelActions() {
  const { canAccess: canReceive } = useCanAccess({ resource: 'stock-entry', action: 'list' });
  const { canAccess: canTransfer } = useCanAccess({ resource: 'stock-transfers', action: 'list' });
  return (
    <TopToolbar>
      {canReceive && (
        <Button component={Link} to="/stock-entry" label="mcart.stock.entry_button">
          <QrCodeScannerIcon />
        </Button>
      )}
      {canTransfer && (
        <Button component={Link} to="/stock-transfers" label="mcart.stock.transfer_menu_button">
          <MoveDownIcon />
        </Button>
      )}
    </TopToolbar>
  );
}

// Datagrid reads a column's header from its child's `label` prop and its cell's class from
// `cellClassName`: pass them where the field is used.
interface ColumnProps {
  label: string;
  cellClassName?: string;
}

const SkuField = (_props: ColumnProps) => (
  <ReferenceField source="variantId" reference="variants" link={false} sortable={false}>
    <TextField source="sku" />
  </ReferenceField>
);

const VariantField = (_props: ColumnProps) => (
  <ReferenceField source="variantId" reference="variants" link={false} sortable={false}>
    <FunctionField render={(variant: VariantRecord) => variantLabel(variant)} />
  </ReferenceField>
);

/** Out of stock in red, at or below the low-stock threshold in amber. */
const levelRowSx = (record: LevelRecord) =>
  record.available <= 0
    ? { backgroundColor: 'rgba(211, 47, 47, 0.08)' }
    : record.lowStockThreshold !== null && record.available <= record.lowStockThreshold
      ? { backgroundColor: 'rgba(237, 108, 2, 0.08)' }
      : {};

/**
 * A 1024px window (less the menu) shows the whole row, actions included, without scrolling sideways:
 * below `xl` the cells are closer together (and the actions are icons, see RowActionButton), below
 * `lg` "When" is left out (the history has every movement's time). A long SKU or title breaks
 * anywhere instead of widening its column.
 */
const levelGridSx = {
  '& .MuiTableCell-root': { px: { xs: 1, xl: 2 } },
  '& .column-updatedAt': { display: { xs: 'none', lg: 'table-cell' } },
  '& td.wrap-anywhere': { overflowWrap: 'anywhere', minWidth: 80 },
} as const;

/**
 * Stock by variant and location, with the low/out-of-stock filters; a row opens its history.
 * `storeKey={false}`: "Stock levels" and "Low stock" are two menu entries on this one list, and a
 * remembered low-stock filter made "Stock levels" open on the (often empty) low-stock list.
 */
export function StockLevelList() {
  return (
    <List
      filters={levelFilters}
      actions={<LevelActions />}
      sort={{ field: 'available', order: 'ASC' }}
      perPage={50}
      exporter={false}
      storeKey={false}
    >
      <Datagrid
        bulkActionButtons={false}
        rowClick={(_id, _resource, record) => historyPath(String(record.variantId))}
        rowSx={(record) => levelRowSx(record as LevelRecord)}
        sx={levelGridSx}
      >
        <SkuField label="mcart.stock.sku" cellClassName="wrap-anywhere" />
        <VariantField label="mcart.stock.variant" cellClassName="wrap-anywhere" />
        <TextField source="locationName" label="mcart.inventory.location" sortable={false} />
        <NumberField source="onHand" label="mcart.inventory.on_hand" />
        <NumberField source="reserved" label="mcart.inventory.reserved" />
        <NumberField source="available" label="mcart.inventory.available" />
        <NumberField source="lowStockThreshold" label="mcart.inventory.threshold" sortable={false} />
        <DateField source="updatedAt" label="mcart.inventory.updated_at" showTime />
        <HistoryButton />
        <ThresholdButton />
      </Datagrid>
    </List>
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
].map((id) => ({ id, name: `mcart.inventory.kind.${id}` }));

const movementFilters = [
  variantFilter('variantId'),
  locationFilter('locationId'),
  <SelectInput key="kind" source="kind" choices={kinds} label="mcart.inventory.kind_label" />,
];

/** The ledger: every stock change with its reason, staff member or order (newest first). */
export function StockMovementList() {
  return (
    <List
      filters={movementFilters}
      actions={
        <TopToolbar>
          <FilterButton />
        </TopToolbar>
      }
      sort={{ field: 'id', order: 'DESC' }}
      perPage={50}
      exporter={false}
    >
      <Datagrid bulkActionButtons={false} rowClick={false} sx={compactTableSx}>
        <DateField source="createdAt" label="mcart.inventory.updated_at" showTime sortable={false} />
        <SkuField label="mcart.stock.sku" />
        <ReferenceField
          source="locationId"
          reference="stock-locations"
          link={false}
          label="mcart.inventory.location"
          sortable={false}
        >
          <TextField source="name" />
        </ReferenceField>
        <SelectField source="kind" choices={kinds} label="mcart.inventory.kind_label" sortable={false} />
        <NumberField source="onHandDelta" label="mcart.stock.on_hand_delta" sortable={false} />
        <NumberField source="reservedDelta" label="mcart.stock.reserved_delta" sortable={false} />
        <TextField source="reason" label="mcart.inventory.reason" sortable={false} emptyText="—" />
        {/* The order's number (the numbers of a page's orders come in one list request: getMany by id). */}
        <ReferenceField
          source="orderId"
          reference="orders"
          link="show"
          label="mcart.inventory.order"
          sortable={false}
          emptyText="—"
        >
          <TextField source="number" className="nowrap" />
        </ReferenceField>
      </Datagrid>
    </List>
  );
}
