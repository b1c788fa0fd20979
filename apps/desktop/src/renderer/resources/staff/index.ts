import BadgeIcon from '@mui/icons-material/Badge';
import type { ResourceModule } from '../registry.ts';
import { StaffCreate } from './StaffCreate.tsx';
import { StaffEdit } from './StaffEdit.tsx';
import { StaffList } from './StaffList.tsx';
import type { StaffRecord } from './types.ts';

/** Staff accounts: list (staff:read), create and change role / disable (staff:manage). No delete. */
const staff: ResourceModule = {
  list: StaffList,
  create: StaffCreate,
  edit: StaffEdit,
  icon: BadgeIcon,
  recordRepresentation: (record: StaffRecord) =>
    `${record.firstName} ${record.lastName}`.trim() || record.email,
};
export default staff;
