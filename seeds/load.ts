/**
 * Loads the shipped geodata (districts, parks) and the demo sample plots into a database.
 * Idempotent for base data: districts and parks are inserted only into empty tables. Sample
 * plots are generated deterministically (fixed seed) and marked `sample: true`.
 */
import fs from 'node:fs';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../server/kernel/db/schema.ts';
import { geometryPgBox } from '../server/kernel/db/geo.ts';
import { setMeta } from '../server/kernel/db/meta.ts';
import { inTransaction } from '../server/kernel/db/transaction.ts';
import { generatePlots, type PlotSeed } from './generate-plots.ts';
import { seedReference } from '../server/modules/reference/service.ts';
import { seedDemoUsers } from './users.ts';
import { usccCheckChar } from '../shared/uscc.ts';
import { geometryAreaM2 } from '../shared/geometry/index.ts';
import { removeSampleAllocations, seedSampleAllocations } from './sample-allocations.ts';
import { seedSampleConditions, seedSampleSupervision } from './sample-supervision.ts';
import { removeSampleDemands, seedSampleDemands } from './sample-demands.ts';
import { bureauToday } from '../shared/dates.ts';

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
    await sql`
      insert into plot_holds (plot_id, applicant_name, applicant_uscc, held_until, note)
      select p.id, '示例企业 ' || p.code || '（示例数据）', ${SAMPLE_HOLD_USCC}, current_date + (30 + p.id % 90), '示例数据 / sample hold'
        from plots p
       where p.sample and p.status = 'held'
         and not exists (select 1 from plot_holds h where h.plot_id = p.id and h.released_at is null)`.execute(trx);
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
  /** Instead of the demo counts, generate exactly this many plots (benchmarks). Replaces sample plots. */
  plots?: number;
  seed?: string;
}

export interface SeedReport {
  districts: number;
  parks: number;
  plots: number;
  removedSamplePlots: number;
}

async function parksForPlots(db: Kysely<Database>) {
  const parks = await db.selectFrom('parks').select(['code', 'geometry', 'district_code', 'sectors']).orderBy('code').execute();
  return parks.map((p) => ({ code: p.code, geometry: p.geometry, districtCode: p.district_code, sectors: p.sectors }));
}

/** Seeds an empty database (start-up) or regenerates the sample plots (`npm run db:seed -- --plots N`). */
export async function seedDatabase(db: Kysely<Database>, opts: SeedOptions): Promise<SeedReport> {
  const base = await loadBaseGeodata(db);
  // Reference data (parameters, minimum prices, grades, the SAMPLE benchmark table) is base
  // data too: quotes need it with or without demo plots.
  await seedReference(db, fs.readFileSync(new URL('./reference/benchmark-prices.sample.csv', import.meta.url), 'utf8'));
  const report: SeedReport = { ...base, plots: 0, removedSamplePlots: 0 };
  const seed = opts.seed ?? DEMO_SEED;
  if (opts.plots !== undefined) {
    await inTransaction(db, async (trx) => {
      await removeSampleDemands(trx);
      await removeSampleAllocations(trx);
    });
    await db.deleteFrom('plot_holds').where('plot_id', 'in', db.selectFrom('plots').select('id').where('sample', '=', true)).execute();
    const removed = await db.deleteFrom('plots').where('sample', '=', true).executeTakeFirst();
    report.removedSamplePlots = Number(removed.numDeletedRows);
    const seeds = generatePlots(await parksForPlots(db), { seed, total: opts.plots });
    report.plots = await insertPlots(db, seeds);
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
  }
  return report;
}
