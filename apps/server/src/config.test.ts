import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_ACQUIRE_TIMEOUT_MS, loadConfig } from './config.ts';

const README = readFileSync(join(import.meta.dirname, '../../../README.md'), 'utf8');
const SOURCE = readFileSync(join(import.meta.dirname, 'config.ts'), 'utf8');

/** The rows of the README's configuration table: the variables of the first column, and the default column. */
function readmeRows(): Array<{ names: string[]; fallback: string }> {
  const section = README.slice(README.indexOf('## Configuration'), README.indexOf('## Documentation'));
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => {
      const [, first = '', fallback = ''] = line.split('|');
      return { names: [...first.matchAll(/`([A-Z0-9_]+)`/g)].map((m) => m[1]!), fallback: fallback.trim() };
    });
}

/** Every variable config.ts reads (by name, or through the S3 and OAuth helpers that build the names). */
function variablesRead(): string[] {
  const names = new Set(
    [
      ...SOURCE.matchAll(
        /\b(?:str|int|flag|oneOf|postgresUrl|cron|redisUrl|httpUrl|optionalHttpUrl|color|countryCode|smtpUrl|taxId)\(\s*env,\s*'([A-Z0-9_]+)'/g,
      ),
      ...SOURCE.matchAll(/ConfigError\(\s*'([A-Z0-9_]+)'/g),
    ].map((m) => m[1]!),
  );
  for (const prefix of ['BACKUP', 'MEDIA'])
    for (const suffix of [
      'BUCKET',
      'ENDPOINT',
      'REGION',
      'PREFIX',
      'ACCESS_KEY_ID',
      'SECRET_ACCESS_KEY',
      'FORCE_PATH_STYLE',
    ])
      names.add(`${prefix}_S3_${suffix}`);
  for (const prefix of ['FACEBOOK', 'TWITTER', 'OIDC']) {
    names.add(`${prefix}_CLIENT_ID`);
    names.add(`${prefix}_CLIENT_SECRET`);
  }
  return [...names].sort();
}

describe('configuration', () => {
  it('stops the start on a wrong value with a message naming the variable', () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ DATABASE_POOL_MAX: 'abc' }, /DATABASE_POOL_MAX must be a whole number, got "abc"/],
      [{ PORT: '70000' }, /PORT must be between 1 and 65535, got 70000/],
      [{ BACKUP_CRON: 'garbage' }, /BACKUP_CRON must be a cron expression/],
      [{ BACKUP_CRON: '0 0 * * * *' }, /BACKUP_CRON must have five fields/],
      [{ DATABASE_URL: 'mysql://db/shop' }, /DATABASE_URL must be a postgres:\/\/ URL/],
      [{ OUTBOX_RETENTION_HOURS: '0' }, /OUTBOX_RETENTION_HOURS must be between 1 and/],
      [{ DATABASE_CONNECT_TIMEOUT_MS: 'soon' }, /DATABASE_CONNECT_TIMEOUT_MS must be a whole number/],
      [{ DATABASE_ACQUIRE_TIMEOUT_MS: '5s' }, /DATABASE_ACQUIRE_TIMEOUT_MS must be a whole number, got "5s"/],
      [
        { DATABASE_ACQUIRE_TIMEOUT_MS: '0' },
        /DATABASE_ACQUIRE_TIMEOUT_MS must be between 100 and 600000, got 0/,
      ],
      [{ TRUST_PROXY: 'the balancer' }, /TRUST_PROXY must be true, false, a hop count, or proxy addresses/],
      [{ TRUST_PROXY: '10.0.0.0/40' }, /TRUST_PROXY/],
      [{ MAIL_RETENTION_DAYS: '0' }, /MAIL_RETENTION_DAYS must be between 1 and 3650, got 0/],
      [{ CART_RETENTION_DAYS: 'ninety' }, /CART_RETENTION_DAYS must be a whole number, got "ninety"/],
      [{ WEBHOOK_EVENT_RETENTION_DAYS: '3' }, /WEBHOOK_EVENT_RETENTION_DAYS must be at least 7 days, got 3/],
      [{ WEBHOOK_EVENT_RETENTION_DAYS: '-7' }, /WEBHOOK_EVENT_RETENTION_DAYS must be a whole number/],
    ];
    for (const [env, message] of cases) {
      expect(() => loadConfig(env), JSON.stringify(env)).toThrow(ConfigError);
      expect(() => loadConfig(env), JSON.stringify(env)).toThrow(message);
    }
  });

  it('never repeats a secret or a URL with credentials in its messages', () => {
    const secret = 's3cr3t-p4ssw0rd';
    for (const env of [
      { DATABASE_URL: `postgres://shop:${secret}@db:notaport/shop` },
      { SMTP_URL: `smtp://mailer:${secret}@smtp:notaport` },
      { REDIS_URL: `redis://:${secret}@cache:notaport` },
      { JWT_SECRET: secret },
      { METRICS_TOKEN: 'short' },
    ]) {
      expect(() => loadConfig(env)).toThrow(ConfigError);
      try {
        loadConfig(env);
      } catch (err) {
        expect((err as Error).message).not.toContain(secret);
      }
    }
  });

  it('reads TRUST_PROXY as a switch, a hop count or the proxies’ addresses', () => {
    // "false" used to be taken for an address: Fastify then refused to start with "invalid IP address: false".
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'off' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.5, 10.1.0.0/16,loopback,::1' }).trustProxy).toBe(
      '10.0.0.5,10.1.0.0/16,loopback,::1',
    );
  });

  it('reads CORS_ORIGINS as browser origins, and refuses what would never match one', () => {
    expect(
      loadConfig({ CORS_ORIGINS: 'https://shop.example.com, http://localhost:5173' }).corsOrigins,
    ).toEqual(['app://mcart', 'https://shop.example.com', 'http://localhost:5173']);
    for (const [value, message] of [
      ['https://shop.example.com/', 'browsers send "https://shop.example.com"'],
      ['https://shop.example.com/store', 'browsers send "https://shop.example.com"'],
      ['https://shop.example.com:443', 'browsers send "https://shop.example.com"'],
      ['shop.example.com', 'is not an origin'],
      ['ftp://shop.example.com', 'must be an http(s) origin'],
      ['*', 'not "*"'],
    ] as const) {
      expect(() => loadConfig({ CORS_ORIGINS: value }), value).toThrow(message);
    }
  });

  it("reads the store's region: the demo's IL, a US or Canadian code, free text elsewhere", () => {
    expect(loadConfig({}).branding.address).toMatchObject({
      city: 'Springfield',
      region: 'IL',
      postalCode: '62701',
    });
    expect(
      loadConfig({ STORE_ADDRESS_COUNTRY: 'CA', STORE_ADDRESS_REGION: 'on' }).branding.address.region,
    ).toBe('ON');
    expect(loadConfig({ STORE_ADDRESS_COUNTRY: 'FR' }).branding.address.region).toBeUndefined();
    expect(
      loadConfig({ STORE_ADDRESS_COUNTRY: 'GB', STORE_ADDRESS_REGION: 'Kent' }).branding.address.region,
    ).toBe('Kent');
    expect(() => loadConfig({ STORE_ADDRESS_REGION: 'Illinois' })).toThrow(
      'must be a 2-letter US state code',
    );
    // The store's own country as a shopper's (ADR 0059): an assigned code, any case.
    expect(loadConfig({ STORE_ADDRESS_COUNTRY: 'gb' }).branding.address.country).toBe('GB');
    expect(() => loadConfig({ STORE_ADDRESS_COUNTRY: 'UK' })).toThrow(
      'STORE_ADDRESS_COUNTRY must be an assigned ISO 3166-1 alpha-2 country code',
    );
  });

  it("reads the store's tax number as tax offices write it, and refuses what no tax office issues", () => {
    expect(loadConfig({}).branding.taxId).toBeUndefined();
    expect(loadConfig({ STORE_TAX_ID: '  FR 12   345678901 ' }).branding.taxId).toBe('FR 12 345678901');
    expect(loadConfig({ STORE_TAX_ID: '12-3456789' }).branding.taxId).toBe('12-3456789');
    expect(() => loadConfig({ STORE_TAX_ID: 'VAT: <b>1</b>' })).toThrow(ConfigError);
    expect(() => loadConfig({ STORE_TAX_ID: 'X' })).toThrow('STORE_TAX_ID');
  });

  it('reads the retention periods, and refuses to forget webhook events within a week', () => {
    const defaults = loadConfig({});
    expect(defaults.mail.retentionDays).toBe(30);
    expect(defaults.payments.webhookEventRetentionDays).toBe(30);
    expect(defaults.cartRetentionDays).toBe(90);
    const set = loadConfig({
      MAIL_RETENTION_DAYS: '1',
      WEBHOOK_EVENT_RETENTION_DAYS: '7',
      CART_RETENTION_DAYS: '3650',
    });
    expect([set.mail.retentionDays, set.payments.webhookEventRetentionDays, set.cartRetentionDays]).toEqual([
      1, 7, 3650,
    ]);
    // Stripe retries a webhook for up to 3 days: a shorter memory could apply an event twice.
    for (const days of ['0', '1', '6']) {
      expect(() => loadConfig({ WEBHOOK_EVENT_RETENTION_DAYS: days })).toThrow(
        new RegExp(
          `WEBHOOK_EVENT_RETENTION_DAYS must be at least 7 days, got ${days}: payment providers retry`,
        ),
      );
    }
    expect(() => loadConfig({ CART_RETENTION_DAYS: '3651' })).toThrow(
      /CART_RETENTION_DAYS must be between 1 and 3650/,
    );
  });

  it('bounds the wait for a pooled database connection: a few seconds unless set', () => {
    expect(loadConfig({}).database.acquireTimeoutMs).toBe(DEFAULT_ACQUIRE_TIMEOUT_MS);
    expect(DEFAULT_ACQUIRE_TIMEOUT_MS).toBe(3000);
    expect(loadConfig({ DATABASE_ACQUIRE_TIMEOUT_MS: '1500' }).database.acquireTimeoutMs).toBe(1500);
    expect(() => loadConfig({ DATABASE_ACQUIRE_TIMEOUT_MS: '600001' })).toThrow(
      /DATABASE_ACQUIRE_TIMEOUT_MS must be between 100 and 600000/,
    );
  });

  it('is documented in the README table: every variable, and no other', () => {
    const documented = readmeRows()
      .flatMap((row) => row.names)
      .sort();
    expect(documented).toEqual(variablesRead());
  });

  it('has the defaults the README table gives', () => {
    const defaults = loadConfig({});
    const checked: string[] = [];
    for (const { names, fallback } of readmeRows()) {
      // One variable per row, a literal default (not "(unset)", another variable, or a template).
      const literal = /^`([^`<>]*)`/.exec(fallback)?.[1];
      if (names.length !== 1 || literal === undefined || /^[A-Z][A-Z0-9_]+$/.test(literal)) continue;
      // Setting a variable to its documented default changes nothing.
      expect(loadConfig({ [names[0]!]: literal }), `${names[0]} = ${literal}`).toEqual(defaults);
      checked.push(names[0]!);
    }
    expect(checked).toEqual(
      expect.arrayContaining([
        'PORT',
        'DATABASE_POOL_MAX',
        'DATABASE_STATEMENT_TIMEOUT_MS',
        'DATABASE_CONNECT_TIMEOUT_MS',
        'DATABASE_ACQUIRE_TIMEOUT_MS',
        'TRUST_PROXY',
        'OUTBOX_RETENTION_HOURS',
        'BACKUP_CRON',
        'BACKUP_KEEP_DAILY',
        'LIVE_REPLAY_LIMIT',
        'MAIL_RETENTION_DAYS',
        'WEBHOOK_EVENT_RETENTION_DAYS',
        'CART_RETENTION_DAYS',
      ]),
    );
  });
});
