import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ProblemRef, listOf } from '../../platform/schemas.ts';
import type { Category, Variant } from './catalog.entities.ts';
import {
  AdminProductDto,
  AdminProductList,
  AdminProductListQuery,
  AdminVariantDto,
  BulkProductBody,
  CategoryDto,
  CategoryListQuery,
  CreateCategoryBody,
  CreateProductBody,
  CreateVariantBody,
  ProductIdParams,
  UpdateCategoryBody,
  UpdateProductBody,
  UpdateVariantBody,
  VariantIdParams,
} from './catalog.schemas.ts';
import { CatalogService, type AdminListQuery, type AdminListRow, type ProductView } from './catalog.service.ts';
import { CategoriesService } from './categories.service.ts';
import { CategorySchema } from './catalog.entities.ts';
import { can } from '../identity/permissions.ts';
import { CommonErrors } from '../../platform/errors.ts';
import type { EntityManager } from '@mikro-orm/postgresql';

const TAGS = ['admin: catalog'];
const bearer = [{ staffBearer: [] }];
const errors = { 400: ProblemRef, 401: ProblemRef, 403: ProblemRef, 404: ProblemRef, 409: ProblemRef };

export function toAdminVariant(variant: Variant, currency: string) {
  return {
    id: variant.id,
    productId: variant.productId,
    sku: variant.sku,
    title: variant.title,
    options: variant.options,
    price: { amount: variant.priceAmount, currency },
    compareAtPrice: variant.compareAtAmount == null ? null : { amount: variant.compareAtAmount, currency },
    weightGrams: variant.weightGrams ?? null,
    position: variant.position,
    version: variant.version,
  };
}

export function toAdminProduct({ product, categoryIds, variants }: ProductView, currency: string) {
  return {
    id: product.id,
    slug: product.slug,
    title: product.title,
    description: product.description,
    status: product.status,
    attributes: product.attributes,
    categoryIds,
    weightGrams: product.weightGrams ?? null,
    lengthMm: product.lengthMm ?? null,
    widthMm: product.widthMm ?? null,
    heightMm: product.heightMm ?? null,
    variants: variants.map((v) => toAdminVariant(v, currency)),
    version: product.version,
    createdAt: product.createdAt.toISOString(),
    updatedAt: product.updatedAt.toISOString(),
  };
}

const toListItem = (row: AdminListRow, currency: string) => ({
  id: row.id,
  slug: row.slug,
  title: row.title,
  status: row.status,
  variantCount: row.variant_count,
  skus: row.skus,
  minPrice: row.min_price === null ? null : { amount: Number(row.min_price), currency },
  categoryIds: row.category_ids,
  version: row.version,
  createdAt: new Date(row.created_at).toISOString(),
  updatedAt: new Date(row.updated_at).toISOString(),
});

const toCategory = (c: Category) => ({ id: c.id, parentId: c.parentId ?? null, name: c.name, slug: c.slug, position: c.position, version: c.version });

/** Staff catalog management: products, variants, categories, bulk actions. */
export const catalogAdminRoutes: FastifyPluginAsyncTypebox<{ currency: string }> = async (app, { currency }) => {
  const service = (em: EntityManager) => new CatalogService(em, currency);
  const read = { auth: { permission: 'catalog:read' as const } };
  const write = { auth: { permission: 'catalog:write' as const } };

  app.get(
    '/api/admin/products',
    { schema: { tags: TAGS, summary: 'List products', security: bearer, querystring: AdminProductListQuery, response: { 200: AdminProductList, ...errors } }, config: read },
    async (request) => {
      const { data, total } = await service(request.em).listProducts({ ...request.query, sort: request.query.sort as AdminListQuery['sort'] });
      return { data: data.map((row) => toListItem(row, currency)), total };
    },
  );

  app.post(
    '/api/admin/products',
    { schema: { tags: TAGS, summary: 'Create a product with its variants', security: bearer, body: CreateProductBody, response: { 201: AdminProductDto, ...errors } }, config: write },
    async (request, reply) => {
      const view = await service(request.em).createProduct(request.body);
      return reply.status(201).send(toAdminProduct(view, currency));
    },
  );

  app.get(
    '/api/admin/products/:id',
    { schema: { tags: TAGS, summary: 'One product with its variants', security: bearer, params: ProductIdParams, response: { 200: AdminProductDto, ...errors } }, config: read },
    async (request) => toAdminProduct(await service(request.em).getProduct(request.params.id), currency),
  );

  app.patch(
    '/api/admin/products/:id',
    {
      schema: { tags: TAGS, summary: 'Change a product (optimistic: send the version you read)', security: bearer, params: ProductIdParams, body: UpdateProductBody, response: { 200: AdminProductDto, ...errors } },
      config: write,
    },
    async (request) => toAdminProduct(await service(request.em).updateProduct(request.params.id, request.body), currency),
  );

  app.delete(
    '/api/admin/products/:id',
    { schema: { tags: TAGS, summary: 'Delete a product (it leaves the store at once)', security: bearer, params: ProductIdParams, response: { 204: Type.Null(), ...errors } }, config: write },
    async (request, reply) => {
      await service(request.em).deleteProduct(request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/api/admin/products/bulk',
    {
      schema: {
        tags: TAGS,
        summary: 'Bulk publish / archive / draft, or change prices by a percentage',
        security: bearer,
        body: BulkProductBody,
        response: { 200: Type.Object({ updated: Type.Integer() }), ...errors },
      },
      config: write,
    },
    async (request) => {
      if (request.body.action === 'priceChange') {
        // Changing prices needs the pricing permission too.
        if (!request.staff || !can(request.staff.role, 'pricing:write')) {
          throw CommonErrors.forbidden('Your role may not do this (needs pricing:write)');
        }
      }
      return service(request.em).bulk(request.body.ids, request.body.action, request.body.percent);
    },
  );

  app.post(
    '/api/admin/products/:id/variants',
    { schema: { tags: TAGS, summary: 'Add a variant', security: bearer, params: ProductIdParams, body: CreateVariantBody, response: { 201: AdminVariantDto, ...errors } }, config: write },
    async (request, reply) => reply.status(201).send(toAdminVariant(await service(request.em).addVariant(request.params.id, request.body), currency)),
  );

  app.patch(
    '/api/admin/products/:id/variants/:variantId',
    { schema: { tags: TAGS, summary: 'Change a variant (optimistic)', security: bearer, params: VariantIdParams, body: UpdateVariantBody, response: { 200: AdminVariantDto, ...errors } }, config: write },
    async (request) => toAdminVariant(await service(request.em).updateVariant(request.params.id, request.params.variantId, request.body), currency),
  );

  app.delete(
    '/api/admin/products/:id/variants/:variantId',
    { schema: { tags: TAGS, summary: 'Delete a variant (not the last one)', security: bearer, params: VariantIdParams, response: { 204: Type.Null(), ...errors } }, config: write },
    async (request, reply) => {
      await service(request.em).deleteVariant(request.params.id, request.params.variantId);
      return reply.status(204).send(null);
    },
  );

  // Categories
  app.get(
    '/api/admin/categories',
    { schema: { tags: TAGS, summary: 'List categories', security: bearer, querystring: CategoryListQuery, response: { 200: listOf(CategoryDto), ...errors } }, config: read },
    async (request) => {
      const { page = 1, perPage = 25, sort = 'position', order = 'ASC', q, parentId, id } = request.query;
      const where = {
        ...(q ? { name: { $ilike: `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` } } : {}),
        ...(parentId ? { parentId } : {}),
        ...(id?.length ? { id: { $in: id } } : {}),
      };
      const [rows, total] = await request.em.findAndCount(CategorySchema, where, {
        orderBy: { [sort]: order, name: 'ASC' },
        limit: perPage,
        offset: (page - 1) * perPage,
      });
      return { data: rows.map(toCategory), total };
    },
  );
  app.get(
    '/api/admin/categories/:id',
    { schema: { tags: TAGS, summary: 'One category', security: bearer, params: ProductIdParams, response: { 200: CategoryDto, ...errors } }, config: read },
    async (request) => toCategory(await new CategoriesService(request.em).get(request.params.id)),
  );
  app.post(
    '/api/admin/categories',
    { schema: { tags: TAGS, summary: 'Create a category', security: bearer, body: CreateCategoryBody, response: { 201: CategoryDto, ...errors } }, config: write },
    async (request, reply) => reply.status(201).send(toCategory(await new CategoriesService(request.em).create(request.body))),
  );
  app.patch(
    '/api/admin/categories/:id',
    { schema: { tags: TAGS, summary: 'Rename or move a category (optimistic)', security: bearer, params: ProductIdParams, body: UpdateCategoryBody, response: { 200: CategoryDto, ...errors } }, config: write },
    async (request) => toCategory(await new CategoriesService(request.em).update(request.params.id, request.body)),
  );
  app.delete(
    '/api/admin/categories/:id',
    { schema: { tags: TAGS, summary: 'Delete a leaf category', security: bearer, params: ProductIdParams, response: { 204: Type.Null(), ...errors } }, config: write },
    async (request, reply) => {
      await new CategoriesService(request.em).delete(request.params.id);
      return reply.status(204).send(null);
    },
  );
};
