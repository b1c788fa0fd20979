import type { FastifyInstance } from 'fastify';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError } from '../../platform/errors.ts';
import { lockFulfilment, OrdersService } from '../orders/index.ts';
import type { AwaitingOrder, FulfilmentOrder, OrdersPort } from './orders-port.ts';

/** Shipping's view of the orders context, through OrdersService only (no reads of its tables). */
export function ordersPortFor(app: FastifyInstance): OrdersPort {
  const orders = (em: EntityManager) => new OrdersService(em, app.cipher);
  return {
    async getOrderForFulfilment(em, orderId): Promise<FulfilmentOrder | null> {
      try {
        return await orders(em).getOrderForFulfilment(orderId);
      } catch (err) {
        if (err instanceof AppError && err.status === 404) return null;
        throw err;
      }
    },
    async getOrdersForFulfilment(em, orderIds): Promise<FulfilmentOrder[]> {
      return orders(em).getOrdersForFulfilment(orderIds);
    },
    lockFulfilment,
    async transition(em, orderId, to, actor) {
      await orders(em).transition(orderId, to, { type: actor.kind, id: actor.id ?? null });
    },
    async parcelReturnedToSender(em, orderId, parcel) {
      await orders(em).parcelReturnedToSender(orderId, parcel);
    },
    async awaitingFulfilment(em, status, { page, perPage }): Promise<AwaitingOrder[]> {
      // listPage: the queue pages through and shows no count, so no count(*) per page.
      const data = await orders(em).listPage({ status }, { page, perPage, sort: 'createdAt', order: 'ASC' });
      return data.map((row) => ({
        id: row.id,
        number: row.number,
        status: row.status,
        // Raw rows: timestamps may arrive as strings.
        createdAt: new Date(row.created_at),
        paidAt: row.paid_at ? new Date(row.paid_at) : null,
        itemCount: Number(row.item_count),
        total: row.total,
        currency: row.currency,
      }));
    },
  };
}
