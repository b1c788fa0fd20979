import { Migration } from '@mikro-orm/migrations';

/**
 * Identity and access: customers (phone and addresses sealed with the field cipher), single-use account
 * tokens (password reset, e-mail verification, OAuth hand-over), OAuth state and linked identities,
 * rate-limit counters shared by every instance, and the append-only audit log.
 */
export class Migration20261126010000IdentityCustomers extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      CREATE TABLE customer (
        id uuid PRIMARY KEY,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        email varchar(254) NULL,
        first_name varchar(100) NOT NULL DEFAULT '',
        last_name varchar(100) NOT NULL DEFAULT '',
        phone text NULL,
        password_hash varchar(255) NULL,
        email_verified_at timestamptz NULL,
        disabled_at timestamptz NULL,
        last_login_at timestamptz NULL,
        version int NOT NULL DEFAULT 1,
        CONSTRAINT customer_email_unique UNIQUE (email)
      );`);
    this.addSql(
      `CREATE INDEX customer_search_index ON customer USING gin ((coalesce(email, '') || ' ' || first_name || ' ' || last_name) gin_trgm_ops);`,
    );
    this.addSql(`CREATE INDEX customer_created_at_index ON customer (created_at);`);

    this.addSql(`
      CREATE TABLE customer_address (
        id uuid PRIMARY KEY,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        customer_id uuid NOT NULL REFERENCES customer (id) ON DELETE CASCADE,
        sealed text NOT NULL,
        is_default boolean NOT NULL DEFAULT false
      );`);
    this.addSql(`CREATE INDEX customer_address_customer_id_index ON customer_address (customer_id);`);

    this.addSql(`
      CREATE TABLE account_token (
        id uuid PRIMARY KEY,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        customer_id uuid NOT NULL REFERENCES customer (id) ON DELETE CASCADE,
        purpose text NOT NULL CHECK (purpose IN ('password_reset', 'email_verification', 'oauth_handover')),
        token_hash varchar(64) NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz NULL,
        CONSTRAINT account_token_token_hash_unique UNIQUE (token_hash)
      );`);
    this.addSql(`CREATE INDEX account_token_customer_id_index ON account_token (customer_id);`);

    this.addSql(`
      CREATE TABLE customer_identity (
        id uuid PRIMARY KEY,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        customer_id uuid NOT NULL REFERENCES customer (id) ON DELETE CASCADE,
        provider varchar(64) NOT NULL,
        subject varchar(255) NOT NULL,
        email varchar(254) NULL,
        CONSTRAINT customer_identity_provider_subject_unique UNIQUE (provider, subject)
      );`);
    this.addSql(`CREATE INDEX customer_identity_customer_id_index ON customer_identity (customer_id);`);

    this.addSql(`
      CREATE TABLE oauth_state (
        id uuid PRIMARY KEY,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        state_hash varchar(64) NOT NULL,
        provider varchar(64) NOT NULL,
        code_verifier text NOT NULL,
        nonce varchar(64) NOT NULL,
        purpose text NOT NULL CHECK (purpose IN ('login', 'link')),
        customer_id uuid NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz NULL,
        CONSTRAINT oauth_state_state_hash_unique UNIQUE (state_hash)
      );`);

    // Fixed-window counters for login, registration and reset attempts; keys are hashes (no e-mail in clear).
    this.addSql(`
      CREATE TABLE auth_attempt_counter (
        key varchar(64) PRIMARY KEY,
        window_start timestamptz NOT NULL,
        hits int NOT NULL
      );`);
    this.addSql(
      `CREATE INDEX auth_attempt_counter_window_start_index ON auth_attempt_counter (window_start);`,
    );

    this.addSql(`
      CREATE TABLE audit_entry (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        staff_id uuid NULL,
        action varchar(100) NOT NULL,
        method varchar(10) NULL,
        route varchar(300) NULL,
        params jsonb NULL,
        status int NULL,
        ip varchar(64) NULL,
        request_id varchar(64) NULL,
        details jsonb NULL
      );`);
    this.addSql(`CREATE INDEX audit_entry_at_index ON audit_entry (at);`);
    this.addSql(`CREATE INDEX audit_entry_staff_id_index ON audit_entry (staff_id, at);`);
    // The log is append-only: no application path may rewrite history.
    this.addSql(`
      CREATE FUNCTION mcart_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_entry is append-only';
      END $$;`);
    this.addSql(`
      CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry
        FOR EACH ROW EXECUTE FUNCTION mcart_audit_append_only();`);
    this.addSql(`
      CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry
        FOR EACH STATEMENT EXECUTE FUNCTION mcart_audit_append_only();`);
  }
}
