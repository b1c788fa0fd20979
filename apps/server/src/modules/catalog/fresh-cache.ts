/**
 * A micro-cache for whole store answers (ADR "store list performance"): an entry lives at most `ttlMs` and
 * never past `until()` (the next sale boundary), concurrent misses for one key share one computation, and
 * `clear()` (a catalog change committed anywhere in the cluster) drops everything at once. A computation that
 * started before a `clear()` still answers the requests that were waiting for it, but is not kept.
 * Bounded in entries (least recently used out first).
 *
 * With `staleWhileRevalidate`, an entry past its `ttlMs` (but not past its sale boundary, and not cleared)
 * is still served once while a fresh one is computed in the background: a popular answer never makes a
 * request wait for the database just because its lifetime ran out.
 */
interface Entry<V> {
  value: V;
  expiresAt: number;
  /** The sale boundary when it was computed: never served at or after it (nor after the current one). */
  boundary: number;
}

export class FreshCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private readonly pending = new Map<string, Promise<V>>();
  private generation = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly until: () => number = () => Number.POSITIVE_INFINITY,
    private readonly options: { staleWhileRevalidate?: boolean } = {},
  ) {}

  get(key: string, compute: () => Promise<V>): Promise<V> {
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      const now = Date.now();
      if (now < entry.expiresAt) {
        this.entries.set(key, entry); // most recently used last
        return Promise.resolve(entry.value);
      }
      if (this.options.staleWhileRevalidate && now < Math.min(entry.boundary, this.until())) {
        this.entries.set(key, entry);
        if (!this.pending.has(key)) this.refresh(key, compute).catch(() => undefined); // next request retries
        return Promise.resolve(entry.value);
      }
    }
    return this.pending.get(key) ?? this.refresh(key, compute);
  }

  private refresh(key: string, compute: () => Promise<V>): Promise<V> {
    const generation = this.generation;
    const computation = compute()
      .then((value) => {
        if (generation === this.generation) {
          const boundary = this.until();
          this.entries.delete(key);
          this.entries.set(key, { value, expiresAt: Math.min(Date.now() + this.ttlMs, boundary), boundary });
          while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
        }
        return value;
      })
      .finally(() => {
        if (this.pending.get(key) === computation) this.pending.delete(key);
      });
    this.pending.set(key, computation);
    return computation;
  }

  /** Forget everything, including what is being computed now (its waiters still get it). */
  clear(): void {
    this.generation++;
    this.entries.clear();
    this.pending.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
