import { randomInt } from 'node:crypto';
import { trackingTime } from '../tracking-time.ts';
import { makeS10 } from '../tracking-number.ts';
import { ShippingErrors } from '../shipping.errors.ts';
import {
  TRACKING_STATUSES,
  type CreateShipmentInput,
  type CreatedShipment,
  type Parcel,
  type Rate,
  type ShippingProvider,
  type TrackingStatus,
  type TrackingUpdate,
} from './provider.ts';

export interface BuiltinOptions {
  carrier: string;
  prefix: string;
  originCountry: string;
  currency: string;
  trackingUrl: string;
  /** Whether a shipment already has this tracking number (read on the primary: a replica may lag). */
  isTaken: (trackingNumber: string) => Promise<boolean>;
  /** The serial source; crypto.randomInt in production, replaceable in tests. */
  randomSerial?: () => number;
}

/** S10 serials are 8 digits: 10^8 of them. */
const SERIALS = 100_000_000;
/** Draws before giving up: with the space even half full, ten collisions in a row are one in a thousand. */
const DRAWS = 10;

/**
 * The embedded default: the store is its own "carrier" (own post office drop-off or courier). It issues
 * S10 tracking numbers, its labels are rendered by MCart (PDF/ZPL), and tracking arrives by the signed
 * webhook or a staff CSV import. Rates are a simple weight table so checkout has something real.
 */
export class BuiltinProvider implements ShippingProvider {
  readonly name = 'builtin';
  constructor(private readonly options: BuiltinOptions) {}

  async rates(parcel: Parcel): Promise<Rate[]> {
    const kg = Math.max(1, Math.ceil(parcel.weightGrams / 1000));
    const { carrier, currency } = this.options;
    return [
      { carrier, service: 'standard', amount: 499 + (kg - 1) * 150, currency, estimatedDays: 4 },
      { carrier, service: 'express', amount: 1299 + (kg - 1) * 300, currency, estimatedDays: 1 },
    ];
  }

  async createShipment(input: CreateShipmentInput): Promise<CreatedShipment> {
    const service = input.service === 'express' ? 'express' : 'standard';
    const trackingNumber = await this.freshTrackingNumber();
    const rates = await this.rates(input.parcel);
    return {
      providerShipmentId: trackingNumber,
      carrier: this.options.carrier,
      service,
      trackingNumber,
      trackingUrl: this.options.trackingUrl.replace('{trackingNumber}', encodeURIComponent(trackingNumber)),
      rate: rates.find((rate) => rate.service === service),
    };
  }

  /**
   * A tracking number no shipment has, its serial drawn at random. The public tracking page shows a parcel
   * to whoever has its number, so a number must not tell the next one: sequential serials did (one's own
   * parcel + 1 was the next shopper's). A draw that is taken is drawn again. Two instances drawing the same
   * free number at the same moment (a chance of one in 10^8) are kept apart by the unique constraint on
   * (provider, tracking_number): the second shipment is refused with 409 and nothing is written.
   */
  private async freshTrackingNumber(): Promise<string> {
    const draw = this.options.randomSerial ?? (() => randomInt(SERIALS));
    for (let attempt = 0; attempt < DRAWS; attempt++) {
      const trackingNumber = makeS10(this.options.prefix, draw(), this.options.originCountry);
      if (!(await this.options.isTaken(trackingNumber))) return trackingNumber;
    }
    throw ShippingErrors.providerFailed('No free tracking number was found; try again');
  }

  /** Nothing was bought from anyone: voiding only needs the shipment's own state change. */
  async voidLabel(): Promise<void> {}

  /**
   * Body: `{ events: [{ id, trackingNumber, status, occurredAt, location?, description? }] }`, the shape
   * a courier integration or a bridge script posts (signed with the provider's secret).
   */
  parseWebhook(body: unknown): TrackingUpdate[] {
    const events = (body as { events?: unknown })?.events;
    if (!Array.isArray(events) || events.length === 0 || events.length > 500)
      throw ShippingErrors.badWebhook('Expected { events: [...] } with 1 to 500 events');
    return events.map((raw: unknown, index) => {
      const event = raw as Record<string, unknown>;
      const fail = (field: string) =>
        ShippingErrors.badWebhook(`events[${index}].${field} is missing or invalid`);
      if (typeof event?.id !== 'string' || event.id.length === 0 || event.id.length > 200) throw fail('id');
      if (typeof event.trackingNumber !== 'string' || event.trackingNumber.length > 64)
        throw fail('trackingNumber');
      if (
        typeof event.status !== 'string' ||
        !(TRACKING_STATUSES as readonly string[]).includes(event.status)
      )
        throw fail('status');
      const occurredAt = typeof event.occurredAt === 'string' ? trackingTime(event.occurredAt) : null;
      if (!(occurredAt instanceof Date)) throw fail('occurredAt');
      return {
        eventId: event.id,
        trackingNumber: event.trackingNumber.toUpperCase(),
        status: event.status as TrackingStatus,
        occurredAt,
        location: typeof event.location === 'string' ? event.location.slice(0, 200) : undefined,
        description: typeof event.description === 'string' ? event.description.slice(0, 500) : undefined,
      };
    });
  }
}
