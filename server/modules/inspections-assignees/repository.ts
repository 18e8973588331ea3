/** The district officers an inspection can be assigned to (the users table, read only). */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';

type Executor = Kysely<Database> | Transaction<Database>;

/** Enabled district officers, of one district or of every district, by district then name. */
export async function listDistrictOfficers(db: Executor, districtCode: string | null) {
  let q = db
    .selectFrom('users')
    .select(['id', 'username', 'display_name', 'district_code'])
    .where('role', '=', 'district_officer')
    .where('disabled_at', 'is', null)
    .where('district_code', 'is not', null);
  if (districtCode !== null) q = q.where('district_code', '=', districtCode);
  const rows = await q.orderBy('district_code').orderBy('username').execute();
  return rows.map((r) => ({ id: r.id, username: r.username, displayName: r.display_name, districtCode: r.district_code! }));
}
