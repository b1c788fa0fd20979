import { useState, type FormEvent } from 'react';
import { Alert, Box, Button, CardContent, CircularProgress, TextField, Typography } from '@mui/material';
import { useTranslate } from 'react-admin';
import type { CertificateProbe, DesktopBridge } from '../../shared/ipc.ts';
import { parseServerUrl } from '../../shared/server-url.ts';

type Step =
  { kind: 'edit'; error?: string } | { kind: 'checking' } | { kind: 'untrusted'; probe: CertificateProbe };

/**
 * Desktop only: choose the server. An https server whose certificate the OS does not trust (the
 * embedded server's self-signed one) is pinned by fingerprint after the user compares it.
 */
export function ServerSettingsForm({
  bridge,
  current,
  onCancel,
}: {
  bridge: DesktopBridge;
  current: string | null;
  onCancel?: () => void;
}) {
  const translate = useTranslate();
  const [address, setAddress] = useState(current ?? '');
  const [step, setStep] = useState<Step>({ kind: 'edit' });

  const connect = async (origin: string): Promise<void> => {
    await bridge.setServerUrl(origin);
    // The page's content security policy names the server: reload to get the new one.
    window.location.reload();
  };

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const parsed = parseServerUrl(address);
    if (!parsed.ok) {
      setStep({
        kind: 'edit',
        error: translate(parsed.reason === 'insecure' ? 'mcart.server.insecure' : 'mcart.server.invalid'),
      });
      return;
    }
    if (parsed.origin.startsWith('http:')) return connect(parsed.origin);
    setStep({ kind: 'checking' });
    try {
      const probe = await bridge.probeCertificate(parsed.origin);
      if (probe.authorized) return connect(parsed.origin);
      setStep({ kind: 'untrusted', probe });
    } catch (error) {
      const reason =
        error instanceof Error
          ? error.message.replace(/^Error invoking remote method '[^']+': (Error: )?/, '')
          : String(error);
      setStep({
        kind: 'edit',
        error: translate('mcart.server.unreachable', { origin: parsed.origin, reason }),
      });
    }
  };

  if (step.kind === 'untrusted') {
    const { probe } = step;
    return (
      <CardContent>
        <Typography variant="h6" gutterBottom>
          {translate('mcart.server.untrusted_title')}
        </Typography>
        <Alert severity="warning" sx={{ mb: 2 }}>
          {translate('mcart.server.untrusted_intro')}
        </Alert>
        <Box
          component="dl"
          sx={{ m: 0, '& dd': { ml: 0, mb: 1, fontFamily: 'monospace', wordBreak: 'break-all' } }}
        >
          <dt>{translate('mcart.server.fingerprint')}</dt>
          <dd data-testid="certificate-fingerprint">{probe.fingerprint}</dd>
          <dt>{translate('mcart.server.subject')}</dt>
          <dd>{probe.subject}</dd>
          <dt>{translate('mcart.server.issuer')}</dt>
          <dd>{probe.issuer}</dd>
          <dt>{translate('mcart.server.valid_to')}</dt>
          <dd>{new Date(probe.validTo).toLocaleDateString()}</dd>
        </Box>
        <Box sx={{ display: 'flex', gap: 1, justifyContent: 'flex-end' }}>
          <Button onClick={() => setStep({ kind: 'edit' })}>{translate('mcart.server.cancel')}</Button>
          <Button
            variant="contained"
            onClick={async () => {
              await bridge.trustCertificate(probe.origin, probe.fingerprint);
              await connect(probe.origin);
            }}
          >
            {translate('mcart.server.trust')}
          </Button>
        </Box>
      </CardContent>
    );
  }

  return (
    <CardContent component="form" onSubmit={submit} noValidate>
      <Typography variant="body2" sx={{ mb: 2 }}>
        {translate('mcart.server.intro')}
      </Typography>
      <TextField
        label={translate('mcart.server.address')}
        value={address}
        onChange={(event) => setAddress(event.target.value)}
        error={step.kind === 'edit' && Boolean(step.error)}
        helperText={step.kind === 'edit' ? step.error : translate('mcart.server.checking')}
        disabled={step.kind === 'checking'}
        fullWidth
        autoFocus
        slotProps={{ htmlInput: { inputMode: 'url', spellCheck: false } }}
      />
      <Box sx={{ display: 'flex', gap: 1, justifyContent: 'flex-end', mt: 2 }}>
        {onCancel && <Button onClick={onCancel}>{translate('mcart.server.cancel')}</Button>}
        <Button
          type="submit"
          variant="contained"
          disabled={step.kind === 'checking'}
          startIcon={step.kind === 'checking' ? <CircularProgress size={16} /> : undefined}
        >
          {translate('mcart.server.connect')}
        </Button>
      </Box>
    </CardContent>
  );
}
