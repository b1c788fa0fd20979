/** A customer e-mail of the queue as GET /api/admin/outgoing-mail answers it (ADR 0071). */
export interface OutgoingMailRecord {
  id: string;
  template: string;
  status: MailStatus;
  attempts: number;
  /** The last attempt's failure, e-mail addresses replaced by [address]. */
  lastError: string | null;
  to: string | null;
  orderNumber: string | null;
  orderId: string | null;
  createdAt: string;
  updatedAt: string;
  nextAttemptAt: string | null;
  sentAt: string | null;
}

export const MAIL_STATUSES = ['failed', 'pending', 'sending', 'sent'] as const;
export type MailStatus = (typeof MAIL_STATUSES)[number];

/** The translation key of a template's name in words; an unknown template shows its own name. */
export const templateKey = (template: string) => `resources.outgoing-mail.templates.${template}`;
