import { Type, type Static } from '@sinclair/typebox';
import { ExportedCartDto, ExportedOrderDto } from '../orders/customer-data.ts';
import { AddressDto } from './customer.schemas.ts';

const DateTime = Type.String({ format: 'date-time' });
const NullableDateTime = Type.Union([DateTime, Type.Null()]);
const NullableString = Type.Union([Type.String(), Type.Null()]);

const Money = Type.Object({ amount: Type.Integer(), currency: Type.String() });

/** An invoice or credit note as its list shows it (what it says in full is its PDF). */
export const ExportedDocumentDto = Type.Object({
  id: Type.String(),
  kind: Type.Union([Type.Literal('invoice'), Type.Literal('credit_note')]),
  number: Type.String(),
  orderId: Type.String(),
  orderNumber: Type.String(),
  issuedAt: DateTime,
  total: Money,
  tax: Money,
  /** The invoice a credit note corrects; null for an invoice. */
  corrects: NullableString,
});
export type ExportedDocument = Static<typeof ExportedDocumentDto>;

/** A back-in-stock alert (ADR 0052): the variant, the address to e-mail, when it was left and sent. */
export const ExportedStockAlertDto = Type.Object({
  variantId: Type.String(),
  sku: Type.String(),
  productTitle: Type.String(),
  variantTitle: Type.String(),
  email: Type.String(),
  createdAt: DateTime,
  /** When the address confirmed it (double opt-in); null while its confirmation is pending. */
  confirmedAt: NullableDateTime,
  /** When the e-mail was queued; null while the alert waits. */
  notifiedAt: NullableDateTime,
});
export type ExportedStockAlert = Static<typeof ExportedStockAlertDto>;

/**
 * Everything MCart holds about one customer (GDPR art. 15 and 20), as one JSON document. Only what is
 * declared here is serialized: no password hash, token, token hash or gateway secret can slip in.
 */
export const CustomerDataExportDto = Type.Object(
  {
    format: Type.Literal('mcart.customer-data.v1'),
    exportedAt: DateTime,
    customer: Type.Object({
      id: Type.String(),
      email: NullableString,
      firstName: Type.String(),
      lastName: Type.String(),
      phone: NullableString,
      emailVerifiedAt: NullableDateTime,
      hasPassword: Type.Boolean(),
      disabledAt: NullableDateTime,
      createdAt: DateTime,
      updatedAt: DateTime,
      lastLoginAt: NullableDateTime,
      /** An e-mail change asked for and not confirmed yet (ADR 0011): the new address and its link's dates. */
      pendingEmailChange: Type.Union([
        Type.Object({ newEmail: Type.String(), requestedAt: DateTime, expiresAt: DateTime }),
        Type.Null(),
      ]),
    }),
    /** Social accounts linked for sign-in: the provider, the e-mail it shared, when. Never its tokens. */
    identities: Type.Array(
      Type.Object({ provider: Type.String(), email: NullableString, linkedAt: DateTime }),
    ),
    addresses: Type.Array(AddressDto),
    /** Sign-in sessions as stored (one per device sign-in): when, from which browser and address. */
    sessions: Type.Array(
      Type.Object({
        startedAt: DateTime,
        lastUsedAt: DateTime,
        active: Type.Boolean(),
        userAgents: Type.Array(Type.String()),
        ips: Type.Array(Type.String()),
      }),
    ),
    orders: Type.Array(ExportedOrderDto),
    /**
     * The invoices and credit notes issued for those orders, oldest first; each one's PDF is at
     * `/api/store/orders/{orderId}/invoices/{id}/pdf`.
     */
    invoices: Type.Array(ExportedDocumentDto),
    carts: Type.Array(ExportedCartDto),
    /**
     * Back-in-stock alerts linked to the account, and those left with its address once it is verified; kept
     * 30 days after the e-mail went out, 180 days while waiting.
     */
    stockAlerts: Type.Array(ExportedStockAlertDto),
    /** MCart records no consent (no newsletter, no marketing opt-in): always empty until one exists. */
    consents: Type.Array(Type.Object({ purpose: Type.String(), givenAt: DateTime })),
  },
  { $id: 'CustomerDataExportDto' },
);
export type CustomerDataExport = Static<typeof CustomerDataExportDto>;

/**
 * `password` is required when the account has one. An account created by a social sign-in has none: it
 * proves itself by a recent sign-in instead (the session was started less than 10 minutes ago).
 */
export const EraseAccountBody = Type.Object(
  { password: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })) },
  { $id: 'EraseAccountBody', additionalProperties: false },
);

export const CustomerErasureDto = Type.Object(
  {
    customerId: Type.String(),
    erasedAt: DateTime,
    /** Orders kept for the books, detached from the person (placeholder e-mail, country-only address). */
    ordersAnonymised: Type.Integer(),
  },
  { $id: 'CustomerErasureDto' },
);
