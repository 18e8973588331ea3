/**
 * The map's search box (GET /api/map/search): plots by code and 坐落 text, 宗地代码 once plots
 * have it, parks by name; what the public may see (live plots, IAB parks, no internal field),
 * and the bureau's extra (retired plots by their old codes).
 */
import { expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeOnDatabases } from './context.ts';
import { call, login } from './login.ts';

const PLOT_KEYS = ['bbox', 'center', 'code', 'id', 'kind', 'location', 'matched', 'parcelCode', 'parkId', 'parkNameEn', 'parkNameZh', 'sample', 'status'];
const PARK_KEYS = ['bbox', 'center', 'code', 'districtNameEn', 'districtNameZh', 'id', 'kind', 'nameEn', 'nameZh', 'sample'];

describeOnDatabases('map search', (get) => {
  const search = async (q: string, session: Awaited<ReturnType<typeof login>> | null = null, limit?: number) => {
    const r = await call(get().app, session, 'GET', `/api/map/search?q=${encodeURIComponent(q)}${limit ? `&limit=${limit}` : ''}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body as { parks: Record<string, unknown>[]; plots: Record<string, unknown>[] };
  };
  const somePlot = async () => {
    const r = await get().app.inject({ method: 'GET', url: '/api/plots?limit=5000' });
    const fc = r.json() as GeoJSON.FeatureCollection<GeoJSON.Polygon, { id: number; code: string }>;
    return fc.features[7]!;
  };

  it('finds a plot by its exact code first, with a box that holds its outline, and no internal field', async () => {
    const plot = await somePlot();
    const body = await search(plot.properties.code.toLowerCase());
    const hit = body.plots[0]!;
    expect(hit.id).toBe(plot.properties.id);
    expect(hit.matched).toBe('code');
    expect(Object.keys(hit).sort()).toEqual(PLOT_KEYS);
    const [w, s, e, n] = hit.bbox as number[];
    for (const [x, y] of plot.geometry.coordinates[0]!) {
      expect(x).toBeGreaterThanOrEqual(w! - 1e-6);
      expect(x).toBeLessThanOrEqual(e! + 1e-6);
      expect(y).toBeGreaterThanOrEqual(s! - 1e-6);
      expect(y).toBeLessThanOrEqual(n! + 1e-6);
    }
    expect(hit.center).toEqual([expect.closeTo((w! + e!) / 2, 5), expect.closeTo((s! + n!) / 2, 5)]);
    expect(JSON.stringify(body)).not.toMatch(/cost|floor|price|底价|yuan/i);
  });

  it('finds plots by 坐落 text', async () => {
    const detail = (await call(get().app, null, 'GET', `/api/plots/${(await somePlot()).properties.id}`)).body;
    const location = String(detail.properties.location);
    const part = [...location].slice(0, Math.min(6, location.length)).join('');
    const body = await search(part, null, 50);
    expect(body.plots.length).toBeGreaterThan(0);
    for (const p of body.plots) expect(String(p.location).includes(part) || String(p.code).includes(part)).toBe(true);
    expect(body.plots.some((p) => p.matched === 'location')).toBe(true);
  });

  it('finds an IAB park by its name, never a generated zone', async () => {
    const body = await search('生物岛');
    expect(body.parks.map((p) => p.nameZh)).toContain('广州国际生物岛价值创新园');
    expect(Object.keys(body.parks[0]!).sort()).toEqual(PARK_KEYS);
    const zone = await get().app.db.selectFrom('parks').select(['name_zh', 'code']).where('tier', '=', 'zone').executeTakeFirst();
    if (zone) expect((await search(zone.code)).parks).toEqual([]);
    // And whatever was asked, no zone comes back.
    const all = await search('园', null, 50);
    const zoneIds = new Set((await get().app.db.selectFrom('parks').select('id').where('tier', '=', 'zone').execute()).map((r) => r.id));
    for (const p of all.parks) expect(zoneIds.has(p.id as number)).toBe(false);
  });

  it('finds a plot by its 宗地代码', async () => {
    const plot = await somePlot();
    const code = '440112999999GB99977';
    // A made-up 宗地代码 (地籍区/子区 999: no sample plot has it).
    await sql`UPDATE plots SET parcel_code = ${code} WHERE id = ${plot.properties.id}`.execute(get().app.db);
    for (const q of [code, code.slice(0, 14).toLowerCase()]) {
      const body = await search(q, null, 50);
      const hit = body.plots.find((p) => p.id === plot.properties.id);
      expect(hit, q).toMatchObject({ parcelCode: code, matched: 'parcelCode' });
    }
    expect((await search(code)).plots[0]!.id).toBe(plot.properties.id);
  });

  it('takes % and _ literally, refuses an empty or over-long query with 400', async () => {
    expect(await search('%')).toEqual({ parks: [], plots: [] });
    expect(await search('_')).toEqual({ parks: [], plots: [] });
    expect((await call(get().app, null, 'GET', '/api/map/search?q=')).status).toBe(400);
    expect((await call(get().app, null, 'GET', `/api/map/search?q=${'x'.repeat(101)}`)).status).toBe(400);
    expect((await call(get().app, null, 'GET', '/api/map/search?q=P&limit=51')).status).toBe(400);
  });

  it('shows a retired plot to the bureau only (the public sees the live parcels of the public map)', async () => {
    const plot = await somePlot();
    const before = await get().app.db.selectFrom('plots').select('status').where('id', '=', plot.properties.id).executeTakeFirstOrThrow();
    await sql`UPDATE plots SET status = 'retired' WHERE id = ${plot.properties.id}`.execute(get().app.db);
    try {
      const pub = await search(plot.properties.code);
      expect(pub.plots.map((p) => p.id)).not.toContain(plot.properties.id);
      const investor = await search(plot.properties.code, await login(get().app, 'investor'));
      expect(investor.plots.map((p) => p.id)).not.toContain(plot.properties.id);
      const land = await search(plot.properties.code, await login(get().app, 'land'));
      expect(land.plots.find((p) => p.id === plot.properties.id)?.status).toBe('retired');
    } finally {
      await sql`UPDATE plots SET status = ${before.status} WHERE id = ${plot.properties.id}`.execute(get().app.db);
    }
  });
});
