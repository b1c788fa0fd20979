/**
 * What the orders list's status tabs know of `GET /api/admin/orders/counts`: nothing yet, the counts of the
 * last read, or that the last read failed. A failed read never shows figures as if they were true: neither
 * zero nor the counts of an earlier read.
 */
export type StatusCounts =
  | { state: 'loading' }
  | { state: 'read'; counts: Record<string, number> }
  | { state: 'failed'; error: string };

/**
 * The count a tab shows next to its status: the figure read, `null` while the first read is on its way
 * (nothing shown), or `'?'` when the counts could not be read. A status the server did not count has none.
 */
export function tabCount(counts: StatusCounts, status: string): string | null {
  if (counts.state === 'loading') return null;
  if (counts.state === 'failed') return '?';
  return String(counts.counts[status] ?? 0);
}
