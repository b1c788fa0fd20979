import { Migration } from '@mikro-orm/migrations';

/**
 * A social sign-in is finished only by the browser that started it: the start sets a random cookie, the state
 * keeps its SHA-256, and the callback refuses a browser without it (login CSRF: an attacker's half-finished
 * sign-in, handed to a victim's browser, signed the victim into the attacker's account).
 */
export class Migration20261206020000OAuthBrowserBinding extends Migration {
  override async up(): Promise<void> {
    this.addSql(`ALTER TABLE oauth_state ADD COLUMN browser_hash varchar(64) NULL;`);
  }
}
