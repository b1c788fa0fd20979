import { useState } from 'react';
import DownloadIcon from '@mui/icons-material/Download';
import { Button, useListContext, useNotify } from 'react-admin';
import { CSV, useStreamedDownload } from '../../files/download.ts';
import { utcFromDay, utcToDay } from './invoiceDays.ts';

/**
 * The invoice register for the books: every document the filters' dates and type select (not only the pages
 * loaded), with the buyer each names, from the server's streaming export. Credit notes are negative there.
 */
export function ExportRegisterButton() {
  const { filterValues } = useListContext();
  const download = useStreamedDownload();
  const notify = useNotify();
  const [busy, setBusy] = useState(false);

  const onClick = async () => {
    setBusy(true);
    const query = new URLSearchParams();
    for (const key of ['from', 'to', 'kind'] as const) {
      const value = filterValues[key] as unknown;
      if (typeof value === 'string' && value) query.set(key, value);
    }
    const first = utcFromDay(filterValues.from);
    const last = utcToDay(filterValues.to);
    const name = `invoices${first ? `-from-${first}` : ''}${last ? `-to-${last}` : ''}.csv`;
    try {
      const saved = await download(`/api/admin/invoices/export?${query.toString()}`, name, CSV);
      if (saved) notify('mcart.invoices.exported', { type: 'success', messageArgs: { name } });
    } catch (err) {
      notify((err as Error).message, { type: 'error' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Button label="mcart.invoices.export_register" disabled={busy} onClick={() => void onClick()}>
      <DownloadIcon />
    </Button>
  );
}
