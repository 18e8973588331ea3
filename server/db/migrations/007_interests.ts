/**
 * Investors' expressions of interest in plots (意向登记) and investor profiles.
 *
 * - `interests`: who (company, 统一社会信用代码 — checked by the database too with
 *   `uscc_is_valid` from migration 004 — contact name, e-mail and/or phone), which plot, a
 *   message ≤ 2000 characters, the bureau's status (new → replied → converted | closed) and reply,
 *   the investor account that sent it (nullable: anyone may register interest without an
 *   account), and what it was turned into (a hold or a proposed allocation). The sender's
 *   address is kept only as a keyed hash (`ip_hash`, HMAC-SHA-256 with a per-database random
 *   key), enough to count submissions per address for the rate limit, never the address itself.
 * - `investor_profiles`: the company an investor account registered with (sign-up), used to
 *   prefill their interest forms.
 */
import type { Kysely } from 'kysely';
import { execAll } from '../../kernel/db/exec.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await execAll(db, [
    `CREATE TABLE interests (
       id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
       plot_id integer NOT NULL REFERENCES plots (id),
       company text NOT NULL CHECK (length(btrim(company)) BETWEEN 1 AND 200),
       uscc text NOT NULL CONSTRAINT interests_uscc_valid CHECK (uscc_is_valid(uscc)),
       contact_name text NOT NULL CHECK (length(btrim(contact_name)) BETWEEN 1 AND 100),
       contact_email text CHECK (contact_email IS NULL OR length(contact_email) BETWEEN 3 AND 254),
       contact_phone text CHECK (contact_phone IS NULL OR contact_phone ~ '^[0-9-]{7,30}$'),
       message text NOT NULL DEFAULT '' CHECK (length(message) <= 2000),
       status text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'replied', 'converted', 'closed')),
       reply text CHECK (reply IS NULL OR length(reply) <= 2000),
       replied_at timestamptz,
       replied_by integer REFERENCES users (id),
       investor_user_id integer REFERENCES users (id),
       ip_hash text NOT NULL CHECK (ip_hash ~ '^[0-9a-f]{64}$'),
       hold_id integer REFERENCES plot_holds (id),
       allocation_id integer REFERENCES allocations (id),
       created_at timestamptz NOT NULL DEFAULT now(),
       updated_at timestamptz NOT NULL DEFAULT now(),
       CONSTRAINT interests_contact_given CHECK (contact_email IS NOT NULL OR contact_phone IS NOT NULL),
       CONSTRAINT interests_converted_has_target CHECK (status <> 'converted' OR hold_id IS NOT NULL OR allocation_id IS NOT NULL),
       CONSTRAINT interests_reply_recorded CHECK ((reply IS NULL) = (replied_at IS NULL))
     )`,
    `CREATE INDEX interests_plot_idx ON interests (plot_id, status)`,
    `CREATE INDEX interests_status_idx ON interests (status, id)`,
    `CREATE INDEX interests_investor_idx ON interests (investor_user_id) WHERE investor_user_id IS NOT NULL`,
    `CREATE INDEX interests_ip_recent_idx ON interests (ip_hash, created_at)`,
    `CREATE TABLE investor_profiles (
       user_id integer PRIMARY KEY REFERENCES users (id),
       company text CHECK (company IS NULL OR length(btrim(company)) BETWEEN 1 AND 200),
       uscc text CONSTRAINT investor_profiles_uscc_valid CHECK (uscc IS NULL OR uscc_is_valid(uscc)),
       created_at timestamptz NOT NULL DEFAULT now()
     )`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await execAll(db, ['DROP TABLE investor_profiles', 'DROP TABLE interests']);
}
