/**
 * Sign-in throttling that cannot lock people out, and an audit chain keyed outside the database.
 *
 * - `login_throttle` replaces `login_attempts`: failed sign-ins counted per client address
 *   (`ip:…`), per address + username (`pair:…|…`) and per username (`user:…`). Only failures
 *   are counted (after the password was checked), by one upsert per failure, so concurrent
 *   requests and several app instances share exact counts. A block is derived from `failures`
 *   and `last_failure_at` (server/modules/auth/login-limit.ts); rows quiet for the window are deleted.
 * - `audit_head` gains what the keyed chain needs: `event_count` (events in the chain),
 *   `mac` (HMAC-SHA-256 with the audit key over event_count and last_hash, so a head moved or
 *   a tail cut by someone without the key is seen), `scheme` (`sha256` = the unkeyed chain
 *   of migration 003, `hmac-sha256` = keyed) and `key_id` (a fingerprint of the key, never the
 *   key). The existing chain is verified and re-signed once at start-up (server/kernel/audit-chain.ts).
 */
import type { Kysely } from 'kysely';
import { execAll } from '../../kernel/db/exec.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await execAll(db, [
    'DROP TABLE login_attempts',
    `CREATE TABLE login_throttle (
       key text PRIMARY KEY CHECK (key ~ '^(ip|pair|user):'),
       failures integer NOT NULL CHECK (failures > 0),
       last_failure_at timestamptz NOT NULL
     )`,
    'CREATE INDEX login_throttle_last_failure_idx ON login_throttle (last_failure_at)',
    `ALTER TABLE audit_head
       ADD COLUMN event_count bigint NOT NULL DEFAULT 0 CHECK (event_count >= 0),
       ADD COLUMN mac text CHECK (mac ~ '^[0-9a-f]{64}$'),
       ADD COLUMN scheme text NOT NULL DEFAULT 'sha256' CHECK (scheme IN ('sha256', 'hmac-sha256')),
       ADD COLUMN key_id text CHECK (key_id ~ '^[0-9a-f]{16}$'),
       ADD CONSTRAINT audit_head_keyed_has_mac CHECK (scheme = 'sha256' OR (mac IS NOT NULL AND key_id IS NOT NULL))`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await execAll(db, [
    `ALTER TABLE audit_head DROP CONSTRAINT audit_head_keyed_has_mac, DROP COLUMN key_id, DROP COLUMN scheme, DROP COLUMN mac, DROP COLUMN event_count`,
    'DROP TABLE login_throttle',
    `CREATE TABLE login_attempts (
       key text PRIMARY KEY,
       failures integer NOT NULL DEFAULT 0 CHECK (failures >= 0),
       last_attempt_at timestamptz NOT NULL DEFAULT now(),
       locked_until timestamptz
     )`,
  ]);
}
