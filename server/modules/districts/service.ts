/** Districts as the map shows them, and one district's names for other modules' services. */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import { findDistrict as findDistrictRow, listDistricts } from './repository.ts';

type Executor = Kysely<Database> | Transaction<Database>;

/** GET /api/districts: every district as a GeoJSON Feature (id = its code). */
export async function districtCollection(db: Executor) {
  const districts = await listDistricts(db);
  return {
    type: 'FeatureCollection' as const,
    features: districts.map(({ geometry, ...properties }) => ({ type: 'Feature' as const, id: properties.code, geometry, properties })),
  };
}

/** One district's code and names, or undefined. */
export function findDistrict(db: Executor, code: string) {
  return findDistrictRow(db, code);
}
