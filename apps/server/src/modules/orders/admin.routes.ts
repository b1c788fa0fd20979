import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { EntityManager } from '@mikro-orm/postgresql';
import { IdParams, ProblemRef } from '../../platform/schemas.ts';
import type { CheckoutDeps } from './checkout.service.ts';
import { OrderOperations } from './order-operations.ts';
import { OrdersService, type Actor } from './orders.service.ts';
import { toOrderDto, toOrderSummary } from './orders.dto.ts';
import {
  CancelBody,
  CaptureBody,
  NoteBody,
  OrderCountsDto,
  OrderDto,
  OrderListDto,
  OrderListQuery,
  RefundBody,
  ReturnBody,
  TransitionBody,
} from './orders.schemas.ts';

const tags = ['admin: orders'];
const security = [{ staffBearer: [] }];
const errors = { 400: ProblemRef, 401: ProblemRef, 403: ProblemRef, 404: ProblemRef, 409: ProblemRef };

export const orderAdminRoutes: FastifyPluginAsyncTypebox<{ deps: CheckoutDeps }> = async (app, { deps }) => {
  const orders = (em: EntityManager) => new OrdersService(em, deps.cipher);
  const actor = (request: { staff?: { id: string } }): Actor => ({
    type: 'staff',
    id: request.staff?.id ?? null,
  });

  async function detail(em: EntityManager, id: string) {
    const service = orders(em);
    const order = await service.find(id);
    const gateway = deps.payments();
    const payments = gateway?.paymentsFor ? await gateway.paymentsFor(id) : undefined;
    return toOrderDto(order, await service.detailLines(order), service.address(order), {
      timeline: await service.timeline(id),
      allowedTransitions: await service.allowedTransitions(order),
      ...(payments ? { payments } : {}),
    });
  }

  app.get(
    '/api/admin/orders',
    {
      schema: {
        tags,
        security,
        summary: 'Orders (filters: ids, status, customer, e-mail, number, date range, total range)',
        querystring: OrderListQuery,
        response: { 200: OrderListDto, ...errors },
      },
      config: { auth: { permission: 'orders:read' } },
    },
    async (request) => {
      const { page = 1, perPage = 25, sort, order, ...filters } = request.query;
      const result = await orders(request.em).list(filters, { page, perPage, sort, order });
      return { data: result.data.map(toOrderSummary), total: result.total };
    },
  );

  app.get(
    '/api/admin/orders/counts',
    {
      schema: {
        tags,
        security,
        summary: 'How many orders per status (list tabs)',
        response: { 200: OrderCountsDto, ...errors },
      },
      config: { auth: { permission: 'orders:read' } },
    },
    async (request) => {
      const counts = await orders(request.em).counts();
      return { counts, total: counts.all };
    },
  );

  app.get(
    '/api/admin/orders/:id',
    {
      schema: {
        tags,
        security,
        summary: 'An order with lines, payments and its timeline',
        params: IdParams,
        response: { 200: OrderDto, ...errors },
      },
      config: { auth: { permission: 'orders:read' } },
    },
    async (request) => detail(request.em, request.params.id),
  );

  app.post(
    '/api/admin/orders/:id/notes',
    {
      schema: {
        tags,
        security,
        summary: 'Add a staff note to the timeline',
        params: IdParams,
        body: NoteBody,
        response: { 201: OrderDto, ...errors },
      },
      config: { auth: { permission: 'orders:annotate' } },
    },
    async (request, reply) => {
      await orders(request.em).addNote(request.params.id, request.body.body, actor(request));
      return reply.status(201).send(await detail(request.em, request.params.id));
    },
  );

  app.post(
    '/api/admin/orders/:id/transition',
    {
      schema: {
        tags,
        security,
        summary:
          'Move the order along its state machine (processing, shipped, delivered); 409 MCART_ERR_ILLEGAL_TRANSITION otherwise',
        params: IdParams,
        body: TransitionBody,
        response: { 200: OrderDto, ...errors },
      },
      config: { auth: { permission: 'orders:write' } },
    },
    async (request) => {
      if (request.body.status === 'cancelled') {
        await new OrderOperations(request.em, deps.cipher, deps.payments, request.log).cancel(
          request.params.id,
          actor(request),
          request.body.message,
        );
      } else {
        await orders(request.em).transition(
          request.params.id,
          request.body.status,
          actor(request),
          request.body.message,
        );
      }
      return detail(request.em, request.params.id);
    },
  );

  app.post(
    '/api/admin/orders/:id/cancel',
    {
      schema: {
        tags,
        security,
        summary: 'Cancel: void or refund the payment, give the stock back',
        params: IdParams,
        body: CancelBody,
        response: { 200: OrderDto, ...errors, 502: ProblemRef, 503: ProblemRef },
      },
      config: { auth: { permission: 'orders:write' } },
    },
    async (request) => {
      await new OrderOperations(request.em, deps.cipher, deps.payments, request.log).cancel(
        request.params.id,
        actor(request),
        request.body?.reason,
      );
      return detail(request.em, request.params.id);
    },
  );

  app.post(
    '/api/admin/orders/:id/capture',
    {
      schema: {
        tags,
        security,
        summary: 'Capture the authorized payment (all, or an amount)',
        params: IdParams,
        body: CaptureBody,
        response: { 200: OrderDto, ...errors, 502: ProblemRef, 503: ProblemRef },
      },
      config: { auth: { permission: 'orders:write' } },
    },
    async (request) => {
      await new OrderOperations(request.em, deps.cipher, deps.payments, request.log).capture(
        request.params.id,
        request.body?.amount,
        actor(request),
      );
      return detail(request.em, request.params.id);
    },
  );

  app.post(
    '/api/admin/orders/:id/refund',
    {
      schema: {
        tags,
        security,
        summary: 'Refund an amount or lines (partial or full)',
        params: IdParams,
        body: RefundBody,
        response: { 200: OrderDto, ...errors, 502: ProblemRef, 503: ProblemRef },
      },
      config: { auth: { permission: 'orders:refund' } },
    },
    async (request) => {
      await new OrderOperations(request.em, deps.cipher, deps.payments, request.log).refund(
        request.params.id,
        request.body,
        actor(request),
      );
      return detail(request.em, request.params.id);
    },
  );

  app.post(
    '/api/admin/orders/:id/returns',
    {
      schema: {
        tags,
        security,
        summary: 'Record returned goods, restocking the chosen lines',
        params: IdParams,
        body: ReturnBody,
        response: { 201: OrderDto, ...errors },
      },
      config: { auth: { permission: 'orders:write' } },
    },
    async (request, reply) => {
      await orders(request.em).recordReturn(request.params.id, request.body, actor(request));
      return reply.status(201).send(await detail(request.em, request.params.id));
    },
  );
};
