import { useState } from 'react';
import { Button } from '@mui/material';
import DownloadIcon from '@mui/icons-material/Download';
import { useNotify, useTranslate } from 'react-admin';
import { useConnection } from '../../connection/ConnectionContext.tsx';
import { saveBlob } from '../../files/download.ts';
import { fileNameOf } from '../customers/dataRights.ts';

/**
 * Saves the report the server writes as CSV (`format=csv`), under the name it gives: a download in a
 * browser, the save dialog in Electron. A report is at most a year of days or 200 variants, so it is read
 * whole through the app's HTTP client (token refresh included), as the customer data export is.
 */
export function DownloadCsvButton({
  path,
  query,
  fallbackName,
  label,
  disabled,
}: {
  path: string;
  query: URLSearchParams;
  /** The server's name, for when a cross-origin answer does not expose Content-Disposition. */
  fallbackName: string;
  label: string;
  disabled?: boolean;
}) {
  const translate = useTranslate();
  const notify = useNotify();
  const { http } = useConnection();
  const [busy, setBusy] = useState(false);

  const save = async () => {
    setBusy(true);
    try {
      const response = await http.request<string | undefined>(path, { query });
      const name = fileNameOf(response.headers.get('content-disposition'), fallbackName);
      saveBlob(new Blob([response.body ?? ''], { type: 'text/csv;charset=utf-8' }), name);
      notify(translate('mcart.reports.downloaded', { name }), { type: 'info' });
    } catch (error) {
      notify(error instanceof Error ? error.message : String(error), { type: 'error' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Button
      size="small"
      startIcon={<DownloadIcon />}
      disabled={busy || disabled}
      aria-label={label}
      sx={{ whiteSpace: 'nowrap', flexShrink: 0 }}
      onClick={() => void save()}
    >
      {translate('mcart.reports.download_csv')}
    </Button>
  );
}
