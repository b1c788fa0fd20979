import type { Readable } from 'node:stream';
import { csvStream } from '../../platform/csv.ts';
import type { ProductReportDto, SalesReportDto } from './reports.schemas.ts';

/*
 * Written as every MCart CSV is (platform/csv.ts): text a spreadsheet would run as a formula (a product title
 * like `=HYPERLINK(...)`) gets a leading apostrophe; numbers stay numbers, so a negative net is a value.
 */

/** One line per bucket, oldest first; amounts in minor units of `currency`, as the product export writes them. */
export function salesCsv(report: SalesReportDto): Readable {
  return csvStream([
    [
      'period',
      'orders',
      'units',
      'gross_minor',
      'discounts_minor',
      'shipping_minor',
      'tax_minor',
      'refunds_minor',
      'net_minor',
      'currency',
    ],
    ...report.rows.map((row) => [
      row.period,
      row.orders,
      row.units,
      row.gross,
      row.discounts,
      row.shipping,
      row.tax,
      row.refunds,
      row.net,
      report.currency,
    ]),
  ]);
}

/** One line per variant, best first. */
export function productsCsv(report: ProductReportDto): Readable {
  return csvStream([
    ['variant_id', 'sku', 'title', 'units', 'revenue_minor', 'refunded_units', 'currency'],
    ...report.rows.map((row) => [
      row.variantId,
      row.sku,
      row.title,
      row.units,
      row.revenue,
      row.refundedUnits,
      report.currency,
    ]),
  ]);
}
