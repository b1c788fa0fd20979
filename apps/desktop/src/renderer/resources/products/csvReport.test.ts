import { describe, expect, it } from 'vitest';
import { exportQuery, interpretImportResponse, parseErrorPath } from './csvReport.ts';

describe('CSV export query', () => {
  it('keeps only the filters the export route accepts', () => {
    const query = exportQuery({
      q: ' mug ',
      status: 'published',
      categoryId: 'c1',
      page: 2,
      extra: 'x',
      empty: '',
    });
    expect(query.toString()).toBe('q=mug&status=published&categoryId=c1');
    expect(exportQuery({ q: '  ' }).toString()).toBe('');
  });
});

describe('CSV import report', () => {
  const report = {
    dryRun: true,
    rows: 3,
    products: { created: 1, updated: 1 },
    variants: { created: 2, updated: 1 },
    errors: [],
  };

  it('returns the report of a clean dry run or import', () => {
    expect(interpretImportResponse(200, report)).toEqual({ kind: 'ok', report });
  });

  it('maps a 422 to row errors, sorted by line, from the report', () => {
    const body = {
      status: 422,
      title: 'The CSV file has errors; nothing was imported',
      code: 'MCART_ERR_CSV_INVALID',
      detail: '2 error(s) in 5 row(s)',
      errors: [
        { path: 'line/7/price', message: 'must be an amount' },
        { path: 'line/3/sku', message: 'is required' },
      ],
      report: {
        ...report,
        rows: 5,
        errors: [
          { line: 7, column: 'price', message: 'must be an amount' },
          { line: 3, column: 'sku', message: 'is required' },
        ],
      },
    };
    expect(interpretImportResponse(422, body)).toEqual({
      kind: 'invalid',
      rows: 5,
      message: '2 error(s) in 5 row(s)',
      errors: [
        { line: 3, column: 'sku', message: 'is required' },
        { line: 7, column: 'price', message: 'must be an amount' },
      ],
    });
  });

  it('falls back to the field error paths when the report is missing', () => {
    const body = {
      status: 422,
      title: 'Invalid',
      code: 'MCART_ERR_CSV_INVALID',
      errors: [
        { path: 'line/4', message: 'wrong number of columns' },
        { path: 'line/2/title', message: 'is required' },
      ],
    };
    const outcome = interpretImportResponse(422, body);
    expect(outcome).toMatchObject({
      kind: 'invalid',
      rows: null,
      errors: [
        { line: 2, column: 'title', message: 'is required' },
        { line: 4, message: 'wrong number of columns' },
      ],
    });
  });

  it('maps a 409 carrying the report (SKU conflicts only) to row errors, as a 422', () => {
    const body = {
      status: 409,
      title: 'A variant with this SKU already exists',
      code: 'MCART_ERR_DUPLICATE_SKU',
      detail: '2 error(s) in 4 row(s)',
      errors: [
        { path: 'line/5/sku', message: 'SKU "ABC-1" already exists (as "abc-1")' },
        { path: 'line/2/sku', message: 'SKU "MUG" is used twice in the file' },
      ],
      report: {
        ...report,
        rows: 4,
        errors: [
          { line: 5, column: 'sku', message: 'SKU "ABC-1" already exists (as "abc-1")' },
          { line: 2, column: 'sku', message: 'SKU "MUG" is used twice in the file' },
        ],
      },
    };
    expect(interpretImportResponse(409, body)).toEqual({
      kind: 'invalid',
      rows: 4,
      message: '2 error(s) in 4 row(s)',
      errors: [
        { line: 2, column: 'sku', message: 'SKU "MUG" is used twice in the file' },
        { line: 5, column: 'sku', message: 'SKU "ABC-1" already exists (as "abc-1")' },
      ],
    });
  });

  it('keeps a 409 without a report (a race with another import) as one message', () => {
    expect(
      interpretImportResponse(409, {
        status: 409,
        title: 'A variant with this SKU already exists',
        code: 'MCART_ERR_DUPLICATE_SKU',
        detail: 'A variant with one of these SKUs was just created',
      }),
    ).toEqual({ kind: 'failed', status: 409, message: 'A variant with one of these SKUs was just created' });
  });

  it('reports other failures with their message', () => {
    expect(
      interpretImportResponse(413, {
        status: 413,
        title: 'The CSV file is larger than 50 MB',
        code: 'MCART_ERR_CSV_TOO_LARGE',
      }),
    ).toEqual({
      kind: 'failed',
      status: 413,
      message: 'The CSV file is larger than 50 MB',
    });
    expect(interpretImportResponse(0, undefined)).toEqual({ kind: 'failed', status: 0, message: 'HTTP 0' });
    expect(
      interpretImportResponse(422, {
        title: 'Invalid',
        errors: [{ path: 'body/file', message: 'is required' }],
      }),
    ).toMatchObject({
      kind: 'failed',
    });
  });

  it('parses error paths', () => {
    expect(parseErrorPath('line/12/sku')).toEqual({ line: 12, column: 'sku' });
    expect(parseErrorPath('line/1')).toEqual({ line: 1 });
    expect(parseErrorPath('body/file')).toBeNull();
  });
});
