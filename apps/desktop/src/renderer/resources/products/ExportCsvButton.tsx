import { useState } from 'react';
import DownloadIcon from '@mui/icons-material/Download';
import { Button, useListContext, useNotify } from 'react-admin';
import { useConnection } from '../../connection/ConnectionContext.tsx';
import { exportQuery } from './csvReport.ts';

interface SaveFilePicker {
  showSaveFilePicker?: (options: {
    suggestedName: string;
    types: { description: string; accept: Record<string, string[]> }[];
  }) => Promise<{ createWritable(): Promise<WritableStream<Uint8Array>> }>;
}

/**
 * Downloads the filtered list as CSV from the server's streaming export. Where the browser offers a
 * save dialog with a writable file (Chromium, so Electron), the response body is piped straight to
 * disk and a large catalogue never sits in memory; elsewhere it is collected into a Blob.
 */
export function ExportCsvButton() {
  const { filterValues } = useListContext();
  const { connection, tokens, http } = useConnection();
  const notify = useNotify();
  const [busy, setBusy] = useState(false);

  const fetchCsv = async (): Promise<Response> => {
    const url = `${connection.baseUrl()}/api/admin/products/export?${exportQuery(filterValues).toString()}`;
    const send = () =>
      fetch(url, {
        headers: { Authorization: `Bearer ${tokens?.get()?.accessToken ?? ''}`, Accept: 'text/csv' },
        credentials: 'omit',
      });
    let response = await send();
    if (response.status === 401 && (await http.refreshSession())) response = await send();
    if (!response.ok || !response.body) {
      const problem = (await response.json().catch(() => null)) as { detail?: string; title?: string } | null;
      throw new Error(problem?.detail ?? problem?.title ?? `HTTP ${response.status}`);
    }
    return response;
  };

  const onClick = async () => {
    setBusy(true);
    const name = `products-${new Date().toISOString().slice(0, 10)}.csv`;
    try {
      const picker = (window as unknown as SaveFilePicker).showSaveFilePicker;
      if (picker) {
        let handle;
        try {
          handle = await picker({
            suggestedName: name,
            types: [{ description: 'CSV', accept: { 'text/csv': ['.csv'] } }],
          });
        } catch {
          return; // the user closed the save dialog
        }
        const response = await fetchCsv();
        await response.body!.pipeTo(await handle.createWritable());
      } else {
        const response = await fetchCsv();
        const url = URL.createObjectURL(await response.blob());
        const link = document.createElement('a');
        link.href = url;
        link.download = name;
        link.click();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
      }
      notify('mcart.catalog.exported', { type: 'success' });
    } catch (err) {
      notify((err as Error).message, { type: 'error' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Button label="ra.action.export" disabled={busy} onClick={() => void onClick()}>
      <DownloadIcon />
    </Button>
  );
}
