import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IdParams, ProblemRef } from '../../platform/schemas.ts';
import { runIdempotentTransaction } from '../../platform/idempotency.ts';
import { InventoryService } from './inventory.service.ts';
import { StockBatchService } from './stock-batch.service.ts';
import {
  AdjustmentBatchBody,
  AdjustmentBody,
  CreateLocationBody,
  LevelListDto,
  LevelListQuery,
  LocationListDto,
  MovementListDto,
  MovementListQuery,
  ReceiptBatchBody,
  ReceiptBody,
  StockChangeBatchDto,
  StockChangeDto,
  StockLocationDto,
  StockPolicyBody,
  StockPolicyDto,
  TransferBatchBody,
  TransferBatchDto,
  TransferBody,
  TransferDto,
  UpdateLocationBody,
  VariantParams,
} from './inventory.schemas.ts';

const tags = ['admin: inventory'];
const security = [{ staffBearer: [] }];
const errors = { 400: ProblemRef, 401: ProblemRef, 403: ProblemRef, 404: ProblemRef, 409: ProblemRef };
const read = { auth: { permission: 'inventory:read' as const } };
const write = { auth: { permission: 'inventory:write' as const } };
const BATCH_IDEMPOTENCY =
  'All lines or none. Send an `Idempotency-Key` header (one per submission) so that a retry after a lost answer ' +
  'books nothing twice: the same key and body from the same staff member replay the first answer ' +
  '(`Idempotent-Replayed: true`); another body with that key is 422 MCART_ERR_IDEMPOTENCY_MISMATCH; while the first ' +
  'is still running, 409 MCART_ERR_IDEMPOTENCY_IN_PROGRESS. A refused batch (400, 404, 409) keeps nothing: the same ' +
  'key may be sent again once the cause is fixed.';
const SINGLE_IDEMPOTENCY =
  'An `Idempotency-Key` header is honoured as for the batches (one key space per staff member): the same key and ' +
  'body replay the first answer (`Idempotent-Replayed: true`), another body is 422 MCART_ERR_IDEMPOTENCY_MISMATCH, ' +
  'a refused change (400, 404, 409) keeps nothing.';
const list = (q: {
  page?: number | undefined;
  perPage?: number | undefined;
  sort?: string | undefined;
  order?: 'ASC' | 'DESC' | undefined;
}) => ({
  page: q.page ?? 1,
  perPage: q.perPage ?? 25,
  sort: q.sort,
  order: q.order,
});

export const inventoryAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const staff = (request: { staff?: { id: string } }) => ({ staffId: request.staff?.id ?? null });
  // A stock write's Idempotency-Key belongs to the staff member who sent it: another member's key never replays it.
  // The write runs in the transaction that stores its answer (runIdempotentTransaction): booked and answered together.
  const keyScope = (request: { staff?: { id: string } }) => `staff:${request.staff!.id}`;

  app.post(
    '/api/admin/inventory/adjustments',
    {
      schema: {
        tags,
        security,
        summary: 'Adjust on-hand stock (+/-) with a reason',
        description: SINGLE_IDEMPOTENCY,
        body: AdjustmentBody,
        response: { 201: StockChangeDto, ...errors, 422: ProblemRef },
      },
      config: write,
    },
    async (request, reply) =>
      runIdempotentTransaction(app, request, reply, { scope: keyScope(request) }, async (em) => ({
        statusCode: 201,
        body: await new InventoryService(em).adjust(request.body, staff(request)),
      })),
  );

  app.post(
    '/api/admin/inventory/receipts',
    {
      schema: {
        tags,
        security,
        summary: 'Receive stock at a location',
        description: SINGLE_IDEMPOTENCY,
        body: ReceiptBody,
        response: { 201: StockChangeDto, ...errors, 422: ProblemRef },
      },
      config: write,
    },
    async (request, reply) =>
      runIdempotentTransaction(app, request, reply, { scope: keyScope(request) }, async (em) => ({
        statusCode: 201,
        body: await new InventoryService(em).receive(request.body, staff(request)),
      })),
  );

  app.post(
    '/api/admin/inventory/transfers',
    {
      schema: {
        tags,
        security,
        summary: 'Move available stock between locations',
        description: SINGLE_IDEMPOTENCY,
        body: TransferBody,
        response: { 201: TransferDto, ...errors, 422: ProblemRef },
      },
      config: write,
    },
    async (request, reply) =>
      runIdempotentTransaction(app, request, reply, { scope: keyScope(request) }, async (em) => ({
        statusCode: 201,
        body: await new InventoryService(em).transfer(request.body, staff(request)),
      })),
  );

  // Several lines, all or nothing (the desktop's scan screens): see StockBatchService.
  app.post(
    '/api/admin/inventory/receipts/batch',
    {
      schema: {
        tags,
        security,
        summary: 'Receive several variants at a location in one transaction',
        description: BATCH_IDEMPOTENCY,
        body: ReceiptBatchBody,
        response: { 201: StockChangeBatchDto, ...errors, 422: ProblemRef },
      },
      config: write,
    },
    async (request, reply) =>
      runIdempotentTransaction(app, request, reply, { scope: keyScope(request) }, async (em) => ({
        statusCode: 201,
        body: { lines: await new StockBatchService(em).receive(request.body, staff(request)) },
      })),
  );

  app.post(
    '/api/admin/inventory/adjustments/batch',
    {
      schema: {
        tags,
        security,
        summary: 'Adjust several variants with one reason in one transaction',
        description: BATCH_IDEMPOTENCY,
        body: AdjustmentBatchBody,
        response: { 201: StockChangeBatchDto, ...errors, 422: ProblemRef },
      },
      config: write,
    },
    async (request, reply) =>
      runIdempotentTransaction(app, request, reply, { scope: keyScope(request) }, async (em) => ({
        statusCode: 201,
        body: { lines: await new StockBatchService(em).adjust(request.body, staff(request)) },
      })),
  );

  app.post(
    '/api/admin/inventory/transfers/batch',
    {
      schema: {
        tags,
        security,
        summary: 'Move several variants between two locations in one transaction',
        description: BATCH_IDEMPOTENCY,
        body: TransferBatchBody,
        response: { 201: TransferBatchDto, ...errors, 422: ProblemRef },
      },
      config: write,
    },
    async (request, reply) =>
      runIdempotentTransaction(app, request, reply, { scope: keyScope(request) }, async (em) => ({
        statusCode: 201,
        body: { lines: await new StockBatchService(em).transfer(request.body, staff(request)) },
      })),
  );

  app.get(
    '/api/admin/inventory/levels',
    {
      schema: {
        tags,
        security,
        summary: 'Stock levels per variant and location',
        querystring: LevelListQuery,
        response: { 200: LevelListDto, ...errors },
      },
      config: read,
    },
    async (request) => {
      const { variantId, locationId, lowStock, outOfStock } = request.query;
      return new InventoryService(request.em).levels(
        { variantId, locationId, lowStock, outOfStock },
        list(request.query),
      );
    },
  );

  // The same lists under flat resource names, for the back-office's one-resource-one-path data provider.
  app.get(
    '/api/admin/stock-levels',
    {
      schema: {
        tags,
        security,
        summary: 'Stock levels (same as /api/admin/inventory/levels)',
        querystring: LevelListQuery,
        response: { 200: LevelListDto, ...errors },
      },
      config: read,
    },
    async (request) => {
      const { variantId, locationId, lowStock, outOfStock } = request.query;
      return new InventoryService(request.em).levels(
        { variantId, locationId, lowStock, outOfStock },
        list(request.query),
      );
    },
  );

  app.get(
    '/api/admin/stock-movements',
    {
      schema: {
        tags,
        security,
        summary: 'The stock ledger (same as /api/admin/inventory/movements)',
        querystring: MovementListQuery,
        response: { 200: MovementListDto, ...errors },
      },
      config: read,
    },
    async (request) => {
      const { variantId, locationId, orderId, kind } = request.query;
      return new InventoryService(request.em).movements(
        { variantId, locationId, orderId, kind },
        list(request.query),
      );
    },
  );

  app.get(
    '/api/admin/inventory/low-stock',
    {
      schema: {
        tags,
        security,
        summary: "Levels at or below their variant's low-stock threshold, emptiest first",
        querystring: LevelListQuery,
        response: { 200: LevelListDto, ...errors },
      },
      config: read,
    },
    async (request) => {
      // Low stock always; `outOfStock=true` narrows it to the empty ones, as on the levels list.
      const { variantId, locationId, outOfStock } = request.query;
      return new InventoryService(request.em).levels(
        { variantId, locationId, lowStock: true, outOfStock },
        {
          ...list(request.query),
          sort: request.query.sort ?? 'available',
          order: request.query.order ?? 'ASC',
        },
      );
    },
  );

  app.get(
    '/api/admin/inventory/movements',
    {
      schema: {
        tags,
        security,
        summary: 'The stock ledger (newest first)',
        querystring: MovementListQuery,
        response: { 200: MovementListDto, ...errors },
      },
      config: read,
    },
    async (request) => {
      const { variantId, locationId, orderId, kind } = request.query;
      return new InventoryService(request.em).movements(
        { variantId, locationId, orderId, kind },
        list(request.query),
      );
    },
  );

  app.get(
    '/api/admin/inventory/policies/:variantId',
    {
      schema: {
        tags,
        security,
        summary: 'Backorder policy and low-stock threshold of a variant',
        params: VariantParams,
        response: { 200: StockPolicyDto, ...errors },
      },
      config: read,
    },
    async (request) => new InventoryService(request.em).getPolicy(request.params.variantId),
  );

  app.put(
    '/api/admin/inventory/policies/:variantId',
    {
      schema: {
        tags,
        security,
        summary: 'Set backorder policy and low-stock threshold of a variant',
        params: VariantParams,
        body: StockPolicyBody,
        response: { 200: StockPolicyDto, ...errors },
      },
      config: write,
    },
    async (request) => new InventoryService(request.em).setPolicy(request.params.variantId, request.body),
  );

  app.get(
    '/api/admin/stock-locations',
    {
      schema: {
        tags,
        security,
        summary: 'Stock locations (warehouses)',
        response: { 200: LocationListDto, ...errors },
      },
      config: read,
    },
    async (request) => {
      const data = await new InventoryService(request.em).listLocations();
      return { data, total: data.length };
    },
  );

  app.get(
    '/api/admin/stock-locations/:id',
    {
      schema: { tags, security, params: IdParams, response: { 200: StockLocationDto, ...errors } },
      config: read,
    },
    async (request) => new InventoryService(request.em).getLocation(request.params.id),
  );

  app.post(
    '/api/admin/stock-locations',
    {
      schema: { tags, security, body: CreateLocationBody, response: { 201: StockLocationDto, ...errors } },
      config: write,
    },
    async (request, reply) =>
      reply.status(201).send(await new InventoryService(request.em).createLocation(request.body)),
  );

  app.patch(
    '/api/admin/stock-locations/:id',
    {
      schema: {
        tags,
        security,
        params: IdParams,
        body: UpdateLocationBody,
        response: { 200: StockLocationDto, ...errors },
      },
      config: write,
    },
    async (request) => new InventoryService(request.em).updateLocation(request.params.id, request.body),
  );

  app.delete(
    '/api/admin/stock-locations/:id',
    {
      schema: { tags, security, params: IdParams, response: { 204: { type: 'null' } as const, ...errors } },
      config: write,
    },
    async (request, reply) => {
      await new InventoryService(request.em).deleteLocation(request.params.id);
      return reply.status(204).send();
    },
  );
};
