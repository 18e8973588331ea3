/**
 * Each plot's map-list Feature, written once per change of the plot instead of on every read
 * (issue #17 §5, viewports of ≤ 500 parcels at p95 ≤ 50 ms).
 *
 * GET /api/plots?bbox= answers with the plots' GeoJSON Features as text the database writes
 * (server/modules/plots/selection.ts). Built per request, that text was most of a viewport's
 * database time: for a 209-plot view at 1M parcels, 3.1 ms of a 3.8 ms statement went to
 * writing each geometry and concatenating its eleven properties, against 0.4 ms to find and
 * order the rows. `plots.list_feature` holds that text, a STORED generated column: PostgreSQL
 * writes it on every INSERT and UPDATE of the row, so there is no second writer to keep in step,
 * and a read only joins the stored texts.
 *
 * The text stops inside `properties`, after `"sample":…`: the plot's district belongs to its park
 * (parks.district_code) and is appended by the read, `,"districtCode":"…"}}`. A generated column
 * may use only immutable functions: `to_json` is declared stable (for types whose text depends on
 * settings), so strings are escaped by `json_string`, the same call declared immutable for text,
 * whose JSON escaping depends on nothing. Numbers and booleans are PostgreSQL's own text
 * (`15911.54`, `true`), which is JSON as it is.
 *
 * Adding the column rewrites `plots` once (under 40 s at 1M parcels) and adds ≈ 415 bytes a
 * row; writing it costs ≈ 8 µs per plot written.
 */
import type { Kysely } from 'kysely';
import { execAll } from '../../kernel/db/exec.ts';

/** The properties as stored, in order: [key, column, kind]; `districtCode` is appended by the read. */
const LIST_FEATURE_PROPERTIES = [
  ['id', 'id', 'literal'], ['code', 'code', 'string'], ['parkId', 'park_id', 'literal'], ['status', 'status', 'string'],
  ['areaM2', 'area_m2', 'literal'], ['landUse', 'land_use', 'string'], ['landUseCode', 'land_use_code', 'string'],
  ['parcelCode', 'parcel_code', 'string'], ['landLevel', 'land_level', 'literal'], ['sample', 'sample', 'literal'],
] as const;

const value = (column: string, kind: 'literal' | 'string') => (kind === 'string' ? `json_string(${column})` : `coalesce(${column}::text, 'null')`);

const LIST_FEATURE = [
  `'{"type":"Feature","id":' || id::text || ',"geometry":' || geometry::text || ',"properties":'`,
  ...LIST_FEATURE_PROPERTIES.map(([key, column, kind], i) => `'${i === 0 ? '{' : ','}"${key}":' || ${value(column, kind)}`),
].join(' || ');

export async function up(db: Kysely<unknown>): Promise<void> {
  await execAll(db, [
    `CREATE OR REPLACE FUNCTION json_string(t text) RETURNS text LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
     BEGIN
       RETURN coalesce(to_json(t)::text, 'null');
     END $$`,
    `ALTER TABLE plots ADD COLUMN list_feature text GENERATED ALWAYS AS (${LIST_FEATURE}) STORED`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await execAll(db, [`ALTER TABLE plots DROP COLUMN IF EXISTS list_feature`, `DROP FUNCTION IF EXISTS json_string(text)`]);
}
