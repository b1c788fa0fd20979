import NotificationsActiveIcon from '@mui/icons-material/NotificationsActive';
import type { ResourceModule } from '../registry.ts';
import { StockAlertList } from './StockAlertList.tsx';

/** Restock requests (inventory:read): per variant, how many shoppers wait for a back-in-stock e-mail. */
const stockAlerts: ResourceModule = { list: StockAlertList, icon: NotificationsActiveIcon };
export default stockAlerts;
