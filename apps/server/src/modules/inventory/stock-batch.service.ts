import { TransactionPropagation } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, CommonErrors, type FieldError } from '../../platform/errors.ts';
import { canonicalId, InventoryService, type StaffActor, type StockLevel } from './inventory.service.ts';

export interface BatchLine {
  variantId: string;
  quantity: number;
}

export interface AdjustmentLine {
  variantId: string;
  delta: number;
}

/**
 * Several lines of stock work as one unit (a delivery scanned item by item, a counted shelf, a cart of
 * goods moved to another warehouse): every line is applied in one transaction, or none is. Each line
 * goes through the same single-line rule of InventoryService (one conditional statement + its ledger
 * row); lines are taken in variant-id order so that, like checkouts, batches lock levels in one global
 * order and never deadlock each other. A failing line's field errors name it: `body/lines/<i>/quantity`.
 */
export class StockBatchService {
  constructor(private readonly em: EntityManager) {}

  receive(
    input: { locationId?: string | undefined; reason?: string | undefined; lines: BatchLine[] },
    actor: StaffActor,
  ): Promise<{ variantId: string; movementId: string; level: StockLevel }[]> {
    return this.run(input.lines, (svc, line) =>
      svc.receive(
        {
          variantId: line.variantId,
          locationId: input.locationId,
          quantity: line.quantity,
          reason: input.reason,
        },
        actor,
      ),
    );
  }

  adjust(
    input: { locationId?: string | undefined; reason: string; lines: AdjustmentLine[] },
    actor: StaffActor,
  ): Promise<{ variantId: string; movementId: string; level: StockLevel }[]> {
    return this.run(input.lines, (svc, line) =>
      svc.adjust(
        { variantId: line.variantId, locationId: input.locationId, delta: line.delta, reason: input.reason },
        actor,
      ),
    );
  }

  transfer(
    input: { fromLocationId: string; toLocationId: string; reason?: string | undefined; lines: BatchLine[] },
    actor: StaffActor,
  ): Promise<{ variantId: string; transferId: string; from: StockLevel; to: StockLevel }[]> {
    return this.run(input.lines, (svc, line) =>
      svc.transfer(
        {
          variantId: line.variantId,
          fromLocationId: input.fromLocationId,
          toLocationId: input.toLocationId,
          quantity: line.quantity,
          reason: input.reason,
        },
        actor,
      ),
    );
  }

  private async run<L extends { variantId: string }, R extends object>(
    given: L[],
    apply: (svc: InventoryService, line: L) => Promise<R>,
  ): Promise<(R & { variantId: string })[]> {
    // One variant spelled in two cases is one variant (PostgreSQL compares uuids, not strings): normalised
    // before the duplicate check, the lock order and the answer.
    const lines = given.map((line) => ({ ...line, variantId: canonicalId(line.variantId) }));
    const seen = new Map<string, number>();
    const duplicates: FieldError[] = [];
    lines.forEach((line, index) => {
      if (seen.has(line.variantId))
        duplicates.push({
          path: `body/lines/${index}/variantId`,
          message: `repeats line ${seen.get(line.variantId)! + 1}`,
        });
      else seen.set(line.variantId, index);
    });
    if (duplicates.length)
      throw CommonErrors.validation('A variant may appear on one line only', { errors: duplicates });
    const order = lines
      .map((line, index) => ({ line, index }))
      .sort((a, b) =>
        a.line.variantId < b.line.variantId ? -1 : a.line.variantId > b.line.variantId ? 1 : 0,
      );
    // In the caller's transaction when it has one (the one that stores the batch's Idempotency-Key answer).
    return this.em.transactional(
      async (em) => {
        const svc = new InventoryService(em);
        const results: (R & { variantId: string })[] = new Array(lines.length);
        for (const { line, index } of order) {
          try {
            results[index] = { variantId: line.variantId, ...(await apply(svc, line)) };
          } catch (err) {
            throw err instanceof AppError ? onLine(err, index) : err;
          }
        }
        return results;
      },
      { propagation: TransactionPropagation.REQUIRED },
    );
  }
}

/**
 * The single-line error, its line fields' paths moved under the line, each to the field the line has
 * (`quantity`, an adjustment's `delta`, `variantId`); location paths stay where they are.
 */
function onLine(err: AppError, index: number): AppError {
  const lineFields = ['body/quantity', 'body/delta', 'body/variantId'];
  const linePath = (path: string) =>
    lineFields.includes(path) ? `body/lines/${index}/${path.slice('body/'.length)}` : path;
  const errors = err.errors?.map((error) => ({ ...error, path: linePath(error.path) }));
  const lineScoped = errors?.some((error) => error.path.startsWith('body/lines/')) ?? false;
  return new AppError(
    err.code,
    err.status,
    err.title,
    lineScoped ? `Line ${index + 1}: ${err.detail ?? err.title}` : err.detail,
    errors,
    { ...(err.extra ?? {}), ...(lineScoped ? { line: index } : {}) },
  );
}
