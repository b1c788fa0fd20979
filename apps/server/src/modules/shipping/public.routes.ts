import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ProblemRef } from '../../platform/schemas.ts';
import { lookupForClient } from './tracking-page.ts';
import { TRACKING_RATE_LIMIT } from './tracking-lookup-limit.ts';
import { CommonErrors } from '../../platform/errors.ts';
import { ShippingErrors } from './shipping.errors.ts';
import { PublicTrackingDto, WebhookAckDto } from './shipping.schemas.ts';
import type { ServiceFactory } from './admin.routes.ts';
import { deliveredInBatch, type ProviderRegistry } from './shipping.service.ts';
import { SIGNATURE_HEADER, verifyWebhook } from './webhook-signature.ts';

/**
 * Public tracking page data: status and timeline by tracking number (the number itself is the secret a
 * customer got by e-mail). No address, name or order content. Limited per client: 60 lookups a minute, and
 * none for an hour after 20 unknown numbers (tracking-lookup-limit.ts).
 */
export const trackingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/store/tracking/:trackingNumber',
    {
      schema: {
        tags: ['store: tracking'],
        summary: 'Where is my parcel: status and timeline of a shipment by tracking number',
        params: Type.Object(
          { trackingNumber: Type.String({ minLength: 4, maxLength: 64, pattern: '^[A-Za-z0-9]+$' }) },
          { additionalProperties: false },
        ),
        response: { 200: PublicTrackingDto, 400: ProblemRef, 404: ProblemRef, 429: ProblemRef },
      },
      config: { auth: 'public', rateLimit: TRACKING_RATE_LIMIT },
    },
    async (request, reply) => {
      const lookup = await lookupForClient(request.em, request.ip, request.params.trackingNumber);
      if ('blockedForSeconds' in lookup) {
        reply.header('retry-after', String(lookup.blockedForSeconds));
        throw CommonErrors.rateLimited(
          'Too many unknown tracking numbers were looked up from your network; try again later',
        );
      }
      if ('unknown' in lookup) throw ShippingErrors.shipmentNotFound();
      return lookup.found;
    },
  );
};

/**
 * Carrier webhooks. The raw body is kept (parser registered only in this scope) because the signature
 * covers the exact bytes. Unsigned or badly signed → 400 and nothing happens; a replayed event (same
 * provider event id) → 200 and nothing happens again. At most 600 calls a minute per client address (429).
 */
export const shippingWebhookRoutes: FastifyPluginAsyncTypebox<{
  providers: ProviderRegistry;
  secrets: Record<string, string>;
  service: ServiceFactory;
}> = async (app, { providers, secrets, service }) => {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit: 512 * 1024 },
    (_request, body, done) => done(null, body),
  );

  app.post(
    '/api/webhooks/shipping/:provider',
    {
      schema: {
        tags: ['webhooks'],
        summary:
          'Tracking updates from a shipping provider (HMAC-signed: x-mcart-signature: t=<unix>,v1=<hex>)',
        params: Type.Object(
          { provider: Type.String({ pattern: '^[a-z0-9-]{1,32}$' }) },
          { additionalProperties: false },
        ),
        response: { 200: WebhookAckDto, 400: ProblemRef, 404: ProblemRef, 415: ProblemRef, 429: ProblemRef },
      },
      // As the payment webhook: counted before the body (up to 512 kB) is read and its signature computed.
      config: { auth: 'public', rateLimit: { max: 600, timeWindow: '1 minute' } },
    },
    async (request) => {
      const provider = providers.get(request.params.provider);
      if (!provider) throw ShippingErrors.unknownProvider();
      const secret = secrets[provider.name];
      const raw = request.body as Buffer;
      const header = request.headers[SIGNATURE_HEADER];
      if (
        !secret ||
        !Buffer.isBuffer(raw) ||
        !verifyWebhook(secret, raw, typeof header === 'string' ? header : undefined)
      ) {
        throw ShippingErrors.badSignature();
      }
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        throw ShippingErrors.badWebhook('The body is not valid JSON');
      }
      // All events are validated before any is applied: a malformed batch has no effect at all.
      const updates = provider.parseWebhook(body);
      const svc = service(request.em);
      const ack = { received: updates.length, applied: 0, recorded: 0, duplicates: 0, unknown: 0 };
      // A call that reports a parcel both handed over and delivered e-mails the customer once (ADR 0012).
      const delivered = deliveredInBatch(updates, (update) => update.trackingNumber);
      for (const update of updates) {
        const result = await svc.applyTracking(
          { provider: provider.name, trackingNumber: update.trackingNumber },
          update,
          'webhook',
          { deliveryReported: delivered.has(update.trackingNumber) },
        );
        if (!result) ack.unknown++;
        else if (result.outcome === 'duplicate') ack.duplicates++;
        else if (result.outcome === 'recorded') ack.recorded++;
        else ack.applied++;
      }
      return ack;
    },
  );
};
