import { Type } from '@sinclair/typebox';
import { listOf, listQuery, SingleLine } from '../../platform/schemas.ts';
import { MAX_QUANTITY, MOVEMENT_KINDS } from './inventory.service.ts';

const Uuid = Type.String({ format: 'uuid' });
/** Dates leave as ISO strings (the serializer formats the Date objects rows carry). */
export const DateTime = Type.Unsafe<Date>({ type: 'string', format: 'date-time' });
const Quantity = Type.Integer({ minimum: 1, maximum: MAX_QUANTITY });
/**
 * Why stock changed, as the ledger shows it: one line (the desktop's field is one line), not blank, stored
 * trimmed. No line breaks or other control characters, which would let an entry pass for several in the
 * movement history and carry terminal escapes to whoever reads it.
 */
const Reason = SingleLine({ maxLength: 500 });
/** An optional reason (receipts, transfers): one line as above; blank is left out. */
const OptionalReason = SingleLine({ maxLength: 500, blank: true });
/** A location's name is one line (labels and pick lists print it). */
const LocationName = SingleLine({ maxLength: 120 });

export const StockLevelDto = Type.Object({
  id: Type.String({ description: '<variantId>:<locationId>' }),
  variantId: Type.String(),
  locationId: Type.String(),
  locationName: Type.String(),
  onHand: Type.Integer(),
  reserved: Type.Integer(),
  available: Type.Integer(),
  allowBackorder: Type.Boolean(),
  lowStockThreshold: Type.Union([Type.Integer(), Type.Null()]),
  updatedAt: DateTime,
});

export const StockMovementDto = Type.Object({
  id: Type.String(),
  createdAt: DateTime,
  variantId: Type.String(),
  locationId: Type.String(),
  kind: Type.Union(MOVEMENT_KINDS.map((kind) => Type.Literal(kind))),
  onHandDelta: Type.Integer(),
  reservedDelta: Type.Integer(),
  reason: Type.Union([Type.String(), Type.Null()]),
  staffId: Type.Union([Type.String(), Type.Null()]),
  orderId: Type.Union([Type.String(), Type.Null()]),
  transferId: Type.Union([Type.String(), Type.Null()]),
});

export const StockLocationDto = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  isDefault: Type.Boolean(),
  active: Type.Boolean(),
  version: Type.Integer({ minimum: 1 }),
  createdAt: DateTime,
  updatedAt: DateTime,
});

export const StockChangeDto = Type.Object({ movementId: Type.String(), level: StockLevelDto });

export const AdjustmentBody = Type.Object(
  {
    variantId: Uuid,
    locationId: Type.Optional(Uuid),
    delta: Type.Integer({
      minimum: -MAX_QUANTITY,
      maximum: MAX_QUANTITY,
      description: 'Non-zero change of on-hand stock',
    }),
    reason: Reason,
  },
  { additionalProperties: false },
);

export const ReceiptBody = Type.Object(
  {
    variantId: Uuid,
    locationId: Type.Optional(Uuid),
    quantity: Quantity,
    reason: Type.Optional(OptionalReason),
  },
  { additionalProperties: false },
);

export const TransferBody = Type.Object(
  {
    variantId: Uuid,
    fromLocationId: Uuid,
    toLocationId: Uuid,
    quantity: Quantity,
    reason: Type.Optional(OptionalReason),
  },
  { additionalProperties: false },
);

export const TransferDto = Type.Object({ transferId: Type.String(), from: StockLevelDto, to: StockLevelDto });

export const LevelListQuery = listQuery(
  {
    variantId: Type.Optional(Uuid),
    locationId: Type.Optional(Uuid),
    lowStock: Type.Optional(Type.Boolean()),
    outOfStock: Type.Optional(Type.Boolean()),
  },
  ['variantId', 'locationId', 'onHand', 'reserved', 'available', 'updatedAt'],
);
export const LevelListDto = listOf(StockLevelDto);

export const MovementListQuery = listQuery(
  {
    variantId: Type.Optional(Uuid),
    locationId: Type.Optional(Uuid),
    orderId: Type.Optional(Uuid),
    kind: Type.Optional(Type.Union(MOVEMENT_KINDS.map((kind) => Type.Literal(kind)))),
  },
  ['id', 'createdAt'],
);
export const MovementListDto = listOf(StockMovementDto);

export const LocationListDto = listOf(StockLocationDto);
export const CreateLocationBody = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 32, pattern: '^[A-Za-z0-9_-]+$' }),
    name: LocationName,
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export const UpdateLocationBody = Type.Object(
  {
    code: Type.Optional(Type.String({ minLength: 1, maxLength: 32, pattern: '^[A-Za-z0-9_-]+$' })),
    name: Type.Optional(LocationName),
    active: Type.Optional(Type.Boolean()),
    isDefault: Type.Optional(Type.Boolean()),
    version: Type.Optional(
      Type.Integer({
        minimum: 1,
        description: 'The version you read: a stale one gets 409 MCART_ERR_STALE_WRITE',
      }),
    ),
  },
  { additionalProperties: false },
);

export const StockPolicyDto = Type.Object({
  variantId: Type.String(),
  allowBackorder: Type.Boolean(),
  lowStockThreshold: Type.Union([Type.Integer(), Type.Null()]),
});
export const StockPolicyBody = Type.Object(
  {
    allowBackorder: Type.Boolean(),
    // One schema with both types: a value of either type is taken as it is (bodies are not coerced, see
    // partAwareValidatorBuilder; a union would also be right now, this reads as one field).
    lowStockThreshold: Type.Unsafe<number | null>({
      type: ['integer', 'null'],
      minimum: 0,
      maximum: MAX_QUANTITY,
      description: 'null clears the threshold (no low-stock alerts)',
    }),
  },
  { additionalProperties: false },
);
export const VariantParams = Type.Object({ variantId: Uuid }, { additionalProperties: false });

// Batches: several lines in one transaction (the desktop's scan-to-receive and transfer screens).
const MAX_BATCH_LINES = 200;
const BatchLine = Type.Object({ variantId: Uuid, quantity: Quantity }, { additionalProperties: false });
export const ReceiptBatchBody = Type.Object(
  {
    locationId: Type.Optional(Uuid),
    reason: Type.Optional(OptionalReason),
    lines: Type.Array(BatchLine, { minItems: 1, maxItems: MAX_BATCH_LINES }),
  },
  { additionalProperties: false },
);
export const AdjustmentBatchBody = Type.Object(
  {
    locationId: Type.Optional(Uuid),
    reason: Reason,
    lines: Type.Array(
      Type.Object(
        {
          variantId: Uuid,
          delta: Type.Integer({
            minimum: -MAX_QUANTITY,
            maximum: MAX_QUANTITY,
            description: 'Non-zero change of on-hand stock',
          }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: MAX_BATCH_LINES },
    ),
  },
  { additionalProperties: false },
);
export const TransferBatchBody = Type.Object(
  {
    fromLocationId: Uuid,
    toLocationId: Uuid,
    reason: Type.Optional(OptionalReason),
    lines: Type.Array(BatchLine, { minItems: 1, maxItems: MAX_BATCH_LINES }),
  },
  { additionalProperties: false },
);
export const StockChangeBatchDto = Type.Object({
  lines: Type.Array(
    Type.Object({ variantId: Type.String(), movementId: Type.String(), level: StockLevelDto }),
  ),
});
export const TransferBatchDto = Type.Object({
  lines: Type.Array(
    Type.Object({
      variantId: Type.String(),
      transferId: Type.String(),
      from: StockLevelDto,
      to: StockLevelDto,
    }),
  ),
});
