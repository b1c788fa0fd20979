import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { baseProperties } from '../../platform/entity.ts';

export const MAIL_STATUSES = ['pending', 'sending', 'sent', 'failed'] as const;
export type MailStatus = (typeof MAIL_STATUSES)[number];

/**
 * One e-mail to send, written in the same transaction as its cause. The recipient and the template data
 * (names, reset links) are personal or secret, so they are sealed with the field cipher in `envelope`.
 */
export const OutgoingMailSchema = defineEntity({
  name: 'OutgoingMail',
  tableName: 'outgoing_mail',
  properties: {
    ...baseProperties,
    /** One e-mail per cause: e.g. `event:<outbox id>:order-shipped`. Unique. */
    dedupeKey: p.string().length(200).unique(),
    template: p.string().length(64),
    envelope: p.text().lazy(),
    status: p.enum([...MAIL_STATUSES]).default('pending'),
    attempts: p.integer().default(0),
    /**
     * When the next delivery attempt may start (the database's clock): when queued, at once; after a failed
     * attempt, the backoff (`Mailer`). The job and the sweep both leave a row alone before it.
     */
    nextAttemptAt: p.datetime().defaultRaw('now()'),
    claimedAt: p.datetime().nullable(),
    sentAt: p.datetime().nullable(),
    messageId: p.string().length(255).nullable(),
    lastError: p.string().length(500).nullable(),
  },
});

export type OutgoingMail = InferEntity<typeof OutgoingMailSchema>;
