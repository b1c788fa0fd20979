import { randomUUID } from 'node:crypto';
import { p, type EntitySchema } from '@mikro-orm/core';

/**
 * id (uuid, made in the app so it is known before flush) + createdAt/updatedAt. Spread into every entity's
 * properties: `properties: { ...baseProperties, title: p.string() }` (spreading keeps the inferred types).
 */
export const baseProperties = {
  id: p
    .uuid()
    .primary()
    .onCreate(() => randomUUID()),
  createdAt: p.datetime().onCreate(() => new Date()),
  updatedAt: p
    .datetime()
    .onCreate(() => new Date())
    .onUpdate(() => new Date()),
};

/** Any entity schema, for lists of different entities (MikroORM's schema generics are invariant). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyEntitySchema = EntitySchema<any, any>;
