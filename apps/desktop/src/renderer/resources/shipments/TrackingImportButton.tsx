import { useState } from 'react';
import UploadFileIcon from '@mui/icons-material/UploadFile';
import {
  Alert,
  Button as MuiButton,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import { Button, useRefresh, useTranslate } from 'react-admin';
import type { TrackingImportReport } from '../warehouse/types.ts';
import { uploadFile } from '../warehouse/transfer.ts';
import { useRawTransport } from '../warehouse/useTransport.ts';

/** Carrier tracking CSV: good rows are applied, the rejected ones are listed for the user to fix. */
export function TrackingImportButton() {
  const translate = useTranslate();
  const refresh = useRefresh();
  const transport = useRawTransport();
  const [open, setOpen] = useState(false);
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<TrackingImportReport | null>(null);
  const [error, setError] = useState<string | null>(null);

  const close = () => {
    setOpen(false);
    setFile(null);
    setReport(null);
    setError(null);
  };

  const upload = async () => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      setReport(
        await uploadFile<TrackingImportReport>(
          transport,
          '/api/admin/shipments/tracking-import',
          'file',
          file,
        ),
      );
      refresh();
    } catch (cause) {
      setError(cause instanceof Error ? cause.message : String(cause));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button label="mcart.tracking_import.button" onClick={() => setOpen(true)}>
        <UploadFileIcon />
      </Button>
      <Dialog open={open} onClose={close} fullWidth maxWidth="md">
        <DialogTitle>{translate('mcart.tracking_import.title')}</DialogTitle>
        <DialogContent>
          <Stack spacing={2}>
            <Typography variant="body2">{translate('mcart.tracking_import.help')}</Typography>
            <input
              type="file"
              accept=".csv,text/csv"
              data-testid="tracking-csv"
              onChange={(event) => {
                setFile(event.target.files?.[0] ?? null);
                setReport(null);
              }}
            />
            {error && <Alert severity="error">{translate(error, { _: error })}</Alert>}
            {report && <ImportReport report={report} />}
          </Stack>
        </DialogContent>
        <DialogActions>
          <MuiButton onClick={close}>{translate('ra.action.close')}</MuiButton>
          <MuiButton variant="contained" onClick={() => void upload()} disabled={!file || busy}>
            {translate('mcart.tracking_import.upload')}
          </MuiButton>
        </DialogActions>
      </Dialog>
    </>
  );
}

function ImportReport({ report }: { report: TrackingImportReport }) {
  const translate = useTranslate();
  return (
    <Stack spacing={1} data-testid="tracking-import-report">
      <Alert severity={report.rejected.length ? 'warning' : 'success'}>
        {translate('mcart.tracking_import.summary', {
          rows: report.rows,
          imported: report.imported,
          duplicates: report.duplicates,
          rejected: report.rejected.length,
        })}
      </Alert>
      {report.rejected.length > 0 && (
        <Table size="small">
          <TableHead>
            <TableRow>
              <TableCell>{translate('mcart.tracking_import.row')}</TableCell>
              <TableCell>{translate('mcart.tracking_import.column')}</TableCell>
              <TableCell>{translate('mcart.tracking_import.reason')}</TableCell>
              <TableCell>{translate('mcart.tracking_import.value')}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {report.rejected.map((row) => (
              <TableRow key={`${row.row}-${row.reason}`}>
                <TableCell>{row.row}</TableCell>
                <TableCell sx={{ fontFamily: 'monospace' }}>{row.field ?? ''}</TableCell>
                <TableCell>{row.reason}</TableCell>
                <TableCell sx={{ fontFamily: 'monospace' }}>{row.value ?? ''}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Stack>
  );
}
