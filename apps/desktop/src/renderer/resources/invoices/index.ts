import ReceiptLongIcon from '@mui/icons-material/ReceiptLong';
import type { ResourceModule } from '../registry.ts';
import { InvoiceList } from './InvoiceList.tsx';

const invoices: ResourceModule = {
  list: InvoiceList,
  icon: ReceiptLongIcon,
  recordRepresentation: 'number',
};
export default invoices;
