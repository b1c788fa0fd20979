import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { CommonErrors } from '../../platform/errors.ts';
import { emptyBodyIsEmpty, IdParams, ProblemRef } from '../../platform/schemas.ts';
import { can } from '../identity/permissions.ts';
import type { CheckoutDeps } from './checkout.service.ts';
import { OrderOperations } from './order-operations.ts';
import { OrderErrors } from './orders.errors.ts';
import { OrdersService, type Actor } from './orders.service.ts';
import { toReturnRequestDto } from './return-requests.dto.ts';
import {
  ApproveReturnRequestBody,
  CreateReturnRequestBody,
  OrderReturnRequestsDto,
  ReceiveReturnRequestBody,
  RejectReturnRequestBody,
  ReturnRequestDto,
  ReturnRequestListDto,
  ReturnRequestListQuery,
  ReturnRequestParams,
  WithdrawReturnRequestBody,
} from './return-requests.schemas.ts';
import { ReturnRequestsService } from './return-requests.service.ts';

const errors = { 400: ProblemRef, 401: ProblemRef, 403: ProblemRef, 404: ProblemRef, 409: ProblemRef };
const adminTags = ['admin: return requests'];
const staffSecurity = [{ staffBearer: [] }];

/**
 * Return requests (RMA, ADR 0051): the shopper asks on their own order (and may withdraw until the goods
 * arrive), staff decide and receive the goods.
 */
export const returnRequestRoutes: FastifyPluginAsyncTypebox<{
  deps: CheckoutDeps;
  returnWindowDays: number;
}> = async (app, { deps, returnWindowDays }) => {
  const service = (request: FastifyRequest) =>
    new ReturnRequestsService(request.em, deps.cipher, { returnWindowDays });
  const staff = (request: FastifyRequest): Actor => ({ type: 'staff', id: request.staff?.id ?? null });

  app.post(
    '/api/store/orders/:id/return-requests',
    {
      schema: {
        tags: ['store: orders'],
        security: [{ customerBearer: [] }],
        summary: 'Ask to return delivered items of my order',
        description:
          `Once goods reached you (the order is delivered, or parcels of it were, and all of it has left the store) ` +
          `and within the store's return window after the last delivery (RETURN_WINDOW_DAYS, ${returnWindowDays} ` +
          `day(s) here). Per line at most the units delivered, less those returned and those in open (requested or ` +
          `approved) requests: else 409 MCART_ERR_RETURN_QUANTITY naming \`body/lines/<i>/quantity\` and listing ` +
          `\`lines: [{ orderLineId, returnable }]\`. 409 MCART_ERR_NOT_RETURNABLE before delivery (or for a ` +
          `cancelled or fully refunded order), 409 MCART_ERR_RETURN_WINDOW_CLOSED after the window (or when the ` +
          `store takes no requests online), 400 MCART_ERR_VALIDATION for a line not of this order or named twice. ` +
          `Nothing is written on any error. Another customer's order is 404. The store e-mails a confirmation.`,
        params: IdParams,
        body: CreateReturnRequestBody,
        response: { 201: ReturnRequestDto, ...errors },
      },
      config: { auth: 'customer' },
    },
    async (request, reply) => {
      const created = await service(request).request(request.params.id, request.customer!.id, request.body);
      return reply.status(201).send(toReturnRequestDto(created));
    },
  );

  app.get(
    '/api/store/orders/:id/return-requests',
    {
      schema: {
        tags: ['store: orders'],
        security: [{ customerBearer: [] }],
        summary: "My order's return requests, oldest first, with their status and lines",
        description: "Another customer's order is 404.",
        params: IdParams,
        response: { 200: OrderReturnRequestsDto, ...errors },
      },
      config: { auth: 'customer' },
    },
    async (request) => {
      await new OrdersService(request.em, deps.cipher).findForCustomer(
        request.params.id,
        request.customer!.id,
      );
      const requests = await service(request).forOrder(request.params.id);
      return { data: requests.map(toReturnRequestDto) };
    },
  );

  app.post(
    '/api/store/orders/:id/return-requests/:requestId/withdraw',
    {
      schema: {
        tags: ['store: orders'],
        security: [{ customerBearer: [] }],
        summary: 'Withdraw my return request (I changed my mind) before the goods reach the store',
        description:
          'From `requested` or `approved` (the goods have not arrived): the request becomes `withdrawn` ' +
          '(`withdrawnAt`) and its units may be asked for again. From `rejected`, `received` or `withdrawn`: ' +
          '409 MCART_ERR_ILLEGAL_TRANSITION (`from`, `to`), nothing changed. Of a withdrawal and the store ' +
          "receiving the goods at the same moment, exactly one succeeds; the other is 409. Another customer's " +
          'order is 404 MCART_ERR_ORDER_NOT_FOUND; a request that is not of this order is 404 ' +
          'MCART_ERR_RETURN_REQUEST_NOT_FOUND. 400 MCART_ERR_VALIDATION for an id that is not a uuid. No body ' +
          '(or an empty one). Answers the request as GET /api/store/orders/{id}/return-requests lists it. ' +
          'Nothing is e-mailed.',
        params: ReturnRequestParams,
        body: WithdrawReturnRequestBody,
        response: { 200: ReturnRequestDto, ...errors },
      },
      config: { auth: 'customer' },
      preValidation: emptyBodyIsEmpty,
    },
    async (request) =>
      toReturnRequestDto(
        await service(request).withdraw(request.params.id, request.params.requestId, request.customer!.id),
      ),
  );

  app.get(
    '/api/admin/return-requests',
    {
      schema: {
        tags: adminTags,
        security: staffSecurity,
        summary: 'Return requests (filters: status, order)',
        description:
          '`sort=status&order=ASC` lists them in the order of the work: requested, approved, rejected, received, ' +
          'withdrawn (by the customer); ' +
          'within a status, the oldest first. Default: newest first.',
        querystring: ReturnRequestListQuery,
        response: { 200: ReturnRequestListDto, ...errors },
      },
      config: { auth: { permission: 'orders:read' } },
    },
    async (request) => {
      const { page = 1, perPage = 25, sort, order, ...filters } = request.query;
      const result = await service(request).list(filters, { page, perPage, sort, order });
      return { data: result.data.map(toReturnRequestDto), total: result.total };
    },
  );

  app.get(
    '/api/admin/return-requests/:id',
    {
      schema: {
        tags: adminTags,
        security: staffSecurity,
        summary: 'A return request with its lines, reason and the customer’s comment',
        params: IdParams,
        response: { 200: ReturnRequestDto, ...errors },
      },
      config: { auth: { permission: 'orders:read' } },
    },
    async (request) => toReturnRequestDto(await service(request).get(request.params.id)),
  );

  app.post(
    '/api/admin/return-requests/:id/approve',
    {
      schema: {
        tags: adminTags,
        security: staffSecurity,
        summary: 'Approve a requested return: the customer is e-mailed the return address and number',
        description:
          'From `requested` only; otherwise 409 MCART_ERR_ILLEGAL_TRANSITION. 409 MCART_ERR_NOT_RETURNABLE ' +
          '(`orderStatus`) when the order can no longer take a return (refunded in full or cancelled since): ' +
          'reject the request instead. The body may be left out.',
        params: IdParams,
        body: ApproveReturnRequestBody,
        response: { 200: ReturnRequestDto, ...errors },
      },
      config: { auth: { permission: 'orders:write' } },
      preValidation: emptyBodyIsEmpty,
    },
    async (request) =>
      toReturnRequestDto(
        await service(request).approve(request.params.id, request.body?.note, staff(request)),
      ),
  );

  app.post(
    '/api/admin/return-requests/:id/reject',
    {
      schema: {
        tags: adminTags,
        security: staffSecurity,
        summary: 'Reject a return request, saying why (e-mailed to the customer)',
        description:
          'From `requested` or `approved` (the goods never came); otherwise 409 MCART_ERR_ILLEGAL_TRANSITION.',
        params: IdParams,
        body: RejectReturnRequestBody,
        response: { 200: ReturnRequestDto, ...errors },
      },
      config: { auth: { permission: 'orders:write' } },
    },
    async (request) =>
      toReturnRequestDto(
        await service(request).reject(request.params.id, request.body.reason, staff(request)),
      ),
  );

  app.post(
    '/api/admin/return-requests/:id/receive',
    {
      schema: {
        tags: adminTags,
        security: staffSecurity,
        summary: 'The goods arrived: record the return of the request’s lines, optionally refund them',
        description:
          'From `approved` only (else 409 MCART_ERR_ILLEGAL_TRANSITION). Records the return of exactly the ' +
          "request's lines on the order, as POST /api/admin/orders/{id}/returns does (the order becomes " +
          '`returned`). What goes back to stock: every unit (`restock: true`, or left out), none (`restock: ' +
          "false`), or per line (`lines: [{ orderLineId, restockQuantity }]`, each of the request's lines once, " +
          '0..its quantity; the rest is kept out of stock as damaged). A line not of the request, named twice or ' +
          'left out, a quantity above the units received, or `restock` together with `lines`: 400 ' +
          'MCART_ERR_VALIDATION naming `body/lines/<i>/...`, nothing written. The stock ledger gets one movement ' +
          'per restocked line; `lines[].restockedQuantity` says what went back. With `refund: true` (needs ' +
          '`orders:refund`, else 403 ' +
          'before anything changes) the lines are then refunded by line, as POST /api/admin/orders/{id}/refund ' +
          'does: units already refunded by line are not refunded again. A refund the gateway refuses answers its ' +
          'error (502/503) with `returnRequestStatus: "received"`: the goods stay received; refund from the order. ' +
          'The body may be left out.',
        params: IdParams,
        body: ReceiveReturnRequestBody,
        response: { 200: ReturnRequestDto, ...errors, 502: ProblemRef, 503: ProblemRef },
      },
      // The returns desk (the warehouse) receives; approving and rejecting stay with orders:write.
      config: { auth: { permission: 'returns:receive' } },
      preValidation: emptyBodyIsEmpty,
    },
    async (request) => {
      let refund: OrderOperations | undefined;
      if (request.body?.refund) {
        if (!request.staff || !can(request.staff.role, 'orders:refund'))
          throw CommonErrors.forbidden(
            'Your role may not refund (needs orders:refund): receive without refund',
          );
        if (!deps.payments()) throw OrderErrors.paymentsUnavailable('No payment provider is installed');
        refund = new OrderOperations(request.em, deps.cipher, deps.payments, request.log);
      }
      const received = await service(request).receive(
        request.params.id,
        { restock: request.body?.restock, lines: request.body?.lines, refund },
        staff(request),
      );
      return toReturnRequestDto(received);
    },
  );
};
