/**
 * Two database roles: the tables' owner runs migrations; the app's queries run as
 * `iab_app`, which owns nothing and may only SELECT and INSERT audit events (no UPDATE, DELETE,
 * TRUNCATE; on the head only the columns an append moves). It cannot disable the audit
 * triggers either: only the owner (or a superuser) can.
 *
 * Roles are cluster-wide in PostgreSQL (one `iab_app` for every database of the cluster; grants
 * are per database), so creating it is idempotent and safe against concurrent creators (test
 * files running in parallel): a duplicate is fine.
 */
import { sql, type Kysely } from 'kysely';

export const APP_ROLE = 'iab_app';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- runs on any schema version
type AnyDb = Kysely<any>;

export async function appRoleExists(db: AnyDb): Promise<boolean> {
  const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_roles WHERE rolname = ${APP_ROLE}`.execute(db);
  return r.rows[0]!.n > 0;
}

const DUPLICATE = new Set(['42710', '23505']); // duplicate_object, unique_violation (pg_authid)

/** Creates the role (NOLOGIN) unless it exists; true when this call created it. */
export async function createAppRole(db: AnyDb): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    if (await appRoleExists(db)) return false;
    try {
      await sql.raw(`CREATE ROLE ${APP_ROLE} NOLOGIN`).execute(db);
      return true;
    } catch (err) {
      const e = err as { code?: string; message?: string };
      if (e.code && DUPLICATE.has(e.code)) return false;
      // A concurrent change of the same catalog row ("tuple concurrently updated"): look again.
      if (e.code === 'XX000' && attempt < 3) continue;
      throw err;
    }
  }
}

/**
 * The app role's privileges in this database, as the owner; run after every migration (new
 * tables are covered). Idempotent.
 */
export async function grantAppRole(db: AnyDb): Promise<void> {
  const statements = [
    `GRANT USAGE ON SCHEMA public TO ${APP_ROLE}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${APP_ROLE}`,
    `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${APP_ROLE}`,
    // The audit trail: read and append only. The head: only what an append moves.
    `REVOKE ALL ON audit_events, audit_head FROM ${APP_ROLE}`,
    `GRANT SELECT, INSERT ON audit_events TO ${APP_ROLE}`,
    `GRANT SELECT, UPDATE (last_id, last_hash, event_count, mac) ON audit_head TO ${APP_ROLE}`,
    // Migrations are the owner's.
    `REVOKE ALL ON kysely_migration, kysely_migration_lock FROM ${APP_ROLE}`,
  ];
  for (const s of statements) await sql.raw(s).execute(db);
}

/** Lets `member` SET ROLE to the app role (a superuser needs no membership). */
export async function grantAppRoleTo(db: AnyDb, member: string): Promise<void> {
  const r = await sql<{ ok: boolean }>`SELECT pg_has_role(${member}, ${APP_ROLE}, 'MEMBER') AS ok`.execute(db);
  if (r.rows[0]!.ok) return;
  await sql.raw(`GRANT ${APP_ROLE} TO "${member.replace(/"/g, '""')}"`).execute(db);
}
