/**
 * A small bounded cache with stale-while-revalidate: a fresh entry is served as is, an expired one is served
 * while one background computation replaces it, a missing one is computed once for all concurrent callers.
 * `clear()` (on catalog changes) makes every entry stale, not missing, so no request waits for a rebuild.
 */
export class SwrCache<V> {
  private readonly entries = new Map<string, { value?: V; expiresAt: number; pending?: Promise<V> }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  async get(key: string, compute: () => Promise<V>): Promise<V> {
    const now = Date.now();
    let entry = this.entries.get(key);
    if (entry && entry.value !== undefined) {
      // Keep recently used keys at the end (LRU order).
      this.entries.delete(key);
      this.entries.set(key, entry);
      if (entry.expiresAt <= now && !entry.pending) this.revalidate(key, entry, compute).catch(() => {});
      return entry.value;
    }
    if (entry?.pending) return entry.pending;
    entry = { expiresAt: 0 };
    this.entries.set(key, entry);
    this.evict();
    return this.revalidate(key, entry, compute);
  }

  private revalidate(key: string, entry: { value?: V; expiresAt: number; pending?: Promise<V> }, compute: () => Promise<V>): Promise<V> {
    entry.pending = compute()
      .then((value) => {
        entry.value = value;
        entry.expiresAt = Date.now() + this.ttlMs;
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

  /** Drops every entry: the next read computes afresh (tests, after a bulk rebuild). */
  clear(): void {
    this.entries.clear();
  }

  /** Everything becomes stale (served once more while recomputed). */
  invalidate(): void {
    for (const entry of this.entries.values()) entry.expiresAt = 0;
  }
}
