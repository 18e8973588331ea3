/**
 * Import of 10,000 plots (TARGETS.md: validated and overlap-checked, < 10 s), through the real
 * routes (`app.inject`: server time, no network): a zipped Shapefile in EPSG:4547 is uploaded
 * (preview: parse, reproject, validate against the park, the file and the database) and
 * committed (all-or-nothing batched insert with versions and audit). Baseline beside it, when
 * BENCH_DATABASE_URL is set and GDAL is installed: `ogr2ogr` loading the same Shapefile into
 * PostgreSQL (no validation at all). Prints figures; asserts nothing.
 *
 *   npm run bench:import                                             # PGlite in memory
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1/bench npm run bench:import   # scratch PostgreSQL db (emptied!)
 *   BENCH_PLOTS=20000 npm run bench:import
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/kernel/config.ts';
import { startupSeeding } from '../seeds/startup.ts';
import { generatePlots } from '../seeds/generate-plots.ts';
import { DEMO_PASSWORD } from '../seeds/users.ts';
import { CRS, geometryFromWgs84 } from '../shared/geometry/crs.ts';
import { writeShapefile } from '../server/modules/exports/shapefile.ts';

const N = Number(process.env.BENCH_PLOTS ?? 10_000);
const url = process.env.BENCH_DATABASE_URL;
const env = url
  ? { DATABASE_URL: url, LOG_LEVEL: 'silent', SEED_DEMO: 'true' }
  : { DATA_DIR: 'memory://', LOG_LEVEL: 'silent', SEED_DEMO: 'true' };
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

const config = loadConfig(env);
const app = await buildApp({ config, ...startupSeeding(config) });
// Room for the file: the demo's sample plots go (they would overlap the generated ones).
await app.db.deleteFrom('plot_holds').execute();
await app.db.deleteFrom('plots').execute();
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
console.log(`  total: ${secs(total)} wall (${Math.round(N / (total / 1000))} plots/s), ${secs(cpu(c2))} CPU; target < 10 s: ${total < 10_000 ? 'met' : 'NOT met'} (machine load average ${load} on ${os.cpus().length} cores)`);

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
  const b0 = performance.now();
  const r = spawnSync('ogr2ogr', ['-f', 'PostgreSQL', pgConn, path.join(dir, 'plots.shp'), '-nln', 'bench_ogr_plots', '-overwrite', '-t_srs', 'EPSG:4326', '-lco', 'GEOMETRY_NAME=geom', '-nlt', 'PROMOTE_TO_MULTI', '-lco', 'SPATIAL_INDEX=NONE'], { encoding: 'utf8' });
  const b1 = performance.now();
  if (r.status !== 0) console.log(`  baseline: ogr2ogr failed (${r.stderr.trim().split('\n')[0]}) — it needs PostGIS in the database`);
  else console.log(`  baseline: ogr2ogr → PostgreSQL (no validation): ${secs(b1 - b0)}; ratio import/baseline: ${(total / (b1 - b0)).toFixed(1)}×`);
  fs.rmSync(dir, { recursive: true, force: true });
}
await app.close();
