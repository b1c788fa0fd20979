import { Type } from '@sinclair/typebox';
import { listOf, listQuery } from '../../platform/schemas.ts';
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
  line1: Type.String(),
  line2: Type.Optional(Type.String()),
  city: Type.String(),
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

export const TrackingImportReportDto = Type.Object({
  rows: Type.Integer(),
  imported: Type.Integer(),
  duplicates: Type.Integer(),
  rejected: Type.Array(
    Type.Object({ row: Type.Integer(), reason: Type.String(), value: Type.Optional(Type.String()) }),
  ),
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
  received: Type.Integer(),
  applied: Type.Integer(),
  duplicates: Type.Integer(),
  unknown: Type.Integer(),
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
