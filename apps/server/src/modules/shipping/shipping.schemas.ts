import { Type } from '@sinclair/typebox';
import { COMPANY_MAX_LENGTH, REGION_MAX_LENGTH } from '../../platform/regions.ts';
import { listOf, listQuery, SingleLine } from '../../platform/schemas.ts';
import { SHIPMENT_STATUSES } from './shipment.entity.ts';

const Uuid = Type.String({ format: 'uuid' });
const StatusDto = Type.Union(SHIPMENT_STATUSES.map((status) => Type.Literal(status)));

export const CreateShipmentBody = Type.Object(
  {
    lines: Type.Optional(
      Type.Array(
        Type.Object(
          { orderLineId: Uuid, quantity: Type.Integer({ minimum: 1, maximum: 100_000 }) },
          { additionalProperties: false },
        ),
        {
          minItems: 1,
          maxItems: 500,
        },
      ),
    ),
    package: Type.Optional(
      Type.Object(
        {
          weightGrams: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
          lengthMm: Type.Optional(Type.Integer({ minimum: 1, maximum: 5_000 })),
          widthMm: Type.Optional(Type.Integer({ minimum: 1, maximum: 5_000 })),
          heightMm: Type.Optional(Type.Integer({ minimum: 1, maximum: 5_000 })),
        },
        { additionalProperties: false },
      ),
    ),
    service: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    shippingAddress: Type.Optional(
      Type.Object(
        {
          // As the checkout's address (orders' AddressSchema): a blank name, street, city or code would print a
          // label without them, and a line break would start a line of the writer's choosing.
          name: SingleLine({ maxLength: 200 }),
          company: Type.Optional(
            SingleLine({ maxLength: COMPANY_MAX_LENGTH, blank: true, description: 'Printed under the name' }),
          ),
          line1: SingleLine({ maxLength: 200 }),
          line2: Type.Optional(SingleLine({ maxLength: 200, blank: true })),
          city: SingleLine({ maxLength: 100 }),
          region: Type.Optional(
            SingleLine({
              maxLength: REGION_MAX_LENGTH,
              blank: true,
              description:
                'State, province or county; optional. For US and CA, when given, the 2-letter code (IL, ON), ' +
                'any case, stored upper case (400 on `body/shippingAddress/region` otherwise); free text elsewhere.',
            }),
          ),
          postalCode: SingleLine({ maxLength: 20 }),
          country: Type.String({ pattern: '^[A-Za-z]{2}$', description: 'ISO 3166-1 alpha-2' }),
          phone: Type.Optional(Type.String({ maxLength: 40, pattern: '^[0-9 +().-]*$' })),
        },
        {
          additionalProperties: false,
          description:
            "The address to print, when the order's cannot go on a label as it is (MCART_ERR_LABEL_ADDRESS_TOO_LONG: " +
            'a line over 35 characters, letters outside Latin-1): staff write it shorter or in Latin letters; ' +
            'or when a parcel came back (returned to sender) and staff corrected the address for the next one. ' +
            "Same country as the order's. The shipment keeps it; the order's address is unchanged.",
        },
      ),
    ),
  },
  { additionalProperties: false },
);

export const CreatedShipmentDto = Type.Object({ id: Uuid, trackingNumber: Type.String(), status: StatusDto });

export const ShipmentSummaryDto = Type.Object({
  id: Uuid,
  orderId: Uuid,
  orderNumber: Type.String(),
  provider: Type.String(),
  carrier: Type.String(),
  service: Type.String(),
  trackingNumber: Type.String(),
  trackingUrl: Type.String(),
  status: StatusDto,
  weightGrams: Type.Integer(),
  lengthMm: Type.Integer(),
  widthMm: Type.Integer(),
  heightMm: Type.Integer(),
  rate: Type.Union([Type.Object({ amount: Type.Integer(), currency: Type.String() }), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  handedOverAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  deliveredAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  voidedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

export const TrackingEventDto = Type.Object({
  status: StatusDto,
  occurredAt: Type.String({ format: 'date-time' }),
  location: Type.Union([Type.String(), Type.Null()]),
  description: Type.Union([Type.String(), Type.Null()]),
  source: Type.String(),
});

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

export const ShipmentDto = Type.Composite([
  ShipmentSummaryDto,
  Type.Object({
    lines: Type.Array(
      Type.Object({
        id: Uuid,
        orderLineId: Uuid,
        variantId: Type.Union([Uuid, Type.Null()]),
        sku: Type.String(),
        title: Type.String(),
        quantity: Type.Integer(),
      }),
    ),
    events: Type.Array(TrackingEventDto),
    recipient: AddressDto,
  }),
]);

export const ShipmentListQuery = listQuery(
  {
    orderId: Type.Optional(Uuid),
    status: Type.Optional(StatusDto),
    trackingNumber: Type.Optional(Type.String({ maxLength: 64 })),
    q: Type.Optional(Type.String({ maxLength: 64 })),
  },
  ['createdAt', 'status', 'orderNumber', 'trackingNumber'],
);
export const ShipmentListDto = listOf(ShipmentSummaryDto);

export const LabelQuery = Type.Object(
  { format: Type.Optional(Type.Union([Type.Literal('pdf'), Type.Literal('zpl')], { default: 'pdf' })) },
  { additionalProperties: false },
);
export const BatchLabelQuery = Type.Object(
  {
    ids: Type.Array(Uuid, { minItems: 1, maxItems: 100 }),
    format: Type.Optional(Type.Union([Type.Literal('pdf'), Type.Literal('zpl')], { default: 'pdf' })),
  },
  { additionalProperties: false },
);

const ImportRowNote = Type.Object({
  row: Type.Integer({ description: 'Line number in the file (the header is line 1)' }),
  field: Type.Optional(
    Type.String({
      description:
        "The column the reason is about, as the file's header names it; absent when the reason is about the row as a whole",
    }),
  ),
  reason: Type.String(),
  value: Type.Optional(Type.String()),
});

export const TrackingImportReportDto = Type.Object({
  rows: Type.Integer({ description: 'Data rows in the file' }),
  imported: Type.Integer({
    description: "Rows newly added to a shipment's timeline: `applied` + `recorded`",
  }),
  applied: Type.Integer({ description: "Rows that moved their shipment's status (and its order's)" }),
  recorded: Type.Integer({
    description:
      "Rows kept in the shipment's timeline without moving it; each is listed in `notApplied` with the reason",
  }),
  duplicates: Type.Integer({ description: 'Rows imported before (or twice in this file): no second effect' }),
  rejected: Type.Array(ImportRowNote, { description: 'Rows not imported, with the reason' }),
  notApplied: Type.Array(ImportRowNote, {
    description:
      "The `recorded` rows: in the timeline, but the shipment's status did not change (an older event than its latest, or a move not allowed after its status)",
  }),
});

export const PublicTrackingDto = Type.Object({
  trackingNumber: Type.String(),
  carrier: Type.String(),
  status: StatusDto,
  events: Type.Array(
    Type.Object({
      status: StatusDto,
      occurredAt: Type.String({ format: 'date-time' }),
      location: Type.Union([Type.String(), Type.Null()]),
      description: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
});

export const WebhookAckDto = Type.Object({
  received: Type.Integer({ description: 'Events in the body' }),
  applied: Type.Integer({ description: "Events that moved their shipment's status" }),
  recorded: Type.Integer({
    description:
      "Events kept in the shipment's timeline without moving it: older than its latest event, or not allowed after its status (e.g. in_transit after delivered)",
  }),
  duplicates: Type.Integer({ description: 'Events received before: no second effect' }),
  unknown: Type.Integer({
    description: 'Events for a tracking number MCart does not know (acknowledged, ignored)',
  }),
});

export const ToPackQuery = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })) },
  { additionalProperties: false },
);
export const ToPackDto = Type.Object({
  data: Type.Array(
    Type.Object({
      orderId: Uuid,
      number: Type.String(),
      status: Type.String(),
      paidAt: Type.String({ format: 'date-time' }),
      shipTo: Type.Object({ name: Type.String(), city: Type.String(), country: Type.String() }),
      lines: Type.Array(
        Type.Object({
          orderLineId: Uuid,
          variantId: Type.Union([Uuid, Type.Null()]),
          sku: Type.String(),
          title: Type.String(),
          ordered: Type.Integer(),
          remaining: Type.Integer(),
          weightGrams: Type.Union([Type.Integer(), Type.Null()]),
        }),
      ),
    }),
  ),
  total: Type.Integer(),
});
