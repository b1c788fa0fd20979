import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { baseProperties } from '../../platform/entity.ts';

/**
 * A shopper's account. The e-mail stays clear (it is the login key); the phone number is sealed with the
 * field cipher. `email` is null only for an account created by a social login that shared no e-mail.
 */
export const CustomerSchema = defineEntity({
  name: 'Customer',
  tableName: 'customer',
  properties: {
    ...baseProperties,
    email: p.string().length(254).unique().nullable(),
    firstName: p.string().length(100).default(''),
    lastName: p.string().length(100).default(''),
    /** Sealed (`app.cipher`), never clear. */
    phone: p.text().nullable(),
    /** Null for social-only accounts: they sign in through their provider until they set a password. */
    passwordHash: p.string().nullable().lazy(true, false),
    emailVerifiedAt: p.datetime().nullable(),
    disabledAt: p.datetime().nullable(),
    lastLoginAt: p.datetime().nullable(),
    version: p.integer().version(),
  },
});
export type Customer = InferEntity<typeof CustomerSchema>;

/** One address of a customer's address book: the whole address is one sealed JSON value. */
export const CustomerAddressSchema = defineEntity({
  name: 'CustomerAddress',
  tableName: 'customer_address',
  properties: {
    ...baseProperties,
    customerId: p.uuid().index(),
    sealed: p.text(),
    isDefault: p.boolean().default(false),
  },
});
export type CustomerAddress = InferEntity<typeof CustomerAddressSchema>;

export const ACCOUNT_TOKEN_PURPOSES = [
  'password_reset',
  'email_verification',
  'oauth_handover',
  'email_change',
] as const;
export type AccountTokenPurpose = (typeof ACCOUNT_TOKEN_PURPOSES)[number];

/** A single-use, expiring token sent to a customer (reset link, verification link, OAuth hand-over code). Only its SHA-256 is kept. */
export const AccountTokenSchema = defineEntity({
  name: 'AccountToken',
  tableName: 'account_token',
  properties: {
    ...baseProperties,
    customerId: p.uuid().index(),
    purpose: p.enum([...ACCOUNT_TOKEN_PURPOSES]),
    tokenHash: p.string().length(64).unique(),
    expiresAt: p.datetime(),
    usedAt: p.datetime().nullable(),
    /** `email_change` only: the address the link confirms, sealed (`app.cipher`); null for every other purpose. */
    newEmail: p.text().nullable(),
  },
});
export type AccountToken = InferEntity<typeof AccountTokenSchema>;

/** A social identity (provider + subject) linked to a customer. */
export const CustomerIdentitySchema = defineEntity({
  name: 'CustomerIdentity',
  tableName: 'customer_identity',
  properties: {
    ...baseProperties,
    customerId: p.uuid().index(),
    provider: p.string().length(64),
    subject: p.string().length(255),
    email: p.string().length(254).nullable(),
  },
});
export type CustomerIdentity = InferEntity<typeof CustomerIdentitySchema>;

export const OAUTH_PURPOSES = ['login', 'link'] as const;

/** Server-side half of an authorization request: state (hashed), PKCE verifier (sealed), nonce. Single use, short-lived. */
export const OAuthStateSchema = defineEntity({
  name: 'OAuthState',
  tableName: 'oauth_state',
  properties: {
    ...baseProperties,
    stateHash: p.string().length(64).unique(),
    provider: p.string().length(64),
    codeVerifier: p.text(),
    nonce: p.string().length(64),
    purpose: p.enum([...OAUTH_PURPOSES]),
    customerId: p.uuid().nullable(),
    /** SHA-256 of the cookie set in the browser that started the sign-in (null: started through the API). */
    browserHash: p.string().length(64).nullable(),
    /** A verified link waiting for its owner's confirmation: the code's hash, and the identity. */
    linkCodeHash: p.string().length(64).nullable(),
    linkSubject: p.text().nullable(),
    linkEmail: p.text().nullable(),
    expiresAt: p.datetime(),
    usedAt: p.datetime().nullable(),
  },
});
export type OAuthState = InferEntity<typeof OAuthStateSchema>;
