import { X509Certificate, createPrivateKey } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, readFile, stat } from 'node:fs/promises';
import pg from 'pg';
import { connectionLiveness, DEFAULT_CONNECT_TIMEOUT_MS } from './pg-session.ts';

/**
 * Checks main.ts runs before anything starts, so that a wrong setting stops the start with one line naming the
 * variable and saying what to do, instead of a stack trace from deep inside a library (or, for a misspelt
 * database name, a new empty store: MikroORM's migrator creates a database that does not exist).
 */
export class StartupError extends Error {
  constructor(
    readonly variable: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${variable} ${message}`, options);
    this.name = 'StartupError';
  }
}

const code = (err: unknown) => (err as NodeJS.ErrnoException | undefined)?.code;

/**
 * A folder the server writes into (MCART_DATA_DIR, BACKUP_DIR, MEDIA_DIR): created when missing, and it must
 * be a folder this user can write into.
 */
export async function checkWritableFolder(variable: string, dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    // EEXIST / ENOTDIR: a file is in the way (the folder itself, or one of its parents).
    if (code(err) === 'EEXIST' || code(err) === 'ENOTDIR')
      throw new StartupError(variable, `(${dir}) is not a folder: a file of that name is in the way`, {
        cause: err,
      });
    // ENOENT from mkdir -p: a parent on a read-only file system.
    throw new StartupError(
      variable,
      `(${dir}) cannot be created (${code(err) ?? (err as Error).message}): check the path, its permissions and that its file system is writable`,
      { cause: err },
    );
  }
  if (!(await stat(dir)).isDirectory()) throw new StartupError(variable, `(${dir}) is not a folder`);
  try {
    await access(dir, constants.W_OK | constants.X_OK);
  } catch (err) {
    throw new StartupError(
      variable,
      `(${dir}) is not writable by this user (${code(err) === 'EROFS' ? 'read-only file system' : (code(err) ?? 'denied')}): give the user running MCart write access, or choose another folder`,
      { cause: err },
    );
  }
}

async function readPem(variable: string, file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const reason =
      code(err) === 'ENOENT'
        ? 'there is no such file'
        : code(err) === 'EISDIR'
          ? 'it is a folder'
          : code(err) === 'EACCES' || code(err) === 'EPERM'
            ? 'this user may not read it (permission denied)'
            : (code(err) ?? (err as Error).message);
    throw new StartupError(variable, `(${file}) cannot be read: ${reason}`, { cause: err });
  }
}

/**
 * TLS_CERT_FILE and TLS_KEY_FILE: readable, a PEM certificate and a PEM private key (unencrypted), the key the
 * certificate's. A certificate that has expired stops the start too: every client would refuse it.
 */
export async function checkTlsFiles(certFile: string, keyFile: string, now = new Date()): Promise<void> {
  const certPem = await readPem('TLS_CERT_FILE', certFile);
  const keyPem = await readPem('TLS_KEY_FILE', keyFile);
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(certPem);
  } catch (err) {
    throw new StartupError(
      'TLS_CERT_FILE',
      `(${certFile}) is not a PEM certificate ("-----BEGIN CERTIFICATE-----", the server's first, then its issuers)`,
      { cause: err },
    );
  }
  let key: ReturnType<typeof createPrivateKey>;
  try {
    key = createPrivateKey(keyPem);
  } catch (err) {
    throw new StartupError(
      'TLS_KEY_FILE',
      `(${keyFile}) is not an unencrypted PEM private key (${(err as Error).message})`,
      { cause: err },
    );
  }
  if (!certificate.checkPrivateKey(key))
    throw new StartupError(
      'TLS_KEY_FILE',
      `(${keyFile}) is not the private key of the certificate in TLS_CERT_FILE (${certFile}): the files belong to different certificates`,
    );
  if (new Date(certificate.validTo) < now)
    throw new StartupError(
      'TLS_CERT_FILE',
      `(${certFile}) expired on ${new Date(certificate.validTo).toISOString()}: renew it`,
    );
}

/** The URL's host, port and database: never its password. */
function describe(url: string): { where: string; database: string } {
  const parsed = new URL(url);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || parsed.username || 'postgres';
  return { where: `${parsed.hostname}:${parsed.port || '5432'}`, database };
}

/**
 * Connects once to DATABASE_URL (or DATABASE_READ_URL) as the server would, and turns the usual mistakes into
 * one line: a wrong password, a database that does not exist (refused rather than created empty: a misspelt
 * name must not become a new empty store), nothing listening, an unknown host, no answer, TLS refused.
 */
export async function checkDatabase(
  variable: string,
  url: string,
  connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS,
): Promise<void> {
  const { where, database } = describe(url);
  const client = new pg.Client({
    ...connectionLiveness(connectTimeoutMs),
    connectionString: url,
    application_name: 'mcart-start-check',
  });
  client.on('error', () => {}); // a connection lost after the check has nothing to tell
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (err) {
    throw new StartupError(variable, databaseProblem(err, where, database, connectTimeoutMs), {
      cause: err,
    });
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * A check that failed on the setting itself (wrong credentials, a database or host that does not exist), as
 * opposed to a server that is down or unreachable for now, which a restart after the outage gets past.
 */
export function isSettingMistake(err: unknown): boolean {
  const cause = err instanceof StartupError ? (err.cause as unknown) : err;
  return ['28P01', '28000', '3D000', 'ENOTFOUND'].includes(code(cause) ?? '');
}

function databaseProblem(err: unknown, where: string, database: string, timeoutMs: number): string {
  const message = (err as Error).message ?? String(err);
  switch (code(err)) {
    case '28P01':
    case '28000':
      return `is refused by PostgreSQL at ${where}: ${message}. Check the user name and password in the URL (special characters percent-encoded)`;
    case '3D000':
      return `names the database "${database}", which does not exist on ${where}. Create it (CREATE DATABASE "${database}") or correct the name; MCart does not create it, so that a misspelt name cannot start an empty store`;
    case 'ECONNREFUSED':
      return `points at ${where}, where nothing accepts connections: is PostgreSQL running there, and is the port right?`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `names the host of ${where}, which does not resolve (DNS): check the host name`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `points at ${where}, which this machine cannot reach (${code(err)}): check the address and the network`;
    case '53300':
      return `reaches ${where}, but PostgreSQL has no connection left (too many clients): raise max_connections or lower DATABASE_POOL_MAX`;
    case '57P03':
      return `reaches ${where}, but PostgreSQL is still starting or shutting down: start MCart again shortly`;
  }
  if (/timeout/i.test(message))
    return `gets no answer from ${where} within ${timeoutMs} ms (DATABASE_CONNECT_TIMEOUT_MS): check the address, firewalls and that PostgreSQL is up`;
  if (/ssl|tls|certificate/i.test(message))
    return `cannot open its TLS connection to ${where}: ${message}. Check sslmode and sslrootcert in the URL`;
  return `cannot connect to ${where}: ${message}`;
}

/**
 * A start that failed on listening: the port of PORT (or METRICS_PORT) taken, or not allowed to this user.
 * Undefined for any other error.
 */
export function listenProblem(
  err: unknown,
  ports: { port: number; metricsPort?: number | undefined },
): StartupError | undefined {
  const failure = err as NodeJS.ErrnoException & { port?: number; address?: string };
  if (failure?.syscall !== 'listen' || (code(err) !== 'EADDRINUSE' && code(err) !== 'EACCES'))
    return undefined;
  const variable =
    failure.port !== undefined && failure.port === ports.metricsPort && failure.port !== ports.port
      ? 'METRICS_PORT'
      : 'PORT';
  const port = failure.port ?? (variable === 'PORT' ? ports.port : ports.metricsPort);
  return code(err) === 'EADDRINUSE'
    ? new StartupError(
        variable,
        `${port} is already in use${failure.address ? ` on ${failure.address}` : ''} (another MCart, or another program): stop it or choose another port`,
        { cause: err },
      )
    : new StartupError(
        variable,
        `${port} may not be used by this user (ports below 1024 need privileges): choose a port from 1024, behind a proxy or a port mapping`,
        { cause: err },
      );
}
