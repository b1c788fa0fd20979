import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { EntityManager } from '@mikro-orm/postgresql';
import { EmptyBody, emptyBodyIsEmpty, IdParams, ProblemRef } from '../../platform/schemas.ts';
import { MAX_MAIL_ATTEMPTS } from './mailer.ts';
import { OutgoingMailDto, OutgoingMailListDto, OutgoingMailListQuery } from './notifications.schemas.ts';
import { OutgoingMailService } from './outgoing-mail.service.ts';

/**
 * The customer e-mail queue for staff (ADR 0071): which e-mails failed or wait, and a retry once the cause is put
 * right. Listed with `customers:read` (the recipient is a customer's address, opened for display; never the
 * e-mail's text or links), retried with `customers:write` (owners and admins: it sends to a customer again).
 */
export const outgoingMailRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const service = (em: EntityManager) => new OutgoingMailService(em, app.cipher);

  app.get(
    '/api/admin/outgoing-mail',
    {
      schema: {
        tags: ['admin: outgoing mail'],
        summary: 'Customer e-mails queued, sent and failed (newest first)',
        description:
          'Every customer e-mail the store queued until it is purged (`MAIL_RETENTION_DAYS` after it finished), ' +
          'whatever the transport: `failed` ones were given up (after ' +
          `${MAX_MAIL_ATTEMPTS} attempts, or at once when the recipient's server refused the address), ` +
          '`pending` ones wait for their next attempt (`nextAttemptAt`). `lastError` is the last failure ' +
          'without e-mail addresses. Filters: `status`, `template`, and the order an e-mail is about ' +
          '(`orderId` or `orderNumber`: an unknown order has none). Sorted by `createdAt` (default, DESC) or ' +
          '`updatedAt`. Answer `{ data, total }`.',
        security: [{ staffBearer: [] }],
        querystring: OutgoingMailListQuery,
        response: { 200: OutgoingMailListDto, 400: ProblemRef, 401: ProblemRef, 403: ProblemRef },
      },
      config: { auth: { permission: 'customers:read' } },
    },
    async (request) => {
      const { page = 1, perPage = 25, sort, order = 'DESC', ...filters } = request.query;
      return service(request.em as EntityManager).list({
        ...filters,
        page,
        perPage,
        sort: sort === 'updatedAt' ? 'updatedAt' : 'createdAt',
        order,
      });
    },
  );

  app.post(
    '/api/admin/outgoing-mail/:id/retry',
    {
      schema: {
        tags: ['admin: outgoing mail'],
        summary: 'Send a failed customer e-mail again',
        description:
          'For a `failed` e-mail, once its cause is put right (the SMTP settings, the relay): it is `pending` ' +
          'again, due now, its attempts counted from 0 (the whole backoff again), its last error kept until ' +
          'the next attempt. Sent within seconds by the job queue (within two minutes by the sweep otherwise). ' +
          'No body (or `{}`). 404 MCART_ERR_MAIL_NOT_FOUND; 409 MCART_ERR_MAIL_NOT_FAILED for one that is ' +
          'pending, being sent or sent (its status said as `mailStatus`). Recorded in the audit log as `mail.retried`.',
        security: [{ staffBearer: [] }],
        params: IdParams,
        body: EmptyBody,
        response: {
          200: OutgoingMailDto,
          400: ProblemRef,
          401: ProblemRef,
          403: ProblemRef,
          404: ProblemRef,
          409: ProblemRef,
        },
      },
      config: { auth: { permission: 'customers:write' } },
      preValidation: emptyBodyIsEmpty,
    },
    async (request) => {
      const { view, previousAttempts } = await service(request.em as EntityManager).retry(request.params.id);
      request.audit = {
        action: 'mail.retried',
        details: { template: view.template, previousAttempts },
      };
      return view;
    },
  );
};
