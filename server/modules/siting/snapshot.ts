/**
 * The available plots as the ranking judges them, kept in memory per database and refreshed from
 * what changed (issue #16 §5: 100,000 plots ranked with p95 ≤ 200 ms).
 *
 * Computing every plot's exact public floor in SQL takes about a second at 100,000 plots, and it
 * only changes when a plot, a park's district or the reference data does. So the snapshot holds
 * each available plot's public facts (never the cost: the query does not select it) with its
 * public floor, its centre in the EPSG:4547 plane and its 标准地 conditions, and each request
 * brings it up to date before it is read:
 * - the reference versions in force or a park's district changed → reload it whole;
 * - otherwise the plots whose `row_version` (one global sequence, fresh on every insert and
 *   update) is above the highest seen are read again — a plot that left `available` is dropped;
 * - a count that disagrees with the database's (a deleted row) → reload it whole;
 * - a sum of the available plots' row_versions that disagrees with the database's → reload it
 *   whole. row_version comes from a sequence when a write runs, not when it commits: a write
 *   that took a lower version commits after one with a higher version that a refresh already
 *   passed, and "above the highest seen" never reads it again (on one instance as on several).
 *   Every update gives its plot a fresh, larger version, so such a missed write changes the sum.
 * Nothing is trusted across requests without that check, so every app instance answers from the
 * same data as the database; the snapshot is a cache, not a source of truth.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import { NO_CONDITIONS, type PlotConditions } from '../../../shared/policy/standard-land.ts';
import { planeXY } from '../../../shared/policy/siting.ts';
import type { XY } from '../../../shared/geometry/crs.ts';
import type { ReferenceSet } from '../reference/service.ts';
import { availableRowsSince, type ParkFacts, type SitingRow } from './repository.ts';

/** One available plot: its row as the ranking answers it, and what judging it needs, precomputed. */
export interface SnapshotPlot {
  readonly row: SitingRow;
  readonly conditions: PlotConditions;
  /** Area in 亩 (for the quick range test; the exact one uses area_m2). */
  readonly areaMu: number;
  readonly floorFen: number | null;
  readonly xy: XY;
}

interface Snapshot {
  key: string;
  maxVersion: bigint;
  plots: Map<number, SnapshotPlot>;
  /** The sum of the row_versions of `plots`, kept as they change. */
  versionSum: bigint;
  versions: Map<number, bigint>;
}

const snapshots = new WeakMap<object, Snapshot>();

function toSnapshotPlot(r: SitingRow, conditions: Record<string, unknown>): SnapshotPlot {
  const areaM2 = Number(r.area_m2);
  return {
    row: r,
    conditions: { ...NO_CONDITIONS, ...(conditions as Partial<PlotConditions>) },
    areaMu: (areaM2 * 3) / 2000,
    floorFen: r.floor_fen === null ? null : Number(r.floor_fen),
    xy: planeXY([Number(r.cx), Number(r.cy)]),
  };
}

/** What the floors depend on besides the plots themselves: the reference versions and the parks' districts. */
function keyOf(ref: ReferenceSet, parks: readonly ParkFacts[]): string {
  const versions = Object.entries(ref.versions).map(([k, v]) => `${k}:${v?.id}`).sort().join(',');
  const districts = parks.map((p) => `${p.id}:${p.district_code}`).sort().join(',');
  return `${ref.asOf}|${versions}|${districts}`;
}

/**
 * The available plots, up to date with the database: `maxVersion` is the plots' highest
 * row_version now and `available` their count (both read by the caller in this request).
 */
export async function availablePlots(
  db: Kysely<Database>,
  ref: ReferenceSet,
  parks: readonly ParkFacts[],
  now: { maxVersion: string | null; available: number; versionSum?: string },
): Promise<Map<number, SnapshotPlot>> {
  const key = keyOf(ref, parks);
  const target = BigInt(now.maxVersion ?? '0');
  let snap = snapshots.get(db);
  if (snap && snap.key === key && snap.maxVersion < target) {
    for (const r of await availableRowsSince(db, ref, snap.maxVersion)) {
      const v = BigInt(r.row_version);
      snap.versionSum -= snap.versions.get(r.id) ?? 0n;
      if (r.status === 'available') {
        snap.plots.set(r.id, toSnapshotPlot(r, r.conditions));
        snap.versions.set(r.id, v);
        snap.versionSum += v;
      } else {
        snap.plots.delete(r.id);
        snap.versions.delete(r.id);
      }
      if (v > snap.maxVersion) snap.maxVersion = v;
    }
    if (snap.maxVersion < target) snap.maxVersion = target;
  }
  const sumDiffers = now.versionSum !== undefined && snap !== undefined && snap.versionSum !== BigInt(now.versionSum);
  if (!snap || snap.key !== key || snap.plots.size !== now.available || sumDiffers) {
    const rows = await availableRowsSince(db, ref, null);
    snap = { key, maxVersion: target, plots: new Map(rows.map((r) => [r.id, toSnapshotPlot(r, r.conditions)])), versionSum: 0n, versions: new Map() };
    for (const r of rows) {
      const v = BigInt(r.row_version);
      snap.versions.set(r.id, v);
      snap.versionSum += v;
      if (v > snap.maxVersion) snap.maxVersion = v;
    }
    snapshots.set(db, snap);
  }
  return snap.plots;
}
