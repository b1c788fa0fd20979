import type { paths } from '@mcart/api-client';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;

/** The server's shapes, from the generated OpenAPI types. */
export type ToPackOrder = Json<paths['/api/admin/shipping/to-pack']['get']['responses'][200]>['data'][number];
export type Shipment = Json<paths['/api/admin/shipments/{id}']['get']['responses'][200]>;
export type ShipmentStatus = Shipment['status'];
export type CreatedShipment = Json<paths['/api/admin/orders/{id}/shipments']['post']['responses'][201]>;
export type TrackingImportReport = Json<
  paths['/api/admin/shipments/tracking-import']['post']['responses'][200]
>;
export type MailboxMessage = Json<paths['/api/admin/mailbox/{id}']['get']['responses'][200]>;

export const SHIPMENT_STATUSES = [
  'label_created',
  'in_transit',
  'out_for_delivery',
  'delivered',
  'exception',
  'returned_to_sender',
  'voided',
] as const satisfies readonly ShipmentStatus[];
