import LocalShippingIcon from '@mui/icons-material/LocalShipping';
import type { ResourceModule } from '../registry.ts';
import { ShipmentList } from './ShipmentList.tsx';
import { ShipmentShow } from './ShipmentShow.tsx';

const shipments: ResourceModule = {
  list: ShipmentList,
  show: ShipmentShow,
  icon: LocalShippingIcon,
  recordRepresentation: (record) => `${String(record.orderNumber)} · ${String(record.trackingNumber)}`,
};
export default shipments;
