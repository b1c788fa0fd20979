/**
 * What the shipping domain needs from a carrier or a shipping API. Domain code talks to this interface
 * only; carrier SDKs and HTTP shapes stay inside the adapters in this folder.
 */
export interface PostalAddress {
  name: string;
  /** Company or organisation, printed under the name. */
  company?: string | undefined;
  line1: string;
  line2?: string | undefined;
  city: string;
  /** State, province or county (US and CA: the 2-letter code). Absent on addresses written before ADR 0047. */
  region?: string | undefined;
  postalCode: string;
  country: string;
  phone?: string | undefined;
}

export interface Parcel {
  weightGrams: number;
  lengthMm: number;
  widthMm: number;
  heightMm: number;
}

export interface Rate {
  carrier: string;
  service: string;
  /** Integer minor units. */
  amount: number;
  currency: string;
  estimatedDays?: number | undefined;
}

export interface CreateShipmentInput {
  /** Our shipment id: sent as the provider's reference so both sides can be matched. */
  reference: string;
  orderNumber: string;
  from: PostalAddress;
  to: PostalAddress;
  parcel: Parcel;
  /** Preferred service; the provider picks its default (cheapest) when omitted or unknown. */
  service?: string | undefined;
}

export interface CreatedShipment {
  providerShipmentId: string;
  carrier: string;
  service: string;
  trackingNumber: string;
  trackingUrl: string;
  rate?: Rate | undefined;
  /** Labels the provider hosts (by format); the built-in provider renders its labels itself instead. */
  labelUrls?: Partial<Record<LabelFormat, string>>;
}

export type LabelFormat = 'pdf' | 'zpl';

export const TRACKING_STATUSES = [
  'in_transit',
  'out_for_delivery',
  'delivered',
  'exception',
  'returned_to_sender',
] as const;
export type TrackingStatus = (typeof TRACKING_STATUSES)[number];

export interface TrackingUpdate {
  /** The provider's unique event id: a replayed webhook carries the same id and has no second effect. */
  eventId: string;
  trackingNumber: string;
  status: TrackingStatus;
  occurredAt: Date;
  location?: string | undefined;
  description?: string | undefined;
}

export interface ShippingProvider {
  readonly name: string;
  rates(parcel: Parcel, from: PostalAddress, to: PostalAddress): Promise<Rate[]>;
  createShipment(input: CreateShipmentInput): Promise<CreatedShipment>;
  /** Cancels an unused label (refund of postage where the carrier supports it). */
  voidLabel(providerShipmentId: string): Promise<void>;
  /** The provider's label file, for providers that host labels. */
  fetchLabel?(
    shipment: { providerShipmentId: string; labelUrls: Partial<Record<LabelFormat, string>> },
    format: LabelFormat,
  ): Promise<Buffer>;
  /** Parses a webhook body whose signature has already been verified; throws on a malformed body. */
  parseWebhook(body: unknown): TrackingUpdate[];
}
