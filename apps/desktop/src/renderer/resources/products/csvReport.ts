/** The CSV export and import as the server defines them (apps/server/src/modules/catalog/csv.service.ts). */

export interface ImportReport {
  dryRun: boolean;
  rows: number;
  products: { created: number; updated: number };
  variants: { created: number; updated: number };
  errors: ImportErrorRow[];
}

export interface ImportErrorRow {
  line: number;
  column?: string;
  message: string;
}

export type ImportOutcome =
  | { kind: 'ok'; report: ImportReport }
  /** Row errors (422 invalid rows, 409 SKU conflicts only), nothing written. */
  | { kind: 'invalid'; errors: ImportErrorRow[]; rows: number | null; message: string }
  /** Anything else (413 too large, 403, network): one message. */
  | { kind: 'failed'; status: number; message: string };

const EXPORT_FILTERS = ['q', 'status', 'categoryId'] as const;

/** Only the filters the export route accepts (it refuses unknown query keys). */
export function exportQuery(filters: Record<string, unknown>): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of EXPORT_FILTERS) {
    const value = filters[key];
    if (typeof value === 'string' && value.trim() !== '') params.set(key, value.trim());
  }
  return params;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `line/12/sku` (the problem's field error path) → line 12, column sku. */
export function parseErrorPath(path: string): { line: number; column?: string } | null {
  const match = /^(?:body\/)?line\/(\d+)(?:\/(.+))?$/.exec(path);
  if (!match) return null;
  return match[2] ? { line: Number(match[1]), column: match[2] } : { line: Number(match[1]) };
}

/** Row errors sorted by line then column, the order a user fixes a spreadsheet in. */
export function sortErrors(errors: ImportErrorRow[]): ImportErrorRow[] {
  return [...errors].sort((a, b) => a.line - b.line || (a.column ?? '').localeCompare(b.column ?? ''));
}

/** What an import or dry-run response means for the screen. */
export function interpretImportResponse(status: number, body: unknown): ImportOutcome {
  if (status === 200 && isRecord(body) && typeof body.rows === 'number') {
    return { kind: 'ok', report: body as unknown as ImportReport };
  }
  const problem = isRecord(body) ? body : {};
  const message =
    (typeof problem.detail === 'string' && problem.detail) ||
    (typeof problem.title === 'string' && problem.title) ||
    `HTTP ${status}`;
  // Row errors come as 422 MCART_ERR_CSV_INVALID, or as 409 MCART_ERR_DUPLICATE_SKU when SKU conflicts are the
  // only ones: both carry the same `errors` and `report`, so any problem carrying a report is read as row errors.
  if (status === 422 || isRecord(problem.report)) {
    const report = isRecord(problem.report) ? (problem.report as unknown as ImportReport) : null;
    let errors: ImportErrorRow[] = report?.errors ?? [];
    if (errors.length === 0 && Array.isArray(problem.errors)) {
      errors = (problem.errors as { path?: unknown; message?: unknown }[]).flatMap((error) => {
        const at = typeof error.path === 'string' ? parseErrorPath(error.path) : null;
        return at ? [{ ...at, message: String(error.message ?? '') }] : [];
      });
    }
    if (errors.length > 0)
      return { kind: 'invalid', errors: sortErrors(errors), rows: report?.rows ?? null, message };
  }
  return { kind: 'failed', status, message };
}
