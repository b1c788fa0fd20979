import type { EntityManager } from '@mikro-orm/postgresql';
import type { PostalAddress } from './providers/provider.ts';

/** What shipping needs of an order (OrdersService.getOrderForFulfilment). */
export interface FulfilmentLine {
  id: string;
  variantId: string | null;
  sku: string;
  title: string;
  quantity: number;
  unitPrice: number;
  weightGrams: number | null;
  /** Units that came back (a return): never shipped again. */
  returnedQuantity?: number | undefined;
}

export interface FulfilmentOrder {
  id: string;
  number: string;
  status: string;
  email: string;
  lines: FulfilmentLine[];
  shippingAddress: PostalAddress;
  createdAt?: Date | undefined;
}

/** An order in a shippable status (for the warehouse's to-pack queue); `itemCount` is the units ordered. */
export interface AwaitingOrder {
  id: string;
  number: string;
  status: string;
  createdAt: Date;
  paidAt: Date | null;
  itemCount: number;
  total: number;
  currency: string;
}

/** The orders context as seen from shipping: read an order, move it through its state machine. */
export interface OrdersPort {
  /** One page of the orders in a shippable status, oldest first. */
  awaitingFulfilment(
    em: EntityManager,
    status: (typeof SHIPPABLE_ORDER_STATUSES)[number],
    page: { page: number; perPage: number },
  ): Promise<AwaitingOrder[]>;
  getOrderForFulfilment(em: EntityManager, orderId: string): Promise<FulfilmentOrder | null>;
  /** getOrderForFulfilment for several orders in a bounded number of statements; missing ones are left out. */
  getOrdersForFulfilment(em: EntityManager, orderIds: readonly string[]): Promise<FulfilmentOrder[]>;
  /** Holds the order's fulfilment lock until `em`'s transaction ends (cancellations and refunds by line take it too). */
  lockFulfilment(em: EntityManager, orderId: string): Promise<void>;
  transition(
    em: EntityManager,
    orderId: string,
    to: 'processing' | 'shipped' | 'delivered',
    actor: { kind: 'staff' | 'system'; id?: string | undefined },
  ): Promise<void>;
  /**
   * A parcel of the order came back to the warehouse (returned to sender), in `em`'s transaction: the order
   * records it and, when it counted as fully shipped, goes back to processing (its units are to ship again).
   */
  parcelReturnedToSender(
    em: EntityManager,
    orderId: string,
    parcel: { trackingNumber: string; units: number },
  ): Promise<void>;
}

/** Order statuses from which warehouse staff may create a shipment (paid and not yet fully shipped). */
export const SHIPPABLE_ORDER_STATUSES = ['paid', 'processing', 'partially_refunded'] as const;
