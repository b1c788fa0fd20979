import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { changesSince, snapshotOf } from '../../platform/audit-changes.ts';
import { IdParams, ProblemRef } from '../../platform/schemas.ts';
import type { DiscountCode, Sale } from './pricing.entities.ts';
import {
  CreateDiscountCodeBody,
  CreateSaleBody,
  DiscountCodeDto,
  DiscountCodeList,
  DiscountCodeListQuery,
  SaleDto,
  SaleList,
  SaleListQuery,
  UpdateDiscountCodeBody,
  UpdateSaleBody,
} from './pricing.schemas.ts';
import { SalesService, type SaleListQuery as SaleListInput } from './sales.service.ts';
import {
  DiscountCodesService,
  type DiscountCodeListQuery as CodeListInput,
} from './discount-codes.service.ts';

const TAGS = ['admin: pricing'];
const bearer = [{ staffBearer: [] }];
const errors = { 400: ProblemRef, 401: ProblemRef, 403: ProblemRef, 404: ProblemRef, 409: ProblemRef };
const read = { auth: { permission: 'catalog:read' as const } };
const write = { auth: { permission: 'pricing:write' as const } };
/** What a change of a sale or a code records in the audit log, from and to (ADR 0011): what it takes off, and when. */
const AUDITED_SALE_FIELDS = ['discountType', 'discountValue', 'startsAt', 'endsAt'] as const;
const AUDITED_CODE_FIELDS = [
  'discountType',
  'discountValue',
  'startsAt',
  'endsAt',
  'usageLimit',
  'perCustomerLimit',
  'active',
] as const;
const iso = (date: Date | null | undefined) => (date ? new Date(date).toISOString() : null);
const date = (value: string | null | undefined) =>
  value === undefined ? undefined : value === null ? null : new Date(value);

export function toSaleDto(sale: Sale, now = new Date()) {
  const state = sale.startsAt > now ? 'scheduled' : sale.endsAt && sale.endsAt <= now ? 'ended' : 'running';
  return {
    id: sale.id,
    name: sale.name,
    discountType: sale.discountType,
    discountValue: sale.discountValue,
    startsAt: sale.startsAt.toISOString(),
    endsAt: iso(sale.endsAt),
    productIds: sale.productIds,
    variantIds: sale.variantIds,
    categoryIds: sale.categoryIds,
    state: state as 'scheduled' | 'running' | 'ended',
    version: sale.version,
    createdAt: sale.createdAt.toISOString(),
    updatedAt: sale.updatedAt.toISOString(),
  };
}

const toCodeDto = (code: DiscountCode) => ({
  id: code.id,
  code: code.code,
  description: code.description,
  discountType: code.discountType,
  discountValue: code.discountValue,
  minSubtotal: code.minSubtotal,
  usageLimit: code.usageLimit ?? null,
  usageCount: code.usageCount,
  perCustomerLimit: code.perCustomerLimit ?? null,
  startsAt: iso(code.startsAt),
  endsAt: iso(code.endsAt),
  active: code.active,
  version: code.version,
  createdAt: code.createdAt.toISOString(),
  updatedAt: code.updatedAt.toISOString(),
});

/** Staff management of sales and discount codes. */
export const pricingAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/admin/sales',
    {
      schema: {
        tags: TAGS,
        summary: 'List sales',
        security: bearer,
        querystring: SaleListQuery,
        response: { 200: SaleList, ...errors },
      },
      config: read,
    },
    async (request) => {
      const { data, total } = await new SalesService(request.em).list({
        ...request.query,
        sort: request.query.sort as SaleListInput['sort'],
      });
      return { data: data.map((s) => toSaleDto(s)), total };
    },
  );
  app.get(
    '/api/admin/sales/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'One sale',
        security: bearer,
        params: IdParams,
        response: { 200: SaleDto, ...errors },
      },
      config: read,
    },
    async (request) => toSaleDto(await new SalesService(request.em).get(request.params.id)),
  );
  app.post(
    '/api/admin/sales',
    {
      schema: {
        tags: TAGS,
        summary: 'Schedule a sale',
        security: bearer,
        body: CreateSaleBody,
        response: { 201: SaleDto, ...errors },
      },
      config: write,
    },
    async (request, reply) => {
      const body = request.body;
      const sale = await new SalesService(request.em).create({
        ...body,
        startsAt: new Date(body.startsAt),
        endsAt: date(body.endsAt) ?? null,
      });
      return reply.status(201).send(toSaleDto(sale));
    },
  );
  app.patch(
    '/api/admin/sales/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'Change a sale (optimistic)',
        security: bearer,
        params: IdParams,
        body: UpdateSaleBody,
        response: { 200: SaleDto, ...errors },
      },
      config: write,
    },
    async (request) => {
      const { startsAt, endsAt, ...rest } = request.body;
      const patch = {
        ...rest,
        ...(startsAt !== undefined ? { startsAt: new Date(startsAt) } : {}),
        ...(endsAt !== undefined ? { endsAt: date(endsAt) ?? null } : {}),
      };
      const sales = new SalesService(request.em);
      // The same entity the update then changes (the identity map's): its values as they were.
      const before = snapshotOf(await sales.get(request.params.id), AUDITED_SALE_FIELDS);
      const sale = await sales.update(request.params.id, patch);
      const changes = changesSince(before, sale, AUDITED_SALE_FIELDS);
      if (changes) request.audit = { details: { changes } };
      return toSaleDto(sale);
    },
  );
  app.delete(
    '/api/admin/sales/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'Delete a sale (prices return at once)',
        security: bearer,
        params: IdParams,
        response: { 204: Type.Null(), ...errors },
      },
      config: write,
    },
    async (request, reply) => {
      await new SalesService(request.em).delete(request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/admin/discount-codes',
    {
      schema: {
        tags: TAGS,
        summary: 'List discount codes',
        security: bearer,
        querystring: DiscountCodeListQuery,
        response: { 200: DiscountCodeList, ...errors },
      },
      config: read,
    },
    async (request) => {
      const { data, total } = await new DiscountCodesService(request.em).list({
        ...request.query,
        sort: request.query.sort as CodeListInput['sort'],
      });
      return { data: data.map(toCodeDto), total };
    },
  );
  app.get(
    '/api/admin/discount-codes/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'One discount code',
        security: bearer,
        params: IdParams,
        response: { 200: DiscountCodeDto, ...errors },
      },
      config: read,
    },
    async (request) => toCodeDto(await new DiscountCodesService(request.em).get(request.params.id)),
  );
  app.post(
    '/api/admin/discount-codes',
    {
      schema: {
        tags: TAGS,
        summary: 'Create a discount code',
        security: bearer,
        body: CreateDiscountCodeBody,
        response: { 201: DiscountCodeDto, ...errors },
      },
      config: write,
    },
    async (request, reply) => {
      const { startsAt, endsAt, ...rest } = request.body;
      const code = await new DiscountCodesService(request.em).create({
        ...rest,
        startsAt: date(startsAt),
        endsAt: date(endsAt),
      });
      return reply.status(201).send(toCodeDto(code));
    },
  );
  app.patch(
    '/api/admin/discount-codes/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'Change a discount code (optimistic)',
        security: bearer,
        params: IdParams,
        body: UpdateDiscountCodeBody,
        response: { 200: DiscountCodeDto, ...errors },
      },
      config: write,
    },
    async (request) => {
      const { startsAt, endsAt, ...rest } = request.body;
      const codes = new DiscountCodesService(request.em);
      const before = snapshotOf(await codes.get(request.params.id), AUDITED_CODE_FIELDS);
      const code = await codes.update(request.params.id, {
        ...rest,
        startsAt: date(startsAt),
        endsAt: date(endsAt),
      });
      const changes = changesSince(before, code, AUDITED_CODE_FIELDS);
      request.audit = { details: { code: code.code, ...(changes ? { changes } : {}) } };
      return toCodeDto(code);
    },
  );
  app.delete(
    '/api/admin/discount-codes/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'Delete a discount code',
        security: bearer,
        params: IdParams,
        response: { 204: Type.Null(), ...errors },
      },
      config: write,
    },
    async (request, reply) => {
      await new DiscountCodesService(request.em).delete(request.params.id);
      return reply.status(204).send(null);
    },
  );
};
