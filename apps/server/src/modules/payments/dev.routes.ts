import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { CommonErrors, defineError } from '../../platform/errors.ts';
import { ProblemRef } from '../../platform/schemas.ts';
import { TEST_SIGNATURE_HEADER, type TestGatewayProvider } from './providers/test-gateway.ts';

const actionNotPending = defineError(
  'MCART_ERR_NO_PENDING_ACTION',
  409,
  'This intent is not waiting for an action',
);

const IntentParams = Type.Object(
  { id: Type.String({ pattern: '^tgi_[a-f0-9]{32}$' }) },
  { additionalProperties: false },
);
const IntentDto = Type.Object({
  id: Type.String(),
  paymentId: Type.Union([Type.String(), Type.Null()]),
  status: Type.String(),
  amount: Type.Integer(),
  capturedAmount: Type.Integer(),
  refundedAmount: Type.Integer(),
  captureCount: Type.Integer(),
});

/**
 * The test gateway's stand-in for the shopper's bank page (registered only while the test gateway is the
 * active provider): it completes a 3-D Secure action and sends the signed webhook to this server, the way
 * a remote gateway would, through the real webhook route.
 */
export const testGatewayDevRoutes: FastifyPluginAsyncTypebox<{ gateway: TestGatewayProvider }> = async (
  app,
  { gateway },
) => {
  app.get(
    '/api/dev/test-gateway/intents/:id',
    {
      schema: {
        tags: ['dev: test gateway'],
        summary: 'A test gateway intent',
        params: IntentParams,
        response: { 200: IntentDto, 404: ProblemRef },
      },
      config: { auth: 'public' },
    },
    async (request) => {
      const intent = await gateway.inspect(request.params.id);
      if (!intent) throw CommonErrors.notFound('No such intent');
      return intent;
    },
  );

  app.post(
    '/api/dev/test-gateway/intents/:id/confirm',
    {
      schema: {
        tags: ['dev: test gateway'],
        summary: 'Complete the 3-D Secure action of a test intent and deliver the signed webhook',
        params: IntentParams,
        body: Type.Optional(
          Type.Object(
            { outcome: Type.Optional(Type.Union([Type.Literal('succeed'), Type.Literal('fail')])) },
            { additionalProperties: false },
          ),
        ),
        response: {
          200: Type.Object({
            intent: IntentDto,
            webhook: Type.Object({ eventId: Type.String(), statusCode: Type.Integer() }),
          }),
          404: ProblemRef,
          409: ProblemRef,
        },
      },
      config: { auth: 'public', rateLimit: { max: 60, timeWindow: '1 minute' } },
    },
    async (request) => {
      const completed = await gateway.completeAction(request.params.id, request.body?.outcome ?? 'succeed');
      if (!completed) {
        if (!(await gateway.inspect(request.params.id))) throw CommonErrors.notFound('No such intent');
        throw actionNotPending();
      }
      const delivery = await app.inject({
        method: 'POST',
        url: `/api/webhooks/payments/${gateway.id}`,
        headers: { 'content-type': 'application/json', [TEST_SIGNATURE_HEADER]: completed.signature },
        payload: completed.rawBody,
      });
      if (delivery.statusCode >= 400)
        request.log.warn({ statusCode: delivery.statusCode }, 'test gateway webhook was not accepted');
      return {
        intent: (await gateway.inspect(request.params.id))!,
        webhook: { eventId: completed.event.id, statusCode: delivery.statusCode },
      };
    },
  );
};
