/**
 * Which spatial path runs, in one place (ARCHITECTURE.md, "PostGIS when PostgreSQL has it").
 *
 * - `postgis`: PostgreSQL with the PostGIS extension and the column `plots.geom`
 *   (geometry(Geometry, 4326), GiST-indexed; migration 022_postgis). Tiles come from
 *   `ST_AsMVT`, viewports use `geom &&`, the overlap pre-check on write is the exact
 *   intersection area in EPSG:4547 (`plots_overlap_m2`), areas `ST_Area` in EPSG:4547.
 * - `jsonb`: PGlite, or PostgreSQL without PostGIS: GeoJSON in `plots.geometry` (jsonb), a
 *   native `box` under GiST for the pre-filters, geojson-vt tiles, turf / shared/geometry.
 *
 * `plots.geometry` (jsonb) stays the source of truth on both paths: `geom` has ONE writer, the
 * trigger `plots_geom_sync` (BEFORE INSERT OR UPDATE OF geometry, geom), so every existing write
 * path keeps `geom` in step in the same statement and transaction.
 *
 * The path is detected once per database connection pool (the Kysely instance and its
 * transactions share the dialect adapter, the cache key). `SPATIAL_PATH=jsonb` forces the jsonb
 * path on a PostGIS database (comparisons, or to rule PostGIS out); tests may also force either
 * with `forceSpatialPath`.
 *
 * PostGIS installed after the migration ran (022 found no PostGIS and did nothing)? One command:
 *   psql "$DATABASE_URL" -c "CREATE EXTENSION postgis"   (as a superuser), then
 *   npm run db:postgis                                     (adds plots.geom, backfills it)
 * — or just `npm run db:postgis` as a role that may create the extension.
 */
import { sql, type Kysely, type Transaction } from 'kysely';

export type SpatialPath = 'postgis' | 'jsonb';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- works on any schema version (migrations, scripts)
type AnyDb = Kysely<any> | Transaction<any>;

/** The same key for a Kysely instance and every transaction it opens: its dialect adapter. */
const keyOf = (db: AnyDb): object => db.getExecutor().adapter as object;

const detected = new WeakMap<object, Promise<SpatialPath>>();
const forced = new WeakMap<object, SpatialPath>();

/** `SPATIAL_PATH` from the environment: 'jsonb' | 'postgis' | unset (detect). */
export function spatialPathFromEnv(env: Record<string, string | undefined> = process.env): SpatialPath | undefined {
  const v = env.SPATIAL_PATH?.trim();
  if (!v) return undefined;
  if (v === 'jsonb' || v === 'postgis') return v;
  throw new Error(`SPATIAL_PATH must be "jsonb" or "postgis" (or unset to detect), got "${v}".`);
}

/** Whether PostGIS is installed in this database and `plots.geom` exists. Never throws (PGlite: false). */
export async function postgisReady(db: AnyDb): Promise<boolean> {
  try {
    const r = await sql<{ ok: boolean }>`
      SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'postgis')
         AND EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('plots') AND attname = 'geom' AND NOT attisdropped) AS ok`.execute(db);
    return r.rows[0]?.ok === true;
  } catch {
    return false;
  }
}

/** The path for this database (cached). */
export function spatialPath(db: AnyDb): Promise<SpatialPath> {
  const key = keyOf(db);
  const f = forced.get(key);
  if (f) return Promise.resolve(f);
  let p = detected.get(key);
  if (!p) {
    const env = spatialPathFromEnv();
    p = env === 'jsonb' ? Promise.resolve('jsonb') : postgisReady(db).then((ok) => (ok ? 'postgis' : 'jsonb'));
    p.catch(() => detected.delete(key));
    detected.set(key, p);
  }
  return p;
}

/** Forces a path for this database (tests comparing the two); `null` goes back to detection. */
export function forceSpatialPath(db: AnyDb, path: SpatialPath | null): void {
  const key = keyOf(db);
  detected.delete(key);
  if (path) forced.set(key, path);
  else forced.delete(key);
}

/** The GeoJSON geometry as a PostGIS geometry in SRID 4326 (SQL fragment; postgis path only). */
export const geomFromGeoJSON = (geometry: GeoJSON.Geometry) => sql`ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(geometry)}::text), 4326)`;

/**
 * Plane areas (m², EPSG:4547, not rounded) of GeoJSON geometries: `ST_Area(ST_Transform(g, 4547))`
 * on PostGIS, shared/geometry's model otherwise (`jsArea`). The two agree within 0.01 m²
 * (tests/api/postgis-spatial.test.ts).
 */
export async function areasM2(db: AnyDb, geometries: GeoJSON.Geometry[], jsArea: (g: GeoJSON.Geometry) => number): Promise<number[]> {
  if (!geometries.length) return [];
  if ((await spatialPath(db)) !== 'postgis') return geometries.map(jsArea);
  const r = await sql<{ a: number }>`
    SELECT ST_Area(ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(g.value::text), 4326), 4547))::float8 AS a
      FROM jsonb_array_elements(${JSON.stringify(geometries)}::jsonb) WITH ORDINALITY AS g(value, i) ORDER BY g.i`.execute(db);
  return r.rows.map((x) => Number(x.a));
}

// --- Setting PostGIS up (migration 022_postgis and `npm run db:postgis`) -----------------------

export interface PostgisSetup {
  /** What happened, for a log line. */
  outcome: 'ready' | 'not-available' | 'not-permitted' | 'pglite';
  message: string;
}

/**
 * Creates the extension when it is available and the role may (inside a savepoint when called in
 * a transaction: a refusal never aborts the caller), then adds `plots.geom`, its GiST index, the
 * trigger that keeps it in step with `plots.geometry`, the overlap function, and backfills the
 * rows. Idempotent; never throws for a missing or forbidden PostGIS. Run as the tables' owner.
 */
export async function setUpPostgis(db: AnyDb, { inTransaction }: { inTransaction: boolean }): Promise<PostgisSetup> {
  let info: { available: boolean; installed: boolean; superuser: boolean; cancreate: boolean; wasm: boolean };
  try {
    const r = await sql<{ available: boolean; installed: boolean; superuser: boolean; cancreate: boolean; wasm: boolean }>`
      SELECT version() LIKE '%wasm%' AS wasm,
             EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'postgis') AS available,
             EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'postgis') AS installed,
             coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = current_user), false) AS superuser,
             has_database_privilege(current_database(), 'CREATE') AS cancreate`.execute(db);
    info = r.rows[0]!;
  } catch {
    return { outcome: 'pglite', message: 'No PostGIS here (embedded database): the jsonb + box path runs.' };
  }
  if (info.wasm) return { outcome: 'pglite', message: 'No PostGIS here (embedded database): the jsonb + box path runs.' };
  if (!info.installed) {
    if (!info.available) {
      return {
        outcome: 'not-available',
        message: 'PostGIS is not installed on this PostgreSQL server (apt-get install postgresql-15-postgis-3); the jsonb + box path runs. After installing it: npm run db:postgis',
      };
    }
    if (!info.superuser && !info.cancreate) {
      return { outcome: 'not-permitted', message: 'PostGIS is available but this role may not create extensions; a superuser runs: psql "$DATABASE_URL" -c "CREATE EXTENSION postgis", then npm run db:postgis' };
    }
    try {
      if (inTransaction) await sql`SAVEPOINT postgis_ext`.execute(db);
      await sql`CREATE EXTENSION IF NOT EXISTS postgis`.execute(db);
      if (inTransaction) await sql`RELEASE SAVEPOINT postgis_ext`.execute(db);
    } catch (err) {
      if (inTransaction) await sql`ROLLBACK TO SAVEPOINT postgis_ext`.execute(db);
      return {
        outcome: 'not-permitted',
        message: `PostGIS is available but CREATE EXTENSION failed (${(err as Error).message}); a superuser runs: psql "$DATABASE_URL" -c "CREATE EXTENSION postgis", then npm run db:postgis`,
      };
    }
  }
  const statements = [
    `ALTER TABLE plots ADD COLUMN IF NOT EXISTS geom geometry(Geometry, 4326)`,
    // The plot's label point (ST_PointOnSurface: inside it), drawn by the tiles' plot_labels
    // layer: computed once per geometry, not per tile (migration 028_label_points).
    `ALTER TABLE plots ADD COLUMN IF NOT EXISTS label_pt geometry(Point, 4326)`,
    // The one writer of geom and label_pt: any insert, or an update naming geometry (or geom, or
    // label_pt), derives them from the GeoJSON in the same statement. Writing geom or label_pt
    // alone is overwritten from geometry.
    `CREATE OR REPLACE FUNCTION plots_geom_sync() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       NEW.geom := ST_SetSRID(ST_GeomFromGeoJSON(NEW.geometry::text), 4326);
       NEW.label_pt := ST_PointOnSurface(NEW.geom);
       RETURN NEW;
     END $$`,
    `DROP TRIGGER IF EXISTS plots_geom_sync ON plots`,
    `CREATE TRIGGER plots_geom_sync BEFORE INSERT OR UPDATE OF geometry, geom, label_pt ON plots FOR EACH ROW EXECUTE FUNCTION plots_geom_sync()`,
    // Exact overlap (m², EPSG:4547 plane) of two plots; +Infinity when GEOS cannot compute it, so
    // the caller keeps the pair and the shared check (shared/geometry) words the refusal.
    `CREATE OR REPLACE FUNCTION plots_overlap_m2(a geometry, b geometry) RETURNS float8 LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
     BEGIN
       IF NOT ST_Intersects(a, b) THEN RETURN 0; END IF;
       RETURN ST_Area(ST_Intersection(ST_Transform(a, 4547), ST_Transform(b, 4547)));
     EXCEPTION WHEN OTHERS THEN
       RETURN 'Infinity'::float8;
     END $$`,
    // Backfill without touching row_version / updated_at (nothing a user sees changed).
    `ALTER TABLE plots DISABLE TRIGGER plots_touch`,
    `UPDATE plots SET geom = ST_SetSRID(ST_GeomFromGeoJSON(geometry::text), 4326) WHERE geom IS NULL`,
    `UPDATE plots SET label_pt = ST_PointOnSurface(geom) WHERE label_pt IS NULL`,
    `ALTER TABLE plots ENABLE TRIGGER plots_touch`,
    `CREATE INDEX IF NOT EXISTS plots_geom_idx ON plots USING gist (geom)`,
    `ANALYZE plots`,
  ];
  for (const s of statements) await sql.raw(s).execute(db);
  return { outcome: 'ready', message: 'PostGIS: plots.geom (SRID 4326, GiST) and plots.label_pt kept in step with plots.geometry by the trigger plots_geom_sync.' };
}
