import { useListContext } from 'react-admin';
import { StreamedDownloadButton } from '../../files/StreamedDownloadButton.tsx';
import { exportQuery } from './csvReport.ts';

/** Downloads the filtered product list as CSV from the server's streaming export (no row limit). */
export function ExportCsvButton() {
  const { filterValues } = useListContext();
  return (
    <StreamedDownloadButton
      label="ra.action.export"
      saved="mcart.catalog.exported"
      file={() => ({
        path: `/api/admin/products/export?${exportQuery(filterValues).toString()}`,
        name: `products-${new Date().toISOString().slice(0, 10)}.csv`,
      })}
    />
  );
}
