/**
 * An order timeline event's text in the user's language (ADR 0069). The server writes each event's English
 * `message` and, for the events staff read most, a stable `messageKey` with `messageParams`: the key is rendered
 * from `mcart.orders.timeline_text.<key>`, money and numbers formatted for the locale, an order status and a return
 * reason translated, and a `note` (free text someone wrote: a reason, a gateway's answer) shown as it is after the
 * text. An event without a key (notes, older events), or with a key this app does not know, shows its `message`.
 */
type Translate = (key: string, options?: Record<string, unknown>) => string;

export interface TimelineTextEvent {
  message: string | null;
  messageKey?: string | undefined;
  messageParams?: Record<string, unknown> | undefined;
}

/** Keys are `area.name` in lower case: anything else is not looked up (never a path of the catalogue's own). */
const KEY = /^[a-z][a-z_]*\.[a-z][a-z_]*$/;
const MISSING = '\u0000missing';

const isMoney = (value: unknown): value is { amount: number; currency: string } =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { amount?: unknown }).amount === 'number' &&
  typeof (value as { currency?: unknown }).currency === 'string' &&
  /^[A-Za-z]{3}$/.test((value as { currency: string }).currency);

/** A parameter as the template shows it, in `locale`. */
function shown(name: string, value: unknown, translate: Translate, locale: string): string {
  if (isMoney(value))
    return new Intl.NumberFormat(locale, {
      style: 'currency',
      currency: value.currency.toUpperCase(),
    }).format(value.amount / 100);
  if (typeof value === 'number') return new Intl.NumberFormat(locale).format(value);
  if (typeof value !== 'string') return value === null || value === undefined ? '' : JSON.stringify(value);
  if (name === 'status')
    return translate(`mcart.orders.status.${value}`, { _: value.replaceAll('_', ' ') }).toLocaleLowerCase(
      locale,
    );
  if (name === 'reason')
    return translate(`mcart.returns.reason.${value}`, { _: value.replaceAll('_', ' ') }).toLocaleLowerCase(
      locale,
    );
  return value;
}

/** The event's text in `locale`, or its English `message` (null when it has none). */
export function timelineText(event: TimelineTextEvent, translate: Translate, locale: string): string | null {
  const key = event.messageKey;
  if (!key || !KEY.test(key)) return event.message;
  const params = event.messageParams ?? {};
  const values = Object.fromEntries(
    Object.entries(params)
      .filter(([name]) => name !== 'note')
      .map(([name, value]) => [name, shown(name, value, translate, locale)]),
  );
  let text: string;
  try {
    text = translate(`mcart.orders.timeline_text.${key}`, { ...values, _: MISSING });
  } catch {
    return event.message;
  }
  // Unknown here (a newer server's key) or a parameter the text needs that the event lacks: the server's words.
  if (text === MISSING || typeof text !== 'string' || /%\{\w+\}/.test(text)) return event.message;
  const note = params.note;
  return typeof note === 'string' && note.trim()
    ? translate('mcart.orders.timeline_note', { text, note: note.trim() })
    : text;
}
