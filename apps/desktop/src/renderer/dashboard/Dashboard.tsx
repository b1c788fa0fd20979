import { useEffect, useState } from 'react';
import { Box, Button, Card, CardContent, CardHeader, Chip, Stack, Typography } from '@mui/material';
import { Title, useGetIdentity, useTranslate } from 'react-admin';
import type { AppInfo } from '../../shared/ipc.ts';
import { useConnection } from '../connection/ConnectionContext.tsx';
import { useServerProbe, type ProbeState } from './useServerProbe.ts';

function ProbeRow({ label, state, upKey, downKey }: { label: string; state: ProbeState; upKey: string; downKey: string }) {
  const translate = useTranslate();
  const text =
    state.phase === 'checking' ? translate('mcart.dashboard.status_checking') : translate(state.ok ? upKey : downKey);
  const color = state.phase === 'checking' ? 'default' : state.ok ? 'success' : 'error';
  return (
    <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
      <Typography sx={{ minWidth: 140 }} color="text.secondary">
        {label}
      </Typography>
      <Chip label={text} color={color} size="small" aria-label={`${label}: ${text}`} />
      {state.phase === 'done' && (
        <Typography variant="caption" color="text.secondary">
          {state.status > 0 ? `HTTP ${state.status} · ` : ''}
          {translate('mcart.dashboard.checked_at', { time: state.checkedAt.toLocaleTimeString() })}
        </Typography>
      )}
    </Stack>
  );
}

export function Dashboard() {
  const translate = useTranslate();
  const { connection, http } = useConnection();
  const ready = useServerProbe(http, '/ready');
  const health = useServerProbe(http, '/health');
  const { identity } = useGetIdentity();
  const [appInfo, setAppInfo] = useState<AppInfo | null>(null);

  useEffect(() => {
    let active = true;
    connection.desktop?.getAppInfo().then((info) => active && setAppInfo(info), () => undefined);
    return () => {
      active = false;
    };
  }, [connection.desktop]);

  const role = typeof identity?.role === 'string' ? identity.role : null;

  return (
    <Box sx={{ display: 'grid', gap: 2, mt: 2, gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' } }}>
      <Title title={translate('mcart.dashboard.title')} />
      <Card component="section" aria-labelledby="dashboard-server">
        <CardHeader id="dashboard-server" title={translate('mcart.dashboard.server')} />
        <CardContent>
          <Stack spacing={1.5}>
            <Stack direction="row" spacing={2}>
              <Typography sx={{ minWidth: 140 }} color="text.secondary">
                {translate('mcart.dashboard.server_address')}
              </Typography>
              <Typography>{connection.origin ?? translate('mcart.dashboard.same_origin')}</Typography>
            </Stack>
            <ProbeRow label={translate('mcart.dashboard.health')} state={health.state} upKey="mcart.dashboard.status_up" downKey="mcart.dashboard.status_down" />
            <ProbeRow label={translate('mcart.dashboard.ready')} state={ready.state} upKey="mcart.dashboard.status_ready" downKey="mcart.dashboard.status_not_ready" />
            <Box>
              <Button
                size="small"
                onClick={() => {
                  ready.recheck();
                  health.recheck();
                }}
              >
                {translate('mcart.dashboard.refresh')}
              </Button>
            </Box>
          </Stack>
        </CardContent>
      </Card>
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
              <Typography data-testid="staff-role">{role ? translate(`mcart.role.${role}`, { _: role }) : '…'}</Typography>
            </Stack>
            {appInfo && (
              <Typography variant="caption" color="text.secondary">
                {translate('mcart.dashboard.app')}: {translate('mcart.dashboard.version', { version: appInfo.version, electron: appInfo.electron })}
              </Typography>
            )}
          </Stack>
        </CardContent>
      </Card>
    </Box>
  );
}
