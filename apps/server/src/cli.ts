import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import pg from 'pg';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './platform/embedded-postgres.ts';
import { BackupService } from './platform/backup/backup.service.ts';
import { createStorage, fetchBackup } from './platform/backup/storage.ts';
import {
  backupFileSize,
  restoreDatabase,
  RestoreRefusedError,
  verifyBackup,
  type RestoreOptions,
} from './platform/backup/restore.ts';
import { allEntities } from './app.ts';
import { createOrm } from './platform/db.ts';
import { FieldCipher } from './platform/crypto.ts';
import { resolveSecrets } from './platform/secrets.ts';
import { AuditService } from './modules/audit/audit.service.ts';
import { TotpService } from './modules/identity/totp.service.ts';

/**
 * Operator commands, with the server's own configuration (environment, MCART_DATA_DIR, DATABASE_URL):
 *   backup            take a backup now, into BACKUP_DIR or the S3 bucket
 *   restore <file> [--ignore-encryption-keys]
 *                     restore a backup file (or s3://bucket/key) into an empty database; refused when the
 *                     configured encryption keys cannot read the backup's encrypted personal data, unless
 *                     --ignore-encryption-keys (those fields then stay unreadable)
 *   verify <file>     check a backup file's checksums without touching any database
 *   staff-totp-reset <email>
 *                     clear a staff member's second factor and end their sessions (an owner who lost their
 *                     authenticator, with no other owner to reset it from the desktop app; ADR 0031)
 */
const USAGE = `Usage:
  npm run backup
  npm run restore -- <file> [--ignore-encryption-keys]
                                       (or an s3://bucket/key location, with BACKUP_S3_* set)
  npm run verify-backup -- <file>
  npm run staff-totp-reset -- <email>`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, but belongs to another user (the postgres user when the server runs as root).
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

interface Database {
  url: string;
  describe: string;
  stop: () => Promise<void>;
}

/**
 * The database the server uses: DATABASE_URL, or the embedded one in the data folder. When a server is
 * running on the embedded database, we connect to its PostgreSQL (found through postmaster.pid) rather
 * than start a second one on the same folder (which would stop the first).
 */
async function openDatabase(config: Config): Promise<Database> {
  if (config.database.url) {
    const url = new URL(config.database.url);
    return { url: config.database.url, describe: `${url.host}${url.pathname}`, stop: async () => {} };
  }
  const pidFile = join(config.dataDir, 'pgdata', 'postmaster.pid');
  const passwordFile = join(config.dataDir, 'pg-password');
  if (existsSync(pidFile) && existsSync(passwordFile)) {
    const lines = readFileSync(pidFile, 'utf8').split('\n');
    const pid = Number(lines[0]);
    const port = Number(lines[3]);
    if (Number.isInteger(pid) && alive(pid) && Number.isInteger(port) && (await portOpen(port))) {
      const password = readFileSync(passwordFile, 'utf8').trim();
      return {
        url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
        describe: `the running embedded PostgreSQL of ${config.dataDir} (port ${port})`,
        stop: async () => {},
      };
    }
  }
  console.log(`Starting the embedded PostgreSQL in ${config.dataDir} ...`);
  const embedded: EmbeddedPostgres = await startEmbeddedPostgres({
    dir: config.dataDir,
    port: config.database.embeddedPort,
  });
  return {
    url: embedded.url(),
    describe: `the embedded PostgreSQL of ${config.dataDir}`,
    stop: () => embedded.stop(),
  };
}

const bar = (unit: string) =>
  new cliProgress.SingleBar(
    {
      format: `{task} [{bar}] {percentage}% | {value}/{total} ${unit} | {detail}`,
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );

async function backup(config: Config): Promise<void> {
  const database = await openDatabase(config);
  const pool = new pg.Pool({ connectionString: database.url, max: 2, application_name: 'mcart-cli' });
  const progress = bar('tables');
  try {
    console.log(`Backing up ${database.describe}`);
    const storage = await createStorage(config.backup);
    const service = new BackupService({
      databaseUrl: database.url,
      pool,
      storage,
      config: config.backup,
      connectTimeoutMs: config.database.connectTimeoutMs,
      log: { info: () => {}, error: () => {} },
    });
    let begun = false;
    const { done } = await service.start('cli', null, (p) => {
      if (!begun) {
        progress.start(p.tableCount, 0, { task: 'Backup ', detail: '' });
        begun = true;
      }
      progress.update(p.tableIndex, { detail: p.table });
    });
    const run = await done;
    if (begun) progress.stop();
    if (run.status !== 'succeeded') throw new Error(`the backup did not complete: ${run.error}`);
    const manifest = run.manifest!;
    console.log(
      `\nBackup ${run.id} done: ${manifest.tables.length} tables, ${manifest.totalRows} rows, ` +
        `${((run.sizeBytes ?? 0) / 1024).toFixed(1)} KiB\n  ${run.location}\n  sha256 ${manifest.file?.sha256}`,
    );
  } finally {
    progress.stop();
    await pool.end();
    await database.stop();
  }
}

async function verify(file: string): Promise<void> {
  const size = await backupFileSize(file);
  const progress = bar('bytes');
  progress.start(size, 0, { task: 'Verify ', detail: file });
  let verified;
  try {
    verified = await verifyBackup(file, (bytes) => progress.update(bytes));
  } finally {
    progress.stop();
  }
  const { header, manifest, sealedSamples } = verified;
  console.log(
    `\nThe backup is intact: taken ${header.createdAt} by MCart ${header.mcartVersion} at schema ${header.schemaVersion}; ` +
      `${manifest.tables.length} tables, ${manifest.totalRows} rows.` +
      (sealedSamples.size
        ? `\nIts personal data is encrypted with key id(s) ${[...sealedSamples.keys()].sort().join(', ')}: ` +
          `a restore needs those MCART_ENCRYPTION_KEYS.`
        : ''),
  );
}

/**
 * The keys the restored store will run with, as the server resolves them: MCART_ENCRYPTION_KEYS, or (not in
 * production) the data folder's secrets.json, generated there when it has none yet.
 */
function restoreKeys(config: Config, ignoreMismatch: boolean): RestoreOptions['encryption'] {
  if (config.secrets.encryptionKeys)
    return {
      cipher: new FieldCipher(config.secrets.encryptionKeys),
      source: 'MCART_ENCRYPTION_KEYS',
      ignoreMismatch,
    };
  if (config.env === 'production') {
    if (ignoreMismatch) return undefined;
    throw new ConfigError(
      'MCART_ENCRYPTION_KEYS',
      "must be set in production: the backup's encrypted personal data is checked against it before restoring",
    );
  }
  return {
    cipher: new FieldCipher(resolveSecrets(config).encryptionKeys),
    source: join(config.dataDir, 'secrets.json'),
    ignoreMismatch,
  };
}

async function restore(config: Config, location: string, ignoreKeys: boolean): Promise<void> {
  // Checked first: a missing file is one line naming it, before the download or a database is started.
  if (!location.startsWith('s3://')) await backupFileSize(location);
  const encryption = restoreKeys(config, ignoreKeys);
  if (location.startsWith('s3://')) console.log(`Downloading ${location} ...`);
  const { file, cleanup } = await fetchBackup(location, config.backup);
  try {
    await restoreFile(config, file, encryption);
  } finally {
    await cleanup();
  }
}

async function restoreFile(
  config: Config,
  file: string,
  encryption: RestoreOptions['encryption'],
): Promise<void> {
  const size = await backupFileSize(file);
  const database = await openDatabase(config);
  const verifying = bar('bytes');
  const loading = bar('rows');
  let loadingStarted = false;
  try {
    console.log(`Restoring ${file}\n     into ${database.describe}`);
    verifying.start(size, 0, { task: 'Verify ', detail: '' });
    const result = await restoreDatabase(database.url, file, {
      onVerifyProgress: (bytes) => verifying.update(bytes),
      onProgress: ({ table, rowsDone, totalRows }) => {
        if (!loadingStarted) {
          verifying.update(size);
          verifying.stop();
          loading.start(totalRows, 0, { task: 'Restore', detail: '' });
          loadingStarted = true;
        }
        loading.update(rowsDone, { detail: table });
      },
      log: (message) => console.log(`\n${message}`),
      encryption,
    });
    verifying.stop();
    loading.stop();
    console.log(
      `\nRestored ${result.tables} tables, ${result.rows} rows (schema ${result.schemaVersion}` +
        `${result.migratedAfterLoad.length ? `, then migrated: ${result.migratedAfterLoad.join(', ')}` : ''}).` +
        `\nStart the server with the same encryption keys (${encryption?.source ?? 'MCART_ENCRYPTION_KEYS'}).`,
    );
  } finally {
    verifying.stop();
    loading.stop();
    await database.stop();
  }
}

/** The operator's TOTP reset: the owner's reset, by e-mail, audited as done by the operator (no staff actor). */
async function resetStaffTotp(config: Config, email: string): Promise<void> {
  const database = await openDatabase(config);
  const orm = await createOrm({ url: database.url, poolMax: 2, entities: allEntities() });
  try {
    const cipher = new FieldCipher(resolveSecrets(config).encryptionKeys);
    const staff = await orm.em.fork().transactional((tx) => new TotpService(tx, cipher).resetByEmail(email));
    await new AuditService(orm.em.fork()).record({
      staffId: null,
      action: 'staff.totp_reset',
      details: { staffId: staff.id, by: 'operator' },
    });
    console.log(
      `The second factor of ${staff.email} is off and their sessions have ended. They sign in with their ` +
        `password and, when the store requires it, enroll a new authenticator.`,
    );
  } finally {
    await orm.close(true);
    await database.stop();
  }
}

/** How many arguments each command takes, and the options it knows. */
const COMMANDS: Record<string, { operands: number; options: string[] }> = {
  backup: { operands: 0, options: [] },
  restore: { operands: 1, options: ['--ignore-encryption-keys'] },
  verify: { operands: 1, options: [] },
  'staff-totp-reset': { operands: 1, options: [] },
};

/**
 * The command line, or what is wrong with it: an option the command does not know (a misspelt
 * `--ignore-encryption-key` used to be taken for the file name, a stray one was ignored) or an extra argument
 * (`npm run backup -- /mnt/usb` took a backup into BACKUP_DIR, not the folder typed) is refused before anything
 * runs. A missing argument is left to the command, which asks for it.
 */
function parseArguments(
  args: string[],
): { command: string | undefined; argument: string | undefined; ignoreKeys: boolean } | { problem: string } {
  const [command, ...rest] = args;
  const spec = command === undefined ? undefined : COMMANDS[command];
  if (!spec) return { command, argument: undefined, ignoreKeys: false };
  // Node's own reader of a command line; not strict, so that an unknown option is named here, with what it takes.
  const { values, positionals } = parseArgs({
    args: rest,
    options: Object.fromEntries(
      spec.options.map((option) => [option.slice(2), { type: 'boolean' as const }]),
    ),
    allowPositionals: true,
    strict: false,
  });
  const unknown = Object.keys(values).find((name) => !spec.options.includes(`--${name}`));
  if (unknown)
    return {
      problem: `${command} does not know the option --${unknown}${spec.options.length ? ` (it takes ${spec.options.join(', ')})` : ''}. Nothing was done.`,
    };
  if (positionals.length > spec.operands)
    return {
      problem: `${command} takes ${spec.operands ? `one argument` : 'no argument'}, got ${positionals.map((arg) => `"${arg}"`).join(' ')}. Nothing was done.`,
    };
  return { command, argument: positionals[0], ignoreKeys: values['ignore-encryption-keys'] === true };
}

async function main(): Promise<void> {
  // `npm run backup` runs this in apps/server; paths (MCART_DATA_DIR=.mcart, the file) mean where npm was typed,
  // as for `npm start`.
  if (process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);
  const parsed = parseArguments(process.argv.slice(2));
  if ('problem' in parsed) {
    console.error(`${parsed.problem}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const { command, argument, ignoreKeys } = parsed;
  const config = loadConfig();
  switch (command) {
    case 'backup':
      return backup(config);
    case 'restore':
      if (!argument) throw new RestoreRefusedError(`Which file? ${USAGE}`);
      return restore(config, argument.startsWith('s3://') ? argument : resolve(argument), ignoreKeys);
    case 'verify':
      if (!argument) throw new RestoreRefusedError(`Which file? ${USAGE}`);
      return verify(resolve(argument));
    case 'staff-totp-reset':
      if (!argument) throw new RestoreRefusedError(`Whose? ${USAGE}`);
      return resetStaffTotp(config, argument);
    default:
      console.error(USAGE);
      process.exitCode = 2;
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (err: unknown) => {
    if (err instanceof ConfigError || err instanceof RestoreRefusedError) console.error(`\n${err.message}`);
    else if ((err as { code?: string }).code === 'MCART_ERR_BACKUP_RUNNING')
      console.error('\nAnother backup is running; try again when it has finished.');
    else console.error('\nFailed:', err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
