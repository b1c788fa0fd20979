import { Alert } from '@mui/material';
import { useTranslate } from 'react-admin';
import type { PickLine, ScanOutcome } from '../warehouse/packing.ts';

/** What the last scan did, loud enough to notice at arm's length from the screen. */
export function ScanFeedback({
  outcome,
  lines,
}: {
  outcome: ScanOutcome | null;
  lines: readonly PickLine[];
}) {
  const translate = useTranslate();
  if (!outcome) return null;
  const title = (id: string) => lines.find((line) => line.orderLineId === id)?.title ?? id;
  switch (outcome.kind) {
    case 'ticked':
      return (
        <Alert severity="info" data-testid="scan-feedback">
          {translate('mcart.packing.ticked', {
            title: title(outcome.orderLineId),
            packed: outcome.packed,
            remaining: outcome.remaining,
          })}
        </Alert>
      );
    case 'line-complete':
      return (
        <Alert severity="success" data-testid="scan-feedback">
          {translate('mcart.packing.line_complete', { title: title(outcome.orderLineId) })}
        </Alert>
      );
    case 'wrong-item':
      return (
        <Alert severity="error" variant="filled" data-testid="scan-feedback">
          {translate('mcart.packing.wrong_item', { sku: outcome.sku })}
        </Alert>
      );
    case 'too-many':
      return (
        <Alert severity="warning" variant="filled" data-testid="scan-feedback">
          {translate('mcart.packing.too_many', { sku: outcome.sku })}
        </Alert>
      );
  }
}
