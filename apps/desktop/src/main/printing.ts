import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { LabelPrintResult, PrinterSummary } from '../shared/ipc.ts';

/**
 * Label printing decisions, kept free of Electron so vitest covers them: which printer to use, the
 * exact print options for a 4x6 inch label, and what the renderer may send. main/index.ts only wires
 * these to BrowserWindow/webContents.
 */

/** 4 x 6 inch in microns, as webContents.print's `pageSize` wants it. */
export const LABEL_PAGE_SIZE_MICRONS = { width: 101_600, height: 152_400 } as const;
/** A batch of ~200 labels stays far below this. */
export const MAX_LABEL_PDF_BYTES = 20 * 1024 * 1024;
export const MAX_COPIES = 10;

/** The subset of Electron's PrinterInfo used here (getPrintersAsync()). */
export interface PrinterLike {
  name: string;
  displayName?: string;
  isDefault?: boolean;
}

export function summarizePrinters(printers: readonly PrinterLike[]): PrinterSummary[] {
  return printers
    .map((printer) => ({
      name: printer.name,
      displayName: printer.displayName || printer.name,
      isDefault: printer.isDefault === true,
    }))
    .sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || a.displayName.localeCompare(b.displayName));
}

export type PrinterChoice =
  | { kind: 'print'; deviceName: string }
  | { kind: 'ask'; reason: 'no-printer-chosen' | 'printer-missing' | 'no-printers' };

/**
 * Silent printing only goes to the printer the user picked (remembered). If it is gone (unplugged,
 * renamed), the user is asked again instead of the job silently landing on the default office printer.
 */
export function choosePrinter(remembered: string | null, available: readonly PrinterLike[]): PrinterChoice {
  if (!available.length) return { kind: 'ask', reason: 'no-printers' };
  if (!remembered) return { kind: 'ask', reason: 'no-printer-chosen' };
  return available.some((printer) => printer.name === remembered)
    ? { kind: 'print', deviceName: remembered }
    : { kind: 'ask', reason: 'printer-missing' };
}

/** Options for webContents.print: silent, to that printer, 4x6 inch, no margins, one job. */
export function labelPrintOptions(deviceName: string, copies = 1) {
  return {
    silent: true,
    deviceName,
    printBackground: true,
    color: false,
    landscape: false,
    copies: Math.min(Math.max(1, Math.trunc(copies)), MAX_COPIES),
    margins: { marginType: 'none' as const },
    pageSize: { ...LABEL_PAGE_SIZE_MICRONS },
  };
}

/** The renderer is untrusted: only a PDF of sane size is printed. */
export function isLabelPdf(bytes: unknown): bytes is Uint8Array {
  if (!(bytes instanceof Uint8Array) || bytes.byteLength < 8 || bytes.byteLength > MAX_LABEL_PDF_BYTES)
    return false;
  return Buffer.from(bytes.subarray(0, 5)).toString('latin1') === '%PDF-';
}

export function printResultFor(choice: PrinterChoice): LabelPrintResult | null {
  if (choice.kind === 'print') return null;
  return {
    ok: false,
    reason: choice.reason,
    message:
      choice.reason === 'no-printers'
        ? 'No printer is installed on this computer.'
        : choice.reason === 'printer-missing'
          ? 'The label printer chosen before is not available. Choose the label printer again.'
          : 'Choose the label printer once; labels then print to it directly.',
  };
}

export type LabelPrintOptions = ReturnType<typeof labelPrintOptions>;

/** A loaded document that can be printed: the webContents of a hidden window, in Electron. */
export interface PrintableDocument {
  /** webContents.print(options, callback). */
  print(options: LabelPrintOptions, callback: (success: boolean, failureReason: string) => void): void;
  /** Closes the hidden window. */
  destroy(): void;
}

/** What printing needs of Electron, injected so the whole flow runs under vitest with a fake. */
export interface PrintHost {
  /** webContents.getPrintersAsync() of any window. */
  getPrinters(): Promise<PrinterLike[]>;
  /** A hidden, sandboxed window with the file loaded (its PDF viewer renders the pages). */
  loadDocument(filePath: string): Promise<PrintableDocument>;
  /** Where the PDF is written for the hidden window to load (app.getPath('temp')). */
  tempDir: string;
}

/**
 * Prints a PDF of one or many labels (the server merges a batch into one file) as ONE print job:
 * silently, to the remembered printer, 4x6 inch pages, no margins. Without a usable printer it
 * prints nothing and says why, so the renderer asks the user to pick one. The temporary file and the
 * hidden window never outlive the call.
 */
export async function printLabelPdf(
  pdf: unknown,
  copies: number,
  remembered: string | null,
  host: PrintHost,
): Promise<LabelPrintResult> {
  if (!isLabelPdf(pdf))
    return { ok: false, reason: 'invalid-document', message: 'The label file is not a PDF.' };
  const choice = choosePrinter(remembered, await host.getPrinters());
  if (choice.kind !== 'print') return printResultFor(choice)!;
  const dir = await mkdtemp(join(host.tempDir, 'mcart-labels-'));
  let document: PrintableDocument | undefined;
  try {
    const file = join(dir, 'labels.pdf');
    await writeFile(file, pdf, { mode: 0o600 });
    document = await host.loadDocument(file);
    const loaded = document;
    const failure = await new Promise<string | null>((resolve) =>
      loaded.print(labelPrintOptions(choice.deviceName, copies), (success, reason) =>
        resolve(success ? null : reason || 'failed'),
      ),
    );
    return failure
      ? { ok: false, reason: 'failed', message: `Printing failed: ${failure}` }
      : { ok: true, printer: choice.deviceName };
  } catch (err) {
    return { ok: false, reason: 'failed', message: `Printing failed: ${(err as Error).message}` };
  } finally {
    document?.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The remembered label printer, in its own small file next to the settings (atomic writes). */
export async function openLabelPrinterStore(filePath: string) {
  let current: string | null = null;
  try {
    const parsed = JSON.parse(await readFile(filePath, 'utf8')) as { printer?: unknown };
    current = typeof parsed.printer === 'string' && parsed.printer.length <= 256 ? parsed.printer : null;
  } catch {
    current = null; // missing or damaged: ask again
  }
  let writing: Promise<void> = Promise.resolve();
  return {
    get: () => current,
    async set(printer: string | null): Promise<string | null> {
      if (printer !== null && (printer.length === 0 || printer.length > 256))
        throw new Error('Invalid printer name');
      current = printer;
      writing = writing.then(async () => {
        await mkdir(dirname(filePath), { recursive: true });
        const temporary = `${filePath}.${process.pid}.tmp`;
        await writeFile(temporary, `${JSON.stringify({ printer })}\n`, { mode: 0o600 });
        await rename(temporary, filePath);
      });
      await writing;
      return current;
    },
  };
}
