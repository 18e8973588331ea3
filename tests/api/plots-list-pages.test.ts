/**
 * GET /api/plots?bbox= read and sent in pages of 500 (server/modules/plots/selection.ts,
 * plotsFeatureCollection): whatever the limit and the filters, the answer is one valid
 * PlotCollection holding min(limit, matches) plots in code order, each once, with the database's
 * values, and `truncated` true exactly when more plots matched than the limit — on both spatial
 * paths where PostGIS runs, compressed or not. A page that fails once the answer has started
 * cuts the answer and is logged; the server keeps serving.
 *
 * 1,200 plots are added in one place (the demo has at most ~60 per park), their codes in another
 * order than their ids, in two parks of different districts, with land uses counted so that a
 * filter matches exactly 500 and another exactly 501 plots (a page's edge).
 */
import { gunzipSync } from 'node:zlib';
import { expect, it } from 'vitest';
import Fastify from 'fastify';
import compress from '@fastify/compress';
import { sql, type KyselyPlugin } from 'kysely';
import { describeOnDatabases } from './context.ts';
import { forceSpatialPath, spatialPath, type SpatialPath } from '../../server/kernel/db/spatial.ts';
import { plotCollectionBody } from '../../server/modules/plots/service.ts';

type Feature = { type: 'Feature'; id: number; geometry: { type: string; coordinates: unknown }; properties: Record<string, unknown> };
type FC = { type: 'FeatureCollection'; truncated: boolean; features: Feature[] };

const COUNT = 1200;
const [LON0, LAT0, D] = [113.62, 23.41, 80 / 102_000];
const COLS = 40;
const BBOX = [LON0 - D / 4, LAT0 - D / 4, LON0 + COLS * D + D / 4, LAT0 + (COUNT / COLS) * D + D / 4].join(',');
const LIMITS = [1, 499, 500, 501, 1000, undefined]; // undefined: the default, 5000

interface Truth {
  id: number;
  code: string;
  status: string;
  parkId: number;
  districtCode: string;
  areaM2: number;
  landUseCode: string | null;
  parcelCode: string | null;
  landLevel: number;
  sample: boolean;
  landUse: string;
}

describeOnDatabases('plots list in pages', (get) => {
  let parks: { id: number; district: string }[] = [];
  let truth: Truth[] = [];

  const app = () => get().app;
  const list = async (query: string, headers: Record<string, string> = {}) => {
    const res = await app().inject({ method: 'GET', url: `/api/plots?${query}`, headers });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    return res;
  };

  /** The plots added here and any other plot in the box, from the tables, in the database's code order. */
  async function readTruth(): Promise<Truth[]> {
    const [w, s, e, n] = BBOX.split(',').map(Number);
    const r = await sql<Truth>`
      SELECT pl.id, pl.code, pl.status, pl.park_id AS "parkId", pk.district_code AS "districtCode", pl.area_m2::float8 AS "areaM2", pl.land_use AS "landUse",
             pl.land_use_code AS "landUseCode", pl.parcel_code AS "parcelCode", pl.land_level AS "landLevel", pl.sample
      FROM plots pl JOIN parks pk ON pk.id = pl.park_id
      WHERE pl.bbox && box(point(${w}::float8, ${s}::float8), point(${e}::float8, ${n}::float8)) AND pl.status <> 'retired'
      ORDER BY pl.code`.execute(app().db);
    return r.rows.map((x) => ({ ...x, areaM2: Number(x.areaM2) }));
  }

  it('adds 1,200 plots in one place, in two parks of different districts', async () => {
    const r = await sql<{ id: number; district: string }>`SELECT id, district_code AS district FROM parks ORDER BY id`.execute(app().db);
    const a = r.rows[0]!;
    const b = r.rows.find((p) => p.district !== a.district)!;
    parks = [a, b];
    // Codes PG-0000…PG-1199 in the order i·7919 mod 1200 (7919 is prime to 1200): not the id order.
    // Land use: M0 for i < 500, M1 for the next 501, M2 for the rest; statuses and parks alternate.
    await sql`
      INSERT INTO plots (code, park_id, status, land_use, area_m2, land_level, location, geometry, bbox, sample)
      SELECT 'PG-' || lpad(((i * 7919) % ${COUNT}::int)::text, 4, '0'),
             CASE WHEN i % 2 = 0 THEN ${a.id}::int ELSE ${b.id}::int END,
             (ARRAY['available', 'held', 'withdrawn'])[i % 3 + 1],
             CASE WHEN i < 500 THEN 'M0' WHEN i < 1001 THEN 'M1' ELSE 'M2' END,
             round((3000 + i * 1.37)::numeric, 2), 3, '',
             jsonb_build_object('type', 'Polygon', 'coordinates', jsonb_build_array(jsonb_build_array(
               jsonb_build_array(x0, y0), jsonb_build_array(x0 + ${D}::float8, y0), jsonb_build_array(x0 + ${D}::float8, y0 + ${D}::float8),
               jsonb_build_array(x0, y0 + ${D}::float8), jsonb_build_array(x0, y0)))),
             box(point(x0, y0), point(x0 + ${D}::float8, y0 + ${D}::float8)), true
      FROM generate_series(0, ${COUNT - 1}::int) AS i,
           LATERAL (SELECT ${LON0}::float8 + (i % ${COLS}::int) * ${D}::float8 AS x0, ${LAT0}::float8 + (i / ${COLS}::int) * ${D}::float8 AS y0) AS c`.execute(app().db);
    truth = await readTruth();
    expect(truth.length).toBeGreaterThanOrEqual(COUNT);
    expect(truth.filter((p) => p.landUse === 'M0')).toHaveLength(500);
    expect(truth.filter((p) => p.landUse === 'M1')).toHaveLength(501);
    expect(truth.map((p) => p.id)).not.toEqual([...truth.map((p) => p.id)].sort((x, y) => x - y));
  });

  const filters: [string, string, (p: Truth) => boolean][] = [
    ['no filter', '', () => true],
    ['status=held', 'status=held', (p) => p.status === 'held'],
    ['one park', 'parkId=PARK0', (p) => p.parkId === parks[0]!.id],
    ['two statuses in the other park', 'status=available,held&parkId=PARK1', (p) => ['available', 'held'].includes(p.status) && p.parkId === parks[1]!.id],
    ['exactly 500 matches', 'landUse=M0', (p) => p.landUse === 'M0'],
    ['exactly 501 matches', 'landUse=M1', (p) => p.landUse === 'M1'],
  ];

  /** Checks one answer against the tables: count, order, no duplicates, values, truncated. */
  function expectAnswer(body: FC, matches: Truth[], limit: number, what: string) {
    expect(Object.keys(body).sort(), what).toEqual(['features', 'truncated', 'type']);
    expect(body.type).toBe('FeatureCollection');
    expect(body.truncated, what).toBe(matches.length > limit);
    const want = matches.slice(0, limit);
    expect(body.features.map((f) => f.properties.code), what).toEqual(want.map((p) => p.code));
    expect(new Set(body.features.map((f) => f.id)).size).toBe(body.features.length);
    body.features.forEach((f, i) => {
      const p = want[i]!;
      expect(f.type).toBe('Feature');
      expect(f.id).toBe(p.id);
      expect(f.geometry.type).toBe('Polygon');
      // Every property with its JSON type (the text is written key by key in SQL: numbers stay numbers, null stays null).
      expect(f.properties, what).toEqual({
        id: p.id, code: p.code, status: p.status, parkId: p.parkId, districtCode: p.districtCode, areaM2: p.areaM2, landUse: p.landUse,
        landUseCode: p.landUseCode, parcelCode: p.parcelCode, landLevel: p.landLevel, sample: p.sample,
      });
      expect(Object.keys(f.properties).sort()).toEqual(['areaM2', 'code', 'districtCode', 'id', 'landLevel', 'landUse', 'landUseCode', 'parcelCode', 'parkId', 'sample', 'status']);
    });
  }

  async function paths(): Promise<SpatialPath[]> {
    return (await spatialPath(app().dbRead)) === 'postgis' ? ['postgis', 'jsonb'] : ['jsonb'];
  }

  it.each(filters)('answers %s with min(limit, matches) plots in code order, truncated right, for limits 1 to the default', async (_what, query, keep) => {
    const matches = truth.filter(keep);
    const q = query.replace('PARK0', String(parks[0]!.id)).replace('PARK1', String(parks[1]!.id));
    for (const path of await paths()) {
      forceSpatialPath(app().dbRead, path);
      try {
        for (const limit of LIMITS) {
          const res = await list(`bbox=${BBOX}${q ? `&${q}` : ''}${limit ? `&limit=${limit}` : ''}`);
          const what = `${path} ${query} limit=${limit ?? 'default'}`;
          expectAnswer(res.json() as FC, matches, limit ?? 5000, what);
          // One page: one string with its length; more: streamed in chunks, no length known up front.
          const paged = (limit ?? 5000) > 500 && matches.length > 500;
          expect(res.headers['content-length'] === undefined, what).toBe(paged);
        }
      } finally {
        forceSpatialPath(app().dbRead, null);
      }
    }
  });

  it('answers an empty box with an empty collection', async () => {
    for (const path of await paths()) {
      forceSpatialPath(app().dbRead, path);
      try {
        expect((await list('bbox=113.9,22.4,114.0,22.5')).json()).toEqual({ type: 'FeatureCollection', truncated: false, features: [] });
        expect((await list(`bbox=${BBOX}&status=allocated`)).json()).toEqual({ type: 'FeatureCollection', truncated: false, features: [] });
      } finally {
        forceSpatialPath(app().dbRead, null);
      }
    }
  });

  it('compresses a one-page and a paged answer for a client that accepts gzip', async () => {
    for (const limit of [100, 5000]) {
      const plain = (await list(`bbox=${BBOX}&limit=${limit}`)).json() as FC;
      const res = await list(`bbox=${BBOX}&limit=${limit}`, { 'accept-encoding': 'gzip' });
      expect(res.headers['content-encoding']).toBe('gzip');
      const body = JSON.parse(gunzipSync(res.rawPayload).toString('utf8')) as FC;
      expect(body).toEqual(plain);
      expectAnswer(body, truth, limit, `gzip limit=${limit}`);
    }
  });

  it("keeps each plot's stored Feature in step with its row: edits, any code's characters, its park's district", async () => {
    // The list's Feature text is a generated column (migration 031) and the district comes from
    // the park at read time: what the list shows after writes must be the tables' values.
    const [first, second, third] = truth;
    const code = 'Q"\\ \n\t\u0001 地块 🚧 </script>';
    await sql`UPDATE plots SET code = ${code}, status = 'withdrawn', area_m2 = 1234.5, land_use = 'M2', land_use_code = NULL WHERE id = ${first!.id}`.execute(app().db);
    await sql`UPDATE plots SET geometry = jsonb_set(geometry, '{coordinates,0,0,0}', to_jsonb((geometry #>> '{coordinates,0,0,0}')::float8 + ${D / 10}::float8)),
                               parcel_code = NULL, land_level = 1, sample = false WHERE id = ${second!.id}`.execute(app().db);
    const other = await sql<{ code: string }>`SELECT code FROM districts WHERE code <> ${parks[1]!.district} ORDER BY code LIMIT 1`.execute(app().db);
    await sql`UPDATE parks SET district_code = ${other.rows[0]!.code} WHERE id = ${parks[1]!.id}`.execute(app().db);
    try {
      const now = await readTruth();
      expect(now.find((p) => p.id === first!.id)).toMatchObject({ code, status: 'withdrawn', areaM2: 1234.5, landUse: 'M2' });
      expect(now.find((p) => p.id === third!.id)!.districtCode).toBe(third!.parkId === parks[1]!.id ? other.rows[0]!.code : third!.districtCode);
      const geometry = await sql<{ geometry: unknown }>`SELECT geometry FROM plots WHERE id = ${second!.id}`.execute(app().db);
      for (const path of await paths()) {
        forceSpatialPath(app().dbRead, path);
        try {
          const body = (await list(`bbox=${BBOX}`)).json() as FC;
          expectAnswer(body, now, 5000, `${path} after edits`);
          expect(body.features.find((f) => f.id === second!.id)!.geometry).toEqual(geometry.rows[0]!.geometry);
          expect(body.features.find((f) => f.id === first!.id)!.properties.code).toBe(code);
        } finally {
          forceSpatialPath(app().dbRead, null);
        }
      }
      // The string escape the column uses is to_json's, for any text.
      const texts = [code, '', '"', '\\', '\u007f\u2028\u2029', 'é中'];
      for (const t of texts) {
        const r = await sql<{ a: string; b: string }>`SELECT json_string(${t}) AS a, to_json(${t}::text)::text AS b`.execute(app().db);
        expect(JSON.parse(r.rows[0]!.a), t).toBe(t);
        expect(r.rows[0]!.a).toBe(r.rows[0]!.b);
      }
    } finally {
      await sql`UPDATE parks SET district_code = ${parks[1]!.district} WHERE id = ${parks[1]!.id}`.execute(app().db);
      await sql`UPDATE plots SET code = ${first!.code}, status = ${first!.status}, area_m2 = ${first!.areaM2}, land_use = ${first!.landUse}, land_use_code = ${first!.landUseCode} WHERE id = ${first!.id}`.execute(app().db);
    }
    truth = await readTruth();
  });

  it('cuts the answer and logs the error when a page fails after the first, and keeps serving', async () => {
    // The same route body on a small server (Fastify + compression, as the app), reading through a
    // database whose second page statement fails.
    const logs: string[] = [];
    let pages = 0;
    const failSecondPage: KyselyPlugin = {
      transformQuery: (args) => args.node,
      transformResult: async ({ result }) => {
        const row = result.rows[0] as Record<string, unknown> | undefined;
        if (row && 'features' in row && ++pages === 2) throw new Error('second page failed (test)');
        return result;
      },
    };
    const db = app().dbRead.withPlugin(failSecondPage);
    const server = Fastify({ logger: { level: 'error', stream: { write: (line: string) => void logs.push(line) } } });
    await server.register(compress, { threshold: 1024 });
    server.get('/plots', async (_req, reply) => {
      const [w, s, e, n] = BBOX.split(',').map(Number) as [number, number, number, number];
      return reply.type('application/json; charset=utf-8').send(await plotCollectionBody(db, { bbox: [w, s, e, n], limit: 5000 }));
    });
    try {
      for (const encoding of ['identity', 'gzip']) {
        pages = 0;
        let cut = false;
        try {
          const res = await server.inject({ method: 'GET', url: '/plots', headers: { 'accept-encoding': encoding } });
          const text = encoding === 'gzip' ? gunzipSync(res.rawPayload).toString('utf8') : res.body;
          JSON.parse(text);
        } catch {
          cut = true; // the connection was destroyed: a cut answer, never a complete wrong one
        }
        expect(cut, encoding).toBe(true);
        expect(pages).toBe(2);
      }
      expect(logs.join('\n')).toMatch(/second page failed \(test\)/);
      pages = -100; // no failure now: the same server still answers
      const ok = await server.inject({ method: 'GET', url: '/plots' });
      expectAnswer(ok.json() as FC, truth, 5000, 'after the failures');
    } finally {
      await server.close();
    }
  });
});
