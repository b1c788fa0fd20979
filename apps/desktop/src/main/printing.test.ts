import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  choosePrinter,
  isLabelPdf,
  LABEL_PAGE_SIZE_MICRONS,
  labelPrintOptions,
  MAX_LABEL_PDF_BYTES,
  openLabelPrinterStore,
  printResultFor,
  summarizePrinters,
} from './printing.ts';
import { validateIpcArguments } from './security.ts';

const printers = [
  { name: 'HP_Office', displayName: 'HP Office', isDefault: true },
  { name: 'Zebra_ZD421', displayName: 'Zebra ZD421' },
];

describe('label printer choice', () => {
  it('prints silently only to the printer the user picked, while it exists', () => {
    expect(choosePrinter('Zebra_ZD421', printers)).toEqual({ kind: 'print', deviceName: 'Zebra_ZD421' });
    expect(choosePrinter(null, printers)).toEqual({ kind: 'ask', reason: 'no-printer-chosen' });
    // Unplugged: never fall back to the default office printer.
    expect(choosePrinter('Zebra_GONE', printers)).toEqual({ kind: 'ask', reason: 'printer-missing' });
    expect(choosePrinter('Zebra_ZD421', [])).toEqual({ kind: 'ask', reason: 'no-printers' });
    expect(printResultFor(choosePrinter('Zebra_GONE', printers))).toMatchObject({
      ok: false,
      reason: 'printer-missing',
    });
    expect(printResultFor(choosePrinter('Zebra_ZD421', printers))).toBeNull();
  });

  it('lists printers with the default first', () => {
    expect(summarizePrinters([printers[1]!, printers[0]!]).map((p) => p.name)).toEqual([
      'HP_Office',
      'Zebra_ZD421',
    ]);
  });
});

describe('4x6 print options', () => {
  it('are silent, to the device, 4x6 inch in microns, without margins', () => {
    expect(LABEL_PAGE_SIZE_MICRONS).toEqual({ width: 4 * 25_400, height: 6 * 25_400 });
    expect(labelPrintOptions('Zebra_ZD421', 2)).toEqual({
      silent: true,
      deviceName: 'Zebra_ZD421',
      printBackground: true,
      color: false,
      landscape: false,
      copies: 2,
      margins: { marginType: 'none' },
      pageSize: { width: 101_600, height: 152_400 },
    });
    expect(labelPrintOptions('Z', 99).copies).toBe(10);
    expect(labelPrintOptions('Z', 0).copies).toBe(1);
  });

  it('only accept a PDF of sane size from the renderer', () => {
    expect(isLabelPdf(new TextEncoder().encode('%PDF-1.3\n...'))).toBe(true);
    expect(isLabelPdf(new TextEncoder().encode('<html>not a pdf</html>'))).toBe(false);
    expect(isLabelPdf('%PDF-1.3 as a string')).toBe(false);
    expect(isLabelPdf(new Uint8Array(MAX_LABEL_PDF_BYTES + 1))).toBe(false);
  });

  it('validates the print channels arguments', () => {
    expect(() => validateIpcArguments('print:labels', [new Uint8Array(10), 1])).not.toThrow();
    expect(() => validateIpcArguments('print:labels', ['pdf', 1])).toThrow();
    expect(() => validateIpcArguments('print:labels', [new Uint8Array(10), 50])).toThrow();
    expect(() => validateIpcArguments('print:set-label-printer', [null])).not.toThrow();
    expect(() => validateIpcArguments('print:set-label-printer', [''])).toThrow();
  });
});

describe('remembered label printer', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mcart-printer-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('is remembered across restarts and survives a damaged file', async () => {
    const file = join(dir, 'label-printer.json');
    const store = await openLabelPrinterStore(file);
    expect(store.get()).toBeNull();
    await store.set('Zebra_ZD421');
    expect((await openLabelPrinterStore(file)).get()).toBe('Zebra_ZD421');
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ printer: 'Zebra_ZD421' });
    await writeFile(file, '{broken');
    expect((await openLabelPrinterStore(file)).get()).toBeNull();
  });
});
