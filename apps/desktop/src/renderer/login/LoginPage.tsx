import { useState } from 'react';
import { Box, Button, CardContent, CircularProgress, Typography } from '@mui/material';
import {
  Form,
  Login,
  PasswordInput,
  required,
  TextInput,
  useLogin,
  useNotify,
  useTranslate,
} from 'react-admin';
import { SecondFactorRequired } from '../auth/authProvider.ts';
import { useConnection } from '../connection/ConnectionContext.tsx';
import { ServerSettingsForm } from '../settings/ServerSettingsForm.tsx';
import { TotpEnrollment, type Enrollment } from '../security/TotpEnrollment.tsx';

type Step = { kind: 'password' } | { kind: 'totp' | 'totp_enroll'; challenge: string };

const errorMessage = (error: unknown) =>
  typeof error === 'string' ? error : (error as Error | undefined)?.message || 'ra.auth.sign_in_error';

function SubmitButton({ loading, label }: { loading: boolean; label: string }) {
  return (
    <Button variant="contained" type="submit" disabled={loading} fullWidth sx={{ mt: 2 }}>
      {loading ? <CircularProgress size={19} thickness={3} /> : label}
    </Button>
  );
}

/** E-mail and password; a `SecondFactorRequired` answer moves on to the code. */
function PasswordStep({ onSecondFactor }: { onSecondFactor: (step: Step) => void }) {
  const translate = useTranslate();
  const login = useLogin();
  const notify = useNotify();
  const [loading, setLoading] = useState(false);
  const submit = (values: Record<string, unknown>) => {
    setLoading(true);
    login(values)
      .catch((error: unknown) => {
        if (error instanceof SecondFactorRequired) {
          onSecondFactor({ kind: error.next, challenge: error.challenge });
        } else {
          notify(errorMessage(error), { type: 'error' });
        }
      })
      .finally(() => setLoading(false));
  };
  return (
    <Form onSubmit={submit} mode="onChange" noValidate>
      <CardContent sx={{ width: 300 }}>
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
        <SubmitButton loading={loading} label={translate('ra.auth.sign_in')} />
      </CardContent>
    </Form>
  );
}

/**
 * The code from the authenticator app. With `totp_enroll` (the owner requires TOTP and this member has
 * none yet) it first shows the new secret and QR code; the first code both confirms it and signs in.
 */
function CodeStep({
  step,
  onRestart,
}: {
  step: Extract<Step, { challenge: string }>;
  onRestart: () => void;
}) {
  const translate = useTranslate();
  const login = useLogin();
  const notify = useNotify();
  const { http } = useConnection();
  const [loading, setLoading] = useState(false);
  const enrolling = step.kind === 'totp_enroll';
  const startEnrollment = async (): Promise<Enrollment> =>
    (
      await http.request<Enrollment>('/api/admin/auth/totp/enroll', {
        method: 'POST',
        body: { challenge: step.challenge },
        auth: false,
      })
    ).body;
  const submit = (values: Record<string, unknown>) => {
    setLoading(true);
    login({ challenge: step.challenge, code: String(values.code ?? '') })
      .catch((error: unknown) => {
        const message = errorMessage(error);
        notify(message, { type: 'error' });
        if (message === 'mcart.security.challenge_expired') onRestart();
      })
      .finally(() => setLoading(false));
  };
  return (
    <Form onSubmit={submit} mode="onChange" noValidate>
      <CardContent sx={{ width: enrolling ? 340 : 300 }}>
        {enrolling ? (
          <>
            <Typography variant="body2" sx={{ mb: 1 }}>
              {translate('mcart.security.enroll_required')}
            </Typography>
            <TotpEnrollment start={startEnrollment} />
          </>
        ) : (
          <Typography variant="body2" sx={{ mb: 1 }}>
            {translate('mcart.security.enter_code')}
          </Typography>
        )}
        <TextInput
          autoFocus={!enrolling}
          source="code"
          label={translate('mcart.security.code')}
          autoComplete="one-time-code"
          slotProps={{ htmlInput: { inputMode: 'numeric', pattern: '[0-9]*', maxLength: 6 } }}
          validate={required()}
        />
        <SubmitButton loading={loading} label={translate('mcart.security.verify')} />
        <Button size="small" fullWidth sx={{ mt: 1 }} onClick={onRestart}>
          {translate('mcart.security.back_to_password')}
        </Button>
      </CardContent>
    </Form>
  );
}

/**
 * react-admin's login screen with the MCart credentials (`email`, not react-admin's `username`), then,
 * for members with TOTP, the code. In the desktop app it also says which server it signs in to, and
 * asks for one first.
 */
export function LoginPage() {
  const translate = useTranslate();
  const { connection } = useConnection();
  const [editingServer, setEditingServer] = useState(false);
  const [step, setStep] = useState<Step>({ kind: 'password' });
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
      {step.kind === 'password' ? (
        <PasswordStep onSecondFactor={setStep} />
      ) : (
        <CodeStep key={step.challenge} step={step} onRestart={() => setStep({ kind: 'password' })} />
      )}
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
