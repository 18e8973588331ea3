/**
 * Import of 100,000 parcels (issue #17: ≤ 30 s; TARGETS.md: 10,000 validated and overlap-checked
 * in < 10 s), through the real routes (`app.inject`: server time, no network): a zipped
 * Shapefile in EPSG:4547 is uploaded (preview: parse, reproject, validate against the park, the
 * file and the database) and committed (all-or-nothing batched insert with versions and audit).
 * Baseline beside it, in the same run, when BENCH_DATABASE_URL is set and GDAL is installed:
 * `ogr2ogr` loading the same Shapefile into PostGIS (no validation at all), into the same
 * scratch database. Prints figures; asserts nothing.
 *
 *   npm run bench:import                                             # PGlite in memory
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:import   # a scratch database beside it
 *   BENCH_PLOTS=10000 npm run bench:import
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import type { Database } from '../server/kernel/db/schema.ts';
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/kernel/config.ts';
import { startupSeeding } from '../seeds/startup.ts';
import { seedDatabase } from '../seeds/load.ts';
import { generatePlots } from '../seeds/generate-plots.ts';
import { DEMO_PASSWORD } from '../seeds/users.ts';
import { CRS, geometryFromWgs84 } from '../shared/geometry/crs.ts';
import { writeShapefile } from '../server/modules/exports/shapefile.ts';
import { scratchDatabase } from './harness.ts';

const N = Number(process.env.BENCH_PLOTS ?? 100_000);
const TARGET_S = N > 10_000 ? 30 : 10;
const scratch = process.env.BENCH_DATABASE_URL ? await scratchDatabase(process.env.BENCH_DATABASE_URL) : null;
const url = scratch?.url;
const env = url
  ? { DATABASE_URL: url, DATA_DIR: 'memory://', LOG_LEVEL: 'silent', SEED_DEMO: 'true', PUBLIC_ORIGIN: 'http://localhost' }
  : { DATA_DIR: 'memory://', LOG_LEVEL: 'silent', SEED_DEMO: 'true', PUBLIC_ORIGIN: 'http://localhost' };
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

const config = loadConfig(env);
const app = await buildApp({ config, ...startupSeeding(config) });
// Room for the file: the demo's sample plots go (they would overlap the generated ones).
// (`--plots 0` of db:seed: the sample demands, allocations, holds and plots go, accounts stay.)
// As the tables' owner (it sets the append-only ledger trigger aside): the scratch database's superuser.
if (url) {
  const owner = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) }) });
  await seedDatabase(owner, { demo: false, plots: 0 });
  await owner.destroy();
} else await seedDatabase(app.db, { demo: false, plots: 0 });
const parks = await app.db.selectFrom('parks').select(['code', 'geometry', 'district_code', 'sectors']).orderBy('code').execute();
const plots = generatePlots(parks.map((p) => ({ code: p.code, geometry: p.geometry, districtCode: p.district_code, sectors: p.sectors })), { seed: 'bench-import', total: N });

const shp = writeShapefile(
  plots.map((p) => ({ geometry: geometryFromWgs84('EPSG:4547', p.geometry), properties: { code: p.code, park_code: p.parkCode, land_use: p.landUse, area_m2: p.areaM2, land_level: p.landLevel, location: p.location } })),
  [{ name: 'code', type: 'C' }, { name: 'park_code', type: 'C' }, { name: 'land_use', type: 'C', length: 2 }, { name: 'area_m2', type: 'N', length: 16, decimals: 2 }, { name: 'land_level', type: 'N', length: 4, decimals: 0 }, { name: 'location', type: 'C' }],
);
const files = { 'plots.shp': shp.shp, 'plots.shx': shp.shx, 'plots.dbf': shp.dbf, 'plots.prj': strToU8(CRS['EPSG:4547'].prjWkt), 'plots.cpg': strToU8('UTF-8') };
const zip = zipSync(files);

const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'land', password: DEMO_PASSWORD } });
const cookie = `iab_session=${login.cookies.find((c) => c.name === 'iab_session')!.value}`;
const headers = { cookie, origin: 'http://localhost' };

const boundary = `----bench${randomBytes(6).toString('hex')}`;
const payload = Buffer.concat([
  Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="plots.zip"\r\nContent-Type: application/zip\r\n\r\n`),
  Buffer.from(zip),
  Buffer.from(`\r\n--${boundary}--\r\n`),
]);

console.log(`Import of ${N} plots (zipped Shapefile in EPSG:4547, ${(zip.length / 1024 / 1024).toFixed(1)} MB) on ${app.dbKind}`);
const c0 = process.cpuUsage();
const t0 = performance.now();
const pre = await app.inject({ method: 'POST', url: '/api/imports', payload, headers: { ...headers, 'content-type': `multipart/form-data; boundary=${boundary}` } });
const t1 = performance.now();
const c1 = process.cpuUsage(c0);
if (pre.statusCode !== 201) throw new Error(`preview → ${pre.statusCode} ${pre.body.slice(0, 500)}`);
const preview = pre.json() as { id: string; counts: { features: number; valid: number; invalid: number } };
if (preview.counts.invalid) throw new Error(`preview found ${preview.counts.invalid} invalid features: ${pre.body.slice(0, 1000)}`);
const commit = await app.inject({ method: 'POST', url: `/api/imports/${preview.id}/commit`, headers });
const t2 = performance.now();
const c2 = process.cpuUsage(c0);
if (commit.statusCode !== 201) throw new Error(`commit → ${commit.statusCode} ${commit.body.slice(0, 500)}`);
const total = t2 - t0;
// CPU time of this process (the app; with PGlite also the database): what the work costs, less
// sensitive than wall time to other load on the machine. With PostgreSQL the server's CPU is extra.
const cpu = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
const load = os.loadavg()[0]!.toFixed(1);
console.log(`  preview (parse, reproject, validate, overlap-check): ${secs(t1 - t0)} wall, ${secs(cpu(c1))} CPU  (response ${(pre.rawPayload.length / 1024).toFixed(0)} KB)`);
console.log(`  commit (insert plots + versions, audit):            ${secs(t2 - t1)} wall, ${secs(cpu(c2) - cpu(c1))} CPU`);
console.log(`  total: ${secs(total)} wall (${Math.round(N / (total / 1000))} plots/s), ${secs(cpu(c2))} CPU; target < ${TARGET_S} s: ${total < TARGET_S * 1000 ? 'met' : 'NOT met'} (machine load average ${load} on ${os.cpus().length} cores)`);

const ogr = spawnSync('ogr2ogr', ['--version'], { encoding: 'utf8' });
if (ogr.status !== 0) {
  console.log('  baseline: skipped (ogr2ogr not installed: apt-get install -y gdal-bin)');
} else if (!url) {
  console.log('  baseline: skipped (set BENCH_DATABASE_URL to time ogr2ogr loading the same file into PostgreSQL)');
} else {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iab-bench-'));
  for (const [name, data] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), data);
  const u = new URL(url);
  const pgConn = `PG:host=${u.hostname} port=${u.port || 5432} dbname=${u.pathname.slice(1)} user=${decodeURIComponent(u.username || 'postgres')}${u.password ? ` password=${decodeURIComponent(u.password)}` : ''}`;
  // ogr2ogr writes PostGIS geometry: the scratch database gets the extension (the app's migration
  // has already created it when the package is installed).
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const hasPostgis = await c.query('CREATE EXTENSION IF NOT EXISTS postgis').then(() => true, () => false);
  await c.end();
  if (!hasPostgis) {
    console.log('  baseline: skipped (PostGIS is not available: apt-get install -y postgresql-15-postgis-3)');
  } else {
    // COPY mode (PG_USE_COPY) and a GiST index, as a GIS officer would load a cadastre.
    const b0 = performance.now();
    const r = spawnSync('ogr2ogr', ['-f', 'PostgreSQL', pgConn, path.join(dir, 'plots.shp'), '-nln', 'bench_ogr_plots', '-overwrite', '-t_srs', 'EPSG:4326', '-lco', 'GEOMETRY_NAME=geom', '-nlt', 'PROMOTE_TO_MULTI', '--config', 'PG_USE_COPY', 'YES'], { encoding: 'utf8' });
    const b1 = performance.now();
    if (r.status !== 0) console.log(`  baseline: ogr2ogr failed (${r.stderr.trim().split('\n')[0]})`);
    else console.log(`  baseline: ogr2ogr → PostGIS (COPY, GiST index, no validation): ${secs(b1 - b0)}; ratio import/baseline: ${(total / (b1 - b0)).toFixed(1)}×`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
}
console.log(`  peak RSS of this process (app + bench): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
await app.close();
await scratch?.drop();
