import { text } from 'node:stream/consumers';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvStream, fromSpreadsheet, spreadsheetSafe } from './csv.ts';

const VALUES = [
  '',
  'plain',
  '=SUM(A1)',
  '+1',
  '-5 off',
  '@user',
  '\tindented',
  '\rreturn',
  '＝full width',
  "'=not a formula",
  "''+two apostrophes",
  "'90s style",
  "''",
  "'",
  "it's = fine",
];

describe('spreadsheet-safe CSV cells', () => {
  it('gives every text back exactly after a round trip', () => {
    for (const value of VALUES) expect(fromSpreadsheet(spreadsheetSafe(value)), value).toBe(value);
  });

  it('never writes a text cell a spreadsheet would run as a formula', () => {
    for (const value of VALUES) expect(spreadsheetSafe(value), value).not.toMatch(/^[=+\-@\t\r＝＋－＠]/);
    expect(spreadsheetSafe('=1+2')).toBe("'=1+2");
    expect(spreadsheetSafe("'=1+2")).toBe("''=1+2");
    // Text starting with an apostrophe before no formula sign is written (and read) as it is.
    expect(spreadsheetSafe("'90s")).toBe("'90s");
    expect(fromSpreadsheet("'90s")).toBe("'90s");
    // What a person types in a spreadsheet to keep a formula sign as text is read as that text.
    expect(fromSpreadsheet("'=1+2")).toBe('=1+2');
  });

  it('quotes cells with a semicolon, so a ;-separated spreadsheet does not split one into a formula', async () => {
    const written = await text(
      csvStream([
        ['sku', 'title', 'price'],
        ['A-1', 'Mug;=1+2', -5],
      ]),
    );
    expect(written).toBe('sku,title,price\nA-1,"Mug;=1+2",-5\n');
    expect(parse(written)).toEqual([
      ['sku', 'title', 'price'],
      ['A-1', 'Mug;=1+2', '-5'],
    ]);
  });
});
