import LocalOfferIcon from '@mui/icons-material/LocalOffer';
import type { ResourceModule } from '../registry.ts';
import { SaleCreate, SaleEdit, SaleList } from './SaleViews.tsx';

const sales: ResourceModule = {
  list: SaleList,
  create: SaleCreate,
  edit: SaleEdit,
  icon: LocalOfferIcon,
  recordRepresentation: 'name',
};
export default sales;
