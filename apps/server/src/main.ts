import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { ConfigError, loadConfig } from './config.ts';
import { buildApp, gracefulShutdown, type AppConfig } from './app.ts';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './platform/embedded-postgres.ts';
import { resolveSecrets } from './platform/secrets.ts';
import {
  checkDatabase,
  checkTlsFiles,
  checkWritableFolder,
  isSettingMistake,
  listenProblem,
  StartupError,
} from './platform/startup-checks.ts';
import { ensureSelfSignedCertificate } from './platform/tls.ts';

/** Start: config -> database (embedded or DATABASE_URL) -> app -> listen; graceful shutdown on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  const config = loadConfig();
  // What the configuration names must be usable before anything starts: one line naming the variable, not a
  // stack trace from inside a library, nor (a misspelt database name) a new empty store.
  await checkWritableFolder('MCART_DATA_DIR', config.dataDir);
  await checkWritableFolder('BACKUP_DIR', config.backup.dir);
  if (!config.media.s3) await checkWritableFolder('MEDIA_DIR', config.media.dir);
  if (config.tls.enabled && config.tls.certFile && config.tls.keyFile)
    await checkTlsFiles(config.tls.certFile, config.tls.keyFile);
  if (config.database.url)
    await checkDatabase('DATABASE_URL', config.database.url, config.database.connectTimeoutMs);
  // A replica that is down for now does not stop the start (the catalogue's reads report it); a wrong setting does.
  if (config.database.readUrl)
    await checkDatabase('DATABASE_READ_URL', config.database.readUrl, config.database.connectTimeoutMs).catch(
      (err: unknown) => {
        if (isSettingMistake(err)) throw err;
        console.warn(`MCart starts without its read replica for now: ${(err as Error).message}`);
      },
    );
  const secrets = resolveSecrets(config);

  let embedded: EmbeddedPostgres | undefined;
  let databaseUrl = config.database.url;
  if (!databaseUrl) {
    console.log(`Starting embedded PostgreSQL in ${config.dataDir} ...`);
    embedded = await startEmbeddedPostgres({ dir: config.dataDir, port: config.database.embeddedPort });
    databaseUrl = embedded.url();
  }

  let tlsFiles: AppConfig['tlsFiles'];
  if (config.tls.enabled) {
    if (config.tls.certFile && config.tls.keyFile) {
      tlsFiles = { certFile: config.tls.certFile, keyFile: config.tls.keyFile };
    } else {
      tlsFiles = await ensureSelfSignedCertificate(config.dataDir);
      // The generated certificate is made again 30 days before it expires; the server loads the new files.
      setInterval(
        () =>
          void ensureSelfSignedCertificate(config.dataDir).catch((err: unknown) =>
            console.error('Could not renew the self-signed certificate', err),
          ),
        12 * 3600_000,
      ).unref();
    }
  }

  let app: FastifyInstance | undefined;
  // Drains in-flight requests (kept-alive connections end after theirs), stops the embedded PostgreSQL, exits;
  // after 25 s it exits 1 whatever still runs, with or without an embedded PostgreSQL.
  const shutdown = gracefulShutdown({
    closeApp: async (signal) => {
      app?.log.info({ signal }, 'shutting down: finishing in-flight requests');
      await app?.close();
    },
    stopDatabase: embedded?.stop,
    exit: (code) => process.exit(code),
    log: (message, err) => (err === undefined ? console.error(message) : console.error(message, err)),
  });
  // `on`, not `once`: the same stop often arrives twice (Ctrl-C reaches npm and node, and npm forwards it
  // to node again; a supervisor signalling the whole process group does the same). With `once`, the second
  // signal met Node's default action and killed the process mid-drain, leaving PostgreSQL running.
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  try {
    app = await buildApp({
      ...config,
      database: { ...config.database, url: databaseUrl },
      secrets,
      ...(tlsFiles ? { tlsFiles } : {}),
      onOwnerCreated: (owner) => {
        if (!owner.generatedPassword) return;
        const file = join(config.dataDir, 'admin-credentials.txt');
        writeFileSync(file, `email: ${owner.email}\npassword: ${owner.generatedPassword}\n`, { mode: 0o600 });
        console.log(
          `\n  Owner account created: ${owner.email} / ${owner.generatedPassword}\n  (also saved to ${file}; change it after signing in)\n`,
        );
      },
    });
    await app.listen({ host: config.host, port: config.port });
    console.log(`MCart is ready: ${config.publicUrl}/admin/  (API docs: ${config.publicUrl}/api/docs)`);
  } catch (err) {
    await app?.close().catch(() => {});
    await embedded?.stop();
    throw listenProblem(err, { port: config.port, metricsPort: config.metrics.port }) ?? err;
  }
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(err.message);
  else if (err instanceof StartupError) console.error(`MCart cannot start: ${err.message}`);
  else console.error('MCart failed to start:', err);
  process.exit(1);
});
