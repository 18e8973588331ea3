/**
 * Park queries: the parks with their land figures, the checks a new park's boundary is run
 * against (districts and parks near it), and the park-operator projects. Executor first, so
 * they run inside or outside a transaction alike; row → view mappers here.
 */
import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import type { Database, ParkTable } from '../../kernel/db/schema.ts';
import { hundredthsToM2, m2ToHundredths } from '../../../shared/units.ts';

type Executor = Kysely<Database> | Transaction<Database>;

/** Per-park plot figures (areas as m² strings summed exactly in SQL, returned as numbers). */
function parkFigures(db: Executor, withZones: boolean) {
  let q = db.selectFrom('plots');
  // Without the generated zones, aggregate only the IAB parks' plots (the zones may hold a
  // million): the plots_park_idx probe per park instead of a scan of every plot.
  if (!withZones) q = q.where('park_id', 'in', db.selectFrom('parks').select('id').where('tier', '<>', 'zone'));
  return q
    .select([
      'park_id',
      sql<number>`count(*)::int`.as('plot_count'),
      sql<string>`coalesce(sum(area_m2), 0)::text`.as('total_area_m2'),
      sql<string>`coalesce(sum(area_m2) filter (where status = 'available'), 0)::text`.as('available_area_m2'),
      sql<string>`coalesce(sum(area_m2) filter (where status = 'held'), 0)::text`.as('held_area_m2'),
      sql<string>`coalesce(sum(area_m2) filter (where status = 'allocated'), 0)::text`.as('allocated_area_m2'),
      sql<string>`coalesce(sum(area_m2) filter (where status = 'withdrawn'), 0)::text`.as('withdrawn_area_m2'),
      sql<number>`(count(*) filter (where status = 'available'))::int`.as('n_available'),
      sql<number>`(count(*) filter (where status = 'held'))::int`.as('n_held'),
      sql<number>`(count(*) filter (where status = 'allocated'))::int`.as('n_allocated'),
      sql<number>`(count(*) filter (where status = 'withdrawn'))::int`.as('n_withdrawn'),
    ])
    // Live parcels only: a plot retired by a split or merge is replaced by its pieces.
    .where('status', '<>', 'retired')
    .groupBy('park_id');
}

export type ParkRow = Awaited<ReturnType<typeof listParks>>[number];

/**
 * The parks with their figures. The generated zones (tier `zone`, seeds/scale.ts) are not IAB
 * parks: they are left out unless `includeZones`, or unless one park is asked for by id or code.
 */
export async function listParks(db: Executor, opts: { id?: number; code?: string; districtCode?: string; includeZones?: boolean } = {}) {
  const withZones = opts.includeZones === true || opts.id !== undefined || opts.code !== undefined;
  let q = db
    .selectFrom('parks as p')
    .innerJoin('districts as d', 'd.code', 'p.district_code')
    .leftJoin(parkFigures(db, withZones).as('f'), 'f.park_id', 'p.id')
    .select([
      'p.id', 'p.code', 'p.name_zh', 'p.name_en', 'p.district_code', 'p.tier', 'p.sectors', 'p.recognized_year',
      'p.boundary_source', 'p.area_m2', 'p.geometry', 'p.sample', 'p.notes',
      'd.name_zh as district_name_zh', 'd.name_en as district_name_en',
      'f.plot_count', 'f.total_area_m2', 'f.available_area_m2', 'f.held_area_m2', 'f.allocated_area_m2', 'f.withdrawn_area_m2',
      'f.n_available', 'f.n_held', 'f.n_allocated', 'f.n_withdrawn',
    ])
    .orderBy('p.code');
  if (opts.id !== undefined) q = q.where('p.id', '=', opts.id);
  if (opts.code !== undefined) q = q.where('p.code', '=', opts.code);
  if (opts.districtCode !== undefined) q = q.where('p.district_code', '=', opts.districtCode);
  if (!withZones) q = q.where('p.tier', '<>', 'zone');
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    nameZh: r.name_zh,
    nameEn: r.name_en,
    districtCode: r.district_code,
    districtNameZh: r.district_name_zh,
    districtNameEn: r.district_name_en,
    tier: r.tier,
    sectors: r.sectors,
    recognizedYear: r.recognized_year,
    boundarySource: r.boundary_source,
    areaM2: Number(r.area_m2),
    sample: r.sample,
    notes: r.notes,
    geometry: r.geometry,
    figures: {
      plotCount: r.plot_count ?? 0,
      totalAreaM2: Number(r.total_area_m2 ?? 0),
      availableAreaM2: Number(r.available_area_m2 ?? 0),
      heldAreaM2: Number(r.held_area_m2 ?? 0),
      allocatedAreaM2: Number(r.allocated_area_m2 ?? 0),
      withdrawnAreaM2: Number(r.withdrawn_area_m2 ?? 0),
      byStatus: {
        available: r.n_available ?? 0,
        held: r.n_held ?? 0,
        allocated: r.n_allocated ?? 0,
        withdrawn: r.n_withdrawn ?? 0,
      },
    },
  }));
}

// --- Recognizing a park -------------------------------------------------------------------------

/** Serializes park creation (a transaction-scoped advisory lock): two overlapping parks cannot be added at once. */
export async function lockParkCreation(trx: Transaction<Database>): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('parks:create'))`.execute(trx);
}

export function findParkByCode(db: Executor, code: string) {
  return db.selectFrom('parks').select(['id', 'name_zh']).where('code', '=', code).executeTakeFirst();
}

/** Districts whose bbox meets `box` (a `box` literal from geometryPgBox). */
export function districtsNear(db: Executor, box: string) {
  return db.selectFrom('districts').select(['code', 'name_zh', 'name_en', 'geometry']).where(sql<boolean>`bbox && ${box}::box`).execute();
}

/** Parks whose bbox meets `box`. */
export function parksNear(db: Executor, box: string) {
  return db.selectFrom('parks').select(['id', 'code', 'name_zh', 'name_en', 'geometry']).where(sql<boolean>`bbox && ${box}::box`).execute();
}

export async function insertPark(db: Executor, values: Insertable<ParkTable>): Promise<number> {
  const r = await db.insertInto('parks').values(values).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

// --- Park-operator projects ---------------------------------------------------------------------

export function findParkHeader(db: Executor, id: number) {
  return db.selectFrom('parks').select(['id', 'code', 'name_zh', 'name_en', 'district_code', 'tier']).where('id', '=', id).executeTakeFirst();
}

function operatorProjectQuery(db: Executor) {
  return db
    .selectFrom('park_operator_projects as o')
    .leftJoin('users as u', 'u.id', 'o.created_by')
    .select([
      'o.id', 'o.park_id', 'o.operator_name', 'o.project_name', 'o.by_park_operator', 'o.limit_bp', 'o.reference_version_id', 'o.created_at',
      sql<string>`o.total_floor_area_m2::text`.as('total'),
      sql<string>`o.facilities_floor_area_m2::text`.as('facilities'),
      sql<string>`o.ratio::text`.as('ratio'),
      'u.username as created_by_name',
    ]);
}

type OperatorProjectRow = Awaited<ReturnType<ReturnType<typeof operatorProjectQuery>['executeTakeFirstOrThrow']>>;

function toOperatorProjectView(r: OperatorProjectRow) {
  const total = m2ToHundredths(r.total);
  const facilities = m2ToHundredths(r.facilities);
  const max = (total * BigInt(r.limit_bp)) / 10_000n;
  return {
    id: r.id,
    parkId: r.park_id,
    operatorName: r.operator_name,
    projectName: r.project_name,
    byParkOperator: r.by_park_operator,
    totalFloorAreaM2: hundredthsToM2(total),
    facilitiesFloorAreaM2: hundredthsToM2(facilities),
    ratio: Number(r.ratio),
    limit: r.limit_bp / 10_000,
    limitBp: r.limit_bp,
    headroomM2: hundredthsToM2(max - facilities),
    referenceVersionId: r.reference_version_id,
    createdBy: r.created_by_name,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

export type OperatorProjectView = ReturnType<typeof toOperatorProjectView>;

export async function findOperatorProject(db: Executor, id: number): Promise<OperatorProjectView> {
  return toOperatorProjectView(await operatorProjectQuery(db).where('o.id', '=', id).executeTakeFirstOrThrow());
}

/** A park's operator projects, newest first. */
export async function listOperatorProjectsOf(db: Executor, parkId: number): Promise<OperatorProjectView[]> {
  const rows = await operatorProjectQuery(db).where('o.park_id', '=', parkId).orderBy('o.id', 'desc').execute();
  return rows.map(toOperatorProjectView);
}

export interface OperatorProjectValues {
  parkId: number;
  operatorName: string;
  projectName: string;
  byParkOperator: boolean;
  totalFloorAreaM2: string;
  facilitiesFloorAreaM2: string;
  limitBp: number;
  referenceVersionId: number;
  createdBy: number;
}

export async function insertOperatorProject(db: Executor, v: OperatorProjectValues): Promise<number> {
  const r = await db
    .insertInto('park_operator_projects')
    .values({
      park_id: v.parkId,
      operator_name: v.operatorName,
      project_name: v.projectName,
      by_park_operator: v.byParkOperator,
      total_floor_area_m2: v.totalFloorAreaM2,
      facilities_floor_area_m2: v.facilitiesFloorAreaM2,
      limit_bp: v.limitBp,
      reference_version_id: v.referenceVersionId,
      created_by: v.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}
