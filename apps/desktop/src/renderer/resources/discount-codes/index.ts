import ConfirmationNumberIcon from '@mui/icons-material/ConfirmationNumber';
import type { ResourceModule } from '../registry.ts';
import { DiscountCodeCreate, DiscountCodeEdit, DiscountCodeList } from './DiscountCodeViews.tsx';

const discountCodes: ResourceModule = {
  list: DiscountCodeList,
  create: DiscountCodeCreate,
  edit: DiscountCodeEdit,
  icon: ConfirmationNumberIcon,
  recordRepresentation: 'code',
};
export default discountCodes;
