import { Type } from '@sinclair/typebox';
import { listOf, listQuery } from '../../platform/schemas.ts';

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
