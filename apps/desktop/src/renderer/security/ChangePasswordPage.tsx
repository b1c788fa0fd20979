import { useCallback, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  Chip,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@mui/material';
import { Title, useGetIdentity, useLocaleState, useNotify, useTranslate } from 'react-admin';
import { useConnection } from '../connection/ConnectionContext.tsx';
import type { AuthTokens } from '../auth/tokenStore.ts';

export const CHANGE_PASSWORD_PATH = '/change-password';

const PASSWORD_PATH = '/api/admin/auth/password';
const SESSIONS_PATH = '/api/admin/auth/sessions';
/** The server's bounds (NIST 800-63B: length only). */
const MIN_LENGTH = 8;
const MAX_LENGTH = 128;

/** `SessionDto` */
interface StaffSession {
  id: string;
  createdAt: string;
  lastUsedAt: string;
  userAgent: string | null;
  ip: string | null;
  current: boolean;
}

type Field = 'currentPassword' | 'newPassword' | 'confirm';
type FieldErrors = Partial<Record<Field, string>>;

interface ProblemLike {
  status?: number;
  message?: string;
  body?: { code?: string; fieldErrors?: { path: string; message: string }[] };
}

/** Whether the signed-in member must replace a password an owner or admin gave them (a new account, a reset). */
export const mustChangePassword = (identity: unknown): boolean =>
  (identity as { passwordChangeRequired?: unknown } | undefined)?.passwordChangeRequired === true;

/**
 * Keeps a member whose password was reset on the change screen until they have chosen their own: every other
 * screen sends them there (the server's sign-in answer and `/me` say `passwordChangeRequired`).
 */
export function PasswordChangeGate({ children }: { children: ReactNode }) {
  const { identity } = useGetIdentity();
  const location = useLocation();
  if (mustChangePassword(identity) && location.pathname !== CHANGE_PASSWORD_PATH)
    return <Navigate to={CHANGE_PASSWORD_PATH} replace />;
  return <>{children}</>;
}

/** Current password, new one twice: the server ends every session and answers a fresh pair for this one. */
function ChangePasswordForm({ forced, onChanged }: { forced: boolean; onChanged: () => Promise<void> }) {
  const translate = useTranslate();
  const notify = useNotify();
  const { http, tokens } = useConnection();
  const [values, setValues] = useState<Record<Field, string>>({
    currentPassword: '',
    newPassword: '',
    confirm: '',
  });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);

  const set = (field: Field) => (event: { target: { value: string } }) => {
    setValues((previous) => ({ ...previous, [field]: event.target.value }));
    setErrors((previous) => ({ ...previous, [field]: undefined }));
  };

  const check = (): FieldErrors => {
    const found: FieldErrors = {};
    if (!values.currentPassword) found.currentPassword = translate('ra.validation.required');
    if (values.newPassword.length < MIN_LENGTH || values.newPassword.length > MAX_LENGTH)
      found.newPassword = translate('mcart.security.password_length', { min: MIN_LENGTH, max: MAX_LENGTH });
    else if (values.newPassword === values.currentPassword)
      found.newPassword = translate('mcart.security.password_same');
    if (values.confirm !== values.newPassword) found.confirm = translate('mcart.security.password_mismatch');
    return found;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = check();
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      const { body } = await http.request<AuthTokens>(PASSWORD_PATH, {
        method: 'POST',
        body: { currentPassword: values.currentPassword, newPassword: values.newPassword },
      });
      // Every earlier session ended with the change, this one too: carry on with the fresh pair.
      tokens?.set({ accessToken: body.accessToken, refreshToken: body.refreshToken });
      setValues({ currentPassword: '', newPassword: '', confirm: '' });
      notify('mcart.security.password_changed', { type: 'success' });
      await onChanged();
    } catch (error) {
      const problem = error as ProblemLike;
      const code = problem.body?.code;
      if (code === 'MCART_ERR_WRONG_PASSWORD')
        setErrors({ currentPassword: translate('mcart.security.password_wrong') });
      else if (code === 'MCART_ERR_WEAK_PASSWORD' || code === 'MCART_ERR_VALIDATION')
        setErrors({ newPassword: problem.message || translate('mcart.security.failed') });
      else if (problem.status === 429) notify('mcart.auth.too_many_attempts', { type: 'error' });
      else notify(problem.message || 'mcart.security.failed', { type: 'error' });
    } finally {
      setBusy(false);
    }
  };

  const field = (name: Field, label: string, autoComplete: string) => (
    <TextField
      key={name}
      type="password"
      size="small"
      name={name}
      label={translate(label)}
      value={values[name]}
      onChange={set(name)}
      error={Boolean(errors[name])}
      helperText={errors[name] ?? ' '}
      autoComplete={autoComplete}
      slotProps={{ htmlInput: { maxLength: MAX_LENGTH, 'data-testid': `password-${name}` } }}
    />
  );

  return (
    <Card sx={{ mb: 2 }}>
      <CardContent>
        <Typography variant="h6">{translate('mcart.security.password_title')}</Typography>
        {forced && (
          <Alert severity="warning" sx={{ my: 2 }} data-testid="password-change-required">
            {translate('mcart.security.password_required')}
          </Alert>
        )}
        <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
          {translate('mcart.security.password_hint', { min: MIN_LENGTH })}
        </Typography>
        <Box component="form" noValidate onSubmit={(event) => void submit(event)} sx={{ maxWidth: 360 }}>
          <Stack spacing={1}>
            {field('currentPassword', 'mcart.security.password_current', 'current-password')}
            {field('newPassword', 'mcart.security.password_new', 'new-password')}
            {field('confirm', 'mcart.security.password_confirm', 'new-password')}
            <Box>
              <Button type="submit" variant="contained" disabled={busy}>
                {translate('mcart.security.password_submit')}
              </Button>
            </Box>
          </Stack>
        </Box>
      </CardContent>
    </Card>
  );
}

/** The member's signed-in devices; any but this one can be signed out. */
function SessionsCard({ reloadKey }: { reloadKey: number }) {
  const translate = useTranslate();
  const notify = useNotify();
  const [locale] = useLocaleState();
  const { http } = useConnection();
  const [sessions, setSessions] = useState<StaffSession[] | null>(null);
  const load = useCallback(async () => {
    try {
      setSessions((await http.request<{ data: StaffSession[] }>(SESSIONS_PATH)).body.data);
    } catch (error) {
      notify((error as Error).message || 'mcart.security.failed', { type: 'error' });
    }
  }, [http, notify]);
  useEffect(() => {
    void load();
  }, [load, reloadKey]);
  const end = async (session: StaffSession) => {
    try {
      await http.request(`${SESSIONS_PATH}/${encodeURIComponent(session.id)}`, { method: 'DELETE' });
      notify('mcart.security.session_ended', { type: 'success' });
    } catch (error) {
      notify((error as Error).message || 'mcart.security.failed', { type: 'error' });
    }
    await load();
  };
  const when = (iso: string) => new Date(iso).toLocaleString(locale);
  return (
    <Card sx={{ mb: 2 }}>
      <CardContent>
        <Typography variant="h6">{translate('mcart.security.sessions_title')}</Typography>
        <Table size="small" data-testid="staff-sessions">
          <TableHead>
            <TableRow>
              <TableCell>{translate('mcart.security.session_device')}</TableCell>
              <TableCell>{translate('mcart.security.session_ip')}</TableCell>
              <TableCell>{translate('mcart.security.session_started')}</TableCell>
              <TableCell>{translate('mcart.security.session_last_used')}</TableCell>
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {(sessions ?? []).map((session) => (
              <TableRow key={session.id} data-testid="staff-session">
                <TableCell sx={{ maxWidth: 320, overflowWrap: 'anywhere' }}>
                  {session.userAgent ?? '—'}{' '}
                  {session.current && (
                    <Chip size="small" color="primary" label={translate('mcart.security.session_current')} />
                  )}
                </TableCell>
                <TableCell>{session.ip ?? '—'}</TableCell>
                <TableCell>{when(session.createdAt)}</TableCell>
                <TableCell>{when(session.lastUsedAt)}</TableCell>
                <TableCell align="right">
                  {!session.current && (
                    <Button size="small" color="error" onClick={() => void end(session)}>
                      {translate('mcart.security.session_end')}
                    </Button>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </CardContent>
    </Card>
  );
}

/** "Change password" from the user menu, and the screen a member with a reset password is kept on. */
export function ChangePasswordPage() {
  const translate = useTranslate();
  const navigate = useNavigate();
  const { identity, refetch } = useGetIdentity();
  const forced = mustChangePassword(identity);
  const [reloadKey, setReloadKey] = useState(0);
  const changed = async () => {
    await refetch();
    setReloadKey((key) => key + 1);
    if (forced) navigate('/', { replace: true });
  };
  return (
    <Box sx={{ mt: 2 }}>
      <Title title={translate('mcart.security.password_title')} />
      <ChangePasswordForm forced={forced} onChanged={changed} />
      {!forced && <SessionsCard reloadKey={reloadKey} />}
    </Box>
  );
}
