import { useState } from 'react';
import { Box, Button, Card, CardHeader, Typography } from '@mui/material';
import { Title, useTranslate } from 'react-admin';
import { useConnection } from '../connection/ConnectionContext.tsx';
import { ServerStatusCard } from '../dashboard/ServerStatusCard.tsx';
import { ServerSettingsForm } from './ServerSettingsForm.tsx';
import { DesktopNotificationsSetting } from '../desktop/DesktopNotificationsSetting.tsx';

export const CONNECTION_PATH = '/connection';

/** Settings → Server connection: where the app talks to, and (desktop) switching servers. */
export function ConnectionPage() {
  const translate = useTranslate();
  const { connection } = useConnection();
  const [editing, setEditing] = useState(false);
  const { desktop, origin } = connection;
  return (
    <Box sx={{ display: 'grid', gap: 2, mt: 2, maxWidth: 720 }}>
      <Title title={translate('mcart.server.title')} />
      <ServerStatusCard />
      {desktop && (
        <Card component="section">
          <CardHeader title={translate('mcart.server.title')} />
          {editing ? (
            <ServerSettingsForm bridge={desktop} current={origin} onCancel={() => setEditing(false)} />
          ) : (
            <Box sx={{ px: 2, pb: 2 }}>
              <Typography sx={{ mb: 1 }}>
                {translate('mcart.server.current', { origin: origin ?? '—' })}
              </Typography>
              <Button variant="outlined" onClick={() => setEditing(true)}>
                {translate('mcart.server.change')}
              </Button>
            </Box>
          )}
        </Card>
      )}
      {desktop && <DesktopNotificationsSetting bridge={desktop} />}
    </Box>
  );
}
