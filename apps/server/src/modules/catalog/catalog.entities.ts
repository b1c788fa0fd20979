import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { baseProperties } from '../../platform/entity.ts';

export const PRODUCT_STATUSES = ['draft', 'active', 'archived'] as const;
export type ProductStatus = (typeof PRODUCT_STATUSES)[number];

/** A node of the category tree (parent by id; the tree is small and read whole). */
export const CategorySchema = defineEntity({
  name: 'Category',
  tableName: 'category',
  properties: {
    ...baseProperties,
    parentId: p.uuid().nullable(),
    name: p.string().length(200),
    slug: p.string().length(200).unique(),
    position: p.integer().default(0),
    version: p.integer().version(),
  },
});
export type Category = InferEntity<typeof CategorySchema>;

export const ProductSchema = defineEntity({
  name: 'Product',
  tableName: 'product',
  properties: {
    ...baseProperties,
    slug: p.string().length(200).unique(),
    title: p.string().length(300),
    description: p.text().default(''),
    status: p.enum([...PRODUCT_STATUSES]),
    attributes: p.json<Record<string, string>>(),
    weightGrams: p.integer().nullable(),
    lengthMm: p.integer().nullable(),
    widthMm: p.integer().nullable(),
    heightMm: p.integer().nullable(),
    deletedAt: p.datetime().nullable(),
    version: p.integer().version(),
  },
});
export type Product = InferEntity<typeof ProductSchema>;

/** A purchasable form of a product (size M in red). Inventory and carts refer to it by id. */
export const VariantSchema = defineEntity({
  name: 'Variant',
  tableName: 'variant',
  properties: {
    ...baseProperties,
    productId: p.uuid().index(),
    sku: p.string().length(64),
    title: p.string().length(200).default(''),
    options: p.json<Record<string, string>>(),
    priceAmount: p.integer(),
    compareAtAmount: p.integer().nullable(),
    weightGrams: p.integer().nullable(),
    position: p.integer().default(0),
    deletedAt: p.datetime().nullable(),
    version: p.integer().version(),
  },
});
export type Variant = InferEntity<typeof VariantSchema>;

export const ProductImageSchema = defineEntity({
  name: 'ProductImage',
  tableName: 'product_image',
  properties: {
    ...baseProperties,
    productId: p.uuid(),
    storageKey: p.string().length(200),
    contentType: p.string().length(100),
    width: p.integer(),
    height: p.integer(),
    sizeBytes: p.integer(),
    alt: p.string().length(300).default(''),
    position: p.integer().default(0),
  },
});
export type ProductImage = InferEntity<typeof ProductImageSchema>;
