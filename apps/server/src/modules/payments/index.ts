import { randomBytes } from 'node:crypto';
import type { MCartModule } from '../module.ts';
import { ConfigError } from '../../config.ts';
import { PaymentRefundSchema, PaymentSchema, PaymentWebhookEventSchema } from './payment.entity.ts';
import { PaymentsService } from './payments.service.ts';
import { orderPaymentsPort } from '../orders/orders.service.ts';
import type { PaymentProvider } from './provider.ts';
import { TestGatewayProvider } from './providers/test-gateway.ts';
import { paymentWebhookRoutes } from './webhook.routes.ts';
import { paymentStoreRoutes } from './store.routes.ts';
import { paymentAdminRoutes } from './admin.routes.ts';
import { testGatewayDevRoutes } from './dev.routes.ts';
import { purgeWebhookEvents } from './purge.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Payments of orders: checkout starts them, orders capture, void and refund them. */
    payments: PaymentsService;
  }
}

export const paymentsModule: MCartModule = {
  name: 'payments',
  entities: [PaymentSchema, PaymentRefundSchema, PaymentWebhookEventSchema],
  async register(app, config) {
    const settings = config.payments;
    let provider: PaymentProvider;
    let testGateway: TestGatewayProvider | undefined;
    if (settings.provider === 'stripe') {
      // The SDK is loaded only when Stripe is the configured gateway.
      const { StripeProvider } = await import('./providers/stripe.provider.ts');
      provider = new StripeProvider({
        secretKey: settings.stripe.secretKey!,
        webhookSecret: settings.stripe.webhookSecret!,
        apiUrl: settings.stripe.apiUrl,
      });
    } else {
      const secret = config.secrets.testGatewayWebhook ?? settings.testGatewayWebhookSecret;
      if (!secret && config.env === 'production')
        throw new ConfigError('TEST_GATEWAY_WEBHOOK_SECRET', 'must be set in production');
      testGateway = new TestGatewayProvider(app.orm, secret ?? randomBytes(32).toString('base64url'));
      provider = testGateway;
      if (config.env === 'production')
        app.log.warn('PAYMENT_PROVIDER=test in production: orders are paid with test tokens only');
    }
    app.decorate(
      'payments',
      new PaymentsService({
        orm: app.orm,
        provider,
        captureMode: settings.capture,
        orders: orderPaymentsPort,
        log: app.log,
      }),
    );
    // Crash cleanup: payments a killed process left in flight, and money owed back for cancelled orders.
    app.jobs.define('payments.reconcile', async () => {
      const outcome = await app.payments.reconcile(settings.reconcileAfterMinutes);
      if (outcome.checked || outcome.givenBack || outcome.failed)
        app.log.info(outcome, 'payments reconciled with the gateway');
    });
    app.jobs.schedule('payments.reconcile', '*/5 * * * *');
    // Webhook de-duplication rows, once the gateway can no longer deliver the event again.
    app.jobs.define('payments.purge', async () => {
      const deleted = await purgeWebhookEvents(app.orm.em.fork(), settings.webhookEventRetentionDays);
      if (deleted) app.log.info({ deleted }, 'payment webhook events purged');
    });
    app.jobs.schedule('payments.purge', '37 * * * *');
    await app.register(paymentWebhookRoutes);
    await app.register(paymentStoreRoutes);
    await app.register(paymentAdminRoutes);
    if (testGateway) await app.register(testGatewayDevRoutes, { gateway: testGateway });
  },
};
