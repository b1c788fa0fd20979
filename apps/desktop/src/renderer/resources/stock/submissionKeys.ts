/**
 * The Idempotency-Key of a stock batch screen: one key for the batch, whatever is sent under it, until the
 * batch is booked (`done()` after a success) or staff start a new batch (`done()` too). Retrying after a lost
 * answer therefore reuses the key even when staff edited the lines, the reason or the location meanwhile:
 * the server replays the booking when nothing changed, refuses the edited body with 422
 * `MCART_ERR_IDEMPOTENCY_MISMATCH` when the first attempt was booked (or is still being booked), and books
 * it when the first attempt was refused (a refused batch frees its key). A new key per edit would book a
 * delivery twice when the first answer was lost.
 */
export function submissionKeys(newKey: () => string = () => crypto.randomUUID()) {
  let key: string | null = null;
  return {
    /** The batch's key, taken at its first submission. */
    key(): string {
      key ??= newKey();
      return key;
    },
    /** The batch is booked, or staff start a new one: the next submission is a new batch with a new key. */
    done(): void {
      key = null;
    },
  };
}

/**
 * What staff must know about the batch after a submission that did not book it for sure: `no_answer` (the
 * answer was lost: booked or not, sending it again under its key books it at most once), `maybe_booked` (the
 * server refused the changed batch under the key of an earlier attempt that went through), `in_progress` (that
 * earlier attempt is still running).
 */
export type BatchWarning = 'no_answer' | KeyConflict;
export type KeyConflict = 'maybe_booked' | 'in_progress';

/** What a refused submission under the batch's key means for the batch (`problem.code` of the answer). */
export function keyConflict(code: string | undefined): KeyConflict | null {
  if (code === 'MCART_ERR_IDEMPOTENCY_MISMATCH') return 'maybe_booked';
  if (code === 'MCART_ERR_IDEMPOTENCY_IN_PROGRESS') return 'in_progress';
  return null;
}
