import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Font, Glyph, GlyphRun } from 'fontkit';
import { formatMoney } from '../../platform/money.ts';
import { cityLines } from '../../platform/regions.ts';
import type { DocumentSnapshot, PostalAddress } from './invoicing.service.ts';

/** A4 in PDF points (1/72 inch). */
const PAGE = { width: 595.28, height: 841.89 } as const;
const MARGIN = 50;
const RIGHT = PAGE.width - MARGIN;
const WIDTH = RIGHT - MARGIN;
/** Lines of the table stop here; the rest of the page is the footer's. */
const BOTTOM = PAGE.height - 80;
const GREY = '#555555';

/** Table columns: x and width; numbers are right-aligned. */
const COLUMNS = {
  description: { x: MARGIN, width: 190 },
  sku: { x: MARGIN + 195, width: 120 },
  quantity: { x: MARGIN + 315, width: 30 },
  unitPrice: { x: MARGIN + 350, width: 70 },
  amount: { x: MARGIN + 425, width: WIDTH - 425 },
} as const;
/** The totals' labels start here, right-aligned against the amounts. */
const TOTALS_LABEL = { x: MARGIN + 150 } as const;

/** The faces a document is set in: the embedded DejaVu Sans, or the standard Helvetica (ADR 0049, Fonts). */
interface Faces {
  regular: string;
  bold: string;
}
/** The embedded fonts, registered under these names on each document. */
const EMBEDDED: Faces = { regular: 'DejaVuSans', bold: 'DejaVuSans-Bold' };
/** PDF standard fonts: every viewer has them, nothing is embedded, and pdfkit sets them without fontkit. */
const STANDARD: Faces = { regular: 'Helvetica', bold: 'Helvetica-Bold' };

/**
 * Text the standard fonts print as written: what their encoding (WinAnsi) holds, as pdfkit maps it. Line
 * breaks are allowed (a multi-line `text` call); the soft hyphen is left to the embedded fonts.
 */
const WIN_ANSI =
  /^[\n\x20-\x7e\xa0-\xac\xae-\xff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e\u2020\u2021\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]*$/;
/** Thrown when a document being set in the standard fonts meets text they cannot print: it is set again, embedded. */
class NotWinAnsi extends Error {}

interface FontFiles {
  regular: Buffer;
  bold: Buffer;
  /** The code points both faces have a glyph for. */
  covered: Set<number>;
}
let fontFiles: FontFiles | undefined;

/**
 * DejaVu Sans and DejaVu Sans Bold (npm `dejavu-fonts-ttf`), read once per process. Resolved like a
 * module, so it holds from the sources and from the server bundle alike (npm packages stay in node_modules).
 */
function readFonts(): FontFiles {
  if (!fontFiles) {
    const read = (file: string) =>
      readFileSync(createRequire(import.meta.url).resolve(`dejavu-fonts-ttf/ttf/${file}`));
    const regular = read('DejaVuSans.ttf');
    const bold = read('DejaVuSans-Bold.ttf');
    const inBold = new Set(codePoints(bold));
    fontFiles = { regular, bold, covered: new Set(codePoints(regular).filter((code) => inBold.has(code))) };
  }
  return fontFiles;
}

let parsedFonts: Promise<{ regular: Font; bold: Font }> | undefined;

/** How many laid out words each font keeps for the next documents (then it starts again). */
const LAYOUT_CACHE_WORDS = 5000;

/**
 * The font as every document shares it. Three things differ from fontkit's own:
 *
 * - Right-to-left words keep their spaces in place: pdfkit hands fontkit each word with the spaces after it,
 *   and fontkit turns a right-to-left word around whole, so its space would land before it and the next word
 *   would touch it. Such a word is laid out without its spaces, which stay after it (`visualOrder` has put the
 *   words in drawing order). Other text goes to fontkit as it is.
 * - Layouts are kept across documents (pdfkit keeps them per document only): shaping a word through DejaVu's
 *   GSUB and GPOS tables is most of a document's text cost, and labels, digits and amounts recur. A copy
 *   goes out each time, since pdfkit scales the positions it is given in place.
 * - The glyphs a subset asks for are decoded once: fontkit's subsetter decodes a glyph's whole outline each
 *   time a document includes it, only to see whether it is composite.
 */
function sharedFont(font: Font): Font {
  const wrapped = Object.create(font) as Font;
  const layout = (text: string, ...rest: unknown[]): GlyphRun => {
    const run = (part: string) => (font.layout as (t: string, ...r: unknown[]) => GlyphRun)(part, ...rest);
    const parts = RTL.test(text) ? /^(\s*)([\s\S]*?)(\s*)$/.exec(text) : null;
    if (!parts || (!parts[1] && !parts[3])) return run(text);
    const runs = [parts[1]!, parts[2]!, parts[3]!].filter(Boolean).map(run);
    const first = runs.find((candidate) => candidate.glyphs.length) ?? runs[0]!;
    first.glyphs = runs.flatMap((each) => each.glyphs);
    first.positions = runs.flatMap((each) => each.positions);
    return first;
  };
  const laidOut = new Map<string, GlyphRun>();
  wrapped.layout = (text: string, ...rest: unknown[]) => {
    // pdfkit passes features only when a `text` call names some (this module never does).
    if (rest.some((argument) => argument !== undefined)) return layout(text, ...rest);
    let run = laidOut.get(text);
    if (!run) {
      if (laidOut.size >= LAYOUT_CACHE_WORDS) laidOut.clear();
      run = layout(text);
      laidOut.set(text, run);
    }
    return Object.assign(Object.create(Object.getPrototypeOf(run) as object) as GlyphRun, run, {
      positions: run.positions.map((position) => ({ ...position })),
    });
  };
  const decoded = new Map<number, Glyph>();
  wrapped.getGlyph = (id: number, codePoints?: number[]) => {
    let glyph = decoded.get(id);
    if (!glyph) {
      const shared = font.getGlyph(id, codePoints) as Glyph & { _decode?: () => unknown };
      if (typeof shared._decode !== 'function') return shared;
      const outline = shared._decode();
      glyph = Object.create(shared, { _decode: { value: () => outline } }) as Glyph;
      decoded.set(id, glyph);
    }
    return glyph;
  };
  return wrapped;
}

/**
 * The fonts parsed by fontkit (pdfkit's font engine) once per process and shared by every document: a
 * document only reads them (its subset is its own), and parsing DejaVu's layout and glyph tables anew for
 * each document made rendering ten times slower.
 */
function parseFonts() {
  parsedFonts ??= (async () => {
    const { create } = await import('fontkit');
    const { regular, bold } = readFonts();
    const parse = (buffer: Buffer) => {
      const font = create(buffer);
      if ('fonts' in font) throw new Error('The invoice font is a font collection');
      return sharedFont(font);
    };
    return { regular: parse(regular), bold: parse(bold) };
  })().catch((error: unknown) => {
    parsedFonts = undefined;
    throw error;
  });
  return parsedFonts;
}

/**
 * The code points a TrueType font maps to a glyph, from its cmap's full-Unicode subtable (platform 3,
 * encoding 10, format 12: groups of consecutive code points on consecutive glyphs), which DejaVu has.
 * Read here rather than with fontkit so that `pdfText` stays synchronous and cheap.
 */
function codePoints(font: Buffer): number[] {
  let cmap: number | undefined;
  for (let index = 0; index < font.readUInt16BE(4); index++) {
    const record = 12 + 16 * index;
    if (font.toString('latin1', record, record + 4) === 'cmap') cmap = font.readUInt32BE(record + 8);
  }
  for (let index = 0; cmap !== undefined && index < font.readUInt16BE(cmap + 2); index++) {
    const record = cmap + 4 + 8 * index;
    const table = cmap + font.readUInt32BE(record + 4);
    if (font.readUInt16BE(record) !== 3 || font.readUInt16BE(record + 2) !== 10) continue;
    if (font.readUInt16BE(table) !== 12) continue;
    const codes: number[] = [];
    for (let group = 0; group < font.readUInt32BE(table + 12); group++) {
      const at = table + 16 + 12 * group;
      const [first, last, glyph] = [
        font.readUInt32BE(at),
        font.readUInt32BE(at + 4),
        font.readUInt32BE(at + 8),
      ];
      for (let code = first; code <= last; code++) if (glyph + code - first !== 0) codes.push(code);
    }
    return codes;
  }
  throw new Error('The invoice font has no full-Unicode character map (cmap 3/10, format 12)');
}

/**
 * Text as the document's fonts print it: composed (NFC), runs of spaces and odd spaces as one space,
 * trimmed, and every character both DejaVu Sans faces have a glyph for kept as written (Latin with its
 * diacritics, Greek, Cyrillic, Armenian, Georgian, Hebrew, Arabic, signs). A character they lack (CJK, Thai,
 * Devanagari, many emoji, control characters) becomes its base letter when it has one they print (rare
 * now), else `?`. Right-to-left text (Hebrew, Arabic) is put in drawing order where it is drawn
 * (`visualOrder`, ADR 0049, Fonts). The shipping label has its own rules (label.ts).
 */
export function pdfText(value: string): string {
  const { covered } = readFonts();
  const printable = (char: string) => {
    const code = char.codePointAt(0)!;
    return code >= 0x20 && (code < 0x7f || code > 0x9f) && covered.has(code);
  };
  let out = '';
  for (const char of value.normalize('NFC').replace(/[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]+/g, ' ')) {
    if (printable(char)) out += char;
    else {
      const base = STROKED[char] ?? char.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
      out += base && [...base].every(printable) ? base : '?';
    }
  }
  return out.trim();
}

/** Latin letters with a stroke or bar, which Unicode does not decompose into their base letter. */
const STROKED: Record<string, string> = {
  Đ: 'D',
  đ: 'd',
  Ħ: 'H',
  ħ: 'h',
  ı: 'i',
  Ł: 'L',
  ł: 'l',
  Ŀ: 'L',
  ŀ: 'l',
  Ŧ: 'T',
  ŧ: 't',
  Ɨ: 'I',
  ƚ: 'l',
};

const countryNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });
const countryName = (code: string) => {
  try {
    return countryNames.of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
};

/** An address as printed: name, company, street lines, city line (and region line), country, phone. */
/** Right-to-left scripts: Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan and their presentation forms. */
const RTL = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]/;
const LTR_WORD = /[\p{L}\p{N}]/u;

/**
 * A line in the order its words are drawn, left to right: pdfkit has no bidirectional layout (it draws words in
 * the order given, and fontkit turns each right-to-left word's letters around itself). A line whose first letter
 * is right-to-left reads from the right: its words are reversed, runs of left-to-right words (Latin, numbers)
 * keeping their own order; in a left-to-right line, runs of right-to-left words are reversed. Word level only:
 * enough for the names, addresses and titles of a document, each drawn on a line of its own (a right-to-left
 * text long enough to wrap shows its lines in the wrong order). Lines without such letters are untouched.
 */
export function visualOrder(line: string): string {
  if (!RTL.test(line)) return line;
  const tokens = line.split(/(\s+)/);
  const rtl = (token: string) => RTL.test(token);
  const ltr = (token: string) => LTR_WORD.test(token) && !RTL.test(token);
  const space = (token: string | undefined) => token !== undefined && /^\s+$/.test(token);
  /** Reverses in place each run of words that `starts` one and `continues` it (with the spaces between them). */
  const reverseRuns = (
    words: string[],
    starts: (token: string) => boolean,
    continues: (token: string) => boolean,
  ) => {
    const out: string[] = [];
    for (let i = 0; i < words.length;) {
      if (!starts(words[i]!)) {
        out.push(words[i++]!);
        continue;
      }
      let j = i;
      while (space(words[j + 1]) && words[j + 2] !== undefined && continues(words[j + 2]!)) j += 2;
      out.push(...words.slice(i, j + 1).reverse());
      i = j + 1;
    }
    return out;
  };
  const firstLetter = /\p{L}/u.exec(line)?.[0] ?? '';
  if (RTL.test(firstLetter)) return reverseRuns(tokens.slice().reverse(), ltr, ltr).join('');
  // Right-to-left words, and the punctuation between them, read as one right-to-left run.
  return reverseRuns(tokens, rtl, (token) => rtl(token) || (!ltr(token) && token !== '')).join('');
}

/** Text as drawn on the page: as the fonts print it (`pdfText`), in visual order (`visualOrder`). */
const shown = (value: string) => visualOrder(pdfText(value));

export function addressLines(address: PostalAddress): string[] {
  const city = cityLines(address);
  return [
    address.name,
    address.company,
    address.line1,
    address.line2,
    city.city,
    city.region,
    countryName(address.country),
    address.phone,
  ]
    .filter((line): line is string => typeof line === 'string' && line.trim() !== '')
    .map(shown);
}

/** The UTC day of an RFC 3339 instant (the day the document's number counts in). */
export function isoDay(instant: string): string {
  const date = new Date(instant);
  return Number.isNaN(date.getTime()) ? instant.slice(0, 10) : date.toISOString().slice(0, 10);
}

const percent = (bps: number) => `${(bps / 100).toFixed(2).replace(/\.?0+$/, '')}%`;

/** What the totals block lists, top to bottom: label and amount (the last one, bold, is the total). */
export function totalLines(doc: DocumentSnapshot): { label: string; amount: number; strong?: boolean }[] {
  const rate = percent(doc.taxRateBps);
  if (doc.kind === 'credit_note') {
    const total = { label: 'Total credited', amount: doc.total, strong: true };
    const ofWhichTax = { label: `Of which tax (${rate})`, amount: doc.tax };
    // Without lines, the one row ("Refund", "Payment cancelled") is the amount credited.
    if (doc.lines.length === 0) return [total, ofWhichTax];
    const { steps, linesTax } = creditedLines(doc, rate);
    // With prices excluding tax the lines' tax is a step of its own: "of which" only when the tax credited
    // differs from it (a credit capped at what was left on the invoice).
    return [...steps, total, ...(linesTax === doc.tax ? [] : [ofWhichTax])];
  }
  const lines: { label: string; amount: number; strong?: boolean }[] = [
    { label: 'Subtotal', amount: doc.subtotal },
  ];
  if (doc.discount)
    lines.push({
      label: doc.discountCode ? `Discount (${doc.discountCode})` : 'Discount',
      amount: -doc.discount,
    });
  // An invoice cancelling a credit note charges that note's amount: no shipping of its own.
  if (!doc.corrects || doc.shipping)
    lines.push({
      label: doc.shippingMethod ? `Shipping (${doc.shippingMethod})` : 'Shipping',
      amount: doc.shipping,
    });
  if (doc.pricesIncludeTax) {
    lines.push({ label: 'Total', amount: doc.total, strong: true });
    lines.push({ label: `Of which tax (${rate})`, amount: doc.tax });
  } else {
    lines.push({ label: `Tax (${rate})`, amount: doc.tax });
    lines.push({ label: 'Total', amount: doc.total, strong: true });
  }
  return lines;
}

/**
 * What takes a credit note's listed lines (at their prices) to what it credits, each step a line: their share
 * of the order's discount, their tax when prices exclude it, and a cap at what was left on the invoice.
 * Documents issued before the discount share was recorded (`discountShare` absent, `linesValue` only when
 * capped) are read with the same rules: the listed value is the credited total unless capped, and the tax of
 * the lines is the tax credited.
 */
function creditedLines(
  doc: DocumentSnapshot,
  rate: string,
): { steps: { label: string; amount: number }[]; linesTax: number | undefined } {
  const goods = doc.lines.reduce((sum, line) => sum + line.lineTotal, 0);
  const value = doc.linesValue ?? doc.total;
  // Prices including tax: value = goods − share. Excluding: value = goods − share + the lines' tax.
  const share = doc.pricesIncludeTax ? goods - value : (doc.discountShare ?? goods + doc.tax - value);
  const linesTax = doc.pricesIncludeTax ? undefined : value - (goods - share);
  const steps = [{ label: 'Subtotal', amount: goods }];
  if (share !== 0)
    steps.push({
      label: doc.discountCode ? `Discount share (${doc.discountCode})` : 'Discount share',
      amount: -share,
    });
  if (linesTax !== undefined) steps.push({ label: `Tax (${rate})`, amount: linesTax });
  if (doc.total !== value)
    steps.push({ label: 'Limited to what was left to refund', amount: doc.total - value });
  return { steps, linesTax };
}

/**
 * The document as an A4 PDF, drawn from its snapshot alone (what was issued, never today's order). Long
 * line lists continue on further pages, with the table header repeated and page numbers in the footer.
 */
export async function renderInvoicePdf(doc: DocumentSnapshot): Promise<Buffer> {
  // The standard fonts when the snapshot's text is all WinAnsi (most documents of a shop writing in a
  // Western European language), else embedded DejaVu Sans; a text computed while drawing (a currency sign,
  // a country name) that WinAnsi lacks makes the document start again, embedded.
  if (WIN_ANSI.test(JSON.stringify(doc))) {
    try {
      return await draw(doc, STANDARD);
    } catch (error) {
      if (!(error instanceof NotWinAnsi)) throw error;
    }
  }
  return draw(doc, EMBEDDED);
}

async function draw(doc: DocumentSnapshot, faces: Faces): Promise<Buffer> {
  const { default: PDFDocument } = await import('pdfkit');
  const title = doc.kind === 'invoice' ? 'Invoice' : 'Credit note';
  const pdf = new PDFDocument({
    // pdfkit sets Helvetica on every new document, parsing its metrics: not when the document is embedded.
    font: faces === STANDARD ? STANDARD.regular : (null as unknown as string),
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    info: {
      Title: `${title} ${doc.number}`,
      Author: pdfText(doc.seller.name),
      Creator: 'MCart',
      CreationDate: new Date(doc.issuedAt),
    },
  });
  if (faces === EMBEDDED) {
    const fonts = await parseFonts();
    // pdfkit 0.20 takes an already parsed fontkit font; its types (@types/pdfkit 0.17) only know files.
    pdf.registerFont(faces.regular, fonts.regular as unknown as Buffer);
    pdf.registerFont(faces.bold, fonts.bold as unknown as Buffer);
  } else {
    // Every text drawn or measured goes through these: one the standard fonts cannot print stops the document.
    for (const method of ['text', 'widthOfString', 'heightOfString'] as const) {
      const original = pdf[method].bind(pdf) as (text: string, ...rest: unknown[]) => unknown;
      (pdf as unknown as Record<string, unknown>)[method] = (text: string, ...rest: unknown[]) => {
        if (!WIN_ANSI.test(text)) throw new NotWinAnsi();
        return original(text, ...rest);
      };
    }
  }
  const chunks: Buffer[] = [];
  pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  const money = (amount: number) => shown(formatMoney(amount, doc.currency));

  // Seller, top left.
  pdf.font(faces.bold).fontSize(14).fillColor('black').text(shown(doc.seller.name), MARGIN, MARGIN, {
    width: 260,
  });
  pdf.font(faces.regular).fontSize(9);
  const sellerLines = addressLines(doc.seller.address).filter(
    (line, index) => index > 0 || line !== shown(doc.seller.name),
  );
  if (doc.seller.email) sellerLines.push(shown(doc.seller.email));
  if (doc.seller.taxId) sellerLines.push(`Tax ID: ${shown(doc.seller.taxId)}`);
  pdf.text(sellerLines.join('\n'), MARGIN, pdf.y + 4, { width: 260, lineGap: 1 });
  const sellerBottom = pdf.y;

  // Title and the document's facts, top right.
  pdf
    .font(faces.bold)
    .fontSize(22)
    .text(title, 330, MARGIN, { width: RIGHT - 330, align: 'right' });
  const facts: [string, string][] = [
    [doc.kind === 'invoice' ? 'Invoice number' : 'Credit note number', doc.number],
    ['Date of issue', isoDay(doc.issuedAt)],
    ['Order', shown(doc.order.number)],
    ['Order date', isoDay(doc.order.placedAt)],
  ];
  if (doc.kind === 'invoice' && doc.order.paidAt) facts.push(['Paid on', isoDay(doc.order.paidAt)]);
  if (doc.corrects && doc.kind === 'invoice') {
    // An invoice that cancels a credit note whose refund was reversed (InvoicingService.reverseCreditNote).
    facts.push(['Cancels credit note', doc.corrects.number]);
    facts.push(['Credit note date', isoDay(doc.corrects.issuedAt)]);
  } else if (doc.corrects) {
    facts.push(['Corrects invoice', doc.corrects.number]);
    facts.push(['Invoice date', isoDay(doc.corrects.issuedAt)]);
  }
  let y = MARGIN + 34;
  for (const [label, value] of facts) {
    pdf.font(faces.regular).fontSize(9).fillColor(GREY).text(label, 330, y, { width: 100 });
    pdf
      .font(faces.bold)
      .fillColor('black')
      .text(value, 430, y, { width: RIGHT - 430, align: 'right' });
    y += 14;
  }

  // Buyer.
  y = Math.max(sellerBottom, y) + 24;
  pdf.font(faces.bold).fontSize(8).fillColor(GREY).text('BILL TO', MARGIN, y);
  pdf.font(faces.regular).fontSize(10).fillColor('black');
  pdf.text([...addressLines(doc.buyer.address), shown(doc.buyer.email)].join('\n'), MARGIN, y + 12, {
    width: 260,
    lineGap: 1,
  });
  y = pdf.y + 24;

  if (doc.kind === 'invoice' && doc.corrects) {
    const why = `The refund on order ${doc.order.number} was reversed: the money was not given back. This invoice cancels credit note ${doc.corrects.number}.`;
    pdf.font(faces.regular).fontSize(10).text(shown(why), MARGIN, y, { width: WIDTH });
    y = pdf.y + 14;
  }
  if (doc.kind === 'credit_note') {
    const invoice = doc.corrects?.number ?? '';
    const why =
      doc.reason === 'void'
        ? `The payment for order ${doc.order.number} was cancelled: nothing was charged. This credit note cancels what is left of invoice ${invoice}.`
        : doc.reason === 'uncaptured'
          ? `Part of the payment for order ${doc.order.number} was not captured and will not be charged. This credit note corrects invoice ${invoice} by that part.`
          : `Refund on order ${doc.order.number}, correcting invoice ${invoice}.`;
    pdf.font(faces.regular).fontSize(10).text(shown(why), MARGIN, y, { width: WIDTH });
    y = pdf.y + 14;
  }

  // Lines.
  const header = (top: number) => {
    pdf.font(faces.bold).fontSize(9).fillColor('black');
    pdf.text('Description', COLUMNS.description.x, top, { width: COLUMNS.description.width });
    pdf.text('SKU', COLUMNS.sku.x, top, { width: COLUMNS.sku.width });
    pdf.text('Qty', COLUMNS.quantity.x, top, { width: COLUMNS.quantity.width, align: 'right' });
    pdf.text('Unit price', COLUMNS.unitPrice.x, top, { width: COLUMNS.unitPrice.width, align: 'right' });
    pdf.text('Amount', COLUMNS.amount.x, top, { width: COLUMNS.amount.width, align: 'right' });
    pdf
      .moveTo(MARGIN, top + 14)
      .lineTo(RIGHT, top + 14)
      .lineWidth(0.75)
      .stroke();
    return top + 20;
  };
  y = header(y);
  const rows =
    doc.lines.length > 0
      ? doc.lines.map((line) => ({
          description: shown(line.title),
          sku: shown(line.sku),
          quantity: String(line.quantity),
          unitPrice: money(line.unitPrice),
          amount: money(line.lineTotal),
        }))
      : [
          {
            description:
              doc.reason === 'void'
                ? 'Payment cancelled'
                : doc.reason === 'uncaptured'
                  ? 'Payment not captured'
                  : 'Refund',
            sku: '',
            quantity: '',
            unitPrice: '',
            amount: money(doc.total),
          },
        ];
  pdf.font(faces.regular).fontSize(9);
  for (const row of rows) {
    const height = Math.max(
      pdf.heightOfString(row.description, { width: COLUMNS.description.width }),
      pdf.heightOfString(row.sku, { width: COLUMNS.sku.width }),
      12,
    );
    if (y + height > BOTTOM) {
      pdf.addPage();
      y = header(MARGIN);
      pdf.font(faces.regular).fontSize(9);
    }
    pdf.text(row.description, COLUMNS.description.x, y, { width: COLUMNS.description.width });
    pdf.text(row.sku, COLUMNS.sku.x, y, { width: COLUMNS.sku.width });
    pdf.text(row.quantity, COLUMNS.quantity.x, y, { width: COLUMNS.quantity.width, align: 'right' });
    pdf.text(row.unitPrice, COLUMNS.unitPrice.x, y, { width: COLUMNS.unitPrice.width, align: 'right' });
    pdf.text(row.amount, COLUMNS.amount.x, y, { width: COLUMNS.amount.width, align: 'right' });
    y += height + 6;
  }

  // Totals, right-aligned under the amounts.
  const totals = totalLines(doc);
  if (y + 10 + totals.length * 18 > BOTTOM) {
    pdf.addPage();
    y = MARGIN;
  }
  pdf.moveTo(TOTALS_LABEL.x, y).lineTo(RIGHT, y).lineWidth(0.75).stroke();
  y += 8;
  for (const line of totals) {
    const label = shown(line.label);
    pdf
      .font(line.strong ? faces.bold : faces.regular)
      .fontSize(line.strong ? 11 : 9)
      .fillColor('black');
    // An amount wider than its column (the bold total, a currency shown by its code) takes room from the
    // label on its left rather than breaking over the line under it.
    const amount = money(line.amount);
    const amountWidth = Math.max(COLUMNS.amount.width, Math.ceil(pdf.widthOfString(amount)) + 1);
    const labelWidth = RIGHT - amountWidth - 5 - TOTALS_LABEL.x;
    const height = pdf.heightOfString(label, { width: labelWidth });
    pdf.text(label, TOTALS_LABEL.x, y, { width: labelWidth, align: 'right' });
    pdf.text(amount, RIGHT - amountWidth, y, { width: amountWidth, align: 'right' });
    y += Math.max(height, 10) + (line.strong ? 7 : 4);
  }

  // Footer on every page: what the amounts are, and the page number.
  const note =
    `Amounts in ${doc.currency}. ` +
    (doc.pricesIncludeTax
      ? `Prices include tax at ${percent(doc.taxRateBps)}.`
      : `Tax at ${percent(doc.taxRateBps)} is added to the prices.`);
  const range = pdf.bufferedPageRange();
  for (let index = range.start; index < range.start + range.count; index++) {
    pdf.switchToPage(index);
    // Drawn inside the bottom margin: no automatic page break.
    const bottomMargin = pdf.page.margins.bottom;
    pdf.page.margins.bottom = 0;
    pdf.font(faces.regular).fontSize(8).fillColor(GREY);
    pdf.text(`${note}  ${doc.number}`, MARGIN, PAGE.height - 50, { width: WIDTH - 80, lineBreak: false });
    pdf.text(`Page ${index - range.start + 1} of ${range.count}`, RIGHT - 80, PAGE.height - 50, {
      width: 80,
      align: 'right',
      lineBreak: false,
    });
    pdf.page.margins.bottom = bottomMargin;
  }
  pdf.end();
  return done;
}
