import fp from 'fastify-plugin';
import PgBoss from 'pg-boss';
import { connectionLiveness } from './pg-session.ts';

export type JobHandler<T extends object> = (data: T, job: { id: string; name: string }) => Promise<void>;

interface Definition {
  name: string;
  handler: JobHandler<object>;
  options: {
    retryLimit?: number;
    retryDelay?: number;
    retryBackoff?: boolean;
    expireInSeconds?: number;
    /**
     * Jobs fetched at once (default 1). Each still succeeds or fails on its own; a full batch is followed by
     * the next fetch at once, so the queue is drained before the worker waits its polling interval.
     */
    batchSize?: number;
    policy?: 'standard' | 'singleton' | 'stately';
  };
  /** A cron expression to schedule, or null to remove a schedule stored by an earlier start. */
  cron?: string | null;
}

/**
 * What a job gets for an option its definition leaves out. Written into each queue in full (see `onReady`),
 * and the constructor's fallbacks for queues defined elsewhere (pg-boss's own would be 2 retries, no delay).
 */
const JOB_DEFAULTS = { retryLimit: 5, retryDelay: 5, retryBackoff: true, expireInSeconds: 15 * 60 } as const;

/**
 * Background jobs on PostgreSQL (pg-boss): retries with backoff, cron schedules that run once across a
 * cluster, nothing held in the process. Modules `define` workers in `register`; the queue starts when the
 * app is ready and stops (waiting for running jobs) on close.
 */
export interface Jobs {
  readonly enabled: boolean;
  define<T extends object>(name: string, handler: JobHandler<T>, options?: Definition['options']): void;
  /** Runs `name` on a cron expression (UTC); one instance at a time. */
  schedule(name: string, cron: string): void;
  /**
   * Removes `name`'s schedule. pg-boss keeps schedules in the database, not in the process: one set by an
   * earlier start (of this instance or another) goes on running until an instance removes it.
   */
  unschedule(name: string): void;
  send(name: string, data: object, options?: PgBoss.SendOptions): Promise<string | null>;
  /** Queue depth per queue, for /metrics and tests. */
  queueSizes(): Promise<Record<string, number>>;
}

declare module 'fastify' {
  interface FastifyInstance {
    jobs: Jobs;
  }
}

export const jobsPlugin = fp<{ url: string; enabled: boolean; connectTimeoutMs?: number }>(
  async (app, options) => {
    const definitions = new Map<string, Definition>();
    const boss = new PgBoss({
      connectionString: options.url,
      schema: 'pgboss',
      max: 2,
      application_name: 'mcart-jobs',
      ...connectionLiveness(options.connectTimeoutMs),
      ...JOB_DEFAULTS,
    });
    boss.on('error', (err) => app.log.error({ err }, 'job queue error'));
    let started = false;

    const jobs: Jobs = {
      enabled: options.enabled,
      define(name, handler, definitionOptions = {}) {
        const existing = definitions.get(name);
        definitions.set(name, {
          ...existing,
          name,
          handler: handler as JobHandler<object>,
          options: definitionOptions,
        });
      },
      schedule(name, cron) {
        const existing = definitions.get(name);
        if (!existing) throw new Error(`schedule(${name}): define the job first`);
        existing.cron = cron;
      },
      unschedule(name) {
        const existing = definitions.get(name);
        if (!existing) throw new Error(`unschedule(${name}): define the job first`);
        existing.cron = null;
      },
      async send(name, data, sendOptions) {
        if (!started) throw new Error(`Job queue is not running (MCART_JOBS=off?): cannot send ${name}`);
        return sendOptions ? boss.send(name, data, sendOptions) : boss.send(name, data);
      },
      async queueSizes() {
        if (!started) return {};
        const sizes: Record<string, number> = {};
        for (const name of definitions.keys()) sizes[name] = await boss.getQueueSize(name);
        return sizes;
      },
    };
    app.decorate('jobs', jobs);

    if (!options.enabled) return;
    app.addHook('onReady', async () => {
      await boss.start();
      started = true;
      for (const definition of definitions.values()) {
        const { batchSize, policy, retryLimit, retryDelay, retryBackoff, expireInSeconds } =
          definition.options;
        const queue: PgBoss.Queue = {
          name: definition.name,
          policy: policy ?? 'standard',
          retryLimit: retryLimit ?? JOB_DEFAULTS.retryLimit,
          retryDelay: retryDelay ?? JOB_DEFAULTS.retryDelay,
          retryBackoff: retryBackoff ?? JOB_DEFAULTS.retryBackoff,
          expireInSeconds: expireInSeconds ?? JOB_DEFAULTS.expireInSeconds,
        };
        // The queue's row, shared by the cluster, holds the options each job is sent with, and createQueue
        // leaves an existing row as it is: update it too, so the configuration of the instance that starts
        // last wins (a changed MAIL_RETRY_DELAY_SECONDS takes effect with the rolling restart that brings
        // it). Every option is given, since updateQueue keeps the stored value of one left out. Jobs already
        // queued keep the options they were sent with.
        await boss.createQueue(definition.name, queue);
        await boss.updateQueue(definition.name, queue);
        // Each job of a batch settles on its own: a failing one is failed (and retried with its backoff) alone,
        // the others complete, and the ones after it still run. A full batch means more are waiting: the worker
        // fetches again at once instead of after pg-boss's polling interval (2 s), so a queue with batchSize
        // is drained before it waits (mail.send used to send one e-mail per 2 s).
        const size = batchSize ?? 1;
        const worker: { id?: string } = {};
        worker.id = await boss.work<object>(definition.name, { batchSize: size }, async (batch) => {
          for (const job of batch) {
            try {
              await definition.handler(job.data, { id: job.id, name: job.name });
            } catch (err) {
              if (batch.length === 1) throw err;
              await boss.fail(definition.name, job.id, err as object);
            }
          }
          if (size > 1 && batch.length >= size && worker.id) boss.notifyWorker(worker.id);
        });
        // Schedules are the cluster's too (a table): the instance that starts last sets or removes them.
        if (definition.cron) await boss.schedule(definition.name, definition.cron, {}, { tz: 'UTC' });
        else if (definition.cron === null) await boss.unschedule(definition.name);
      }
    });
    app.addHook('onClose', async () => {
      if (started) await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    });
  },
  { name: 'mcart-jobs', dependencies: ['mcart-db'] },
);
