import HistoryEduIcon from '@mui/icons-material/HistoryEdu';
import type { ResourceModule } from '../registry.ts';
import { AuditList } from './AuditList.tsx';

/** The audit log (audit:read): list with filters, nothing else. */
const audit: ResourceModule = { list: AuditList, icon: HistoryEduIcon };
export default audit;
