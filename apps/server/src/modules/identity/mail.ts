import type { EntityManager } from '@mikro-orm/core';
import type { FastifyInstance } from 'fastify';

/** An e-mail to send: a template of modules/notifications, one recipient, the template's data. */
export interface OutgoingMessage {
  template: 'password-reset' | 'verify-email' | 'email-change' | 'email-changed';
  to: string;
  data: Record<string, string>;
}

export type SendMail = (em: EntityManager, message: OutgoingMessage) => Promise<void>;

/**
 * E-mails go through the notifications module: `app.mailer.queue` writes them (sealed) into the caller's
 * transaction, so a reset link is sent if and only if its token committed. Looked up per call because the
 * notifications module is registered after this one.
 */
export function mailSender(app: FastifyInstance): SendMail {
  return async (em, message) => {
    app.mailer.queue(em, message);
  };
}
