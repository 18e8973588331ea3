/**
 * Accounts, sessions, login throttling and the audit trail.
 *
 * - `users`: usernames unique case-insensitively; a district officer has exactly one district
 *   and nobody else has one (CHECK); the password is stored only as a scrypt hash.
 * - `sessions`: the primary key is the SHA-256 of the cookie token, never the token, so a
 *   leaked table (or backup) cannot be replayed as cookies.
 * - `login_attempts`: failed-login counters per address and per username, in the database so
 *   the limit holds across replicas (no in-memory source of truth).
 * - `audit_events`: append-only — triggers refuse UPDATE, DELETE and TRUNCATE — and each row
 *   carries a hash chained to the previous one (computed by server/kernel/audit.ts). `audit_head` is
 *   one row holding the last id and hash: writers lock it, so concurrent transactions append in
 *   turn and cannot fork the chain; the verifier also compares it with the last event, which
 *   catches a truncated tail.
 */
import type { Kysely } from 'kysely';
import { execAll } from '../../kernel/db/exec.ts';

/** The prev_hash of the first event. */
export const AUDIT_GENESIS_HASH = '0'.repeat(64);

export async function up(db: Kysely<unknown>): Promise<void> {
  await execAll(db, [
    `CREATE TABLE users (
       id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
       username text NOT NULL CHECK (username ~ '^[A-Za-z0-9][A-Za-z0-9._@-]{1,99}$'),
       display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 100),
       role text NOT NULL CHECK (role IN ('admin', 'land_officer', 'industry_officer', 'district_officer', 'investor')),
       district_code text REFERENCES districts (code),
       password_hash text NOT NULL CHECK (password_hash LIKE 'scrypt$%'),
       must_change_password boolean NOT NULL DEFAULT false,
       disabled_at timestamptz,
       created_at timestamptz NOT NULL DEFAULT now(),
       updated_at timestamptz NOT NULL DEFAULT now(),
       CONSTRAINT users_district_iff_district_officer CHECK ((role = 'district_officer') = (district_code IS NOT NULL))
     )`,
    // Usernames are ASCII (CHECK above), so lower() means the same under every locale.
    `CREATE UNIQUE INDEX users_username_lower_key ON users (lower(username))`,
    `CREATE TABLE sessions (
       id text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{64}$'),
       user_id integer NOT NULL REFERENCES users (id),
       created_at timestamptz NOT NULL DEFAULT now(),
       expires_at timestamptz NOT NULL,
       last_seen_at timestamptz NOT NULL DEFAULT now(),
       revoked_at timestamptz,
       ip text,
       user_agent text
     )`,
    `CREATE INDEX sessions_user_active_idx ON sessions (user_id) WHERE revoked_at IS NULL`,
    `CREATE TABLE login_attempts (
       key text PRIMARY KEY,
       failures integer NOT NULL DEFAULT 0 CHECK (failures >= 0),
       last_attempt_at timestamptz NOT NULL DEFAULT now(),
       locked_until timestamptz
     )`,
    `CREATE TABLE audit_events (
       id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
       at timestamptz NOT NULL,
       actor_user_id integer REFERENCES users (id),
       actor_username text,
       actor_role text,
       action text NOT NULL CHECK (length(action) BETWEEN 1 AND 100),
       entity text NOT NULL CHECK (length(entity) BETWEEN 1 AND 100),
       entity_id text,
       before jsonb,
       after jsonb,
       request_id text,
       prev_hash text NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
       hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
       CONSTRAINT audit_events_hash_key UNIQUE (hash)
     )`,
    `CREATE INDEX audit_events_entity_idx ON audit_events (entity, entity_id, id)`,
    `CREATE INDEX audit_events_actor_idx ON audit_events (lower(actor_username), id)`,
    `CREATE INDEX audit_events_at_idx ON audit_events (at)`,
    `CREATE FUNCTION audit_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP
         USING ERRCODE = 'insufficient_privilege',
               HINT = 'Audit events are never changed or removed; record a new event instead.';
     END $$`,
    `CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
       FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change()`,
    `CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
       FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change()`,
    `CREATE TABLE audit_head (
       singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
       last_id bigint,
       last_hash text NOT NULL CHECK (last_hash ~ '^[0-9a-f]{64}$')
     )`,
    `INSERT INTO audit_head (singleton, last_id, last_hash) VALUES (true, NULL, '${AUDIT_GENESIS_HASH}')`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await execAll(db, [
    'DROP TABLE audit_head',
    'DROP TABLE audit_events',
    'DROP FUNCTION audit_events_refuse_change',
    'DROP TABLE login_attempts',
    'DROP TABLE sessions',
    'DROP TABLE users',
  ]);
}
