import { defineError } from '../../platform/errors.ts';

export const ShippingErrors = {
  shipmentNotFound: defineError('MCART_ERR_SHIPMENT_NOT_FOUND', 404, 'No such shipment'),
  orderNotFound: defineError('MCART_ERR_ORDER_NOT_FOUND', 404, 'No such order'),
  orderNotShippable: defineError(
    'MCART_ERR_ORDER_NOT_SHIPPABLE',
    409,
    'The order cannot be shipped in its current state',
  ),
  overShipment: defineError('MCART_ERR_OVER_SHIPMENT', 422, 'More units than are left to ship'),
  nothingToShip: defineError(
    'MCART_ERR_NOTHING_TO_SHIP',
    409,
    'Every unit of this order is already in a shipment',
  ),
  alreadyShipped: defineError(
    'MCART_ERR_ORDER_ALREADY_SHIPPED',
    409,
    'The order was shipped: nothing is left to pack',
  ),
  labelDoesNotFit: defineError(
    'MCART_ERR_LABEL_ADDRESS_TOO_LONG',
    422,
    'The address does not fit on the label',
  ),
  labelTooLarge: defineError(
    'MCART_ERR_LABEL_TOO_LARGE',
    502,
    'The label file from the shipping provider is larger than 5 MB',
  ),
  labelNotAvailable: defineError('MCART_ERR_LABEL_NOT_AVAILABLE', 409, 'The label is not available'),
  cannotVoid: defineError('MCART_ERR_LABEL_NOT_VOIDABLE', 409, 'The label can no longer be voided'),
  providerFailed: defineError(
    'MCART_ERR_SHIPPING_PROVIDER',
    502,
    'The shipping provider did not answer as expected',
  ),
  providerRejected: defineError(
    'MCART_ERR_SHIPPING_REJECTED',
    422,
    'The shipping provider refused the shipment',
  ),
  unknownProvider: defineError('MCART_ERR_UNKNOWN_SHIPPING_PROVIDER', 404, 'No such shipping provider'),
  badSignature: defineError(
    'MCART_ERR_WEBHOOK_SIGNATURE',
    400,
    'The webhook signature is missing or invalid',
  ),
  badWebhook: defineError('MCART_ERR_WEBHOOK_PAYLOAD', 400, 'The webhook payload is not valid'),
  badCsv: defineError('MCART_ERR_CSV_INVALID', 400, 'The CSV file cannot be read'),
  csvTooLarge: defineError('MCART_ERR_CSV_TOO_LARGE', 413, 'The CSV file is larger than 2 MB'),
};
