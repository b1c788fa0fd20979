import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AppConfig } from '../../app.ts';
import type { MCartModule } from '../module.ts';
import { OutgoingMailSchema } from './outgoing-mail.entity.ts';
import { Mailer, MAX_MAIL_ATTEMPTS } from './mailer.ts';
import { mailboxTransport, smtpTransport, tightenMailboxDir } from './transport.ts';
import { mailboxRoutes } from './admin.routes.ts';
import { outgoingMailRoutes } from './outgoing-mail.routes.ts';
import {
  batchLookup,
  mailForEvent,
  type OrderForMail,
  type OrderLookup,
  type ReturnRequestLookup,
} from './order-events.ts';
import { OrdersService, returnRequestForMail } from '../orders/index.ts';
import { AppError } from '../../platform/errors.ts';
import { TemplateDataError, type Branding } from './templates.ts';
import { purgeFinishedMail } from './purge.ts';

export type { AttachmentResolver, ResolvedAttachments } from './mailer.ts';
export type { MailAttachment } from './transport.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Customer e-mail: `app.mailer.queue(em, { template, to, data, dedupeKey? })` in the caller's unit of work. */
    mailer: Mailer;
  }
}

export const brandingFrom = (config: AppConfig): Branding => ({
  storeName: config.store.name,
  currency: config.store.currency,
  logoUrl: config.branding.logoUrl,
  primaryColor: config.branding.primaryColor,
  accentColor: config.branding.accentColor,
  address: config.branding.address,
  supportEmail: config.branding.supportEmail,
});

export const mailboxDir = (config: AppConfig) => join(config.dataDir, 'mailbox');

/** `mail.send` jobs fetched at once; a full batch has the worker fetch the next one without waiting. */
export const MAIL_SEND_BATCH = 20;

function registerSending(app: FastifyInstance, mailer: Mailer, retryDelaySeconds: number): void {
  // Retries with exponential backoff (30 s, 1 min, 2 min, ... by default). The row counts the attempts and
  // says when the next one is due (the same backoff, `mailRetryDelaySeconds`): pg-boss's retry comes at or
  // after it (its delay is the same, plus up to as much again at random) and then attempts; one that finds
  // the row not due (the sweep attempted meanwhile) completes and leaves the e-mail to the sweep.
  app.jobs.define<{ id: string }>(
    'mail.send',
    async ({ id }) => {
      await mailer.send(app.orm.em.fork() as EntityManager, id, { dueOnly: true });
    },
    {
      retryLimit: MAX_MAIL_ATTEMPTS,
      retryDelay: retryDelaySeconds,
      retryBackoff: true,
      expireInSeconds: 120,
      // A busy store queues e-mails faster than one per polling interval (2 s): the worker takes them in
      // batches, one e-mail at a time, and fetches again at once while batches come back full (platform/jobs.ts).
      // Each job still claims its row (no e-mail is sent twice) and fails and retries on its own.
      batchSize: MAIL_SEND_BATCH,
    },
  );
  // Safety net: e-mails whose job was lost (queue down when queued, crash mid-send) go out within minutes
  // of being due. A retrying e-mail is due only once its backoff has passed: the sweep used to take any
  // pending row untouched for 2 minutes, spending the 8 attempts within 14 minutes of an SMTP outage.
  app.jobs.define('mail.sweep', async () => {
    await mailer.sendPending(app.orm.em.fork() as EntityManager, 120);
  });
  app.jobs.schedule('mail.sweep', '* * * * *');

  // Every queued e-mail (from a consumer or a direct caller) becomes a job once its transaction commits.
  // Only instances that run jobs take part: a consumer is one cursor for the cluster, taken by whichever
  // registered instance gets to it first, and one without a job queue would move it past e-mails without
  // queueing them (they then waited for the sweep). An instance that never registers it never takes it.
  if (app.jobs.enabled) {
    app.outbox.consume('mail-dispatch', async (event) => {
      if (event.resource !== 'outgoing_mail') return;
      for (const id of event.ids) await app.jobs.send('mail.send', { id }, { singletonKey: id });
    });
  }

  // Customer e-mails from order and shipment events, in the consumer's transaction.
  type FulfilmentOrder = Awaited<ReturnType<OrdersService['getOrderForFulfilment']>>;
  const forMail = (order: FulfilmentOrder): OrderForMail => ({
    email: order.email,
    number: order.number,
    customerName: order.shippingAddress.name,
    lines: order.lines.map((line) => ({
      title: line.title,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
    })),
    currency: order.currency,
    totals: order.totals,
    pricesIncludeTax: order.pricesIncludeTax,
  });
  const lookupMany = async (em: EntityManager, orderIds: string[]) => {
    const orders = await new OrdersService(em, app.cipher).getOrdersForFulfilment(orderIds);
    return new Map(orders.map((order) => [order.id, forMail(order)]));
  };
  const lookup: OrderLookup = async (em, orderId) => {
    try {
      return forMail(await new OrdersService(em, app.cipher).getOrderForFulfilment(orderId));
    } catch (err) {
      if (err instanceof AppError && err.status === 404) return null;
      throw err;
    }
  };
  const returns: ReturnRequestLookup = returnRequestForMail;
  // A batch at a time: the orders its e-mails name are read once for the batch (ADR 0040's profile), each
  // event is then mailed in order as before.
  app.outbox.consumeBatch('notifications', async (batch, em) => {
    const events = batch.filter((event) => event.resource === 'orders' || event.resource === 'shipments');
    if (!events.length) return;
    const orders = await batchLookup(em as EntityManager, events, lookupMany, lookup);
    for (const event of events) {
      try {
        await mailForEvent(event, em as EntityManager, mailer, orders, returns);
      } catch (err) {
        // Data a template cannot render never will (the event does not change): failing here would stop the
        // consumer on this event for good, and every later customer e-mail would wait behind it. Said in the
        // log, and the others go on. Thrown before anything is written, so the transaction is still usable.
        if (!(err instanceof TemplateDataError)) throw err;
        app.log.error(
          { err, eventId: event.id },
          'notifications: an event could not be turned into an e-mail',
        );
      }
    }
  });
}

export const notificationsModule: MCartModule = {
  name: 'notifications',
  entities: [OutgoingMailSchema],
  async register(app, config) {
    const mailbox = config.mail.smtpUrl ? undefined : mailboxTransport(mailboxDir(config));
    if (mailbox) {
      // Password-reset links and invoices: a folder an earlier version left readable by all is made private.
      const dir = mailboxDir(config);
      try {
        const state = tightenMailboxDir(dir);
        if (state === 'tightened') app.log.info({ dir }, 'local mailbox made readable by its owner only');
        if (state === 'foreign')
          app.log.warn(
            { dir },
            'the local mailbox folder belongs to another user and others may read it: make it 0700',
          );
      } catch (err) {
        // Sending says what is wrong with the folder when it comes to it; starting is not the mailbox's to stop.
        app.log.warn({ err, dir }, 'the local mailbox folder could not be checked');
      }
    }
    const transport = config.mail.smtpUrl ? smtpTransport(config.mail.smtpUrl) : mailbox!;
    const mailer = new Mailer(
      app.cipher,
      brandingFrom(config),
      config.mail.from,
      transport,
      config.mail.retryDelaySeconds,
    );
    app.decorate('mailer', mailer);
    app.addHook('onClose', async () => transport.close());
    registerSending(app, mailer, config.mail.retryDelaySeconds);
    // Finished e-mails hold addresses and names: deleted after MAIL_RETENTION_DAYS (never one still queued).
    app.jobs.define('mail.purge', async () => {
      const deleted = await purgeFinishedMail(app.orm.em.fork(), config.mail.retentionDays);
      if (deleted) app.log.info({ deleted }, 'finished e-mails purged');
      // The local mailbox (no SMTP: one instance, the embedded default) keeps copies: they go too.
      const files = await mailbox?.prune(new Date(Date.now() - config.mail.retentionDays * 86_400_000));
      if (files) app.log.info({ deleted: files }, 'local mailbox messages purged');
    });
    app.jobs.schedule('mail.purge', '29 * * * *');
    await app.register(mailboxRoutes, { mailbox });
    await app.register(outgoingMailRoutes);
  },
};
