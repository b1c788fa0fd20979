import { pipeline, Readable } from 'node:stream';
import { stringify } from 'csv-stringify';

/*
 * Spreadsheets run a cell that starts with = + - @ (or a tab or carriage return) as a formula: a product title
 * or a buyer's name like `=HYPERLINK(...)` would act in the file staff open. Such text cells are written with a
 * leading apostrophe (shown as text by spreadsheets); an import takes it off again (`fromSpreadsheet`), so a
 * round trip keeps the value. Numbers are written as numbers: a negative amount is a value, not a formula.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
export const spreadsheetSafe = (value: string) => (FORMULA_START.test(value) ? `'${value}` : value);
export const fromSpreadsheet = (value: string) =>
  value.startsWith("'") && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value;

/** The options every CSV MCart writes uses: text cells made spreadsheet-safe. */
export const CSV_OPTIONS = { cast: { string: spreadsheetSafe } } as const;

/**
 * A CSV download streamed from rows read in batches. `pipeline`, not `pipe`: a query that fails midway ends
 * the response with the error instead of leaving it open forever.
 */
export function csvStream(rows: AsyncIterable<readonly unknown[]> | Iterable<readonly unknown[]>) {
  return pipeline(Readable.from(rows), stringify(CSV_OPTIONS), () => {});
}
