import { useEffect, useState } from 'react';
import { Alert, Button } from '@mui/material';
import { useQueryClient } from '@tanstack/react-query';
import {
  useDataProvider,
  useRecordContext,
  useResourceContext,
  useTranslate,
  type RaRecord,
} from 'react-admin';
import { useFormContext } from 'react-hook-form';
import { useLive } from './LiveProvider.tsx';

const sameVersion = (a: RaRecord, b: RaRecord): boolean =>
  'version' in a && 'version' in b ? a.version === b.version : JSON.stringify(a) === JSON.stringify(b);

/**
 * Put in an edit view, before its form (`<Edit><StaleRecordBanner /><SimpleForm>...`). While it is open the record
 * is not refetched by live updates (that would silently move the version under the user's edits); when
 * someone else changes it, this banner says so and offers to reload. Saving anyway sends the version
 * the user started from, so the server refuses it (409 MCART_ERR_STALE_WRITE) instead of overwriting.
 */
export function StaleRecordBanner() {
  const live = useLive();
  const record = useRecordContext();
  const resource = useResourceContext();
  const dataProvider = useDataProvider();
  const queryClient = useQueryClient();
  const form = useFormContext();
  const translate = useTranslate();
  const [stale, setStale] = useState(false);
  const id = record?.id;

  useEffect(() => {
    if (!live || !resource || id === undefined) return;
    const release = live.markEditing(resource, id);
    const stop = live.onChange((change) => {
      if (change.resource !== resource || !change.ids.includes(String(id))) return;
      if (change.type === 'deleted') {
        setStale(true);
        return;
      }
      // Our own save also comes back as a change: only a version we do not have is someone else's.
      void dataProvider.getOne(resource, { id }).then(
        ({ data }) => {
          const current = queryClient.getQueryData<RaRecord>([
            resource,
            'getOne',
            { id: String(id), meta: undefined },
          ]);
          if (!sameVersion(data, current ?? record ?? data)) setStale(true);
        },
        () => setStale(true),
      );
    });
    return () => {
      stop();
      release();
    };
  }, [live, resource, id, dataProvider, queryClient, record]);

  if (!stale || !resource || id === undefined) return null;

  const reload = async () => {
    const { data } = await dataProvider.getOne(resource, { id });
    queryClient.setQueryData([resource, 'getOne', { id: String(id), meta: undefined }], data);
    form?.reset(data);
    setStale(false);
  };

  return (
    <Alert
      severity="warning"
      role="alert"
      data-testid="stale-record-banner"
      sx={{ mb: 2, width: '100%' }}
      action={
        <Button color="inherit" size="small" onClick={() => void reload()}>
          {translate('mcart.live.reload')}
        </Button>
      }
    >
      {translate('mcart.live.changed_elsewhere')}
    </Alert>
  );
}
