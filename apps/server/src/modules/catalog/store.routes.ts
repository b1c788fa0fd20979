import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { ProblemRef } from '../../platform/schemas.ts';
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

/** Public catalog reads: lists with search, filters and facets, product detail, the category tree. */
export const catalogStoreRoutes: FastifyPluginAsyncTypebox<{ store: StoreCatalog }> = async (
  app,
  { store },
) => {
  app.get(
    '/api/store/products',
    {
      schema: {
        tags: TAGS,
        summary: 'Published products: search, filter, sort, page; with facet counts',
        description:
          'Prices are effective now (running sales applied). `total` is exact up to 10,000 filtered products (1,000 search matches) and a lower bound beyond (`totalExact: false`); ' +
          'totals and facets are refreshed in the background after catalog changes. Pages reach 10,000 products deep.',
        querystring: StoreProductListQuery,
        response: { 200: StoreProductListDto, 400: ProblemRef },
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
        params: ProductIdOrSlugParams,
        response: { 200: StoreProductDto, 404: ProblemRef },
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
      schema: { tags: TAGS, summary: 'The category tree', response: { 200: Type.Array(CategoryTreeDto) } },
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
