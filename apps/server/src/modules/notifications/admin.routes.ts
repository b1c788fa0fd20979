import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { IdParams, ProblemRef } from '../../platform/schemas.ts';
import { MailboxListDto, MailboxListQuery, MailboxMessageDto } from './notifications.schemas.ts';
import { NotificationErrors } from './notifications.errors.ts';
import type { MailboxSummary, mailboxTransport } from './transport.ts';

type Mailbox = ReturnType<typeof mailboxTransport>;

/** The local mailbox (embedded default, no SMTP): staff read what the store "sent". */
export const mailboxRoutes: FastifyPluginAsyncTypebox<{ mailbox: Mailbox | undefined }> = async (
  app,
  { mailbox },
) => {
  app.get(
    '/api/admin/mailbox',
    {
      schema: {
        tags: ['admin: mailbox'],
        summary: 'E-mails written to the local mailbox (empty when SMTP is configured)',
        security: [{ staffBearer: [] }],
        querystring: MailboxListQuery,
        response: { 200: MailboxListDto, 400: ProblemRef, 401: ProblemRef, 403: ProblemRef },
      },
      config: { auth: { permission: 'mailbox:read' } },
    },
    async (request) => {
      const { page = 1, perPage = 25, order = 'DESC', q } = request.query;
      const sort = (request.query.sort ?? 'date') as 'date' | 'subject' | 'to';
      let all: MailboxSummary[] = mailbox ? await mailbox.list() : [];
      if (q) {
        const needle = q.toLowerCase();
        all = all.filter(
          (m) => m.to.toLowerCase().includes(needle) || m.subject.toLowerCase().includes(needle),
        );
      }
      const direction = order === 'ASC' ? 1 : -1;
      all.sort(
        (a, b) => direction * (a[sort] < b[sort] ? -1 : a[sort] > b[sort] ? 1 : 0) || (a.id < b.id ? -1 : 1),
      );
      return { data: all.slice((page - 1) * perPage, page * perPage), total: all.length };
    },
  );

  app.get(
    '/api/admin/mailbox/:id',
    {
      schema: {
        tags: ['admin: mailbox'],
        summary: 'One e-mail of the local mailbox, with its HTML and plain-text parts and what is attached',
        security: [{ staffBearer: [] }],
        params: IdParams,
        response: {
          200: MailboxMessageDto,
          400: ProblemRef,
          401: ProblemRef,
          403: ProblemRef,
          404: ProblemRef,
        },
      },
      config: { auth: { permission: 'mailbox:read' } },
    },
    async (request) => {
      const message = await mailbox?.read(request.params.id);
      if (!message) throw NotificationErrors.messageNotFound();
      return { ...message, attachments: message.attachments ?? [] };
    },
  );

  app.get(
    '/api/admin/mailbox/:id/attachments/:index',
    {
      schema: {
        tags: ['admin: mailbox'],
        summary: 'An attachment of an e-mail of the local mailbox (e.g. an invoice PDF), as it was sent',
        description: "`index` is its position in the message's `attachments` (0 for the first).",
        security: [{ staffBearer: [] }],
        params: Type.Object(
          { id: Type.String({ format: 'uuid' }), index: Type.Integer({ minimum: 0, maximum: 99 }) },
          { additionalProperties: false },
        ),
        produces: ['application/octet-stream'],
        response: {
          200: Type.String({ description: 'the file, with its content type', format: 'binary' }),
          400: ProblemRef,
          401: ProblemRef,
          403: ProblemRef,
          404: ProblemRef,
        },
      },
      config: { auth: { permission: 'mailbox:read' } },
    },
    async (request, reply) => {
      const file = await mailbox?.attachment(request.params.id, request.params.index);
      if (!file) throw NotificationErrors.messageNotFound('No such attachment');
      // The file name is ours (a document number), but quoted safely all the same.
      const name = file.filename.replace(/[^\w.-]/g, '_');
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', `attachment; filename="${name}"`)
        .header('x-content-type-options', 'nosniff')
        .send(file.content);
    },
  );
};
