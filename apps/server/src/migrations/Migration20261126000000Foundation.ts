import { Migration } from '@mikro-orm/migrations';

/** Foundation: extensions, the transactional outbox, staff accounts and refresh-token sessions. */
export class Migration20261126000000Foundation extends Migration {
  override async up(): Promise<void> {
    this.addSql(`CREATE EXTENSION IF NOT EXISTS pg_trgm;`);

    this.addSql(`
      CREATE TABLE outbox_event (
        id bigserial PRIMARY KEY,
        resource varchar(64) NOT NULL,
        ids text[] NOT NULL,
        type varchar(16) NOT NULL CHECK (type IN ('created', 'updated', 'deleted')),
        payload jsonb NULL,
        tx xid8 NOT NULL DEFAULT pg_current_xact_id(),
        created_at timestamptz NOT NULL DEFAULT now()
      );`);
    this.addSql(`CREATE INDEX outbox_event_tx_id_index ON outbox_event (tx, id);`);
    this.addSql(`CREATE INDEX outbox_event_created_at_index ON outbox_event (created_at);`);
    // Durable consumers' positions (e-mail, shipping, ...): one row each, locked while a batch is handled.
    this.addSql(`
      CREATE TABLE outbox_cursor (
        consumer varchar(64) PRIMARY KEY,
        position varchar(64) NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      );`);
    // One NOTIFY per inserting statement; it is delivered only when the transaction commits.
    this.addSql(`
      CREATE FUNCTION mcart_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('mcart_outbox', '');
        RETURN NULL;
      END $$;`);
    this.addSql(`
      CREATE TRIGGER outbox_event_notify AFTER INSERT ON outbox_event
        FOR EACH STATEMENT EXECUTE FUNCTION mcart_outbox_notify();`);

    this.addSql(`
      CREATE TABLE staff (
        id uuid PRIMARY KEY,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        email varchar(254) NOT NULL,
        first_name varchar(100) NOT NULL DEFAULT '',
        last_name varchar(100) NOT NULL DEFAULT '',
        role text NOT NULL CHECK (role IN ('owner', 'admin', 'manager', 'warehouse', 'support')),
        password_hash varchar(255) NOT NULL,
        disabled_at timestamptz NULL,
        last_login_at timestamptz NULL,
        version int NOT NULL DEFAULT 1,
        CONSTRAINT staff_email_unique UNIQUE (email)
      );`);

    this.addSql(`
      CREATE TABLE auth_session (
        id uuid PRIMARY KEY,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        subject_kind text NOT NULL CHECK (subject_kind IN ('staff', 'customer')),
        subject_id uuid NOT NULL,
        family_id uuid NOT NULL,
        token_hash varchar(64) NOT NULL,
        expires_at timestamptz NOT NULL,
        spent_at timestamptz NULL,
        revoked_at timestamptz NULL,
        user_agent varchar(255) NULL,
        ip varchar(64) NULL,
        CONSTRAINT auth_session_token_hash_unique UNIQUE (token_hash)
      );`);
    this.addSql(`CREATE INDEX auth_session_subject_id_index ON auth_session (subject_id);`);
    this.addSql(`CREATE INDEX auth_session_family_id_index ON auth_session (family_id);`);
  }
}
