import type { EntityManager } from '@mikro-orm/postgresql';
import type { FieldCipher } from '../../platform/crypto.ts';
import { recordChange } from '../../platform/outbox.ts';
import type { MailStatus } from './outgoing-mail.entity.ts';
import type { TemplateName } from './templates.ts';
import { NotificationErrors } from './notifications.errors.ts';

/**
 * The templates whose data names an order (`orderNumber`): every e-mail about an order, its shipments, its
 * return requests and its invoices. The others (sign-in links, back-in-stock alerts, erasure) name none.
 */
export const ORDER_MAIL_TEMPLATES: readonly TemplateName[] = [
  'order-confirmation',
  'payment-failed',
  'order-shipped',
  'order-delivered',
  'order-cancelled',
  'refund-issued',
  'return-requested',
  'return-approved',
  'return-rejected',
  'invoice-issued',
  'credit-note-issued',
];

/** What staff see of a queued e-mail (ADR 0071): never its text or links, only where it went and how it fared. */
export interface OutgoingMailView {
  id: string;
  template: string;
  status: MailStatus;
  attempts: number;
  lastError: string | null;
  to: string | null;
  orderNumber: string | null;
  orderId: string | null;
  createdAt: string;
  updatedAt: string;
  nextAttemptAt: string | null;
  sentAt: string | null;
}

export interface OutgoingMailFilters {
  status?: MailStatus | undefined;
  template?: string | undefined;
  orderId?: string | undefined;
  orderNumber?: string | undefined;
  page: number;
  perPage: number;
  sort: 'createdAt' | 'updatedAt';
  order: 'ASC' | 'DESC';
}

interface Row {
  id: string;
  template: string;
  status: MailStatus;
  attempts: number;
  last_error: string | null;
  envelope: string;
  created_at: Date;
  updated_at: Date;
  next_attempt_at: Date;
  sent_at: Date | null;
}

interface OrderRef {
  id: string;
  number: string;
  created_at: Date;
}

const COLUMNS = `id, template, status, attempts, last_error, envelope, created_at, updated_at, next_attempt_at, sent_at`;
const SORTS = { createdAt: 'created_at', updatedAt: 'updated_at' } as const;
const ORDER_NUMBER = /^[A-Za-z0-9-]{1,32}$/;
/** Envelopes read (and opened) at a time when a list is filtered by order. */
const SCAN_BATCH = 500;

const iso = (value: Date | string) => new Date(value).toISOString();

/**
 * The customer e-mail queue as staff see it (ADR 0071), and the retry of a failed e-mail. The recipient and the
 * order number are sealed in the envelope: they are opened here for display, page by page, and the order
 * filter opens the envelopes of the e-mails written since that order was placed (none is about it before).
 */
export class OutgoingMailService {
  constructor(
    private readonly em: EntityManager,
    private readonly cipher: FieldCipher,
  ) {}

  async list(filters: OutgoingMailFilters): Promise<{ data: OutgoingMailView[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filters.status) {
      where.push('status = ?');
      params.push(filters.status);
    }
    if (filters.template) {
      where.push('template = ?');
      params.push(filters.template);
    }
    const orderBy = `${SORTS[filters.sort]} ${filters.order === 'ASC' ? 'ASC' : 'DESC'}, id ${filters.order === 'ASC' ? 'ASC' : 'DESC'}`;
    if (filters.orderId !== undefined || filters.orderNumber !== undefined)
      return this.listForOrder(filters, where, params, orderBy);
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [count] = await this.em.execute<{ n: string }[]>(
      `SELECT count(*) AS n FROM outgoing_mail ${clause}`,
      params,
    );
    const rows = await this.em.execute<Row[]>(
      `SELECT ${COLUMNS} FROM outgoing_mail ${clause} ORDER BY ${orderBy} LIMIT ? OFFSET ?`,
      [...params, filters.perPage, (filters.page - 1) * filters.perPage],
    );
    return { data: await this.views(rows), total: Number(count?.n ?? 0) };
  }

  /**
   * The e-mails about one order: those of the order templates written since it was placed whose envelope names
   * its number. An order that does not exist (or an id and a number of two orders) has none.
   */
  private async listForOrder(
    filters: OutgoingMailFilters,
    where: string[],
    params: unknown[],
    orderBy: string,
  ): Promise<{ data: OutgoingMailView[]; total: number }> {
    const order = await this.findOrder(filters.orderId, filters.orderNumber);
    if (!order) return { data: [], total: 0 };
    const clause = `WHERE ${[...where, 'template = ANY(?::text[])', 'created_at >= ?'].join(' AND ')}`;
    const scanParams = [...params, `{${ORDER_MAIL_TEMPLATES.join(',')}}`, order.created_at];
    const matching: Row[] = [];
    for (let offset = 0; ; offset += SCAN_BATCH) {
      const rows = await this.em.execute<Row[]>(
        `SELECT ${COLUMNS} FROM outgoing_mail ${clause} ORDER BY ${orderBy} LIMIT ? OFFSET ?`,
        [...scanParams, SCAN_BATCH, offset],
      );
      for (const row of rows) if (this.open(row.envelope).orderNumber === order.number) matching.push(row);
      if (rows.length < SCAN_BATCH) break;
    }
    const page = matching.slice((filters.page - 1) * filters.perPage, filters.page * filters.perPage);
    return { data: await this.views(page), total: matching.length };
  }

  private async findOrder(orderId?: string, orderNumber?: string): Promise<OrderRef | undefined> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (orderId !== undefined) {
      where.push('id = ?::uuid');
      params.push(orderId);
    }
    if (orderNumber !== undefined) {
      where.push('number = upper(?)');
      params.push(orderNumber.trim());
    }
    const [order] = await this.em.execute<OrderRef[]>(
      `SELECT id, number, created_at FROM orders WHERE ${where.join(' AND ')}`,
      params,
    );
    return order;
  }

  /** The recipient and order number of a sealed envelope; nothing when it cannot be opened (a retired key). */
  private open(envelope: string): { to: string | null; orderNumber: string | null } {
    try {
      const { to, data } = this.cipher.decryptJson<{ to?: unknown; data?: Record<string, unknown> }>(
        envelope,
      );
      const number = data?.orderNumber;
      return {
        to: typeof to === 'string' ? to : null,
        orderNumber: typeof number === 'string' && ORDER_NUMBER.test(number) ? number : null,
      };
    } catch {
      return { to: null, orderNumber: null };
    }
  }

  private async views(rows: Row[]): Promise<OutgoingMailView[]> {
    const opened = rows.map((row) => this.open(row.envelope));
    const numbers = [...new Set(opened.flatMap((o) => (o.orderNumber ? [o.orderNumber] : [])))];
    const orders = numbers.length
      ? await this.em.execute<{ id: string; number: string }[]>(
          `SELECT id, number FROM orders WHERE number = ANY(?::text[])`,
          [`{${numbers.join(',')}}`],
        )
      : [];
    const idOf = new Map(orders.map((order) => [order.number, order.id]));
    return rows.map((row, index) => {
      const { to, orderNumber } = opened[index]!;
      return {
        id: row.id,
        template: row.template,
        status: row.status,
        attempts: row.attempts,
        lastError: row.last_error,
        to,
        orderNumber,
        orderId: orderNumber ? (idOf.get(orderNumber) ?? null) : null,
        createdAt: iso(row.created_at),
        updatedAt: iso(row.updated_at),
        nextAttemptAt: row.status === 'pending' ? iso(row.next_attempt_at) : null,
        sentAt: row.sent_at ? iso(row.sent_at) : null,
      };
    });
  }

  /**
   * A failed e-mail queued again, due now, with its attempts counted from 0: whoever retries has put the cause
   * right (the SMTP settings, the relay), so it gets the whole backoff again rather than one last attempt. The
   * last error stays until the next attempt replaces it. Its send job is queued when this commits (the
   * `mail-dispatch` consumer), the sweep being the safety net. 404 unknown, 409 when it is not failed.
   */
  async retry(id: string): Promise<{ view: OutgoingMailView; previousAttempts: number }> {
    return this.em.transactional(async (tx) => {
      const [before] = await tx.execute<{ status: MailStatus; attempts: number }[]>(
        `SELECT status, attempts FROM outgoing_mail WHERE id = ?::uuid FOR UPDATE`,
        [id],
      );
      if (!before) throw NotificationErrors.mailNotFound();
      if (before.status !== 'failed')
        throw NotificationErrors.mailNotFailed(
          `This e-mail is ${before.status}: only a failed e-mail can be retried`,
          { mailStatus: before.status },
        );
      const [row] = await tx.execute<Row[]>(
        `UPDATE outgoing_mail SET status = 'pending', attempts = 0, next_attempt_at = now(), claimed_at = NULL,
                updated_at = now()
          WHERE id = ?::uuid AND status = 'failed'
          RETURNING ${COLUMNS}`,
        [id],
      );
      recordChange(tx, {
        resource: 'outgoing_mail',
        ids: [id],
        type: 'updated',
        payload: { template: row!.template, retried: true },
      });
      const [view] = await new OutgoingMailService(tx as EntityManager, this.cipher).views([row!]);
      return { view: view!, previousAttempts: before.attempts };
    });
  }
}
