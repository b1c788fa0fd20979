import PeopleIcon from '@mui/icons-material/People';
import type { ResourceModule } from '../registry.ts';
import { CustomerList } from './CustomerList.tsx';
import { CustomerShow } from './CustomerShow.tsx';
import type { CustomerRecord } from './types.ts';

/** Customers: search, detail with decrypted addresses and orders, disable/enable, data export and erasure. */
const customers: ResourceModule = {
  list: CustomerList,
  show: CustomerShow,
  icon: PeopleIcon,
  recordRepresentation: (record: CustomerRecord) =>
    `${record.firstName} ${record.lastName}`.trim() || record.email || record.id,
};
export default customers;
