import { useCallback, useEffect, useState } from 'react';
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  FormControlLabel,
  Stack,
  Switch,
  TextField,
  Typography,
} from '@mui/material';
import { Title, useCanAccess, useGetIdentity, useNotify, useTranslate } from 'react-admin';
import { useConnection } from '../connection/ConnectionContext.tsx';
import { TotpEnrollment, type Enrollment } from './TotpEnrollment.tsx';
import { RecoveryCodes, type RecoveryCodesAnswer } from './RecoveryCodes.tsx';

export const SECURITY_PATH = '/security';

/** `StaffTotpStatusDto` */
interface TotpStatus {
  enabled: boolean;
  pending: boolean;
  required: boolean;
  /** Unused recovery codes (absent from servers before recovery codes). */
  recoveryCodesRemaining?: number;
}

/** `TotpConfirmedDto`: the status, and the recovery codes shown once. */
interface TotpConfirmed extends TotpStatus {
  recoveryCodes?: string[];
}

/** Below this many codes left, the page suggests making new ones. */
const FEW_RECOVERY_CODES = 3;

const PROFILE_TOTP = '/api/admin/profile/totp';
const SECURITY_SETTINGS = '/api/admin/settings/security';

const messageOf = (error: unknown) => (error as Error | undefined)?.message || 'mcart.security.failed';

/** Six digits, typed or pasted. */
function CodeField({ value, onChange }: { value: string; onChange: (code: string) => void }) {
  const translate = useTranslate();
  return (
    <TextField
      size="small"
      label={translate('mcart.security.code')}
      value={value}
      autoComplete="one-time-code"
      onChange={(event) => onChange(event.target.value.replace(/\D/g, '').slice(0, 6))}
      slotProps={{ htmlInput: { inputMode: 'numeric', maxLength: 6 } }}
    />
  );
}

/**
 * The member's own second factor: enroll (QR once, confirm with a code, then the recovery codes once), make
 * new recovery codes or turn it off with a code.
 */
function OwnTotp() {
  const translate = useTranslate();
  const notify = useNotify();
  const { http } = useConnection();
  const { identity } = useGetIdentity();
  const [status, setStatus] = useState<TotpStatus | null>(null);
  const [enrolling, setEnrolling] = useState(false);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  /** Recovery codes just made: shown until the member says they saved them. */
  const [shownCodes, setShownCodes] = useState<string[] | null>(null);

  const load = useCallback(
    () =>
      http.request<TotpStatus>(PROFILE_TOTP).then(
        ({ body }) => setStatus(body),
        (error: unknown) => notify(messageOf(error), { type: 'error' }),
      ),
    [http, notify],
  );
  useEffect(() => {
    void load();
  }, [load]);
  const start = useCallback(
    async () => (await http.request<Enrollment>(PROFILE_TOTP, { method: 'POST' })).body,
    [http],
  );

  /** Sends the typed code; the answer may carry new recovery codes to show. */
  const send = async (path: string, method: 'POST' | 'DELETE', done: string) => {
    setBusy(true);
    try {
      // 204 (turned off), TotpConfirmed (confirmed) or RecoveryCodesAnswer (regenerated).
      const { body } = await http.request<TotpConfirmed | RecoveryCodesAnswer | undefined>(path, {
        method,
        body: { code },
      });
      notify(done, { type: 'success' });
      setEnrolling(false);
      setCode('');
      if (body?.recoveryCodes?.length) setShownCodes(body.recoveryCodes);
      await load();
    } catch (error) {
      notify(messageOf(error), { type: 'error' });
    } finally {
      setBusy(false);
    }
  };

  if (!status) return null;
  const remaining = status.recoveryCodesRemaining;
  return (
    <Card sx={{ mb: 2 }}>
      <CardContent>
        <Typography variant="h6">{translate('mcart.security.totp_title')}</Typography>
        <Typography variant="body2" sx={{ mb: 2 }} data-testid="totp-status">
          {translate(status.enabled ? 'mcart.security.totp_on' : 'mcart.security.totp_off')}
        </Typography>
        {status.required && !status.enabled && (
          <Alert severity="warning" sx={{ mb: 2 }}>
            {translate('mcart.security.required_by_owner')}
          </Alert>
        )}
        {shownCodes ? (
          <Box sx={{ maxWidth: 420 }}>
            <RecoveryCodes
              codes={shownCodes}
              account={typeof identity?.email === 'string' ? identity.email : undefined}
              onDone={() => setShownCodes(null)}
            />
          </Box>
        ) : status.enabled ? (
          <Box>
            {remaining !== undefined && (
              <Alert
                severity={remaining < FEW_RECOVERY_CODES ? 'warning' : 'info'}
                sx={{ mb: 2 }}
                data-testid="recovery-remaining"
              >
                {translate('mcart.security.recovery_remaining', { smart_count: remaining })}
                {remaining < FEW_RECOVERY_CODES && ` ${translate('mcart.security.recovery_few')}`}
              </Alert>
            )}
            <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
              {translate(
                status.required ? 'mcart.security.code_for_recovery' : 'mcart.security.code_for_changes',
              )}
            </Typography>
            <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
              <CodeField value={code} onChange={setCode} />
              <Button
                variant="outlined"
                disabled={busy || code.length !== 6}
                onClick={() =>
                  void send(`${PROFILE_TOTP}/recovery-codes`, 'POST', 'mcart.security.recovery_regenerated')
                }
              >
                {translate('mcart.security.recovery_regenerate')}
              </Button>
              {!status.required && (
                <Button
                  variant="outlined"
                  color="error"
                  disabled={busy || code.length !== 6}
                  onClick={() => void send(PROFILE_TOTP, 'DELETE', 'mcart.security.disabled_done')}
                >
                  {translate('mcart.security.disable')}
                </Button>
              )}
            </Stack>
            {status.required && (
              <Typography variant="body2" color="text.secondary" sx={{ mt: 2 }}>
                {translate('mcart.security.cannot_disable')}
              </Typography>
            )}
          </Box>
        ) : enrolling ? (
          <Box>
            <TotpEnrollment start={start} />
            <Stack direction="row" spacing={2} sx={{ alignItems: 'center', justifyContent: 'center' }}>
              <CodeField value={code} onChange={setCode} />
              <Button
                variant="contained"
                disabled={busy || code.length !== 6}
                onClick={() => void send(`${PROFILE_TOTP}/confirm`, 'POST', 'mcart.security.enabled_done')}
              >
                {translate('mcart.security.confirm')}
              </Button>
            </Stack>
          </Box>
        ) : (
          <Button variant="contained" onClick={() => setEnrolling(true)}>
            {translate('mcart.security.enable')}
          </Button>
        )}
      </CardContent>
    </Card>
  );
}

/** Owner only: require TOTP for every staff member (the server refuses anyone else). */
function StorePolicy() {
  const translate = useTranslate();
  const notify = useNotify();
  const { http } = useConnection();
  const { canAccess } = useCanAccess({ resource: 'security', action: 'manage' });
  const [required, setRequired] = useState<boolean | null>(null);
  useEffect(() => {
    if (!canAccess) return;
    http.request<{ staffTotpRequired: boolean }>(SECURITY_SETTINGS).then(
      ({ body }) => setRequired(body.staffTotpRequired),
      (error: unknown) => notify(messageOf(error), { type: 'error' }),
    );
  }, [canAccess, http, notify]);
  if (!canAccess || required === null) return null;
  const change = async (value: boolean) => {
    try {
      const { body } = await http.request<{ staffTotpRequired: boolean }>(SECURITY_SETTINGS, {
        method: 'PATCH',
        body: { staffTotpRequired: value },
      });
      setRequired(body.staffTotpRequired);
      notify('mcart.security.policy_saved', { type: 'success' });
    } catch (error) {
      notify(messageOf(error), { type: 'error' });
    }
  };
  return (
    <Card>
      <CardContent>
        <Typography variant="h6">{translate('mcart.security.policy_title')}</Typography>
        <FormControlLabel
          control={<Switch checked={required} onChange={(event) => void change(event.target.checked)} />}
          label={translate('mcart.security.require_for_all')}
        />
        <Typography variant="body2" color="text.secondary">
          {translate('mcart.security.require_help')}
        </Typography>
      </CardContent>
    </Card>
  );
}

/** The signed-in member's sign-in security (from the user menu). */
export function SecurityPage() {
  const translate = useTranslate();
  return (
    <Box sx={{ p: 2, maxWidth: 640 }}>
      <Title title={translate('mcart.security.title')} />
      <OwnTotp />
      <StorePolicy />
    </Box>
  );
}
