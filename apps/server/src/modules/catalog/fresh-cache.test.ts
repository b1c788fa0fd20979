import { afterEach, describe, expect, it, vi } from 'vitest';
import { FreshCache } from './fresh-cache.ts';

const deferred = <T>() => {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
};

describe('FreshCache (store answer micro-cache)', () => {
  afterEach(() => vi.useRealTimers());

  it('computes once for concurrent misses and serves the answer until it expires', async () => {
    vi.useFakeTimers({ now: 1_000 });
    const cache = new FreshCache<number>(250, 10);
    let calls = 0;
    const compute = async () => ++calls;
    expect(await Promise.all([cache.get('k', compute), cache.get('k', compute)])).toEqual([1, 1]);
    vi.setSystemTime(1_249);
    expect(await cache.get('k', compute)).toBe(1);
    vi.setSystemTime(1_250);
    expect(await cache.get('k', compute)).toBe(2);
  });

  it('never keeps an answer past the next price boundary', async () => {
    vi.useFakeTimers({ now: 1_000 });
    let boundary = 1_100;
    const cache = new FreshCache<number>(250, 10, () => boundary);
    let calls = 0;
    await cache.get('k', async () => ++calls);
    vi.setSystemTime(1_100);
    boundary = Number.POSITIVE_INFINITY;
    expect(await cache.get('k', async () => ++calls)).toBe(2);
  });

  it('clear() drops answers and does not keep one computed across it', async () => {
    const cache = new FreshCache<string>(60_000, 10);
    const slow = deferred<string>();
    const before = cache.get('k', () => slow.promise);
    cache.clear();
    slow.resolve('old');
    expect(await before).toBe('old'); // its waiters still get it
    expect(await cache.get('k', async () => 'new')).toBe('new');
    cache.clear();
    expect(await cache.get('k', async () => 'newer')).toBe('newer');
  });

  it('does not cache failures and stays bounded, least recently used out first', async () => {
    const cache = new FreshCache<number>(60_000, 2);
    await expect(cache.get('x', () => Promise.reject(new Error('db down')))).rejects.toThrow('db down');
    expect(await cache.get('x', async () => 1)).toBe(1);
    await cache.get('y', async () => 2);
    await cache.get('x', async () => 99); // x used again: y is now the oldest
    await cache.get('z', async () => 3);
    expect(cache.size).toBe(2);
    expect(await cache.get('x', async () => 100)).toBe(1);
    expect(await cache.get('y', async () => 200)).toBe(200);
  });

  it('with stale-while-revalidate, serves an expired answer once while computing the next in the background', async () => {
    vi.useFakeTimers({ now: 1_000 });
    let boundary = Number.POSITIVE_INFINITY;
    const cache = new FreshCache<number>(250, 10, () => boundary, { staleWhileRevalidate: true });
    let calls = 0;
    const next = deferred<number>();
    expect(await cache.get('k', async () => ++calls)).toBe(1);
    vi.setSystemTime(1_300);
    // Expired: the old answer at once, one refresh running (not two).
    expect(await cache.get('k', () => next.promise)).toBe(1);
    expect(await cache.get('k', async () => ++calls)).toBe(1);
    next.resolve(2);
    await Promise.resolve();
    await Promise.resolve();
    expect(await cache.get('k', async () => ++calls)).toBe(2);
    expect(calls).toBe(1);

    // A failed refresh keeps serving the old answer and the next request tries again.
    vi.setSystemTime(1_600);
    expect(await cache.get('k', () => Promise.reject(new Error('db down')))).toBe(2);
    await Promise.resolve();
    expect(await cache.get('k', async () => 3)).toBe(2);
    await Promise.resolve();
    await Promise.resolve();
    expect(await cache.get('k', async () => 4)).toBe(3);

    // Never past a sale boundary, and never after clear().
    boundary = 2_000;
    vi.setSystemTime(2_000);
    expect(await cache.get('k', async () => 6)).toBe(6);
    cache.clear();
    expect(await cache.get('k', async () => 7)).toBe(7);
  });
});
