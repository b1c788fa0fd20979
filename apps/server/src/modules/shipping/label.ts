import type { PostalAddress } from './providers/provider.ts';
import { ShippingErrors } from './shipping.errors.ts';
import { cityLines } from '../../platform/regions.ts';

/** Everything printed on a 4x6 inch shipping label. */
export interface LabelData {
  trackingNumber: string;
  carrier: string;
  service: string;
  orderNumber: string;
  weightGrams: number;
  from: PostalAddress;
  to: PostalAddress;
  shippedOn: Date;
}

/** 4x6 inch in PDF points (1/72 inch) and in 203 dpi thermal-printer dots. */
const PAGE = { width: 4 * 72, height: 6 * 72 } as const;
const DOTS = { width: 4 * 203, height: 6 * 203 } as const;
/** The longest recipient line both the PDF and the ZPL label print at a legible size. */
export const MAX_LINE_CHARS = 35;
const MAX_SENDER_LINE_CHARS = 45;

/** Characters the label fonts can print (PDF standard fonts use WinAnsi; ZPL font 0 with ^CI28 the same range). */
const PRINTABLE = /^[\u0020-\u007e\u00a0-\u00ff]*$/;
const NOT_PRINTABLE = /[^\u0020-\u007e\u00a0-\u00ff]/gu;

/**
 * Typographic punctuation, odd spaces and line breaks that phones and word processors put into addresses
 * (O’Brien, St Mary’s Road, Anne–Marie), as the plain characters the label prints: same meaning, nothing
 * lost, where refusing them would leave the order unshippable.
 */
const PLAIN: Record<string, string> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201a': "'",
  '\u201b': "'",
  '\u2032': "'",
  '\u02bc': "'",
  '\u201c': '"',
  '\u201d': '"',
  '\u201e': '"',
  '\u201f': '"',
  '\u2033': '"',
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2013': '-',
  '\u2014': '-',
  '\u2015': '-',
  '\u2212': '-',
  '\u2026': '...',
  '\u200b': '',
  '\u200c': '',
  '\u200d': '',
  '\u2060': '',
  '\ufeff': '',
};
// An alternation, not a character class: a zero-width joiner inside a class would join its neighbours.
const TYPOGRAPHIC = new RegExp(Object.keys(PLAIN).join('|'), 'g');

/**
 * A value as the label prints it: composed (NFC: an "é" typed as e + combining accent is one Latin-1
 * letter), typographic punctuation as plain punctuation, any run of spaces, tabs or line breaks as one space.
 */
export function labelText(value: string): string {
  return value
    .normalize('NFC')
    .replace(TYPOGRAPHIC, (char) => PLAIN[char] ?? char)
    .replace(/[\s\u00a0]+/g, ' ')
    .trim();
}

/** The city line (and a region line where the post wants one) as `cityLines` composes it, of label text. */
function printedCityLines(address: PostalAddress): { field: 'city' | 'region'; text: string }[] {
  const lines = cityLines({
    city: labelText(address.city),
    postalCode: labelText(address.postalCode),
    region: address.region === undefined ? undefined : labelText(address.region),
    country: address.country,
  });
  return [
    { field: 'city', text: lines.city },
    ...(lines.region ? [{ field: 'region' as const, text: lines.region }] : []),
  ];
}

/** The lines of an address as printed, each with the field it is checked as (`city` is the whole city line). */
function printedLines(address: PostalAddress): { field: string; text: string }[] {
  const optional = (field: string, value: string | undefined) =>
    value === undefined ? [] : [{ field, text: labelText(value) }];
  return [
    { field: 'name', text: labelText(address.name) },
    ...optional('company', address.company),
    { field: 'line1', text: labelText(address.line1) },
    ...optional('line2', address.line2),
    ...printedCityLines(address),
    { field: 'country', text: labelText(address.country) },
    ...optional('phone', address.phone),
  ].filter((line) => line.text !== '');
}

const addressLines = (address: PostalAddress) => printedLines(address).map((line) => line.text);

/**
 * Refuses, with field errors, an address the label cannot show in full: a truncated address is a lost
 * parcel. Checked before a label is bought, so nothing is half-done. Each printed line must fit; each field
 * must be printable (named by itself, even when it shares the city line).
 */
export function assertLabelFits(data: Pick<LabelData, 'from' | 'to'>): void {
  const errors: { path: string; message: string }[] = [];
  const check = (prefix: string, address: PostalAddress, max: number) => {
    const failed = new Set<string>();
    for (const { field, text } of printedLines(address)) {
      if (text.length <= max) continue;
      failed.add(field);
      errors.push({
        path: `${prefix}/${field}`,
        message: `is ${text.length} characters; the label prints at most ${max}`,
      });
    }
    const fields: [string, string | undefined][] = [
      ['name', address.name],
      ['company', address.company],
      ['line1', address.line1],
      ['line2', address.line2],
      ['city', address.city],
      ['region', address.region],
      ['postalCode', address.postalCode],
      ['phone', address.phone],
    ];
    for (const [field, raw] of fields) {
      if (raw === undefined || failed.has(field)) continue;
      const value = labelText(raw);
      if (PRINTABLE.test(value)) continue;
      const unprintable = [...new Set(value.match(NOT_PRINTABLE))].slice(0, 5);
      errors.push({
        path: `${prefix}/${field}`,
        message: `has characters the label printer cannot print (${unprintable.join(' ')})`,
      });
    }
  };
  check('shippingAddress', data.to, MAX_LINE_CHARS);
  check('senderAddress', data.from, MAX_SENDER_LINE_CHARS);
  if (errors.length)
    throw ShippingErrors.labelDoesNotFit(errors.map((e) => `${e.path} ${e.message}`).join('; '), { errors });
}

export async function barcodePng(text: string, scale = 3): Promise<Buffer> {
  // Loaded on first use: a server that never prints a label does not carry the barcode library.
  const { default: bwipjs } = await import('bwip-js');
  return bwipjs.toBuffer({
    bcid: 'code128',
    text,
    scale,
    height: 18,
    includetext: false,
    paddingwidth: 10,
    paddingheight: 4,
    backgroundcolor: 'FFFFFF',
  });
}

const formatWeight = (grams: number) => (grams >= 1000 ? `${(grams / 1000).toFixed(2)} kg` : `${grams} g`);

function drawLabel(doc: PDFKit.PDFDocument, data: LabelData, barcode: Buffer): void {
  const margin = 12;
  const width = PAGE.width - 2 * margin;
  doc
    .lineWidth(1.5)
    .rect(margin / 2, margin / 2, PAGE.width - margin, PAGE.height - margin)
    .stroke();

  // Sender block. Its lines (up to 45 characters) wrap in its column: a long address takes a smaller size so
  // that it stays above the rule at 92 instead of running through it into "SHIP TO".
  doc.font('Helvetica').fontSize(7).text('FROM', margin, margin);
  const sender = addressLines(data.from).join('\n');
  const senderBox = { width: width * 0.62, lineGap: 0 };
  let senderSize = 8;
  while (senderSize > 5 && doc.fontSize(senderSize).heightOfString(sender, senderBox) > 92 - 2 - (margin + 9))
    senderSize -= 0.5;
  doc.fontSize(senderSize).text(sender, margin, margin + 9, senderBox);
  doc
    .font('Helvetica-Bold')
    .fontSize(10)
    .text(data.carrier, margin + width * 0.62, margin, { width: width * 0.38, align: 'right' });
  doc
    .font('Helvetica')
    .fontSize(8)
    .text(data.service, margin + width * 0.62, margin + 13, { width: width * 0.38, align: 'right' });
  doc
    .moveTo(margin / 2, 92)
    .lineTo(PAGE.width - margin / 2, 92)
    .stroke();

  // Recipient block: the largest text on the label. A long address (company, a region line) takes a
  // smaller size so that it stays above the rule at 232.
  doc.font('Helvetica').fontSize(8).text('SHIP TO', margin, 100);
  let y = 112;
  const lines = addressLines(data.to);
  let scale = 1;
  const height = (s: number) => 14 * s + 4 + (lines.length - 1) * (12 * s + 4);
  while (scale > 0.7 && height(scale) > 232 - 4 - y) scale -= 0.05;
  for (const [index, line] of lines.entries()) {
    let size = (index === 0 ? 14 : 12) * scale;
    doc.font('Helvetica-Bold');
    // Wide glyphs (W, M) can overflow at full size: shrink, never cut.
    while (size > 8 && doc.fontSize(size).widthOfString(line) > width) size -= 0.5;
    doc.fontSize(size).text(line, margin, y, { width, lineBreak: false });
    y += (index === 0 ? 14 : 12) * scale + 4;
  }
  doc
    .moveTo(margin / 2, 232)
    .lineTo(PAGE.width - margin / 2, 232)
    .stroke();

  // Order and weight
  doc.font('Helvetica').fontSize(9);
  doc.text(`Order ${data.orderNumber}`, margin, 240);
  doc.text(`Weight ${formatWeight(data.weightGrams)}`, margin, 240, { width, align: 'right' });
  doc.text(`Shipped ${data.shippedOn.toISOString().slice(0, 10)}`, margin, 253);
  doc
    .moveTo(margin / 2, 270)
    .lineTo(PAGE.width - margin / 2, 270)
    .stroke();

  // Tracking barcode (Code 128) with the number in human-readable form below it.
  doc.image(barcode, margin, 282, { fit: [width, 100], align: 'center' });
  doc
    .font('Helvetica-Bold')
    .fontSize(14)
    .text(data.trackingNumber.replace(/^(..)(\d{3})(\d{3})(\d{3})(..)$/, '$1 $2 $3 $4 $5'), margin, 390, {
      width,
      align: 'center',
    });
}

/** One PDF with one 4x6 page per label (a batch prints as one job). */
export async function renderLabelsPdf(labels: LabelData[]): Promise<Buffer> {
  for (const label of labels) assertLabelFits(label);
  const barcodes = await Promise.all(labels.map((label) => barcodePng(label.trackingNumber)));
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({
    size: [PAGE.width, PAGE.height],
    margin: 0,
    autoFirstPage: false,
    info: { Title: 'Shipping labels', Creator: 'MCart' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  labels.forEach((label, index) => {
    doc.addPage({ size: [PAGE.width, PAGE.height], margin: 0 });
    drawLabel(doc, label, barcodes[index]!);
  });
  doc.end();
  return done;
}

/**
 * Several label PDFs as one document, pages in the given order: a batch that mixes built-in labels with
 * labels downloaded from a hosted provider still prints as one job. Pages are copied as they are (a
 * carrier's 4x6 page stays 4x6).
 */
export async function mergePdfs(files: Buffer[]): Promise<Buffer> {
  const { PDFDocument } = await import('pdf-lib');
  const merged = await PDFDocument.create();
  merged.setTitle('Shipping labels');
  merged.setCreator('MCart');
  for (const [index, file] of files.entries()) {
    let source: Awaited<ReturnType<typeof PDFDocument.load>>;
    try {
      source = await PDFDocument.load(file);
    } catch {
      throw ShippingErrors.providerFailed(`Label ${index + 1} of the batch is not a readable PDF`);
    }
    for (const page of await merged.copyPages(source, source.getPageIndices())) merged.addPage(page);
  }
  return Buffer.from(await merged.save());
}

/** ZPL field data: `^` and `~` are commands, so they are written as hex escapes (^FH). */
const zplField = (value: string) =>
  value.replace(/[\\^~_]/g, (c) => `_${c.charCodeAt(0).toString(16).padStart(2, '0')}`);

/**
 * Advance widths of Helvetica-Bold for printable ASCII (space to ~), in 1/1000 of the font's width. The printers'
 * font 0 (CG Triumvirate Bold Condensed) is narrower for every character, so a line these widths fit in a box
 * fits there on paper too; the ZPL layout measures with them, as the PDF label measures with its own font.
 */
// prettier-ignore
const BOLD_WIDTHS = [
  278, 333, 474, 556, 556, 889, 722, 278, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556,
  556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722,
  611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, 278, 556,
  611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778,
  556, 556, 500, 389, 280, 389, 584,
];

/** Width in dots of a text in ZPL font 0 with characters `charWidth` dots wide (an upper bound, see above). */
export function zplTextWidth(text: string, charWidth: number): number {
  let units = 0;
  for (const char of text) {
    // An accented letter is as wide as its base letter; anything else outside ASCII (Æ, ß) counts as a full em.
    const base = char.normalize('NFD').charCodeAt(0);
    units += base >= 0x20 && base <= 0x7e ? BOLD_WIDTHS[base - 0x20]! : 1000;
  }
  return (units / 1000) * charWidth;
}

/** ZPL font 0 at a height, as the label writes it: characters three quarters as wide as they are high. */
const zplCharWidth = (height: number) => Math.round(height * 0.75);

/** The largest height from `max` down to `min` at which the text fits `width` dots (`min` when none does). */
function zplFitHeight(text: string, width: number, max: number, min: number): number {
  let height = max;
  while (height > min && zplTextWidth(text, zplCharWidth(height)) > width) height--;
  return height;
}

/** A text cut to `width` dots at `height`, ending in "..." (only for what is printed elsewhere too). */
function zplCut(text: string, width: number, height: number): string {
  const charWidth = zplCharWidth(height);
  const kept = [...text];
  while (kept.length && zplTextWidth(`${kept.join('').trimEnd()}...`, charWidth) > width) kept.pop();
  return `${kept.join('').trimEnd()}...`;
}

/** The text as it is when it fits `width` dots at `height`, else cut (see `zplCut`). */
const zplTruncate = (text: string, width: number, height: number) =>
  zplTextWidth(text, zplCharWidth(height)) <= width ? text : zplCut(text, width, height);

/** Lines of text broken at spaces to fit `width` dots (a word wider than that is broken where it must be). */
function zplWrap(text: string, width: number, charWidth: number): string[] {
  const lines: string[] = [];
  let line = '';
  const fits = (value: string) => zplTextWidth(value, charWidth) <= width;
  for (const word of text.split(' ')) {
    const candidate = line ? `${line} ${word}` : word;
    if (fits(candidate)) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    line = '';
    let rest = word;
    while (!fits(rest)) {
      let cut = [...rest];
      while (cut.length > 1 && !fits(cut.join(''))) cut = cut.slice(0, -1);
      lines.push(cut.join(''));
      rest = [...rest].slice(cut.length).join('');
    }
    line = rest;
  }
  if (line) lines.push(line);
  return lines;
}

/** Label geometry in dots: the sender's column ends 20 dots before the carrier's (x 560), above the rule at 260. */
const ZPL_SENDER_BOX = { x: 40, y: 64, width: 500, height: 260 - 8 - 64 } as const;
const ZPL_CARRIER_BOX = { x: 560, width: 772 - 560 } as const;
const ZPL_CONTENT_WIDTH = 772 - 40;

/**
 * The sender block of the ZPL label: its address lines in a column left of the carrier's, wrapped at spaces,
 * in the largest type (20 dots down to 12) at which every line stays above the rule. The addresses the label
 * check allows always fit; anything longer loses its last lines, the last one printed ending in "...".
 */
export function zplSenderBlock(
  lines: string[],
  box: { width: number; height: number } = ZPL_SENDER_BOX,
): { height: number; pitch: number; lines: string[] } {
  const layout = (height: number) => ({
    height,
    pitch: height + 2,
    lines: lines.flatMap((line) => zplWrap(line, box.width, zplCharWidth(height))),
  });
  const tooTall = (block: ReturnType<typeof layout>) => block.lines.length * block.pitch - 2 > box.height;
  let block = layout(20);
  for (let height = 19; height >= 12 && tooTall(block); height--) block = layout(height);
  const room = Math.max(1, Math.floor((box.height + 2) / block.pitch));
  if (block.lines.length <= room) return block;
  const kept = block.lines.slice(0, room);
  kept[room - 1] = zplCut(kept[room - 1]!, box.width, block.height);
  return { ...block, lines: kept };
}

/** ZPL II for 203 dpi thermal printers, 4x6 inch; UTF-8 (^CI28). Several labels are concatenated. */
export function renderLabelsZpl(labels: LabelData[]): string {
  return labels
    .map((data) => {
      assertLabelFits(data);
      const out: string[] = ['^XA', '^CI28', `^PW${DOTS.width}`, `^LL${DOTS.height}`, '^LH0,0'];
      const text = (x: number, y: number, height: number, value: string) =>
        out.push(`^FO${x},${y}^A0N,${height},${zplCharWidth(height)}^FH^FD${zplField(value)}^FS`);
      /** Text in the largest type from `max` down to `min` that fits `width`; cut with "..." below `min`. */
      const fitted = (x: number, y: number, width: number, max: number, min: number, value: string) => {
        const height = zplFitHeight(value, width, max, min);
        text(x, y, height, zplTruncate(value, width, height));
      };
      out.push('^FO20,20^GB772,1178,3^FS');
      text(40, 40, 20, 'FROM');
      // A long store name or address used to run at full size through the carrier's column and off the label.
      const sender = zplSenderBlock(addressLines(data.from));
      sender.lines.forEach((line, i) =>
        text(ZPL_SENDER_BOX.x, ZPL_SENDER_BOX.y + i * sender.pitch, sender.height, line),
      );
      fitted(ZPL_CARRIER_BOX.x, 40, ZPL_CARRIER_BOX.width, 28, 16, data.carrier);
      fitted(ZPL_CARRIER_BOX.x, 74, ZPL_CARRIER_BOX.width, 20, 14, data.service);
      out.push('^FO20,260^GB772,3,3^FS');
      text(40, 280, 22, 'SHIP TO');
      // The recipient is never cut (a cut address is a lost parcel): wide letters take a smaller size. Any line
      // the label check allows (35 characters, even all W) fits the label's width at 29 dots.
      addressLines(data.to).forEach((line, i) => {
        const max = i === 0 ? 34 : 30;
        text(40, 312 + i * 40, zplFitHeight(line, ZPL_CONTENT_WIDTH, max, 20), line);
      });
      out.push('^FO20,640^GB772,3,3^FS');
      fitted(40, 660, 440, 26, 16, `Order ${data.orderNumber}`);
      text(500, 660, 26, `Weight ${formatWeight(data.weightGrams)}`);
      text(40, 696, 22, `Shipped ${data.shippedOn.toISOString().slice(0, 10)}`);
      out.push('^FO20,740^GB772,3,3^FS');
      out.push(`^FO70,780^BY3^BCN,220,N,N,N^FD${data.trackingNumber}^FS`);
      text(160, 1030, 40, data.trackingNumber);
      out.push('^XZ');
      return out.join('\n');
    })
    .join('\n');
}
