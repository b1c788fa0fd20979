/**
 * CPU cost of an invoice PDF (`renderInvoicePdf`, every paid order renders one for its e-mail), in process, no
 * server: renders per CPU-second and the wall time of each render, against a baseline measured in the same run
 * and alternated with it: a minimal pdfkit document (A4, one page, the standard Helvetica, title and number).
 * `npm run bench -- invoice`, or alone (no database): `npx tsx bench/invoice-pdf.bench.ts`.
 * `BENCH_PDFS` sets the renders per round (default 300); two rounds of each.
 */
import { pathToFileURL } from 'node:url';
import PDFDocument from 'pdfkit';
import { renderInvoicePdf } from '../apps/server/src/modules/invoicing/invoice-pdf.ts';
import type { DocumentSnapshot } from '../apps/server/src/modules/invoicing/invoicing.service.ts';
import type { BenchContext, BenchSuite, ScenarioResult } from './lib/harness.ts';

const PDFS = Number(process.env.BENCH_PDFS ?? 300);
const ROUNDS = 2;

const shop = {
  name: 'Invoice Test Shop',
  line1: '9 Ledger Lane',
  city: 'Portland',
  region: 'OR',
  postalCode: '97201',
  country: 'US',
};
const line = (index: number) => ({
  title: `Wool jacket ${index} – Large / Navy`,
  sku: `WJ-L-NAVY-${index}`,
  quantity: 1 + (index % 3),
  unitPrice: 12_900,
  lineTotal: 12_900 * (1 + (index % 3)),
});

/** An invoice of `lines` lines to the buyer at `address`, prices including 20% tax. */
function invoice(address: DocumentSnapshot['buyer']['address'], lines: number): DocumentSnapshot {
  const items = Array.from({ length: lines }, (_, index) => line(index + 1));
  const subtotal = items.reduce((sum, item) => sum + item.lineTotal, 0);
  const now = new Date().toISOString();
  return {
    format: 'mcart.invoice.v1',
    kind: 'invoice',
    number: 'INV-2026-000123',
    issuedAt: now,
    currency: 'EUR',
    seller: {
      name: 'Invoice Test Shop',
      address: shop,
      email: 'help@invoice-shop.test',
      taxId: 'FR 12 345678901',
    },
    buyer: { email: 'buyer@example.test', address },
    order: { id: '00000000-0000-4000-8000-000000000123', number: 'MC-000123', placedAt: now, paidAt: now },
    lines: items,
    subtotal,
    discount: 0,
    discountCode: null,
    shipping: 500,
    shippingMethod: 'Standard',
    taxRateBps: 2000,
    pricesIncludeTax: true,
    tax: Math.round(((subtotal + 500) * 2000) / 12_000),
    total: subtotal + 500,
    corrects: null,
    reason: null,
  };
}

const latin = {
  name: 'Zoë Dupré',
  company: 'Ledger & Sons',
  line1: '12 Rue de la Paix',
  city: 'Paris',
  postalCode: '75002',
  country: 'FR',
};
const nonLatin = {
  name: 'Łukasz Dvořák',
  company: 'Οδός Ερμού',
  line1: 'ул. Тверская, д. 7',
  city: 'Praha',
  postalCode: '110 00',
  country: 'CZ',
};

const scenarios: { name: string; render: () => Promise<Buffer> }[] = [
  { name: 'invoice, 3 lines, Latin-1 text', render: () => renderInvoicePdf(invoice(latin, 3)) },
  {
    name: 'invoice, 3 lines, Polish/Greek/Cyrillic text',
    render: () => renderInvoicePdf(invoice(nonLatin, 3)),
  },
  { name: 'invoice, 60 lines (2 pages), Latin-1 text', render: () => renderInvoicePdf(invoice(latin, 60)) },
];

/** The baseline: what any pdfkit document costs (A4, one page, Helvetica, two texts). */
function minimalPdf(): Promise<Buffer> {
  const pdf = new PDFDocument({ size: 'A4', margin: 50 });
  const chunks: Buffer[] = [];
  pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve) => pdf.on('end', () => resolve(Buffer.concat(chunks))));
  pdf.fontSize(22).text('Invoice', 50, 50).fontSize(9).text('INV-2026-000123', 50, 84);
  pdf.end();
  return done;
}

interface Measure {
  cpuMsPerPdf: number;
  p50Ms: number;
  p99Ms: number;
  bytes: number;
}

async function measure(render: () => Promise<Buffer>): Promise<Measure> {
  for (let i = 0; i < 20; i++) await render(); // warm-up: fonts parsed, code optimized
  const walls: number[] = [];
  let bytes = 0;
  const cpu = process.cpuUsage();
  for (let i = 0; i < PDFS; i++) {
    const start = performance.now();
    bytes = (await render()).length;
    walls.push(performance.now() - start);
  }
  const used = process.cpuUsage(cpu);
  walls.sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round(walls[Math.min(walls.length - 1, Math.floor(q * walls.length))]! * 100) / 100;
  return { cpuMsPerPdf: (used.user + used.system) / 1000 / PDFS, p50Ms: at(0.5), p99Ms: at(0.99), bytes };
}

const result = (scenario: string, target: ScenarioResult['target'], m: Measure): ScenarioResult => ({
  suite: 'invoice-pdf',
  scenario,
  target,
  // "Requests" per second here: PDFs per CPU-second of this process.
  load: {
    requestsPerSecond: Math.round(1000 / m.cpuMsPerPdf),
    p50Ms: m.p50Ms,
    p99Ms: m.p99Ms,
    requests: PDFS,
    errors: 0,
    non2xx: 0,
  },
  // Not a server: this process also holds the runner (ORM, migrations), so no RSS figure (and no RSS verdict).
  rssMb: 0,
  peakRssMb: 0,
});

export const suite: BenchSuite = {
  name: 'invoice-pdf',
  description: 'CPU per invoice PDF (renderInvoicePdf) against a minimal pdfkit document, in process',
  async run(ctx: BenchContext) {
    for (const scenario of scenarios) {
      const base: Measure[] = [];
      const mcart: Measure[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        base.push(await measure(minimalPdf));
        mcart.push(await measure(scenario.render));
      }
      // The better round of each: the machine is shared, and other load only ever adds.
      const best = (all: Measure[]) => all.reduce((a, b) => (b.cpuMsPerPdf < a.cpuMsPerPdf ? b : a));
      const [b, m] = [best(base), best(mcart)];
      ctx.results.push(result(scenario.name, 'baseline', b), result(scenario.name, 'mcart', m));
      ctx.log(
        `${scenario.name}: ${m.cpuMsPerPdf.toFixed(2)} ms CPU per PDF (${(m.bytes / 1024).toFixed(1)} KB), ` +
          `baseline ${b.cpuMsPerPdf.toFixed(2)} ms (${(b.bytes / 1024).toFixed(1)} KB): ` +
          `${(m.cpuMsPerPdf / b.cpuMsPerPdf).toFixed(2)}× the baseline's CPU`,
      );
    }
  },
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await suite.run({ databaseUrl: '', flags: new Set(), results: [], log: console.log });
}
