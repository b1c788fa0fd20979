import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ProblemRef } from '../../platform/schemas.ts';
import { ConfirmPaymentBody, PaymentIdParams, PaymentStatusDto } from './payments.schemas.ts';
import type { PaymentRow } from './payments.service.ts';

const toStatus = (row: PaymentRow) => ({
  paymentId: row.id,
  orderId: row.order_id,
  // 'capturing' is an internal step: the shopper's payment is authorized and about to be captured.
  status: row.status === 'capturing' ? ('authorized' as const) : row.status,
  ...(row.decline_code && row.status === 'declined' ? { declineCode: row.decline_code } : {}),
  // Succeeded for an order cancelled first: the shopper must not read `captured` as a placed order (ADR 0034).
  givenBack: row.orphaned_at !== null,
});

/**
 * The shopper's side of a payment that needed an action (3-D Secure). The payment id is an unguessable
 * uuid handed only to the shopper at checkout, like a guest cart's id; the answers carry no card data.
 */
export const paymentStoreRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/store/payments/:paymentId',
    {
      schema: {
        tags: ['store: payments'],
        summary: 'Where a payment stands',
        params: PaymentIdParams,
        response: { 200: PaymentStatusDto, 404: ProblemRef },
      },
      config: { auth: 'customer-optional' },
    },
    async (request) => toStatus(await app.payments.status(request.params.paymentId)),
  );

  app.post(
    '/api/store/payments/:paymentId/confirm',
    {
      schema: {
        tags: ['store: payments'],
        summary:
          'The shopper is back from the required action: MCart asks the gateway and settles the payment',
        params: PaymentIdParams,
        body: ConfirmPaymentBody,
        response: { 200: PaymentStatusDto, 400: ProblemRef, 404: ProblemRef, 502: ProblemRef },
      },
      config: { auth: 'customer-optional', rateLimit: { max: 30, timeWindow: '1 minute' } },
    },
    async (request) => toStatus(await app.payments.confirm(request.params.paymentId)),
  );
};
