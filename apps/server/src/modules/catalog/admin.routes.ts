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
import {
  CatalogService,
  type AdminListQuery,
  type AdminListRow,
  type ProductView,
} from './catalog.service.ts';
import { CategoriesService } from './categories.service.ts';
import { CategorySchema } from './catalog.entities.ts';
import { can } from '../identity/permissions.ts';
import { CommonErrors } from '../../platform/errors.ts';
import type { EntityManager } from '@mikro-orm/postgresql';
import multipart from '@fastify/multipart';
import { CatalogErrors } from './catalog.errors.ts';
import {
  exportProductsCsv,
  importProductsCsv,
  csvErrorsToFieldErrors,
  MAX_CSV_BYTES,
  onlySkuConflicts,
} from './csv.service.ts';
import { AdminProductFilters } from './catalog.schemas.ts';
import { isFileTooLarge } from '../../platform/uploads.ts';
import { changesSince, snapshotOf } from '../../platform/audit-changes.ts';
import { containing } from '../../platform/like.ts';

const TAGS = ['admin: catalog'];
const ImportReportDto = Type.Object(
  {
    dryRun: Type.Boolean(),
    rows: Type.Integer(),
    products: Type.Object({ created: Type.Integer(), updated: Type.Integer() }),
    variants: Type.Object({ created: Type.Integer(), updated: Type.Integer() }),
    errors: Type.Array(
      Type.Object({ line: Type.Integer(), column: Type.Optional(Type.String()), message: Type.String() }),
    ),
  },
  { $id: 'ProductImportReportDto' },
);
const bearer = [{ staffBearer: [] }];
/** What a variant change records in the audit log, from and to (ADR 0011): its code and its prices. */
const AUDITED_VARIANT_FIELDS = ['sku', 'priceAmount', 'compareAtAmount'] as const;
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

const toCategory = (c: Category) => ({
  id: c.id,
  parentId: c.parentId ?? null,
  name: c.name,
  slug: c.slug,
  position: c.position,
  version: c.version,
});

/** Staff catalog management: products, variants, categories, bulk actions. */
export const catalogAdminRoutes: FastifyPluginAsyncTypebox<{ currency: string }> = async (
  app,
  { currency },
) => {
  const service = (em: EntityManager) => new CatalogService(em, currency);
  const read = { auth: { permission: 'catalog:read' as const } };
  const write = { auth: { permission: 'catalog:write' as const } };

  app.get(
    '/api/admin/products',
    {
      schema: {
        tags: TAGS,
        summary: 'List products',
        security: bearer,
        querystring: AdminProductListQuery,
        response: { 200: AdminProductList, ...errors },
      },
      config: read,
    },
    async (request) => {
      const { data, total } = await service(request.em).listProducts({
        ...request.query,
        sort: request.query.sort as AdminListQuery['sort'],
      });
      return { data: data.map((row) => toListItem(row, currency)), total };
    },
  );

  app.post(
    '/api/admin/products',
    {
      schema: {
        tags: TAGS,
        summary: 'Create a product with its variants',
        security: bearer,
        body: CreateProductBody,
        response: { 201: AdminProductDto, ...errors },
      },
      config: write,
    },
    async (request, reply) => {
      const view = await service(request.em).createProduct(request.body);
      return reply.status(201).send(toAdminProduct(view, currency));
    },
  );

  app.get(
    '/api/admin/products/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'One product with its variants',
        security: bearer,
        params: ProductIdParams,
        response: { 200: AdminProductDto, ...errors },
      },
      config: read,
    },
    async (request) => toAdminProduct(await service(request.em).getProduct(request.params.id), currency),
  );

  app.patch(
    '/api/admin/products/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'Change a product (optimistic: send the version you read)',
        security: bearer,
        params: ProductIdParams,
        body: UpdateProductBody,
        response: { 200: AdminProductDto, ...errors },
      },
      config: write,
    },
    async (request) =>
      toAdminProduct(await service(request.em).updateProduct(request.params.id, request.body), currency),
  );

  app.delete(
    '/api/admin/products/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'Delete a product (it leaves the store at once)',
        security: bearer,
        params: ProductIdParams,
        response: { 204: Type.Null(), ...errors },
      },
      config: write,
    },
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
      const result = await service(request.em).bulk(
        request.body.ids,
        request.body.action,
        request.body.percent,
      );
      if (request.body.action === 'priceChange')
        request.audit = {
          action: 'products.prices_changed',
          details: {
            percent: request.body.percent,
            products: request.body.ids.length,
            updated: result.updated,
          },
        };
      return result;
    },
  );

  // CSV: multipart only in this plugin's scope; one file of at most 50 MB.
  await app.register(multipart, { limits: { fileSize: MAX_CSV_BYTES, files: 1, fields: 5, parts: 6 } });

  app.get(
    '/api/admin/products/export',
    {
      schema: {
        tags: TAGS,
        summary: 'Export the filtered product list as CSV (one line per variant, streamed, no row limit)',
        security: bearer,
        querystring: Type.Object(
          {
            q: AdminProductFilters.q,
            status: AdminProductFilters.status,
            categoryId: AdminProductFilters.categoryId,
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.String({ description: 'text/csv' }), ...errors },
      },
      config: read,
    },
    async (request, reply) => {
      reply.header('content-type', 'text/csv; charset=utf-8');
      reply.header(
        'content-disposition',
        `attachment; filename="products-${new Date().toISOString().slice(0, 10)}.csv"`,
      );
      return reply.send(exportProductsCsv(request.em, request.query));
    },
  );

  app.post(
    '/api/admin/products/import',
    {
      schema: {
        tags: TAGS,
        summary:
          'Import products from CSV (multipart field "file"): upsert by SKU, all or nothing; dryRun=true only checks',
        description:
          'Columns as in the export. Any row error → 422 MCART_ERR_CSV_INVALID with `errors` (path `line/<n>/<column>`) ' +
          'and `report`, nothing written. When the only errors are SKU conflicts (a SKU on two lines, or another ' +
          "product's, in any case: SKUs are unique without case) → 409 MCART_ERR_DUPLICATE_SKU, same `errors` and " +
          '`report`. Two variants of a product with the same options → an `options_json` error. Over 50 MB → 413.',
        security: bearer,
        consumes: ['multipart/form-data'],
        querystring: Type.Object(
          { dryRun: Type.Optional(Type.Boolean({ default: false })) },
          { additionalProperties: false },
        ),
        response: {
          200: ImportReportDto,
          413: ProblemRef,
          415: ProblemRef,
          422: ProblemRef,
          ...errors,
        },
      },
      config: write,
    },
    async (request) => {
      if (!request.isMultipart())
        throw CommonErrors.unsupportedMediaType('Send the CSV as multipart/form-data, field "file"');
      const file = await request.file();
      if (!file)
        throw CommonErrors.validation('A CSV file is required', {
          errors: [{ path: 'body/file', message: 'is required' }],
        });
      let report;
      try {
        report = await importProductsCsv(request.em, file.file, { dryRun: request.query.dryRun ?? false });
      } catch (err) {
        if (isFileTooLarge(err) || file.file.truncated) throw CatalogErrors.csvTooLarge();
        throw err;
      }
      if (file.file.truncated) throw CatalogErrors.csvTooLarge();
      if (report.errors.length) {
        // SKU conflicts alone are the API's duplicate-SKU answer; any other error makes the file invalid.
        const refuse = onlySkuConflicts(report) ? CatalogErrors.duplicateSku : CatalogErrors.csvInvalid;
        throw refuse(`${report.errors.length} error(s) in ${report.rows} row(s)`, {
          errors: csvErrorsToFieldErrors(report),
          report,
        });
      }
      return report;
    },
  );

  app.post(
    '/api/admin/products/:id/variants',
    {
      schema: {
        tags: TAGS,
        summary: 'Add a variant',
        security: bearer,
        params: ProductIdParams,
        body: CreateVariantBody,
        response: { 201: AdminVariantDto, ...errors },
      },
      config: write,
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          toAdminVariant(await service(request.em).addVariant(request.params.id, request.body), currency),
        ),
  );

  app.patch(
    '/api/admin/products/:id/variants/:variantId',
    {
      schema: {
        tags: TAGS,
        summary: 'Change a variant (optimistic)',
        security: bearer,
        params: VariantIdParams,
        body: UpdateVariantBody,
        response: { 200: AdminVariantDto, ...errors },
      },
      config: write,
    },
    async (request) => {
      const catalog = service(request.em);
      const { id, variantId } = request.params;
      const before = snapshotOf(await catalog.variant(id, variantId), AUDITED_VARIANT_FIELDS);
      const variant = await catalog.updateVariant(id, variantId, request.body);
      const changes = changesSince(before, variant, AUDITED_VARIANT_FIELDS);
      request.audit = {
        ...(changes?.priceAmount ? { action: 'variant.price_changed' } : {}),
        details: { sku: variant.sku, ...(changes ? { changes } : {}) },
      };
      return toAdminVariant(variant, currency);
    },
  );

  app.delete(
    '/api/admin/products/:id/variants/:variantId',
    {
      schema: {
        tags: TAGS,
        summary: 'Delete a variant (not the last one)',
        security: bearer,
        params: VariantIdParams,
        response: { 204: Type.Null(), ...errors },
      },
      config: write,
    },
    async (request, reply) => {
      await service(request.em).deleteVariant(request.params.id, request.params.variantId);
      return reply.status(204).send(null);
    },
  );

  // Categories
  app.get(
    '/api/admin/categories',
    {
      schema: {
        tags: TAGS,
        summary: 'List categories',
        security: bearer,
        querystring: CategoryListQuery,
        response: { 200: listOf(CategoryDto), ...errors },
      },
      config: read,
    },
    async (request) => {
      const { page = 1, perPage = 25, sort = 'position', order = 'ASC', q, parentId, id } = request.query;
      const where = {
        ...(q ? { name: { $ilike: containing(q) } } : {}),
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
    {
      schema: {
        tags: TAGS,
        summary: 'One category',
        security: bearer,
        params: ProductIdParams,
        response: { 200: CategoryDto, ...errors },
      },
      config: read,
    },
    async (request) => toCategory(await new CategoriesService(request.em).get(request.params.id)),
  );
  app.post(
    '/api/admin/categories',
    {
      schema: {
        tags: TAGS,
        summary: 'Create a category',
        security: bearer,
        body: CreateCategoryBody,
        response: { 201: CategoryDto, ...errors },
      },
      config: write,
    },
    async (request, reply) =>
      reply.status(201).send(toCategory(await new CategoriesService(request.em).create(request.body))),
  );
  app.patch(
    '/api/admin/categories/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'Rename or move a category (optimistic)',
        security: bearer,
        params: ProductIdParams,
        body: UpdateCategoryBody,
        response: { 200: CategoryDto, ...errors },
      },
      config: write,
    },
    async (request) =>
      toCategory(await new CategoriesService(request.em).update(request.params.id, request.body)),
  );
  app.delete(
    '/api/admin/categories/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'Delete a leaf category',
        security: bearer,
        params: ProductIdParams,
        response: { 204: Type.Null(), ...errors },
      },
      config: write,
    },
    async (request, reply) => {
      await new CategoriesService(request.em).delete(request.params.id);
      return reply.status(204).send(null);
    },
  );
};
