import AssessmentIcon from '@mui/icons-material/Assessment';
import type { ResourceModule } from '../registry.ts';
import { requireListAccess } from '../stock/RequireListAccess.tsx';
import { ReportsPage } from './ReportsPage.tsx';

/**
 * Sales reports (`/reports`) are a screen, not a server resource: its "list" route is the report page,
 * registered with `reports:read` (scope `reports`), so roles without it see neither the menu entry nor the page.
 */
const reports: ResourceModule = {
  list: requireListAccess('reports', ReportsPage),
  icon: AssessmentIcon,
};
export default reports;
