import type { EntityManager } from '@mikro-orm/core';
import { OutboxEventSchema, type ChangeType } from './outbox.entity.ts';

export interface Change {
  resource: string;
  ids: string[];
  type: ChangeType;
  /** Extra facts consumers need (never personal data): e.g. `{ orderNumber }`. */
  payload?: Record<string, unknown>;
}

/**
 * Records a change in the caller's unit of work: it is written by the same flush/transaction as the
 * change itself, so an event exists if and only if the change committed.
 */
export function recordChange(em: EntityManager, change: Change): void {
  em.create(OutboxEventSchema, {
    resource: change.resource,
    ids: change.ids,
    type: change.type,
    payload: change.payload ?? null,
  });
}
