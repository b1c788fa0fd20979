import { useState } from 'react';
import { Box, Button, Typography } from '@mui/material';
import { Login, LoginForm, PasswordInput, required, TextInput, useTranslate } from 'react-admin';
import { useConnection } from '../connection/ConnectionContext.tsx';
import { ServerSettingsForm } from '../settings/ServerSettingsForm.tsx';

/**
 * react-admin's login screen with the MCart credentials (`email`, not react-admin's `username`).
 * In the desktop app it also says which server it signs in to, and asks for one first.
 */
export function LoginPage() {
  const translate = useTranslate();
  const { connection } = useConnection();
  const [editingServer, setEditingServer] = useState(false);
  const { desktop, origin } = connection;

  if (desktop && (!origin || editingServer)) {
    return (
      <Login>
        <ServerSettingsForm
          bridge={desktop}
          current={origin}
          onCancel={origin ? () => setEditingServer(false) : undefined}
        />
      </Login>
    );
  }

  return (
    <Login>
      <LoginForm>
        <TextInput
          autoFocus
          source="email"
          type="email"
          label={translate('mcart.auth.email')}
          autoComplete="username"
          validate={required()}
        />
        <PasswordInput
          source="password"
          label={translate('mcart.auth.password')}
          autoComplete="current-password"
          validate={required()}
        />
      </LoginForm>
      {desktop && origin && (
        <Box sx={{ px: 2, pb: 2, textAlign: 'center' }}>
          <Typography variant="caption" component="p">
            {translate('mcart.server.current', { origin })}
          </Typography>
          <Button size="small" onClick={() => setEditingServer(true)}>
            {translate('mcart.server.change')}
          </Button>
        </Box>
      )}
    </Login>
  );
}
