import AssignmentReturnIcon from '@mui/icons-material/AssignmentReturn';
import type { ResourceModule } from '../registry.ts';
import { ReturnRequestList } from './ReturnRequestList.tsx';
import { ReturnRequestShow } from './ReturnRequestShow.tsx';

const returnRequests: ResourceModule = {
  list: ReturnRequestList,
  show: ReturnRequestShow,
  icon: AssignmentReturnIcon,
  recordRepresentation: 'number',
};
export default returnRequests;
