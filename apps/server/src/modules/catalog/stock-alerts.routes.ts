import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { CommonErrors } from '../../platform/errors.ts';
import { emptyBodyIsEmpty, IdParams, listOf, listQuery, ProblemRef } from '../../platform/schemas.ts';
import { DateTime } from '../inventory/inventory.schemas.ts';
import { isMailable } from '../notifications/mailer.ts';
import { CustomersService } from '../identity/customers.service.ts';
import {
  CONFIRMATIONS_PER_ADDRESS_PER_DAY,
  normalizeAlertEmail,
  PENDING_ALERT_HOURS,
  StockAlertsService,
  WAITING_SORTS,
  type WaitingSort,
} from './stock-alerts.ts';

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

export const StockAlertConfirmBody = Type.Object(
  { token: Type.String({ minLength: 1, maxLength: 200, description: 'The token of the e-mailed link' }) },
  { additionalProperties: false },
);

export const StockAlertConfirmedDto = Type.Object({
  status: Type.Literal('confirmed'),
  variantId: Type.String({ description: 'The variant the alert is for' }),
});

export const StockAlertSummaryDto = Type.Object({
  id: Type.String({ description: 'The variant id' }),
  variantId: Type.String(),
  productId: Type.String(),
  sku: Type.String(),
  productTitle: Type.String(),
  variantTitle: Type.String(),
  waiting: Type.Integer({
    description: 'Confirmed alerts waiting for this variant: the shoppers e-mailed when it is back',
  }),
  pending: Type.Integer({
    description: `Alerts whose address has not confirmed yet (expire after ${PENDING_ALERT_HOURS} hours unless confirmed)`,
  }),
  oldestAt: DateTime,
});

export const StockAlertSummaryListQuery = listQuery({}, Object.keys(WAITING_SORTS));
export const StockAlertSummaryListDto = listOf(StockAlertSummaryDto);

const badEmail = (message: string) =>
  CommonErrors.validation(undefined, { errors: [{ path: 'body/email', message }] });

/** Back-in-stock alerts (ADR 0052): shoppers leave an address on a sold-out variant; staff see the demand. */
export const stockAlertRoutes: FastifyPluginAsyncTypebox<{ publicUrl: string }> = async (app, options) => {
  // The storefront's page posts the token to the confirm route (a mail scanner following GET links confirms
  // nothing), as for the account's verification link.
  const confirmUrl = (token: string) =>
    `${options.publicUrl}/stock-alerts/confirm?token=${encodeURIComponent(token)}`;

  app.post(
    '/api/store/variants/:id/stock-alerts',
    {
      schema: {
        tags: ['store: catalog'],
        security: [{}, { customerBearer: [] }],
        summary: 'E-mail me once when this sold-out variant can be bought again',
        description:
          "For guests (`email` required) and signed-in customers (`email` defaults to the account's). Double " +
          "opt-in: the alert is confirmed at once only for a signed-in customer's own verified address (and " +
          'linked to the account); any other address gets one e-mail with a single-use link (POST ' +
          `/api/store/stock-alerts/confirm) and its alert is pending, never e-mailed about the product, and ` +
          `forgotten after ${PENDING_ALERT_HOURS} hours unless confirmed. No confirmation e-mail while the ` +
          'address has an alert for the variant, nor past ' +
          `${CONFIRMATIONS_PER_ADDRESS_PER_DAY} confirmation e-mails to the address in 24 hours. Always 202 ` +
          "`{ status: 'subscribed' }`, whether or not an e-mail was sent or the address already had an alert. " +
          '404 MCART_ERR_VARIANT_NOT_FOUND for an unknown variant or one whose product is not published, 409 ' +
          'MCART_ERR_IN_STOCK when it can be bought now (in stock, or backorders allowed), 400 ' +
          'MCART_ERR_VALIDATION naming `body/email`. One e-mail per confirmed alert, with the price at the ' +
          'time; a confirmed alert never e-mailed is forgotten after 180 days. 10 requests a minute per IP address.',
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
      // Only the account's own proven address is taken without confirmation, and linked to it; any other is
      // left as a guest's would be (pending, confirmed by its mailbox). So the account's data export (its
      // alerts, ADR 0048) never tells whether another address already had an alert.
      const ownVerified = Boolean(
        customer?.emailVerifiedAt && customer.email && normalizeAlertEmail(customer.email) === normalized,
      );
      await new StockAlertsService(request.em, app.mailer).subscribe(request.params.id, normalized, {
        customerId: customer?.id ?? null,
        ownVerified,
        confirmUrl,
      });
      return reply.status(202).send({ status: 'subscribed' as const });
    },
  );

  app.post(
    '/api/store/stock-alerts/confirm',
    {
      schema: {
        tags: ['store: catalog'],
        summary: 'Confirm a back-in-stock alert with the token of the e-mailed link',
        description:
          'The double opt-in of POST /api/store/variants/{id}/stock-alerts. 200 `{ status: "confirmed", ' +
          'variantId }`: the address is e-mailed once when the variant can be bought again (at once if it ' +
          'already can). The link works once and for ' +
          `${PENDING_ALERT_HOURS} hours: 400 MCART_ERR_INVALID_TOKEN naming \`body/token\` for an unknown, used ` +
          'or expired one (ask again on the product page). 10 requests a minute per IP address.',
        body: StockAlertConfirmBody,
        response: { 200: StockAlertConfirmedDto, 400: ProblemRef, 429: ProblemRef },
      },
      config: { auth: 'public', rateLimit: { max: 10, timeWindow: '1 minute' } },
    },
    async (request) => {
      const { variantId } = await new StockAlertsService(request.em).confirm(request.body.token);
      return { status: 'confirmed' as const, variantId };
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
          'Variants with live alerts: `waiting` confirmed (to be e-mailed), `pending` awaiting their ' +
          'confirmation; most wanted first by default (`sort=waiting&order=DESC`; also `pending`, `oldestAt`, ' +
          '`sku`). No addresses: what to restock needs only the counts.',
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
