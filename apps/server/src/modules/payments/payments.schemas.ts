import { Type, type Static } from '@sinclair/typebox';
import { listQuery } from '../../platform/schemas.ts';
import { DISPUTE_STATUSES, PAYMENT_STATUSES, REFUND_KINDS, REFUND_STATUSES } from './payment.entity.ts';

/** A gateway token or payment-method id (`tok_visa`, `pm_...`): a prefix, so a bare card number never passes. */
export const TOKEN_PATTERN = /^[a-z]{2,8}_[A-Za-z0-9_]+$/;

/**
 * What a shopper sends to pay: a gateway token, never card data. additionalProperties: false makes a body
 * with `card`, `number`, `cvc` or `exp_*` a 400 before any code sees it. Checkout embeds this as `payment`.
 */
export const PaymentInputBody = Type.Object(
  {
    provider: Type.String({ minLength: 1, maxLength: 32, pattern: '^[a-z][a-z0-9_-]*$', examples: ['test'] }),
    // A gateway token or payment-method id: letters, digits and underscores after a prefix, so a pasted
    // card number (digits only) is refused rather than stored or sent anywhere.
    token: Type.Optional(
      Type.String({ minLength: 4, maxLength: 255, pattern: TOKEN_PATTERN.source, examples: ['tok_visa'] }),
    ),
  },
  { additionalProperties: false },
);
export type PaymentInput = Static<typeof PaymentInputBody>;

export const PaymentRefundDto = Type.Object({
  id: Type.String({ format: 'uuid' }),
  amount: Type.Integer(),
  reason: Type.Union([Type.String(), Type.Null()]),
  status: Type.Union(
    REFUND_STATUSES.map((status) => Type.Literal(status)),
    {
      description:
        '`pending`: sent, the gateway has not confirmed it yet (its answer was lost: it is confirmed automatically; ' +
        'do not refund again). `failed`: the money did not go back (refused, or failed after it was sent: `reversedAt`).',
    },
  ),
  kind: Type.Union(
    REFUND_KINDS.map((kind) => Type.Literal(kind)),
    {
      description:
        '`refund`: given back by the store or at the gateway; `dispute`: taken back by a lost dispute',
    },
  ),
  failureReason: Type.Union([Type.String(), Type.Null()], {
    description: "Why it failed, in the gateway's words",
  }),
  reversedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
    description:
      'When a refund that had gone through was reported failed (the money did not go back after all)',
  }),
  createdAt: Type.String({ format: 'date-time' }),
});

/** A dispute (chargeback) of the payment, as the gateway last told it. */
export const PaymentDisputeDto = Type.Object({
  status: Type.Union(
    DISPUTE_STATUSES.map((status) => Type.Literal(status)),
    {
      description:
        "`needs_response`: evidence due (in the gateway's dashboard); `under_review`; `won`: the money stays; " +
        '`lost`: it went back to the customer through their bank (counted as a refund of kind `dispute`)',
    },
  ),
  amount: Type.Integer(),
  reason: Type.Union([Type.String(), Type.Null()]),
  evidenceDueBy: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  openedAt: Type.String({ format: 'date-time' }),
});

/** A payment as the order detail screens show it (amounts in minor units). No $id: other schemas embed it. */
export const PaymentDto = Type.Object({
  id: Type.String({ format: 'uuid' }),
  orderId: Type.String({ format: 'uuid' }),
  provider: Type.String(),
  providerRef: Type.Union([Type.String(), Type.Null()]),
  status: Type.Union(PAYMENT_STATUSES.map((status) => Type.Literal(status))),
  amount: Type.Integer(),
  currency: Type.String(),
  capturedAmount: Type.Integer(),
  refundedAmount: Type.Integer(),
  brand: Type.Union([Type.String(), Type.Null()]),
  last4: Type.Union([Type.String(), Type.Null()]),
  declineCode: Type.Union([Type.String(), Type.Null()]),
  dispute: Type.Union([PaymentDisputeDto, Type.Null()]),
  refunds: Type.Array(PaymentRefundDto),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type PaymentDtoType = Static<typeof PaymentDto>;
export type PaymentRefundDtoType = Static<typeof PaymentRefundDto>;

export const PaymentListQuery = listQuery({ orderId: Type.Optional(Type.String({ format: 'uuid' })) }, [
  'createdAt',
]);

/** The shopper's view after returning from a required action: no gateway ids, no card data. */
export const PaymentStatusDto = Type.Object({
  paymentId: Type.String({ format: 'uuid' }),
  orderId: Type.String({ format: 'uuid' }),
  status: Type.Union([
    Type.Literal('requires_action'),
    Type.Literal('authorized'),
    Type.Literal('captured'),
    Type.Literal('declined'),
    Type.Literal('canceled'),
    Type.Literal('pending'),
  ]),
  declineCode: Type.Optional(Type.String()),
  givenBack: Type.Boolean({
    description:
      'The order was cancelled (its reservation expired or it failed before this payment went through, or it was ' +
      'cancelled since): what the payment took is given back, voided or refunded. The status still says what the ' +
      'gateway did: `captured` with `givenBack` is not a placed order.',
  }),
});

export const ConfirmPaymentBody = Type.Object({}, { additionalProperties: false });

export const PaymentIdParams = Type.Object(
  { paymentId: Type.String({ format: 'uuid' }) },
  { additionalProperties: false },
);
