import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const CHANGE_TYPES = ['created', 'updated', 'deleted'] as const;
export type ChangeType = (typeof CHANGE_TYPES)[number];

/**
 * Transactional outbox: a change and its event commit together. A statement trigger NOTIFYs
 * `mcart_outbox` on insert; dispatchers read rows after the last id they handled.
 */
export const OutboxEventSchema = defineEntity({
  name: 'OutboxEvent',
  tableName: 'outbox_event',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    resource: p.string().length(64),
    ids: p.array(),
    type: p.string().length(16),
    payload: p.json<Record<string, unknown>>().nullable(),
    /** The writing transaction (xid8), filled by the database: orders events safely (see outbox.ts). */
    tx: p.string().columnType('xid8').defaultRaw('pg_current_xact_id()').persist(false),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type OutboxEvent = InferEntity<typeof OutboxEventSchema>;
