import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { EntityManager } from '@mikro-orm/postgresql';
import { IdParams, ProblemRef } from '../../platform/schemas.ts';
import { toShippingMethodDto } from './cart.dto.ts';
import {
  AdminShippingMethodDto,
  AdminShippingMethodList,
  CreateShippingMethodBody,
  ShippingMethodListQuery,
  UpdateShippingMethodBody,
} from './shipping-methods.schemas.ts';
import {
  ShippingMethodsService,
  type ShippingMethodListInput,
  type ShippingMethodRecord,
} from './shipping-methods.service.ts';
import { changesSince, snapshotOf } from '../../platform/audit-changes.ts';

const tags = ['admin: shipping methods'];
const security = [{ staffBearer: [] }];
const errors = { 400: ProblemRef, 401: ProblemRef, 403: ProblemRef, 404: ProblemRef, 409: ProblemRef };
// Every role that works with orders sees the methods; changing a rate is changing a price (ADR 0042).
const read = { auth: { permission: 'shipping:read' as const } };
const write = { auth: { permission: 'pricing:write' as const } };

export const toAdminShippingMethodDto = (method: ShippingMethodRecord, currency: string) => ({
  ...toShippingMethodDto(method, currency),
  active: method.active,
  sort: method.sort,
  version: method.version,
  createdAt: new Date(method.createdAt).toISOString(),
  updatedAt: new Date(method.updatedAt).toISOString(),
});

/** What a change of a method records in the audit log, from and to (ADR 0011): its rate and whether it is offered. */
const AUDITED_METHOD_FIELDS = ['kind', 'amount', 'freeOverAmount', 'active', 'isDefault'] as const;

/**
 * Staff management of shipping methods: list, read, create, change (optimistic), deactivate through a change.
 * There is no DELETE: carts and orders refer to methods, so one no longer offered is deactivated (ADR 0042).
 */
export const shippingMethodsAdminRoutes: FastifyPluginAsyncTypebox<{ currency: string }> = async (
  app,
  { currency },
) => {
  const methods = (request: { em: EntityManager }) => new ShippingMethodsService(request.em, currency);
  const dto = (method: ShippingMethodRecord) => toAdminShippingMethodDto(method, currency);

  app.get(
    '/api/admin/shipping-methods',
    {
      schema: {
        tags,
        security,
        summary: 'List shipping methods (store order by default: sort, then name)',
        querystring: ShippingMethodListQuery,
        response: { 200: AdminShippingMethodList, ...errors },
      },
      config: read,
    },
    async (request) => {
      const { data, total } = await methods(request).list({
        ...request.query,
        sort: request.query.sort as ShippingMethodListInput['sort'],
      });
      return { data: data.map(dto), total };
    },
  );

  app.get(
    '/api/admin/shipping-methods/:id',
    {
      schema: {
        tags,
        security,
        summary: 'One shipping method',
        params: IdParams,
        response: { 200: AdminShippingMethodDto, ...errors },
      },
      config: read,
    },
    async (request) => dto(await methods(request).get(request.params.id)),
  );

  app.post(
    '/api/admin/shipping-methods',
    {
      schema: {
        tags,
        security,
        summary: 'Create a shipping method',
        description:
          '409 `MCART_ERR_DUPLICATE_SHIPPING_METHOD_CODE` when the code is taken; `isDefault: true` unsets the previous default.',
        body: CreateShippingMethodBody,
        response: { 201: AdminShippingMethodDto, ...errors },
      },
      config: write,
    },
    async (request, reply) => {
      const method = await methods(request).create(request.body);
      request.audit = { action: 'shipping_method.created', details: { code: method.code } };
      return reply.status(201).send(dto(method));
    },
  );

  app.patch(
    '/api/admin/shipping-methods/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Change a shipping method (optimistic: send the version you edited)',
        description:
          'Deactivate with `active: false` (not offered any more, refused at checkout). The default method cannot be ' +
          'deactivated or unset (409 `MCART_ERR_SHIPPING_METHOD_IS_DEFAULT`): make another one the default instead.',
        params: IdParams,
        body: UpdateShippingMethodBody,
        response: { 200: AdminShippingMethodDto, ...errors },
      },
      config: write,
    },
    async (request) => {
      const before = snapshotOf(await methods(request).get(request.params.id), AUDITED_METHOD_FIELDS);
      const method = await methods(request).update(request.params.id, request.body);
      const changes = changesSince(before, method, AUDITED_METHOD_FIELDS);
      request.audit = {
        action: 'shipping_method.updated',
        details: { code: method.code, ...(changes ? { changes } : {}) },
      };
      return dto(method);
    },
  );
};
