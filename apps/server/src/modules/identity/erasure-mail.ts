import type { EntityManager } from '@mikro-orm/core';
import type { FastifyInstance } from 'fastify';

/** The confirmation sent to an erased account's address, queued in the erasure's transaction. */
export type ErasureMail = (tx: EntityManager, message: { to: string; firstName: string }) => void;

export const ERASURE_TEMPLATE = 'account-erased';

/**
 * Queues the `account-erased` e-mail through the notifications module (sealed envelope, sent after the
 * commit: the address is gone from every table but this queued e-mail, which the mail retention deletes
 * once sent). `app.mailer` is looked up per call: the notifications module is registered after identity.
 */
export function erasureMailSender(app: FastifyInstance): ErasureMail {
  return (tx, { to, firstName }) => {
    app.mailer.queue(tx, { template: ERASURE_TEMPLATE, to, data: { firstName } });
  };
}
