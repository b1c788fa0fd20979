import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isValidS10, makeS10, s10CheckDigit } from '../src/modules/shipping/tracking-number.ts';
import {
  assertLabelFits,
  barcodePng,
  mergePdfs,
  renderLabelsPdf,
  renderLabelsZpl,
  zplSenderBlock,
  zplTextWidth,
  type LabelData,
} from '../src/modules/shipping/label.ts';
import { signWebhook, verifyWebhook } from '../src/modules/shipping/webhook-signature.ts';
import { decodeBarcodes, scanPdf } from './support/barcodes.ts';
import { AppError } from '../src/platform/errors.ts';

const label = (overrides: Partial<LabelData> = {}): LabelData => ({
  trackingNumber: makeS10('RR', 12345678, 'US'),
  carrier: 'MCart Post',
  service: 'standard',
  orderNumber: 'MC-10042',
  weightGrams: 1250,
  from: {
    name: 'Corner Shop',
    line1: '1 Market Street',
    city: 'Springfield',
    postalCode: '12345',
    country: 'US',
  },
  to: {
    name: 'Ann Example',
    line1: '22 Acacia Avenue',
    line2: 'Flat 3',
    city: 'Portland',
    postalCode: '97201',
    country: 'US',
    phone: '+1 503 555 0100',
  },
  shippedOn: new Date('2026-11-26T10:00:00Z'),
  ...overrides,
});

describe('S10 tracking numbers', () => {
  it('computes the UPU mod-11 check digit (including the 10→0 and 11→5 cases)', () => {
    // 4*8 + 7*6 + 3*4 + 1*2 + 2*3 + 4*5 + 8*9 + 2*7 = 200; 200 mod 11 = 2; 11 - 2 = 9.
    expect(s10CheckDigit('47312482')).toBe(9);
    expect(makeS10('RR', 47312482, 'US')).toBe('RR473124829US');
    expect(s10CheckDigit('00060000')).toBe(0); // 6*2 = 12: 11 - 1 = 10 → 0
    expect(s10CheckDigit('00000000')).toBe(5); // sum 0: 11 - 0 = 11 → 5
    expect(s10CheckDigit('00000010')).toBe(2); // sum 9
  });

  it('validates numbers and catches nearly every single mistyped digit', () => {
    expect(isValidS10(makeS10('RR', 12345678, 'DE'))).toBe(true);
    expect(isValidS10('RR12345678DE')).toBe(false);
    let typos = 0;
    let caught = 0;
    for (let serial = 0; serial < 100_000_000; serial += 999_983) {
      const number = makeS10('RR', serial, 'US');
      for (let position = 2; position < 11; position++) {
        for (let digit = 0; digit <= 9; digit++) {
          if (String(digit) === number[position]) continue;
          typos++;
          if (!isValidS10(number.slice(0, position) + digit + number.slice(position + 1))) caught++;
        }
      }
    }
    expect(caught / typos).toBeGreaterThan(0.95);
  });
});

describe('4x6 labels', () => {
  it('renders a 4x6 inch PDF whose Code 128 barcode decodes to the tracking number', async () => {
    const data = label();
    const pdf = await renderLabelsPdf([data]);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.toString('latin1')).toContain('/MediaBox [0 0 288 432]');
    const { pages } = scanPdf(pdf);
    expect(pages).toHaveLength(1);
    expect(pages[0]).toEqual([data.trackingNumber]);
  });

  it('prints a batch as one PDF, one page per label, each barcode readable', async () => {
    const numbers = [makeS10('RR', 1, 'US'), makeS10('RR', 2, 'US'), makeS10('RR', 3, 'US')];
    const pdf = await renderLabelsPdf(numbers.map((trackingNumber) => label({ trackingNumber })));
    expect(scanPdf(pdf).pages.map((barcodes) => barcodes[0])).toEqual(numbers);
  });

  it('merges label PDFs from several sources into one job, in order, pages unchanged', async () => {
    // A hosted provider's label (a 4x6 PDF made elsewhere, here a one-label batch) between built-in ones.
    const numbers = [makeS10('RR', 11, 'US'), makeS10('LX', 12, 'DE'), makeS10('RR', 13, 'US')];
    const files = await Promise.all(
      numbers.map((trackingNumber) => renderLabelsPdf([label({ trackingNumber })])),
    );
    const { file, pages } = scanPdf(await mergePdfs(files));
    expect(execFileSync('pdfinfo', [file], { encoding: 'utf8' })).toMatch(
      /Pages:\s+3[\s\S]*Page size:\s+288 x 432 pts/,
    );
    expect(pages.map((barcodes) => barcodes[0])).toEqual(numbers);
  });

  it('names the label that is not a PDF instead of printing a broken batch', async () => {
    const good = await renderLabelsPdf([label()]);
    await expect(mergePdfs([good, Buffer.from('<html>rate limited</html>')])).rejects.toMatchObject({
      code: 'MCART_ERR_SHIPPING_PROVIDER',
      status: 502,
      detail: 'Label 2 of the batch is not a readable PDF',
    });
  });

  it('renders the barcode PNG itself decodably (bwip-js)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcart-barcode-'));
    const number = makeS10('CP', 99999999, 'FR');
    writeFileSync(join(dir, 'code.png'), await barcodePng(number));
    expect(decodeBarcodes(join(dir, 'code.png'))).toEqual([number]);
  });

  it('writes ZPL for 203 dpi thermal printers with the barcode, sender, recipient, order and weight', () => {
    const data = label({ to: { ...label().to, name: 'Zoë ^Caret~Tilde' } });
    const zpl = renderLabelsZpl([data]);
    expect(zpl.startsWith('^XA')).toBe(true);
    expect(zpl.trim().endsWith('^XZ')).toBe(true);
    expect(zpl).toContain('^PW812');
    expect(zpl).toContain('^LL1218');
    expect(zpl).toContain(`^BCN,220,N,N,N^FD${data.trackingNumber}^FS`);
    expect(zpl).toContain('Order MC-10042');
    expect(zpl).toContain('Weight 1.25 kg');
    expect(zpl).toContain('Corner Shop');
    // ^ and ~ in data would be printer commands: they are hex-escaped inside ^FH fields.
    expect(zpl).toContain('Zoë _5eCaret_7eTilde');
    expect(renderLabelsZpl([data, data]).match(/\^XA/g)).toHaveLength(2);
  });

  it('refuses an address the label cannot print in full, with field errors, instead of truncating', async () => {
    const long = label({
      to: {
        ...label().to,
        line1: 'Apartment 1204, The Very Long Building Name Tower, 1234 Extraordinarily Long Boulevard',
      },
    });
    const error = (() => {
      try {
        assertLabelFits(long);
      } catch (err) {
        return err as AppError;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ status: 422, code: 'MCART_ERR_LABEL_ADDRESS_TOO_LONG' });
    expect(error!.errors).toEqual([
      { path: 'shippingAddress/line1', message: expect.stringContaining('at most 35') },
    ]);
    await expect(renderLabelsPdf([long])).rejects.toMatchObject({ code: 'MCART_ERR_LABEL_ADDRESS_TOO_LONG' });
    expect(() => renderLabelsZpl([long])).toThrow(AppError);
    expect(() => assertLabelFits(label({ to: { ...label().to, city: '東京都' } }))).toThrow(/cannot print/);
  });
});

/** The words of each PDF page with their vertical position (pdftotext -bbox). */
function pdfWords(pdf: Buffer): { text: string; yMin: number; yMax: number }[] {
  const dir = mkdtempSync(join(tmpdir(), 'mcart-label-bbox-'));
  writeFileSync(join(dir, 'label.pdf'), pdf);
  const html = execFileSync('pdftotext', ['-bbox', join(dir, 'label.pdf'), '-'], { encoding: 'utf8' });
  return [
    ...html.matchAll(/<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<\/word>/g),
  ].map((match) => ({ yMin: Number(match[1]), yMax: Number(match[2]), text: match[3]! }));
}
/** The recipient block's lines as printed: words between "SHIP TO" and the rule at 232 pt, by line. */
function shipToLines(pdf: Buffer): string[] {
  const words = pdfWords(pdf).filter((word) => word.yMin >= 110 && word.yMax < 240);
  const lines = new Map<number, string[]>();
  for (const word of words) lines.set(word.yMin, [...(lines.get(word.yMin) ?? []), word.text]);
  return [...lines.entries()].sort(([a], [b]) => a - b).map(([, line]) => line.join(' '));
}
const zplShipTo = (zpl: string) =>
  [...zpl.slice(zpl.indexOf('SHIP TO'), zpl.indexOf('Order ')).matchAll(/\^FD([^^]*)\^FS/g)].map(
    (match) => match[1],
  );

describe('addresses with a company and a region', () => {
  const us = {
    name: 'Homer Simpson',
    company: 'Springfield Nuclear Plant',
    line1: '742 Evergreen Terrace',
    city: 'Springfield',
    region: 'IL',
    postalCode: '62701',
    country: 'US',
  };

  it('prints the company under the name and a US city line as "Springfield, IL 62701" (PDF and ZPL)', async () => {
    const data = label({ to: us });
    const printed = [
      'Homer Simpson',
      'Springfield Nuclear Plant',
      '742 Evergreen Terrace',
      'Springfield, IL 62701',
      'US',
    ];
    expect(shipToLines(await renderLabelsPdf([data]))).toEqual(printed);
    expect(zplShipTo(renderLabelsZpl([data]))).toEqual(printed);
  });

  it('puts the city first in Canada and Australia; elsewhere the postal code first, a region on its own line', () => {
    const city = (to: LabelData['to']) => zplShipTo(renderLabelsZpl([label({ to })]));
    const base = { name: 'A Person', line1: '1 Main St' };
    expect(city({ ...base, city: 'Toronto', region: 'ON', postalCode: 'M5V 2T6', country: 'CA' })).toEqual([
      'A Person',
      '1 Main St',
      'Toronto ON M5V 2T6',
      'CA',
    ]);
    expect(city({ ...base, city: 'Sydney', region: 'NSW', postalCode: '2000', country: 'AU' })).toContain(
      'Sydney NSW 2000',
    );
    expect(city({ ...base, city: 'Sydney', postalCode: '2000', country: 'AU' })).toContain('Sydney 2000');
    expect(
      city({ ...base, city: 'Paris', region: 'Île-de-France', postalCode: '75005', country: 'FR' }),
    ).toEqual(['A Person', '1 Main St', '75005 Paris', 'Île-de-France', 'FR']);
  });

  it('still prints an address written before regions: a US one without its state', async () => {
    const data = label(); // no company, no region
    expect(shipToLines(await renderLabelsPdf([data]))).toEqual([
      'Ann Example',
      '22 Acacia Avenue',
      'Flat 3',
      'Portland 97201',
      'US',
      '+1 503 555 0100',
    ]);
    expect(zplShipTo(renderLabelsZpl([data]))).toContain('Portland 97201');
  });

  it('fits the longest address (eight lines) above the rule, in smaller type, nothing cut', async () => {
    const to = {
      name: 'Marie Curie',
      company: 'Institut du Radium',
      line1: '11 rue Pierre et Marie Curie',
      line2: 'Batiment B',
      city: 'Paris',
      region: 'Ile-de-France',
      postalCode: '75005',
      country: 'FR',
      phone: '+33 1 00 00 00 00',
    };
    const pdf = await renderLabelsPdf([label({ to })]);
    expect(shipToLines(pdf)).toEqual([
      'Marie Curie',
      'Institut du Radium',
      '11 rue Pierre et Marie Curie',
      'Batiment B',
      '75005 Paris',
      'Ile-de-France',
      'FR',
      '+33 1 00 00 00 00',
    ]);
    const recipient = pdfWords(pdf).filter((word) => word.yMin >= 110 && word.yMin < 240);
    expect(Math.max(...recipient.map((word) => word.yMax))).toBeLessThan(232);
    // The ZPL label's lines stay above its rule (at 640 dots) too.
    const zpl = renderLabelsZpl([label({ to })]);
    const lastLine = [...zpl.matchAll(/\^FO40,(\d+)\^A0N,30,23\^FH\^FD\+33/g)][0];
    expect(Number(lastLine![1]) + 30).toBeLessThan(640);
  });

  it('keeps the longest sender address the check allows above the rule, nothing cut', async () => {
    // Lines the check takes (45 characters at most) wrap in the sender's column at full size: eight of them
    // ran through the rule at 92 pt, the phone printed struck through next to "SHIP TO".
    const from = {
      name: 'The Very Long Named Demo Store Company Ltd 12',
      company: 'Another Rather Long Company Name Here Inc',
      line1: '1234 Market Street Building Number Seven',
      line2: 'Industrial Estate Unit Forty Two Block B',
      city: 'Springfield',
      region: 'IL',
      postalCode: '62701',
      country: 'US',
      phone: '+1 555 123 4567',
    };
    const pdf = await renderLabelsPdf([label({ from })]);
    const senderBlock = pdfWords(pdf).filter((word) => word.yMin > 18 && word.yMin < 100);
    expect(senderBlock.map((word) => word.text).join(' ')).toContain('+1 555 123 4567');
    expect(Math.max(...senderBlock.map((word) => word.yMax))).toBeLessThan(92);
  });

  /** The text fields of a ZPL label with their origin, height and width (^FO x,y ^A0N,h,w ^FH^FD text ^FS). */
  const zplFields = (zpl: string) =>
    [...zpl.matchAll(/\^FO(\d+),(\d+)\^A0N,(\d+),(\d+)\^FH\^FD([^^]*)\^FS/g)].map((match) => ({
      x: Number(match[1]),
      y: Number(match[2]),
      height: Number(match[3]),
      width: Number(match[4]),
      text: match[5]!,
    }));

  it('keeps a long store name in the sender column of the ZPL label, above the rule, nothing lost', () => {
    // 45 capitals pass the label check; at the full 20 dots they ran through the carrier's column (x 560) and,
    // with a long carrier line beside them, off the label.
    const from = {
      name: 'W'.repeat(45),
      company: 'WORLDWIDE MAIL ORDER WAREHOUSE MANAGEMENT CO',
      line1: '1234 Market Street Building Number Seven',
      line2: 'Industrial Estate Unit Forty Two Block B',
      city: 'Springfield',
      region: 'IL',
      postalCode: '62701',
      country: 'US',
      phone: '+1 555 123 4567',
    };
    const zpl = renderLabelsZpl([label({ from })]);
    const sender = zplFields(zpl).filter((field) => field.y > 40 && field.y < 260 && field.x === 40);
    for (const field of sender) {
      expect(field.x + zplTextWidth(field.text, field.width), field.text).toBeLessThanOrEqual(540);
      expect(field.y + field.height, field.text).toBeLessThanOrEqual(252);
    }
    // Wrapped, not cut: every character of the address is printed, in order.
    const printed = sender
      .map((field) => field.text)
      .join('')
      .replace(/ /g, '');
    expect(printed).toBe(
      [from.name, from.company, from.line1, from.line2, 'Springfield, IL 62701', 'US', from.phone]
        .join('')
        .replace(/ /g, ''),
    );
    expect(printed).not.toContain('...');
  });

  it('fits the longest sender the check allows in smaller type, and cuts only what could never fit', () => {
    const wide = 'W'.repeat(45);
    const from = {
      name: wide,
      company: wide,
      line1: wide,
      line2: wide,
      city: 'W'.repeat(34),
      region: 'IL',
      postalCode: '62701',
      country: 'US',
      phone: '+1 555 123 4567 000 000 000 000 000 000',
    };
    const sender = zplFields(renderLabelsZpl([label({ from })])).filter(
      (field) => field.y > 40 && field.y < 260 && field.x === 40,
    );
    expect(sender.every((field) => field.height < 20)).toBe(true);
    expect(Math.max(...sender.map((field) => field.y + field.height))).toBeLessThanOrEqual(252);
    expect(sender.map((field) => field.text).join(' ')).toContain('+1 555 123 4567 000');
    // Past what any address can be, the block keeps to its box: the last line kept says that more followed.
    const block = zplSenderBlock(Array.from({ length: 30 }, () => wide));
    expect(block.lines.length * block.pitch - 2).toBeLessThanOrEqual(188);
    expect(block.lines.at(-1)).toMatch(/\.\.\.$/);
  });

  it('prints a recipient line of wide letters in smaller type on the ZPL label instead of off its edge', () => {
    const to = { ...label().to, name: 'W'.repeat(35), line1: `${'W'.repeat(34)}M` };
    const fields = zplFields(renderLabelsZpl([label({ to })]));
    for (const text of [to.name, to.line1]) {
      const field = fields.find((candidate) => candidate.text === text)!;
      expect(field.height).toBeLessThan(30);
      expect(field.x + zplTextWidth(field.text, field.width)).toBeLessThanOrEqual(772);
    }
    // Ordinary lines keep their size.
    expect(fields.find((field) => field.text === 'Flat 3')).toMatchObject({ height: 30, width: 23 });
  });

  it('names the region when it cannot be printed, and the city line when it is too long', () => {
    const refused = (to: LabelData['to']) => {
      try {
        assertLabelFits(label({ to }));
      } catch (err) {
        return (err as AppError).errors;
      }
      return undefined;
    };
    expect(refused({ ...us, country: 'JP', region: '東京都' })).toEqual([
      { path: 'shippingAddress/region', message: 'has characters the label printer cannot print (東 京 都)' },
    ]);
    expect(refused({ ...us, city: 'Rancho Santa Margarita Heights' })).toEqual([
      { path: 'shippingAddress/city', message: 'is 40 characters; the label prints at most 35' },
    ]);
    expect(refused({ ...us, company: 'The Springfield Nuclear Power Plant Co.' })).toEqual([
      { path: 'shippingAddress/company', message: expect.stringContaining('at most 35') },
    ]);
  });
});

describe('webhook signatures', () => {
  const secret = 'whsec_0123456789abcdef';
  const body = Buffer.from('{"events":[]}');

  it('accepts the exact body signed with the secret within five minutes', () => {
    expect(verifyWebhook(secret, body, signWebhook(secret, body))).toBe(true);
  });

  it('refuses a missing, wrong, stale or tampered signature', () => {
    expect(verifyWebhook(secret, body, undefined)).toBe(false);
    expect(verifyWebhook(secret, body, signWebhook('another-secret-0000000', body))).toBe(false);
    expect(verifyWebhook(secret, body, signWebhook(secret, body, Math.floor(Date.now() / 1000) - 600))).toBe(
      false,
    );
    expect(verifyWebhook(secret, Buffer.from('{"events":[1]}'), signWebhook(secret, body))).toBe(false);
    expect(verifyWebhook(secret, body, 't=abc,v1=00')).toBe(false);
  });
});
