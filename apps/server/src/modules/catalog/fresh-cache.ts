/**
 * A micro-cache for whole store answers (ADR "store list performance"): an entry lives at most `ttlMs` and
 * never past `until()` (the next sale boundary), concurrent misses for one key share one computation, and
 * `clear()` (a catalog change committed anywhere in the cluster) drops everything at once. A computation that
 * started before a `clear()` still answers the requests that were waiting for it, but is not kept.
 * Bounded in entries (least recently used out first).
 */
interface Entry<V> {
  value: V;
  expiresAt: number;
}

export class FreshCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private readonly pending = new Map<string, Promise<V>>();
  private generation = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly until: () => number = () => Number.POSITIVE_INFINITY,
  ) {}

  get(key: string, compute: () => Promise<V>): Promise<V> {
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      if (Date.now() < entry.expiresAt) {
        this.entries.set(key, entry); // most recently used last
        return Promise.resolve(entry.value);
      }
    }
    const running = this.pending.get(key);
    if (running) return running;
    const generation = this.generation;
    const computation = compute()
      .then((value) => {
        if (generation === this.generation) {
          this.entries.set(key, { value, expiresAt: Math.min(Date.now() + this.ttlMs, this.until()) });
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
