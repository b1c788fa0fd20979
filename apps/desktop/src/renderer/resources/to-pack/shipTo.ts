/**
 * The label address staff write on the packing screen (`shippingAddress` of
 * `POST /api/admin/orders/{id}/shipments`), as plain functions tested without a browser: used when the
 * order's own address cannot be printed (MCART_ERR_LABEL_ADDRESS_TOO_LONG: a line over 35 characters,
 * letters outside Latin-1) or when a parcel came back (returned to sender, ADR 0047). The shipment keeps
 * it; the order's address is unchanged.
 */
import type { PostalAddress } from '../orders/orderTypes.ts';

/** The server's refusal of an address the label cannot print as it is. */
export const LABEL_ADDRESS_REFUSED = 'MCART_ERR_LABEL_ADDRESS_TOO_LONG';

export const ADDRESS_FIELDS = [
  'name',
  'company',
  'line1',
  'line2',
  'city',
  'region',
  'postalCode',
  'country',
  'phone',
] as const;
export type AddressField = (typeof ADDRESS_FIELDS)[number];

/** What the packer types, one string per field (blank optional fields are left out of the request). */
export type AddressDraft = Record<AddressField, string>;
export type AddressErrors = Partial<Record<AddressField, string>>;

const REQUIRED: readonly AddressField[] = ['name', 'line1', 'city', 'postalCode', 'country'];
const OPTIONAL: readonly AddressField[] = ['company', 'line2', 'region', 'phone'];

/** Countries whose region is the post's 2-letter code (the server's platform/regions.ts). */
const CODED_REGIONS: Readonly<Record<string, string>> = { US: 'IL', CA: 'ON' };

/** The example code of a country whose region must be a 2-letter code, else undefined. */
export const regionCodeExample = (country: string): string | undefined =>
  CODED_REGIONS[country.trim().toUpperCase()];

/**
 * The form pre-filled from the order's address; `fallback` (the queue's name, city, country) stands in
 * while the order's detail is not there.
 */
export function draftFrom(
  address: Partial<PostalAddress> | undefined,
  fallback: { name: string; city: string; country: string },
): AddressDraft {
  const source: Partial<PostalAddress> = address ?? fallback;
  return Object.fromEntries(ADDRESS_FIELDS.map((field) => [field, source[field] ?? ''])) as AddressDraft;
}

/** Required fields left blank: the shipment cannot be created until they are written. */
export const missingFields = (draft: AddressDraft): AddressField[] =>
  REQUIRED.filter((field) => draft[field].trim() === '');

/** The request's `shippingAddress`: trimmed, blank optional fields left out, the country upper case. */
export function addressRequest(draft: AddressDraft): PostalAddress {
  const address: Record<string, string> = {};
  for (const field of ADDRESS_FIELDS) {
    const value = draft[field].trim();
    if (OPTIONAL.includes(field) && value === '') continue;
    address[field] = field === 'country' ? value.toUpperCase() : value;
  }
  return address as unknown as PostalAddress;
}

export interface FieldProblem {
  path: string;
  message: string;
}

/** What a refused request says: its code, message and field errors (react-admin's HttpError body). */
export interface Refusal {
  code: string | undefined;
  message: string;
  fieldErrors: FieldProblem[];
}

export function readRefusal(error: unknown): Refusal {
  const message = error instanceof Error ? error.message : String(error);
  const body = (error as { body?: unknown } | null)?.body;
  if (typeof body !== 'object' || body === null) return { code: undefined, message, fieldErrors: [] };
  const { code, fieldErrors } = body as { code?: unknown; fieldErrors?: unknown };
  return {
    code: typeof code === 'string' ? code : undefined,
    message,
    fieldErrors: Array.isArray(fieldErrors)
      ? fieldErrors.filter(
          (item): item is FieldProblem =>
            typeof item === 'object' &&
            item !== null &&
            typeof (item as FieldProblem).path === 'string' &&
            typeof (item as FieldProblem).message === 'string',
        )
      : [],
  };
}

const FIELD_PATH = /^\/?(?:body[/.])?shippingAddress[/.](\w+)$/;

/**
 * The server's field errors on the label address, by input: request checks name
 * `body/shippingAddress/<field>`, the label check `shippingAddress/<field>` (the same field, whether the
 * address was the order's or staff's). The first message per field is kept. Errors on the store's sender
 * address (`senderAddress/...`) or elsewhere are not the packer's to fix here: left out.
 */
export function addressErrors(fieldErrors: readonly FieldProblem[]): AddressErrors {
  const errors: AddressErrors = {};
  for (const { path, message } of fieldErrors) {
    const field = FIELD_PATH.exec(path)?.[1];
    if (!field || !(ADDRESS_FIELDS as readonly string[]).includes(field)) continue;
    const key = field as AddressField;
    if (errors[key] === undefined) errors[key] = message;
  }
  return errors;
}

/**
 * The errors the server found on the order's address, kept on the fields the draft still has as the order
 * has them (a field the packer already rewrote is not the value the server refused).
 */
export function sameAsOrder(errors: AddressErrors, draft: AddressDraft, order: AddressDraft): AddressErrors {
  return Object.fromEntries(
    Object.entries(errors).filter(
      ([field]) => draft[field as AddressField].trim() === order[field as AddressField].trim(),
    ),
  );
}
