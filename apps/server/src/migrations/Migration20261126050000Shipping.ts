import { Migration } from '@mikro-orm/migrations';

/** Shipping: shipments (parcels of an order), their lines and tracking timelines. */
export class Migration20261126050000Shipping extends Migration {
  override async up(): Promise<void> {
    // Serials of the built-in provider's S10 tracking numbers: unique across instances.
    this.addSql(`CREATE SEQUENCE shipment_tracking_serial_seq START 10000001 MAXVALUE 99999999 CYCLE;`);
    this.addSql(`
      CREATE TABLE shipment (
        id uuid PRIMARY KEY,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        order_id uuid NOT NULL,
        order_number varchar(64) NOT NULL,
        provider varchar(32) NOT NULL,
        provider_shipment_id varchar(128) NOT NULL,
        carrier varchar(64) NOT NULL,
        service varchar(64) NOT NULL,
        tracking_number varchar(64) NOT NULL,
        tracking_url varchar(500) NOT NULL,
        status text NOT NULL DEFAULT 'label_created'
          CHECK (status IN ('label_created', 'in_transit', 'out_for_delivery', 'delivered', 'exception', 'returned_to_sender', 'voided')),
        weight_grams int NOT NULL CHECK (weight_grams > 0),
        length_mm int NOT NULL CHECK (length_mm > 0),
        width_mm int NOT NULL CHECK (width_mm > 0),
        height_mm int NOT NULL CHECK (height_mm > 0),
        rate_amount int NULL,
        rate_currency varchar(3) NULL,
        recipient text NOT NULL,
        label_urls jsonb NOT NULL DEFAULT '{}',
        created_by uuid NULL,
        handed_over_at timestamptz NULL,
        delivered_at timestamptz NULL,
        voided_at timestamptz NULL,
        last_event_at timestamptz NULL,
        version int NOT NULL DEFAULT 1,
        CONSTRAINT shipment_provider_tracking_unique UNIQUE (provider, tracking_number)
      );`);
    this.addSql(`CREATE INDEX shipment_order_id_index ON shipment (order_id);`);
    this.addSql(`CREATE INDEX shipment_tracking_number_index ON shipment (tracking_number);`);
    this.addSql(`CREATE INDEX shipment_status_created_index ON shipment (status, created_at);`);
    this.addSql(`
      CREATE TABLE shipment_line (
        id uuid PRIMARY KEY,
        shipment_id uuid NOT NULL REFERENCES shipment (id) ON DELETE CASCADE,
        order_line_id uuid NOT NULL,
        variant_id uuid NULL,
        sku varchar(64) NOT NULL,
        title varchar(255) NOT NULL,
        quantity int NOT NULL CHECK (quantity > 0)
      );`);
    this.addSql(`CREATE INDEX shipment_line_shipment_id_index ON shipment_line (shipment_id);`);
    this.addSql(`CREATE INDEX shipment_line_order_line_id_index ON shipment_line (order_line_id);`);
    this.addSql(`
      CREATE TABLE tracking_event (
        id uuid PRIMARY KEY,
        shipment_id uuid NOT NULL REFERENCES shipment (id) ON DELETE CASCADE,
        provider varchar(32) NOT NULL,
        external_id varchar(200) NULL,
        status text NOT NULL,
        occurred_at timestamptz NOT NULL,
        location varchar(200) NULL,
        description varchar(500) NULL,
        source text NOT NULL CHECK (source IN ('label', 'webhook', 'csv', 'staff')),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT tracking_event_provider_external_unique UNIQUE (provider, external_id)
      );`);
    this.addSql(`CREATE INDEX tracking_event_shipment_index ON tracking_event (shipment_id, occurred_at);`);
  }

  override async down(): Promise<void> {
    this.addSql(
      `DROP TABLE tracking_event; DROP TABLE shipment_line; DROP TABLE shipment; DROP SEQUENCE shipment_tracking_serial_seq;`,
    );
  }
}
