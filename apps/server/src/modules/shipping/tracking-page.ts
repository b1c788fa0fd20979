import type { FastifyPluginAsync } from 'fastify';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Static } from '@sinclair/typebox';
import { ShipmentSchema, TrackingEventSchema, type ShipmentStatus } from './shipment.entity.ts';
import type { PublicTrackingDto } from './shipping.schemas.ts';
import { clientOf } from '../../platform/client-address.ts';
import { countMiss, secondsBlocked, TRACKING_RATE_LIMIT } from './tracking-lookup-limit.ts';

export type PublicTracking = Static<typeof PublicTrackingDto>;

/** What a tracking number is (S10 numbers and carriers' own): letters and digits only. */
export const TRACKING_NUMBER = /^[A-Za-z0-9]{4,64}$/;

/**
 * A parcel as anyone holding its tracking number may see it: carrier, status and timeline. No address, name
 * or order content (the number is the secret the customer got by e-mail). Null when there is no such parcel.
 */
export async function publicTracking(
  em: EntityManager,
  trackingNumber: string,
): Promise<PublicTracking | null> {
  const shipment = await em.findOne(ShipmentSchema, {
    trackingNumber: trackingNumber.toUpperCase(),
    status: { $ne: 'voided' },
  });
  if (!shipment) return null;
  const events = await em.find(
    TrackingEventSchema,
    { shipment, status: { $ne: 'voided' } },
    { orderBy: { occurredAt: 'ASC' } },
  );
  return {
    trackingNumber: shipment.trackingNumber,
    carrier: shipment.carrier,
    status: shipment.status as PublicTracking['status'],
    events: events.map((event) => ({
      status: event.status as PublicTracking['status'],
      occurredAt: event.occurredAt.toISOString(),
      location: event.location ?? null,
      description: event.description ?? null,
    })),
  };
}

/** A lookup on a public tracking route: the parcel, none with that number, or the client is refused for now. */
export type TrackingLookup = { found: PublicTracking } | { unknown: true } | { blockedForSeconds: number };

/**
 * `publicTracking` for a client of the public routes: refused while the client has asked for too many unknown
 * numbers (tracking-lookup-limit.ts), and an unknown number counted against it.
 */
export async function lookupForClient(
  em: EntityManager,
  ip: string,
  trackingNumber: string,
): Promise<TrackingLookup> {
  const client = clientOf(ip);
  const blockedForSeconds = await secondsBlocked(em, client);
  if (blockedForSeconds > 0) return { blockedForSeconds };
  const found = await publicTracking(em, trackingNumber);
  if (found) return { found };
  await countMiss(em, client);
  return { unknown: true };
}

const STATUS_TEXT: Record<Exclude<ShipmentStatus, 'voided'>, string> = {
  label_created: 'Label created: the parcel is being prepared',
  in_transit: 'On its way',
  out_for_delivery: 'Out for delivery',
  delivered: 'Delivered',
  exception: 'Delayed: the carrier reported a problem',
  returned_to_sender: 'Returned to the sender',
};
const statusText = (status: string) => STATUS_TEXT[status as keyof typeof STATUS_TEXT] ?? status;

const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** "7 Dec 2026, 14:05 UTC": the page has no script to know the reader's zone, so it says which one it uses. */
const when = (iso: string) =>
  `${new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'UTC',
  }).format(new Date(iso))} UTC`;

export interface TrackingPageBrand {
  storeName: string;
  primaryColor: string;
  supportEmail: string | undefined;
}

function page(brand: TrackingPageBrand, title: string, body: string): string {
  const e = escapeHtml;
  const contact = brand.supportEmail
    ? `<p class="help">Questions about your order? Write to <a href="mailto:${e(brand.supportEmail)}">${e(brand.supportEmail)}</a>.</p>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${e(title)} · ${e(brand.storeName)}</title>
<style>
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d1d1f;background:#f5f6f8}
header{background:${brand.primaryColor};color:#fff;padding:16px 24px;font-weight:600;font-size:18px}
main{max-width:640px;margin:24px auto;padding:0 16px}
.card{background:#fff;border-radius:8px;padding:20px 24px;box-shadow:0 1px 3px rgba(0,0,0,.08)}
h1{font-size:22px;margin:0 0 4px}
.meta{color:#555;margin:0 0 16px}
ol{list-style:none;padding:0;margin:0;border-left:2px solid #d0d4da}
li{position:relative;padding:0 0 16px 18px}
li::before{content:"";position:absolute;left:-7px;top:4px;width:12px;height:12px;border-radius:50%;background:#d0d4da}
li:last-child::before{background:${brand.primaryColor}}
time,.where{color:#555;font-size:14px;display:block}
.help{color:#555;font-size:14px;margin-top:24px}
</style>
</head>
<body>
<header>${e(brand.storeName)}</header>
<main>
<div class="card">
${body}
</div>
${contact}
</main>
</body>
</html>
`;
}

/** The page for a parcel: its status in words, then the carrier's events, newest first. */
export function trackingHtml(brand: TrackingPageBrand, tracking: PublicTracking): string {
  const e = escapeHtml;
  const events = [...tracking.events]
    .reverse()
    .map(
      (event) =>
        `<li><strong>${e(event.description ?? statusText(event.status))}</strong>` +
        `<time datetime="${e(event.occurredAt)}">${e(when(event.occurredAt))}</time>` +
        (event.location ? `<span class="where">${e(event.location)}</span>` : '') +
        '</li>',
    )
    .join('\n');
  return page(
    brand,
    statusText(tracking.status),
    `<h1>${e(statusText(tracking.status))}</h1>
<p class="meta">${e(tracking.carrier)} · tracking number ${e(tracking.trackingNumber)}</p>
${events ? `<ol>\n${events}\n</ol>` : '<p>The carrier has not reported this parcel yet.</p>'}`,
  );
}

/** The page for a reader who asked for too many unknown numbers (429). */
export function tooManyHtml(brand: TrackingPageBrand): string {
  return page(
    brand,
    'Too many lookups',
    `<h1>Too many lookups</h1>
<p class="meta">Too many tracking numbers that no parcel has were looked up from your network. Please try again in an hour, with the link in your e-mail.</p>`,
  );
}

/** The page for a number that is malformed (400) or that no parcel has (404). */
export function notFoundHtml(brand: TrackingPageBrand, malformed: boolean): string {
  return page(
    brand,
    'Parcel not found',
    `<h1>Parcel not found</h1>
<p class="meta">${
      malformed
        ? 'A tracking number has only letters and digits, 4 to 64 of them. Please check the link in your e-mail.'
        : 'No parcel has this tracking number. Please check the link in your e-mail; a new label may take a few minutes to appear.'
    }</p>`,
  );
}

/**
 * `GET /track/{trackingNumber}`: the tracking link in shipped e-mails (the built-in provider's default,
 * `SHIPPING_TRACKING_URL`), a plain HTML page a shopper's browser shows as it is (no script). Shop clients
 * that render their own read the same data as JSON at `/api/store/tracking/{trackingNumber}`.
 */
export const trackingPageRoutes: FastifyPluginAsync<{ brand: TrackingPageBrand }> = async (
  app,
  { brand },
) => {
  app.get<{ Params: { trackingNumber: string } }>(
    '/track/:trackingNumber',
    {
      schema: { hide: true },
      config: { auth: 'public', rateLimit: TRACKING_RATE_LIMIT },
    },
    async (request, reply) => {
      reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
      const number = request.params.trackingNumber;
      if (!TRACKING_NUMBER.test(number)) return reply.code(400).send(notFoundHtml(brand, true));
      const lookup = await lookupForClient(request.em, request.ip, number);
      if ('blockedForSeconds' in lookup)
        return reply
          .code(429)
          .header('retry-after', String(lookup.blockedForSeconds))
          .send(tooManyHtml(brand));
      if ('unknown' in lookup) return reply.code(404).send(notFoundHtml(brand, false));
      return reply.send(trackingHtml(brand, lookup.found));
    },
  );
};
