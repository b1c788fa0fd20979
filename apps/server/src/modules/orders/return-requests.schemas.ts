import { Type } from '@sinclair/typebox';
import { listOf, listQuery } from '../../platform/schemas.ts';
import { Money } from '../cart/cart.schemas.ts';
import { DateTime } from '../inventory/inventory.schemas.ts';
import { RETURN_REASONS, RETURN_REQUEST_STATUSES } from './return-requests.states.ts';

const ReturnRequestStatus = Type.Union(
  RETURN_REQUEST_STATUSES.map((status) => Type.Literal(status)),
  {
    description:
      '`requested` (waiting for staff), `approved` (the customer sends the goods to the store), `rejected`, ' +
      '`received` (the goods arrived: the order recorded their return), `withdrawn` (the customer withdrew ' +
      'it before the goods arrived: from `requested` or `approved`, through the store; staff never set it)',
  },
);
const ReturnReason = Type.Union(
  RETURN_REASONS.map((reason) => Type.Literal(reason)),
  { description: 'Why the customer returns the goods' },
);
const NullableString = Type.Union([Type.String(), Type.Null()]);
const NullableDateTime = Type.Union([DateTime, Type.Null()]);

export const CreateReturnRequestBody = Type.Object(
  {
    lines: Type.Array(
      Type.Object(
        {
          orderLineId: Type.String({ format: 'uuid', description: 'A line of this order (`lines[].id`)' }),
          quantity: Type.Integer({ minimum: 1, maximum: 999, description: 'Units of the line to send back' }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 100, description: 'The units to return; each order line once' },
    ),
    reason: ReturnReason,
    comment: Type.Optional(
      Type.String({ maxLength: 1000, description: 'Anything the store should know (what is wrong, ...)' }),
    ),
  },
  { additionalProperties: false },
);

export const ApproveReturnRequestBody = Type.Object(
  {
    note: Type.Optional(
      Type.String({
        maxLength: 1000,
        description: 'A note for the customer, in the approval e-mail (e.g. "keep the original box")',
      }),
    ),
  },
  { additionalProperties: false },
);

export const RejectReturnRequestBody = Type.Object(
  {
    reason: Type.String({
      minLength: 1,
      maxLength: 1000,
      description: 'Why the return is refused: e-mailed to the customer',
    }),
  },
  { additionalProperties: false },
);

export const ReceiveReturnRequestBody = Type.Object(
  {
    // No schema default: `restock` left out is "all back to stock" unless `lines` says per line (not both).
    restock: Type.Optional(
      Type.Boolean({
        description:
          'Put all the units back on the shelf (false: none, damaged goods, not sellable). Left out: true, ' +
          'unless `lines` chooses per line; not together with `lines`',
      }),
    ),
    lines: Type.Optional(
      Type.Array(
        Type.Object(
          {
            orderLineId: Type.String({
              format: 'uuid',
              description: 'A line of the request (`lines[].orderLineId`)',
            }),
            restockQuantity: Type.Integer({
              minimum: 0,
              maximum: 999,
              description:
                "How many of the line's received units go back to stock (0..the line's `quantity`); the rest " +
                'is recorded as returned but kept out of stock (damaged)',
            }),
          },
          { additionalProperties: false },
        ),
        {
          minItems: 1,
          maxItems: 100,
          description:
            'Restock per line: every line of the request exactly once. Instead of `restock`, for a parcel whose ' +
            'items are partly resellable, partly damaged',
        },
      ),
    ),
    refund: Type.Optional(
      Type.Boolean({
        default: false,
        description:
          'Then refund the lines by line (what they cost the customer), as POST /api/admin/orders/{id}/refund ' +
          'does; needs `orders:refund` too',
      }),
    ),
  },
  { additionalProperties: false },
);

export const ReturnRequestLineDto = Type.Object({
  orderLineId: Type.String(),
  sku: Type.String(),
  title: Type.String({ description: '"Product – Variant", as ordered' }),
  quantity: Type.Integer(),
  unitPrice: Money,
  restockedQuantity: Type.Union([Type.Integer(), Type.Null()], {
    description: 'Units of the line put back in stock at receipt (the rest kept out); null until received',
  }),
});

export const ReturnRequestDto = Type.Object(
  {
    id: Type.String(),
    number: Type.String({ description: 'The return number (`<order number>-R<n>`), to write on the parcel' }),
    orderId: Type.String(),
    orderNumber: Type.String(),
    status: ReturnRequestStatus,
    reason: ReturnReason,
    comment: Type.Union([Type.String(), Type.Null()], { description: "The customer's comment" }),
    note: Type.Union([Type.String(), Type.Null()], {
      description: "Staff's note to the customer at approval",
    }),
    rejectionReason: NullableString,
    lines: Type.Array(ReturnRequestLineDto),
    allowedTransitions: Type.Array(ReturnRequestStatus, { description: 'Where staff may move it next' }),
    createdAt: DateTime,
    updatedAt: DateTime,
    approvedAt: NullableDateTime,
    rejectedAt: NullableDateTime,
    receivedAt: NullableDateTime,
    withdrawnAt: Type.Union([DateTime, Type.Null()], {
      description: 'When the customer withdrew the request; null unless `withdrawn`',
    }),
    restocked: Type.Union([Type.Boolean(), Type.Null()], {
      description:
        'Whether received units went back to stock (true: all or some of them, `lines[].restockedQuantity` says ' +
        'which; false: none); null until received',
    }),
    refund: Type.Union([Type.Object({ amount: Money, at: DateTime }), Type.Null()], {
      description: 'The refund made when the goods were received; null when none was (yet)',
    }),
    refundPending: Type.Boolean({
      description:
        'Its refund was sent but the payment gateway has not confirmed it (its answer was lost: ' +
        'MCART_ERR_REFUND_PENDING). It completes automatically (then `refund` is set) or, if the gateway refused ' +
        'it, is undone; do not refund it again meanwhile',
    }),
  },
  { $id: 'ReturnRequestDto' },
);

/** The customer withdraws their request: nothing to say (an empty object, or no body at all). */
export const WithdrawReturnRequestBody = Type.Object({}, { additionalProperties: false });

export const ReturnRequestParams = Type.Object(
  {
    id: Type.String({ format: 'uuid', description: 'The order' }),
    requestId: Type.String({ format: 'uuid', description: 'The return request (of this order)' }),
  },
  { additionalProperties: false },
);

export const ReturnRequestListDto = listOf(ReturnRequestDto);
/** The requests of one order, oldest first. */
export const OrderReturnRequestsDto = Type.Object({ data: Type.Array(ReturnRequestDto) });

export const ReturnRequestListQuery = listQuery(
  {
    status: Type.Optional(ReturnRequestStatus),
    orderId: Type.Optional(Type.String({ format: 'uuid' })),
  },
  ['createdAt', 'updatedAt', 'number', 'status'],
);
