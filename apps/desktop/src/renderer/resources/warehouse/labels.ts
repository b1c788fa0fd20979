/** Where the label PDF of one or several shipments comes from (several = one file, one print job). */
export function labelPath(ids: readonly string[]): string {
  if (ids.length === 0) throw new Error('No shipment to print');
  if (ids.length === 1) return `/api/admin/shipments/${encodeURIComponent(ids[0]!)}/label?format=pdf`;
  const query = new URLSearchParams();
  for (const id of new Set(ids)) query.append('ids', id);
  query.set('format', 'pdf');
  return `/api/admin/shipments/labels?${query.toString()}`;
}

export function labelFileName(ids: readonly string[]): string {
  return ids.length === 1 ? `label-${ids[0]}.pdf` : `labels-${new Set(ids).size}.pdf`;
}

/** A print failure the user fixes by choosing (another) printer, rather than a plain error. */
export function needsPrinterChoice(reason: string): boolean {
  return reason === 'no-printer-chosen' || reason === 'printer-missing';
}
