/**
 * Loads the shipped geodata (districts, parks) and the demo sample plots into a database.
 * Idempotent for base data: districts and parks are inserted only into empty tables. Sample
 * plots are generated deterministically (fixed seed) and marked `sample: true`.
 */
import fs from 'node:fs';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../server/kernel/db/schema.ts';
import { geometryPgBox } from '../server/kernel/db/geo.ts';
import { setMeta } from '../server/kernel/db/meta.ts';
import { inTransaction } from '../server/kernel/db/transaction.ts';
import { generatePlots, type PlotSeed } from './generate-plots.ts';
import { generateScale, type ScaleParcel, type ZoneSeed } from './scale.ts';
import { seedReference } from '../server/modules/reference/service.ts';
import { seedDemoUsers } from './users.ts';
import { usccCheckChar } from '../shared/uscc.ts';
import { geometryAreaM2 } from '../shared/geometry/index.ts';
import { removeSampleAllocations, seedSampleAllocations } from './sample-allocations.ts';
import { seedSampleConditions, seedSampleSupervision } from './sample-supervision.ts';
import { removeSampleDemands, seedSampleDemands } from './sample-demands.ts';
import { bureauToday } from '../shared/dates.ts';
import { recordEvent, systemActor } from '../server/kernel/audit.ts';
import { seedSampleLive } from './sample-live.ts';

export const DEMO_SEED = 'iab-demo-2026';

type Geo = GeoJSON.Polygon | GeoJSON.MultiPolygon;

function readGeo(name: string): GeoJSON.FeatureCollection<Geo> {
  return JSON.parse(fs.readFileSync(new URL(`../geodata/${name}`, import.meta.url), 'utf8')) as GeoJSON.FeatureCollection<Geo>;
}

/** Inserts districts and parks when their tables are empty. Returns what it inserted. */
export async function loadBaseGeodata(db: Kysely<Database>): Promise<{ districts: number; parks: number }> {
  return inTransaction(db, async (trx) => {
    let districts = 0;
    let parks = 0;
    const hasDistricts = await trx.selectFrom('districts').select('code').limit(1).executeTakeFirst();
    if (!hasDistricts) {
      const fc = readGeo('districts.geojson');
      for (const f of fc.features) {
        const p = f.properties as { code: string; nameZh: string; nameEn: string };
        await trx
          .insertInto('districts')
          .values({ code: p.code, name_zh: p.nameZh, name_en: p.nameEn, geometry: JSON.stringify(f.geometry), bbox: geometryPgBox(f.geometry) })
          .execute();
        districts++;
      }
    }
    const hasParks = await trx.selectFrom('parks').select('id').limit(1).executeTakeFirst();
    if (!hasParks) {
      const fc = readGeo('parks.geojson');
      for (const f of fc.features) {
        const p = f.properties as {
          code: string; nameZh: string; nameEn: string; districtCode: string; tier: 'core' | 'equal_policy' | 'recognized';
          sectors: ('ngit' | 'ai' | 'biomed')[]; recognizedYear: number; boundarySource: 'indicative' | 'surveyed'; areaM2: number;
          locationConfidence?: string; areaNote?: string; centre?: [number, number];
        };
        await trx
          .insertInto('parks')
          .values({
            code: p.code,
            name_zh: p.nameZh,
            name_en: p.nameEn,
            district_code: p.districtCode,
            tier: p.tier,
            sectors: p.sectors,
            recognized_year: p.recognizedYear,
            boundary_source: p.boundarySource,
            // 宗地面积 practice: the EPSG:4547 plane area (as plots and GDAL measure), not the sphere's.
            area_m2: (Math.round(geometryAreaM2(f.geometry) * 100) / 100).toFixed(2),
            geometry: JSON.stringify(f.geometry),
            bbox: geometryPgBox(f.geometry),
            // An indicative boundary is sample data: the UI says so (Standards, data honesty).
            sample: p.boundarySource === 'indicative',
            notes: JSON.stringify({ locationConfidence: p.locationConfidence ?? null, areaNote: p.areaNote ?? null, centre: p.centre ?? null }),
          })
          .execute();
        parks++;
      }
    }
    return { districts, parks };
  });
}

const BATCH = 500;

/** The applicant of the generated holds: one sample enterprise code (valid check character). */
const SAMPLE_HOLD_USCC_BODY = '91440101MA5C12000';
const SAMPLE_HOLD_USCC = SAMPLE_HOLD_USCC_BODY + usccCheckChar(SAMPLE_HOLD_USCC_BODY);

/** Inserts generated sample plots in batches, in one transaction (all or nothing). */
export async function insertPlots(db: Kysely<Database>, seeds: PlotSeed[]): Promise<number> {
  return inTransaction(db, async (trx) => {
    const parks = await trx.selectFrom('parks').select(['id', 'code']).execute();
    const parkId = new Map(parks.map((p) => [p.code, p.id]));
    for (let i = 0; i < seeds.length; i += BATCH) {
      const rows = seeds.slice(i, i + BATCH).map((s) => {
        const id = parkId.get(s.parkCode);
        if (id === undefined) throw new Error(`Plot ${s.code}: park ${s.parkCode} is not in the database.`);
        return {
          code: s.code,
          park_id: id,
          status: s.status,
          land_use: s.landUse,
          parcel_code: s.parcelCode,
          zoning_plot_code: s.zoningPlotCode,
          area_m2: s.areaM2.toFixed(2),
          land_level: s.landLevel,
          location: s.location,
          plot_ratio_min: s.plotRatioMin,
          plot_ratio_max: s.plotRatioMax,
          building_density_max_pct: s.buildingDensityMaxPct,
          green_ratio_min_pct: s.greenRatioMinPct,
          height_limit_m: s.heightLimitM,
          investment_intensity_yuan_per_m2: s.investmentIntensityYuanPerM2,
          cost_yuan: s.costYuan.toFixed(2),
          serviced: s.serviced,
          geometry: JSON.stringify(s.geometry),
          bbox: geometryPgBox(s.geometry),
          sample: true,
        };
      });
      await trx.insertInto('plots').values(rows).execute();
    }
    // A held plot is held for someone until a date: give each generated held plot its (sample)
    // hold, so the bureau can release it or allocate it to that applicant like any other.
    // Each with its audit event, as a hold placed on the screen has (the trail verifies and tells).
    const holds = await sql<{ id: number; plot_id: number; applicant_name: string; held_until: string }>`
      insert into plot_holds (plot_id, applicant_name, applicant_uscc, held_until, note)
      select p.id, '示例企业 ' || p.code || '（示例数据）', ${SAMPLE_HOLD_USCC}, current_date + (30 + p.id % 90), '示例数据 / sample hold'
        from plots p
       where p.sample and p.status = 'held'
         and not exists (select 1 from plot_holds h where h.plot_id = p.id and h.released_at is null)
      returning id, plot_id, applicant_name, held_until::text as held_until`.execute(trx);
    for (const h of holds.rows) {
      await recordEvent(trx, {
        actor: systemActor('demo-seed'), action: 'hold.create', entity: 'plot_hold', entityId: h.id,
        before: { plotId: h.plot_id, plotStatus: 'available' },
        after: { id: h.id, plotId: h.plot_id, plotStatus: 'held', applicantName: h.applicant_name, applicantUscc: SAMPLE_HOLD_USCC, heldUntil: h.held_until, sample: true },
      });
    }
    // 标准地 conditions first: the sample allocations freeze them into their agreements.
    await seedSampleConditions(trx);
    // An allocated plot has its allocation record (sample): allocated ⇔ one active allocation.
    await seedSampleAllocations(trx);
    // A few available sample plots have no cost recorded (五(三)14: the floor is then incomplete),
    // so the "cost not recorded" state is visible: the 10th available plot of each park with at
    // least 12 — never the first or last ones, which the demos and browser tests allocate.
    await sql`
      update plots p
         set cost_yuan = null,
             cost_note = '示例数据：成本未登记（演示“成本未登记”） / sample: cost not recorded, to show that state'
        from (select id, row_number() over (partition by park_id order by id) as n, count(*) over (partition by park_id) as total
                from plots where sample and status = 'available') a
       where p.id = a.id and a.n = 10 and a.total >= 12`.execute(trx);
    await setMeta(trx, 'sample_data', true);
    await setMeta(trx, 'data_as_of', bureauToday());
    return seeds.length;
  });
}

export interface SeedOptions {
  /** Generate demo sample plots (20–60 per park) when the plots table is empty. */
  demo: boolean;
  /** With `demo`: also the sample subsidies and interests (seeds/sample-live.ts), once. */
  live?: boolean;
  /** Instead of the demo counts, generate exactly this many plots (benchmarks). Replaces sample plots. */
  plots?: number;
  seed?: string;
  /**
   * With `plots`: lay them out as the realistic scale dataset — the parks keep their demo
   * plots, the rest go to generated zones over the districts (seeds/scale.ts). Default: when
   * `plots` ≥ SCALE_THRESHOLD. `false` packs all `plots` into the parks (the old layout).
   */
  zones?: boolean;
  /** Progress of a zones run: parcels inserted so far of the total. */
  onProgress?: (done: number, total: number) => void;
}

export interface SeedReport {
  districts: number;
  parks: number;
  plots: number;
  removedSamplePlots: number;
  /** Generated zones inserted (tier `zone`), and zones removed before. */
  zones: number;
  removedZones: number;
}

/** From this many `plots` on, `seedDatabase` builds the scale dataset (zones) by default. */
export const SCALE_THRESHOLD = 20_000;
/** Rows per multi-row insert of the scale dataset. */
const SCALE_BATCH = 5_000;

async function districtsForZones(db: Kysely<Database>) {
  const rows = await db.selectFrom('districts').select(['code', 'name_zh', 'name_en', 'geometry']).orderBy('code').execute();
  return rows.map((d) => ({ code: d.code, nameZh: d.name_zh, nameEn: d.name_en, geometry: d.geometry }));
}

/**
 * Inserts the generated zones and their parcels (seeds/scale.ts) in one transaction, in
 * batches of SCALE_BATCH rows through `unnest` of arrays (one statement and 20 parameters per
 * batch), generating the next batch while the database stores the previous one. The held
 * parcels get their sample hold, as the demo's do. Returns [zones, parcels].
 */
export async function insertScale(
  db: Kysely<Database>,
  stream: Iterable<{ zone: ZoneSeed; parcels: ScaleParcel[] }>,
  total: number,
  onProgress?: (done: number, total: number) => void,
): Promise<[number, number]> {
  return db.transaction().execute(async (trx) => {
    let zones: ZoneSeed[] = [];
    let parcels: { p: ScaleParcel; zone: string }[] = [];
    let nZones = 0, nParcels = 0, reported = 0;
    const flush = async (zs: ZoneSeed[], ps: { p: ScaleParcel; zone: string }[]) => {
      if (zs.length) {
        await sql`
          insert into parks (code, name_zh, name_en, district_code, tier, sectors, recognized_year, boundary_source, area_m2, geometry, bbox, sample, notes)
          select u.code, u.name_zh, u.name_en, u.district_code, 'zone', string_to_array(u.sectors, ','), 2026, 'indicative', u.area_m2, u.geometry,
                 box(point(u.e, u.n), point(u.w, u.s)), true, '{"generated":"seeds/scale.ts"}'::jsonb
            from unnest(${zs.map((z) => z.code)}::text[], ${zs.map((z) => z.nameZh)}::text[], ${zs.map((z) => z.nameEn)}::text[],
                        ${zs.map((z) => z.districtCode)}::text[], ${zs.map((z) => z.sectors.join(','))}::text[], ${zs.map((z) => z.areaM2)}::numeric[],
                        ${zs.map((z) => JSON.stringify(z.geometry))}::jsonb[],
                        ${zs.map((z) => z.bbox[0])}::float8[], ${zs.map((z) => z.bbox[1])}::float8[], ${zs.map((z) => z.bbox[2])}::float8[], ${zs.map((z) => z.bbox[3])}::float8[])
              as u(code, name_zh, name_en, district_code, sectors, area_m2, geometry, w, s, e, n)`.execute(trx);
      }
      if (ps.length) {
        const col = <T>(f: (p: ScaleParcel) => T) => ps.map((x) => f(x.p));
        await sql`
          insert into plots (code, park_id, status, land_use, area_m2, land_level, location, plot_ratio_min, plot_ratio_max,
                             building_density_max_pct, green_ratio_min_pct, height_limit_m, investment_intensity_yuan_per_m2,
                             cost_yuan, serviced, geometry, bbox, sample, conditions)
          select u.code, pk.id, u.status, u.land_use, u.area_m2, u.land_level, u.location, u.rmin, u.rmax, u.density, u.green, u.height, u.invest,
                 u.cost, u.serviced, u.geometry, box(point(u.e, u.n), point(u.w, u.s)), true, u.conditions
            from unnest(${col((p) => p.code)}::text[], ${ps.map((x) => x.zone)}::text[], ${col((p) => p.status)}::text[], ${col((p) => p.landUse)}::text[],
                        ${col((p) => p.areaM2)}::numeric[], ${col((p) => p.landLevel)}::int[], ${col((p) => p.location)}::text[],
                        ${col((p) => p.plotRatioMin)}::numeric[], ${col((p) => p.plotRatioMax)}::numeric[], ${col((p) => p.buildingDensityMaxPct)}::numeric[],
                        ${col((p) => p.greenRatioMinPct)}::numeric[], ${col((p) => p.heightLimitM)}::numeric[], ${col((p) => p.investmentIntensityYuanPerM2)}::numeric[],
                        ${col((p) => p.costYuan)}::numeric[], ${col((p) => p.serviced)}::bool[], ${col((p) => p.geometryJson)}::jsonb[],
                        ${col((p) => p.bbox[0])}::float8[], ${col((p) => p.bbox[1])}::float8[], ${col((p) => p.bbox[2])}::float8[], ${col((p) => p.bbox[3])}::float8[],
                        ${col((p) => p.conditionsJson)}::jsonb[])
              as u(code, zone, status, land_use, area_m2, land_level, location, rmin, rmax, density, green, height, invest, cost, serviced, geometry, w, s, e, n, conditions)
            join parks pk on pk.code = u.zone`.execute(trx);
      }
    };
    // A big load is faster into a table without its secondary indexes, built once afterwards
    // (a GiST index grows slowly row by row). Only the table's owner may drop them: as the app
    // role (the benches seed through the app's connection) this is skipped and the rows go
    // into the indexes as they come.
    const rebuild = total >= BULK_INDEX_THRESHOLD ? await dropSecondaryIndexes(trx) : [];
    let pending: Promise<void> = Promise.resolve();
    const send = async () => {
      await pending; // at most one batch in flight: bounded memory, and the next one is built meanwhile
      const zs = zones, ps = parcels;
      zones = [];
      parcels = [];
      nZones += zs.length;
      nParcels += ps.length;
      pending = flush(zs, ps);
      pending.catch(() => {}); // awaited (and thrown) at the next send or at the end
      if (onProgress && (nParcels - reported >= 50_000 || nParcels === total)) {
        reported = nParcels;
        onProgress(nParcels, total);
      }
    };
    for (const { zone, parcels: ps } of stream) {
      zones.push(zone);
      for (const p of ps) parcels.push({ p, zone: zone.code });
      if (parcels.length >= SCALE_BATCH) await send();
    }
    await send();
    await pending;
    for (const def of rebuild) await sql.raw(def).execute(trx);
    await sql`
      insert into plot_holds (plot_id, applicant_name, applicant_uscc, held_until, note)
      select p.id, '示例企业 ' || p.code || '（示例数据）', ${SAMPLE_HOLD_USCC}, current_date + (30 + p.id % 90), '示例数据 / sample hold'
        from plots p join parks pk on pk.id = p.park_id
       where pk.tier = 'zone' and p.sample and p.status = 'held'
         and not exists (select 1 from plot_holds h where h.plot_id = p.id and h.released_at is null)`.execute(trx);
    await setMeta(trx, 'sample_data', true);
    return [nZones, nParcels];
  });
}

/** From this many zone parcels on, the owner's load drops and rebuilds the plots' secondary indexes. */
const BULK_INDEX_THRESHOLD = 100_000;

/**
 * Drops the indexes of `plots` that back no constraint and returns their definitions to
 * re-create — or nothing, when the role may not (not the owner): then nothing changed.
 */
async function dropSecondaryIndexes(trx: Transaction<Database>): Promise<string[]> {
  const { rows } = await sql<{ name: string; def: string }>`
    select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as def
      from pg_index i
     where i.indrelid = 'plots'::regclass
       and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)
     order by 1`.execute(trx);
  await sql`savepoint drop_plot_indexes`.execute(trx);
  try {
    for (const r of rows) await sql.raw(`drop index ${r.name}`).execute(trx);
    await sql`release savepoint drop_plot_indexes`.execute(trx);
    return rows.map((r) => r.def);
  } catch {
    await sql`rollback to savepoint drop_plot_indexes`.execute(trx);
    return [];
  }
}

/** Removes the generated zones (their plots must be gone first). */
async function removeZones(db: Kysely<Database>): Promise<number> {
  const r = await db.deleteFrom('parks').where('tier', '=', 'zone').executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** The IAB parks (not the generated zones), for the demo generator. */
async function parksForPlots(db: Kysely<Database>) {
  const parks = await db.selectFrom('parks').select(['code', 'geometry', 'district_code', 'sectors']).where('tier', '<>', 'zone').orderBy('code').execute();
  return parks.map((p) => ({ code: p.code, geometry: p.geometry, districtCode: p.district_code, sectors: p.sectors }));
}

/** Seeds an empty database (start-up) or regenerates the sample plots (`npm run db:seed -- --plots N`). */
export async function seedDatabase(db: Kysely<Database>, opts: SeedOptions): Promise<SeedReport> {
  const base = await loadBaseGeodata(db);
  // Reference data (parameters, minimum prices, grades, the SAMPLE benchmark table) is base
  // data too: quotes need it with or without demo plots.
  await seedReference(db, fs.readFileSync(new URL('./reference/benchmark-prices.sample.csv', import.meta.url), 'utf8'));
  const report: SeedReport = { ...base, plots: 0, removedSamplePlots: 0, zones: 0, removedZones: 0 };
  const seed = opts.seed ?? DEMO_SEED;
  if (opts.plots !== undefined) {
    await inTransaction(db, async (trx) => {
      await removeSampleDemands(trx);
      await removeSampleAllocations(trx);
    });
    await db.deleteFrom('plot_holds').where('plot_id', 'in', db.selectFrom('plots').select('id').where('sample', '=', true)).execute();
    const removed = await db.deleteFrom('plots').where('sample', '=', true).executeTakeFirst();
    report.removedSamplePlots = Number(removed.numDeletedRows);
    report.removedZones = await removeZones(db);
    const parks = await parksForPlots(db);
    if (opts.zones ?? opts.plots >= SCALE_THRESHOLD) {
      // The scale dataset: the parks keep their demo plots, the generated zones carry the rest.
      const demo = generatePlots(parks, { seed });
      if (demo.length > opts.plots) demo.length = opts.plots;
      report.plots = await insertPlots(db, demo);
      const rest = opts.plots - report.plots;
      const stream = generateScale(await districtsForZones(db), parks, { seed, total: rest });
      const [zones, parcels] = await insertScale(db, stream, rest, opts.onProgress);
      report.zones = zones;
      report.plots += parcels;
      await sql`analyze plots`.execute(db); // fresh statistics for the planner after a bulk load
      await sql`analyze parks`.execute(db);
    } else {
      report.plots = await insertPlots(db, generatePlots(parks, { seed, total: opts.plots }));
    }
  } else if (opts.demo) {
    const any = await db.selectFrom('plots').select('id').limit(1).executeTakeFirst();
    if (!any) report.plots = await insertPlots(db, generatePlots(await parksForPlots(db), { seed }));
    else {
      // A demo database from before the sample records (migration 009): complete them. A demo
      // must still start if it cannot (e.g. the bureau set a 2019–2022 quota too small for them).
      try {
        await inTransaction(db, (trx) => seedSampleAllocations(trx));
      } catch (err) {
        console.warn(`Sample allocation records for the demo's allocated plots were not added: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    await seedDemoUsers(db); // on its own: a database may have plots from before accounts existed
    // Supervision after the sale (#15): late starts, a government delay, a decision, inspections
    // (assigned to the demo district officers, hence after the accounts) and 亩均 figures.
    try {
      await inTransaction(db, (trx) => seedSampleSupervision(trx));
    } catch (err) {
      console.warn(`Sample supervision records were not added: ${err instanceof Error ? err.message : String(err)}`);
    }
    // Project land demands (随用随供, #16): after the accounts (recorded by the demo land officer).
    try {
      await inTransaction(db, (trx) => seedSampleDemands(trx));
    } catch (err) {
      console.warn(`Sample land demands were not added: ${err instanceof Error ? err.message : String(err)}`);
    }
    // The living demo (#18.3): subsidies in a few parks and investors' interests, through the
    // services' own rules and audit events, as the demo accounts (after them).
    if (opts.live) try {
      await seedSampleLive(db);
    } catch (err) {
      console.warn(`Sample subsidies and interests were not added: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return report;
}
