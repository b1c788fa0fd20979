import BackupIcon from '@mui/icons-material/Backup';
import type { ResourceModule } from '../registry.ts';
import { BackupList } from './BackupList.tsx';

const backups: ResourceModule = {
  list: BackupList,
  icon: BackupIcon,
  recordRepresentation: 'fileName',
};
export default backups;
