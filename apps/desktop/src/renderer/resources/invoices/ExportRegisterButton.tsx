import { useListContext } from 'react-admin';
import { StreamedDownloadButton } from '../../files/StreamedDownloadButton.tsx';
import { utcFromDay, utcToDay } from './invoiceDays.ts';

/**
 * The invoice register for the books: every document the filters' dates and type select (not only the pages
 * loaded), with the buyer each names, from the server's streaming export. Credit notes are negative there.
 */
export function ExportRegisterButton() {
  const { filterValues } = useListContext();
  const file = () => {
    const query = new URLSearchParams();
    for (const key of ['from', 'to', 'kind'] as const) {
      const value = filterValues[key] as unknown;
      if (typeof value === 'string' && value) query.set(key, value);
    }
    const first = utcFromDay(filterValues.from);
    const last = utcToDay(filterValues.to);
    return {
      path: `/api/admin/invoices/export?${query.toString()}`,
      name: `invoices${first ? `-from-${first}` : ''}${last ? `-to-${last}` : ''}.csv`,
    };
  };
  return (
    <StreamedDownloadButton
      label="mcart.invoices.export_register"
      saved="mcart.invoices.exported"
      file={file}
    />
  );
}
