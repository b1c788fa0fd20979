import { useState } from 'react';
import DownloadIcon from '@mui/icons-material/Download';
import { Button, useListContext, useNotify } from 'react-admin';
import { CSV, useStreamedDownload } from '../../files/download.ts';
import { exportQuery } from './csvReport.ts';

/** Downloads the filtered product list as CSV from the server's streaming export (no row limit). */
export function ExportCsvButton() {
  const { filterValues } = useListContext();
  const download = useStreamedDownload();
  const notify = useNotify();
  const [busy, setBusy] = useState(false);

  const onClick = async () => {
    setBusy(true);
    try {
      const saved = await download(
        `/api/admin/products/export?${exportQuery(filterValues).toString()}`,
        `products-${new Date().toISOString().slice(0, 10)}.csv`,
        CSV,
      );
      if (saved) notify('mcart.catalog.exported', { type: 'success' });
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
