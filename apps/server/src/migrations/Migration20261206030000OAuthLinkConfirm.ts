import { Migration } from '@mikro-orm/migrations';

/**
 * Linking a social account waits for the account's owner to confirm it: the callback keeps the verified
 * identity on the spent state with the hash of a one-time code, and only the signed-in customer who started the
 * link can turn the code into a link. Before, the callback linked at once, so an attacker who got someone else
 * to finish the provider step of the attacker's own link attached that person's social login to the attacker's
 * account.
 */
export class Migration20261206030000OAuthLinkConfirm extends Migration {
  override async up(): Promise<void> {
    this.addSql(`ALTER TABLE oauth_state ADD COLUMN link_code_hash varchar(64) NULL;`);
    this.addSql(`ALTER TABLE oauth_state ADD COLUMN link_subject text NULL;`);
    this.addSql(`ALTER TABLE oauth_state ADD COLUMN link_email text NULL;`);
    this.addSql(
      `CREATE UNIQUE INDEX oauth_state_link_code_index ON oauth_state (link_code_hash) WHERE link_code_hash IS NOT NULL;`,
    );
  }
}
