import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { CommonErrors } from '../../platform/errors.ts';
import { emptyBodyIsEmpty, IdParams, listOf, listQuery, ProblemRef } from '../../platform/schemas.ts';
import { DateTime } from '../inventory/inventory.schemas.ts';
import { isMailable } from '../notifications/mailer.ts';
import { CustomersService } from '../identity/customers.service.ts';
import { normalizeAlertEmail, StockAlertsService, WAITING_SORTS, type WaitingSort } from './stock-alerts.ts';

export const StockAlertBody = Type.Object(
  {
    email: Type.Optional(
      Type.String({
        format: 'email',
        maxLength: 254,
        description: "Where to send the e-mail; a signed-in customer's account address when left out",
      }),
    ),
  },
  { additionalProperties: false },
);

export const StockAlertSubscribedDto = Type.Object({
  status: Type.Literal('subscribed'),
});

export const StockAlertSummaryDto = Type.Object({
  id: Type.String({ description: 'The variant id' }),
  variantId: Type.String(),
  productId: Type.String(),
  sku: Type.String(),
  productTitle: Type.String(),
  variantTitle: Type.String(),
  waiting: Type.Integer({ description: 'Alerts waiting for this variant (not yet e-mailed)' }),
  oldestAt: DateTime,
});

export const StockAlertSummaryListQuery = listQuery({}, Object.keys(WAITING_SORTS));
export const StockAlertSummaryListDto = listOf(StockAlertSummaryDto);

const badEmail = (message: string) =>
  CommonErrors.validation(undefined, { errors: [{ path: 'body/email', message }] });

/** Back-in-stock alerts (ADR 0052): shoppers leave an address on a sold-out variant; staff see the demand. */
export const stockAlertRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/store/variants/:id/stock-alerts',
    {
      schema: {
        tags: ['store: catalog'],
        security: [{}, { customerBearer: [] }],
        summary: 'E-mail me once when this sold-out variant can be bought again',
        description:
          'For guests (`email` required) and signed-in customers (the alert is linked to the account; `email` ' +
          "defaults to the account's). Always 202 `{ status: 'subscribed' }`, whether or not the address was " +
          'already waiting for this variant (a second request changes nothing). 404 MCART_ERR_VARIANT_NOT_FOUND ' +
          'for an unknown variant or one whose product is not published, 409 MCART_ERR_IN_STOCK when it can be ' +
          'bought now (in stock, or backorders allowed), 400 MCART_ERR_VALIDATION naming `body/email`. One ' +
          'e-mail per alert, with the price at the time; an alert never e-mailed is forgotten after 180 days. ' +
          '10 requests a minute per IP address.',
        params: IdParams,
        body: StockAlertBody,
        response: {
          202: StockAlertSubscribedDto,
          400: ProblemRef,
          401: ProblemRef,
          404: ProblemRef,
          409: ProblemRef,
          429: ProblemRef,
        },
      },
      config: { auth: 'customer-optional', rateLimit: { max: 10, timeWindow: '1 minute' } },
      preValidation: emptyBodyIsEmpty,
    },
    async (request, reply) => {
      const customer = request.customer
        ? await new CustomersService(request.em, app.cipher).get(request.customer.id)
        : null;
      const email = request.body.email ?? customer?.email ?? undefined;
      if (email === undefined)
        throw badEmail(customer ? 'is required: the account has no e-mail address' : 'is required');
      const normalized = normalizeAlertEmail(email);
      // An address the mailer would refuse is never stored.
      if (!isMailable(normalized)) throw badEmail('must be an e-mail address with a domain name');
      // The alert is the account's only for its own proven address; any other is left as a guest's would be.
      // So the account's data export (its alerts, ADR 0048) never tells whether another address was already
      // waiting (a second alert for it changes nothing and would be missing from the list).
      const own =
        customer?.emailVerifiedAt && customer.email && normalizeAlertEmail(customer.email) === normalized;
      await new StockAlertsService(request.em).subscribe(
        request.params.id,
        normalized,
        own ? customer.id : null,
      );
      return reply.status(202).send({ status: 'subscribed' as const });
    },
  );

  app.get(
    '/api/admin/stock-alerts',
    {
      schema: {
        tags: ['admin: inventory'],
        security: [{ staffBearer: [] }],
        summary: 'Restock requests: per variant, how many shoppers wait for a back-in-stock e-mail',
        description:
          'Variants with waiting alerts, most wanted first by default (`sort=waiting&order=DESC`; also ' +
          '`oldestAt`, `sku`). No addresses: what to restock needs only the counts.',
        querystring: StockAlertSummaryListQuery,
        response: { 200: StockAlertSummaryListDto, 400: ProblemRef, 401: ProblemRef, 403: ProblemRef },
      },
      config: { auth: { permission: 'inventory:read' } },
    },
    async (request) => {
      const { page = 1, perPage = 25, sort, order } = request.query;
      return new StockAlertsService(request.em).waitingByVariant(
        page,
        perPage,
        (sort as WaitingSort | undefined) ?? 'waiting',
        order ?? 'DESC',
      );
    },
  );
};
