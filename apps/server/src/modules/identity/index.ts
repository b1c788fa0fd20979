import type { MCartModule } from '../module.ts';
import { StaffSchema } from './staff.entity.ts';
import { AuthSessionSchema } from './session.entity.ts';
import { adminAuthRoutes } from './admin-auth.routes.ts';
import { SessionsService } from './sessions.service.ts';
import { StaffService } from './staff.service.ts';

export const identityModule: MCartModule = {
  name: 'identity',
  entities: [StaffSchema, AuthSessionSchema],
  async register(app) {
    // An access token only works while its session family stands and the account is enabled.
    app.sessionGuard.isActive = async (claims) => {
      const em = app.orm.em.fork();
      if (!(await new SessionsService(em).isFamilyActive(claims.sid))) return false;
      if (claims.kind === 'staff') return (await new StaffService(em).findActive(claims.sub)) !== null;
      return true;
    };
    await app.register(adminAuthRoutes);
  },
  async onReady(app, config) {
    const owner = await new StaffService(app.orm.em.fork()).ensureOwner(config.admin.email, config.admin.password);
    if (owner) config.onOwnerCreated?.(owner);
  },
};
