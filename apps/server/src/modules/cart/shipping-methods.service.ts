import type { EntityManager } from '@mikro-orm/postgresql';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { CommonErrors, type FieldError } from '../../platform/errors.ts';
import { recordChange } from '../../platform/outbox.ts';
import { pgArray, query } from '../inventory/sql.ts';
import { CartErrors } from './cart.errors.ts';
import type { ShippingRate } from './totals.ts';
import { containing } from '../../platform/like.ts';

export interface ShippingMethodRecord extends ShippingRate {
  id: string;
  code: string;
  name: string;
  isDefault: boolean;
  active: boolean;
  sort: number;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** An amount as the API carries it; checked against the store currency here. */
export interface MoneyInput {
  amount: number;
  currency: string;
}

export interface ShippingMethodInput {
  code: string;
  name: string;
  kind: ShippingRate['kind'];
  amount: MoneyInput;
  freeOverAmount?: MoneyInput | null | undefined;
  isDefault?: boolean | undefined;
  active?: boolean | undefined;
  sort?: number | undefined;
}

export type ShippingMethodPatch = Partial<ShippingMethodInput> & { version?: number | undefined };

export interface ShippingMethodListInput {
  page?: number | undefined;
  perPage?: number | undefined;
  sort?: 'sort' | 'name' | 'code' | 'amount' | 'createdAt' | 'updatedAt' | undefined;
  order?: 'ASC' | 'DESC' | undefined;
  q?: string | undefined;
  active?: boolean | undefined;
  kind?: ShippingRate['kind'] | undefined;
  id?: string[] | undefined;
}

const COLUMNS = `id, code, name, kind, amount, free_over_amount AS "freeOverAmount", is_default AS "isDefault",
  active, sort, version, created_at AS "createdAt", updated_at AS "updatedAt"`;
const SORT_COLUMNS: Record<NonNullable<ShippingMethodListInput['sort']>, string> = {
  sort: 'sort',
  name: 'name',
  code: 'code',
  amount: 'amount',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
};
/** The transaction lock that takes changes of the default one at a time (see clearDefault). */
const DEFAULT_LOCK = 'shipping_method:default';
const RESOURCE = 'shipping-methods';

const normalizeCode = (code: string) => code.trim().toLowerCase();
const isCodeViolation = (err: unknown) =>
  err instanceof UniqueConstraintViolationException && /shipping_method_code_unique/.test(err.message);
const duplicateCode = () =>
  CartErrors.duplicateShippingMethodCode(undefined, {
    errors: [{ path: 'body/code', message: 'already exists' }],
  });
const staleWrite = () => CommonErrors.staleWrite('Reload the shipping method and apply your change again');

/**
 * Staff management of the shipping methods carts offer (CartService reads them). Methods are never deleted:
 * carts and orders refer to them, so one that is no longer offered is deactivated (ADR 0042). Exactly one
 * active method may be the default; making another one default unsets the previous one in the same
 * transaction.
 */
export class ShippingMethodsService {
  constructor(
    private readonly em: EntityManager,
    private readonly currency: string,
  ) {}

  async list(input: ShippingMethodListInput): Promise<{ data: ShippingMethodRecord[]; total: number }> {
    const conditions: string[] = [];
    const values: unknown[] = [];
    if (input.q?.trim()) {
      conditions.push(`(code ILIKE ? OR name ILIKE ?)`);
      const pattern = containing(input.q.trim());
      values.push(pattern, pattern);
    }
    if (input.active !== undefined) {
      conditions.push('active = ?');
      values.push(input.active);
    }
    if (input.kind) {
      conditions.push('kind = ?');
      values.push(input.kind);
    }
    if (input.id?.length) {
      conditions.push('id = ANY(?::uuid[])');
      values.push(pgArray(input.id));
    }
    const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
    const perPage = input.perPage ?? 25;
    const direction = input.order === 'DESC' ? 'DESC' : 'ASC';
    const [count] = await query<{ n: number }>(
      this.em,
      `SELECT count(*)::int AS n FROM shipping_method ${where}`,
      values,
    );
    const data = await query<ShippingMethodRecord>(
      this.em,
      `SELECT ${COLUMNS} FROM shipping_method ${where}
        ORDER BY ${SORT_COLUMNS[input.sort ?? 'sort']} ${direction}, name ${direction}, id
        LIMIT ?::int OFFSET ?::int`,
      [...values, perPage, ((input.page ?? 1) - 1) * perPage],
    );
    return { data, total: count?.n ?? 0 };
  }

  async get(id: string, options: { lock?: boolean } = {}): Promise<ShippingMethodRecord> {
    const [row] = await query<ShippingMethodRecord>(
      this.em,
      `SELECT ${COLUMNS} FROM shipping_method WHERE id = ?::uuid${options.lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    if (!row) throw CartErrors.shippingMethodNotFound();
    return row;
  }

  async create(input: ShippingMethodInput): Promise<ShippingMethodRecord> {
    const method = this.checked(
      {
        code: input.code,
        name: input.name,
        kind: input.kind,
        amount: input.amount,
        freeOverAmount: input.freeOverAmount ?? null,
        isDefault: input.isDefault ?? false,
        active: input.active ?? true,
        sort: input.sort ?? 0,
      },
      input,
    );
    try {
      return await this.em.transactional(async (em) => {
        await assertCodeFree(em, method.code, null);
        const previousDefaults = method.isDefault ? await clearDefault(em, null) : [];
        const [row] = await query<ShippingMethodRecord>(
          em,
          `INSERT INTO shipping_method (code, name, kind, amount, free_over_amount, is_default, active, sort)
           VALUES (?, ?, ?, ?::int, ?::int, ?, ?, ?::int) RETURNING ${COLUMNS}`,
          columnValues(method),
        );
        recordChange(em, { resource: RESOURCE, ids: [row!.id], type: 'created' });
        if (previousDefaults.length)
          recordChange(em, { resource: RESOURCE, ids: previousDefaults, type: 'updated' });
        return row!;
      });
    } catch (err) {
      if (isCodeViolation(err)) throw duplicateCode();
      throw err;
    }
  }

  /**
   * Changes what the patch names. A `version` that is not the current one is refused (409 stale write).
   * Switching to `flat` drops the threshold.
   */
  async update(id: string, patch: ShippingMethodPatch): Promise<ShippingMethodRecord> {
    try {
      return await this.em.transactional(async (em) => {
        // Locked: the version compared is the one overwritten, and a concurrent change of the default waits.
        const current = await new ShippingMethodsService(em, this.currency).get(id, { lock: true });
        if (patch.version !== undefined && patch.version !== current.version) throw staleWrite();
        // The default changes only by making another method the default (which unsets this one).
        if (current.isDefault && patch.isDefault === false) {
          throw CartErrors.shippingMethodIsDefault('Make another method the default instead', {
            errors: [{ path: 'body/isDefault', message: 'make another method the default instead' }],
          });
        }
        if (current.isDefault && patch.active === false) {
          throw CartErrors.shippingMethodIsDefault('The default shipping method cannot be deactivated', {
            errors: [{ path: 'body/active', message: 'make another method the default first' }],
          });
        }
        const kind = patch.kind ?? current.kind;
        const money = (amount: number | null) =>
          amount === null ? null : { amount, currency: this.currency };
        const method = this.checked(
          {
            code: patch.code ?? current.code,
            name: patch.name ?? current.name,
            kind,
            amount: patch.amount ?? money(current.amount)!,
            freeOverAmount:
              patch.freeOverAmount !== undefined
                ? patch.freeOverAmount
                : kind === 'flat'
                  ? null
                  : money(current.freeOverAmount),
            isDefault: patch.isDefault ?? current.isDefault,
            active: patch.active ?? current.active,
            sort: patch.sort ?? current.sort,
          },
          patch,
        );
        if (method.code !== current.code) await assertCodeFree(em, method.code, id);
        const previousDefaults = method.isDefault && !current.isDefault ? await clearDefault(em, id) : [];
        const [row] = await query<ShippingMethodRecord>(
          em,
          `UPDATE shipping_method
              SET code = ?, name = ?, kind = ?, amount = ?::int, free_over_amount = ?::int, is_default = ?,
                  active = ?, sort = ?::int, version = version + 1, updated_at = now()
            WHERE id = ?::uuid RETURNING ${COLUMNS}`,
          [...columnValues(method), id],
        );
        recordChange(em, { resource: RESOURCE, ids: [id, ...previousDefaults], type: 'updated' });
        return row!;
      });
    } catch (err) {
      if (isCodeViolation(err)) throw duplicateCode();
      throw err;
    }
  }

  /**
   * The method as it will be stored, or every field problem at once (400). `given` is the request, to
   * name the field a problem comes from (an update's merged values include unchanged ones).
   */
  private checked(
    method: {
      code: string;
      name: string;
      kind: ShippingRate['kind'];
      amount: MoneyInput;
      freeOverAmount: MoneyInput | null;
      isDefault: boolean;
      active: boolean;
      sort: number;
    },
    given: ShippingMethodPatch,
  ) {
    const currencies: FieldError[] = [];
    for (const [field, money] of [
      ['amount', method.amount],
      ['freeOverAmount', method.freeOverAmount],
    ] as const) {
      if (money && money.currency !== this.currency)
        currencies.push({ path: `body/${field}/currency`, message: `must be ${this.currency}` });
    }
    if (currencies.length) throw CartErrors.currencyMismatch(undefined, { errors: currencies });

    const errors: FieldError[] = [];
    const name = method.name.trim();
    if (!name) errors.push({ path: 'body/name', message: 'must not be blank' });
    if (method.kind === 'free_over' && method.freeOverAmount === null) {
      errors.push({ path: 'body/freeOverAmount', message: 'is required for a free_over method' });
    }
    if (method.kind === 'flat' && method.freeOverAmount !== null) {
      errors.push({ path: 'body/freeOverAmount', message: 'must be null for a flat method' });
    }
    // The store falls back to the default method: it must be one the store offers.
    if (method.isDefault && !method.active) {
      errors.push(
        given.active === false
          ? { path: 'body/active', message: 'the default method must be active' }
          : { path: 'body/isDefault', message: 'activate the method first (active: true)' },
      );
    }
    if (errors.length) throw CartErrors.invalidShippingMethod(undefined, { errors });
    return {
      code: normalizeCode(method.code),
      name,
      kind: method.kind,
      amount: method.amount.amount,
      freeOverAmount: method.freeOverAmount?.amount ?? null,
      isDefault: method.isDefault,
      active: method.active,
      sort: method.sort,
    };
  }
}

/** A checked method's values in the order INSERT and UPDATE name the columns. */
const columnValues = (method: {
  code: string;
  name: string;
  kind: string;
  amount: number;
  freeOverAmount: number | null;
  isDefault: boolean;
  active: boolean;
  sort: number;
}) => [
  method.code,
  method.name,
  method.kind,
  method.amount,
  method.freeOverAmount,
  method.isDefault,
  method.active,
  method.sort,
];

async function assertCodeFree(em: EntityManager, code: string, exceptId: string | null): Promise<void> {
  const [taken] = await query<{ id: string }>(
    em,
    `SELECT id FROM shipping_method WHERE lower(code) = ? AND id IS DISTINCT FROM ?::uuid`,
    [code, exceptId],
  );
  if (taken) throw duplicateCode();
}

/**
 * Unsets the current default (other than `exceptId`) and returns its id. Changes of the default take a
 * transaction lock first: two staff making different methods default at once would otherwise both clear
 * the old one and then collide on the single-default index.
 */
async function clearDefault(em: EntityManager, exceptId: string | null): Promise<string[]> {
  await query(em, `SELECT pg_advisory_xact_lock(hashtext(?))`, [DEFAULT_LOCK]);
  const rows = await query<{ id: string }>(
    em,
    `UPDATE shipping_method SET is_default = false, version = version + 1, updated_at = now()
      WHERE is_default AND id IS DISTINCT FROM ?::uuid RETURNING id`,
    [exceptId],
  );
  return rows.map((row) => row.id);
}
