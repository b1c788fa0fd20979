import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { HttpError, useNotify, useTranslate } from 'react-admin';
import type { ProblemErrorBody } from '../../api/problem.ts';
import { useConnection } from '../../connection/ConnectionContext.tsx';
import { submissionKeys } from './submissionKeys.ts';
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
 * window whose socket is reconnecting. Each submission carries an Idempotency-Key: "Book" clicked again
 * after an error sends the same lines with the same key, so a batch whose answer was lost is not booked
 * twice (the server replays its first answer).
 */
export function useStockPost<T>() {
  const { http } = useConnection();
  const [keys] = useState(() => submissionKeys());
  const notify = useNotify();
  const translate = useTranslate();
  const queryClient = useQueryClient();
  const [saving, setSaving] = useState(false);
  const [errors, setErrors] = useState<PlacedErrors>({ lines: {}, fields: {} });

  const post = async (path: string, body: unknown, sent: readonly PendingLine[]): Promise<T | null> => {
    setSaving(true);
    setErrors({ lines: {}, fields: {} });
    try {
      const { body: answer } = await http.request<T>(path, {
        method: 'POST',
        body,
        headers: { 'Idempotency-Key': keys.keyFor(path, body) },
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

  return { post, saving, errors, clearErrors: () => setErrors({ lines: {}, fields: {} }) };
}
