import { Type, type Static } from '@sinclair/typebox';

/** The longest range one report covers, in days (`to` included): a leap year. */
export const MAX_RANGE_DAYS = 366;

const Day = (description: string) =>
  Type.String({ format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description });

const rangeFields = {
  from: Day('First day of the report, a local calendar day in `tz` (YYYY-MM-DD)'),
  to: Day(`Last day of the report, included (YYYY-MM-DD); at most ${MAX_RANGE_DAYS} days from \`from\``),
  /** IANA time zone the days are counted in, as the dashboard takes it (the desktop sends its own). */
  tz: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 64,
      default: 'UTC',
      description: 'IANA time zone the days are counted in (default UTC)',
    }),
  ),
  format: Type.Optional(
    Type.Union([Type.Literal('json'), Type.Literal('csv')], {
      default: 'json',
      description: '`csv` answers the same report as a CSV download (text/csv)',
    }),
  ),
};

export const SalesReportQuery = Type.Object(
  {
    ...rangeFields,
    groupBy: Type.Optional(
      Type.Union([Type.Literal('day'), Type.Literal('week'), Type.Literal('month')], {
        default: 'day',
        description: 'Bucket size: local days, ISO weeks (Monday to Sunday) or calendar months',
      }),
    ),
  },
  { additionalProperties: false },
);
export type SalesReportQuery = Static<typeof SalesReportQuery>;

export const ProductReportQuery = Type.Object(
  {
    ...rangeFields,
    sort: Type.Optional(
      Type.Union([Type.Literal('revenue'), Type.Literal('units')], {
        default: 'revenue',
        description: 'Best first by revenue or by units (ties: the other one, then the variant id)',
      }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);
export type ProductReportQuery = Static<typeof ProductReportQuery>;

const minor = (description: string) => Type.Integer({ description: `${description} (minor units)` });

/** One bucket of the sales report (or their totals). Every amount is in the report's `currency`. */
const SalesRow = Type.Object({
  period: Type.String({
    description:
      "The bucket's first day, YYYY-MM-DD: the day, the week's Monday or the month's 1st (the first and last " +
      'buckets may begin before `from` or end after `to`: they count only days of the range). ' +
      'In `totals`, `from`.',
  }),
  orders: Type.Integer({ description: 'Orders paid in the bucket' }),
  units: Type.Integer({ description: 'Units in those orders (line quantities)' }),
  gross: minor(
    'Goods of those orders at the prices charged (unit price × quantity, sale prices applied), before ' +
      'discounts; tax included when the order was placed with prices including tax',
  ),
  discounts: minor('Discounts of those orders (discount codes)'),
  shipping: minor('Shipping charged on those orders, on the same tax basis as the prices'),
  tax: minor(
    'Tax of those orders: added on top when prices excluded tax, contained in gross and shipping when they included it',
  ),
  refunds: minor(
    'Money given back in the bucket: refunds the gateway confirmed on its days, staff refunds and the automatic ' +
      'refunds of orders cancelled after payment alike, whatever day those orders were paid; under manual ' +
      'capture, what an authorization did not take (voided, or captured for less) on the day it was settled; ' +
      'less the refunds reversed in the bucket (failed at the gateway after they went through, lost disputes ' +
      'won on appeal), which still count on the day they went through: negative when reversals exceed refunds',
  ),
  net: minor(
    'What those orders charged (gross − discounts + shipping, + tax when prices excluded it: the order totals) ' +
      'less refunds: the money kept, tax included',
  ),
});

export const SalesReportDto = Type.Object(
  {
    currency: Type.String({ description: 'ISO 4217 code of every amount (the store currency)' }),
    timeZone: Type.String(),
    from: Type.String(),
    to: Type.String(),
    groupBy: Type.Union([Type.Literal('day'), Type.Literal('week'), Type.Literal('month')]),
    totals: SalesRow,
    rows: Type.Array(SalesRow, { description: 'Every bucket of the range, oldest first, zeros included' }),
  },
  { $id: 'SalesReportDto' },
);
export type SalesReportDto = Static<typeof SalesReportDto>;
export type SalesRow = Static<typeof SalesRow>;

const ProductRow = Type.Object({
  variantId: Type.String(),
  sku: Type.String({ description: 'As the latest order line sold it' }),
  title: Type.String({ description: 'Product title — variant title, as the latest order line sold it' }),
  units: Type.Integer({ description: 'Units in orders paid in the range' }),
  revenue: minor(
    "Those lines' totals as charged, less each line's share of its order's discount (pro rata, as refunds by " +
      "line and credit notes take it off: the shares of an order's lines add up to its discount exactly); tax " +
      'included only when the prices included it; no shipping',
  ),
  refundedUnits: Type.Integer({
    description:
      'Of those units, the ones refunded by line since (at any date), and all units of an order cancelled after payment',
  }),
});

export const ProductReportDto = Type.Object(
  {
    currency: Type.String(),
    timeZone: Type.String(),
    from: Type.String(),
    to: Type.String(),
    sort: Type.Union([Type.Literal('revenue'), Type.Literal('units')]),
    rows: Type.Array(ProductRow, { description: 'Best first, at most `limit`' }),
  },
  { $id: 'ProductReportDto' },
);
export type ProductReportDto = Static<typeof ProductReportDto>;
export type ProductRow = Static<typeof ProductRow>;
