import { useEffect, useRef, useState } from 'react';
import { Box, CircularProgress, Typography } from '@mui/material';
import { useTranslate } from 'react-admin';

/** `TotpEnrollmentDto`: shown once, never fetched again. */
export interface Enrollment {
  secret: string;
  otpauthUrl: string;
  qrCode: string;
}

/**
 * Starts an enrollment once (a second start would replace the secret the member may already have
 * scanned) and shows the QR code with the secret for apps that cannot scan.
 */
export function TotpEnrollment({ start }: { start: () => Promise<Enrollment> }) {
  const translate = useTranslate();
  const [enrollment, setEnrollment] = useState<Enrollment | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    start().then(setEnrollment, (error: unknown) =>
      setFailed((error as Error).message || 'mcart.security.failed'),
    );
  }, [start]);
  if (failed) return <Typography color="error">{translate(failed, { _: failed })}</Typography>;
  if (!enrollment) return <CircularProgress size={24} />;
  return (
    <Box sx={{ textAlign: 'center', my: 1 }}>
      <Typography variant="body2">{translate('mcart.security.scan')}</Typography>
      <Box
        component="img"
        src={enrollment.qrCode}
        alt={translate('mcart.security.qr_alt')}
        sx={{ width: 200, height: 200, my: 1 }}
      />
      <Typography variant="caption" component="p">
        {translate('mcart.security.secret_label')}
      </Typography>
      <Typography
        data-testid="totp-secret"
        variant="body2"
        sx={{ fontFamily: 'monospace', wordBreak: 'break-all', userSelect: 'all' }}
      >
        {enrollment.secret}
      </Typography>
    </Box>
  );
}
