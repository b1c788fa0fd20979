/**
 * One Idempotency-Key per submission: the same path and body sent again (a retry after an error) reuse
 * the key, other lines (or reason, or location) get a new one. `done()` after an answer: the next
 * submission, even of identical lines, is a new delivery with a new key.
 */
export function submissionKeys(newKey: () => string = () => crypto.randomUUID()) {
  let pending: { request: string; key: string } | null = null;
  return {
    keyFor(path: string, body: unknown): string {
      const request = `${path}\n${JSON.stringify(body)}`;
      if (pending?.request !== request) pending = { request, key: newKey() };
      return pending.key;
    },
    done(): void {
      pending = null;
    },
  };
}
