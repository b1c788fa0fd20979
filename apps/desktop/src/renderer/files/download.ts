import { useConnection } from '../connection/ConnectionContext.tsx';

/**
 * Hands a file to the user: a download in a browser, the save dialog in Electron. The object URL is revoked
 * once the download has taken the data.
 */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** The file kind offered in the save dialog, e.g. `{ description: 'CSV', accept: { 'text/csv': ['.csv'] } }`. */
export interface FileKind {
  description: string;
  accept: Record<string, string[]>;
}

interface SaveFilePicker {
  showSaveFilePicker?: (options: {
    suggestedName: string;
    types: FileKind[];
  }) => Promise<{ createWritable(): Promise<WritableStream<Uint8Array>> }>;
}

/**
 * Downloads a large file from the admin API (a product export, the invoice register, a backup). Where the
 * browser offers a save dialog with a writable file (Chromium, so Electron), the response body is piped
 * straight to disk and never sits in memory; elsewhere it is collected into a Blob. The session's token goes
 * with it, refreshed once on a 401. Resolves false when the user closed the save dialog.
 */
export function useStreamedDownload() {
  const { connection, tokens, http } = useConnection();

  const fetchFile = async (path: string, kind: FileKind): Promise<Response> => {
    const send = () =>
      fetch(`${connection.baseUrl()}${path}`, {
        headers: {
          Authorization: `Bearer ${tokens?.get()?.accessToken ?? ''}`,
          Accept: `${Object.keys(kind.accept).join(', ')}, application/problem+json`,
        },
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

  return async (path: string, fileName: string, kind: FileKind): Promise<boolean> => {
    const picker = (window as unknown as SaveFilePicker).showSaveFilePicker;
    if (!picker) {
      saveBlob(await (await fetchFile(path, kind)).blob(), fileName);
      return true;
    }
    let handle;
    try {
      handle = await picker({ suggestedName: fileName, types: [kind] });
    } catch {
      return false; // the user closed the save dialog
    }
    const response = await fetchFile(path, kind);
    await response.body!.pipeTo(await handle.createWritable());
    return true;
  };
}

export const CSV: FileKind = { description: 'CSV', accept: { 'text/csv': ['.csv'] } };
