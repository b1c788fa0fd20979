import fastifyEtag from '@fastify/etag';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { NoQuery, ProblemRef } from '../../platform/schemas.ts';
import { CatalogErrors } from './catalog.errors.ts';
import type { StoreCatalog } from './store-catalog.ts';
import {
  CategoryTreeDto,
  ProductIdOrSlugParams,
  StoreProductDto,
  StoreProductListDto,
  StoreProductListQuery,
  type CategoryTreeNode,
} from './store.schemas.ts';

const TAGS = ['store: catalog'];

/**
 * Catalogue answers are the same for every shopper, so shared caches and apps may keep them, but must ask
 * again before each use: a price ends at a sale's boundary to the millisecond and stock flags change at any
 * time. The ETag makes asking again cheap (304, no body).
 */
const CATALOG_CACHE_CONTROL = 'public, no-cache';
const CACHEABLE = `Cacheable by anyone (\`Cache-Control: ${CATALOG_CACHE_CONTROL}\`) with an ETag: send it back in If-None-Match for a 304.`;
const NOT_MODIFIED = 'Not modified: the answer is the one whose ETag was sent in If-None-Match';

/** Public catalog reads: lists with search, filters and facets, product detail, the category tree. */
export const catalogStoreRoutes: FastifyPluginAsyncTypebox<{ store: StoreCatalog }> = async (
  app,
  { store },
) => {
  // These routes only (hooks of this plugin's scope): the ETag is a hash of the answer's bytes (@fastify/etag
  // answers 304 when If-None-Match names it), so any cache revalidates cheaply.
  // Problems (unknown product, bad query) keep the API's no-store (platform/security.ts): a product may be
  // published a moment later.
  app.addHook('onSend', async (_request, reply, payload) => {
    if (reply.statusCode === 200) reply.header('cache-control', CATALOG_CACHE_CONTROL);
    return payload;
  });
  await app.register(fastifyEtag, { weak: true });

  app.get(
    '/api/store/products',
    {
      schema: {
        tags: TAGS,
        summary: 'Published products: search, filter, sort, page; with facet counts',
        description:
          'Prices are effective now (running sales applied). `total` is exact up to 10,000 filtered products (1,000 search matches) and a lower bound beyond (`totalExact: false`); ' +
          'A search pages through at most 1,000 matches (its candidates): the cheapest, dearest, newest or best-selling ' +
          'ones for those sorts, and for `relevance` the 1,000 newest matches, ranked (equal ranks: newer first, then by ' +
          'id). The order is total, so pages neither repeat nor skip a product while the catalogue stays the same; ' +
          'facets of a search count its candidates. ' +
          `totals and facets are refreshed in the background after catalog changes. Pages reach 10,000 products deep. ${CACHEABLE}`,
        querystring: StoreProductListQuery,
        response: {
          200: StoreProductListDto,
          304: Type.Null({ description: NOT_MODIFIED }),
          400: ProblemRef,
        },
      },
      config: { auth: 'public' },
    },
    async (request) => store.list(request.query),
  );

  app.get(
    '/api/store/products/:idOrSlug',
    {
      schema: {
        tags: TAGS,
        summary: 'One published product with its variants, prices now and stock flags',
        description: CACHEABLE,
        params: ProductIdOrSlugParams,
        querystring: NoQuery,
        response: {
          200: StoreProductDto,
          304: Type.Null({ description: NOT_MODIFIED }),
          400: ProblemRef,
          404: ProblemRef,
        },
      },
      config: { auth: 'public' },
    },
    async (request) => {
      const product = await store.detail(request.params.idOrSlug);
      if (!product) throw CatalogErrors.productNotFound();
      return product;
    },
  );

  app.get(
    '/api/store/categories',
    {
      schema: {
        tags: TAGS,
        summary: 'The category tree',
        description: CACHEABLE,
        querystring: NoQuery,
        response: {
          200: Type.Array(CategoryTreeDto),
          304: Type.Null({ description: NOT_MODIFIED }),
          400: ProblemRef,
        },
      },
      config: { auth: 'public' },
    },
    async () => {
      const tree = await store.categoryTree();
      const nodes = new Map<string, CategoryTreeNode>(
        tree.list.map((c) => [c.id, { id: c.id, name: c.name, slug: c.slug, children: [] }]),
      );
      const roots: CategoryTreeNode[] = [];
      for (const category of tree.list) {
        const node = nodes.get(category.id)!;
        const parent = category.parentId ? nodes.get(category.parentId) : undefined;
        (parent ? parent.children : roots).push(node);
      }
      return roots;
    },
  );
};
