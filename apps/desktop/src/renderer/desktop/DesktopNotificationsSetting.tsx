import { useEffect, useState } from 'react';
import { Card, CardContent, CardHeader, FormControlLabel, Switch, Typography } from '@mui/material';
import { useNotify, useTranslate } from 'react-admin';
import type { DesktopBridge } from '../../shared/ipc.ts';

/** Settings: OS notifications for new orders and low stock (desktop app only; in-app ones always show). */
export function DesktopNotificationsSetting({ bridge }: { bridge: DesktopBridge }) {
  const translate = useTranslate();
  const notify = useNotify();
  const [enabled, setEnabled] = useState<boolean | null>(null);

  useEffect(() => {
    let active = true;
    void bridge.getSettings().then(
      (settings) => active && setEnabled(settings.desktopNotifications),
      () => undefined,
    );
    return () => {
      active = false;
    };
  }, [bridge]);

  if (!bridge.setDesktopNotifications) return null;
  return (
    <Card component="section">
      <CardHeader title={translate('mcart.desktop.notifications_title')} />
      <CardContent sx={{ pt: 0 }}>
        <FormControlLabel
          control={
            <Switch
              checked={enabled ?? false}
              disabled={enabled === null}
              onChange={(event) => {
                const next = event.target.checked;
                setEnabled(next);
                bridge.setDesktopNotifications?.(next).then(
                  (settings) => setEnabled(settings.desktopNotifications),
                  (error: Error) => {
                    setEnabled(!next);
                    notify(error.message, { type: 'error' });
                  },
                );
              }}
            />
          }
          label={translate('mcart.desktop.notifications_label')}
        />
        <Typography variant="body2" color="text.secondary">
          {translate('mcart.desktop.notifications_help')}
        </Typography>
      </CardContent>
    </Card>
  );
}
