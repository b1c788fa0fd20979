import { Migration } from '@mikro-orm/migrations';

/**
 * Staff manage shipping methods (modules/cart/admin.routes.ts): the optimistic `version` every other
 * editable record has, and the rule the cart relies on, written down: the default method is active (the
 * store falls back to it, so an inactive default would silently mean "no default"). A default that was
 * already inactive stops being the default, which is what the store did with it anyway.
 */
export class Migration20261207000000ShippingMethodAdmin extends Migration {
  override async up(): Promise<void> {
    this.addSql(`ALTER TABLE shipping_method ADD COLUMN version integer NOT NULL DEFAULT 1;`);
    this.addSql(`UPDATE shipping_method SET is_default = false WHERE is_default AND NOT active;`);
    this.addSql(
      `ALTER TABLE shipping_method ADD CONSTRAINT shipping_method_default_is_active CHECK (NOT is_default OR active);`,
    );
  }
}
