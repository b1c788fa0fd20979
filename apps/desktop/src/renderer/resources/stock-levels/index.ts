import InventoryIcon from '@mui/icons-material/Inventory';
import HistoryIcon from '@mui/icons-material/History';
import type { ResourceModule } from '../registry.ts';
import { StockLevelList, StockMovementList } from './StockLevelList.tsx';

/** Stock by location with low/out-of-stock filters; a row opens the variant's history. */
export const stockLevels: ResourceModule = { list: StockLevelList, icon: InventoryIcon };
/** Movement history (the ledger). */
export const stockMovements: ResourceModule = { list: StockMovementList, icon: HistoryIcon };
