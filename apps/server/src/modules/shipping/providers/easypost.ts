import { carrierTime } from '../tracking-time.ts';
import { ShippingErrors } from '../shipping.errors.ts';
import type {
  CreateShipmentInput,
  CreatedShipment,
  LabelFormat,
  Parcel,
  PostalAddress,
  Rate,
  ShippingProvider,
  TrackingStatus,
  TrackingUpdate,
} from './provider.ts';

interface EasyPostRate {
  id: string;
  carrier: string;
  service: string;
  rate: string;
  currency: string;
  delivery_days?: number | null;
}

interface EasyPostShipment {
  id: string;
  tracking_code?: string | null;
  rates?: EasyPostRate[];
  selected_rate?: EasyPostRate | null;
  postage_label?: {
    label_url?: string | null;
    label_pdf_url?: string | null;
    label_zpl_url?: string | null;
  } | null;
  tracker?: { public_url?: string | null } | null;
}

/**
 * EasyPost tracker statuses MCart follows. `pre_transit` (and `unknown`) are absent on purpose: EasyPost
 * reports pre_transit as soon as a label is bought, before any carrier scan. Taken as in_transit, it would
 * mark the parcel handed over while it is still on the packing table: "shipped" e-mail, order shipped, and
 * the label could no longer be voided.
 */
const STATUS: Record<string, TrackingStatus> = {
  in_transit: 'in_transit',
  out_for_delivery: 'out_for_delivery',
  delivered: 'delivered',
  available_for_pickup: 'out_for_delivery',
  return_to_sender: 'returned_to_sender',
  failure: 'exception',
  error: 'exception',
  cancelled: 'exception',
};

const toAddress = (address: PostalAddress) => ({
  name: address.name,
  company: address.company ?? null,
  street1: address.line1,
  street2: address.line2 ?? null,
  city: address.city,
  state: address.region ?? null,
  zip: address.postalCode,
  country: address.country,
  phone: address.phone ?? null,
});

/** EasyPost wants ounces and inches. */
const toParcel = (parcel: Parcel) => ({
  weight: Math.max(0.1, Math.round((parcel.weightGrams / 28.349523125) * 10) / 10),
  length: Math.round((parcel.lengthMm / 25.4) * 10) / 10,
  width: Math.round((parcel.widthMm / 25.4) * 10) / 10,
  height: Math.round((parcel.heightMm / 25.4) * 10) / 10,
});

/** Decimal string ("7.58") to minor units without floating point. */
export function decimalToMinor(value: string): number {
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(value.trim());
  if (!match) throw ShippingErrors.providerFailed(`Unreadable rate "${value}"`);
  return Number(match[1]) * 100 + Number((match[2] ?? '0').padEnd(2, '0'));
}

/** The largest label file downloaded (a 4x6 label is tens of kilobytes; a few pages of PDF, hundreds). */
export const LABEL_MAX_BYTES = 5 * 1024 * 1024;

/** The largest API reply read (JSON: a shipment with its rates is a few kilobytes; an error, less). */
export const REPLY_MAX_BYTES = 1024 * 1024;

/**
 * A reply body's bytes, at most `limit` of them: a declared length over it is refused before reading,
 * and a body without one stops being read (and the connection is let go) as soon as it passes the limit.
 */
async function readCapped(
  response: Response,
  limit: number,
  tooLarge: () => Error,
  failed: (message: string) => Error,
): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > limit) {
    await response.body?.cancel().catch(() => {});
    throw tooLarge();
  }
  if (!response.body) return Buffer.alloc(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let read: Awaited<ReturnType<typeof reader.read>>;
    try {
      read = await reader.read();
    } catch (err) {
      throw failed((err as Error).message);
    }
    if (read.done) break;
    size += read.value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(read.value);
  }
  return Buffer.concat(chunks, size);
}

const megabytes = (bytes: number) => `${bytes / (1024 * 1024)} MB`;

const readLabel = (response: Response) =>
  readCapped(
    response,
    LABEL_MAX_BYTES,
    () =>
      ShippingErrors.labelTooLarge(`The label from EasyPost is larger than ${megabytes(LABEL_MAX_BYTES)}`, {
        limitBytes: LABEL_MAX_BYTES,
      }),
    (message) => ShippingErrors.providerFailed(`Label download failed: ${message}`),
  );

/** An API reply's text, at most REPLY_MAX_BYTES of it: a larger one is a 502 naming the limit. */
async function readReply(response: Response): Promise<string> {
  const body = await readCapped(
    response,
    REPLY_MAX_BYTES,
    () =>
      ShippingErrors.providerFailed(
        `EasyPost ${response.status}: the reply is larger than ${megabytes(REPLY_MAX_BYTES)}`,
        { limitBytes: REPLY_MAX_BYTES },
      ),
    (message) =>
      ShippingErrors.providerFailed(`EasyPost ${response.status}: reading the reply failed: ${message}`),
  );
  return body.toString('utf8');
}

/**
 * Adapter for a hosted shipping API shaped like EasyPost (v2): create shipment (rates), buy the chosen
 * rate (label), refund (void), tracker webhooks. Plain fetch with Basic auth: no SDK in the domain.
 */
export class EasyPostProvider implements ShippingProvider {
  readonly name = 'easypost';
  constructor(
    private readonly apiKey: string,
    private readonly baseUrl: string,
    private readonly timeoutMs = 15_000,
  ) {}

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Basic ${Buffer.from(`${this.apiKey}:`).toString('base64')}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw ShippingErrors.providerFailed(`EasyPost unreachable: ${(err as Error).message}`);
    }
    const text = await readReply(response);
    if (!response.ok) {
      let message = text.slice(0, 300);
      try {
        message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? message;
      } catch {
        // not JSON: keep the text
      }
      if (response.status === 422) throw ShippingErrors.providerRejected(message);
      throw ShippingErrors.providerFailed(`EasyPost ${response.status}: ${message}`);
    }
    try {
      return JSON.parse(text) as T;
    } catch {
      throw ShippingErrors.providerFailed(`EasyPost ${response.status}: the reply is not JSON`);
    }
  }

  private toRate(rate: EasyPostRate): Rate {
    return {
      carrier: rate.carrier,
      service: rate.service,
      amount: decimalToMinor(rate.rate),
      currency: rate.currency,
      estimatedDays: rate.delivery_days ?? undefined,
    };
  }

  async rates(parcel: Parcel, from: PostalAddress, to: PostalAddress): Promise<Rate[]> {
    const shipment = await this.call<EasyPostShipment>('POST', '/shipments', {
      shipment: { from_address: toAddress(from), to_address: toAddress(to), parcel: toParcel(parcel) },
    });
    return (shipment.rates ?? []).map((rate) => this.toRate(rate));
  }

  async createShipment(input: CreateShipmentInput): Promise<CreatedShipment> {
    const created = await this.call<EasyPostShipment>('POST', '/shipments', {
      shipment: {
        reference: input.reference,
        from_address: toAddress(input.from),
        to_address: toAddress(input.to),
        parcel: toParcel(input.parcel),
        options: { label_format: 'PDF', print_custom_1: input.orderNumber },
      },
    });
    const rates = created.rates ?? [];
    if (!rates.length)
      throw ShippingErrors.providerFailed('EasyPost offered no rates for this parcel and address');
    const chosen =
      rates.find((rate) => rate.service.toLowerCase() === input.service?.toLowerCase()) ??
      [...rates].sort((a, b) => decimalToMinor(a.rate) - decimalToMinor(b.rate))[0]!;
    const bought = await this.call<EasyPostShipment>(
      'POST',
      `/shipments/${encodeURIComponent(created.id)}/buy`,
      { rate: { id: chosen.id } },
    );
    if (!bought.tracking_code)
      throw ShippingErrors.providerFailed('EasyPost bought a label without a tracking code');
    const selected = bought.selected_rate ?? chosen;
    const labelUrls: Partial<Record<LabelFormat, string>> = {};
    const pdf = bought.postage_label?.label_pdf_url ?? bought.postage_label?.label_url;
    if (pdf) labelUrls.pdf = pdf;
    if (bought.postage_label?.label_zpl_url) labelUrls.zpl = bought.postage_label.label_zpl_url;
    return {
      providerShipmentId: bought.id,
      carrier: selected.carrier,
      service: selected.service,
      trackingNumber: bought.tracking_code,
      // `||`: a blank public_url is no link either (the shipped e-mail and the shop's order page show this one).
      trackingUrl:
        bought.tracker?.public_url ||
        `https://track.easypost.com/${encodeURIComponent(bought.tracking_code)}`,
      rate: this.toRate(selected),
      labelUrls,
    };
  }

  async voidLabel(providerShipmentId: string): Promise<void> {
    const refunded = await this.call<{ refund_status?: string }>(
      'POST',
      `/shipments/${encodeURIComponent(providerShipmentId)}/refund`,
    );
    if (refunded.refund_status === 'rejected')
      throw ShippingErrors.cannotVoid('The carrier rejected the refund of this label');
  }

  /** Asks EasyPost to convert the label to the format when it has not yet, then downloads it. */
  async fetchLabel(
    shipment: { providerShipmentId: string; labelUrls: Partial<Record<LabelFormat, string>> },
    format: LabelFormat,
  ): Promise<Buffer> {
    let url = shipment.labelUrls[format];
    if (!url) {
      const converted = await this.call<EasyPostShipment>(
        'GET',
        `/shipments/${encodeURIComponent(shipment.providerShipmentId)}/label?file_format=${format.toUpperCase()}`,
      );
      url =
        (format === 'pdf'
          ? converted.postage_label?.label_pdf_url
          : converted.postage_label?.label_zpl_url) ?? undefined;
    }
    if (!url)
      throw ShippingErrors.labelNotAvailable(
        `EasyPost has no ${format.toUpperCase()} label for this shipment`,
      );
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (err) {
      throw ShippingErrors.providerFailed(`Label download failed: ${(err as Error).message}`);
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => {});
      throw ShippingErrors.providerFailed(`Label download failed with ${response.status}`);
    }
    return readLabel(response);
  }

  /** EasyPost "Event" objects: `{ id, description: "tracker.updated", result: Tracker }`. */
  parseWebhook(body: unknown): TrackingUpdate[] {
    const event = body as { id?: unknown; description?: unknown; result?: Record<string, unknown> };
    if (typeof event?.id !== 'string' || typeof event.description !== 'string' || !event.result) {
      throw ShippingErrors.badWebhook('Expected an EasyPost event with id, description and result');
    }
    if (!event.description.startsWith('tracker.')) return [];
    const tracker = event.result;
    const status =
      typeof tracker.status === 'string' && Object.hasOwn(STATUS, tracker.status)
        ? STATUS[tracker.status]
        : undefined;
    if (typeof tracker.tracking_code !== 'string')
      throw ShippingErrors.badWebhook('result.tracking_code is missing');
    if (!status) return []; // unknown and pre_transit: nothing has happened to the parcel yet
    const details = Array.isArray(tracker.tracking_details)
      ? (tracker.tracking_details as Record<string, unknown>[])
      : [];
    const last = details.at(-1);
    const location = last?.tracking_location as Record<string, unknown> | undefined;
    const when = carrierTime(last?.datetime ?? tracker.updated_at);
    return [
      {
        eventId: event.id,
        trackingNumber: tracker.tracking_code,
        status,
        occurredAt: when,
        // Cut as the built-in provider's is: tracking_event.location holds 200 characters, and a longer one
        // failed the insert (a 500 the carrier retried for ever).
        location: location
          ? [location.city, location.state, location.country]
              .filter((part) => typeof part === 'string' && part)
              .join(', ')
              .slice(0, 200) || undefined
          : undefined,
        description: typeof last?.message === 'string' ? last.message.slice(0, 500) : undefined,
      },
    ];
  }
}
