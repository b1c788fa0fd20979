import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { HttpError, useNotify, useTranslate } from 'react-admin';
import type { ProblemErrorBody } from '../../api/problem.ts';
import { useConnection } from '../../connection/ConnectionContext.tsx';
import { keyConflict, submissionKeys, type BatchWarning } from './submissionKeys.ts';
import { placeErrors, type PendingLine, type PlacedErrors } from './stockLines.ts';

/** Codes the screens explain in their own words (on the field they concern). */
const KNOWN_CODES: Record<string, string> = {
  MCART_ERR_STOCK_BELOW_ZERO: 'mcart.stock.server_error.below_zero',
  MCART_ERR_SAME_LOCATION: 'mcart.stock.server_error.same_location',
  MCART_ERR_LOCATION_NOT_FOUND: 'mcart.stock.server_error.location',
};

/**
 * Posts one batch and keeps its outcome: the server's field errors placed on lines and fields, or
 * the answer. The stock screens refetch from the live event; invalidating here also covers a
 * window whose socket is reconnecting. Every submission of the batch carries the batch's Idempotency-Key
 * (`submissionKeys`), edited or not, until it is booked or staff start a new batch (`newBatch`): "Book"
 * clicked again after a lost answer books nothing twice. The server replays the first answer when nothing
 * changed; when something did and the first attempt went through, it refuses (`conflict: 'maybe_booked'`),
 * and the screen says the batch may already be booked rather than showing a generic error.
 */
export function useStockPost<T>() {
  const { http } = useConnection();
  const [keys] = useState(() => submissionKeys());
  const notify = useNotify();
  const translate = useTranslate();
  const queryClient = useQueryClient();
  const [saving, setSaving] = useState(false);
  const [errors, setErrors] = useState<PlacedErrors>({ lines: {}, fields: {} });
  const [warning, setWarning] = useState<BatchWarning | null>(null);

  const post = async (path: string, body: unknown, sent: readonly PendingLine[]): Promise<T | null> => {
    setSaving(true);
    setErrors({ lines: {}, fields: {} });
    setWarning(null);
    try {
      const { body: answer } = await http.request<T>(path, {
        method: 'POST',
        body,
        headers: { 'Idempotency-Key': keys.key() },
      });
      keys.done();
      await Promise.all(
        ['stock-levels', 'stock-movements'].map((resource) =>
          queryClient.invalidateQueries({ queryKey: [resource] }),
        ),
      );
      return answer;
    } catch (error) {
      const problem = error instanceof HttpError ? (error.body as ProblemErrorBody | undefined) : undefined;
      // Said on the screen, next to the batch, with what to do; not only a passing notification.
      const refusedKey = keyConflict(problem?.code);
      if (refusedKey) {
        setWarning(refusedKey);
        return null;
      }
      if (error instanceof HttpError && error.status === 0) setWarning('no_answer');
      const placed = placeErrors(problem?.fieldErrors, sent);
      const explained = problem?.code ? KNOWN_CODES[problem.code] : undefined;
      if (explained) {
        const text = translate(explained);
        for (const key of Object.keys(placed.lines)) placed.lines[key] = text;
        for (const key of Object.keys(placed.fields)) placed.fields[key] = text;
      }
      setErrors(placed);
      notify(error instanceof Error ? error.message : String(error), { type: 'error' });
      return null;
    } finally {
      setSaving(false);
    }
  };

  return {
    post,
    saving,
    errors,
    clearErrors: () => setErrors({ lines: {}, fields: {} }),
    warning,
    /** Staff start a new batch: the next submission takes a new key (and may book these lines again). */
    newBatch: () => {
      keys.done();
      setWarning(null);
    },
  };
}
