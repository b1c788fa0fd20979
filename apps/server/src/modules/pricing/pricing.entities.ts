import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { baseProperties } from '../../platform/entity.ts';

export const DISCOUNT_TYPES = ['percent', 'fixed'] as const;
export type DiscountType = (typeof DISCOUNT_TYPES)[number];

const uuidArray = () => p.array<string>().columnType('uuid[]');

/**
 * A scheduled price reduction on products, variants or whole categories (sub-categories included).
 * Overlapping sales do not stack: the lowest resulting price wins (ADR).
 */
export const SaleSchema = defineEntity({
  name: 'Sale',
  tableName: 'sale',
  properties: {
    ...baseProperties,
    name: p.string().length(200),
    discountType: p.enum([...DISCOUNT_TYPES]),
    /** Percent (1-100) or an amount in minor units. */
    discountValue: p.integer(),
    startsAt: p.datetime(),
    endsAt: p.datetime().nullable(),
    productIds: uuidArray(),
    variantIds: uuidArray(),
    categoryIds: uuidArray(),
    version: p.integer().version(),
  },
});
export type Sale = InferEntity<typeof SaleSchema>;

/** A cart-level code. `usageCount` only moves through one conditional UPDATE (never read-modify-write). */
export const DiscountCodeSchema = defineEntity({
  name: 'DiscountCode',
  tableName: 'discount_code',
  properties: {
    ...baseProperties,
    code: p.string().length(64),
    description: p.string().length(300).default(''),
    discountType: p.enum([...DISCOUNT_TYPES]),
    discountValue: p.integer(),
    minSubtotal: p.integer().default(0),
    usageLimit: p.integer().nullable(),
    usageCount: p.integer().default(0),
    perCustomerLimit: p.integer().nullable(),
    startsAt: p.datetime().nullable(),
    endsAt: p.datetime().nullable(),
    active: p.boolean().default(true),
    version: p.integer().version(),
  },
});
export type DiscountCode = InferEntity<typeof DiscountCodeSchema>;
