import { Alert, AlertTitle, Button } from '@mui/material';
import { useTranslate } from 'react-admin';
import type { BatchWarning } from './submissionKeys.ts';

/**
 * What a submission left uncertain about the batch. `no_answer`: the answer was lost; booking the batch again
 * under its key books it at most once. `maybe_booked`: the server refused the changed batch under the key of
 * an earlier attempt that went through (its answer was lost) or is still going through; sending it as a new
 * batch could book the delivery twice, so staff check the movement history first and only then start a new
 * batch. `in_progress`: the earlier attempt is still running; Book again later.
 */
export function BatchConflict({ warning, onNewBatch }: { warning: BatchWarning | null; onNewBatch(): void }) {
  const translate = useTranslate();
  if (!warning) return null;
  if (warning !== 'maybe_booked')
    return (
      <Alert severity="warning" data-testid="batch-conflict">
        {translate(
          warning === 'in_progress' ? 'mcart.stock.batch_in_progress' : 'mcart.stock.batch_no_answer',
        )}
      </Alert>
    );
  return (
    <Alert
      severity="error"
      data-testid="batch-conflict"
      action={
        <Button color="inherit" size="small" onClick={onNewBatch} sx={{ whiteSpace: 'nowrap' }}>
          {translate('mcart.stock.new_batch')}
        </Button>
      }
    >
      <AlertTitle>{translate('mcart.stock.maybe_booked_title')}</AlertTitle>
      {translate('mcart.stock.maybe_booked')}
    </Alert>
  );
}
