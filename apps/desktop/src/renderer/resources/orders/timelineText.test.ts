import { describe, expect, it } from 'vitest';
import { createI18nProvider } from '../../i18n/i18nProvider.ts';
import { timelineText } from './timelineText.ts';

// The app's own catalogues, as the order page translates with them (ADR 0069).
const inFrench = createI18nProvider('fr');
const inEnglish = createI18nProvider('en');
const fr = (event: Parameters<typeof timelineText>[0]) => timelineText(event, inFrench.translate, 'fr');
const en = (event: Parameters<typeof timelineText>[0]) => timelineText(event, inEnglish.translate, 'en');
// Intl writes a narrow no-break space before the euro sign and as the thousands separator in French.
const plain = (text: string | null) => text?.replace(/[\u202f\u00a0]/g, ' ') ?? null;

describe('order timeline text (ADR 0069)', () => {
  it('shows the events the server keys in French, money in the French way', () => {
    expect(fr({ message: 'Order placed', messageKey: 'order.placed', messageParams: {} })).toBe(
      'Commande passée',
    );
    expect(fr({ message: 'Payment received', messageKey: 'payment.received', messageParams: {} })).toBe(
      'Paiement reçu',
    );
    expect(
      plain(
        fr({
          message: 'Refund €1,234.50: goodwill',
          messageKey: 'refund.made',
          messageParams: { amount: { amount: 123450, currency: 'EUR' }, note: 'goodwill' },
        }),
      ),
    ).toBe('Remboursement de 1 234,50 € : goodwill');
    expect(
      fr({
        message: 'Return MC-001005-R1 requested: 2 item(s), damaged',
        messageKey: 'return.requested',
        messageParams: { number: 'MC-001005-R1', items: 2, reason: 'damaged' },
      }),
    ).toBe('Retour MC-001005-R1 demandé : 2 article(s), endommagé');
    expect(
      fr({
        message:
          'Parcel 1Z9 returned to sender: 1 item(s) back in the warehouse (the order is refunded: ...)',
        messageKey: 'parcel.returned_to_sender_kept',
        messageParams: { trackingNumber: '1Z9', items: 1, status: 'refunded' },
      }),
    ).toContain('la commande est remboursée');
  });

  it('says in English what the server said, money for the English locale', () => {
    expect(
      en({
        message: 'Refund $10.00',
        messageKey: 'refund.made',
        messageParams: { amount: { amount: 1000, currency: 'USD' } },
      }),
    ).toBe('Refund $10.00');
    expect(
      en({
        message: 'payment_failed: card_declined',
        messageKey: 'order.payment_failed',
        messageParams: { note: 'card_declined' },
      }),
    ).toBe('Payment failed: card_declined');
  });

  it('falls back to the message for a key it does not know, no key, or a parameter missing', () => {
    expect(
      fr({
        message: 'Something new happened',
        messageKey: 'order.teleported',
        messageParams: { to: 'Mars' },
      }),
    ).toBe('Something new happened');
    expect(fr({ message: 'Called the customer' })).toBe('Called the customer');
    expect(fr({ message: 'Refund $10.00', messageKey: 'refund.made', messageParams: {} })).toBe(
      'Refund $10.00',
    );
    // Not a key of the timeline's: never a lookup elsewhere in the catalogue.
    expect(fr({ message: 'x', messageKey: 'order', messageParams: {} })).toBe('x');
    expect(fr({ message: 'x', messageKey: '../../ra.action.delete', messageParams: {} })).toBe('x');
    expect(fr({ message: null, messageKey: 'order.unknown' })).toBeNull();
  });
});
