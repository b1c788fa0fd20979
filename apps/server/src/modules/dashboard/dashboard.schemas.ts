import { Type, type Static } from '@sinclair/typebox';

export const DashboardQuery = Type.Object(
  {
    /** IANA time zone that "today" and the daily buckets are counted in (the desktop sends its own). */
    tz: Type.Optional(Type.String({ minLength: 1, maxLength: 64, default: 'UTC' })),
  },
  { additionalProperties: false },
);
export type DashboardQuery = Static<typeof DashboardQuery>;

// MoneyDto's shape, inline: two uses of a schema with an $id in one route confuse the serializer.
const Money = Type.Object({ amount: Type.Integer({ description: 'minor units' }), currency: Type.String() });
const Period = Type.Object({ revenue: Money, orders: Type.Integer() });

export const DailySalesDto = Type.Object({
  /** Local calendar day, YYYY-MM-DD. */
  date: Type.String(),
  revenue: Type.Integer({ description: 'minor units' }),
  orders: Type.Integer(),
});

export const LowStockItemDto = Type.Object({
  variantId: Type.String(),
  sku: Type.Union([Type.String(), Type.Null()]),
  title: Type.Union([Type.String(), Type.Null()]),
  available: Type.Integer(),
  threshold: Type.Integer(),
});

export const DashboardDto = Type.Object(
  {
    generatedAt: Type.String({ format: 'date-time' }),
    timeZone: Type.String(),
    currency: Type.String(),
    /**
     * Null while the module that owns the data is not installed, and for staff whose role may not read the
     * store's takings (`reports:read`: the warehouse and support see orders one by one, not revenue; ADR 0050).
     */
    sales: Type.Union([
      Type.Object({
        today: Period,
        last30Days: Period,
        /** 30 days, oldest first, every day present (zeros included). */
        daily: Type.Array(DailySalesDto),
      }),
      Type.Null(),
    ]),
    /** Paid orders not yet shipped, for every role; null while the orders module is not installed. */
    toPack: Type.Union([Type.Integer(), Type.Null()]),
    lowStock: Type.Union([
      Type.Object({
        count: Type.Integer(),
        items: Type.Array(LowStockItemDto, { description: 'the 10 lowest' }),
      }),
      Type.Null(),
    ]),
    customers: Type.Union([Type.Object({ today: Type.Integer(), last30Days: Type.Integer() }), Type.Null()]),
  },
  { $id: 'DashboardDto' },
);
export type DashboardDto = Static<typeof DashboardDto>;
