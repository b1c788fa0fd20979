import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CheckConstraintViolationException, UniqueConstraintViolationException } from '@mikro-orm/core';
import { recordChange } from '../../platform/outbox.ts';
import { CommonErrors, type FieldError } from '../../platform/errors.ts';
import { DiscountCodeSchema, type DiscountCode, type DiscountType } from './pricing.entities.ts';
import { PricingErrors } from './pricing.errors.ts';
import { containing } from '../../platform/like.ts';

export interface DiscountCodeInput {
  code: string;
  description?: string | undefined;
  discountType: DiscountType;
  discountValue: number;
  minSubtotal?: number | undefined;
  usageLimit?: number | null | undefined;
  perCustomerLimit?: number | null | undefined;
  startsAt?: Date | null | undefined;
  endsAt?: Date | null | undefined;
  active?: boolean | undefined;
}

export interface DiscountCodeListQuery {
  page?: number | undefined;
  perPage?: number | undefined;
  sort?: 'code' | 'createdAt' | 'endsAt' | 'usageCount' | undefined;
  order?: 'ASC' | 'DESC' | undefined;
  q?: string | undefined;
  active?: boolean | undefined;
}

export const normalizeCode = (code: string) => code.trim().toUpperCase();

/** How a redemption remembers the shopper's e-mail: enough to count their uses, without the address. */
const hashEmail = (email: string) => createHash('sha256').update(email.trim().toLowerCase()).digest('hex');

/** The discount a code gives on a subtotal: percent rounded half up, never more than the subtotal. */
export function discountFor(
  code: Pick<DiscountCode, 'discountType' | 'discountValue'>,
  subtotal: number,
): number {
  const raw =
    code.discountType === 'percent'
      ? Math.floor((subtotal * code.discountValue + 50) / 100)
      : code.discountValue;
  return Math.max(0, Math.min(subtotal, raw));
}

export interface ValidatedDiscount {
  codeId: string;
  code: string;
  discountType: DiscountType;
  discountValue: number;
  /** Amount off the subtotal, in minor units. */
  discount: number;
}

const isCodeViolation = (err: unknown) =>
  err instanceof UniqueConstraintViolationException && /discount_code_code_unique/.test(err.message);
/** A usage limit below the uses counted: a checkout redeemed the code between the check and the write. */
const isUsageViolation = (err: unknown) =>
  err instanceof CheckConstraintViolationException && /discount_code_usage/.test(err.message);

/**
 * Checks a code for a cart at a moment. Throws a typed error (unknown, expired, exhausted, minimum not met,
 * already used by this customer); never changes anything.
 */
export async function validateDiscountCode(
  em: EntityManager,
  code: string,
  subtotal: number,
  at: Date = new Date(),
  customerId?: string | null,
): Promise<ValidatedDiscount> {
  const rows = await em.execute<
    {
      id: string;
      code: string;
      discount_type: DiscountType;
      discount_value: number;
      min_subtotal: number;
      usage_limit: number | null;
      usage_count: number;
      per_customer_limit: number | null;
      starts_at: Date | null;
      ends_at: Date | null;
      active: boolean;
    }[]
  >(`SELECT * FROM discount_code WHERE upper(code) = ?`, [normalizeCode(code)]);
  const row = rows[0];
  if (!row || !row.active) throw PricingErrors.unknownCode();
  if ((row.starts_at && new Date(row.starts_at) > at) || (row.ends_at && new Date(row.ends_at) <= at))
    throw PricingErrors.expiredCode();
  if (row.usage_limit !== null && row.usage_count >= row.usage_limit) throw PricingErrors.exhaustedCode();
  if (subtotal < row.min_subtotal) {
    throw PricingErrors.minSubtotalNotMet(
      `The cart needs a subtotal of at least ${row.min_subtotal} (minor units)`,
      { minSubtotal: row.min_subtotal },
    );
  }
  if (customerId && row.per_customer_limit !== null) {
    const [used] = await em.execute<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM discount_redemption WHERE discount_code_id = ? AND customer_id = ?`,
      [row.id, customerId],
    );
    if ((used?.n ?? 0) >= row.per_customer_limit) throw PricingErrors.perCustomerLimit();
  }
  return {
    codeId: row.id,
    code: row.code,
    discountType: row.discount_type,
    discountValue: row.discount_value,
    discount: discountFor({ discountType: row.discount_type, discountValue: row.discount_value }, subtotal),
  };
}

/**
 * Counts one use of a code for an order, atomically under its limit (one conditional UPDATE, no read-then-write).
 * Call it inside the order's transaction. Redeeming the same order twice is a no-op (idempotent).
 * Throws exhausted / expired / unknown / per-customer errors like validateDiscountCode.
 */
export async function redeemDiscountCode(
  em: EntityManager,
  code: string,
  orderId: string,
  options: { customerId?: string | null; email?: string | null; at?: Date } = {},
): Promise<{ codeId: string }> {
  const at = options.at ?? new Date();
  const [existing] = await em.execute<{ id: string }[]>(
    `SELECT r.discount_code_id AS id FROM discount_redemption r JOIN discount_code d ON d.id = r.discount_code_id WHERE upper(d.code) = ? AND r.order_id = ?`,
    [normalizeCode(code), orderId],
  );
  if (existing) return { codeId: existing.id };
  const updated = await em.execute<{ id: string; per_customer_limit: number | null }[]>(
    `UPDATE discount_code SET usage_count = usage_count + 1, updated_at = now()
      WHERE upper(code) = ? AND active
        AND (usage_limit IS NULL OR usage_count < usage_limit)
        AND (starts_at IS NULL OR starts_at <= ?) AND (ends_at IS NULL OR ends_at > ?)
      RETURNING id, per_customer_limit`,
    [normalizeCode(code), at.toISOString(), at.toISOString()],
  );
  const row = updated[0];
  if (!row) {
    // Say why, from the row as it stands (nothing was changed).
    await validateDiscountCode(em, code, Number.MAX_SAFE_INTEGER, at);
    throw PricingErrors.exhaustedCode();
  }
  const emailHash = options.email ? hashEmail(options.email) : null;
  if ((options.customerId || emailHash) && row.per_customer_limit !== null) {
    // Uses by the account or by the e-mail address (a guest checkout is the same shopper). The UPDATE above
    // holds the code's row lock, so concurrent redemptions of this code count each other once committed.
    const [used] = await em.execute<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM discount_redemption
        WHERE discount_code_id = ? AND (customer_id = ? OR email_hash = ?)`,
      [row.id, options.customerId ?? null, emailHash],
    );
    // The caller's transaction rolls the increment back with this error.
    if ((used?.n ?? 0) >= row.per_customer_limit) throw PricingErrors.perCustomerLimit();
  }
  await em.execute(
    `INSERT INTO discount_redemption (id, discount_code_id, order_id, customer_id, email_hash) VALUES (gen_random_uuid(), ?, ?, ?, ?)`,
    [row.id, orderId, options.customerId ?? null, emailHash],
  );
  return { codeId: row.id };
}

/**
 * Gives back the use an order made of its code (the order was cancelled: declined, expired, cancelled by the
 * shopper or staff), in the cancelling transaction, so a shopper can use the code again. Idempotent.
 */
export async function releaseDiscountRedemption(em: EntityManager, orderId: string): Promise<void> {
  await em.execute(
    `WITH released AS (DELETE FROM discount_redemption WHERE order_id = ? RETURNING discount_code_id)
     UPDATE discount_code d SET usage_count = d.usage_count - 1, updated_at = now()
       FROM released r WHERE d.id = r.discount_code_id`,
    [orderId],
  );
}

/** Staff management of discount codes. */
export class DiscountCodesService {
  constructor(private readonly em: EntityManager) {}

  private check(input: Partial<DiscountCodeInput>): void {
    const errors: FieldError[] = [];
    if (input.discountType === 'percent' && input.discountValue !== undefined && input.discountValue > 100) {
      errors.push({ path: 'body/discountValue', message: 'must be at most 100 for a percentage' });
    }
    if (input.startsAt && input.endsAt && input.endsAt <= input.startsAt)
      errors.push({ path: 'body/endsAt', message: 'must be after startsAt' });
    if (errors.length) throw PricingErrors.invalidDiscountCode(undefined, { errors });
  }

  async get(id: string): Promise<DiscountCode> {
    const code = await this.em.findOne(DiscountCodeSchema, { id });
    if (!code) throw PricingErrors.discountCodeNotFound();
    return code;
  }

  async list(query: DiscountCodeListQuery): Promise<{ data: DiscountCode[]; total: number }> {
    const where = {
      ...(query.q ? { code: { $ilike: containing(query.q) } } : {}),
      ...(query.active !== undefined ? { active: query.active } : {}),
    };
    const perPage = query.perPage ?? 25;
    const [data, total] = await this.em.findAndCount(DiscountCodeSchema, where, {
      orderBy: { [query.sort ?? 'createdAt']: query.order ?? 'DESC', id: 'ASC' },
      limit: perPage,
      offset: ((query.page ?? 1) - 1) * perPage,
    });
    return { data, total };
  }

  async create(input: DiscountCodeInput): Promise<DiscountCode> {
    this.check(input);
    const code = normalizeCode(input.code);
    const [taken] = await this.em.execute<{ id: string }[]>(
      `SELECT id FROM discount_code WHERE upper(code) = ?`,
      [code],
    );
    if (taken)
      throw PricingErrors.duplicateDiscountCode(undefined, {
        errors: [{ path: 'body/code', message: 'already exists' }],
      });
    try {
      return await this.em.transactional(async (em) => {
        const entity = em.create(DiscountCodeSchema, {
          code,
          description: input.description ?? '',
          discountType: input.discountType,
          discountValue: input.discountValue,
          minSubtotal: input.minSubtotal ?? 0,
          usageLimit: input.usageLimit ?? null,
          usageCount: 0,
          perCustomerLimit: input.perCustomerLimit ?? null,
          startsAt: input.startsAt ?? null,
          endsAt: input.endsAt ?? null,
          active: input.active ?? true,
        });
        await em.flush();
        recordChange(em, { resource: 'discount-codes', ids: [entity.id], type: 'created' });
        await em.flush();
        return entity;
      });
    } catch (err) {
      if (isCodeViolation(err)) throw PricingErrors.duplicateDiscountCode();
      throw err;
    }
  }

  async update(id: string, patch: Partial<DiscountCodeInput> & { version: number }): Promise<DiscountCode> {
    const entity = await this.get(id);
    if (entity.version !== patch.version)
      throw CommonErrors.staleWrite('Reload the discount code and apply your change again');
    this.check({
      discountType: patch.discountType ?? entity.discountType,
      discountValue: patch.discountValue ?? entity.discountValue,
      startsAt: patch.startsAt !== undefined ? patch.startsAt : (entity.startsAt ?? null),
      endsAt: patch.endsAt !== undefined ? patch.endsAt : (entity.endsAt ?? null),
    });
    if (patch.usageLimit != null && patch.usageLimit < entity.usageCount) {
      throw PricingErrors.invalidDiscountCode(undefined, {
        errors: [{ path: 'body/usageLimit', message: `is below the ${entity.usageCount} uses so far` }],
      });
    }
    if (patch.code !== undefined && normalizeCode(patch.code) !== entity.code) {
      const [taken] = await this.em.execute<{ id: string }[]>(
        `SELECT id FROM discount_code WHERE upper(code) = ? AND id <> ?`,
        [normalizeCode(patch.code), id],
      );
      if (taken)
        throw PricingErrors.duplicateDiscountCode(undefined, {
          errors: [{ path: 'body/code', message: 'already exists' }],
        });
    }
    try {
      await this.em.transactional(async (em) => {
        const { version: _version, code, ...fields } = patch;
        if (code !== undefined) entity.code = normalizeCode(code);
        for (const [key, value] of Object.entries(fields)) {
          if (value !== undefined) (entity as unknown as Record<string, unknown>)[key] = value;
        }
        await em.flush();
        recordChange(em, { resource: 'discount-codes', ids: [id], type: 'updated' });
        await em.flush();
      });
    } catch (err) {
      if (isCodeViolation(err)) throw PricingErrors.duplicateDiscountCode();
      if (isUsageViolation(err))
        throw PricingErrors.invalidDiscountCode(undefined, {
          errors: [{ path: 'body/usageLimit', message: 'is below the uses so far (it was just used)' }],
        });
      throw err;
    }
    return entity;
  }

  async delete(id: string): Promise<void> {
    const entity = await this.get(id);
    await this.em.transactional(async (em) => {
      em.remove(entity);
      await em.flush();
      recordChange(em, { resource: 'discount-codes', ids: [id], type: 'deleted' });
      await em.flush();
    });
  }
}
