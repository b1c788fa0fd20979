import { useState } from 'react';
import { Alert, Box, Button, Checkbox, FormControlLabel, Stack, Typography } from '@mui/material';
import ContentCopyIcon from '@mui/icons-material/ContentCopy';
import DownloadIcon from '@mui/icons-material/Download';
import { useNotify, useTranslate } from 'react-admin';
import { saveBlob } from '../files/download.ts';

/** `RecoveryCodesDto` (regenerated from the profile). */
export interface RecoveryCodesAnswer {
  recoveryCodes: string[];
  recoveryCodesRemaining: number;
}

/** The file the codes are saved as: one code a line, after a short reminder of what they are. */
export function recoveryCodesText(codes: readonly string[], heading: string): string {
  return `${heading}\n\n${codes.join('\n')}\n`;
}

const download = (fileName: string, text: string) =>
  saveBlob(new Blob([text], { type: 'text/plain;charset=utf-8' }), fileName);

/**
 * The recovery codes, shown once (the server keeps only hashes): copy them or save them as a text file, then
 * say they are saved to go on. `account` (the e-mail) goes into the saved file, so it says whose codes they are.
 */
export function RecoveryCodes({
  codes,
  account,
  onDone,
  doneLabel = 'mcart.security.recovery_done',
}: {
  codes: readonly string[];
  account?: string | undefined;
  onDone: () => void;
  doneLabel?: string;
}) {
  const translate = useTranslate();
  const notify = useNotify();
  const [saved, setSaved] = useState(false);
  const heading = translate('mcart.security.recovery_file_heading', {
    account: account ?? '',
    date: new Date().toLocaleString(),
  });
  const text = recoveryCodesText(codes, heading);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(codes.join('\n'));
      notify('mcart.security.recovery_copied', { type: 'info' });
    } catch {
      notify('mcart.security.recovery_copy_failed', { type: 'warning' });
    }
  };

  return (
    <Box data-testid="recovery-codes-panel">
      <Typography variant="subtitle1" sx={{ fontWeight: 500 }}>
        {translate('mcart.security.recovery_title')}
      </Typography>
      <Alert severity="warning" sx={{ my: 1 }}>
        {translate('mcart.security.recovery_once')}
      </Alert>
      <Box
        component="ul"
        data-testid="recovery-codes"
        sx={{
          display: 'grid',
          gridTemplateColumns: 'repeat(2, max-content)',
          columnGap: 5,
          rowGap: 0.5,
          justifyContent: 'center',
          listStyle: 'none',
          fontFamily: 'monospace',
          fontSize: '1.05rem',
          userSelect: 'all',
          my: 2,
          p: 0,
        }}
      >
        {codes.map((code) => (
          <li key={code} data-testid="recovery-code">
            {code}
          </li>
        ))}
      </Box>
      <Stack direction="row" spacing={1} sx={{ justifyContent: 'center', mb: 1 }}>
        <Button size="small" startIcon={<ContentCopyIcon />} onClick={() => void copy()}>
          {translate('mcart.security.recovery_copy')}
        </Button>
        <Button
          size="small"
          startIcon={<DownloadIcon />}
          onClick={() => download('mcart-recovery-codes.txt', text)}
        >
          {translate('mcart.security.recovery_download')}
        </Button>
      </Stack>
      <FormControlLabel
        control={<Checkbox checked={saved} onChange={(event) => setSaved(event.target.checked)} />}
        label={translate('mcart.security.recovery_saved')}
      />
      <Button variant="contained" fullWidth disabled={!saved} onClick={onDone} sx={{ mt: 1 }}>
        {translate(doneLabel)}
      </Button>
    </Box>
  );
}
