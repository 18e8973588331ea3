/**
 * Transport hubs and innovation anchors (issue #16 §1): read by everyone as a GeoJSON
 * FeatureCollection; a location corrected by the bureau (reference.manage), audited. Locations
 * are indicative (± about 1 km) and distances from them straight-line (直线距离).
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import type { Caller } from '../../kernel/caller.ts';
import { inTransaction } from '../../kernel/db/transaction.ts';
import { recordEvent } from '../../kernel/audit.ts';
import { badRequest, notFound } from '../../kernel/errors.ts';
import { GUANGZHOU_BBOX } from '../../../shared/domain.ts';
import type { HubCollection, HubFeature } from '../../../shared/contract/siting.ts';
import { planeXY, type SitingHub } from '../../../shared/policy/siting.ts';
import { hubsVersion, listHubRows, lockHub, updateHubRow, type HubRow } from './repository.ts';

type Executor = Kysely<Database> | Transaction<Database>;

function toFeature(r: HubRow): HubFeature {
  return {
    type: 'Feature',
    id: r.id,
    geometry: { type: 'Point', coordinates: [Number(r.lon), Number(r.lat)] },
    properties: { id: r.id, kind: r.kind, nameZh: r.name_zh, nameEn: r.name_en, source: r.source, indicative: r.indicative, note: r.note },
  };
}

export async function listHubs(db: Executor): Promise<HubCollection> {
  return { type: 'FeatureCollection', features: (await listHubRows(db)).map(toFeature) };
}

/** The hubs with their EPSG:4547 positions, for the siting rules. */
export async function sitingHubs(db: Executor): Promise<SitingHub[]> {
  return (await listHubRows(db)).map((r) => ({ id: r.id, kind: r.kind, nameZh: r.name_zh, nameEn: r.name_en, xy: planeXY([Number(r.lon), Number(r.lat)]) }));
}

export { hubsVersion };

export interface HubPatch {
  lon: number;
  lat: number;
  note?: string | undefined;
  source?: string | undefined;
}

/**
 * Corrects a hub's location (and its note, source), audited. The row stays `indicative`: a
 * corrected point is still a point standing for a station or a port area, not a survey.
 */
export async function patchHub(db: Kysely<Database>, caller: Caller, id: number, patch: HubPatch): Promise<HubFeature> {
  const [w, s, e, n] = GUANGZHOU_BBOX;
  if (!(patch.lon >= w && patch.lon <= e)) throw badRequest(`lon ${patch.lon} is outside Guangzhou (${w}–${e}).`, { field: 'lon' });
  if (!(patch.lat >= s && patch.lat <= n)) throw badRequest(`lat ${patch.lat} is outside Guangzhou (${s}–${n}).`, { field: 'lat' });
  if (patch.source !== undefined && patch.source.trim() === '') throw badRequest('source cannot be empty.', { field: 'source' });
  const rounded = { ...patch, lon: Math.round(patch.lon * 1e6) / 1e6, lat: Math.round(patch.lat * 1e6) / 1e6 };
  return inTransaction(db, async (trx) => {
    const before = await lockHub(trx, id);
    if (!before) throw notFound(`Hub ${id}`);
    const after = await updateHubRow(trx, id, rounded);
    await recordEvent(trx, { caller, action: 'hub.update', entity: 'hub', entityId: id, before: toFeature(before), after: toFeature(after) });
    return toFeature(after);
  });
}
