import { pipeline, Readable } from 'node:stream';
import { stringify } from 'csv-stringify';

/*
 * Spreadsheets run a cell that starts with = + - @ (or a tab or carriage return, or the full-width ＝ ＋ － ＠
 * some of them read as those) as a formula: a product title or a buyer's name like `=HYPERLINK(...)` would act
 * in the file staff open. Such text cells are written with a leading apostrophe (shown as text by
 * spreadsheets); an import takes it off again (`fromSpreadsheet`), so a round trip keeps the value. Text that
 * itself starts with apostrophes before such a sign ("'=not a formula") gets one more, so the import gives it
 * back exactly; other text starting with an apostrophe ("'90s") is written as it is. Numbers are written as
 * numbers: a negative amount is a value, not a formula.
 */
const FORMULA_START = /^'*[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
export const spreadsheetSafe = (value: string) => (FORMULA_START.test(value) ? `'${value}` : value);
export const fromSpreadsheet = (value: string) =>
  value.startsWith("'") && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value;

/**
 * The options every CSV MCart writes uses: text cells made spreadsheet-safe, and cells with a `;` quoted: a
 * spreadsheet set to `;`-separated files (the default in much of Europe) would otherwise split "a;=1+2" into
 * a cell that runs as a formula.
 */
export const CSV_OPTIONS = { cast: { string: spreadsheetSafe }, quoted_match: ';' } as const;

/**
 * A CSV download streamed from rows read in batches. `pipeline`, not `pipe`: a query that fails midway ends
 * the response with the error instead of leaving it open forever.
 */
export function csvStream(rows: AsyncIterable<readonly unknown[]> | Iterable<readonly unknown[]>) {
  return pipeline(Readable.from(rows), stringify(CSV_OPTIONS), () => {});
}
