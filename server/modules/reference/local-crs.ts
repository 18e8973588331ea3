/**
 * Local (city) coordinate systems as reference data (issue #18 §2, migration 027): an
 * administrator enters a name and the four parameters from EPSG:4547; the bureau (admin, land and
 * industry officers) reads them — for the import screen's CRS picker — and nobody else: many
 * cities' local systems are confidential. Imports take `crs=LOCAL:<id>` (server/modules/imports).
 *
 * Every change is one transaction with its audit event; the event names the system and carries a
 * SHA-256 fingerprint of the parameters, not the figures (audit readers need not hold the secret).
 */
import { createHash } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { Database, LocalCrsTable } from '../../kernel/db/schema.ts';
import type { Caller } from '../../kernel/caller.ts';
import { recordEvent } from '../../kernel/audit.ts';
import { inTransaction } from '../../kernel/db/transaction.ts';
import { AppError, badRequest, notFound } from '../../kernel/errors.ts';
import type { LocalCrs, LocalCrsInput } from '../../../shared/contract/imports.ts';
import { fourParameterProblem, type FourParameters } from '../../../shared/geometry/local-crs.ts';
import { hasControlChars } from '../../kernel/validator.ts';

/** Who reads the parameters: the bureau. Who changes them: an administrator. */
export const LOCAL_CRS_READERS = ['admin', 'land_officer', 'industry_officer'] as const;

const parametersOf = (r: Selectable<LocalCrsTable>): Required<FourParameters> =>
  ({ dE: r.de, dN: r.dn, rotationSec: r.rotation_sec, scalePpm: r.scale_ppm, originE: r.origin_e, originN: r.origin_n });

const toApi = (r: Selectable<LocalCrsTable>): LocalCrs => ({
  id: r.id, crs: `LOCAL:${r.id}`, name: r.name, kind: r.kind, parameters: parametersOf(r), note: r.note,
  createdAt: new Date(r.created_at).toISOString(),
});

const fingerprint = (p: FourParameters) =>
  createHash('sha256').update(JSON.stringify([p.dE, p.dN, p.rotationSec, p.scalePpm, p.originE ?? 0, p.originN ?? 0])).digest('hex').slice(0, 16);

export async function listLocalCrs(db: Kysely<Database>): Promise<LocalCrs[]> {
  return (await db.selectFrom('local_crs').selectAll().orderBy('name').execute()).map(toApi);
}

/** The system an import's `crs` names (LOCAL:<id>), or null when it names none; 400 when it names one that does not exist. */
export async function localCrsOf(db: Kysely<Database>, crs: string | undefined): Promise<{ id: number; name: string; parameters: Required<FourParameters> } | null> {
  const m = crs?.trim().match(/^LOCAL:([0-9]{1,9})$/i);
  if (!m) return null;
  const row = await db.selectFrom('local_crs').selectAll().where('id', '=', Number(m[1])).executeTakeFirst();
  if (!row) throw badRequest(`crs "${crs}": there is no local coordinate system ${m[1]} (本地坐标系不存在); an administrator adds them under /admin/local-crs.`, { field: 'crs', reason: 'CRS_UNSUPPORTED' });
  return { id: row.id, name: row.name, parameters: parametersOf(row) };
}

export async function addLocalCrs(db: Kysely<Database>, caller: Caller, input: LocalCrsInput): Promise<LocalCrs> {
  const name = input.name.trim();
  if (!name || hasControlChars(name)) throw badRequest('name must be non-empty text without control characters (名称不能为空).', { field: 'name' });
  const bad = fourParameterProblem(input.parameters);
  if (bad) throw badRequest(`parameters.${bad} is out of range (参数超出范围).`, { field: `parameters.${bad}` });
  return inTransaction(db, async (trx) => {
    const taken = await trx.selectFrom('local_crs').select('id').where((eb) => eb(eb.fn('lower', [eb.fn('btrim', ['name'])]), '=', name.toLowerCase())).executeTakeFirst();
    if (taken) throw new AppError(409, 'CONFLICT', `A local coordinate system named "${name}" exists already (LOCAL:${taken.id}) (同名本地坐标系已存在).`, { field: 'name' });
    const p = input.parameters;
    const row = await trx.insertInto('local_crs').values({
      name, kind: 'four_parameter', de: p.dE, dn: p.dN, rotation_sec: p.rotationSec, scale_ppm: p.scalePpm,
      origin_e: p.originE ?? 0, origin_n: p.originN ?? 0, note: input.note ?? null, created_by: caller.user?.id ?? null,
    }).returningAll().executeTakeFirstOrThrow();
    await recordEvent(trx, { caller, action: 'local_crs.create', entity: 'local_crs', entityId: row.id, after: { name, kind: row.kind, parametersFingerprint: fingerprint(p), note: row.note } });
    return toApi(row);
  });
}

export async function removeLocalCrs(db: Kysely<Database>, caller: Caller, id: number): Promise<void> {
  await inTransaction(db, async (trx) => {
    const row = await trx.deleteFrom('local_crs').where('id', '=', id).returningAll().executeTakeFirst();
    if (!row) throw notFound(`Local coordinate system ${id}`);
    await recordEvent(trx, { caller, action: 'local_crs.delete', entity: 'local_crs', entityId: id, before: { name: row.name, kind: row.kind, parametersFingerprint: fingerprint(parametersOf(row)) } });
  });
}
