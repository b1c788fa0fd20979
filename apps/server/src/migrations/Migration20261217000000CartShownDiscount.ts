import { Migration } from '@mikro-orm/migrations';

/**
 * The discount a cart's last answer showed (minor units, 0 when none applied), kept with the shown shipping
 * (Migration20261214000000CartShownShipping): checkout refuses to charge a smaller discount than the shopper was
 * shown (a code edited since, 409 MCART_ERR_PRICE_CHANGED with `discountChange`; ADR 0014). Null until the cart
 * is first shown (carts written by SQL are not checked).
 */
export class Migration20261217000000CartShownDiscount extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      ALTER TABLE cart
        ADD COLUMN shown_discount_amount int NULL CHECK (shown_discount_amount >= 0);`);
  }

  override async down(): Promise<void> {
    this.addSql(`ALTER TABLE cart DROP COLUMN shown_discount_amount;`);
  }
}
