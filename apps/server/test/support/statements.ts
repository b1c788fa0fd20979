import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';

/**
 * Test-only: every SQL statement a piece of work sends to PostgreSQL, on any connection (MikroORM's
 * pool, the read pool, the rate-limit store), counted through `pg.Client#query`. Only statements sent
 * from inside `work`'s async context are recorded, so the outbox pump, jobs or other tests running
 * meanwhile do not count. One entry = one round trip (BEGIN and COMMIT included; a pipeline's statements
 * in one entry, joined by ` ; `).
 */
const recording = new AsyncLocalStorage<string[]>();
let installed = false;

function install(): void {
  if (installed) return;
  installed = true;
  const original = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  (pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function (
    this: pg.Client,
    ...args: unknown[]
  ) {
    const log = recording.getStore();
    if (log) {
      const first = args[0] as string | { text?: string; statements?: { text: string }[] } | undefined;
      const text =
        typeof first === 'string'
          ? first
          : (first?.text ?? first?.statements?.map((s) => s.text).join(' ; ') ?? String(first));
      log.push(text.replace(/\s+/g, ' ').trim());
    }
    return original.apply(this, args);
  };
}

export async function recordStatements<T>(
  work: () => Promise<T>,
): Promise<{ result: T; statements: string[] }> {
  install();
  const statements: string[] = [];
  // `.then` is called here, inside the recording context: app.inject() answers a lazy thenable that only
  // starts the request when `then` is called, and a thenable awaited later would lose the context.
  const result = await recording.run(
    statements,
    () => new Promise<T>((resolve, reject) => void work().then(resolve, reject)),
  );
  return { result, statements };
}
