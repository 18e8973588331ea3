/** The plot rows a vector tile is drawn from, found through the GiST index on their bbox. Executor first. */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import type { BBox, PlotStatus } from '../../../shared/domain.ts';
import { bboxToPgBox } from '../../kernel/db/geo.ts';

type Executor = Kysely<Database> | Transaction<Database>;

export interface TilePlotQuery {
  /** The tile's extent (with its buffer). */
  bbox: BBox;
  /** Plots whose bbox is narrower and lower than this (degrees) are left out. */
  minSizeDeg: number;
  /** Only these statuses; otherwise every live (not retired) plot. */
  status?: PlotStatus[] | undefined;
}

/** The SQL condition "this plot's bbox is at least `minDeg` wide or tall". */
function largeEnough(minDeg: number) {
  return sql<boolean>`greatest(width(bbox), height(bbox)) >= ${minDeg}`;
}

/** The number of plots in a tile and their highest row version (what the ETag is made of). */
export async function tileStamp(db: Executor, t: TilePlotQuery): Promise<{ n: number; v: string }> {
  let q = db
    .selectFrom('plots')
    .select([sql<number>`count(*)::int`.as('n'), sql<string>`coalesce(max(row_version), 0)::text`.as('v')])
    .where(sql<boolean>`bbox && ${bboxToPgBox(t.bbox)}::box`)
    .where(largeEnough(t.minSizeDeg));
  q = t.status?.length ? q.where('status', 'in', t.status) : q.where('status', '<>', 'retired');
  return q.executeTakeFirstOrThrow();
}

/** The plots drawn in a tile, geometry as GeoJSON text. */
export async function tilePlots(db: Executor, t: TilePlotQuery) {
  let q = db
    .selectFrom('plots')
    .select(['id', 'code', 'park_id', 'status', 'land_use', 'area_m2', 'sample', sql<string>`geometry::text`.as('g')])
    .where(sql<boolean>`bbox && ${bboxToPgBox(t.bbox)}::box`)
    .where(largeEnough(t.minSizeDeg));
  q = t.status?.length ? q.where('status', 'in', t.status) : q.where('status', '<>', 'retired');
  return q.execute();
}
