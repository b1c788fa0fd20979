import { Type, type Static } from '@sinclair/typebox';
import { DateOrTime, listQuery, SingleLine } from '../../platform/schemas.ts';
import { DateTime } from '../inventory/inventory.schemas.ts';
import { Money } from '../cart/cart.schemas.ts';
import { COMPANY_MAX_LENGTH, REGION_MAX_LENGTH } from '../../platform/regions.ts';
import { ORDER_STATUSES } from './order-states.ts';

/**
 * The largest amount of money an order holds, in minor units: its totals are PostgreSQL `int` columns
 * (orders.total, refunded_total). An amount or a total filter above it matches no order, and would overflow
 * the `int` it meets in SQL (a 500), so the schemas refuse it: 400 MCART_ERR_VALIDATION on its field.
 */
export const MAX_ORDER_AMOUNT = 2_147_483_647;
const Amount = (minimum: number, description: string) =>
  Type.Integer({ minimum, maximum: MAX_ORDER_AMOUNT, description });

const Status = Type.Union(ORDER_STATUSES.map((status) => Type.Literal(status)));
const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

/** Company and region of an address: optional, trimmed (blank is left out), the region checked by country. */
export const CompanyField = SingleLine({
  maxLength: COMPANY_MAX_LENGTH,
  blank: true,
  description: 'Company or organisation, printed under the name (trimmed; blank is left out)',
});
export const RegionField = SingleLine({
  maxLength: REGION_MAX_LENGTH,
  blank: true,
  description:
    'State, province or county; optional, for every country. For US and CA, when given, the 2-letter ' +
    'state or province code (IL, ON), any case, stored upper case; 400 MCART_ERR_VALIDATION on ' +
    '`body/shippingAddress/region` otherwise. Free text elsewhere (trimmed; blank is left out).',
});

export const AddressSchema = Type.Object(
  {
    // Blank-only text is refused ("must not be blank"): a parcel needs a name, a street, a city, a code. Every
    // line is one line (`SingleLine`): a line break would print text of the sender's choosing on the label,
    // the packing slip and the e-mails as a line of its own.
    name: SingleLine({ maxLength: 200 }),
    company: Type.Optional(CompanyField),
    line1: SingleLine({ maxLength: 200 }),
    line2: Type.Optional(SingleLine({ maxLength: 200, blank: true })),
    city: SingleLine({ maxLength: 100 }),
    region: Type.Optional(RegionField),
    postalCode: SingleLine({ maxLength: 20 }),
    country: Type.String({
      pattern: '^[A-Za-z]{2}$',
      description:
        'An assigned ISO 3166-1 alpha-2 code (GB, US), any case, stored upper case; 400 MCART_ERR_VALIDATION ' +
        'on `body/shippingAddress/country` otherwise (XX, ZZ, EU, UK: ADR 0059).',
    }),
    phone: Type.Optional(Type.String({ maxLength: 40, pattern: '^[0-9 +().-]*$' })),
  },
  { additionalProperties: false },
);

export const CheckoutBody = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 254 }),
    shippingAddress: AddressSchema,
    shippingMethodId: Type.Optional(Type.String({ format: 'uuid' })),
    payment: Type.Object(
      {
        provider: Type.String({ minLength: 1, maxLength: 32 }),
        token: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export const CheckoutDto = Type.Object({
  order: Type.Object({ id: Type.String(), number: Type.String(), status: Status, total: Money }),
  // Absent when there was nothing to pay (a total of 0): the order is paid as placed.
  payment: Type.Optional(
    Type.Object({
      id: Type.String(),
      status: Type.Union([
        Type.Literal('authorized'),
        Type.Literal('captured'),
        Type.Literal('requires_action'),
        Type.Literal('declined'),
      ]),
      clientSecret: Type.Optional(Type.String()),
    }),
  ),
});

export const OrderSummaryDto = Type.Object({
  id: Type.String(),
  number: Type.String(),
  status: Status,
  email: Type.String(),
  customerId: Nullable(Type.String()),
  total: Money,
  refunded: Money,
  itemCount: Type.Integer(),
  createdAt: DateTime,
  updatedAt: DateTime,
  paidAt: Type.Union([DateTime, Type.Null()]),
});

export const OrderLineDto = Type.Object({
  id: Type.String(),
  variantId: Type.String(),
  productId: Nullable(Type.String()),
  sku: Type.String(),
  title: Type.String(),
  productTitle: Type.String(),
  quantity: Type.Integer(),
  returnedQuantity: Type.Integer(),
  refundedQuantity: Type.Integer({ description: 'Units refunded by line (each unit once)' }),
  withdrawnQuantity: Type.Integer({
    description:
      'Units refunded by line before they shipped: never shipped, back in stock. They stay withdrawn if that refund ' +
      'later failed at the gateway (the units are then refundable again), so this may exceed refundedQuantity',
  }),
  refundedAmount: Type.Object(Money.properties, {
    description:
      'The money refunds by line gave back for this line (its refundedQuantity units, a refund still pending at ' +
      'the gateway included). A refund by line is priced for all its lines at once: its amount is split over them ' +
      'by what their units cost at their prices, so the lines add up to it. Refunds of an amount belong to no line',
  }),
  unitPrice: Money,
  regularPrice: Money,
  total: Money,
  weightGrams: Type.Union([Type.Integer(), Type.Null()]),
});

export const TimelineEventDto = Type.Object({
  id: Type.String(),
  at: DateTime,
  kind: Type.String(),
  fromStatus: Nullable(Type.String()),
  toStatus: Nullable(Type.String()),
  /** The English text, kept for every event (free text for notes and reasons; the only text of older events). */
  message: Nullable(Type.String()),
  /**
   * The text as a stable key (`refund.made`, ADR 0069) for the client to translate, with `messageParams`; absent on
   * free text (notes, reasons written by someone) and on older events: show `message` then, and for a key the
   * client does not know.
   */
  messageKey: Type.Optional(Type.String()),
  /**
   * The key's parameters: money as `{ amount, currency }` (minor units), counts as integers, `status` an order
   * status, `note` free text shown as it is after the translated text.
   */
  messageParams: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  actorType: Type.String(),
  actorId: Nullable(Type.String()),
});

/** The address snapshot of the order; `company` and `region` are absent on orders placed without them. */
export const AddressDto = Type.Object({
  name: Type.String(),
  company: Type.Optional(Type.String()),
  line1: Type.String(),
  line2: Type.Optional(Type.String()),
  city: Type.String(),
  region: Type.Optional(Type.String()),
  postalCode: Type.String(),
  country: Type.String(),
  phone: Type.Optional(Type.String()),
});

export const OrderDto = Type.Object({
  id: Type.String(),
  number: Type.String(),
  status: Status,
  email: Type.String(),
  customerId: Nullable(Type.String()),
  currency: Type.String(),
  totals: Type.Object({ subtotal: Money, discount: Money, shipping: Money, tax: Money, total: Money }),
  refunded: Money,
  lineRefunded: Type.Object(Money.properties, {
    description:
      'Of `refunded`, what refunds by line gave back (the sum of the lines’ `refundedAmount`): the next refund by ' +
      'line is priced against it (ADR 0044)',
  }),
  taxRateBps: Type.Integer(),
  pricesIncludeTax: Type.Boolean(),
  discountCode: Nullable(Type.String()),
  shippingMethod: Type.Union([
    Type.Object({ id: Nullable(Type.String()), name: Type.String() }),
    Type.Null(),
  ]),
  shippingAddress: AddressDto,
  lines: Type.Array(OrderLineDto),
  allowedTransitions: Type.Array(Status),
  reservedUntil: Type.Union([DateTime, Type.Null()]),
  paidAt: Type.Union([DateTime, Type.Null()]),
  cancelledAt: Type.Union([DateTime, Type.Null()]),
  cancelReason: Nullable(Type.String()),
  createdAt: DateTime,
  updatedAt: DateTime,
  timeline: Type.Optional(Type.Array(TimelineEventDto)),
  payments: Type.Optional(Type.Array(Type.Record(Type.String(), Type.Unknown()))),
});

/** Where a parcel is, as its shopper sees it (a voided label is no parcel and is never listed). */
export const PARCEL_STATUSES = [
  'label_created',
  'in_transit',
  'out_for_delivery',
  'delivered',
  'exception',
  'returned_to_sender',
] as const;

/**
 * One parcel of the shopper's order: carrier, tracking and what is in it. Nothing about the label (files,
 * the carrier account's hosted links), what the postage cost or the provider's own ids, and no address.
 */
export const OrderShipmentDto = Type.Object({
  id: Type.String(),
  carrier: Type.String(),
  trackingNumber: Type.String(),
  trackingUrl: Type.Union([Type.String(), Type.Null()], {
    description: 'Where to follow this parcel: the link its provider gave; null when there is none',
  }),
  status: Type.Union(PARCEL_STATUSES.map((status) => Type.Literal(status))),
  shippedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
    description: 'When the carrier first reported the parcel (handed over); null while only the label exists',
  }),
  deliveredAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  items: Type.Array(Type.Object({ sku: Type.String(), title: Type.String(), quantity: Type.Integer() }), {
    description: 'The units of the order in this parcel',
  }),
});
export type OrderShipment = Static<typeof OrderShipmentDto>;

const CanCancel = Type.Boolean({
  description:
    'Whether POST /api/store/orders/{id}/cancel accepts this order now (pending payment or paid). ' +
    "`allowedTransitions` lists staff's moves, not the shopper's",
});

/** The shopper's own order: the order, whether they may cancel it, and its parcels, oldest first. */
export const StoreOrderDto = Type.Object({
  ...OrderDto.properties,
  canCancel: CanCancel,
  shipments: Type.Array(OrderShipmentDto),
});

export const OrderListQuery = listQuery(
  {
    id: Type.Optional(
      Type.Array(Type.String({ format: 'uuid' }), {
        maxItems: 500,
        description: 'Only these orders (repeat `id`; react-admin getMany)',
      }),
    ),
    status: Type.Optional(Status),
    customerId: Type.Optional(Type.String({ format: 'uuid' })),
    email: Type.Optional(Type.String({ maxLength: 254 })),
    number: Type.Optional(Type.String({ maxLength: 32 })),
    from: Type.Optional(DateOrTime('placed at or after')),
    to: Type.Optional(DateOrTime('placed before')),
    minTotal: Type.Optional(Amount(0, 'Total at least this, in minor units')),
    maxTotal: Type.Optional(Amount(0, 'Total at most this, in minor units')),
  },
  ['createdAt', 'updatedAt', 'total', 'number', 'status'],
);
export const StoreOrderListQuery = listQuery({ status: Type.Optional(Status) }, ['createdAt', 'total']);
export const OrderListDto = Type.Object({ data: Type.Array(OrderSummaryDto), total: Type.Integer() });
/** The shopper's orders: each summary says whether they may cancel it. */
export const StoreOrderListDto = Type.Object({
  data: Type.Array(Type.Object({ ...OrderSummaryDto.properties, canCancel: CanCancel })),
  total: Type.Integer(),
});
export const OrderCountsDto = Type.Object({
  counts: Type.Record(Type.String(), Type.Integer()),
  total: Type.Integer(),
});

export const NoteBody = Type.Object(
  { body: Type.String({ minLength: 1, maxLength: 2000 }) },
  { additionalProperties: false },
);
export const TransitionBody = Type.Object(
  { status: Status, message: Type.Optional(SingleLine({ maxLength: 200, blank: true })) },
  { additionalProperties: false },
);
export const CancelBody = Type.Object(
  { reason: Type.Optional(SingleLine({ maxLength: 200, blank: true })) },
  { additionalProperties: false },
);
export const CaptureBody = Type.Object(
  { amount: Type.Optional(Amount(1, 'Minor units to capture; all that was authorized when left out')) },
  { additionalProperties: false },
);
export const RefundBody = Type.Object(
  {
    amount: Type.Optional(Amount(1, 'Minor units to refund; at most what is left of the order total')),
    lines: Type.Optional(
      Type.Array(
        Type.Object(
          {
            orderLineId: Type.String({ format: 'uuid' }),
            quantity: Type.Integer({ minimum: 1, maximum: 999 }),
          },
          { additionalProperties: false },
        ),
        { minItems: 1, maxItems: 200 },
      ),
    ),
    reason: Type.Optional(SingleLine({ maxLength: 200, blank: true })),
  },
  { additionalProperties: false },
);
export const ReturnBody = Type.Object(
  {
    lines: Type.Array(
      Type.Object(
        {
          orderLineId: Type.String({ format: 'uuid' }),
          quantity: Type.Integer({ minimum: 1, maximum: 999 }),
          restock: Type.Boolean(),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 200 },
    ),
    reason: Type.Optional(SingleLine({ maxLength: 200, blank: true })),
  },
  { additionalProperties: false },
);
