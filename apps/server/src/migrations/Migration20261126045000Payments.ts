import { Migration } from '@mikro-orm/migrations';

/**
 * Payments: one row per payment attempt of an order, its refunds, the webhook events already applied
 * (de-duplicated by the gateway's event id) and the built-in test gateway's own intents.
 */
export class Migration20261126045000Payments extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      CREATE TABLE payment (
        id uuid PRIMARY KEY,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        order_id uuid NOT NULL,
        provider varchar(32) NOT NULL,
        provider_ref varchar(255) NULL,
        idempotency_key varchar(255) NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'requires_action', 'authorized', 'capturing', 'captured', 'declined', 'canceled')),
        amount bigint NOT NULL CHECK (amount > 0),
        currency char(3) NOT NULL,
        captured_amount bigint NOT NULL DEFAULT 0 CHECK (captured_amount >= 0 AND captured_amount <= amount),
        refunded_amount bigint NOT NULL DEFAULT 0 CHECK (refunded_amount >= 0 AND refunded_amount <= captured_amount),
        brand varchar(32) NULL,
        last4 char(4) NULL,
        decline_code varchar(64) NULL,
        version int NOT NULL DEFAULT 1,
        CONSTRAINT payment_provider_ref_unique UNIQUE (provider_ref),
        CONSTRAINT payment_idempotency_unique UNIQUE (provider, idempotency_key)
      );`);
    this.addSql(`CREATE INDEX payment_order_id_index ON payment (order_id);`);

    this.addSql(`
      CREATE TABLE payment_refund (
        id uuid PRIMARY KEY,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        payment_id uuid NOT NULL REFERENCES payment (id),
        amount bigint NOT NULL CHECK (amount > 0),
        reason varchar(255) NULL,
        status text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
        provider_ref varchar(255) NULL,
        CONSTRAINT payment_refund_provider_ref_unique UNIQUE (provider_ref)
      );`);
    this.addSql(`CREATE INDEX payment_refund_payment_id_index ON payment_refund (payment_id);`);

    this.addSql(`
      CREATE TABLE payment_webhook_event (
        id bigserial PRIMARY KEY,
        provider varchar(32) NOT NULL,
        event_id varchar(255) NOT NULL,
        type varchar(128) NOT NULL,
        payment_id uuid NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT payment_webhook_event_unique UNIQUE (provider, event_id)
      );`);

    // The built-in test gateway keeps its state like a remote gateway would, in tables of its own.
    this.addSql(`
      CREATE TABLE test_gateway_intent (
        id varchar(64) PRIMARY KEY,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        idempotency_key varchar(255) NOT NULL,
        payment_id uuid NULL,
        status text NOT NULL CHECK (status IN ('requires_action', 'requires_capture', 'succeeded', 'declined', 'canceled')),
        amount bigint NOT NULL,
        currency char(3) NOT NULL,
        captured_amount bigint NOT NULL DEFAULT 0,
        refunded_amount bigint NOT NULL DEFAULT 0 CHECK (refunded_amount <= captured_amount),
        capture_count int NOT NULL DEFAULT 0,
        brand varchar(32) NOT NULL,
        last4 char(4) NOT NULL,
        decline_code varchar(64) NULL,
        client_secret varchar(128) NOT NULL,
        CONSTRAINT test_gateway_intent_idempotency_unique UNIQUE (idempotency_key)
      );`);
    this.addSql(`
      CREATE TABLE test_gateway_refund (
        id varchar(64) PRIMARY KEY,
        created_at timestamptz NOT NULL DEFAULT now(),
        intent_id varchar(64) NOT NULL REFERENCES test_gateway_intent (id),
        amount bigint NOT NULL,
        idempotency_key varchar(255) NOT NULL,
        CONSTRAINT test_gateway_refund_idempotency_unique UNIQUE (idempotency_key)
      );`);
  }
}
