import { createHmac, hkdfSync, randomInt } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';

/** How many codes a member gets at a time. */
export const RECOVERY_CODE_COUNT = 10;
/**
 * Lower-case letters and digits without the look-alikes (0/o, 1/l/i): 31 symbols, 10 of them per code
 * (about 49.5 bits). Shown as two groups of five: `k7m2x-9qpfa`.
 */
const ALPHABET = '23456789abcdefghjkmnpqrstuvwxyz';
const CODE_LENGTH = 10;
const HKDF_INFO = 'mcart staff recovery codes v1';

/** What a sign-in code looks like: the authenticator's six digits, or a recovery code. */
export type SecondFactorCode = { kind: 'totp'; code: string } | { kind: 'recovery'; code: string };

/**
 * Recognises a second-step code by its shape. Blanks are ignored; a recovery code may be typed in any case,
 * with or without its hyphen. Six digits are a TOTP code; ten letters and digits a recovery code (the two
 * shapes never overlap); anything else is null.
 */
export function parseSecondFactorCode(input: string): SecondFactorCode | null {
  const compact = input.replace(/\s+/g, '');
  if (/^\d{6}$/.test(compact)) return { kind: 'totp', code: compact };
  const recovery = normalizeRecoveryCode(compact);
  return recovery ? { kind: 'recovery', code: recovery } : null;
}

/** `K7M2X-9QPFA`, ` k7m2x9qpfa ` → `k7m2x9qpfa`; null when it cannot be a recovery code. */
export function normalizeRecoveryCode(input: string): string | null {
  const compact = input.replace(/[\s-]+/g, '').toLowerCase();
  return /^[a-z0-9]{10}$/.test(compact) ? compact : null;
}

/**
 * A PostgreSQL array literal for a bound `?::varchar[]` (the query builder would expand a JS array into a list
 * of parameters). Only for hex digests: nothing to quote.
 */
const hexArray = (values: readonly string[]) => `{${values.join(',')}}`;

/** A fresh code, grouped for reading: `k7m2x-9qpfa`. */
export function newRecoveryCode(): string {
  let code = '';
  // randomInt is uniform (no modulo bias).
  for (let i = 0; i < CODE_LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/**
 * Keyed hashes of recovery codes: HMAC-SHA-256 with keys derived (HKDF) from `MCART_ENCRYPTION_KEYS`, so a
 * copy of the database alone does not allow guessing codes offline, and the stored hash can be looked up
 * directly. The first key hashes new codes; every listed key is tried when a code is used, so codes made
 * before a key rotation keep working as long as the old key stays listed (as it must for the sealed TOTP
 * secrets anyway). The staff id is part of the message: the same code of two members hashes differently.
 */
export class RecoveryCodeHasher {
  private readonly keys: Buffer[];

  /** `spec` is the `MCART_ENCRYPTION_KEYS` value (`k2:<base64>,k1:<base64>`), already checked by FieldCipher. */
  constructor(spec: string) {
    this.keys = spec
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => {
        const material = Buffer.from(part.slice(part.indexOf(':') + 1), 'base64');
        return Buffer.from(hkdfSync('sha256', material, Buffer.alloc(0), HKDF_INFO, 32));
      });
    if (this.keys.length === 0) throw new Error('RecoveryCodeHasher needs at least one key');
  }

  /** The hash new codes are stored under (the current key). */
  hash(staffId: string, normalizedCode: string): string {
    return this.mac(this.keys[0]!, staffId, normalizedCode);
  }

  /** The hashes the code may be stored under, one per configured key. */
  candidates(staffId: string, normalizedCode: string): string[] {
    return this.keys.map((key) => this.mac(key, staffId, normalizedCode));
  }

  private mac(key: Buffer, staffId: string, normalizedCode: string): string {
    return createHmac('sha256', key).update(`${staffId}:${normalizedCode}`).digest('hex');
  }
}

/**
 * A member's recovery codes (table `staff_recovery_code`). Plain SQL: a code is not an entity anyone edits,
 * and using one must be a single conditional DELETE. Statements run in the entity manager's transaction
 * when there is one (the operator's reset runs in one).
 */
export class RecoveryCodes {
  constructor(
    private readonly em: EntityManager,
    private readonly hasher?: RecoveryCodeHasher,
  ) {}

  /**
   * Replaces the member's codes with fresh ones and answers them (the only time they exist in clear). The
   * member's row is locked first, so two replacements at once leave one set, not both.
   */
  async replace(staffId: string): Promise<string[]> {
    const hasher = this.requireHasher();
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    const hashes = codes.map((code) => hasher.hash(staffId, normalizeRecoveryCode(code)!));
    await this.em.transactional(async (tx) => {
      const connection = tx.getConnection();
      const ctx = tx.getTransactionContext();
      await connection.execute(`SELECT id FROM staff WHERE id = ? FOR UPDATE`, [staffId], 'all', ctx);
      await connection.execute(`DELETE FROM staff_recovery_code WHERE staff_id = ?`, [staffId], 'run', ctx);
      await connection.execute(
        `INSERT INTO staff_recovery_code (staff_id, code_hash) SELECT ?, unnest(?::varchar[])`,
        [staffId, hexArray(hashes)],
        'run',
        ctx,
      );
    });
    return codes;
  }

  /**
   * Spends a code: one `DELETE ... RETURNING`, so of two concurrent uses exactly one finds the row. Answers the
   * number of codes left, or null when the code is wrong or already used.
   *
   * The database compares HMACs of the typed code, which no one can steer without the server's key, so how long
   * the lookup takes tells nothing about the stored codes; no code or unkeyed hash is ever compared.
   */
  async consume(staffId: string, input: string): Promise<{ remaining: number } | null> {
    const hasher = this.requireHasher();
    const code = normalizeRecoveryCode(input);
    if (!code) return null;
    const spent = await this.execute<{ staff_id: string }[]>(
      `DELETE FROM staff_recovery_code WHERE staff_id = ? AND code_hash = ANY(?::varchar[]) RETURNING staff_id`,
      [staffId, hexArray(hasher.candidates(staffId, code))],
    );
    if (spent.length === 0) return null;
    return { remaining: await this.count(staffId) };
  }

  async count(staffId: string): Promise<number> {
    const [row] = await this.execute<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM staff_recovery_code WHERE staff_id = ?`,
      [staffId],
    );
    return row?.count ?? 0;
  }

  async removeAll(staffId: string): Promise<void> {
    await this.em
      .getConnection()
      .execute(
        `DELETE FROM staff_recovery_code WHERE staff_id = ?`,
        [staffId],
        'run',
        this.em.getTransactionContext(),
      );
  }

  private execute<T>(sql: string, params: unknown[]): Promise<T> {
    return this.em.getConnection().execute<T>(sql, params, 'all', this.em.getTransactionContext());
  }

  private requireHasher(): RecoveryCodeHasher {
    if (!this.hasher) throw new Error('Recovery codes need the server key (RecoveryCodeHasher)');
    return this.hasher;
  }
}
