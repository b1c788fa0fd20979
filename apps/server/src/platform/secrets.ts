import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, type Config } from '../config.ts';

interface StoredSecrets {
  jwt: string;
  /** `keyId:base64key` pairs, comma separated; the first encrypts, all decrypt (rotation). */
  encryptionKeys: string;
  /** HMAC secret of the built-in test payment gateway's webhooks. */
  testGatewayWebhook: string;
}

const generated = {
  jwt: () => randomBytes(48).toString('base64url'),
  encryptionKeys: () => `k1:${randomBytes(32).toString('base64')}`,
  testGatewayWebhook: () => `whsec_test_${randomBytes(32).toString('base64url')}`,
} satisfies Record<keyof StoredSecrets, () => string>;

/**
 * Secrets come from configuration. On a single-machine install without them, they are generated once into
 * the data folder (mode 0600) so restarts keep sessions and encrypted data readable. In production
 * (NODE_ENV=production) they must be configured, since every instance needs the same ones.
 */
export function resolveSecrets(config: Config): StoredSecrets {
  const { jwt, encryptionKeys } = config.secrets;
  // The test gateway's secret only matters while the test gateway is the active provider.
  const testGatewayWebhook =
    config.payments.testGatewayWebhookSecret ??
    (config.payments.provider === 'test' ? undefined : generated.testGatewayWebhook());
  if (jwt && encryptionKeys && testGatewayWebhook) return { jwt, encryptionKeys, testGatewayWebhook };
  if (config.env === 'production') {
    throw new ConfigError(
      !jwt ? 'JWT_SECRET' : !encryptionKeys ? 'MCART_ENCRYPTION_KEYS' : 'TEST_GATEWAY_WEBHOOK_SECRET',
      'must be set in production',
    );
  }
  const file = join(config.dataDir, 'secrets.json');
  let stored: Partial<StoredSecrets> = {};
  if (existsSync(file)) stored = JSON.parse(readFileSync(file, 'utf8')) as Partial<StoredSecrets>;
  const missing = (Object.keys(generated) as (keyof StoredSecrets)[]).filter((key) => !stored[key]);
  if (missing.length) {
    // Secrets added by a newer version are generated into an existing file; existing ones never change.
    for (const key of missing) stored[key] = generated[key]();
    mkdirSync(config.dataDir, { recursive: true, mode: 0o711 });
    writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600 });
  }
  const complete = stored as StoredSecrets;
  return {
    jwt: jwt ?? complete.jwt,
    encryptionKeys: encryptionKeys ?? complete.encryptionKeys,
    testGatewayWebhook: testGatewayWebhook ?? complete.testGatewayWebhook,
  };
}
