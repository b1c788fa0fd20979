import { Type, type Static } from '@sinclair/typebox';
import { listOf, listQuery, SingleLine } from '../../platform/schemas.ts';
import { PRODUCT_STATUSES } from './catalog.entities.ts';

/** The largest price (minor units) a variant may have; bulk price changes keep to it too. */
export const MAX_PRICE = 2_000_000_000;

const Money = Type.Object(
  {
    amount: Type.Integer({ minimum: 0, maximum: MAX_PRICE }),
    currency: Type.String({ pattern: '^[A-Z]{3}$' }),
  },
  { additionalProperties: false },
);
const MoneyOut = Type.Object({ amount: Type.Integer(), currency: Type.String() });
const Uuid = Type.String({ format: 'uuid' });
export const Sku = Type.String({
  pattern: '^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$',
  description:
    'Letters, digits, . _ / - (1-64). Unique among live variants without regard to case: "abc-1" is taken by "ABC-1" (409 MCART_ERR_DUPLICATE_SKU)',
});
export const Slug = Type.String({ pattern: '^[a-z0-9]+(?:-[a-z0-9]+)*$', maxLength: 200 });
const StatusDto = Type.Union(PRODUCT_STATUSES.map((s) => Type.Literal(s)));
const Options = Type.Record(
  Type.String({ pattern: '^[A-Za-z0-9 _-]{1,40}$' }),
  // Shown as one value (a size, a colour) in the store, its filters and on order lines: one line of text.
  SingleLine({ maxLength: 100 }),
  {
    maxProperties: 10,
  },
);
const Dimension = Type.Union([Type.Integer({ minimum: 0, maximum: 10_000_000 }), Type.Null()]);

const VariantFields = {
  sku: Sku,
  title: Type.Optional(SingleLine({ maxLength: 200, blank: true })),
  options: Type.Optional(Options),
  price: Money,
  compareAtPrice: Type.Optional(Type.Union([Money, Type.Null()])),
  weightGrams: Type.Optional(Dimension),
};

export const CreateVariantBody = Type.Object(VariantFields, {
  $id: 'CreateVariantBody',
  additionalProperties: false,
});
export type CreateVariantBody = Static<typeof CreateVariantBody>;

export const UpdateVariantBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    sku: Type.Optional(Sku),
    title: Type.Optional(SingleLine({ maxLength: 200, blank: true })),
    options: Type.Optional(Options),
    price: Type.Optional(Money),
    compareAtPrice: Type.Optional(Type.Union([Money, Type.Null()])),
    weightGrams: Type.Optional(Dimension),
    position: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
  },
  { $id: 'UpdateVariantBody', additionalProperties: false },
);
export type UpdateVariantBody = Static<typeof UpdateVariantBody>;

const ProductFields = {
  // Something to read on one line: not only spaces (the store, e-mails, labels and documents show it).
  title: SingleLine({ maxLength: 300 }),
  slug: Type.Optional(Slug),
  status: Type.Optional(StatusDto),
  description: Type.Optional(Type.String({ maxLength: 100_000 })),
  categoryIds: Type.Optional(Type.Array(Uuid, { maxItems: 50 })),
  attributes: Type.Optional(Options),
  weightGrams: Type.Optional(Dimension),
  lengthMm: Type.Optional(Dimension),
  widthMm: Type.Optional(Dimension),
  heightMm: Type.Optional(Dimension),
};

export const CreateProductBody = Type.Object(
  { ...ProductFields, variants: Type.Array(CreateVariantBody, { minItems: 1, maxItems: 100 }) },
  { $id: 'CreateProductBody', additionalProperties: false },
);
export type CreateProductBody = Static<typeof CreateProductBody>;

export const UpdateProductBody = Type.Object(
  {
    version: Type.Integer({
      minimum: 1,
      description: 'The version you read: a stale one gets 409 MCART_ERR_STALE_WRITE',
    }),
    ...Type.Partial(Type.Object(ProductFields)).properties,
  },
  { $id: 'UpdateProductBody', additionalProperties: false },
);
export type UpdateProductBody = Static<typeof UpdateProductBody>;

export const AdminVariantDto = Type.Object(
  {
    id: Type.String(),
    productId: Type.String(),
    sku: Type.String(),
    title: Type.String(),
    options: Type.Record(Type.String(), Type.String()),
    price: MoneyOut,
    compareAtPrice: Type.Union([MoneyOut, Type.Null()]),
    weightGrams: Type.Union([Type.Integer(), Type.Null()]),
    position: Type.Integer(),
    version: Type.Integer(),
  },
  { $id: 'AdminVariantDto' },
);

export const AdminProductDto = Type.Object(
  {
    id: Type.String(),
    slug: Type.String(),
    title: Type.String(),
    description: Type.String(),
    status: StatusDto,
    attributes: Type.Record(Type.String(), Type.String()),
    categoryIds: Type.Array(Type.String()),
    weightGrams: Type.Union([Type.Integer(), Type.Null()]),
    lengthMm: Type.Union([Type.Integer(), Type.Null()]),
    widthMm: Type.Union([Type.Integer(), Type.Null()]),
    heightMm: Type.Union([Type.Integer(), Type.Null()]),
    variants: Type.Array(AdminVariantDto),
    version: Type.Integer(),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'AdminProductDto' },
);

export const AdminProductListItemDto = Type.Object(
  {
    id: Type.String(),
    slug: Type.String(),
    title: Type.String(),
    status: StatusDto,
    variantCount: Type.Integer(),
    skus: Type.Array(Type.String()),
    minPrice: Type.Union([MoneyOut, Type.Null()]),
    categoryIds: Type.Array(Type.String()),
    version: Type.Integer(),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'AdminProductListItemDto' },
);

export const ADMIN_PRODUCT_SORTS = ['title', 'createdAt', 'updatedAt', 'status', 'minPrice'] as const;
export const AdminProductFilters = {
  q: Type.Optional(Type.String({ maxLength: 200, description: 'Title or SKU contains' })),
  status: Type.Optional(StatusDto),
  categoryId: Type.Optional(Uuid),
  id: Type.Optional(Type.Array(Uuid, { maxItems: 500, description: 'Only these ids (react-admin getMany)' })),
};
export const AdminProductListQuery = listQuery(AdminProductFilters, ADMIN_PRODUCT_SORTS);
export type AdminProductListQuery = Static<typeof AdminProductListQuery>;
export const AdminProductList = listOf(AdminProductListItemDto);

export const ProductIdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
export const VariantIdParams = Type.Object({ id: Uuid, variantId: Uuid }, { additionalProperties: false });

export const BulkProductBody = Type.Object(
  {
    ids: Type.Array(Uuid, { minItems: 1, maxItems: 1000 }),
    action: Type.Union([
      Type.Literal('publish'),
      Type.Literal('archive'),
      Type.Literal('draft'),
      Type.Literal('priceChange'),
    ]),
    percent: Type.Optional(
      Type.Number({
        minimum: -99,
        maximum: 1000,
        description: 'For priceChange: +10 raises prices 10%, -15 lowers them 15%',
      }),
    ),
  },
  { $id: 'BulkProductBody', additionalProperties: false },
);
export type BulkProductBody = Static<typeof BulkProductBody>;

// Categories
export const CategoryDto = Type.Object(
  {
    id: Type.String(),
    parentId: Type.Union([Type.String(), Type.Null()]),
    name: Type.String(),
    slug: Type.String(),
    position: Type.Integer(),
    version: Type.Integer(),
  },
  { $id: 'CategoryDto' },
);
export const CreateCategoryBody = Type.Object(
  {
    name: SingleLine({ maxLength: 200 }),
    slug: Type.Optional(Slug),
    parentId: Type.Optional(Type.Union([Uuid, Type.Null()])),
    position: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
  },
  { $id: 'CreateCategoryBody', additionalProperties: false },
);
export type CreateCategoryBody = Static<typeof CreateCategoryBody>;
export const UpdateCategoryBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    name: Type.Optional(SingleLine({ maxLength: 200 })),
    slug: Type.Optional(Slug),
    parentId: Type.Optional(Type.Union([Uuid, Type.Null()])),
    position: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
  },
  { $id: 'UpdateCategoryBody', additionalProperties: false },
);
export type UpdateCategoryBody = Static<typeof UpdateCategoryBody>;
export const CategoryListQuery = listQuery(
  {
    q: Type.Optional(Type.String({ maxLength: 200 })),
    parentId: Type.Optional(Uuid),
    id: Type.Optional(Type.Array(Uuid, { maxItems: 500 })),
  },
  ['name', 'position', 'slug', 'createdAt'],
);
export type CategoryListQuery = Static<typeof CategoryListQuery>;

/** A variant with its product's title: what stock screens show for a scanned SKU or a variant id. */
export const VariantLookupDto = Type.Object(
  {
    id: Type.String(),
    sku: Type.String(),
    title: Type.String(),
    options: Type.Record(Type.String(), Type.String()),
    productId: Type.String(),
    productTitle: Type.String(),
  },
  { $id: 'VariantLookupDto' },
);
export const VariantListQuery = listQuery(
  {
    sku: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, description: 'Exact SKU, case-insensitive (a scan)' }),
    ),
    q: Type.Optional(Type.String({ maxLength: 200, description: 'SKU, product or variant title contains' })),
    productId: Type.Optional(Uuid),
    id: Type.Optional(
      Type.Array(Uuid, { maxItems: 500, description: 'Only these ids (react-admin getMany)' }),
    ),
    skuCaseConflicts: Type.Optional(
      Type.Boolean({
        description:
          'Only variants whose SKU another live variant has in another case: kept from before SKUs were unique ' +
          'without case (2026-12-29); changing one of them ends the conflict',
      }),
    ),
  },
  ['sku', 'productTitle'],
);
export const VariantList = listOf(VariantLookupDto);

// Product images (ADR 0032)
export const ImageIdParams = Type.Object({ id: Uuid, imageId: Uuid }, { additionalProperties: false });
export const ProductImageDto = Type.Object(
  {
    id: Type.String(),
    productId: Type.String(),
    key: Type.String({ description: 'Content-addressed media key (SHA-256 of the stored bytes)' }),
    url: Type.String({ description: 'Public URL of the image; add ?w=160|320|640|1280 for a resized copy' }),
    alt: Type.String(),
    width: Type.Integer(),
    height: Type.Integer(),
    sizeBytes: Type.Integer(),
    contentType: Type.String(),
    position: Type.Integer(),
    primary: Type.Boolean({ description: 'The first image: shown in store lists' }),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'ProductImageDto' },
);
export const ProductImageList = Type.Array(ProductImageDto);
export const UpdateImageBody = Type.Object(
  // Read out by screen readers and shown where an image fails to load: one line, like every other label.
  { alt: SingleLine({ maxLength: 300, blank: true }) },
  { additionalProperties: false },
);
export const ReorderImagesBody = Type.Object(
  { ids: Type.Array(Uuid, { maxItems: 500, description: 'Every image id of the product, primary first' }) },
  { additionalProperties: false },
);
