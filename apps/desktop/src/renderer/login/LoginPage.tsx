import { useState } from 'react';
import { Box, Button, CardContent, CircularProgress, Typography } from '@mui/material';
import { useQueryClient } from '@tanstack/react-query';
import {
  Form,
  Login,
  PasswordInput,
  required,
  TextInput,
  useBasename,
  useLogin,
  useNavigate,
  useNotify,
  useTranslate,
} from 'react-admin';
import { AUTH_PATHS, SecondFactorRequired } from '../auth/authProvider.ts';
import type { AuthTokens } from '../auth/tokenStore.ts';
import { useConnection } from '../connection/ConnectionContext.tsx';
import { ServerSettingsForm } from '../settings/ServerSettingsForm.tsx';
import { TotpEnrollment, type Enrollment } from '../security/TotpEnrollment.tsx';
import { RecoveryCodes } from '../security/RecoveryCodes.tsx';

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
 * `StaffTotpLoginDto`: the session, plus the new recovery codes when this step confirmed an enrollment, or
 * how many are left when a recovery code signed in.
 */
interface CodeSignIn extends AuthTokens {
  staff: { id: string; email: string };
  recoveryCodes?: string[];
  recoveryCodesRemaining?: number;
}

/** Below this many recovery codes left, the sign-in says so as a warning. */
const FEW_RECOVERY_CODES = 3;

/** The server's refusal of a second-step code, as a message key (the same ones the auth provider uses). */
function codeErrorMessage(error: unknown): string {
  const { status, body } = error as { status?: number; body?: { code?: string } };
  if (body?.code === 'MCART_ERR_INVALID_CHALLENGE') return 'mcart.security.challenge_expired';
  if (body?.code === 'MCART_ERR_INVALID_RECOVERY_CODE') return 'mcart.security.invalid_recovery_code';
  if (status === 429) return 'mcart.auth.too_many_attempts';
  if (status === 401 || status === 400) return 'mcart.security.invalid_code';
  return errorMessage(error);
}

/**
 * Signing in with what the auth provider's `login` would drop: the recovery codes of an enrollment (shown
 * before the session starts) and the count left after a recovery code. The session is stored and the app
 * opened as react-admin's `useLogin` does.
 */
function useCodeSignIn(challenge: string) {
  const { http, tokens } = useConnection();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const basename = useBasename();
  const answer = async (code: string): Promise<CodeSignIn> =>
    (
      await http.request<CodeSignIn>(AUTH_PATHS.totp, {
        method: 'POST',
        body: { challenge, code: code.trim() },
        auth: false,
      })
    ).body;
  const open = (session: CodeSignIn) => {
    if (!tokens) throw new Error('ra.auth.sign_in_error');
    tokens.set({ accessToken: session.accessToken, refreshToken: session.refreshToken });
    void queryClient.invalidateQueries({ queryKey: ['auth', 'getPermissions'] });
    navigate(`${basename}/`.replace(/\/+$/, '/'));
  };
  return { answer, open };
}

/**
 * The code from the authenticator app, or (when the phone is lost) one of the recovery codes. With
 * `totp_enroll` (the owner requires TOTP and this member has none yet) it first shows the new secret and QR
 * code; the first code both confirms it and signs in, after the new recovery codes were shown once.
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
  const { answer, open } = useCodeSignIn(step.challenge);
  const [loading, setLoading] = useState(false);
  const [useRecovery, setUseRecovery] = useState(false);
  /** Enrolled at sign-in: the recovery codes to show, and the session that waits for "I saved them". */
  const [enrolled, setEnrolled] = useState<CodeSignIn | null>(null);
  const enrolling = step.kind === 'totp_enroll';
  const startEnrollment = async (): Promise<Enrollment> =>
    (
      await http.request<Enrollment>(AUTH_PATHS.totpEnroll, {
        method: 'POST',
        body: { challenge: step.challenge },
        auth: false,
      })
    ).body;
  const fail = (message: string) => {
    notify(message, { type: 'error' });
    if (message === 'mcart.security.challenge_expired') onRestart();
  };
  const submit = (values: Record<string, unknown>) => {
    const code = String(values.code ?? '');
    setLoading(true);
    let pending: Promise<unknown>;
    if (enrolling) {
      pending = answer(code).then((session) => {
        if (session.recoveryCodes?.length) setEnrolled(session);
        else open(session);
      });
    } else if (useRecovery) {
      pending = answer(code).then((session) => {
        open(session);
        const left = session.recoveryCodesRemaining ?? 0;
        notify('mcart.security.recovery_used', {
          type: left < FEW_RECOVERY_CODES ? 'warning' : 'info',
          messageArgs: { smart_count: left },
          autoHideDuration: 10_000,
        });
      });
    } else {
      pending = login({ challenge: step.challenge, code });
    }
    pending
      .catch((error: unknown) =>
        fail(enrolling || useRecovery ? codeErrorMessage(error) : errorMessage(error)),
      )
      .finally(() => setLoading(false));
  };

  if (enrolled) {
    return (
      <CardContent sx={{ width: 340 }}>
        <Typography variant="body2" sx={{ mb: 1 }}>
          {translate('mcart.security.enabled_done')}
        </Typography>
        <RecoveryCodes
          codes={enrolled.recoveryCodes ?? []}
          account={enrolled.staff.email}
          doneLabel="mcart.security.recovery_continue"
          onDone={() => open(enrolled)}
        />
      </CardContent>
    );
  }

  return (
    // A new form per kind of code: the field's constraints differ.
    <Form key={useRecovery ? 'recovery' : 'totp'} onSubmit={submit} mode="onChange" noValidate>
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
            {translate(useRecovery ? 'mcart.security.enter_recovery_code' : 'mcart.security.enter_code')}
          </Typography>
        )}
        {useRecovery ? (
          <TextInput
            autoFocus
            source="code"
            label={translate('mcart.security.recovery_code')}
            autoComplete="off"
            slotProps={{ htmlInput: { spellCheck: false, autoCapitalize: 'none', maxLength: 20 } }}
            validate={required()}
          />
        ) : (
          <TextInput
            autoFocus={!enrolling}
            source="code"
            label={translate('mcart.security.code')}
            autoComplete="one-time-code"
            slotProps={{ htmlInput: { inputMode: 'numeric', pattern: '[0-9]*', maxLength: 6 } }}
            validate={required()}
          />
        )}
        <SubmitButton loading={loading} label={translate('mcart.security.verify')} />
        {!enrolling && (
          <Button size="small" fullWidth sx={{ mt: 1 }} onClick={() => setUseRecovery(!useRecovery)}>
            {translate(useRecovery ? 'mcart.security.use_app_code' : 'mcart.security.use_recovery_code')}
          </Button>
        )}
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
