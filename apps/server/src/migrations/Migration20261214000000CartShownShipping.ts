import { Migration } from '@mikro-orm/migrations';

/**
 * The shipping a cart's last answer showed: the method and its amount for this basket (minor units), so that
 * checkout refuses to charge a shipping amount the shopper was never shown (409 MCART_ERR_PRICE_CHANGED, as
 * for a line's price; ADR 0014). Null until the cart is first shown (carts written by SQL are not checked).
 * The method id is a memory of an answer, not a choice: no foreign key.
 */
export class Migration20261214000000CartShownShipping extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      ALTER TABLE cart
        ADD COLUMN shown_shipping_method_id uuid NULL,
        ADD COLUMN shown_shipping_amount int NULL CHECK (shown_shipping_amount >= 0);`);
  }

  override async down(): Promise<void> {
    this.addSql(`ALTER TABLE cart DROP COLUMN shown_shipping_amount, DROP COLUMN shown_shipping_method_id;`);
  }
}
