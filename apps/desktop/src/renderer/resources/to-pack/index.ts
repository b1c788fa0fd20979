import InventoryIcon from '@mui/icons-material/Inventory';
import type { ResourceModule } from '../registry.ts';
import { PackingPage } from './PackingPage.tsx';
import { ToPackList } from './ToPackList.tsx';

/**
 * The packing queue. Not a CRUD resource on the server (`GET /api/admin/shipping/to-pack`): the
 * list is the queue and the "edit" route (`/to-pack/:id`, needs shipping:write) packs one order.
 */
const toPack: ResourceModule = {
  list: ToPackList,
  edit: PackingPage,
  icon: InventoryIcon,
  recordRepresentation: 'number',
};
export default toPack;
