import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
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
  printLabelPdf,
  type LabelPrintOptions,
  type PrintHost,
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

/** A fake of Electron's printing surface: getPrintersAsync, a hidden window, webContents.print. */
function fakeElectron(tempDir: string, installed = printers, fail: string | null = null) {
  const jobs: { options: LabelPrintOptions; document: Buffer }[] = [];
  const loaded: string[] = [];
  let open = 0;
  const host: PrintHost = {
    tempDir,
    getPrinters: async () => installed,
    async loadDocument(file) {
      loaded.push(file);
      const document = await readFile(file);
      open++;
      return {
        print(options, callback) {
          jobs.push({ options, document });
          // Electron calls back asynchronously once the spooler took (or refused) the job.
          setImmediate(() => callback(fail === null, fail ?? ''));
        },
        destroy: () => {
          open--;
        },
      };
    },
  };
  return { host, jobs, loaded, openWindows: () => open };
}

/** Three 4x6 pages in one file, as GET /api/admin/shipments/labels?ids=a&ids=b&ids=c returns them. */
const batchPdf = new TextEncoder().encode(
  '%PDF-1.3\n1 0 obj << /Type /Page >> endobj\n2 0 obj << /Type /Page >> endobj\n3 0 obj << /Type /Page >> endobj\n%%EOF\n',
);

describe('printing labels through Electron (fake webContents)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mcart-print-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('asks for the printer once, remembers it, then prints silently at 4x6 after a restart', async () => {
    const electron = fakeElectron(dir);
    const file = join(dir, 'label-printer.json');
    const store = await openLabelPrinterStore(file);
    expect(await printLabelPdf(batchPdf, 1, store.get(), electron.host)).toMatchObject({
      ok: false,
      reason: 'no-printer-chosen',
    });
    expect(electron.jobs).toEqual([]);

    await store.set('Zebra_ZD421');
    const restarted = await openLabelPrinterStore(file);
    expect(await printLabelPdf(batchPdf, 1, restarted.get(), electron.host)).toEqual({
      ok: true,
      printer: 'Zebra_ZD421',
    });
    expect(electron.jobs).toHaveLength(1);
    expect(electron.jobs[0]!.options).toEqual(labelPrintOptions('Zebra_ZD421', 1));
    expect(electron.jobs[0]!.options).toMatchObject({
      silent: true,
      deviceName: 'Zebra_ZD421',
      pageSize: { width: 101_600, height: 152_400 },
    });
  });

  it('prints a batch of labels as one job from one merged PDF, and cleans up after itself', async () => {
    const electron = fakeElectron(dir);
    expect(await printLabelPdf(batchPdf, 2, 'Zebra_ZD421', electron.host)).toMatchObject({ ok: true });
    // One window, one print call, with the whole file: the spooler gets a single job of three pages.
    expect(electron.loaded).toHaveLength(1);
    expect(electron.jobs).toHaveLength(1);
    expect(electron.jobs[0]!.options.copies).toBe(2);
    expect(new Uint8Array(electron.jobs[0]!.document)).toEqual(batchPdf);
    expect(electron.jobs[0]!.document.toString('latin1').match(/\/Type \/Page\b/g)).toHaveLength(3);
    expect(electron.openWindows()).toBe(0);
    expect(existsSync(electron.loaded[0]!)).toBe(false);
    expect(await readdir(dir)).toEqual([]);
  });

  it('never falls back to another printer and reports a failed job', async () => {
    const gone = fakeElectron(dir);
    expect(await printLabelPdf(batchPdf, 1, 'Zebra_GONE', gone.host)).toMatchObject({
      ok: false,
      reason: 'printer-missing',
    });
    expect(gone.jobs).toEqual([]);
    expect(await printLabelPdf(batchPdf, 1, 'Zebra_ZD421', fakeElectron(dir, []).host)).toMatchObject({
      ok: false,
      reason: 'no-printers',
    });

    const jammed = fakeElectron(dir, printers, 'Paper jam');
    expect(await printLabelPdf(batchPdf, 1, 'Zebra_ZD421', jammed.host)).toEqual({
      ok: false,
      reason: 'failed',
      message: 'Printing failed: Paper jam',
    });
    expect(jammed.openWindows()).toBe(0);
    expect(await readdir(dir)).toEqual([]);
  });

  it('prints nothing that is not a PDF', async () => {
    const electron = fakeElectron(dir);
    const html = new TextEncoder().encode('<html><script>alert(1)</script></html>');
    expect(await printLabelPdf(html, 1, 'Zebra_ZD421', electron.host)).toMatchObject({
      ok: false,
      reason: 'invalid-document',
    });
    expect(electron.loaded).toEqual([]);
  });
});
