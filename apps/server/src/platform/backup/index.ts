import pg from 'pg';
import client from 'prom-client';
import type { MCartModule } from '../../modules/module.ts';
import { backupAdminRoutes } from './admin.routes.ts';
import { BackupService } from './backup.service.ts';
import { BackupDrill } from './drill.ts';
import { FieldCipher } from '../crypto.ts';
import { createStorage } from './storage.ts';
import { connectionLiveness } from '../pg-session.ts';
import { fromDatabase } from '../metrics.ts';

declare module 'fastify' {
  interface FastifyInstance {
    backups: BackupService;
    backupDrill: BackupDrill;
  }
}

export const BACKUP_JOB = 'backup.scheduled';
/** The restore drill (drill.ts, ADR 0060), on BACKUP_DRILL_CRON. */
export const BACKUP_DRILL_JOB = 'backup.restore-drill';

/**
 * Backups: scheduled through the job queue (once across the cluster), started by the owner from the
 * admin API, and the CLI (src/cli.ts) for backup and restore. See docs/operations.md.
 */
export const backupModule: MCartModule = {
  name: 'backup',
  entities: [],
  async register(app, config) {
    // A small pool of its own on the primary: the run record must never be read from a lagging replica.
    const pool = new pg.Pool({
      ...connectionLiveness(config.database.connectTimeoutMs),
      connectionString: config.database.url,
      max: 2,
      application_name: 'mcart-backup',
    });
    pool.on('error', (err) => app.log.warn({ err }, 'idle backup-pool client failed'));
    const storage = await createStorage(config.backup);
    const service = new BackupService({
      databaseUrl: config.database.url,
      pool,
      storage,
      config: config.backup,
      connectTimeoutMs: config.database.connectTimeoutMs,
      log: {
        info: (obj, msg) => app.log.info(obj, msg),
        error: (obj, msg) => app.log.error(obj, msg),
      },
    });
    app.decorate('backups', service);
    const drill = new BackupDrill({
      databaseUrl: config.database.url,
      drillDatabaseUrl: config.backup.drillDatabaseUrl,
      pool,
      storage,
      // The keys this server runs with: a backup they cannot read fails its drill, as its restore would be refused.
      encryption: {
        cipher: new FieldCipher(config.secrets.encryptionKeys),
        source: "this server's MCART_ENCRYPTION_KEYS (or its data folder's secrets.json)",
      },
      connectTimeoutMs: config.database.connectTimeoutMs,
      log: {
        info: (obj, msg) => app.log.info(obj, msg),
        error: (obj, msg) => app.log.error(obj, msg),
      },
    });
    app.decorate('backupDrill', drill);
    app.addHook('onClose', async () => {
      // A drill started here drops its scratch database and records its outcome before the pool closes.
      await drill.settle();
      await pool.end();
    });

    app.jobs.define(
      BACKUP_JOB,
      async () => {
        await service.runToEnd('scheduled');
      },
      // A missed backup is taken at the next tick; retrying a failed one at once rarely helps.
      { retryLimit: 0, expireInSeconds: 6 * 3600, policy: 'singleton' },
    );
    // The schedule lives in the database (pg-boss), not in this process: BACKUP_CRON=off must remove the
    // one an earlier start set, or backups go on. The instance that starts last (jobs on) decides for all.
    if (config.backup.cron) app.jobs.schedule(BACKUP_JOB, config.backup.cron);
    else app.jobs.unschedule(BACKUP_JOB);

    app.jobs.define(
      BACKUP_DRILL_JOB,
      async () => {
        await drill.runToEnd();
      },
      // Once across the cluster (singleton, and the drill's own advisory lock); a failed drill is recorded, not retried.
      { retryLimit: 0, expireInSeconds: 6 * 3600, policy: 'singleton' },
    );
    // As for BACKUP_CRON: BACKUP_DRILL_CRON=off removes a schedule an earlier start stored.
    if (config.backup.drillCron) app.jobs.schedule(BACKUP_DRILL_JOB, config.backup.drillCron);
    else app.jobs.unschedule(BACKUP_DRILL_JOB);

    if (app.hasDecorator('metrics')) {
      new client.Gauge({
        name: 'mcart_backup_last_success_timestamp_seconds',
        help: 'When the newest succeeded backup finished (Unix time; 0: none yet). Alert when older than twice the BACKUP_CRON interval',
        registers: [app.metrics.registry],
        async collect() {
          // The database not answering keeps the last figure read: a past success stays a fact.
          const rows = await fromDatabase(
            app.log,
            'mcart_backup_last_success_timestamp_seconds',
            async () => {
              const result = await pool.query<{ at: string | null }>(
                `SELECT extract(epoch FROM max(finished_at)) AS at FROM backup_run WHERE status = 'succeeded'`,
              );
              return result.rows;
            },
          );
          if (rows) this.set(Math.floor(Number(rows[0]?.at ?? 0)));
        },
      });
      // A failed run (a full disk, a file that failed its read-back check, a lost connection) shows at once,
      // not only once the last success has grown old: 1 while the newest finished backup is a failed one.
      new client.Gauge({
        name: 'mcart_backup_last_run_failed',
        help: 'Whether the newest finished backup failed (1) or succeeded (0; also with no backup yet). Its error is in Settings > Backups and the log',
        registers: [app.metrics.registry],
        async collect() {
          const rows = await fromDatabase(app.log, 'mcart_backup_last_run_failed', async () => {
            const result = await pool.query<{ status: string }>(
              `SELECT status FROM backup_run WHERE status <> 'running' ORDER BY started_at DESC, id LIMIT 1`,
            );
            return result.rows;
          });
          if (rows) this.set(rows[0]?.status === 'failed' ? 1 : 0);
        },
      });
      // The restore drill (ADR 0060): when a backup was last proven to restore, and whether the newest drill failed.
      new client.Gauge({
        name: 'mcart_backup_last_drill_passed_timestamp_seconds',
        help: 'When the newest passed restore drill finished (Unix time; 0: none yet). Alert when older than twice the BACKUP_DRILL_CRON interval',
        registers: [app.metrics.registry],
        async collect() {
          const rows = await fromDatabase(
            app.log,
            'mcart_backup_last_drill_passed_timestamp_seconds',
            async () => {
              const result = await pool.query<{ at: string | null }>(
                `SELECT extract(epoch FROM max(drilled_at)) AS at FROM backup_run WHERE drill_status = 'passed'`,
              );
              return result.rows;
            },
          );
          if (rows) this.set(Math.floor(Number(rows[0]?.at ?? 0)));
        },
      });
      new client.Gauge({
        name: 'mcart_backup_last_drill_failed',
        help: 'Whether the newest restore drill failed (1) or passed (0; also with no drill yet). Its reason is in Settings > Backups and the log',
        registers: [app.metrics.registry],
        async collect() {
          const rows = await fromDatabase(app.log, 'mcart_backup_last_drill_failed', async () => {
            const result = await pool.query<{ drill_status: string }>(
              `SELECT drill_status FROM backup_run WHERE drilled_at IS NOT NULL ORDER BY drilled_at DESC, id LIMIT 1`,
            );
            return result.rows;
          });
          if (rows) this.set(rows[0]?.drill_status === 'failed' ? 1 : 0);
        },
      });
    }

    await app.register(backupAdminRoutes, { service, drill });
  },
};
