import type { AppConfig } from '../../app.ts';
import type { MCartModule } from '../module.ts';
import { invoiceAdminRoutes, type InvoicingFactory } from './admin.routes.ts';
import { customerDocuments } from './customer-documents.ts';
import { documentsForEvents } from './invoice-events.ts';
import { documentAttachment, DOCUMENT_MAIL_TEMPLATES, mailIssuedDocument } from './invoice-mail.ts';
import { InvoicingService, type Seller } from './invoicing.service.ts';
import { invoiceStoreRoutes } from './store.routes.ts';

export { InvoicingService } from './invoicing.service.ts';
export type { DocumentSnapshot, DocumentKind, Seller } from './invoicing.service.ts';

/** The issuer printed on documents: the store's name, address, support e-mail and tax number as configured now. */
export const sellerFrom = (config: AppConfig): Seller => {
  const { address } = config.branding;
  return {
    name: config.store.name,
    address: {
      name: address.name,
      line1: address.line1,
      ...(address.line2 ? { line2: address.line2 } : {}),
      city: address.city,
      ...(address.region ? { region: address.region } : {}),
      postalCode: address.postalCode,
      country: address.country,
      ...(address.phone ? { phone: address.phone } : {}),
    },
    email: config.branding.supportEmail ?? null,
    ...(config.branding.taxId ? { taxId: config.branding.taxId } : {}),
  };
};

/**
 * Invoices and credit notes (ADR 0049): issued from order events by an outbox consumer, outside the
 * checkout's transaction; numbered gap-free per kind and year; frozen once issued; PDFs drawn on request
 * and e-mailed to the buyer, one e-mail per document.
 */
export const invoicingModule: MCartModule = {
  name: 'invoicing',
  entities: [],
  async register(app, config) {
    const seller = sellerFrom(config);
    // app.mailer: the notifications module registers first (modules/index.ts).
    const mail = mailIssuedDocument(app.mailer);
    const service: InvoicingFactory = (em) => new InvoicingService(em, app.cipher, seller, mail);
    const attachment = documentAttachment(service);
    for (const template of Object.values(DOCUMENT_MAIL_TEMPLATES))
      app.mailer.registerAttachments(template, attachment);
    // The customer's data export (identity, registered first) lists their documents through this port.
    app.decorate('customerDocuments', customerDocuments);
    // A batch at a time, one service for it: what it locks and reads once holds for the batch (ADR 0040).
    app.outbox.consumeBatch('invoicing', async (events, em) =>
      documentsForEvents(events, service(em), app.log),
    );
    await app.register(invoiceAdminRoutes, { service, cipher: app.cipher });
    await app.register(invoiceStoreRoutes, { service, cipher: app.cipher });
  },
};
