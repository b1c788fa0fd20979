import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, type Config } from '../config.ts';

interface StoredSecrets {
  jwt: string;
  /** `keyId:base64key` pairs, comma separated; the first encrypts, all decrypt (rotation). */
  encryptionKeys: string;
}

/**
 * Secrets come from configuration. On a single-machine install without them, they are generated once into
 * the data folder (mode 0600) so restarts keep sessions and encrypted data readable. In production
 * (NODE_ENV=production) they must be configured, since every instance needs the same ones.
 */
export function resolveSecrets(config: Config): StoredSecrets {
  const { jwt, encryptionKeys } = config.secrets;
  if (jwt && encryptionKeys) return { jwt, encryptionKeys };
  if (config.env === 'production') {
    throw new ConfigError(jwt ? 'MCART_ENCRYPTION_KEYS' : 'JWT_SECRET', 'must be set in production');
  }
  const file = join(config.dataDir, 'secrets.json');
  let stored: StoredSecrets;
  if (existsSync(file)) {
    stored = JSON.parse(readFileSync(file, 'utf8')) as StoredSecrets;
  } else {
    mkdirSync(config.dataDir, { recursive: true, mode: 0o711 });
    stored = {
      jwt: randomBytes(48).toString('base64url'),
      encryptionKeys: `k1:${randomBytes(32).toString('base64')}`,
    };
    writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600 });
  }
  return { jwt: jwt ?? stored.jwt, encryptionKeys: encryptionKeys ?? stored.encryptionKeys };
}
