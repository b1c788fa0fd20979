import type { FastifyInstance } from 'fastify';
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordChange } from '../../platform/outbox.ts';
import { refreshProductSearch } from './catalog.queries.ts';
import { prepared } from '../../platform/prepared.ts';

const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Keeps the store's precomputed prices exact at sale boundaries (ADR "sale pricing"). Each product_search row knows
 * until when its price holds (`price_valid_until`: the next start or end of a sale touching it). This
 * instance remembers the earliest such moment; a timer refreshes the due rows then, and a store read that
 * arrives at or after it first waits for that refresh, so no answer is ever computed from a stale price.
 */
export class PriceClock {
  private nextBoundary = Number.POSITIVE_INFINITY;
  private refreshedAt = 0;
  private refreshing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly earlierListeners: (() => void)[] = [];

  constructor(private readonly app: FastifyInstance) {}

  /**
   * Called when a reload finds a boundary earlier than the one known so far (a sale scheduled, a product moved
   * into a sale's category): answers cached until the old boundary must not be served past the new one.
   */
  onEarlierBoundary(listener: () => void): void {
    this.earlierListeners.push(listener);
  }

  /** The next moment a price changes by itself (epoch ms); answers computed before it must not outlive it. */
  get boundary(): number {
    return this.nextBoundary;
  }

  /**
   * When this instance last finished re-pricing at a boundary (epoch ms): what was read before it (totals,
   * facets, on-sale flags) may show the prices of before the boundary.
   */
  get lastRefresh(): number {
    return this.refreshedAt;
  }

  /** Cheap on the hot path: one comparison unless a boundary has passed. */
  ensureFresh(): Promise<void> | undefined {
    if (Date.now() < this.nextBoundary) return undefined;
    return this.refreshDue();
  }

  /**
   * From the primary, never the read pool: a lagging replica would give a boundary from before the write that
   * moved it (a new sale's start missed until the next catalogue change), or one already refreshed (a loop).
   */
  async reload(): Promise<void> {
    const [row] = await prepared<{ at: string | null }>(
      this.app.orm.em.fork(),
      `SELECT min(price_valid_until) AS at FROM product_search WHERE price_valid_until IS NOT NULL`,
    );
    this.setBoundary(row?.at ? new Date(row.at).getTime() : Number.POSITIVE_INFINITY);
  }

  private setBoundary(at: number): void {
    const earlier = at < this.nextBoundary;
    this.nextBoundary = at;
    if (earlier) for (const listener of this.earlierListeners) listener();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.closed || !Number.isFinite(at)) return;
    const delay = Math.min(Math.max(at - Date.now(), 0), MAX_TIMER_MS);
    this.timer = setTimeout(
      () => void this.refreshDue().catch((err) => this.app.log.warn({ err }, 'price refresh failed')),
      delay,
    );
    this.timer.unref();
  }

  refreshDue(): Promise<void> {
    this.refreshing ??= (async () => {
      try {
        // The app's clock decides (not the database's), so a skew between them cannot make this loop.
        const at = new Date();
        await this.app.orm.em.fork().transactional(async (em: EntityManager) => {
          // Another instance refreshing the same rows makes this wait, then skip them (re-checked after the lock).
          const rows = await em.execute<{ product_id: string }[]>(
            `SELECT product_id FROM product_search WHERE price_valid_until <= ? FOR UPDATE`,
            [at.toISOString()],
          );
          const ids = rows.map((r) => r.product_id);
          for (let i = 0; i < ids.length; i += 2000)
            await refreshProductSearch(em, ids.slice(i, i + 2000), at);
          if (ids.length) {
            recordChange(em, {
              resource: 'prices',
              ids,
              type: 'updated',
              payload: { scope: 'products', reason: 'sale-boundary' },
            });
            await em.flush();
          }
        });
        // Committed (or done by another instance, whose rows this one waited for): reads from now on see them.
        this.refreshedAt = Date.now();
        await this.reload();
      } finally {
        this.refreshing = undefined;
      }
    })();
    return this.refreshing;
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
  }
}
