import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
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
        summary: 'One e-mail of the local mailbox, with its HTML and plain-text parts',
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
      return message;
    },
  );
};
