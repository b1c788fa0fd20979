import { Box, Button, Card, CardContent, CardHeader, Chip, Stack, Typography } from '@mui/material';
import { useTranslate } from 'react-admin';
import { useConnection } from '../connection/ConnectionContext.tsx';
import { useServerProbe, type ProbeState } from './useServerProbe.ts';

function ProbeRow({
  label,
  state,
  upKey,
  downKey,
}: {
  label: string;
  state: ProbeState;
  upKey: string;
  downKey: string;
}) {
  const translate = useTranslate();
  const text =
    state.phase === 'checking'
      ? translate('mcart.dashboard.status_checking')
      : translate(state.ok ? upKey : downKey);
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

/** The server's address and what its /health and /ready endpoints answer right now. */
export function ServerStatusCard() {
  const translate = useTranslate();
  const { connection, http } = useConnection();
  const ready = useServerProbe(http, '/ready');
  const health = useServerProbe(http, '/health');
  return (
    <Card component="section" aria-labelledby="server-status">
      <CardHeader id="server-status" title={translate('mcart.dashboard.server')} />
      <CardContent>
        <Stack spacing={1.5}>
          <Stack direction="row" spacing={2}>
            <Typography sx={{ minWidth: 140 }} color="text.secondary">
              {translate('mcart.dashboard.server_address')}
            </Typography>
            <Typography>{connection.origin ?? translate('mcart.dashboard.same_origin')}</Typography>
          </Stack>
          <ProbeRow
            label={translate('mcart.dashboard.health')}
            state={health.state}
            upKey="mcart.dashboard.status_up"
            downKey="mcart.dashboard.status_down"
          />
          <ProbeRow
            label={translate('mcart.dashboard.ready')}
            state={ready.state}
            upKey="mcart.dashboard.status_ready"
            downKey="mcart.dashboard.status_not_ready"
          />
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
  );
}
