import ForwardToInboxIcon from '@mui/icons-material/ForwardToInbox';
import type { ResourceModule } from '../registry.ts';
import { OutgoingMailList } from './OutgoingMailList.tsx';

/**
 * Customer e-mails as the queue holds them (ADR 0071): listed with customers:read, retried with customers:write.
 * Whatever the transport: with SMTP the mailbox is empty, and this is where a bounced confirmation shows.
 */
const outgoingMail: ResourceModule = { list: OutgoingMailList, icon: ForwardToInboxIcon };
export default outgoingMail;
