import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261126000000Foundation } from './Migration20261126000000Foundation.ts';
import { Migration20261126030000Inventory } from './Migration20261126030000Inventory.ts';
import { Migration20261126020000CatalogModel } from './Migration20261126020000CatalogModel.ts';
import { Migration20261126020100CatalogSearchIndexes } from './Migration20261126020100CatalogSearchIndexes.ts';
import { Migration20261126050000Shipping } from './Migration20261126050000Shipping.ts';
import { Migration20261126045000Payments } from './Migration20261126045000Payments.ts';
import { Migration20261126055000Notifications } from './Migration20261126055000Notifications.ts';
import { Migration20261126040000Orders } from './Migration20261126040000Orders.ts';
import { Migration20261126070000OpsBackups } from './Migration20261126070000OpsBackups.ts';
import { Migration20261126010000IdentityCustomers } from './Migration20261126010000IdentityCustomers.ts';
import { Migration20261126120000IdentityStaffTotp } from './Migration20261126120000IdentityStaffTotp.ts';
import { Migration20261126170000PaymentReconcile } from './Migration20261126170000PaymentReconcile.ts';
import { Migration20261126080000CatalogImagesSales } from './Migration20261126080000CatalogImagesSales.ts';
import { Migration20261127060000StockRaise } from './Migration20261127060000StockRaise.ts';
import { Migration20261206000000CategoryClosureCached } from './Migration20261206000000CategoryClosureCached.ts';
import { Migration20261206010000DiscountRedemptionEmail } from './Migration20261206010000DiscountRedemptionEmail.ts';
import { Migration20261206020000OAuthBrowserBinding } from './Migration20261206020000OAuthBrowserBinding.ts';
import { Migration20261206030000OAuthLinkConfirm } from './Migration20261206030000OAuthLinkConfirm.ts';
import { Migration20261127000000StockLocationVersion } from './Migration20261127000000StockLocationVersion.ts';
import { Migration20261207000000ShippingMethodAdmin } from './Migration20261207000000ShippingMethodAdmin.ts';
import { Migration20261207010000OrderLineRefunds } from './Migration20261207010000OrderLineRefunds.ts';
import { Migration20261208010000StaffRecoveryCodes } from './Migration20261208010000StaffRecoveryCodes.ts';
import { Migration20261208040000Invoices } from './Migration20261208040000Invoices.ts';
import { Migration20261209000000SalesReportIndexes } from './Migration20261209000000SalesReportIndexes.ts';
import { Migration20261210000000ReturnRequests } from './Migration20261210000000ReturnRequests.ts';
import { Migration20261211000000ReturnRequestWithdrawn } from './Migration20261211000000ReturnRequestWithdrawn.ts';
import { Migration20261212000000StockAlerts } from './Migration20261212000000StockAlerts.ts';
import { Migration20261213000000PaymentSettledAt } from './Migration20261213000000PaymentSettledAt.ts';
import { Migration20261214000000CartShownShipping } from './Migration20261214000000CartShownShipping.ts';
import { Migration20261215000000SaleEndsOfShownPrice } from './Migration20261215000000SaleEndsOfShownPrice.ts';
import { Migration20261217000000CartShownDiscount } from './Migration20261217000000CartShownDiscount.ts';
import { Migration20261218000000MailNextAttempt } from './Migration20261218000000MailNextAttempt.ts';
import { Migration20261219000000OrderLineRefundedTotal } from './Migration20261219000000OrderLineRefundedTotal.ts';
import { Migration20261224000000PaymentRefundLines } from './Migration20261224000000PaymentRefundLines.ts';
import { Migration20261225100000StaffPasswordChange } from './Migration20261225100000StaffPasswordChange.ts';
import { Migration20261226000000OrderRefunds } from './Migration20261226000000OrderRefunds.ts';
import { Migration20261226000100PaymentDisputesAndRefundFailures } from './Migration20261226000100PaymentDisputesAndRefundFailures.ts';
import { Migration20261227000000SessionFamilyStart } from './Migration20261227000000SessionFamilyStart.ts';
import { Migration20261228000000IdempotencyClaim } from './Migration20261228000000IdempotencyClaim.ts';
import { Migration20261229000000SkuCaseInsensitive } from './Migration20261229000000SkuCaseInsensitive.ts';
import { Migration20261231000000TrackingLookupMisses } from './Migration20261231000000TrackingLookupMisses.ts';
import { Migration20270104000000StockAlertConfirmation } from './Migration20270104000000StockAlertConfirmation.ts';
import { Migration20270105000000CustomerEmailChange } from './Migration20270105000000CustomerEmailChange.ts';
import { Migration20270106000000RefundSucceededAt } from './Migration20270106000000RefundSucceededAt.ts';
import { Migration20270107000000LocationCodeCaseInsensitive } from './Migration20270107000000LocationCodeCaseInsensitive.ts';
import { Migration20270108000000IdempotencyAnswerText } from './Migration20270108000000IdempotencyAnswerText.ts';
import { Migration20270114000000OrderEventShippedIndex } from './Migration20270114000000OrderEventShippedIndex.ts';
import { Migration20270115000000BackupRestoreDrill } from './Migration20270115000000BackupRestoreDrill.ts';
import { Migration20270116000000ReturnRequestLineRestock } from './Migration20270116000000ReturnRequestLineRestock.ts';
import { Migration20270125000000OrderEventMessageKey } from './Migration20270125000000OrderEventMessageKey.ts';

/**
 * Every migration, in order. Migrations are checked in and applied at start (under an advisory lock).
 * Add a new one at the end; never edit one that has shipped.
 */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261126000000Foundation', class: Migration20261126000000Foundation },
  { name: 'Migration20261126055000Notifications', class: Migration20261126055000Notifications },
  { name: 'Migration20261126030000Inventory', class: Migration20261126030000Inventory },
  { name: 'Migration20261126020000CatalogModel', class: Migration20261126020000CatalogModel },
  { name: 'Migration20261126040000Orders', class: Migration20261126040000Orders },
  { name: 'Migration20261126020100CatalogSearchIndexes', class: Migration20261126020100CatalogSearchIndexes },
  { name: 'Migration20261126070000OpsBackups', class: Migration20261126070000OpsBackups },
  { name: 'Migration20261126010000IdentityCustomers', class: Migration20261126010000IdentityCustomers },
  { name: 'Migration20261126050000Shipping', class: Migration20261126050000Shipping },
  { name: 'Migration20261126045000Payments', class: Migration20261126045000Payments },
  { name: 'Migration20261126120000IdentityStaffTotp', class: Migration20261126120000IdentityStaffTotp },
  { name: 'Migration20261126170000PaymentReconcile', class: Migration20261126170000PaymentReconcile },
  { name: 'Migration20261126080000CatalogImagesSales', class: Migration20261126080000CatalogImagesSales },
  { name: 'Migration20261127000000StockLocationVersion', class: Migration20261127000000StockLocationVersion },
  { name: 'Migration20261127060000StockRaise', class: Migration20261127060000StockRaise },
  {
    name: 'Migration20261206000000CategoryClosureCached',
    class: Migration20261206000000CategoryClosureCached,
  },
  {
    name: 'Migration20261206010000DiscountRedemptionEmail',
    class: Migration20261206010000DiscountRedemptionEmail,
  },
  {
    name: 'Migration20261206020000OAuthBrowserBinding',
    class: Migration20261206020000OAuthBrowserBinding,
  },
  {
    name: 'Migration20261206030000OAuthLinkConfirm',
    class: Migration20261206030000OAuthLinkConfirm,
  },
  {
    name: 'Migration20261207000000ShippingMethodAdmin',
    class: Migration20261207000000ShippingMethodAdmin,
  },
  {
    name: 'Migration20261207010000OrderLineRefunds',
    class: Migration20261207010000OrderLineRefunds,
  },
  {
    name: 'Migration20261208010000StaffRecoveryCodes',
    class: Migration20261208010000StaffRecoveryCodes,
  },
  { name: 'Migration20261208040000Invoices', class: Migration20261208040000Invoices },
  {
    name: 'Migration20261209000000SalesReportIndexes',
    class: Migration20261209000000SalesReportIndexes,
  },
  { name: 'Migration20261210000000ReturnRequests', class: Migration20261210000000ReturnRequests },
  {
    name: 'Migration20261211000000ReturnRequestWithdrawn',
    class: Migration20261211000000ReturnRequestWithdrawn,
  },
  { name: 'Migration20261212000000StockAlerts', class: Migration20261212000000StockAlerts },
  { name: 'Migration20261213000000PaymentSettledAt', class: Migration20261213000000PaymentSettledAt },
  {
    name: 'Migration20261214000000CartShownShipping',
    class: Migration20261214000000CartShownShipping,
  },
  {
    name: 'Migration20261215000000SaleEndsOfShownPrice',
    class: Migration20261215000000SaleEndsOfShownPrice,
  },
  {
    name: 'Migration20261217000000CartShownDiscount',
    class: Migration20261217000000CartShownDiscount,
  },
  {
    name: 'Migration20261218000000MailNextAttempt',
    class: Migration20261218000000MailNextAttempt,
  },
  {
    name: 'Migration20261219000000OrderLineRefundedTotal',
    class: Migration20261219000000OrderLineRefundedTotal,
  },
  {
    name: 'Migration20261224000000PaymentRefundLines',
    class: Migration20261224000000PaymentRefundLines,
  },
  {
    name: 'Migration20261225100000StaffPasswordChange',
    class: Migration20261225100000StaffPasswordChange,
  },
  { name: 'Migration20261226000000OrderRefunds', class: Migration20261226000000OrderRefunds },
  {
    name: 'Migration20261226000100PaymentDisputesAndRefundFailures',
    class: Migration20261226000100PaymentDisputesAndRefundFailures,
  },
  {
    name: 'Migration20261227000000SessionFamilyStart',
    class: Migration20261227000000SessionFamilyStart,
  },
  {
    name: 'Migration20261228000000IdempotencyClaim',
    class: Migration20261228000000IdempotencyClaim,
  },
  {
    name: 'Migration20261229000000SkuCaseInsensitive',
    class: Migration20261229000000SkuCaseInsensitive,
  },
  {
    name: 'Migration20261231000000TrackingLookupMisses',
    class: Migration20261231000000TrackingLookupMisses,
  },
  {
    name: 'Migration20270104000000StockAlertConfirmation',
    class: Migration20270104000000StockAlertConfirmation,
  },
  {
    name: 'Migration20270105000000CustomerEmailChange',
    class: Migration20270105000000CustomerEmailChange,
  },
  {
    name: 'Migration20270106000000RefundSucceededAt',
    class: Migration20270106000000RefundSucceededAt,
  },
  {
    name: 'Migration20270107000000LocationCodeCaseInsensitive',
    class: Migration20270107000000LocationCodeCaseInsensitive,
  },
  {
    name: 'Migration20270108000000IdempotencyAnswerText',
    class: Migration20270108000000IdempotencyAnswerText,
  },
  {
    name: 'Migration20270114000000OrderEventShippedIndex',
    class: Migration20270114000000OrderEventShippedIndex,
  },
  {
    name: 'Migration20270115000000BackupRestoreDrill',
    class: Migration20270115000000BackupRestoreDrill,
  },
  {
    name: 'Migration20270116000000ReturnRequestLineRestock',
    class: Migration20270116000000ReturnRequestLineRestock,
  },
  {
    name: 'Migration20270125000000OrderEventMessageKey',
    class: Migration20270125000000OrderEventMessageKey,
  },
];
