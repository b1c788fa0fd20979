import argon2 from 'argon2';

/** OWASP's argon2id parameters: 19 MiB memory, 2 iterations, 1 lane (~10 ms a hash here). */
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string): Promise<string> => argon2.hash(password, OPTIONS);

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;
/**
 * Spends the same time as a real verification, so "no such account" and "wrong password" cannot be told
 * apart by timing.
 */
export async function burnVerification(password: string): Promise<false> {
  dummyHash ??= hashPassword('mcart-timing-equalizer');
  await verifyPassword(await dummyHash, password);
  return false;
}
