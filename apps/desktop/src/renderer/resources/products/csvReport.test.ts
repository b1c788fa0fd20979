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
