import { useState } from 'react';
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  LinearProgress,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import { Title, useNotify, useRefresh, useTranslate } from 'react-admin';
import { Link } from 'react-router-dom';
import { useConnection } from '../../connection/ConnectionContext.tsx';
import type { ImportOutcome, ImportReport } from './csvReport.ts';
import { uploadCsv } from './uploadCsv.ts';

type Step = 'choose' | 'checking' | 'checked' | 'importing' | 'done';

function ReportSummary({ report }: { report: ImportReport }) {
  const translate = useTranslate();
  return (
    <Typography>
      {translate('mcart.catalog.csv.summary', {
        rows: report.rows,
        productsCreated: report.products.created,
        productsUpdated: report.products.updated,
        variantsCreated: report.variants.created,
        variantsUpdated: report.variants.updated,
      })}
    </Typography>
  );
}

/**
 * Choose a file → dry run (the server checks every row, writes nothing) → import. The import is all
 * or nothing on the server, so a failed import leaves the catalogue as it was.
 */
export function ProductImport() {
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const { connection, tokens, http } = useConnection();
  const [file, setFile] = useState<File | null>(null);
  const [step, setStep] = useState<Step>('choose');
  const [progress, setProgress] = useState(0);
  const [outcome, setOutcome] = useState<ImportOutcome | null>(null);

  const run = async (dryRun: boolean) => {
    if (!file) return;
    setStep(dryRun ? 'checking' : 'importing');
    setProgress(0);
    setOutcome(null);
    const result = await uploadCsv({
      baseUrl: connection.baseUrl(),
      tokens,
      http,
      file,
      dryRun,
      onProgress: setProgress,
    });
    setOutcome(result);
    if (result.kind === 'ok') {
      setStep(dryRun ? 'checked' : 'done');
      if (!dryRun) {
        notify('mcart.catalog.csv.imported', { type: 'success' });
        refresh();
      }
    } else {
      setStep('choose');
    }
  };

  const busy = step === 'checking' || step === 'importing';
  return (
    <Card sx={{ mt: 2 }}>
      <Title title={translate('mcart.catalog.csv.title')} />
      <CardContent>
        <Stack spacing={2}>
          <Typography variant="body2">{translate('mcart.catalog.csv.intro')}</Typography>
          <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
            <Button variant="outlined" component="label" disabled={busy}>
              {translate('mcart.catalog.csv.choose')}
              <input
                hidden
                type="file"
                accept=".csv,text/csv"
                aria-label={translate('mcart.catalog.csv.choose')}
                onChange={(event) => {
                  setFile(event.target.files?.[0] ?? null);
                  setStep('choose');
                  setOutcome(null);
                  event.target.value = '';
                }}
              />
            </Button>
            <Typography>
              {file
                ? `${file.name} (${Math.ceil(file.size / 1024)} KB)`
                : translate('mcart.catalog.csv.no_file')}
            </Typography>
          </Stack>
          <Stack direction="row" spacing={2}>
            <Button variant="outlined" disabled={!file || busy} onClick={() => void run(true)}>
              {translate('mcart.catalog.csv.dry_run')}
            </Button>
            <Button
              variant="contained"
              disabled={!file || busy || step !== 'checked'}
              onClick={() => void run(false)}
            >
              {translate('mcart.catalog.csv.import')}
            </Button>
            <Button component={Link} to="/products">
              {translate('mcart.catalog.csv.back')}
            </Button>
          </Stack>
          {busy && (
            <Box>
              <Typography variant="caption">
                {progress < 1
                  ? translate('mcart.catalog.csv.uploading', { percent: Math.round(progress * 100) })
                  : translate('mcart.catalog.csv.processing')}
              </Typography>
              <LinearProgress
                variant={progress < 1 ? 'determinate' : 'indeterminate'}
                value={progress * 100}
              />
            </Box>
          )}
          {outcome?.kind === 'ok' && (
            <Alert severity="success">
              <Typography variant="subtitle2">
                {translate(
                  outcome.report.dryRun ? 'mcart.catalog.csv.checked' : 'mcart.catalog.csv.imported',
                )}
              </Typography>
              <ReportSummary report={outcome.report} />
            </Alert>
          )}
          {outcome?.kind === 'failed' && (
            <Alert severity="error">{translate(outcome.message, { _: outcome.message })}</Alert>
          )}
          {outcome?.kind === 'invalid' && (
            <>
              <Alert severity="error">
                {translate('mcart.catalog.csv.invalid', { smart_count: outcome.errors.length })}
              </Alert>
              <Table size="small" aria-label={translate('mcart.catalog.csv.errors')}>
                <TableHead>
                  <TableRow>
                    <TableCell>{translate('mcart.catalog.csv.line')}</TableCell>
                    <TableCell>{translate('mcart.catalog.csv.column')}</TableCell>
                    <TableCell>{translate('mcart.catalog.csv.message')}</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {outcome.errors.map((error, index) => (
                    <TableRow key={`${error.line}-${error.column ?? ''}-${index}`}>
                      <TableCell>{error.line}</TableCell>
                      <TableCell>{error.column ?? ''}</TableCell>
                      <TableCell>{error.message}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </>
          )}
        </Stack>
      </CardContent>
    </Card>
  );
}
