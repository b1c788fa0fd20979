import { useEffect, useState } from 'react';
import { Box, Card, CardContent, CardHeader, Stack, Typography } from '@mui/material';
import { Title, useGetIdentity, useTranslate } from 'react-admin';
import type { AppInfo } from '../../shared/ipc.ts';
import { useConnection } from '../connection/ConnectionContext.tsx';
import { SalesCards } from './SalesCards.tsx';
import { ServerStatusCard } from './ServerStatusCard.tsx';
import { FailedMailCard } from '../resources/outgoing-mail/FailedMailCard.tsx';

export function Dashboard() {
  const translate = useTranslate();
  const { connection } = useConnection();
  const { identity } = useGetIdentity();
  const [appInfo, setAppInfo] = useState<AppInfo | null>(null);

  useEffect(() => {
    let active = true;
    connection.desktop?.getAppInfo().then(
      (info) => active && setAppInfo(info),
      () => undefined,
    );
    return () => {
      active = false;
    };
  }, [connection.desktop]);

  const role = typeof identity?.role === 'string' ? identity.role : null;

  return (
    <Box sx={{ display: 'grid', gap: 2, mt: 2, gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' } }}>
      <Title title={translate('mcart.dashboard.title')} />
      <FailedMailCard />
      <SalesCards />
      <ServerStatusCard />
      <Card component="section" aria-labelledby="dashboard-identity">
        <CardHeader id="dashboard-identity" title={translate('mcart.dashboard.signed_in_as')} />
        <CardContent>
          <Stack spacing={1.5}>
            <Stack direction="row" spacing={2}>
              <Typography sx={{ minWidth: 140 }} color="text.secondary">
                {translate('mcart.dashboard.email')}
              </Typography>
              <Typography data-testid="staff-email">{identity?.fullName ?? '…'}</Typography>
            </Stack>
            <Stack direction="row" spacing={2}>
              <Typography sx={{ minWidth: 140 }} color="text.secondary">
                {translate('mcart.dashboard.role')}
              </Typography>
              <Typography data-testid="staff-role">
                {role ? translate(`mcart.role.${role}`, { _: role }) : '…'}
              </Typography>
            </Stack>
            {appInfo && (
              <Typography variant="caption" color="text.secondary">
                {translate('mcart.dashboard.app')}:{' '}
                {translate('mcart.dashboard.version', {
                  version: appInfo.version,
                  electron: appInfo.electron,
                })}
              </Typography>
            )}
          </Stack>
        </CardContent>
      </Card>
    </Box>
  );
}
