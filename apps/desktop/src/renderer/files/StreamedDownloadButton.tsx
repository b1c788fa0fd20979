import { useState } from 'react';
import DownloadIcon from '@mui/icons-material/Download';
import { Button, useNotify } from 'react-admin';
import { CSV, useStreamedDownload, type FileKind } from './download.ts';

/**
 * A toolbar button that saves a large file from the admin API (streamed to disk where the browser can),
 * then says so with `saved` (a translation key given `%{name}`, the file's name).
 */
export function StreamedDownloadButton({
  label,
  file,
  saved,
  kind = CSV,
}: {
  label: string;
  /** What to fetch and the name to save it under, read when the button is pressed. */
  file: () => { path: string; name: string };
  saved: string;
  kind?: FileKind;
}) {
  const download = useStreamedDownload();
  const notify = useNotify();
  const [busy, setBusy] = useState(false);

  const onClick = async () => {
    setBusy(true);
    const { path, name } = file();
    try {
      if (await download(path, name, kind)) notify(saved, { type: 'success', messageArgs: { name } });
    } catch (err) {
      notify((err as Error).message, { type: 'error' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Button label={label} disabled={busy} onClick={() => void onClick()}>
      <DownloadIcon />
    </Button>
  );
}
