/**
 * A small bounded cache with stale-while-revalidate: a fresh entry is served as is, an expired one is served
 * while one background computation replaces it, a missing one is computed once for all concurrent callers.
 * `clear()` (on catalog changes) makes every entry stale, not missing, so no request waits for a rebuild.
 * An entry whose computation started before `validFrom()` (the store's last sale boundary: prices, the on-sale
 * flags and the price facets moved then) is not served at all, not even stale: it is computed again.
 */
interface Entry<V> {
  value?: V;
  expiresAt: number;
  computedAt: number;
  /** When the computation of `value` began (epoch ms): what it read was true then. */
  startedAt: number;
  minAgeMs: number;
  pending?: Promise<V>;
}

export class SwrCache<V> {
  private readonly entries = new Map<string, Entry<V>>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly validFrom: () => number = () => 0,
  ) {}

  async get(key: string, compute: () => Promise<V>): Promise<V> {
    const now = Date.now();
    let entry = this.entries.get(key);
    if (entry && entry.value !== undefined && entry.startedAt < this.validFrom()) {
      // From before the last boundary: forgotten (a revalidation still running writes to the forgotten entry).
      this.entries.delete(key);
      entry = undefined;
    }
    if (entry && entry.value !== undefined) {
      // Keep recently used keys at the end (LRU order).
      this.entries.delete(key);
      this.entries.set(key, entry);
      if (entry.expiresAt <= now && !entry.pending) this.revalidate(key, entry, compute).catch(() => {});
      return entry.value;
    }
    if (entry?.pending) return entry.pending;
    entry = { expiresAt: 0, computedAt: 0, startedAt: 0, minAgeMs: 0 };
    this.entries.set(key, entry);
    this.evict();
    return this.revalidate(key, entry, compute);
  }

  private revalidate(key: string, entry: Entry<V>, compute: () => Promise<V>): Promise<V> {
    const started = Date.now();
    entry.pending = compute()
      .then((value) => {
        const now = Date.now();
        // An expensive value (e.g. facets of the whole catalogue) is kept longer and recomputed less often,
        // so recomputing never takes more than a few percent of the database's time.
        const cost = now - started;
        entry.value = value;
        entry.computedAt = now;
        entry.startedAt = started;
        entry.minAgeMs = Math.min(Math.max(1_000, cost * 20), 60_000);
        entry.expiresAt = now + Math.min(Math.max(this.ttlMs, cost * 100), 600_000);
        return value;
      })
      .finally(() => {
        entry.pending = undefined;
        if (entry.value === undefined && this.entries.get(key) === entry) this.entries.delete(key);
      });
    return entry.pending;
  }

  private evict(): void {
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  /** Whether a value (fresh or stale) is there for the key, without computing or refreshing it. */
  has(key: string): boolean {
    const entry = this.entries.get(key);
    return entry?.value !== undefined && entry.startedAt >= this.validFrom();
  }

  /**
   * A value computed by the caller along with other work (e.g. in the same query), kept as if `get` had;
   * `startedAt`: when that work began.
   */
  set(key: string, value: V, startedAt: number = Date.now()): void {
    const now = Date.now();
    const entry = this.entries.get(key);
    if (startedAt < this.validFrom()) return; // read before the last boundary
    // Someone computed or is computing it (since the last boundary).
    if ((entry?.value !== undefined && entry.startedAt >= this.validFrom()) || entry?.pending) return;
    this.entries.delete(key);
    this.entries.set(key, {
      value,
      computedAt: now,
      startedAt,
      minAgeMs: 1_000,
      expiresAt: now + this.ttlMs,
    });
    this.evict();
  }

  /** Drops every entry: the next read computes afresh (tests, after a bulk rebuild). */
  clear(): void {
    this.entries.clear();
  }

  /** Everything becomes stale (served once more while recomputed). */
  invalidate(): void {
    for (const entry of this.entries.values())
      entry.expiresAt = Math.min(entry.expiresAt, entry.computedAt + entry.minAgeMs);
  }
}
