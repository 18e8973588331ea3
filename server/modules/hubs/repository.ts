/** Hub rows (migration 019). Executor first. */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import type { HubTable } from '../../kernel/db/schema-siting.ts';

type Executor = Kysely<Database> | Transaction<Database>;
export type HubRow = Selectable<HubTable>;

export async function listHubRows(db: Executor): Promise<HubRow[]> {
  return db.selectFrom('hubs').selectAll().orderBy('id').execute();
}

export async function lockHub(trx: Transaction<Database>, id: number): Promise<HubRow | undefined> {
  return trx.selectFrom('hubs').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function updateHubRow(trx: Transaction<Database>, id: number, patch: { lon: number; lat: number; note?: string | undefined; source?: string | undefined }): Promise<HubRow> {
  return trx
    .updateTable('hubs')
    .set({
      lon: String(patch.lon),
      lat: String(patch.lat),
      ...(patch.note !== undefined ? { note: patch.note } : {}),
      ...(patch.source !== undefined ? { source: patch.source } : {}),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Latest change to any hub (for the siting answer's data version). */
export async function hubsVersion(db: Executor): Promise<string> {
  const r = await db.selectFrom('hubs').select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('updated_at').as('at')]).executeTakeFirst();
  const at = r?.at ? new Date(r.at as Date | string).getTime() : 0;
  return `${Number(r?.n ?? 0)}.${at}`;
}
