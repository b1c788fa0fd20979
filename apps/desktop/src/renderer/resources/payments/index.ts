import PaymentsIcon from '@mui/icons-material/Payments';
import type { ResourceModule } from '../registry.ts';
import { PaymentList } from './PaymentList.tsx';

const payments: ResourceModule = {
  list: PaymentList,
  icon: PaymentsIcon,
};
export default payments;
