import ReceiptIcon from '@mui/icons-material/Receipt';
import type { ResourceModule } from '../registry.ts';
import { OrderList } from './OrderList.tsx';
import { OrderShow } from './OrderShow.tsx';

const orders: ResourceModule = {
  list: OrderList,
  show: OrderShow,
  icon: ReceiptIcon,
  recordRepresentation: 'number',
};
export default orders;
