import MoveDownIcon from '@mui/icons-material/MoveDown';
import QrCodeScannerIcon from '@mui/icons-material/QrCodeScanner';
import WarehouseIcon from '@mui/icons-material/Warehouse';
import type { ResourceModule } from '../registry.ts';
import { LocationCreate, LocationEdit, LocationList } from './LocationViews.tsx';
import { requireListAccess } from './RequireListAccess.tsx';
import { StockEntryPage } from './StockEntryPage.tsx';
import { TransferPage } from './TransferPage.tsx';

/**
 * Scan-to-receive and adjust (`/stock-entry`) and transfers (`/stock-transfers`) are screens, not
 * server resources: their "list" route is the form, registered with the exact permission they post
 * with (`inventory:write`), so roles without it see neither the menu entry nor the page.
 */
export const stockEntry: ResourceModule = {
  list: requireListAccess('stock-entry', StockEntryPage),
  icon: QrCodeScannerIcon,
};
export const stockTransfers: ResourceModule = {
  list: requireListAccess('stock-transfers', TransferPage),
  icon: MoveDownIcon,
};
/** Stock locations (warehouses): list, create, edit, deactivate. */
export const stockLocations: ResourceModule = {
  list: LocationList,
  create: LocationCreate,
  edit: LocationEdit,
  icon: WarehouseIcon,
  recordRepresentation: 'name',
};
