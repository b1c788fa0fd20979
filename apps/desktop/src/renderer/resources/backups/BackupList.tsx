import { useState, type ReactElement } from 'react';
import BackupIcon from '@mui/icons-material/Backup';
import DownloadIcon from '@mui/icons-material/Download';
import RestoreIcon from '@mui/icons-material/SettingsBackupRestore';
import {
  Box,
  Chip,
  LinearProgress,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import {
  Button,
  Datagrid,
  DateField,
  FunctionField,
  List,
  NumberField,
  SelectInput,
  TextField,
  TopToolbar,
  useListContext,
  useNotify,
  useRecordContext,
  useTranslate,
} from 'react-admin';
import { useConnection } from '../../connection/ConnectionContext.tsx';
import { useStreamedDownload } from '../../files/download.ts';
import { describeLocation, formatBytes, pollInterval, type BackupRecord } from './types.ts';

const STATUS_COLORS = { running: 'info', succeeded: 'success', failed: 'error' } as const;

function StatusCell() {
  const record = useRecordContext<BackupRecord>();
  const translate = useTranslate();
  if (!record) return null;
  const progress = record.progress;
  return (
    <Box sx={{ minWidth: 120 }}>
      <Chip
        size="small"
        color={STATUS_COLORS[record.status]}
        label={translate(`mcart.backups.status.${record.status}`)}
        data-testid={`backup-status-${record.id}`}
      />
      {record.status === 'running' && (
        <LinearProgress
          sx={{ mt: 0.5 }}
          aria-label={translate('mcart.backups.in_progress')}
          {...(progress && progress.tables > 0
            ? { variant: 'determinate', value: (100 * progress.tablesDone) / progress.tables }
            : {})}
        />
      )}
    </Box>
  );
}

function LocationCell() {
  const record = useRecordContext<BackupRecord>();
  const translate = useTranslate();
  const where = describeLocation(record?.location ?? null);
  if (!where) return null;
  return (
    <span title={record?.location ?? ''}>
      {translate(`mcart.backups.where_${where.kind}`, { place: where.place })}
    </span>
  );
}

/** "Restore proven": when this backup was last restored into a scratch database and checked, or why it failed. */
function DrillCell() {
  const record = useRecordContext<BackupRecord>();
  const translate = useTranslate();
  if (!record) return null;
  const drill = record.drill;
  if (!drill)
    return (
      <Typography variant="body2" color="text.secondary" data-testid={`backup-drill-${record.id}`}>
        {record.status === 'succeeded' ? translate('mcart.backups.drill_none') : ''}
      </Typography>
    );
  const at = new Date(drill.at).toLocaleString();
  if (drill.status === 'passed')
    return (
      <Typography variant="body2" color="success.main" data-testid={`backup-drill-${record.id}`}>
        {translate('mcart.backups.drill_passed', { at })}
      </Typography>
    );
  return (
    <Typography
      variant="body2"
      color="error"
      title={drill.error ?? ''}
      data-testid={`backup-drill-${record.id}`}
      sx={{ maxWidth: 360, wordBreak: 'break-word' }}
    >
      {translate('mcart.backups.drill_failed', { at, reason: drill.error ?? '' })}
    </Typography>
  );
}

/** The restore drill's outcome is read again until it changes (the drill runs in the background, minutes at most). */
const DRILL_POLL_MS = 1500;
const DRILL_POLL_LIMIT_MS = 30 * 60 * 1000;

/** A row's action: busy while it runs, its error notified, the click kept from expanding the row. */
function RowActionButton({
  label,
  icon,
  action,
}: {
  label: string;
  icon: ReactElement;
  action: () => Promise<unknown>;
}) {
  const notify = useNotify();
  const [busy, setBusy] = useState(false);
  return (
    <Button
      label={label}
      disabled={busy}
      onClick={(event) => {
        event.stopPropagation();
        setBusy(true);
        void action()
          .catch((err: unknown) => notify((err as Error).message, { type: 'error' }))
          .finally(() => setBusy(false));
      }}
    >
      {icon}
    </Button>
  );
}

/** "Prove restore now": restores this backup into a scratch database on the server and checks it. */
function ProveRestoreButton() {
  const record = useRecordContext<BackupRecord>();
  const { http } = useConnection();
  const { refetch } = useListContext<BackupRecord>();
  const notify = useNotify();
  if (!record || record.status !== 'succeeded') return null;
  const id = record.id;
  const before = record.drill?.at ?? null;

  const prove = async () => {
    try {
      await http.request(`/api/admin/backups/${encodeURIComponent(id)}/drill`, { method: 'POST' });
      notify('mcart.backups.drill_started', { type: 'info' });
      const until = Date.now() + DRILL_POLL_LIMIT_MS;
      while (Date.now() < until) {
        await new Promise((resolve) => setTimeout(resolve, DRILL_POLL_MS));
        const { body } = await http.request<BackupRecord>(`/api/admin/backups/${encodeURIComponent(id)}`);
        if ((body.drill?.at ?? null) !== before) break;
      }
    } finally {
      await refetch();
    }
  };

  return <RowActionButton label="mcart.backups.drill_now" icon={<RestoreIcon />} action={prove} />;
}

/** The manifest of one backup, under its row: checksum, schema version and every table's row count. */
function BackupDetails() {
  const record = useRecordContext<BackupRecord>();
  const translate = useTranslate();
  if (!record) return null;
  return (
    <Box sx={{ p: 1 }}>
      {record.error && (
        <Typography color="error" variant="body2" sx={{ mb: 1 }}>
          {record.error}
        </Typography>
      )}
      {record.sha256 && (
        <Typography variant="body2" sx={{ fontFamily: 'monospace', mb: 1 }}>
          SHA-256 <span data-testid="backup-sha256">{record.sha256}</span>
        </Typography>
      )}
      {record.location && (
        <Typography variant="body2" sx={{ mb: 1 }}>
          {translate('mcart.backups.location')}: {record.location}
        </Typography>
      )}
      {record.tables && (
        <Table size="small" sx={{ maxWidth: 480 }}>
          <TableHead>
            <TableRow>
              <TableCell>{translate('mcart.backups.table')}</TableCell>
              <TableCell align="right">{translate('mcart.backups.rows')}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {record.tables.map((table) => (
              <TableRow key={table.name}>
                <TableCell>{table.name}</TableCell>
                <TableCell align="right">{table.rows}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Box>
  );
}

/**
 * Downloads through the authenticated admin API (there is no public URL for a backup), streamed to disk
 * where the browser offers a writable save dialog (Chromium, so Electron).
 */
function DownloadButton() {
  const record = useRecordContext<BackupRecord>();
  const download = useStreamedDownload();
  if (!record || record.status !== 'succeeded' || !record.fileName) return null;
  const { id, fileName } = record;
  const save = () =>
    download(`/api/admin/backups/${encodeURIComponent(id)}/download`, fileName, {
      description: 'MCart backup',
      accept: { 'application/gzip': ['.gz'] },
    });
  return <RowActionButton label="mcart.backups.download" icon={<DownloadIcon />} action={save} />;
}

/** Starts a backup now; the list then polls until it has finished. */
function RunNowButton() {
  const { http } = useConnection();
  const { refetch, data } = useListContext<BackupRecord>();
  const notify = useNotify();
  const [busy, setBusy] = useState(false);
  const running = data?.some((record) => record.status === 'running') ?? false;

  const onClick = async () => {
    setBusy(true);
    try {
      await http.request('/api/admin/backups', { method: 'POST' });
      notify('mcart.backups.started', { type: 'info' });
    } catch (err) {
      notify((err as Error).message, { type: 'error' });
    } finally {
      setBusy(false);
      await refetch();
    }
  };

  return (
    <Button label="mcart.backups.run_now" disabled={busy || running} onClick={() => void onClick()}>
      <BackupIcon />
    </Button>
  );
}

const filters = [
  <SelectInput
    key="status"
    source="status"
    choices={['running', 'succeeded', 'failed'].map((id) => ({ id, name: `mcart.backups.status.${id}` }))}
  />,
];

/** Owner only (backups:manage): the backups, newest first, with "run now" and download. */
export function BackupList() {
  return (
    <List
      filters={filters}
      sort={{ field: 'createdAt', order: 'DESC' }}
      // With no backup yet, the list (and its "back up now" button) still shows, not the "create" page.
      empty={false}
      actions={
        <TopToolbar>
          <RunNowButton />
        </TopToolbar>
      }
      queryOptions={{
        refetchInterval: (query) =>
          pollInterval((query.state.data as { data?: BackupRecord[] } | undefined)?.data),
      }}
    >
      <Datagrid bulkActionButtons={false} rowClick="expand" expand={<BackupDetails />}>
        <DateField source="createdAt" showTime />
        <FunctionField source="status" render={() => <StatusCell />} />
        <FunctionField source="sizeBytes" render={(record: BackupRecord) => formatBytes(record.sizeBytes)} />
        <TextField source="schemaVersion" sortable={false} />
        <NumberField source="totalRows" sortable={false} />
        <FunctionField
          source="trigger"
          sortable={false}
          render={(record: BackupRecord) => <TriggerLabel trigger={record.trigger} />}
        />
        <FunctionField source="location" sortable={false} render={() => <LocationCell />} />
        <FunctionField source="drill" sortable={false} render={() => <DrillCell />} />
        <DownloadButton />
        <ProveRestoreButton />
      </Datagrid>
    </List>
  );
}

function TriggerLabel({ trigger }: { trigger: BackupRecord['trigger'] }) {
  const translate = useTranslate();
  return <>{translate(`mcart.backups.trigger.${trigger}`)}</>;
}
