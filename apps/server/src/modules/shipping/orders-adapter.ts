import type { FastifyInstance } from 'fastify';
import { CommonErrors } from '../../platform/errors.ts';
import type { OrdersPort } from './orders-port.ts';

/** Shipping's view of the orders context (replaced by the OrdersService adapter once orders is on main). */
export function ordersPortFor(app: FastifyInstance): OrdersPort {
  void app;
  const unavailable = () => {
    throw CommonErrors.unavailable('Orders are not available in this build');
  };
  return { getOrderForFulfilment: async () => unavailable(), transition: async () => unavailable() };
}
