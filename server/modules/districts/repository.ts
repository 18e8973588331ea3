/** District queries: the 11 Guangzhou districts with their outlines. Executor first. */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';

type Executor = Kysely<Database> | Transaction<Database>;

export async function listDistricts(db: Executor) {
  const rows = await db.selectFrom('districts').select(['code', 'name_zh', 'name_en', 'geometry']).orderBy('code').execute();
  return rows.map((r) => ({ code: r.code, nameZh: r.name_zh, nameEn: r.name_en, geometry: r.geometry }));
}

export async function findDistrict(db: Executor, code: string) {
  return db.selectFrom('districts').select(['code', 'name_zh', 'name_en']).where('code', '=', code).executeTakeFirst();
}
