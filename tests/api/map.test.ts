/**
 * The public map API (API.md, Read) on PGlite and PostgreSQL: what a map client and an
 * integrator rely on, and the 400s that bad query parameters must get.
 */
import { expect, it } from 'vitest';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { area, booleanIntersects, bboxPolygon, buffer, centroid } from '@turf/turf';
import { DISTRICT_CODES } from '../../shared/domain.ts';
import { describeOnDatabases } from './context.ts';
import { lonLatToTile } from './tile-helpers.ts';

type FC = GeoJSON.FeatureCollection<GeoJSON.Polygon, Record<string, unknown>> & { truncated?: boolean };

describeOnDatabases('map API', (get) => {
  const getJson = async <T = unknown>(url: string) => {
    const res = await get().app.inject({ method: 'GET', url });
    return { status: res.statusCode, body: res.json() as T, headers: res.headers };
  };

  it('reports health with the database kind it really uses', async () => {
    const { status, body } = await getJson('/api/health');
    expect(status).toBe(200);
    expect(body).toEqual({ status: 'ok', database: get().kind });
  });

  it('serves the eleven districts with codes and both names', async () => {
    const { body } = await getJson<FC>('/api/districts');
    expect(body.type).toBe('FeatureCollection');
    expect(body.features.map((f) => f.properties.code).sort()).toEqual([...DISTRICT_CODES].sort());
    for (const f of body.features) {
      expect(f.properties.nameZh).toMatch(/区$/);
      expect(String(f.properties.nameEn).length).toBeGreaterThan(2);
    }
  });

  it('serves the twelve parks: ten core, two equal-policy, all marked indicative and sample', async () => {
    const { body } = await getJson<FC>('/api/parks');
    expect(body.features).toHaveLength(12);
    const tiers = body.features.map((f) => f.properties.tier);
    expect(tiers.filter((t) => t === 'core')).toHaveLength(10);
    expect(tiers.filter((t) => t === 'equal_policy')).toHaveLength(2);
    for (const f of body.features) {
      expect(f.properties.boundarySource).toBe('indicative');
      expect(f.properties.sample).toBe(true);
      expect(f.properties.sectors).toEqual(expect.arrayContaining([expect.stringMatching(/^(ngit|ai|biomed)$/)]));
      expect(f.properties.plotCount).toBeGreaterThanOrEqual(20);
      expect(f.properties.plotCount).toBeLessThanOrEqual(60);
    }
    const bio = body.features.find((f) => f.properties.nameZh === '广州国际生物岛价值创新园');
    expect(bio?.properties.districtCode).toBe('440112');
  });

  it('gives one park with figures that agree with its plots', async () => {
    const parks = await getJson<FC>('/api/parks');
    const park = parks.body.features[5]!;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- loose test read of a nested body
    const { status, body } = await getJson<GeoJSON.Feature & { properties: Record<string, any> }>(`/api/parks/${park.properties.id}`);
    expect(status).toBe(200);
    const fig = body.properties.figures;
    const plots = await getJson<FC>(`/api/plots?parkId=${park.properties.id}`);
    expect(plots.body.truncated).toBe(false);
    expect(plots.body.features).toHaveLength(fig.plotCount);
    const sum = (st?: string) =>
      Math.round(plots.body.features.filter((f) => !st || f.properties.status === st).reduce((s, f) => s + Number(f.properties.areaM2) * 100, 0)) / 100;
    expect(fig.totalAreaM2).toBeCloseTo(sum(), 2);
    expect(fig.availableAreaM2).toBeCloseTo(sum('available'), 2);
    expect(fig.allocatedAreaM2).toBeCloseTo(sum('allocated'), 2);
    expect(fig.byStatus.available + fig.byStatus.held + fig.byStatus.allocated + fig.byStatus.withdrawn).toBe(fig.plotCount);
    expect(fig.subsidyCapYuan).toBe(100_000_000);
  });

  it('answers 404 for a park that does not exist and 400 for a non-numeric id', async () => {
    const missing = await getJson<{ code: string; message: string }>('/api/parks/999999');
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('NOT_FOUND');
    const letters = await getJson<{ code: string; message: string; statusCode: number; error: string }>('/api/parks/abc');
    expect(letters.status).toBe(400);
    expect(letters.body).toMatchObject({ statusCode: 400, error: 'Bad Request', code: 'VALIDATION_FAILED' });
    expect(letters.body.message).toMatch(/id/);
  });

  it('filters plots by bbox: every plot returned meets the box, and a box away from the parks is empty', async () => {
    const parks = await getJson<FC>('/api/parks');
    const c = centroid(parks.body.features[0]!).geometry.coordinates as [number, number];
    const box: [number, number, number, number] = [c[0] - 0.005, c[1] - 0.005, c[0] + 0.005, c[1] + 0.005];
    const { status, body } = await getJson<FC>(`/api/plots?bbox=${box.join(',')}`);
    expect(status).toBe(200);
    expect(body.features.length).toBeGreaterThan(0);
    const poly = bboxPolygon(box);
    for (const f of body.features) expect(booleanIntersects(f, poly)).toBe(true);
    const sea = await getJson<FC>('/api/plots?bbox=113.9,22.4,114.0,22.5');
    expect(sea.body.features).toHaveLength(0);
  });

  it('filters plots by status, land use and sector, and says when a limit truncates', async () => {
    const allocated = await getJson<FC>('/api/plots?status=allocated');
    expect(allocated.body.features.length).toBeGreaterThan(0);
    expect(new Set(allocated.body.features.map((f) => f.properties.status))).toEqual(new Set(['allocated']));
    const two = await getJson<FC>('/api/plots?status=available,held&landUse=M0');
    for (const f of two.body.features) {
      expect(['available', 'held']).toContain(f.properties.status);
      expect(f.properties.landUse).toBe('M0');
    }
    const parks = await getJson<FC>('/api/parks');
    const biomedParks = new Set(parks.body.features.filter((f) => (f.properties.sectors as string[]).includes('biomed')).map((f) => f.properties.id));
    const biomed = await getJson<FC>('/api/plots?sector=biomed');
    expect(biomed.body.features.length).toBeGreaterThan(0);
    for (const f of biomed.body.features) expect(biomedParks.has(f.properties.parkId)).toBe(true);
    const limited = await getJson<FC>('/api/plots?limit=5');
    expect(limited.body.features).toHaveLength(5);
    expect(limited.body.truncated).toBe(true);
  });

  it.each([
    ['a bbox with 3 numbers', 'bbox=113,23,114', /four numbers/],
    ['a bbox with letters', 'bbox=a,b,c,d', /must be a number/],
    ['west > east', 'bbox=114,23,113,24', /west .* greater than east/],
    ['south > north', 'bbox=113,24,114,23', /south .* greater than north/],
    ['an unknown status', 'status=sold', /status "sold"/],
    ['an unknown sector', 'sector=steel', /sector/],
    ['a limit of letters', 'limit=many', /limit/],
    ['a limit above the maximum', 'limit=1000000', /limit/],
    ['a malformed district code', 'districtCode=4401', /districtCode/],
  ])('refuses %s with 400 and a message saying what to fix', async (_what, query, message) => {
    const { status, body } = await getJson<{ code: string; message: string }>(`/api/plots?${query}`);
    expect(status).toBe(400);
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.message).toMatch(message);
  });

  it('gives one plot without its internal cost figures, by id and by code', async () => {
    const list = await getJson<FC>('/api/plots?limit=1');
    const id = list.body.features[0]!.properties.id;
    const { status, body } = await getJson<GeoJSON.Feature & { properties: Record<string, unknown> }>(`/api/plots/${id}`);
    expect(status).toBe(200);
    expect(body.properties).toMatchObject({ id, sample: true });
    expect(body.properties.parkNameZh).toMatch(/价值创新园$/);
    expect(Object.keys(body.properties)).not.toContain('costYuan');
    expect(JSON.stringify(body)).not.toMatch(/cost/i);
    expect(Math.abs(area(body) - Number(body.properties.areaM2)) / Number(body.properties.areaM2)).toBeLessThan(0.01);
    const byCode = await getJson<GeoJSON.Feature & { properties: Record<string, unknown> }>(`/api/plots/by-code/${body.properties.code}`);
    expect(byCode.body.properties.id).toBe(id);
    expect((await getJson('/api/plots/99999999')).status).toBe(404);
  });

  it('serves plot vector tiles from zoom 11, empty below, with ETags that revalidate', async () => {
    const parks = await getJson<FC>('/api/parks');
    const c = centroid(parks.body.features[2]!).geometry.coordinates as [number, number];
    const low = lonLatToTile(c[0], c[1], 9);
    const lowRes = await get().app.inject({ method: 'GET', url: `/api/tiles/plots/9/${low.x}/${low.y}.pbf` });
    expect(lowRes.statusCode).toBe(200);
    expect(lowRes.rawPayload.length).toBe(0);

    const t = lonLatToTile(c[0], c[1], 13);
    const res = await get().app.inject({ method: 'GET', url: `/api/tiles/plots/13/${t.x}/${t.y}.pbf` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/protobuf/);
    const tile = new VectorTile(new PbfReader(res.rawPayload));
    const layer = tile.layers.plots!;
    expect(layer.length).toBeGreaterThan(0);
    const props = layer.feature(0).properties;
    expect(Object.keys(props).sort()).toEqual(['areaM2', 'code', 'landUse', 'parkId', 'sample', 'status']);
    // The plot id is the feature's id (MVT's own field: feature state, picking), not a property.
    expect(Number(layer.feature(0).id)).toBeGreaterThan(0);

    const etag = res.headers.etag as string;
    const again = await get().app.inject({ method: 'GET', url: `/api/tiles/plots/13/${t.x}/${t.y}.pbf`, headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);

    const bad = await getJson<{ message: string }>(`/api/tiles/plots/3/9/0.pbf`);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/does not exist/);
  });

  it('puts one label point per plot, inside it, in tiles from zoom 15 (codes are not repeated per tile piece)', async () => {
    const parks = await getJson<FC>('/api/parks');
    const parkId = parks.body.features[1]!.properties.id;
    const plots = (await getJson<FC>(`/api/plots?parkId=${parkId}`)).body.features;
    const plot = plots[0]!;
    const c = centroid(plot).geometry.coordinates as [number, number];
    const at = async (z: number) => {
      const t = lonLatToTile(c[0], c[1], z);
      const res = await get().app.inject({ method: 'GET', url: `/api/tiles/plots/${z}/${t.x}/${t.y}.pbf` });
      return { t, tile: new VectorTile(new PbfReader(res.rawPayload)) };
    };
    expect((await at(14)).tile.layers.plot_labels).toBeUndefined();
    const { t, tile } = await at(16);
    // Where labels are drawn the code is on the label only, not repeated on the polygon.
    expect(Object.keys(tile.layers.plots!.feature(0).properties).sort()).toEqual(['areaM2', 'landUse', 'parkId', 'sample', 'status']);
    const labels = tile.layers.plot_labels!;
    expect(labels.length).toBeGreaterThan(0);
    const seen = new Map<number, GeoJSON.Feature>();
    for (let i = 0; i < labels.length; i++) {
      const f = labels.feature(i).toGeoJSON(t.x, t.y, 16) as GeoJSON.Feature;
      expect(Object.keys(f.properties!)).toEqual(['code']);
      const id = Number(f.id);
      expect(seen.has(id), `plot ${id} labelled twice`).toBe(false);
      seen.set(id, f);
    }
    const labelled = plots.filter((p) => seen.has(Number(p.properties!.id)));
    expect(labelled.length).toBeGreaterThan(0);
    for (const p of labelled) {
      const pt = seen.get(Number(p.properties!.id))!;
      expect(pt.properties!.code).toBe(p.properties!.code);
      // Inside its plot, to the precision of the tile grid (a few centimetres at z16).
      expect(booleanIntersects(pt, buffer(p, 0.5, { units: 'meters' })!)).toBe(true);
    }
  });

  it('changes a tile ETag when a plot in it changes', async () => {
    const parks = await getJson<FC>('/api/parks');
    const parkId = parks.body.features[3]!.properties.id;
    const plots = await getJson<FC>(`/api/plots?parkId=${parkId}&limit=1`);
    const plot = plots.body.features[0]!;
    const c = centroid(plot).geometry.coordinates as [number, number];
    const t = lonLatToTile(c[0], c[1], 14);
    const url = `/api/tiles/plots/14/${t.x}/${t.y}.pbf`;
    const before = (await get().app.inject({ method: 'GET', url })).headers.etag;
    await get().app.db.updateTable('plots').set({ location: 'changed by test' }).where('id', '=', plot.properties.id as number).execute();
    const after = (await get().app.inject({ method: 'GET', url })).headers.etag;
    expect(after).not.toBe(before);
  });

  it('documents every route in OpenAPI, with a response schema', async () => {
    const { status, body } = await getJson<{ openapi: string; paths: Record<string, Record<string, { responses: Record<string, unknown> }>> }>('/api/docs/json');
    expect(status).toBe(200);
    expect(body.openapi).toMatch(/^3\./);
    for (const p of ['/api/health', '/api/districts', '/api/parks', '/api/parks/{id}', '/api/plots', '/api/plots/{id}', '/api/tiles/plots/{z}/{x}/{y}.pbf']) {
      expect(body.paths[p], p).toBeDefined();
      for (const op of Object.values(body.paths[p]!)) expect(op.responses['200'] ?? op.responses['201'], p).toBeDefined();
    }
    const ui = await get().app.inject({ method: 'GET', url: '/api/docs' });
    expect([200, 302]).toContain(ui.statusCode);
  });

  it('answers unknown API paths with a JSON 404, and sets security headers and a request id', async () => {
    const res = await get().app.inject({ method: 'GET', url: '/api/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'NOT_FOUND' });
    const ok = await get().app.inject({ method: 'GET', url: '/api/health' });
    expect(ok.headers['content-security-policy']).toMatch(/worker-src 'self' blob:/);
    expect(ok.headers['x-content-type-options']).toBe('nosniff');
    expect(ok.headers['x-request-id']).toBeTruthy();
  });
});
