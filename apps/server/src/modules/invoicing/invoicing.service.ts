import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { FieldCipher } from '../../platform/crypto.ts';
import { AppError } from '../../platform/errors.ts';
import { recordChange } from '../../platform/outbox.ts';
import { prepared } from '../../platform/prepared.ts';
import { pgArray } from '../inventory/sql.ts';
import {
  orderFigures,
  OrdersService,
  type OrderLineRow,
  type OrderRow,
  type ShippingAddress,
} from '../orders/orders.service.ts';
import { discountShareUpTo, divideRoundHalfUp, refundForGoods } from '../cart/totals.ts';
import { InvoicingErrors } from './invoicing.errors.ts';

export type DocumentKind = 'invoice' | 'credit_note';
export type CreditReason = 'refund' | 'void' | 'uncaptured';
export const DOCUMENT_KINDS: readonly DocumentKind[] = ['invoice', 'credit_note'];

/** Number prefixes: `INV-2026-000123`, `CN-2026-000007`. */
export const NUMBER_PREFIX: Record<DocumentKind, string> = { invoice: 'INV', credit_note: 'CN' };

export const documentNumber = (kind: DocumentKind, year: number, seq: number) =>
  `${NUMBER_PREFIX[kind]}-${year}-${String(seq).padStart(6, '0')}`;

/** An address as the document prints it: the order's address snapshot's shape, or the store's. */
export type PostalAddress = ShippingAddress;

/** Who issues the documents: the store, as configured when a document is issued (frozen in it). */
export interface Seller {
  name: string;
  address: PostalAddress;
  email: string | null;
  /** `STORE_TAX_ID` when the document was issued (absent from documents issued before it was set). */
  taxId?: string;
}

export interface DocumentLine {
  title: string;
  sku: string;
  quantity: number;
  /** Minor units. */
  unitPrice: number;
  lineTotal: number;
}

/**
 * Everything a document says, frozen when it is issued and sealed (`app.cipher`) in `invoice.snapshot`: the
 * PDF is drawn from this alone, so a later change to the order, the catalogue or the store's settings never
 * changes an issued document. Amounts in minor units of `currency`; a credit note's amounts are positive
 * (what is credited).
 */
export interface DocumentSnapshot {
  format: 'mcart.invoice.v1';
  kind: DocumentKind;
  number: string;
  /** RFC 3339; the document's date is its UTC day (as its number's year). */
  issuedAt: string;
  currency: string;
  seller: Seller;
  buyer: { email: string; address: PostalAddress };
  order: { id: string; number: string; placedAt: string; paidAt: string | null };
  lines: DocumentLine[];
  subtotal: number;
  discount: number;
  discountCode: string | null;
  shipping: number;
  shippingMethod: string | null;
  taxRateBps: number;
  pricesIncludeTax: boolean;
  tax: number;
  total: number;
  /** A credit note: the invoice it corrects. */
  corrects: { id: string; number: string; issuedAt: string } | null;
  /**
   * A credit note: `refund` (money given back), `void` (the payment was cancelled, no money taken),
   * `uncaptured` (less than the invoice was captured of an authorization: the rest is never charged).
   */
  reason: CreditReason | null;
  /**
   * A credit note that lists lines: what those units cost the customer (their prices, less their share of
   * the order's discount, plus their tax when prices exclude it). Less than that when the credit was capped
   * at what was left on the invoice. Documents issued before it was always recorded have it only when capped.
   */
  linesValue?: number | undefined;
  /**
   * A credit note that lists lines: their share of the order's discount (`discountCode` names the code), so
   * that the lines at their prices, this share and the tax add up to what is credited. Absent from documents
   * issued before it was recorded.
   */
  discountShare?: number | undefined;
}

export interface InvoiceRow {
  id: string;
  kind: DocumentKind;
  number: string;
  order_id: string;
  order_number: string;
  source: string;
  invoice_id: string | null;
  invoice_number: string | null;
  currency: string;
  total: number;
  tax_total: number;
  issued_at: string;
  created_at: string;
}

/** A document just issued, with the e-mail address its order names as of the issue. */
export interface IssuedDocument {
  id: string;
  snapshot: DocumentSnapshot;
  /** The order's, not the snapshot's: an erased customer's order names a `.invalid` placeholder instead. */
  orderEmail: string;
}

/**
 * Runs in the issuing transaction once a document is inserted (the e-mail to the buyer, invoice-mail.ts), so
 * what it writes exists if and only if the document does.
 */
export type DocumentIssued = (tx: EntityManager, issued: IssuedDocument) => Promise<void>;

interface LineQuantity {
  orderLineId: string;
  quantity: number;
}

/** What a document says apart from what issuing adds (number, date, seller, kind). */
type Draft = Omit<DocumentSnapshot, 'format' | 'kind' | 'number' | 'issuedAt' | 'seller'> & {
  orderNumber: string;
  orderEmail: string;
  invoiceId: string | null;
  lineQuantities: LineQuantity[];
};

export interface InvoiceListFilters {
  orderId?: string | undefined;
  kind?: DocumentKind | undefined;
  number?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

export interface ListOptions {
  page: number;
  perPage: number;
  /** issuedAt (default), number, total. */
  sort?: string | undefined;
  order?: 'ASC' | 'DESC' | undefined;
}

const COLUMNS = `i.id, i.kind, i.number, i.order_id, i.order_number, i.source, i.invoice_id, c.number AS invoice_number,
  i.currency, i.total, i.tax_total, i.issued_at, i.created_at`;
const FROM = `invoice i LEFT JOIN invoice c ON c.id = i.invoice_id`;

/** The invoice of an order is issued once, whatever delivers the order's `paid` event (and how often). */
const INVOICE_SOURCE = 'paid';

/**
 * Locks this year's counter of a kind (made on first use) and reads the next number, without taking it yet:
 * issues of a kind take turns from here to their COMMIT. The year is the UTC year.
 */
const LOCK_COUNTER = `
  INSERT INTO invoice_counter AS c (kind, year, next)
  VALUES (?, extract(year FROM clock_timestamp() AT TIME ZONE 'UTC')::int, 1)
  ON CONFLICT (kind, year) DO UPDATE SET next = c.next
  RETURNING c.year, c.next`;

/**
 * Takes the number, in the transaction that inserts the document: a rollback gives it back. The issue date is
 * read once, with the lock held, and the number is taken only if that date is in the locked counter's year:
 * none when the year turned (UTC) since the lock, and the document is then the new year's.
 */
const TAKE_NUMBER = `
  WITH clock AS (SELECT clock_timestamp() AS at)
  UPDATE invoice_counter c SET next = c.next + 1 FROM clock
   WHERE c.kind = ? AND c.year = ?::int AND c.year = extract(year FROM clock.at AT TIME ZONE 'UTC')::int
  RETURNING c.next - 1 AS seq, clock.at AS issued_at`;

/**
 * The source of the invoice that charges again what a credit note gave back, once the refund it records was
 * reversed (failed at the gateway after it went through, a lost dispute won on appeal): `reversal:<refund id>`.
 */
export const reversalSource = (refundId: string) => `reversal:${refundId}`;

/**
 * The credit notes of an invoice that still stand: not cancelled by the invoice of their refund's reversal
 * (`reversalSource`). What they credited is what the invoice no longer holds.
 */
const STANDING_NOTES = `
  SELECT n.total, n.tax_total, n.line_quantities FROM invoice n
   WHERE n.invoice_id = ?::uuid
     AND NOT EXISTS (SELECT 1 FROM invoice r
                      WHERE r.order_id = n.order_id AND r.kind = 'invoice' AND r.source = 'reversal:' || n.source)`;

/** Tax contained in a gross amount at a rate (basis points), as a price that includes tax holds it. */
export const taxIncluded = (gross: number, rateBps: number) =>
  rateBps > 0 ? gross - divideRoundHalfUp(gross * 10_000, 10_000 + rateBps) : 0;

/** A document's identity: one per order, kind and source. */
const sourceKey = (orderId: string, kind: DocumentKind, source: string) => `${orderId}|${kind}|${source}`;

const lineTitle = (line: OrderLineRow) =>
  line.product_title && line.title && line.title !== line.product_title
    ? `${line.product_title} – ${line.title}`
    : line.product_title || line.title;

/**
 * Invoices and credit notes (ADR 0049): issued by the outbox consumer from order events, numbered gap-free
 * per kind and year, frozen once issued. Reads orders through the orders context's service; writes only
 * its own tables.
 */
export class InvoicingService {
  constructor(
    private readonly em: EntityManager,
    private readonly cipher: FieldCipher,
    private readonly seller: Seller,
    /** None: documents are issued without telling anyone (tests of the numbering). */
    private readonly onIssued?: DocumentIssued,
  ) {}

  // What this service's own transaction (`em` inside one: the outbox consumer's batch) holds until its COMMIT
  // (ADR 0040's profile), used only for work on that transaction: the counters it locked, by kind; the
  // documents looked up under their kind's lock, by `sourceKey` (null: not issued, and none can be while the
  // lock is held); the orders `prepareInvoices` read, with their lines.
  private readonly held = new Map<DocumentKind, { year: number; next: number }>();
  private readonly checked = new Map<string, InvoiceRow | null>();
  private readonly prefetched = new Map<string, { order: OrderRow; lines: OrderLineRow[] }>();

  /**
   * For a batch of `paid` events in the outbox consumer's transaction: the invoice counter locked once, the
   * invoices already issued for these orders and the orders to invoice with their lines read in one statement
   * each, instead of per event (`issueInvoice` then finds them). Does nothing outside a transaction.
   */
  async prepareInvoices(orderIds: readonly string[]): Promise<void> {
    if (!this.em.isInTransaction()) return;
    const wanted = [...new Set(orderIds)].filter(
      (id) => !this.checked.has(sourceKey(id, 'invoice', INVOICE_SOURCE)),
    );
    if (!wanted.length) return;
    await this.lockCounter(this.em, 'invoice');
    const issued = await prepared<InvoiceRow>(
      this.em,
      `SELECT ${COLUMNS} FROM ${FROM} WHERE i.order_id = ANY(?::uuid[]) AND i.kind = 'invoice' AND i.source = ?`,
      [pgArray(wanted), INVOICE_SOURCE],
    );
    for (const id of wanted) this.checked.set(sourceKey(id, 'invoice', INVOICE_SOURCE), null);
    for (const row of issued) this.checked.set(sourceKey(row.order_id, 'invoice', INVOICE_SOURCE), row);
    const toIssue = wanted.filter((id) => !this.checked.get(sourceKey(id, 'invoice', INVOICE_SOURCE)));
    const orders = new OrdersService(this.em, this.cipher);
    const found = await orders.findMany(toIssue);
    const lines = await orders.linesOfMany(found.map((order) => order.id));
    for (const order of found) this.prefetched.set(order.id, { order, lines: lines.get(order.id) ?? [] });
  }

  /** Locks this year's counter of a kind (LOCK_COUNTER); in the service's own transaction, once. */
  private async lockCounter(
    tx: EntityManager,
    kind: DocumentKind,
    again = false,
  ): Promise<{ counter: { year: number; next: number }; fresh: boolean }> {
    const held = tx === this.em && !again ? this.held.get(kind) : undefined;
    if (held) return { counter: held, fresh: false };
    const [counter] = await prepared<{ year: number; next: number }>(tx, LOCK_COUNTER, [kind]);
    if (tx === this.em) this.held.set(kind, counter!);
    return { counter: counter!, fresh: true };
  }

  /** A document by its order, kind and source: from what its kind's lock holds, or read. */
  private async findIssued(
    tx: EntityManager,
    orderId: string,
    kind: DocumentKind,
    source: string,
  ): Promise<InvoiceRow | undefined> {
    const key = sourceKey(orderId, kind, source);
    if (tx === this.em && this.checked.has(key)) return this.checked.get(key) ?? undefined;
    return this.bySource(tx, orderId, kind, source);
  }

  /**
   * The invoice of a paid order: issued once (a second call answers the first invoice), with the next number.
   * Null for an order that does not exist or was never paid.
   */
  async issueInvoice(orderId: string): Promise<InvoiceRow | null> {
    return this.issue('invoice', orderId, INVOICE_SOURCE, async (tx) => {
      const orders = new OrdersService(tx, this.cipher);
      const read = tx === this.em ? this.prefetched.get(orderId) : undefined;
      const order = read ? read.order : await findOrder(orders, orderId);
      if (!order?.paid_at) return null;
      const lines = read ? read.lines : await orders.lines(orderId);
      return {
        orderNumber: order.number,
        orderEmail: order.email,
        invoiceId: null,
        currency: order.currency,
        buyer: { email: order.email, address: orders.address(order) },
        order: orderFacts(order),
        lines: lines.map((line) => ({
          title: lineTitle(line),
          sku: line.sku,
          quantity: line.quantity,
          unitPrice: line.unit_price,
          lineTotal: line.line_total,
        })),
        subtotal: order.subtotal,
        discount: order.discount_total,
        discountCode: order.discount_code,
        shipping: order.shipping_total,
        shippingMethod: order.shipping_method_name,
        taxRateBps: order.tax_rate_bps,
        pricesIncludeTax: order.prices_include_tax,
        tax: order.tax_total,
        total: order.total,
        corrects: null,
        reason: null,
        lineQuantities: lines.map((line) => ({ orderLineId: line.id, quantity: line.quantity })),
      };
    });
  }

  /**
   * A credit note correcting the order's invoice, once per source (a payment refund id, `void:<payment id>`
   * or `uncaptured:<payment id>`). `refund`: `amount` is what was given back (capped at what the invoice
   * still holds); `void` credits all of what is left, for a payment cancelled without taking money;
   * `uncaptured` credits what an authorization's capture left (`amount` is what was captured). Lines
   * refunded by line since the last credit note (order_line.refunded_quantity, ADR 0044) are listed when
   * their value accounts for the amount. Null when there is nothing to correct: no invoice (an order never
   * paid, or paid before invoicing existed) or nothing left on it.
   */
  async issueCreditNote(input: {
    orderId: string;
    source: string;
    reason: CreditReason;
    amount?: number | undefined;
    /**
     * `void` and `uncaptured`: the payment cancelled or captured; nothing is credited unless it is the one
     * that paid the order.
     */
    paymentId?: string | undefined;
    /**
     * `refund`: the units the refund gave back by line, as its event tells them (none for an amount).
     * Undefined for a refund from before events told them: the units refunded by line that no credit note
     * lists yet are taken for its own.
     */
    lines?: LineQuantity[] | undefined;
  }): Promise<InvoiceRow | null> {
    return this.issue('credit_note', input.orderId, input.source, async (tx) => {
      const invoice = await this.findIssued(tx, input.orderId, 'invoice', INVOICE_SOURCE);
      if (!invoice) return null;
      const orders = new OrdersService(tx, this.cipher);
      const order = await findOrder(orders, input.orderId);
      if (!order) return null;
      if (input.reason !== 'refund' && order.payment_id !== input.paymentId) return null;
      const invoiced = await this.snapshotOf(tx, invoice.id);
      // The earlier credit notes of this invoice that still stand. Issues of credit notes take turns (the
      // counter's lock), so this is every one of them. A note whose refund was reversed was cancelled by an
      // invoice charging its amount again (`reverseCreditNote`): its money and its units are the invoice's again.
      const previous = await prepared<{ total: number; tax_total: number; line_quantities: LineQuantity[] }>(
        tx,
        STANDING_NOTES,
        [invoice.id],
      );
      const credited = previous.reduce((sum, note) => sum + note.total, 0);
      const creditedTax = previous.reduce((sum, note) => sum + note.tax_total, 0);
      const left = invoice.total - credited;
      const wanted =
        input.reason === 'void'
          ? left
          : input.reason === 'uncaptured'
            ? invoice.total - (input.amount ?? invoice.total)
            : (input.amount ?? 0);
      const amount = Math.min(wanted, left);
      if (amount <= 0) return null;
      const settles = credited + amount === invoice.total;

      // Units refunded by line that no credit note lists yet: of those, the refund's own when its event
      // tells them (other refunds by line the consumer has not reached yet have theirs), else all of them.
      const creditedUnits = new Map<string, number>();
      for (const note of previous)
        for (const line of note.line_quantities)
          creditedUnits.set(line.orderLineId, (creditedUnits.get(line.orderLineId) ?? 0) + line.quantity);
      const orderLines = await orders.lines(input.orderId);
      const told = (lineId: string) =>
        input.lines === undefined
          ? Infinity
          : input.lines.reduce((sum, line) => sum + (line.orderLineId === lineId ? line.quantity : 0), 0);
      const refundedLines = orderLines
        .map((line) => ({
          line,
          quantity: Math.min(told(line.id), line.refunded_quantity - (creditedUnits.get(line.id) ?? 0)),
        }))
        .filter(({ quantity }) => quantity > 0);
      // A refund by line is priced as the orders module prices it (what the units cost the customer, as the
      // running difference over the units credited before: cart/totals.ts refundForGoods), capped at what was
      // left to refund: when the value does not account for the amount, the units belong to another refund
      // (in flight) and wait for it. The orders module prices against the money refunded by line
      // (orders.line_refunded_total, cart/totals.ts lineRefund): the same figure unless a refund by line failed
      // or was in flight meanwhile, when the note gives the amount without listing lines (ADR 0044).
      const figures = orderFigures(order);
      const before = orderLines.reduce(
        (sum, line) => sum + line.unit_price * (creditedUnits.get(line.id) ?? 0),
        0,
      );
      const goods = refundedLines.reduce((sum, { line, quantity }) => sum + line.unit_price * quantity, 0);
      const linesValue = refundForGoods(figures, before, goods);
      // The units' share of the order's discount, as refundForGoods takes it off.
      const discountShare = discountShareUpTo(figures, before + goods) - discountShareUpTo(figures, before);
      const byLine =
        input.reason === 'refund' &&
        refundedLines.length > 0 &&
        (linesValue === amount || (linesValue > amount && settles));
      const lines = byLine ? refundedLines : [];
      const tax = settles
        ? Math.max(0, invoice.tax_total - creditedTax)
        : Math.min(taxIncluded(amount, order.tax_rate_bps), invoice.tax_total - creditedTax);
      return {
        orderNumber: order.number,
        orderEmail: order.email,
        invoiceId: invoice.id,
        currency: invoice.currency,
        // The buyer the invoice names: a credit note corrects that document.
        buyer: invoiced.buyer,
        order: invoiced.order,
        lines: lines.map(({ line, quantity }) => ({
          title: lineTitle(line),
          sku: line.sku,
          quantity,
          unitPrice: line.unit_price,
          lineTotal: line.unit_price * quantity,
        })),
        subtotal: amount,
        discount: 0,
        discountCode: byLine && discountShare > 0 ? order.discount_code : null,
        shipping: 0,
        shippingMethod: null,
        taxRateBps: invoiced.taxRateBps,
        pricesIncludeTax: invoiced.pricesIncludeTax,
        tax: Math.max(0, tax),
        total: amount,
        corrects: { id: invoice.id, number: invoice.number, issuedAt: invoice.issued_at },
        reason: input.reason,
        // The lines, their discount share and tax, and any cap: what the document adds up (invoice-pdf.ts).
        ...(byLine ? { linesValue, discountShare } : {}),
        lineQuantities: lines.map(({ line, quantity }) => ({ orderLineId: line.id, quantity })),
      };
    });
  }

  /**
   * A refund reversed after its credit note was issued (it failed at the gateway after it went through, or the
   * lost dispute it recorded was won on appeal): the money stayed with the store, so an invoice charges again
   * what the credit note gave back, cancelling it (an issued document is never changed). Once per refund
   * (`reversalSource`); later credit notes count the cancelled one no more. Null when the refund has no credit
   * note (an order never invoiced).
   */
  async reverseCreditNote(input: { orderId: string; refundId: string }): Promise<InvoiceRow | null> {
    return this.issue('invoice', input.orderId, reversalSource(input.refundId), async (tx) => {
      const note = await this.bySource(tx, input.orderId, 'credit_note', input.refundId);
      if (!note) return null;
      const credited = await this.snapshotOf(tx, note.id);
      const order = await findOrder(new OrdersService(tx, this.cipher), input.orderId);
      // What the note credited, as one line: net of tax when prices exclude it (the tax is added below it).
      const net = credited.pricesIncludeTax ? note.total : note.total - note.tax_total;
      return {
        orderNumber: note.order_number,
        orderEmail: order?.email ?? credited.buyer.email,
        invoiceId: null,
        currency: note.currency,
        buyer: credited.buyer,
        order: credited.order,
        lines: [
          {
            title: `Refund reversed: credit note ${note.number} cancelled`,
            sku: '',
            quantity: 1,
            unitPrice: net,
            lineTotal: net,
          },
        ],
        subtotal: net,
        discount: 0,
        discountCode: null,
        shipping: 0,
        shippingMethod: null,
        taxRateBps: credited.taxRateBps,
        pricesIncludeTax: credited.pricesIncludeTax,
        tax: note.tax_total,
        total: note.total,
        corrects: { id: note.id, number: note.number, issuedAt: note.issued_at },
        reason: null,
        lineQuantities: [],
      };
    });
  }

  /**
   * An authorization captured for less than the order's invoice (manual capture: staff capture part of it):
   * the rest is never charged, and a credit note says so. An order's every capture comes here (automatic
   * capture takes it all), so the common case costs one look at the invoice and no lock; none when the
   * invoice was issued or looked up earlier in the consumer's batch (a checkout's `paid` and
   * `payment_captured` commit together).
   */
  async creditUncaptured(orderId: string, paymentId: string, captured: number): Promise<InvoiceRow | null> {
    const invoice = await this.findIssued(this.em, orderId, 'invoice', INVOICE_SOURCE);
    if (!invoice || captured >= invoice.total) return null;
    return this.issueCreditNote({
      orderId,
      source: `uncaptured:${paymentId}`,
      reason: 'uncaptured',
      amount: captured,
      paymentId,
    });
  }

  /**
   * Issues one document in the caller's transaction (or one of its own): the counter of its kind is locked
   * before anything is read, so concurrent issues take consecutive numbers in turn and a duplicate (the same
   * order, kind and source) finds the first one instead of taking a number. The number is taken by the
   * same transaction that inserts the document: a rollback gives it back.
   */
  private async issue(
    kind: DocumentKind,
    orderId: string,
    source: string,
    draft: (tx: EntityManager) => Promise<Draft | null>,
  ): Promise<InvoiceRow | null> {
    const work = async (tx: EntityManager): Promise<InvoiceRow | null> => {
      const key = sourceKey(orderId, kind, source);
      // Already issued (a redelivered event): answered without touching the counter.
      const issued = await this.findIssued(tx, orderId, kind, source);
      if (issued) return issued;
      const locked = await this.lockCounter(tx, kind);
      let { counter } = locked;
      // Issued by a concurrent transaction that held the counter before us. Not when this transaction held it
      // already: then the look above was under the lock.
      if (locked.fresh) {
        const raced = await this.bySource(tx, orderId, kind, source);
        if (raced) {
          if (tx === this.em) this.checked.set(key, raced);
          return raced;
        }
      }
      const content = await draft(tx);
      if (!content) return null;
      let [taken] = await prepared<{ seq: number; issued_at: string }>(tx, TAKE_NUMBER, [kind, counter.year]);
      // The year turned while the lock was taken (or held): the new year's counter numbers this document.
      for (let attempt = 0; !taken && attempt < 2; attempt++) {
        ({ counter } = await this.lockCounter(tx, kind, true));
        [taken] = await prepared<{ seq: number; issued_at: string }>(tx, TAKE_NUMBER, [kind, counter.year]);
      }
      if (!taken)
        throw new Error(`invoicing: the database clock did not settle on a year for ${kind} ${orderId}`);
      const number = documentNumber(kind, counter.year, taken.seq);
      const { orderNumber, orderEmail, invoiceId, lineQuantities, ...said } = content;
      const snapshot: DocumentSnapshot = {
        format: 'mcart.invoice.v1',
        kind,
        number,
        issuedAt: taken.issued_at,
        seller: this.seller,
        ...said,
      };
      const id = randomUUID();
      // The row as `bySource` reads it, answered by the INSERT itself.
      const [row] = await prepared<InvoiceRow>(
        tx,
        `WITH i AS (
           INSERT INTO invoice (id, kind, year, seq, number, order_id, order_number, source, invoice_id, currency, total,
                                tax_total, line_quantities, issued_at, snapshot)
           VALUES (?::uuid, ?, ?::int, ?::int, ?, ?::uuid, ?, ?, ?::uuid, ?, ?::int, ?::int, ?::jsonb, ?::timestamptz, ?)
           RETURNING *)
         SELECT ${COLUMNS} FROM i LEFT JOIN invoice c ON c.id = i.invoice_id`,
        [
          id,
          kind,
          counter.year,
          taken.seq,
          number,
          orderId,
          orderNumber,
          source,
          invoiceId,
          snapshot.currency,
          snapshot.total,
          snapshot.tax,
          JSON.stringify(lineQuantities),
          snapshot.issuedAt,
          this.cipher.encryptJson(snapshot),
        ],
      );
      // An order change for the screens showing the order (its invoices section), and nothing personal.
      recordChange(tx, {
        resource: 'orders',
        ids: [orderId],
        type: 'updated',
        payload: {
          event: kind === 'invoice' ? 'invoice_issued' : 'credit_note_issued',
          number: orderNumber,
          document: number,
        },
      });
      await this.onIssued?.(tx, { id, snapshot, orderEmail });
      if (tx === this.em) this.checked.set(key, row!);
      return row!;
    };
    return this.em.isInTransaction() ? work(this.em) : this.em.transactional(work);
  }

  private async bySource(
    em: EntityManager,
    orderId: string,
    kind: DocumentKind,
    source: string,
  ): Promise<InvoiceRow | undefined> {
    const [row] = await prepared<InvoiceRow>(
      em,
      `SELECT ${COLUMNS} FROM ${FROM} WHERE i.order_id = ?::uuid AND i.kind = ? AND i.source = ?`,
      [orderId, kind, source],
    );
    return row;
  }

  async get(id: string): Promise<InvoiceRow> {
    const [row] = await prepared<InvoiceRow>(this.em, `SELECT ${COLUMNS} FROM ${FROM} WHERE i.id = ?::uuid`, [
      id,
    ]);
    if (!row) throw InvoicingErrors.notFound();
    return row;
  }

  /** An order's documents, oldest first (its invoice, then its credit notes). */
  async forOrder(orderId: string): Promise<InvoiceRow[]> {
    return prepared<InvoiceRow>(
      this.em,
      `SELECT ${COLUMNS} FROM ${FROM} WHERE i.order_id = ?::uuid ORDER BY i.issued_at, i.kind DESC, i.seq`,
      [orderId],
    );
  }

  /** The e-mail address the order names now (a `.invalid` placeholder once its customer was erased). */
  async orderEmail(orderId: string): Promise<string | null> {
    return (await findOrder(new OrdersService(this.em, this.cipher), orderId))?.email ?? null;
  }

  /** What the document says, as issued. */
  async snapshot(id: string): Promise<{ row: InvoiceRow; snapshot: DocumentSnapshot }> {
    const row = await this.get(id);
    return { row, snapshot: await this.snapshotOf(this.em, id) };
  }

  private async snapshotOf(em: EntityManager, id: string): Promise<DocumentSnapshot> {
    const [sealed] = await prepared<{ snapshot: string }>(
      em,
      `SELECT snapshot FROM invoice WHERE id = ?::uuid`,
      [id],
    );
    if (!sealed) throw InvoicingErrors.notFound();
    return this.cipher.decryptJson<DocumentSnapshot>(sealed.snapshot);
  }

  async list(filters: InvoiceListFilters, list: ListOptions): Promise<{ data: InvoiceRow[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: string, value: unknown) => {
      where.push(clause);
      params.push(value);
    };
    if (filters.orderId) add('i.order_id = ?::uuid', filters.orderId);
    if (filters.kind) add('i.kind = ?', filters.kind);
    if (filters.number) add('i.number = upper(?)', filters.number.trim());
    if (filters.from) add('i.issued_at >= ?::timestamptz', filters.from);
    if (filters.to) add('i.issued_at < ?::timestamptz', filters.to);
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const direction = list.order === 'ASC' ? 'ASC' : 'DESC';
    const sorts: Record<string, string[]> = {
      issuedAt: ['i.issued_at', 'i.kind', 'i.seq'],
      number: ['i.kind', 'i.year', 'i.seq'],
      total: ['i.total', 'i.issued_at'],
    };
    const orderBy = [
      ...(sorts[list.sort ?? ''] ?? sorts.issuedAt!).map((column) => `${column} ${direction}`),
      'i.id',
    ];
    const data = await prepared<InvoiceRow>(
      this.em,
      `SELECT ${COLUMNS} FROM ${FROM} ${clause} ORDER BY ${orderBy.join(', ')} LIMIT ?::int OFFSET ?::int`,
      [...params, list.perPage, (list.page - 1) * list.perPage],
    );
    const [count] = await prepared<{ n: number }>(
      this.em,
      `SELECT count(*)::int AS n FROM invoice i ${clause}`,
      params,
    );
    return { data, total: count?.n ?? 0 };
  }
}

async function findOrder(orders: OrdersService, orderId: string): Promise<OrderRow | null> {
  try {
    return await orders.find(orderId);
  } catch (err) {
    if (err instanceof AppError && err.status === 404) return null;
    throw err;
  }
}

/** Timestamps come from PostgreSQL as RFC 3339 text (platform/db.ts); a Date only if a caller made one. */
const iso = (value: Date | string) => (typeof value === 'string' ? value : value.toISOString());

const orderFacts = (order: OrderRow): DocumentSnapshot['order'] => ({
  id: order.id,
  number: order.number,
  placedAt: iso(order.created_at),
  paidAt: order.paid_at === null ? null : iso(order.paid_at),
});
