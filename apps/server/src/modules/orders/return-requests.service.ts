import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, CommonErrors, type FieldError } from '../../platform/errors.ts';
import type { FieldCipher } from '../../platform/crypto.ts';
import { formatMoney } from '../../platform/money.ts';
import { recordChange } from '../../platform/outbox.ts';
import { pgArray, query } from '../inventory/sql.ts';
import type { OrderOperations } from './order-operations.ts';
import { OrderErrors } from './orders.errors.ts';
import { addOrderEvent, moneyParam, OrdersService, type Actor, type EventText } from './orders.service.ts';
import { canTransition, type OrderStatus } from './order-states.ts';
import { isRefundPending } from './payment-gateway.ts';
import { ReturnRequestErrors } from './return-requests.errors.ts';
import {
  canMoveReturnRequest,
  OPEN_RETURN_REQUEST_STATUSES,
  RETURN_REQUEST_STATUSES,
  type ReturnReason,
  type ReturnRequestMover,
  type ReturnRequestStatus,
} from './return-requests.states.ts';

export interface ReturnRequestRow {
  id: string;
  number: string;
  order_id: string;
  order_number: string;
  currency: string;
  status: ReturnRequestStatus;
  reason: ReturnReason;
  comment: string | null;
  note: string | null;
  rejection_reason: string | null;
  created_at: Date;
  updated_at: Date;
  approved_at: Date | null;
  rejected_at: Date | null;
  received_at: Date | null;
  withdrawn_at: Date | null;
  restocked: boolean | null;
  refund_amount: number | null;
  refunded_at: Date | null;
  /**
   * Its refund was sent and the gateway's answer is not known yet (lost: MCART_ERR_REFUND_PENDING): the payments
   * context holds it as pending until the reconciliation job learns the outcome (`refundPending`).
   */
  refund_pending: boolean;
}

export interface ReturnRequestLineRow {
  return_request_id: string;
  order_line_id: string;
  quantity: number;
  sku: string;
  title: string;
  product_title: string;
  unit_price: number;
  /** Units put back in stock at receipt (the rest kept out, damaged); null until received. */
  restocked_quantity: number | null;
}

export type ReturnRequestWithLines = ReturnRequestRow & { lines: ReturnRequestLineRow[] };

export interface RequestedLine {
  orderLineId: string;
  quantity: number;
}

/** At receipt, how many units of a request's line go back to stock (the rest is kept out: damaged). */
export interface RestockLine {
  orderLineId: string;
  restockQuantity: number;
}

/** What the customer e-mails of a request need (notifications looks it up per event). */
export interface ReturnRequestForMail {
  number: string;
  lines: { title: string; quantity: number }[];
  note: string | null;
  rejectionReason: string | null;
}

const REQUEST_COLUMNS = `r.id, r.number, r.order_id, o.number AS order_number, o.currency, r.status, r.reason, r.comment,
  r.note, r.rejection_reason, r.created_at, r.updated_at, r.approved_at, r.rejected_at, r.received_at,
  r.withdrawn_at, r.restocked, r.refund_amount, r.refunded_at,
  (r.refunded_at IS NULL AND EXISTS (
     SELECT 1 FROM payment_refund pr JOIN payment p ON p.id = pr.payment_id
      WHERE p.order_id = r.order_id AND pr.status = 'pending' AND pr.reason = 'return ' || r.number
  )) AS refund_pending`;

/** Statuses from which an order takes a return (ORDER_TRANSITIONS): every other one is refused up front. */
const takesReturn = (status: OrderStatus) => canTransition(status, 'returned');

/** A line's title as the shopper saw it: "Product – Variant". */
export const lineTitle = (line: { title: string; product_title: string }) =>
  line.product_title && line.title && line.title !== line.product_title
    ? `${line.product_title} – ${line.title}`
    : line.product_title || line.title;

const OPEN = pgArray(OPEN_RETURN_REQUEST_STATUSES);

/** Workflow order for `sort=status`: what waits for staff first, then what is finished (withdrawn last). */
const STATUS_ORDER = `array_position('{${RETURN_REQUEST_STATUSES.join(',')}}'::text[], r.status::text)`;

/**
 * Where the goods of an order are, as far as a return is concerned: whether everything left the warehouse
 * (the timeline last moved the order to shipped or delivered, and no parcel came back since: ADR 0047), how
 * many units of each line reached the customer, and when the last of them did.
 *
 * Units delivered are those in parcels the carrier delivered. An order moved to `delivered` without parcels
 * (staff ship outside the shipping module and mark it by hand) counts every unit it still holds, delivered
 * when it was marked so.
 */
async function deliveredUnits(
  em: EntityManager,
  orderId: string,
  lines: { id: string; quantity: number; withdrawn_quantity: number }[],
): Promise<{ allLeft: boolean; units: Map<string, number>; deliveredAt: Date | null }> {
  const events = await query<{ kind: string; to_status: string; created_at: Date }>(
    em,
    `SELECT kind, to_status, created_at FROM order_event
      WHERE order_id = ?::uuid
        AND ((kind = 'return' AND to_status IS NOT NULL) OR (kind <> 'return' AND to_status IN ('shipped', 'delivered')))
      ORDER BY id`,
    [orderId],
  );
  // Only what happened after the last parcel came back to the warehouse counts.
  const lastBack = events.findLastIndex((event) => event.kind === 'return');
  const since = events.slice(lastBack + 1);
  const allLeft = since.length > 0;
  const markedDelivered = since.findLast((event) => event.to_status === 'delivered') ?? null;

  const parcels = await query<{ order_line_id: string; quantity: number; delivered_at: Date }>(
    em,
    `SELECT l.order_line_id, sum(l.quantity)::int AS quantity, max(s.delivered_at) AS delivered_at
       FROM shipment_line l JOIN shipment s ON s.id = l.shipment_id
      WHERE s.order_id = ?::uuid AND s.status = 'delivered' GROUP BY l.order_line_id`,
    [orderId],
  );
  const units = new Map<string, number>();
  let deliveredAt: Date | null = null;
  for (const row of parcels) {
    units.set(row.order_line_id, row.quantity);
    const at = row.delivered_at ? new Date(row.delivered_at) : null;
    if (at && (!deliveredAt || at > deliveredAt)) deliveredAt = at;
  }
  if (markedDelivered) {
    for (const line of lines) units.set(line.id, line.quantity - line.withdrawn_quantity);
    // The carrier's delivery times when parcels tell them; the hand-marked time otherwise.
    deliveredAt ??= new Date(markedDelivered.created_at);
  }
  return { allLeft, units, deliveredAt };
}

/**
 * Units of each of the request's lines that go back to stock at receipt: all (`restock` true or left out), none
 * (false), or as `lines` says, every line of the request once and 0..its quantity (else 400, nothing written).
 */
function restockPlan(
  lines: ReturnRequestLineRow[],
  input: { restock?: boolean | undefined; lines?: RestockLine[] | undefined },
): Map<string, number> {
  if (!input.lines) {
    const all = input.restock ?? true;
    return new Map(lines.map((line) => [line.order_line_id, all ? line.quantity : 0]));
  }
  const requested = new Map(lines.map((line) => [line.order_line_id, line]));
  const plan = new Map<string, number>();
  const bad: FieldError[] = [];
  for (const [index, line] of input.lines.entries()) {
    const asked = requested.get(line.orderLineId);
    if (!asked)
      bad.push({ path: `body/lines/${index}/orderLineId`, message: 'is not a line of this return request' });
    else if (plan.has(line.orderLineId))
      bad.push({ path: `body/lines/${index}/orderLineId`, message: 'appears twice' });
    else if (line.restockQuantity > asked.quantity)
      bad.push({
        path: `body/lines/${index}/restockQuantity`,
        message: `must be between 0 and ${asked.quantity} (the units received on this line)`,
      });
    if (asked && !plan.has(line.orderLineId)) plan.set(line.orderLineId, line.restockQuantity);
  }
  for (const line of lines)
    if (!plan.has(line.order_line_id))
      bad.push({
        path: 'body/lines',
        message: `must name line ${line.order_line_id} (${line.sku}) of the request: how many of its ${line.quantity} unit(s) go back to stock`,
      });
  if (bad.length)
    throw CommonErrors.validation(
      'Say once for each line of the request how many of its units go back to stock',
      {
        errors: bad,
      },
    );
  return plan;
}

/** Why an order in this status takes no return request (null: it may). */
function notReturnableBecause(status: OrderStatus): string | null {
  if (takesReturn(status)) return null;
  switch (status) {
    case 'cancelled':
      return 'The order was cancelled: there is nothing to return';
    case 'refunded':
      return 'The order was refunded in full: contact the store';
    default:
      return 'The order has not reached you yet: a return can be asked once it is delivered';
  }
}

/**
 * Return requests (RMA, ADR 0051): a customer asks, staff approve or reject, then record the goods' arrival,
 * which records the order's return through `OrdersService.recordReturn` (restocking) and may refund the lines
 * through `OrderOperations` (refund by line). Until the goods arrive the customer may withdraw the request.
 * Every change writes the order's timeline and two outbox events: `return-requests` (live screens) and
 * `orders` (the timeline, and the customer's e-mail by `payload.event`).
 */
export class ReturnRequestsService {
  constructor(
    private readonly em: EntityManager,
    private readonly cipher: FieldCipher,
    private readonly options: { returnWindowDays: number },
  ) {}

  /**
   * A customer asks to return delivered units of their own order (another customer's order is "not found").
   * One transaction holding the order row's lock: two requests for the same units queue on it, and the second
   * sees the first's units as asked for. Checked in this order: whose order (404), the lines (400), the order's
   * state (409 not returnable), the window (409), the quantities (409, each line named).
   */
  async request(
    orderId: string,
    customerId: string,
    input: { lines: RequestedLine[]; reason: ReturnReason; comment?: string | undefined },
    now = new Date(),
  ): Promise<ReturnRequestWithLines> {
    return this.em.transactional(async (tx) => {
      // NO KEY UPDATE: concurrent requests (and status changes, and an erasure) wait; timeline inserts do not.
      const [order] = await query<{
        id: string;
        number: string;
        status: OrderStatus;
        customer_id: string | null;
      }>(tx, `SELECT id, number, status, customer_id FROM orders WHERE id = ?::uuid FOR NO KEY UPDATE`, [
        orderId,
      ]);
      if (!order || order.customer_id !== customerId) throw OrderErrors.notFound();

      const orderLines = new Map(
        (await new OrdersService(tx, this.cipher).lines(orderId)).map((l) => [l.id, l]),
      );
      const seen = new Set<string>();
      const badLines: FieldError[] = [];
      for (const [index, line] of input.lines.entries()) {
        if (!orderLines.has(line.orderLineId))
          badLines.push({ path: `body/lines/${index}/orderLineId`, message: 'is not a line of this order' });
        else if (seen.has(line.orderLineId))
          badLines.push({ path: `body/lines/${index}/orderLineId`, message: 'appears twice' });
        seen.add(line.orderLineId);
      }
      if (badLines.length)
        throw CommonErrors.validation('Each line must be a line of this order, named once', {
          errors: badLines,
        });

      const days = this.options.returnWindowDays;
      if (days === 0)
        throw ReturnRequestErrors.windowClosed(
          'This store does not take return requests online: contact it',
          {
            returnWindowDays: 0,
          },
        );
      const refusal = notReturnableBecause(order.status);
      if (refusal) throw ReturnRequestErrors.notReturnable(refusal, { orderStatus: order.status });
      const delivery = await deliveredUnits(tx, orderId, [...orderLines.values()]);
      if (!delivery.allLeft)
        throw ReturnRequestErrors.notReturnable(
          'Part of the order is still to ship: a return can be asked once all of it has reached you',
          { orderStatus: order.status },
        );
      if (!delivery.deliveredAt)
        throw ReturnRequestErrors.notReturnable(
          'The order has not been delivered yet: a return can be asked once it has reached you',
          { orderStatus: order.status },
        );
      const until = new Date(delivery.deliveredAt.getTime() + days * 86_400_000);
      if (now > until)
        throw ReturnRequestErrors.windowClosed(
          `Returns can be asked within ${days} day(s) of delivery; this order was delivered on ${delivery.deliveredAt.toISOString().slice(0, 10)}`,
          {
            returnWindowDays: days,
            deliveredAt: delivery.deliveredAt.toISOString(),
            returnableUntil: until.toISOString(),
          },
        );

      const pending = await query<{ order_line_id: string; quantity: number }>(
        tx,
        `SELECT rl.order_line_id, sum(rl.quantity)::int AS quantity
           FROM return_request_line rl JOIN return_request r ON r.id = rl.return_request_id
          WHERE r.order_id = ?::uuid AND r.status = ANY(?::text[]) GROUP BY rl.order_line_id`,
        [orderId, OPEN],
      );
      const asked = new Map(pending.map((row) => [row.order_line_id, row.quantity]));
      const tooMany: FieldError[] = [];
      const returnable: { orderLineId: string; returnable: number }[] = [];
      for (const [index, line] of input.lines.entries()) {
        const orderLine = orderLines.get(line.orderLineId)!;
        const left = Math.max(
          0,
          (delivery.units.get(line.orderLineId) ?? 0) -
            orderLine.returned_quantity -
            (asked.get(line.orderLineId) ?? 0),
        );
        if (line.quantity > left) {
          tooMany.push({
            path: `body/lines/${index}/quantity`,
            message:
              left === 0
                ? 'no unit of this line can be returned (not delivered, returned already, or in an open request)'
                : `at most ${left} unit(s) of this line can be returned`,
          });
          returnable.push({ orderLineId: line.orderLineId, returnable: left });
        }
      }
      if (tooMany.length)
        throw ReturnRequestErrors.quantity(
          `${tooMany.length} line(s) ask for more units than can be returned`,
          {
            errors: tooMany,
            lines: returnable,
          },
        );

      // Numbered per order under the order's lock: MC-001234-R1, -R2, ...
      const [count] = await query<{ n: number }>(
        tx,
        `SELECT count(*)::int AS n FROM return_request WHERE order_id = ?::uuid`,
        [orderId],
      );
      const number = `${order.number}-R${(count?.n ?? 0) + 1}`;
      const [created] = await query<{ id: string }>(
        tx,
        `WITH r AS (
           INSERT INTO return_request (number, order_id, reason, comment) VALUES (?, ?::uuid, ?, ?) RETURNING id
         ), l AS (
           INSERT INTO return_request_line (return_request_id, order_line_id, quantity)
           SELECT r.id, v.order_line_id, v.quantity FROM r, jsonb_to_recordset(?::jsonb) AS v(order_line_id uuid, quantity int)
         )
         SELECT id FROM r`,
        [
          number,
          orderId,
          input.reason,
          input.comment?.trim() || null,
          JSON.stringify(input.lines.map((l) => ({ order_line_id: l.orderLineId, quantity: l.quantity }))),
        ],
      );
      const id = created!.id;
      const units = input.lines.reduce((n, line) => n + line.quantity, 0);
      // The customer's comment stays out of the timeline (it is theirs, cleared on erasure; staff read it on the request).
      await addOrderEvent(
        tx,
        orderId,
        {
          kind: 'return',
          message: `Return ${number} requested: ${units} item(s), ${input.reason.replaceAll('_', ' ')}`,
          text: { key: 'return.requested', params: { number, items: units, reason: input.reason } },
        },
        { type: 'customer', id: customerId },
      );
      this.announce(tx, { id, number, orderId, orderNumber: order.number }, 'created', 'return_requested');
      return (await this.withLines(tx, [await this.row(tx, id)]))[0]!;
    });
  }

  /** The order's requests, oldest first, with their lines. */
  async forOrder(orderId: string): Promise<ReturnRequestWithLines[]> {
    const rows = await query<ReturnRequestRow>(
      this.em,
      `SELECT ${REQUEST_COLUMNS} FROM return_request r JOIN orders o ON o.id = r.order_id
        WHERE r.order_id = ?::uuid ORDER BY r.created_at, r.id`,
      [orderId],
    );
    return this.withLines(this.em, rows);
  }

  async get(id: string): Promise<ReturnRequestWithLines> {
    return (await this.withLines(this.em, [await this.row(this.em, id)]))[0]!;
  }

  /** Staff's list: filters by status and order; `sort=status` is the workflow's order (requested first). */
  async list(
    filters: { status?: ReturnRequestStatus | undefined; orderId?: string | undefined },
    page: { page: number; perPage: number; sort?: string | undefined; order?: 'ASC' | 'DESC' | undefined },
  ): Promise<{ data: ReturnRequestWithLines[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filters.status) {
      where.push('r.status = ?');
      params.push(filters.status);
    }
    if (filters.orderId) {
      where.push('r.order_id = ?::uuid');
      params.push(filters.orderId);
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const sorts: Record<string, string> = {
      createdAt: 'r.created_at',
      updatedAt: 'r.updated_at',
      number: 'r.number',
      status: STATUS_ORDER,
    };
    const direction = page.order === 'ASC' ? 'ASC' : 'DESC';
    const sort = sorts[page.sort ?? ''] ?? 'r.created_at';
    // Within one status, the oldest request first: it has waited longest.
    const then = page.sort === 'status' ? 'r.created_at ASC' : `r.created_at ${direction}`;
    const rows = await query<ReturnRequestRow>(
      this.em,
      `SELECT ${REQUEST_COLUMNS} FROM return_request r JOIN orders o ON o.id = r.order_id ${clause}
        ORDER BY ${sort} ${direction}, ${then}, r.id LIMIT ?::int OFFSET ?::int`,
      [...params, page.perPage, (page.page - 1) * page.perPage],
    );
    const [count] = await query<{ n: number }>(
      this.em,
      `SELECT count(*)::int AS n FROM return_request r ${clause}`,
      params,
    );
    return { data: await this.withLines(this.em, rows), total: count?.n ?? 0 };
  }

  /**
   * The customer withdraws their own request (they changed their mind) before the goods arrive: from
   * `requested` or `approved`, else 409 MCART_ERR_ILLEGAL_TRANSITION. Another customer's order is "not found"
   * (as for every store route), and so is a request that is not of this order. Under the request's row lock,
   * as every move: of a withdrawal and staff's receipt racing, one wins and the other is 409. Its units may be
   * asked for again (a withdrawn request is not open). Nothing is e-mailed: the customer did it themselves.
   */
  async withdraw(orderId: string, requestId: string, customerId: string): Promise<ReturnRequestWithLines> {
    return this.em.transactional(async (tx) => {
      // No lock on the order: receiving locks the request, then the order; taking them the other way round
      // here would deadlock with it. The order's owner never changes while it has an open request.
      await new OrdersService(tx, this.cipher).findForCustomer(orderId, customerId);
      const request = await this.lockForMove(tx, requestId, 'withdrawn', 'customer', orderId);
      await query(
        tx,
        `UPDATE return_request SET status = 'withdrawn', withdrawn_at = now(), updated_at = now(), version = version + 1
          WHERE id = ?::uuid AND status = ?`,
        [requestId, request.status],
      );
      await addOrderEvent(
        tx,
        orderId,
        {
          kind: 'return',
          message: `Return request ${request.number} withdrawn by the customer`,
          text: { key: 'return.withdrawn', params: { number: request.number } },
        },
        { type: 'customer', id: customerId },
      );
      this.announce(tx, this.ref(request), 'updated', 'return_withdrawn');
      return (await this.withLines(tx, [await this.row(tx, requestId)]))[0]!;
    });
  }

  /**
   * Staff approve: the customer is e-mailed the store's return address and the request's number. Only while the
   * order still takes a return (refunded in full or cancelled since the customer asked, its goods could never be
   * received: 409 MCART_ERR_NOT_RETURNABLE, and staff reject the request instead).
   */
  async approve(id: string, note: string | undefined, actor: Actor): Promise<ReturnRequestWithLines> {
    return this.move(id, 'approved', actor, {
      set: `approved_at = now(), decided_by = ?::uuid, note = ?`,
      params: [actor.id, note?.trim() || null],
      message: (number) => `Return ${number} approved${note?.trim() ? `: ${note.trim()}` : ''}`,
      text: (number) => ({ key: 'return.approved', params: { number, note: note?.trim() || undefined } }),
      event: 'return_approved',
      guard: async (tx, request) => {
        // FOR SHARE: the order's status cannot change until the approval commits.
        const [order] = await query<{ status: OrderStatus }>(
          tx,
          `SELECT status FROM orders WHERE id = ?::uuid FOR SHARE`,
          [request.order_id],
        );
        if (order && !takesReturn(order.status))
          throw ReturnRequestErrors.notReturnable(
            `Order ${request.order_number} is ${order.status}: its goods can no longer be received as a return; reject the request instead`,
            { orderStatus: order.status },
          );
      },
    });
  }

  /** Staff reject, with the reason the customer is e-mailed. */
  async reject(id: string, reason: string, actor: Actor): Promise<ReturnRequestWithLines> {
    const why = reason.trim();
    if (!why)
      throw CommonErrors.validation('Say why the return is rejected', {
        errors: [{ path: 'body/reason', message: 'must not be blank' }],
      });
    return this.move(id, 'rejected', actor, {
      set: `rejected_at = now(), decided_by = ?::uuid, rejection_reason = ?`,
      params: [actor.id, why],
      message: (number) => `Return ${number} rejected: ${why}`,
      text: (number) => ({ key: 'return.rejected', params: { number, note: why } }),
      event: 'return_rejected',
    });
  }

  /**
   * The goods arrived: the order records the return of exactly the request's lines (`recordReturn`, which
   * restocks what it is told to and moves the order to `returned`), in the same transaction as the request's
   * move to `received`. What goes back to stock: all units (`restock` true or left out), none (`restock: false`),
   * or per line (`lines`: each line of the request once, 0..its quantity; checked before anything is written,
   * 400 naming `body/lines/<i>/...`). A line partly restocked is handed to `recordReturn` as two parts (restocked,
   * kept out), so the ledger gets one movement per restocked line and nothing for the units kept out. Each line
   * keeps its restocked units (`restocked_quantity`); a partial restock is spelled out on the order's timeline.
   * With `refund` (an `OrderOperations`), the lines are then refunded by line, after the commit (the gateway is
   * never called inside a transaction); a refund that fails leaves the request received and unrefunded, and says so.
   */
  async receive(
    id: string,
    input: {
      restock?: boolean | undefined;
      lines?: RestockLine[] | undefined;
      refund?: OrderOperations | undefined;
    },
    actor: Actor,
  ): Promise<ReturnRequestWithLines> {
    if (input.lines && input.restock !== undefined)
      throw CommonErrors.validation(
        'Say what goes back to stock either for all lines or per line, not both',
        {
          errors: [{ path: 'body/restock', message: 'must be left out when `lines` chooses per line' }],
        },
      );
    const received = await this.em.transactional(async (tx) => {
      const request = await this.lockForMove(tx, id, 'received', 'staff');
      const [withLines] = await this.withLines(tx, [request]);
      const restocked = restockPlan(withLines!.lines, input);
      const parts = withLines!.lines.flatMap((line) => {
        const back = restocked.get(line.order_line_id)!;
        return [
          { orderLineId: line.order_line_id, quantity: back, restock: true },
          { orderLineId: line.order_line_id, quantity: line.quantity - back, restock: false },
        ].filter((part) => part.quantity > 0);
      });
      await new OrdersService(tx, this.cipher).recordReturn(
        request.order_id,
        { lines: parts, reason: `return ${request.number}` },
        actor,
      );
      const units = withLines!.lines.reduce((n, line) => n + line.quantity, 0);
      const back = [...restocked.values()].reduce((n, q) => n + q, 0);
      await query(
        tx,
        `UPDATE return_request_line rl SET restocked_quantity = v.restocked_quantity
           FROM jsonb_to_recordset(?::jsonb) AS v(order_line_id uuid, restocked_quantity int)
          WHERE rl.return_request_id = ?::uuid AND rl.order_line_id = v.order_line_id`,
        [
          JSON.stringify(
            [...restocked].map(([orderLineId, quantity]) => ({
              order_line_id: orderLineId,
              restocked_quantity: quantity,
            })),
          ),
          id,
        ],
      );
      await query(
        tx,
        `UPDATE return_request SET status = 'received', received_at = now(), received_by = ?::uuid, restocked = ?,
                updated_at = now(), version = version + 1
          WHERE id = ?::uuid AND status = 'approved'`,
        [actor.id, back > 0, id],
      );
      // All or none: recordReturn's own entry says it ("n item(s) returned[, restocked]"). Partly: which units.
      if (back > 0 && back < units) {
        const what = (lines: { line: ReturnRequestLineRow; units: number }[]) =>
          lines
            .filter((entry) => entry.units > 0)
            .map((entry) => `${entry.line.sku} ×${entry.units}`)
            .join(', ');
        const kept = withLines!.lines.map((line) => ({
          line,
          units: line.quantity - restocked.get(line.order_line_id)!,
        }));
        const restockedLines = withLines!.lines.map((line) => ({
          line,
          units: restocked.get(line.order_line_id)!,
        }));
        await addOrderEvent(
          tx,
          request.order_id,
          {
            kind: 'return',
            message: `Return ${request.number} received: ${back} of ${units} item(s) restocked (${what(restockedLines)}), ${units - back} kept out of stock (${what(kept)})`,
            text: {
              key: 'return.received_partly',
              params: {
                number: request.number,
                restocked: back,
                items: units,
                kept: units - back,
                restockedLines: what(restockedLines),
                keptLines: what(kept),
              },
            },
          },
          actor,
        );
      }
      this.announce(tx, this.ref(request), 'updated', 'return_received');
      return withLines!;
    });
    if (input.refund) await this.refund(received, input.refund, actor);
    return this.get(id);
  }

  /**
   * Refunds a received request's lines through the order's refund by line: the units not yet refunded by line
   * (a goodwill refund may have paid some back already), priced as that refund prices them, capped at what is
   * left to refund.
   */
  private async refund(request: ReturnRequestWithLines, operations: OrderOperations, actor: Actor) {
    const orders = new OrdersService(this.em, this.cipher);
    // Nothing was paid, or all of it went back already (a refund by amount; all that a capture of less than the
    // total took makes the order refunded too): nothing to refund.
    const order = await orders.find(request.order_id);
    if (order.status === 'refunded' || order.refunded_total >= order.total) return;
    const current = new Map((await orders.lines(request.order_id)).map((line) => [line.id, line]));
    const lines = request.lines
      .map((line) => {
        const orderLine = current.get(line.order_line_id)!;
        const left = orderLine.quantity - orderLine.refunded_quantity;
        return { orderLineId: line.order_line_id, quantity: Math.min(line.quantity, left) };
      })
      .filter((line) => line.quantity > 0);
    if (!lines.length) return;
    let amount: number;
    try {
      ({ amount } = await operations.refundWithAmount(
        request.order_id,
        { lines, reason: `return ${request.number}` },
        actor,
      ));
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      // Units a discount made free: nothing to give back, as when nothing was paid.
      if (err.code === OrderErrors.nothingToRefund.code) return;
      // The goods are in: that stands.
      if (isRefundPending(err)) {
        // The gateway's answer was lost: the refund stays reserved and is confirmed (or given back) by the
        // reconciliation job, which then records it on the request (confirmRefundReservation). Refunding again
        // is refused anyway; staff wait.
        const pending = typeof err.extra?.amount === 'number' ? err.extra.amount : undefined;
        const what = `the refund${pending === undefined ? '' : ` of ${formatMoney(pending, request.currency)}`}`;
        await this.em.transactional((tx) =>
          addOrderEvent(
            tx,
            request.order_id,
            {
              kind: 'return',
              message: `Return ${request.number}: ${what} is pending confirmation by the payment gateway; it completes automatically (do not refund it again)`,
              text:
                pending === undefined
                  ? { key: 'return.refund_pending', params: { number: request.number } }
                  : {
                      key: 'return.refund_pending_amount',
                      params: { number: request.number, amount: moneyParam(pending, request.currency) },
                    },
            },
            actor,
          ),
        );
        throw new AppError(
          err.code,
          err.status,
          err.title,
          `The goods of ${request.number} are recorded as received, and ${what} is pending: the payment gateway did not confirm it. It is confirmed automatically, usually within minutes (up to a day when the gateway itself failed), and then shows on the return request (or, if the gateway refused it, is undone and written in the order's timeline). Do not refund it again.`,
          err.errors,
          { ...err.extra, returnRequestStatus: 'received', refundPending: true },
        );
      }
      // The refund did not happen: staff's to retry from the order.
      throw new AppError(
        err.code,
        err.status,
        err.title,
        `The goods of ${request.number} are recorded as received, but the refund failed (${err.detail ?? err.title}): refund the lines from the order`,
        err.errors,
        { ...err.extra, returnRequestStatus: 'received' },
      );
    }
    await this.em.transactional(async (tx) => {
      // Usually recorded already, in the transaction that recorded the gateway's answer (confirmRefundReservation):
      // then neither written nor announced twice.
      const [recorded] = await query<{ id: string }>(
        tx,
        `UPDATE return_request SET refund_amount = ?::int, refunded_at = now(), updated_at = now(), version = version + 1
          WHERE id = ?::uuid AND refunded_at IS NULL RETURNING id`,
        [amount, request.id],
      );
      if (recorded) this.announce(tx, this.ref(request), 'updated', 'return_refunded');
    });
  }

  private async move(
    id: string,
    to: ReturnRequestStatus,
    actor: Actor,
    change: {
      set: string;
      params: unknown[];
      message: (number: string) => string;
      /** The message as a key (ADR 0069). */
      text?: (number: string) => EventText;
      event: string;
      guard?: (tx: EntityManager, request: ReturnRequestRow) => Promise<void>;
    },
  ): Promise<ReturnRequestWithLines> {
    return this.em.transactional(async (tx) => {
      const request = await this.lockForMove(tx, id, to, 'staff');
      await change.guard?.(tx, request);
      await query(
        tx,
        `UPDATE return_request SET status = ?, ${change.set}, updated_at = now(), version = version + 1
          WHERE id = ?::uuid AND status = ?`,
        [to, ...change.params, id, request.status],
      );
      await addOrderEvent(
        tx,
        request.order_id,
        { kind: 'return', message: change.message(request.number), text: change.text?.(request.number) },
        actor,
      );
      this.announce(tx, this.ref(request), 'updated', change.event);
      return (await this.withLines(tx, [await this.row(tx, id)]))[0]!;
    });
  }

  /**
   * The request, locked for the rest of the transaction, if `by` may move it to `to` (else 409). With
   * `orderId`, a request of another order is not found.
   */
  private async lockForMove(
    tx: EntityManager,
    id: string,
    to: ReturnRequestStatus,
    by: ReturnRequestMover,
    orderId?: string,
  ): Promise<ReturnRequestRow> {
    const [locked] = await query<{ id: string }>(
      tx,
      `SELECT id FROM return_request WHERE id = ?::uuid${orderId ? ' AND order_id = ?::uuid' : ''} FOR NO KEY UPDATE`,
      orderId ? [id, orderId] : [id],
    );
    if (!locked) throw ReturnRequestErrors.notFound();
    // Read after the lock: a move committed while this waited is seen.
    const request = await this.row(tx, id);
    if (!canMoveReturnRequest(request.status, to, by))
      throw OrderErrors.illegalTransition(`A return request that is ${request.status} cannot become ${to}`, {
        from: request.status,
        to,
      });
    return request;
  }

  private ref(request: ReturnRequestRow) {
    return {
      id: request.id,
      number: request.number,
      orderId: request.order_id,
      orderNumber: request.order_number,
    };
  }

  /**
   * Two outbox events: `return-requests` for the live screens, `orders` because the order's timeline changed,
   * whose `payload.event` is what the notifications consumer mails the customer for. Numbers and ids only.
   */
  private announce(
    tx: EntityManager,
    request: { id: string; number: string; orderId: string; orderNumber: string },
    type: 'created' | 'updated',
    event: string,
  ) {
    recordChange(tx, {
      resource: 'return-requests',
      ids: [request.id],
      type,
      payload: { event, number: request.number, orderId: request.orderId },
    });
    recordChange(tx, {
      resource: 'orders',
      ids: [request.orderId],
      type: 'updated',
      payload: {
        event,
        number: request.orderNumber,
        returnRequestId: request.id,
        returnNumber: request.number,
      },
    });
  }

  private async row(em: EntityManager, id: string): Promise<ReturnRequestRow> {
    const [row] = await query<ReturnRequestRow>(
      em,
      `SELECT ${REQUEST_COLUMNS} FROM return_request r JOIN orders o ON o.id = r.order_id WHERE r.id = ?::uuid`,
      [id],
    );
    if (!row) throw ReturnRequestErrors.notFound();
    return row;
  }

  private async withLines(em: EntityManager, rows: ReturnRequestRow[]): Promise<ReturnRequestWithLines[]> {
    if (!rows.length) return [];
    const lines = await query<ReturnRequestLineRow>(
      em,
      `SELECT rl.return_request_id, rl.order_line_id, rl.quantity, l.sku, l.title, l.product_title, l.unit_price,
              rl.restocked_quantity
         FROM return_request_line rl JOIN order_line l ON l.id = rl.order_line_id
        WHERE rl.return_request_id = ANY(?::uuid[]) ORDER BY l.position`,
      [pgArray(rows.map((row) => row.id))],
    );
    return rows.map((row) => ({ ...row, lines: lines.filter((line) => line.return_request_id === row.id) }));
  }
}

/** What a request's e-mail says (the notifications consumer asks per event); null when it is gone. */
export async function returnRequestForMail(
  em: EntityManager,
  id: string,
): Promise<ReturnRequestForMail | null> {
  const [request] = await query<Pick<ReturnRequestRow, 'number' | 'note' | 'rejection_reason'>>(
    em,
    `SELECT number, note, rejection_reason FROM return_request WHERE id = ?::uuid`,
    [id],
  );
  if (!request) return null;
  const lines = await query<Pick<ReturnRequestLineRow, 'quantity' | 'title' | 'product_title'>>(
    em,
    `SELECT rl.quantity, l.title, l.product_title FROM return_request_line rl JOIN order_line l ON l.id = rl.order_line_id
      WHERE rl.return_request_id = ?::uuid ORDER BY l.position`,
    [id],
  );
  return {
    number: request.number,
    lines: lines.map((line) => ({ title: lineTitle(line), quantity: line.quantity })),
    note: request.note,
    rejectionReason: request.rejection_reason,
  };
}
