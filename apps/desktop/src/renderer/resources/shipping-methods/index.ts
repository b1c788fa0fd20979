import LocalPostOfficeIcon from '@mui/icons-material/LocalPostOffice';
import type { ResourceModule } from '../registry.ts';
import { ShippingMethodCreate, ShippingMethodEdit, ShippingMethodList } from './ShippingMethodViews.tsx';

/** Shipping methods and their rates: list, create, edit; deactivated rather than deleted. */
const shippingMethods: ResourceModule = {
  list: ShippingMethodList,
  create: ShippingMethodCreate,
  edit: ShippingMethodEdit,
  icon: LocalPostOfficeIcon,
  recordRepresentation: 'name',
};
export default shippingMethods;
