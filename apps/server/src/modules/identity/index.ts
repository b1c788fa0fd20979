import type { EntityManager } from '@mikro-orm/postgresql';
import type { MCartModule } from '../module.ts';
import { IdentitySettingsSchema, StaffSchema } from './staff.entity.ts';
import { AuthSessionSchema } from './session.entity.ts';
import {
  AccountTokenSchema,
  CustomerAddressSchema,
  CustomerIdentitySchema,
  CustomerSchema,
  OAuthStateSchema,
} from './customer.entity.ts';
import { adminAuthRoutes } from './admin-auth.routes.ts';
import { adminIdentityRoutes } from './admin.routes.ts';
import { storeIdentityRoutes } from './store.routes.ts';
import { oauthRoutes } from './oauth.routes.ts';
import { totpRoutes } from './totp.routes.ts';
import { staffAccountRoutes } from './staff-account.routes.ts';
import { SessionsService } from './sessions.service.ts';
import { StaffService } from './staff.service.ts';
import { CustomersService } from './customers.service.ts';
import { mailSender } from './mail.ts';
import { purgeExpiredIdentityRows } from './purge.ts';
import { CustomerDataService } from './customer-data.service.ts';
import { erasureMailSender } from './erasure-mail.ts';

export const identityModule: MCartModule = {
  name: 'identity',
  entities: [
    StaffSchema,
    IdentitySettingsSchema,
    AuthSessionSchema,
    CustomerSchema,
    CustomerAddressSchema,
    AccountTokenSchema,
    CustomerIdentitySchema,
    OAuthStateSchema,
  ],
  async register(app, config) {
    // An access token only works while its session family stands (not revoked, not past its lifetime) and the
    // account is enabled; a staff token only while it carries the member's current role (a role changed without
    // its sessions ending, e.g. by hand in SQL or a restored backup, must not leave the old role's permissions
    // usable). The live socket's periodic re-check calls this too, with the role its token carried.
    app.sessionGuard.isActive = async (claims) => {
      const em = app.orm.em.fork();
      const sessions = new SessionsService(em, config.auth.sessionMaxSeconds);
      if (!(await sessions.isFamilyActive(claims.kind, claims.sid))) return false;
      if (claims.kind === 'staff') {
        const staff = await new StaffService(em).findActive(claims.sub);
        return staff !== null && staff.role === claims.role;
      }
      return (await new CustomersService(em, app.cipher).findActive(claims.sub)) !== null;
    };
    const sendMail = mailSender(app);
    // Catalog, orders and invoicing (registered after identity) publish `app.customerStockAlerts`,
    // `app.customerOrders` and `app.customerDocuments`: looked up per request (ADR 0048).
    const customerData = (em: EntityManager) =>
      new CustomerDataService(em, {
        cipher: app.cipher,
        orders: app.hasDecorator('customerOrders') ? app.customerOrders : null,
        documents: app.hasDecorator('customerDocuments') ? app.customerDocuments : null,
        stockAlerts: app.hasDecorator('customerStockAlerts') ? app.customerStockAlerts : null,
        mail: erasureMailSender(app),
      });
    await app.register(adminAuthRoutes, { config });
    await app.register(adminIdentityRoutes, { customerData });
    await app.register(storeIdentityRoutes, { config, sendMail, customerData });
    await app.register(oauthRoutes, { config });
    await app.register(totpRoutes, { config });
    await app.register(staffAccountRoutes, { config });

    app.jobs.define('identity.purge', async () => {
      const purged = await purgeExpiredIdentityRows(app.orm.em.fork());
      app.log.info({ purged }, 'expired identity rows purged');
    });
    app.jobs.schedule('identity.purge', '41 * * * *');
  },
  async onReady(app, config) {
    const owner = await new StaffService(app.orm.em.fork()).ensureOwner(
      config.admin.email,
      config.admin.password,
    );
    if (owner) config.onOwnerCreated?.(owner);
  },
};
