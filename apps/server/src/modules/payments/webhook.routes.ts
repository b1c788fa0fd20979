import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { CommonErrors } from '../../platform/errors.ts';
import { ProblemRef } from '../../platform/schemas.ts';
import { PaymentErrors, WebhookSignatureError } from './payments.errors.ts';

/**
 * Gateway webhooks. The signature covers the exact bytes the gateway sent, so this scope (and only this
 * scope: the plugin is not wrapped in fastify-plugin) reads bodies raw instead of parsing JSON.
 */
export const paymentWebhookRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 256 * 1024 }, (_request, body, done) =>
    done(null, body),
  );

  app.post(
    '/api/webhooks/payments/:provider',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Signed payment gateway events (raw body; signature verified before anything is read)',
        params: Type.Object({ provider: Type.String({ maxLength: 32 }) }, { additionalProperties: false }),
        response: {
          200: Type.Object({ received: Type.Boolean(), replayed: Type.Boolean() }),
          400: ProblemRef,
          404: ProblemRef,
        },
      },
      config: { auth: 'public', rateLimit: { max: 600, timeWindow: '1 minute' } },
    },
    async (request) => {
      const { provider } = app.payments;
      if (request.params.provider !== provider.id)
        throw CommonErrors.notFound(`No active payment provider "${request.params.provider}"`);
      const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      let event;
      try {
        event = await provider.parseWebhook(rawBody, request.headers);
      } catch (err) {
        if (!(err instanceof WebhookSignatureError)) throw err;
        request.log.warn({ reason: err.message, provider: provider.id }, 'payment webhook refused');
        throw PaymentErrors.webhookSignature();
      }
      const outcome = await app.payments.handleWebhook(event);
      return { received: true, replayed: outcome.replayed };
    },
  );
};
