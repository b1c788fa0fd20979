import { formatMoney } from '../../platform/money.ts';
import type { StoreAddress } from '../../config.ts';
import { cityLines } from '../../platform/regions.ts';

/** What every e-mail carries from configuration: the store's name, logo, colours and postal address. */
export interface Branding {
  storeName: string;
  logoUrl: string | undefined;
  primaryColor: string;
  accentColor: string;
  address: StoreAddress;
  supportEmail: string | undefined;
  currency: string;
}

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

/** Thrown when a template is asked for with data it cannot render: a programming error of the caller. */
export class TemplateDataError extends Error {
  constructor(template: string, field: string) {
    super(`Template ${template}: "${field}" is missing or invalid`);
    this.name = 'TemplateDataError';
  }
}

interface Line {
  title: string;
  quantity: number;
  unitPrice: number | undefined;
}

/** A template describes content once; the layout turns it into both the HTML and the plain-text part. */
interface Content {
  subject: string;
  heading: string;
  paragraphs: string[];
  action?: { label: string; url: string };
  facts?: [string, string][];
  lines?: Line[];
  currency?: string;
  /** A labelled block of lines after the facts, e.g. the address to send a return to. */
  block?: { label: string; lines: string[] };
  /** Amounts under the lines (subtotal … total), the last one in bold. */
  totals?: [string, string][];
}

type Data = Record<string, unknown>;

class Reader {
  constructor(
    private readonly template: string,
    private readonly data: Data,
  ) {}

  string(field: string): string {
    const value = this.data[field];
    if (typeof value !== 'string' || value.trim() === '') throw new TemplateDataError(this.template, field);
    return value;
  }

  optionalString(field: string): string | undefined {
    const value = this.data[field];
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string') throw new TemplateDataError(this.template, field);
    return value;
  }

  /** Links must be http(s): a `javascript:` URL never reaches an inbox. */
  url(field: string): string {
    const value = this.string(field);
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      throw new TemplateDataError(this.template, field);
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
      throw new TemplateDataError(this.template, field);
    return parsed.toString();
  }

  /** A yes/no that is no when absent. */
  flag(field: string): boolean {
    const value = this.data[field];
    if (value === undefined || value === null) return false;
    if (typeof value !== 'boolean') throw new TemplateDataError(this.template, field);
    return value;
  }

  optionalMoney(field: string): number | undefined {
    const value = this.data[field];
    if (value === undefined || value === null) return undefined;
    const amount = typeof value === 'object' ? (value as { amount?: unknown }).amount : value;
    if (typeof amount !== 'number' || !Number.isInteger(amount))
      throw new TemplateDataError(this.template, field);
    return amount;
  }

  money(field: string): number {
    const amount = this.optionalMoney(field);
    if (amount === undefined) throw new TemplateDataError(this.template, field);
    return amount;
  }

  lines(field: string): Line[] | undefined {
    const value = this.data[field];
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) throw new TemplateDataError(this.template, field);
    return value.map((raw: unknown, index) => {
      const item = raw as Data;
      const row = new Reader(this.template, item ?? {});
      const quantity = item?.quantity;
      if (typeof quantity !== 'number' || !Number.isInteger(quantity))
        throw new TemplateDataError(this.template, `${field}[${index}].quantity`);
      return { title: row.string('title'), quantity, unitPrice: row.optionalMoney('unitPrice') };
    });
  }
}

/**
 * A name as a greeting may use it. The name is the shopper's own words, and an order (a declined one costs
 * nothing) can be placed with anyone's e-mail address: a "name" such as "Your account is locked: call
 * 0800 555 0100 or sign in at evil.example" would have the store say it to a stranger, from its own address.
 * Names are letters, spaces and a little punctuation: one longer than 50 characters, with a digit, or with
 * what makes links, addresses and phone numbers (@ / \ : = # % ? + _, "word.com") is left out ("Hello,").
 * HTML escaping is separate and applies to everything.
 */
const NAME_MAX_LENGTH = 50;
const NOT_A_NAME = /[\p{Nd}@/\\:=#%?+_*|~^$[\]{}]|\p{L}\.\p{L}{2}|\bwww\b/iu;
function greetingName(name: string | undefined): string | undefined {
  const plain = name?.replace(/\s+/g, ' ').trim();
  if (!plain || plain.length > NAME_MAX_LENGTH || NOT_A_NAME.test(plain)) return undefined;
  return plain;
}

const greeting = (name: string | undefined) => {
  const shown = greetingName(name);
  return shown ? `Hello ${shown},` : 'Hello,';
};

/**
 * An order's amounts as its confirmation lists them (e-mails queued before they were sent along have none):
 * subtotal, the discount when there is one, shipping, tax (included in the prices or added) and the total.
 */
function orderTotals(r: Reader, currency: string): [string, string][] | undefined {
  const total = r.optionalMoney('total');
  if (total === undefined) return undefined;
  const discount = r.optionalMoney('discount') ?? 0;
  return [
    ['Subtotal', formatMoney(r.money('subtotal'), currency)],
    ...(discount > 0 ? [['Discount', `−${formatMoney(discount, currency)}`] as [string, string]] : []),
    ['Shipping', formatMoney(r.money('shipping'), currency)],
    [r.flag('pricesIncludeTax') ? 'Tax included' : 'Tax', formatMoney(r.money('tax'), currency)],
    ['Total', formatMoney(total, currency)],
  ];
}

const TEMPLATES = {
  'order-confirmation': (r: Reader, brand: Branding): Content => {
    const number = r.string('orderNumber');
    const currency = r.optionalString('currency') ?? brand.currency;
    const totals = orderTotals(r, currency);
    return {
      subject: `Order ${number} confirmed`,
      heading: 'Thank you for your order',
      paragraphs: [
        greeting(r.optionalString('customerName')),
        `We have received your order ${number}. We will let you know as soon as it ships.`,
      ],
      facts: [['Order', number]],
      ...(r.lines('lines') ? { lines: r.lines('lines')! } : {}),
      currency,
      ...(totals ? { totals } : {}),
    };
  },
  'payment-failed': (r: Reader): Content => {
    const number = r.string('orderNumber');
    return {
      subject: `Payment for order ${number} did not go through`,
      heading: 'Your payment failed',
      paragraphs: [
        greeting(r.optionalString('customerName')),
        `The payment for order ${number} did not go through, so the order was not placed and no money was taken. Your cart is still there: you can check out again with another card.`,
      ],
      ...(r.optionalString('retryUrl')
        ? { action: { label: 'Pay for your order', url: r.url('retryUrl') } }
        : {}),
      facts: [['Order', number]],
    };
  },
  'order-shipped': (r: Reader): Content => {
    const number = r.string('orderNumber');
    const trackingNumber = r.string('trackingNumber');
    // One parcel of several: it says which items it holds, not that "your order" left.
    const partial = r.flag('partial');
    return {
      subject: `Order ${number} has shipped`,
      heading: partial ? 'Part of your order is on its way' : 'Your order is on its way',
      paragraphs: [
        greeting(r.optionalString('customerName')),
        partial
          ? `Good news: a parcel with part of your order ${number} has been handed to ${r.string('carrier')}. It holds the items below; the other items of your order are sent in a separate parcel.`
          : `Good news: your order ${number} has been handed to ${r.string('carrier')}.`,
      ],
      // A parcel whose carrier gave no tracking link (a blank one): the tracking number below still says it.
      ...(r.optionalString('trackingUrl')
        ? { action: { label: 'Track your parcel', url: r.url('trackingUrl') } }
        : {}),
      facts: [
        ['Order', number],
        ['Carrier', r.string('carrier')],
        ['Tracking number', trackingNumber],
      ],
      ...(r.lines('lines') ? { lines: r.lines('lines')! } : {}),
    };
  },
  'order-delivered': (r: Reader): Content => {
    const number = r.string('orderNumber');
    // Carrier and link: a parcel reported delivered at its first scan had no "has shipped" e-mail to give them.
    // Optional: e-mails queued before they were passed still render.
    const carrier = r.optionalString('carrier');
    const partial = r.flag('partial');
    const by = carrier ? ` by ${carrier}` : '';
    return {
      subject: `Order ${number} was delivered`,
      heading: 'Your parcel has arrived',
      paragraphs: [
        greeting(r.optionalString('customerName')),
        partial
          ? `A parcel with part of your order ${number} was delivered${by}: the items below. The other items of your order are sent in a separate parcel.`
          : `Your order ${number} was delivered${by}. We hope you enjoy it.`,
      ],
      ...(r.lines('lines') ? { lines: r.lines('lines')! } : {}),
      ...(r.optionalString('trackingUrl')
        ? { action: { label: 'Track your parcel', url: r.url('trackingUrl') } }
        : {}),
      facts: [
        ['Order', number],
        ...(carrier ? [['Carrier', carrier] as [string, string]] : []),
        ['Tracking number', r.string('trackingNumber')],
      ],
    };
  },
  'order-cancelled': (r: Reader): Content => {
    const number = r.string('orderNumber');
    return {
      subject: `Order ${number} was cancelled`,
      heading: 'Your order was cancelled',
      paragraphs: [
        greeting(r.optionalString('customerName')),
        `Your order ${number} has been cancelled. If you were charged, the money is refunded to your original payment method.`,
      ],
      facts: [['Order', number]],
    };
  },
  'refund-issued': (r: Reader, brand: Branding): Content => {
    const number = r.string('orderNumber');
    const amount = r.optionalMoney('amount');
    const currency = r.optionalString('currency') ?? brand.currency;
    return {
      subject: `Refund for order ${number}`,
      heading: 'We have issued a refund',
      paragraphs: [
        greeting(r.optionalString('customerName')),
        amount === undefined
          ? `We have refunded your order ${number}.`
          : `We have refunded ${formatMoney(amount, currency)} for your order ${number}.`,
        'Depending on your bank it can take a few days to appear on your statement.',
      ],
      facts: [
        ['Order', number],
        ...(amount === undefined ? [] : [['Refund', formatMoney(amount, currency)] as [string, string]]),
      ],
    };
  },
  'return-requested': (r: Reader): Content => {
    const number = r.string('orderNumber');
    const returnNumber = r.string('returnNumber');
    return {
      subject: `We received your return request ${returnNumber}`,
      heading: 'We received your return request',
      paragraphs: [
        greeting(r.optionalString('customerName')),
        `Thank you: we received your request ${returnNumber} to return items of your order ${number}. We will look at it and e-mail you our answer with what to do next.`,
        'Please do not send anything back before we answer.',
      ],
      facts: [
        ['Order', number],
        ['Return number', returnNumber],
      ],
      ...(r.lines('lines') ? { lines: r.lines('lines')! } : {}),
    };
  },
  'return-approved': (r: Reader, brand: Branding): Content => {
    const number = r.string('orderNumber');
    const returnNumber = r.string('returnNumber');
    const note = r.optionalString('note');
    return {
      subject: `Your return ${returnNumber} is approved`,
      heading: 'Your return is approved',
      paragraphs: [
        greeting(r.optionalString('customerName')),
        `We approved your return ${returnNumber} for order ${number}. Please pack the items below and send them to the address below, with the return number ${returnNumber} written on the parcel or on a note inside it.`,
        ...(note ? [note] : []),
        'We will let you know when they arrive.',
      ],
      facts: [
        ['Order', number],
        ['Return number', returnNumber],
      ],
      ...(r.lines('lines') ? { lines: r.lines('lines')! } : {}),
      block: {
        label: 'Send the items to',
        lines: [...addressLines(brand.address), `Return ${returnNumber}`],
      },
    };
  },
  'return-rejected': (r: Reader): Content => {
    const number = r.string('orderNumber');
    const returnNumber = r.string('returnNumber');
    return {
      subject: `Your return request ${returnNumber} was not accepted`,
      heading: 'We could not accept your return',
      paragraphs: [
        greeting(r.optionalString('customerName')),
        `We are sorry: we could not accept your return request ${returnNumber} for order ${number}.`,
        `Reason: ${r.string('reason')}`,
        'If you have a question, reply to this e-mail or contact us.',
      ],
      facts: [
        ['Order', number],
        ['Return number', returnNumber],
      ],
    };
  },
  'invoice-issued': (r: Reader): Content => {
    const orderNumber = r.string('orderNumber');
    const number = r.string('documentNumber');
    const currency = r.string('currency');
    return {
      subject: `Your invoice ${number} for order ${orderNumber}`,
      heading: 'Your invoice',
      paragraphs: [
        greeting(r.optionalString('customerName')),
        `Thank you for your order ${orderNumber}. Your invoice ${number} is attached to this e-mail as a PDF: please keep it for your records.`,
      ],
      facts: [
        ['Order', orderNumber],
        ['Invoice', number],
        ['Total', formatMoney(r.money('total'), currency)],
      ],
    };
  },
  'credit-note-issued': (r: Reader): Content => {
    const orderNumber = r.string('orderNumber');
    const number = r.string('documentNumber');
    const invoiceNumber = r.string('invoiceNumber');
    const currency = r.string('currency');
    return {
      subject: `Your credit note ${number} for order ${orderNumber}`,
      heading: 'Your credit note',
      paragraphs: [
        greeting(r.optionalString('customerName')),
        `We have issued credit note ${number} for your order ${orderNumber}. It corrects invoice ${invoiceNumber} and is attached to this e-mail as a PDF: please keep it with the invoice.`,
      ],
      facts: [
        ['Order', orderNumber],
        ['Credit note', number],
        ['Corrects invoice', invoiceNumber],
        ['Credited', formatMoney(r.money('total'), currency)],
      ],
    };
  },
  // A shopper's back-in-stock alert (ADR 0052): the price as the store shows it when the e-mail is queued.
  'back-in-stock': (r: Reader, brand: Branding): Content => {
    const product = r.string('productTitle');
    const variant = r.optionalString('variantTitle');
    const name = variant && variant !== product ? `${product} – ${variant}` : product;
    const currency = r.optionalString('currency') ?? brand.currency;
    const price = r.money('price');
    const regular = r.optionalMoney('regularPrice');
    const facts: [string, string][] = [['Product', product]];
    if (variant) facts.push(['Variant', variant]);
    facts.push(['Price', formatMoney(price, currency)]);
    if (regular !== undefined && regular > price)
      facts.push(['Before the sale', formatMoney(regular, currency)]);
    return {
      subject: `${name} is back in stock`,
      heading: 'Back in stock',
      paragraphs: [
        'Hello,',
        `You asked us to tell you when ${name} could be bought again at ${brand.storeName}: it can, now.`,
        'We do not put it aside for you, and it may sell out again. This is the only e-mail we send about it.',
      ],
      facts,
      action: { label: 'See the product', url: r.url('productUrl') },
    };
  },
  // The double opt-in of a back-in-stock alert (ADR 0052): nothing is sent about the product until the
  // address's owner follows the link. It says so, and that ignoring it is enough.
  'back-in-stock-confirm': (r: Reader, brand: Branding): Content => {
    const product = r.string('productTitle');
    const variant = r.optionalString('variantTitle');
    const name = variant && variant !== product ? `${product} – ${variant}` : product;
    return {
      subject: `Confirm your back-in-stock alert for ${name}`,
      heading: 'Confirm your alert',
      paragraphs: [
        'Hello,',
        `Someone, hopefully you, asked ${brand.storeName} to e-mail this address once when ${name} can be bought again.`,
        'Confirm with the button below and we will send that one e-mail. The link works once and expires in 48 hours.',
        'If you did not ask for this, ignore this e-mail: we will not write to you about it, and we delete the request.',
      ],
      facts: [['Product', name]],
      action: { label: 'Confirm the alert', url: r.url('confirmUrl') },
    };
  },
  'account-erased': (r: Reader, brand: Branding): Content => ({
    subject: `Your ${brand.storeName} account was deleted`,
    heading: 'Your account was deleted',
    paragraphs: [
      greeting(r.optionalString('firstName')),
      `As you asked, we deleted your ${brand.storeName} account with its addresses, sign-in methods and sessions.`,
      'Your orders are kept for our accounting and tax records, without your name, e-mail or street address.',
      'You can create a new account with this e-mail address at any time. If you did not ask for this, contact us.',
    ],
  }),
  'password-reset': (r: Reader, brand: Branding): Content => ({
    subject: `Reset your ${brand.storeName} password`,
    heading: 'Reset your password',
    paragraphs: [
      'Someone asked to reset the password of your account. If it was you, choose a new password with the button below. The link works once and expires soon.',
      'If you did not ask for this, ignore this e-mail: your password stays as it is.',
    ],
    action: { label: 'Choose a new password', url: r.url('resetUrl') },
  }),
  'verify-email': (r: Reader, brand: Branding): Content => ({
    subject: `Confirm your e-mail address for ${brand.storeName}`,
    heading: 'Confirm your e-mail address',
    paragraphs: [
      'Please confirm that this is your e-mail address so we can keep you posted about your orders.',
    ],
    action: { label: 'Confirm e-mail address', url: r.url('verifyUrl') },
  }),
  // To the new address of an e-mail change (ADR 0011): the signed-in owner confirms it.
  'email-change': (r: Reader, brand: Branding): Content => ({
    subject: `Confirm your new e-mail address for ${brand.storeName}`,
    heading: 'Confirm your new e-mail address',
    paragraphs: [
      greeting(r.optionalString('firstName')),
      `Someone asked to use this address for their ${brand.storeName} account. If it was you, confirm it with the button below while signed in to your account. The link works once and expires in 24 hours.`,
      'If you did not ask for this, ignore this e-mail: nothing changes.',
    ],
    action: { label: 'Confirm new e-mail address', url: r.url('confirmUrl') },
  }),
  // To the old address once the change is done: no link (nothing here may undo or redo it silently).
  'email-changed': (r: Reader, brand: Branding): Content => ({
    subject: `The e-mail address of your ${brand.storeName} account was changed`,
    heading: 'Your e-mail address was changed',
    paragraphs: [
      greeting(r.optionalString('firstName')),
      `The e-mail address of your ${brand.storeName} account was changed, and this address no longer signs in to it. Every device signed in to the account was signed out.`,
      brand.supportEmail
        ? `If you did not do this, contact us at ${brand.supportEmail} right away.`
        : 'If you did not do this, contact us right away.',
    ],
  }),
} satisfies Record<string, (r: Reader, brand: Branding) => Content>;

export type TemplateName = keyof typeof TEMPLATES;
export const TEMPLATE_NAMES = Object.keys(TEMPLATES) as TemplateName[];
export const isTemplateName = (name: string): name is TemplateName => Object.hasOwn(TEMPLATES, name);

/**
 * Templates whose text says a document is attached. The mailer queues and sends them only when a module has
 * registered what they carry (`mailer.registerAttachments`), and never without it.
 */
export const TEMPLATES_WITH_ATTACHMENTS: ReadonlySet<string> = new Set<TemplateName>([
  'invoice-issued',
  'credit-note-issued',
]);

const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

const addressLines = (address: StoreAddress) => {
  const city = cityLines(address);
  return [address.name, address.line1, address.line2, city.city, city.region, address.country].filter(
    (line): line is string => Boolean(line),
  );
};

function html(content: Content, brand: Branding): string {
  const e = escapeHtml;
  const logo = brand.logoUrl
    ? `<img src="${e(brand.logoUrl)}" alt="${e(brand.storeName)}" height="40" style="display:block;border:0;max-height:40px">`
    : `<span style="font-size:20px;font-weight:bold;color:#ffffff">${e(brand.storeName)}</span>`;
  const paragraphs = content.paragraphs
    .map((text) => `<p style="margin:0 0 16px;line-height:1.5">${e(text)}</p>`)
    .join('');
  const action = content.action
    ? `<p style="margin:24px 0"><a href="${e(content.action.url)}" style="background:${brand.accentColor};color:#ffffff;padding:12px 20px;border-radius:4px;text-decoration:none;display:inline-block;font-weight:bold">${e(content.action.label)}</a></p>
<p style="margin:0 0 16px;font-size:12px;color:#666666">Or open this link: <a href="${e(content.action.url)}" style="color:${brand.primaryColor}">${e(content.action.url)}</a></p>`
    : '';
  const facts = content.facts?.length
    ? `<table role="presentation" style="border-collapse:collapse;margin:0 0 16px">${content.facts
        .map(
          ([k, v]) =>
            `<tr><td style="padding:4px 16px 4px 0;color:#666666">${e(k)}</td><td style="padding:4px 0;font-weight:bold">${e(v)}</td></tr>`,
        )
        .join('')}</table>`
    : '';
  const currency = content.currency ?? brand.currency;
  const lines = content.lines?.length
    ? `<table role="presentation" width="100%" style="border-collapse:collapse;margin:0 0 16px">${content.lines
        .map(
          (line) =>
            `<tr><td style="padding:6px 0;border-bottom:1px solid #eeeeee">${e(line.title)}</td><td style="padding:6px 0;border-bottom:1px solid #eeeeee;text-align:right">× ${line.quantity}</td>${
              line.unitPrice === undefined
                ? ''
                : `<td style="padding:6px 0;border-bottom:1px solid #eeeeee;text-align:right">${e(formatMoney(line.unitPrice * line.quantity, currency))}</td>`
            }</tr>`,
        )
        .join('')}</table>`
    : '';
  const totals = content.totals?.length
    ? `<table role="presentation" width="100%" style="border-collapse:collapse;margin:0 0 16px">${content.totals
        .map(
          ([k, v], i, all) =>
            `<tr><td style="padding:4px 0;text-align:right;color:#666666">${e(k)}</td><td style="padding:4px 0 4px 16px;text-align:right;width:120px${i === all.length - 1 ? ';font-weight:bold' : ''}">${e(v)}</td></tr>`,
        )
        .join('')}</table>`
    : '';
  const block = content.block
    ? `<p style="margin:0 0 4px;color:#666666">${e(content.block.label)}</p>
<p style="margin:0 0 16px;padding:12px 16px;background:#f7f7f7;border-left:3px solid ${brand.accentColor};line-height:1.5;font-weight:bold">${content.block.lines.map(e).join('<br>')}</p>`
    : '';
  const footer = [...addressLines(brand.address), ...(brand.supportEmail ? [brand.supportEmail] : [])]
    .map(e)
    .join('<br>');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${e(content.subject)}</title></head>
<body style="margin:0;padding:0;background:#f4f4f4;font-family:Helvetica,Arial,sans-serif;color:#222222">
<table role="presentation" width="100%" style="border-collapse:collapse"><tr><td align="center" style="padding:24px 8px">
<table role="presentation" width="600" style="border-collapse:collapse;max-width:600px;background:#ffffff">
<tr><td style="background:${brand.primaryColor};padding:16px 24px">${logo}</td></tr>
<tr><td style="padding:24px">
<h1 style="margin:0 0 16px;font-size:22px;color:${brand.primaryColor}">${e(content.heading)}</h1>
${paragraphs}${facts}${lines}${totals}${block}${action}
</td></tr>
<tr><td style="padding:16px 24px;font-size:12px;color:#888888;border-top:1px solid #eeeeee">${footer}</td></tr>
</table></td></tr></table></body></html>`;
}

function text(content: Content, brand: Branding): string {
  const currency = content.currency ?? brand.currency;
  const parts = [content.heading.toUpperCase(), '', ...content.paragraphs.flatMap((p) => [p, ''])];
  if (content.facts?.length) parts.push(...content.facts.map(([k, v]) => `${k}: ${v}`), '');
  if (content.lines?.length) {
    parts.push(
      ...content.lines.map(
        (line) =>
          `- ${line.title} x ${line.quantity}${line.unitPrice === undefined ? '' : `  ${formatMoney(line.unitPrice * line.quantity, currency)}`}`,
      ),
      '',
    );
  }
  if (content.totals?.length) parts.push(...content.totals.map(([k, v]) => `${k}: ${v}`), '');
  if (content.block)
    parts.push(`${content.block.label}:`, ...content.block.lines.map((line) => `  ${line}`), '');
  if (content.action) parts.push(`${content.action.label}: ${content.action.url}`, '');
  parts.push('--', ...addressLines(brand.address), ...(brand.supportEmail ? [brand.supportEmail] : []));
  return parts.join('\n');
}

/** Renders a template with its data; throws TemplateDataError when the data does not fit. */
export function renderTemplate(
  template: string,
  data: Record<string, unknown>,
  brand: Branding,
): RenderedMail {
  if (!isTemplateName(template)) throw new TemplateDataError(template, '(unknown template)');
  const content = TEMPLATES[template](new Reader(template, data), brand);
  return { subject: `${content.subject}`, html: html(content, brand), text: text(content, brand) };
}
