/**
 * GET /api/supervision/inspectors: the district officers a field inspection can go to. A district
 * officer sees only their own district's (asking for another district is 403 OUT_OF_SCOPE); the
 * bureau any district's, or all of them.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import type { Caller } from '../../kernel/caller.ts';
import type { InspectorList, InspectorsQuery } from '../../../shared/contract/inspection-assignees.ts';
import { assertCanSeeDistrict, isCityWide } from '../auth/scope.ts';
import { listDistrictOfficers } from './repository.ts';

export async function listInspectors(db: Kysely<Database>, caller: Caller, q: InspectorsQuery): Promise<InspectorList> {
  const user = caller.user;
  const districtCode = q.districtCode ?? (isCityWide(user) ? null : (user?.districtCode ?? null));
  if (districtCode === null && !isCityWide(user)) return { items: [] };
  if (districtCode !== null) assertCanSeeDistrict(user, districtCode);
  return { items: await listDistrictOfficers(db, districtCode) };
}
