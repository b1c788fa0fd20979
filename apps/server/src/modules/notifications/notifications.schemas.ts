import { Type } from '@sinclair/typebox';
import { listOf, listQuery } from '../../platform/schemas.ts';
import { MAIL_STATUSES } from './outgoing-mail.entity.ts';
import { TEMPLATE_NAMES } from './templates.ts';

export const MailboxSummaryDto = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    from: Type.String(),
    to: Type.String(),
    subject: Type.String(),
    template: Type.String(),
    date: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);

export const MailboxMessageDto = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    from: Type.String(),
    to: Type.String(),
    subject: Type.String(),
    template: Type.String(),
    date: Type.String({ format: 'date-time' }),
    html: Type.String(),
    text: Type.String(),
    /** What came with it, in order: `GET /api/admin/mailbox/{id}/attachments/{index}` gives the file. */
    attachments: Type.Array(
      Type.Object({ filename: Type.String(), contentType: Type.String(), size: Type.Integer() }),
    ),
  },
  { additionalProperties: false },
);

export const MailboxListQuery = listQuery({ q: Type.Optional(Type.String({ maxLength: 200 })) }, [
  'date',
  'subject',
  'to',
]);
export const MailboxListDto = listOf(MailboxSummaryDto);

/** One customer e-mail of the queue as staff see it (ADR 0071): where it went and how it fared, never its text. */
export const OutgoingMailDto = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    template: Type.String({ description: 'what the e-mail is, e.g. `order-confirmation`' }),
    status: Type.Union(MAIL_STATUSES.map((status) => Type.Literal(status))),
    attempts: Type.Integer({ description: 'delivery attempts made (counted from 0 again by a retry)' }),
    lastError: Type.Union([Type.String(), Type.Null()], {
      description: "the last attempt's failure, e-mail addresses replaced by [address]",
    }),
    to: Type.Union([Type.String(), Type.Null()], {
      description: 'the recipient (null when its sealed envelope cannot be opened)',
    }),
    orderNumber: Type.Union([Type.String(), Type.Null()], { description: 'the order it is about, if any' }),
    orderId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], {
      description: 'that order, while it exists',
    }),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
    nextAttemptAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
      description: 'when a pending e-mail is next attempted',
    }),
    sentAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  { additionalProperties: false },
);

export const OutgoingMailListQuery = listQuery(
  {
    status: Type.Optional(Type.Union(MAIL_STATUSES.map((status) => Type.Literal(status)))),
    template: Type.Optional(Type.Union(TEMPLATE_NAMES.map((name) => Type.Literal(name)))),
    orderId: Type.Optional(Type.String({ format: 'uuid', description: 'the e-mails about this order' })),
    orderNumber: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9-]{1,32}$',
        description: 'the e-mails about the order with this number (e.g. MC-001042)',
      }),
    ),
  },
  ['createdAt', 'updatedAt'],
);
export const OutgoingMailListDto = listOf(OutgoingMailDto);
