import { Type, type Static } from '@sinclair/typebox';
import { MAX_PRICE } from './catalog.schemas.ts';
import { STORE_SORTS, type StoreSort } from './store-catalog.ts';

const Money = Type.Object({ amount: Type.Integer(), currency: Type.String() });
/** A product's "from" prices: present only when a running sale lowers the cheapest variant's price. */
const FromSalePrice = Type.Optional(
  Type.Object(Money.properties, {
    description:
      "The lowest price now, present only when a sale makes it lower than `price` (the lowest regular price). A product may be listed under onSale for a sale on a dearer variant alone: then the variants' own salePrice tell.",
  }),
);

export const StoreProductListQuery = Type.Object(
  {
    q: Type.Optional(
      Type.String({
        maxLength: 200,
        description:
          'Search words (web search syntax: "quoted phrase", or, -exclude); at most 200 characters',
      }),
    ),
    category: Type.Optional(
      Type.String({ maxLength: 200, description: 'Category id or slug; sub-categories included' }),
    ),
    minPrice: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: MAX_PRICE,
        description: 'Effective price (sale included), minor units',
      }),
    ),
    maxPrice: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: MAX_PRICE,
        description: 'Effective price (sale included), minor units; at least minPrice (400 otherwise)',
      }),
    ),
    inStock: Type.Optional(Type.Boolean()),
    onSale: Type.Optional(Type.Boolean()),
    option: Type.Optional(
      Type.Array(Type.String({ pattern: '^[^:]{1,40}:.{1,100}$' }), {
        maxItems: 10,
        description: 'Option or attribute values, all required: option=size:M&option=colour:red',
      }),
    ),
    // One enum, not a union of constants: a wrong value is then one clear error, not one per allowed value.
    sort: Type.Optional(
      Type.Unsafe<StoreSort>({
        type: 'string',
        enum: [...STORE_SORTS],
        description:
          'Default: relevance with q, newest without. With more than 1,000 matches a search keeps 1,000 candidates: ' +
          'relevance ranks the 1,000 newest matches; the other sorts take the first 1,000 in their own order',
      }),
    ),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 1 })),
    perPage: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  },
  { $id: 'StoreProductListQuery', additionalProperties: false },
);
export type StoreProductListQuery = Static<typeof StoreProductListQuery>;

export const StoreProductSummaryDto = Type.Object(
  {
    id: Type.String(),
    slug: Type.String(),
    title: Type.String(),
    price: Money,
    salePrice: FromSalePrice,
    saleEndsAt: Type.Optional(Type.String({ format: 'date-time' })),
    inStock: Type.Boolean(),
    variantCount: Type.Integer(),
    image: Type.Union(
      [
        Type.Object({
          url: Type.String({ description: '/media/<key>; add ?w=160|320|640|1280 for a resized copy' }),
          alt: Type.String(),
          width: Type.Integer(),
          height: Type.Integer(),
        }),
        Type.Null(),
      ],
      { description: 'The primary image, or null' },
    ),
  },
  { $id: 'StoreProductSummaryDto' },
);

export const FacetsDto = Type.Object(
  {
    categories: Type.Array(
      Type.Object({ id: Type.String(), slug: Type.String(), name: Type.String(), count: Type.Integer() }),
    ),
    options: Type.Array(
      Type.Object({
        name: Type.String(),
        values: Type.Array(Type.Object({ value: Type.String(), count: Type.Integer() })),
      }),
    ),
    prices: Type.Array(
      Type.Object({
        min: Type.Integer(),
        max: Type.Union([Type.Integer(), Type.Null()]),
        count: Type.Integer(),
      }),
    ),
  },
  { $id: 'FacetsDto' },
);

export const StoreProductListDto = Type.Object(
  {
    data: Type.Array(StoreProductSummaryDto),
    total: Type.Integer({ description: 'Exact when totalExact; otherwise a lower bound (see the API docs)' }),
    totalExact: Type.Boolean(),
    page: Type.Integer(),
    perPage: Type.Integer(),
    facets: FacetsDto,
  },
  { $id: 'StoreProductListDto' },
);

export const StoreVariantDto = Type.Object(
  {
    id: Type.String(),
    sku: Type.String(),
    title: Type.String(),
    options: Type.Record(Type.String(), Type.String()),
    price: Money,
    compareAtPrice: Type.Optional(Money),
    salePrice: Type.Optional(Money),
    saleEndsAt: Type.Optional(Type.String({ format: 'date-time' })),
    inStock: Type.Boolean(),
  },
  { $id: 'StoreVariantDto' },
);

export const StoreProductDto = Type.Object(
  {
    id: Type.String(),
    slug: Type.String(),
    title: Type.String(),
    description: Type.String(),
    attributes: Type.Record(Type.String(), Type.String()),
    categoryIds: Type.Array(Type.String()),
    weightGrams: Type.Union([Type.Integer(), Type.Null()]),
    dimensionsMm: Type.Union([
      Type.Object({
        length: Type.Union([Type.Integer(), Type.Null()]),
        width: Type.Union([Type.Integer(), Type.Null()]),
        height: Type.Union([Type.Integer(), Type.Null()]),
      }),
      Type.Null(),
    ]),
    images: Type.Array(
      Type.Object({
        id: Type.String(),
        url: Type.String({ description: '/media/<key>; add ?w=160|320|640|1280 for a resized copy' }),
        alt: Type.String(),
        width: Type.Integer(),
        height: Type.Integer(),
      }),
    ),
    inStock: Type.Boolean(),
    price: Money,
    salePrice: FromSalePrice,
    variants: Type.Array(StoreVariantDto),
  },
  { $id: 'StoreProductDto' },
);

export interface CategoryTreeNode {
  id: string;
  name: string;
  slug: string;
  children: CategoryTreeNode[];
}
export const CategoryTreeDto = Type.Recursive(
  (Self) =>
    Type.Object({ id: Type.String(), name: Type.String(), slug: Type.String(), children: Type.Array(Self) }),
  { $id: 'CategoryTreeNodeDto' },
);

export const ProductIdOrSlugParams = Type.Object(
  { idOrSlug: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
