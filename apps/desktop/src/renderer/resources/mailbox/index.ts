import MailIcon from '@mui/icons-material/Mail';
import type { ResourceModule } from '../registry.ts';
import { MailboxList } from './MailboxList.tsx';
import { MailboxShow } from './MailboxShow.tsx';

const mailbox: ResourceModule = {
  list: MailboxList,
  show: MailboxShow,
  icon: MailIcon,
  recordRepresentation: 'subject',
};
export default mailbox;
