import { Alert, Button } from '@mui/material';
import { useCanAccess, useGetList, useTranslate } from 'react-admin';
import { Link } from 'react-router-dom';

/** The list of failed e-mails (its default filter, said in the address so a link lands on it). */
export const FAILED_MAIL_PATH = `/outgoing-mail?${new URLSearchParams({
  filter: JSON.stringify({ status: 'failed' }),
}).toString()}`;

/**
 * On the dashboard, for staff who may see customer e-mails: how many failed (a bounced confirmation, a relay that
 * refuses), with a way to them. Nothing when none did.
 */
export function FailedMailCard() {
  const translate = useTranslate();
  const { canAccess } = useCanAccess({ resource: 'outgoing-mail', action: 'list' });
  const { total } = useGetList(
    'outgoing-mail',
    {
      filter: { status: 'failed' },
      pagination: { page: 1, perPage: 1 },
      sort: { field: 'createdAt', order: 'DESC' },
    },
    { enabled: canAccess === true },
  );
  if (!canAccess || !total) return null;
  return (
    <Alert
      severity="warning"
      data-testid="failed-mail"
      sx={{ gridColumn: '1 / -1' }}
      action={
        <Button component={Link} to={FAILED_MAIL_PATH} color="inherit" size="small">
          {translate('resources.outgoing-mail.show_failed')}
        </Button>
      }
    >
      {translate('resources.outgoing-mail.failed_count', { smart_count: total })}
    </Alert>
  );
}
