import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, CommonErrors, onField } from '../../platform/errors.ts';
import { availabilityColumns, canonicalId, InventoryService } from '../inventory/inventory.service.ts';
import { InventoryErrors } from '../inventory/inventory.errors.ts';
import { query } from '../inventory/sql.ts';
import { preparedAll } from '../../platform/prepared.ts';
import { CartErrors } from './cart.errors.ts';
import type { CartDeps, PurchasableVariant } from './ports.ts';
import { computeTotals, type ShippingRate, type Totals } from './totals.ts';

export const MAX_LINE_QUANTITY = 999;
const MAX_LINES = 100;

export interface CartRow {
  id: string;
  customer_id: string | null;
  status: 'open' | 'completed' | 'merged';
  currency: string;
  discount_code: string | null;
  shipping_method_id: string | null;
  order_id: string | null;
  /**
   * The shipping the cart's last answer showed (method and amount): checkout refuses to charge another amount
   * for that method. Null amount: never shown (a cart written by SQL), not checked.
   */
  shown_shipping_method_id: string | null;
  shown_shipping_amount: number | null;
  /**
   * The discount the cart's last answer showed (0 when none applied): checkout refuses to charge less discount
   * (a code edited since). Null: never shown, not checked.
   */
  shown_discount_amount: number | null;
  created_at: Date;
  updated_at: Date;
}

interface ItemRow {
  id: string;
  variant_id: string;
  quantity: number;
  unit_price: number;
  created_at: Date;
}

type PricedItemRow = ItemRow & { live: never; available: number; allowBackorder: boolean };

/** A cart's lines with their variants priced now (absent when gone) and their stock. */
export interface PricedItems {
  items: ItemRow[];
  live: Map<string, PurchasableVariant>;
  stock: Map<string, { available: number; allowBackorder: boolean }>;
}

export interface ShippingMethod extends ShippingRate {
  id: string;
  code: string;
  name: string;
  isDefault: boolean;
  active: boolean;
}

export interface CartLine {
  id: string;
  variantId: string;
  productId: string | null;
  sku: string | null;
  title: string;
  productTitle: string;
  quantity: number;
  unitPrice: number;
  regularPrice: number;
  total: number;
  weightGrams: number | null;
  purchasable: boolean;
  inStock: boolean;
  /** Stock available now at the best single location (internal: checkout's early refusal). */
  available: number;
  allowBackorder: boolean;
}

export interface PriceChange {
  itemId: string;
  variantId: string;
  previous: number;
  current: number;
}

export interface CartView {
  id: string;
  status: CartRow['status'];
  customerId: string | null;
  orderId: string | null;
  currency: string;
  items: CartLine[];
  discountCode: string | null;
  /** Why the code gives nothing right now (expired, minimum not reached...), when it does not apply. */
  discountProblem: string | null;
  shippingMethod: ShippingMethod | null;
  totals: Totals;
  /** Prices that changed since the shopper last saw this cart (now updated). */
  priceChanges: PriceChange[];
  createdAt: Date;
  updatedAt: Date;
}

const CART_COLUMNS = `id, customer_id, status, currency, discount_code, shipping_method_id, order_id,
  shown_shipping_method_id, shown_shipping_amount, shown_discount_amount, created_at, updated_at`;
const SHIPPING_COLUMNS = `id, code, name, kind, amount, free_over_amount AS "freeOverAmount", is_default AS "isDefault", active`;

/** A guest cart's id is its only credential: 192 random bits, never guessable or sequential. */
export const newCartId = () => randomBytes(24).toString('base64url');

/**
 * Carts: guest carts (reachable only by their secret id) and customer carts (reachable only with that
 * customer's token; anyone else gets 404). Lines show the live price; the price a shopper last saw is
 * kept, so checkout can refuse to charge a price they were never shown. Only an answer that shows the
 * cart moves a line's shown price (`build` with refresh), and it lists each move in priceChanges: adding
 * to a line, changing its quantity or merging carts never re-prices it on its own. The same refresh keeps the
 * shipping the answer showed (method and amount) and the discount it showed, which checkout compares in the same way.
 * Ids of variants, lines and shipping methods arrive as the caller typed them (the schemas' `uuid` format takes
 * either case) and are compared in JavaScript: every method lower-cases them first (`canonicalId`).
 */
export class CartService {
  constructor(
    private readonly em: EntityManager,
    private readonly deps: CartDeps,
  ) {}

  async create(customerId: string | null): Promise<CartView> {
    const id = newCartId();
    await query(this.em, `INSERT INTO cart (id, customer_id, currency) VALUES (?, ?::uuid, ?)`, [
      id,
      customerId,
      this.deps.settings.currency,
    ]);
    return this.view(id, customerId);
  }

  /** The cart if this caller may see it; 404 otherwise (never "forbidden": that would confirm the id exists). */
  async load(id: string, customerId: string | null): Promise<CartRow> {
    const rows = await query<CartRow>(this.em, `SELECT ${CART_COLUMNS} FROM cart WHERE id = ?`, [id]);
    const cart = rows[0];
    if (!cart || cart.status === 'merged' || (cart.customer_id !== null && cart.customer_id !== customerId))
      throw CartErrors.cartNotFound();
    return cart;
  }

  /** Locks an open cart for a change (concurrent edits of one cart queue up; a checked-out cart refuses). */
  private async lockOpen(id: string, customerId: string | null): Promise<CartRow> {
    const cart = await this.load(id, customerId);
    if (cart.status !== 'open') throw CartErrors.cartClosed(undefined, { orderId: cart.order_id });
    // The owner is checked again on the locked row: a guest cart claimed by a customer while this waited for
    // the lock is theirs now, and anyone else (another customer racing the claim, or a guest) is not let in.
    const rows = await query<CartRow>(
      this.em,
      `UPDATE cart SET updated_at = now()
        WHERE id = ? AND status = 'open' AND (customer_id IS NULL OR customer_id = ?::uuid)
        RETURNING ${CART_COLUMNS}`,
      [id, customerId],
    );
    if (rows[0]) return rows[0];
    // Closed meanwhile (a checkout: 409), deleted (the abandoned-cart purge held it: 404 as for any purged
    // cart, so the shop starts a new one; ADR 0046), or claimed by someone else meanwhile (404).
    const now = await this.load(id, customerId);
    throw CartErrors.cartClosed(undefined, { orderId: now.order_id });
  }

  async view(id: string, customerId: string | null): Promise<CartView> {
    const cart = await this.load(id, customerId);
    return this.build(cart, true);
  }

  async addItem(
    id: string,
    customerId: string | null,
    givenVariantId: string,
    quantity: number,
  ): Promise<CartView> {
    assertLineQuantity(quantity, 'body/quantity');
    const variantId = canonicalId(givenVariantId);
    await this.em.transactional(async (tx) => {
      const svc = new CartService(tx, this.deps);
      const cart = await svc.lockOpen(id, customerId);
      const items = await svc.items(cart.id);
      const existing = items.find((item) => item.variant_id === variantId);
      const variant = await svc.purchasable(variantId, existing ?? null);
      if (!existing && items.length >= MAX_LINES)
        throw CartErrors.tooManyItems(`At most ${MAX_LINES} different items`);
      const held = existing?.quantity ?? 0;
      const wanted = held + quantity;
      if (wanted > MAX_LINE_QUANTITY) {
        // The request is valid on its own: the line it adds to would hold too many.
        throw CommonErrors.validation(
          `The cart already holds ${held} of this item: at most ${MAX_LINE_QUANTITY} in one line`,
          {
            errors: [
              {
                path: 'body/quantity',
                message: `must be at most ${MAX_LINE_QUANTITY - held} (the line already holds ${held})`,
              },
            ],
          },
        );
      }
      await svc.assertAvailable(variantId, wanted, held);
      // A new line is shown at the live price by this very answer. An existing line keeps the price the
      // shopper last saw: if it moved, the answer's refresh lists the change (never a silent re-price).
      await query(
        tx,
        `INSERT INTO cart_item (cart_id, variant_id, quantity, unit_price) VALUES (?, ?::uuid, ?::int, ?::int)
         ON CONFLICT (cart_id, variant_id) DO UPDATE SET quantity = EXCLUDED.quantity, updated_at = now()`,
        [cart.id, variantId, wanted, variant.unitPrice],
      );
    });
    return this.view(id, customerId);
  }

  async updateItem(
    id: string,
    customerId: string | null,
    givenItemId: string,
    quantity: number,
  ): Promise<CartView> {
    assertLineQuantity(quantity, 'body/quantity');
    const itemId = canonicalId(givenItemId);
    await this.em.transactional(async (tx) => {
      const svc = new CartService(tx, this.deps);
      const cart = await svc.lockOpen(id, customerId);
      const item = (await svc.items(cart.id)).find((candidate) => candidate.id === itemId);
      if (!item) throw CartErrors.itemNotFound();
      await svc.purchasable(item.variant_id, item);
      if (quantity > item.quantity) await svc.assertAvailable(item.variant_id, quantity, 0);
      // The shown price stays: if it moved, the answer's refresh lists the change (never a silent re-price).
      await query(tx, `UPDATE cart_item SET quantity = ?::int, updated_at = now() WHERE id = ?::uuid`, [
        quantity,
        itemId,
      ]);
    });
    return this.view(id, customerId);
  }

  async removeItem(id: string, customerId: string | null, givenItemId: string): Promise<CartView> {
    const itemId = canonicalId(givenItemId);
    await this.em.transactional(async (tx) => {
      const svc = new CartService(tx, this.deps);
      const cart = await svc.lockOpen(id, customerId);
      const rows = await query(tx, `DELETE FROM cart_item WHERE id = ?::uuid AND cart_id = ? RETURNING id`, [
        itemId,
        cart.id,
      ]);
      if (!rows.length) throw CartErrors.itemNotFound();
    });
    return this.view(id, customerId);
  }

  async applyDiscount(id: string, customerId: string | null, code: string): Promise<CartView> {
    const discounts = this.deps.discounts;
    if (!discounts) throw CartErrors.discountsUnavailable();
    await this.em.transactional(async (tx) => {
      const svc = new CartService(tx, this.deps);
      const cart = await svc.lockOpen(id, customerId);
      const view = await svc.build(cart, false);
      // The shopper typed the code: why it does not apply is said on that field.
      const valid = await discounts
        .validate(tx, code.trim(), view.totals.subtotal, new Date(), cart.customer_id)
        .catch((err: unknown) => {
          throw onField(err, 'body/code');
        });
      await query(tx, `UPDATE cart SET discount_code = ? WHERE id = ?`, [valid.code, cart.id]);
    });
    return this.view(id, customerId);
  }

  async removeDiscount(id: string, customerId: string | null): Promise<CartView> {
    await this.em.transactional(async (tx) => {
      const cart = await new CartService(tx, this.deps).lockOpen(id, customerId);
      await query(tx, `UPDATE cart SET discount_code = NULL WHERE id = ?`, [cart.id]);
    });
    return this.view(id, customerId);
  }

  async setShippingMethod(id: string, customerId: string | null, givenMethodId: string): Promise<CartView> {
    const methodId = canonicalId(givenMethodId);
    await this.em.transactional(async (tx) => {
      const svc = new CartService(tx, this.deps);
      const cart = await svc.lockOpen(id, customerId);
      await svc.shippingMethod(methodId);
      await query(tx, `UPDATE cart SET shipping_method_id = ?::uuid WHERE id = ?`, [methodId, cart.id]);
    });
    return this.view(id, customerId);
  }

  /**
   * Checkout found the cart's chosen method withdrawn (and told the shopper): the cart falls back to the
   * default, which its view already shows, so a retry charges what is shown. Only that method is forgotten.
   */
  async forgetShippingMethod(id: string, methodId: string): Promise<void> {
    await query(
      this.em,
      `UPDATE cart SET shipping_method_id = NULL, updated_at = now() WHERE id = ? AND status = 'open' AND shipping_method_id = ?::uuid`,
      [id, methodId],
    );
  }

  /**
   * Sign-in: a guest cart joins the customer. If the customer already has an open cart, the guest's lines
   * are merged into it and the guest cart is retired; otherwise the guest cart simply becomes the customer's.
   * Answers the customer's cart (whose id may differ from `id`). A variant in both carts adds up to at most what
   * is available (unless it may be backordered) and 999, never below what either cart held: a merge adds no
   * unit adding could not. One claim of a customer at a time (two tabs signing in at once merge into one cart),
   * and a guest cart already merged into this customer's open cart answers that cart (a retried claim, the
   * other tab's sign-in) instead of 404.
   */
  async claim(id: string, customerId: string): Promise<CartView> {
    const resultId = await this.em.transactional(async (tx) => {
      const svc = new CartService(tx, this.deps);
      await query(tx, `SELECT pg_advisory_xact_lock(hashtextextended('cart-claim:' || ?, 0))`, [customerId]);
      const [mergedInto] = await query<{ id: string }>(
        tx,
        `SELECT t.id FROM cart g JOIN cart t ON t.id = g.merged_into
          WHERE g.id = ? AND g.status = 'merged' AND t.customer_id = ?::uuid AND t.status = 'open'`,
        [id, customerId],
      );
      if (mergedInto) return mergedInto.id;
      const guest = await svc.lockOpen(id, customerId);
      if (guest.customer_id === customerId) return guest.id;
      const [target] = await query<{ id: string }>(
        tx,
        `SELECT id FROM cart WHERE customer_id = ?::uuid AND status = 'open' AND id <> ? ORDER BY updated_at DESC LIMIT 1 FOR UPDATE`,
        [customerId, guest.id],
      );
      if (!target) {
        await query(tx, `UPDATE cart SET customer_id = ?::uuid WHERE id = ?`, [customerId, guest.id]);
        return guest.id;
      }
      // The merged cart holds at most MAX_LINES different items, as adding does: beyond, nothing is merged (both
      // carts stay as they are) and the shopper removes some from either cart first.
      const [merged] = await query<{ n: number }>(
        tx,
        `SELECT count(DISTINCT variant_id)::int AS n FROM cart_item WHERE cart_id IN (?, ?)`,
        [target.id, guest.id],
      );
      if ((merged?.n ?? 0) > MAX_LINES)
        throw CartErrors.tooManyItems(
          `Together the two carts hold ${merged!.n} different items, at most ${MAX_LINES} in one cart: remove some from either cart, then claim it again`,
          { maxItems: MAX_LINES, items: merged!.n, customerCartId: target.id },
        );
      // A variant in both carts was shown at two prices: the merged line keeps the one that is not the live
      // price (if either), so the answer lists the change rather than re-pricing either shown price silently.
      const { live, stock } = await svc.pricedItems(guest.id);
      const livePrices = Object.fromEntries([...live].map(([variantId, v]) => [variantId, v.unitPrice]));
      // What a line of each variant may hold after the merge, as adding allows (the stock, unless backordered).
      const caps = Object.fromEntries(
        [...stock].map(([variantId, s]) => [
          variantId,
          s.allowBackorder ? MAX_LINE_QUANTITY : Math.max(0, s.available),
        ]),
      );
      await query(
        tx,
        `INSERT INTO cart_item (cart_id, variant_id, quantity, unit_price)
         SELECT ?, variant_id, quantity, unit_price FROM cart_item WHERE cart_id = ?
         ON CONFLICT (cart_id, variant_id) DO UPDATE
           SET quantity = LEAST(
                 GREATEST(cart_item.quantity, EXCLUDED.quantity,
                          LEAST(cart_item.quantity + EXCLUDED.quantity, (?::jsonb ->> cart_item.variant_id::text)::int)),
                 ${MAX_LINE_QUANTITY}),
               unit_price = CASE WHEN cart_item.unit_price = (?::jsonb ->> cart_item.variant_id::text)::int
                                 THEN EXCLUDED.unit_price ELSE cart_item.unit_price END,
               updated_at = now()`,
        [target.id, guest.id, JSON.stringify(caps), JSON.stringify(livePrices)],
      );
      await query(
        tx,
        `UPDATE cart SET discount_code = COALESCE(discount_code, (SELECT discount_code FROM cart WHERE id = ?)), updated_at = now() WHERE id = ?`,
        [guest.id, target.id],
      );
      await query(tx, `UPDATE cart SET status = 'merged', merged_into = ? WHERE id = ?`, [
        target.id,
        guest.id,
      ]);
      return target.id;
    });
    return this.view(resultId, customerId);
  }

  async listShippingMethods(): Promise<ShippingMethod[]> {
    const rows = await query<ShippingMethod>(
      this.em,
      `SELECT ${SHIPPING_COLUMNS} FROM shipping_method WHERE active ORDER BY sort, name`,
    );
    return rows.map(normalizeShipping);
  }

  /** The given active method (404 otherwise), or the store default when none is given. */
  async shippingMethod(methodId: string | null): Promise<ShippingMethod | null> {
    const rows = methodId
      ? await query<ShippingMethod>(
          this.em,
          `SELECT ${SHIPPING_COLUMNS} FROM shipping_method WHERE id = ?::uuid AND active`,
          [methodId],
        )
      : await query<ShippingMethod>(
          this.em,
          `SELECT ${SHIPPING_COLUMNS} FROM shipping_method WHERE is_default AND active`,
        );
    if (methodId && !rows[0]) {
      throw CartErrors.shippingMethodNotFound(undefined, {
        errors: [{ path: 'body/shippingMethodId', message: 'unknown or inactive shipping method' }],
      });
    }
    return rows[0] ? normalizeShipping(rows[0]) : null;
  }

  /**
   * Checkout's first statement: closes the open cart (locking it: concurrent edits and a second checkout
   * wait, then see it closed) if this caller may check it out, and returns it with the shipping methods
   * checkout may need (the requested one, the cart's, the default). Null when the cart is not open or not
   * this caller's; `load` then tells which. A guest cart checked out by a signed-in customer becomes theirs
   * (as a claim would make it): its id is no key to their order, and a cart reopened after a refused payment
   * stays theirs.
   */
  async closeForCheckout(
    id: string,
    customerId: string | null,
    orderId: string,
    givenShippingMethodId: string | null,
  ): Promise<{ cart: CartRow; shippingMethods: ShippingMethod[]; priced: PricedItems } | null> {
    const shippingMethodId = givenShippingMethodId === null ? null : canonicalId(givenShippingMethodId);
    // The lines are read in the same round trip, right after the cart is locked (ADR 0040).
    const [closed, items] = await preparedAll(this.em, [
      {
        sql: `UPDATE cart SET status = 'completed', order_id = ?::uuid, customer_id = COALESCE(customer_id, ?::uuid), updated_at = now()
               WHERE id = ? AND status = 'open' AND (customer_id IS NULL OR customer_id = ?::uuid)
               RETURNING ${CART_COLUMNS},
                 (SELECT COALESCE(json_agg(m), '[]'::json) FROM (
                    SELECT ${SHIPPING_COLUMNS} FROM shipping_method
                     WHERE active AND (is_default OR id = cart.shipping_method_id OR id = ?::uuid)) m) AS shipping_methods`,
        params: [orderId, customerId, id, customerId, shippingMethodId],
      },
      this.pricedItemsStatement(id, new Date()),
    ]);
    const row = closed![0] as (CartRow & { shipping_methods: ShippingMethod[] }) | undefined;
    if (!row) return null;
    const { shipping_methods: shippingMethods, ...cart } = row;
    return {
      cart,
      shippingMethods: shippingMethods.map(normalizeShipping),
      priced: this.toPricedItems(items as PricedItemRow[]),
    };
  }

  /**
   * The cart's lines (oldest first) with their variants priced now and their stock, in one statement (the
   * catalog's pricing query over a sub-select of the lines). A line whose variant is gone has no entry in `live`.
   */
  async pricedItems(cartId: string, at: Date = new Date()): Promise<PricedItems> {
    const { sql, params } = this.pricedItemsStatement(cartId, at);
    return this.toPricedItems(await query<PricedItemRow>(this.em, sql, params));
  }

  private pricedItemsStatement(cartId: string, at: Date): { sql: string; params: unknown[] } {
    return {
      sql: `WITH items AS (SELECT id, variant_id, quantity, unit_price, created_at FROM cart_item WHERE cart_id = ?)
       SELECT i.id, i.variant_id, i.quantity, i.unit_price, i.created_at, to_jsonb(pv) AS live,
              ${availabilityColumns('i.variant_id')}
         FROM items i LEFT JOIN (${this.deps.variantSql.select('SELECT variant_id FROM items')}) pv ON pv.id = i.variant_id
        ORDER BY i.created_at, i.id`,
      params: [cartId, at.toISOString()],
    };
  }

  private toPricedItems(rows: PricedItemRow[]): PricedItems {
    const live = new Map<string, PurchasableVariant>();
    const stock = new Map<string, { available: number; allowBackorder: boolean }>();
    const items = rows.map(({ live: variant, available, allowBackorder, ...item }) => {
      if (variant) live.set(item.variant_id, this.deps.variantSql.fromRow(variant));
      stock.set(item.variant_id, { available: Number(available), allowBackorder });
      return item;
    });
    return { items, live, stock };
  }

  async items(cartId: string): Promise<ItemRow[]> {
    return query<ItemRow>(
      this.em,
      `SELECT id, variant_id, quantity, unit_price, created_at FROM cart_item WHERE cart_id = ? ORDER BY created_at, id`,
      [cartId],
    );
  }

  /**
   * The cart priced now. With `refresh`, lines whose price moved since the shopper last saw them are updated
   * (and listed in priceChanges), so what the shopper sees is what checkout will charge.
   */
  async build(
    cart: CartRow,
    refresh: boolean,
    shippingMethodId: string | null = cart.shipping_method_id,
    options: { shippingMethods?: ShippingMethod[]; priced?: PricedItems } = {},
  ): Promise<CartView> {
    const { items, live, stock } = options.priced ?? (await this.pricedItems(cart.id));
    const priceChanges: PriceChange[] = [];
    const lines = items.map((item): CartLine => {
      const variant = live.get(item.variant_id);
      const unitPrice = variant?.unitPrice ?? item.unit_price;
      if (variant && unitPrice !== item.unit_price) {
        priceChanges.push({
          itemId: item.id,
          variantId: item.variant_id,
          previous: item.unit_price,
          current: unitPrice,
        });
      }
      const availability = stock.get(item.variant_id) ?? { available: 0, allowBackorder: false };
      return {
        id: item.id,
        variantId: item.variant_id,
        productId: variant?.productId ?? null,
        sku: variant?.sku ?? null,
        title: variant?.title ?? '',
        productTitle: variant?.productTitle ?? '',
        quantity: item.quantity,
        unitPrice,
        regularPrice: variant?.regularPrice ?? unitPrice,
        total: unitPrice * item.quantity,
        weightGrams: variant?.weightGrams ?? null,
        purchasable: variant?.purchasable ?? false,
        inStock: availability.allowBackorder || availability.available >= item.quantity,
        available: Math.max(0, availability.available),
        allowBackorder: availability.allowBackorder,
      };
    });
    if (refresh && cart.status === 'open' && priceChanges.length) {
      for (const change of priceChanges) {
        await query(this.em, `UPDATE cart_item SET unit_price = ?::int WHERE id = ?::uuid`, [
          change.current,
          change.itemId,
        ]);
      }
    }
    const priced = lines.filter((line) => line.purchasable);
    const subtotal = priced.reduce((sum, line) => sum + line.total, 0);
    let discount = 0;
    let discountProblem: string | null = null;
    if (cart.discount_code && this.deps.discounts) {
      try {
        discount = (
          await this.deps.discounts.validate(
            this.em,
            cart.discount_code,
            subtotal,
            new Date(),
            cart.customer_id,
          )
        ).amount;
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        discountProblem = err.detail ?? err.title;
      }
    }
    const candidates = options.shippingMethods;
    const shippingMethod = candidates
      ? (candidates.find((method) => method.id === shippingMethodId) ??
        candidates.find((method) => method.isDefault) ??
        null)
      : await this.shippingMethod(shippingMethodId).catch((err: unknown) => {
          if (err instanceof AppError && err.code === CartErrors.shippingMethodNotFound.code)
            return this.shippingMethod(null);
          throw err;
        });
    const totals = computeTotals({
      lines: priced,
      discount,
      shipping: shippingMethod,
      taxRateBps: this.deps.settings.taxRateBps,
      pricesIncludeTax: this.deps.settings.pricesIncludeTax,
    });
    // The shipping and the discount this answer shows are what checkout may charge for them: kept when either
    // moved, in one statement (no write otherwise).
    const shownMethodId = shippingMethod?.id ?? null;
    if (
      refresh &&
      cart.status === 'open' &&
      (cart.shown_shipping_method_id !== shownMethodId ||
        cart.shown_shipping_amount !== totals.shipping ||
        cart.shown_discount_amount !== totals.discount)
    ) {
      await query(
        this.em,
        `UPDATE cart SET shown_shipping_method_id = ?::uuid, shown_shipping_amount = ?::int, shown_discount_amount = ?::int
          WHERE id = ? AND status = 'open'`,
        [shownMethodId, totals.shipping, totals.discount, cart.id],
      );
    }
    return {
      id: cart.id,
      status: cart.status,
      customerId: cart.customer_id,
      orderId: cart.order_id,
      currency: cart.currency,
      items: lines,
      discountCode: cart.discount_code,
      discountProblem,
      shippingMethod,
      totals,
      priceChanges,
      createdAt: cart.created_at,
      updatedAt: cart.updated_at,
    };
  }

  /**
   * The variant, for sale now. A variant that is not for sale (its product a draft, archived or deleted) is,
   * when added, the same 404 as an unknown id, as on every store route: an unpublished product is never
   * confirmed nor its SKU shown. Only a line the cart already holds, whose product was withdrawn since, is
   * 409 MCART_ERR_NOT_PURCHASABLE (the shopper removes it).
   */
  private async purchasable(variantId: string, line: ItemRow | null): Promise<PurchasableVariant> {
    const variant = (await this.deps.variants(this.em, [variantId])).get(variantId);
    if (variant?.purchasable) return variant;
    if (line)
      throw CartErrors.notPurchasable('This item is no longer for sale: remove it from the cart', {
        variants: [{ variantId, itemId: line.id }],
      });
    throw CartErrors.variantNotFound(undefined, {
      errors: [{ path: 'body/variantId', message: 'unknown variant' }],
    });
  }

  /**
   * The line may hold `quantity` of the variant (the stock, unless it may be backordered); refused on
   * `body/quantity`, the field the shopper sent, whose part `held` the line already holds (adding; 0 when the
   * quantity is the line's new one).
   */
  private async assertAvailable(variantId: string, quantity: number, held: number): Promise<void> {
    const stock = (await new InventoryService(this.em).availability([variantId])).get(variantId);
    if (stock?.allowBackorder) return;
    const available = Math.max(0, stock?.available ?? 0);
    if (available < quantity) {
      throw InventoryErrors.outOfStock(`Only ${available} available`, {
        variants: [{ variantId, requested: quantity, available }],
        errors: [
          {
            path: 'body/quantity',
            message: held
              ? `must be at most ${Math.max(0, available - held)} (${available} available, the line already holds ${held})`
              : `must be at most ${available} (${available} available)`,
          },
        ],
      });
    }
  }
}

export function assertLineQuantity(quantity: number, path: string): void {
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_LINE_QUANTITY) {
    throw CommonErrors.validation(`Quantity must be a whole number from 1 to ${MAX_LINE_QUANTITY}`, {
      errors: [{ path, message: `must be a whole number from 1 to ${MAX_LINE_QUANTITY}` }],
    });
  }
}

function normalizeShipping(row: ShippingMethod): ShippingMethod {
  return {
    ...row,
    amount: Number(row.amount),
    freeOverAmount: row.freeOverAmount === null ? null : Number(row.freeOverAmount),
  };
}
