/**
 * Hubs (GET /api/hubs, PATCH /api/hubs/:id) on both databases: every database has the 14
 * shipped points, indicative and with their source; only an administrator (reference.manage)
 * corrects a location, audited in the same transaction; bad input is a 400 naming the field;
 * the ranking measures from the corrected point.
 */
import { beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeOnDatabases } from './context.ts';
import { call, login, type Session } from './login.ts';
import { HUB_SOURCE, SHIPPED_HUBS } from '../../server/db/migrations/019_hubs.ts';

describeOnDatabases('hubs', (get) => {
  const app = (): FastifyInstance => get().app;
  let admin: Session;
  let land: Session;
  let investor: Session;

  beforeAll(async () => {
    admin = await login(app(), 'admin');
    land = await login(app(), 'land');
    investor = await login(app(), 'investor');
  });

  it('answers the shipped points to anyone, as a FeatureCollection of indicative points with their source', async () => {
    const r = await call(app(), null, 'GET', '/api/hubs');
    expect(r.status).toBe(200);
    expect(r.body.type).toBe('FeatureCollection');
    expect(r.body.features).toHaveLength(SHIPPED_HUBS.length);
    r.body.features.forEach((f: { id: number; geometry: { coordinates: number[] }; properties: Record<string, unknown> }, i: number) => {
      const [kind, nameZh, nameEn, lon, lat, note] = SHIPPED_HUBS[i]!;
      expect(f).toMatchObject({ type: 'Feature', id: i + 1, geometry: { type: 'Point', coordinates: [lon, lat] } });
      expect(f.properties).toEqual({ id: i + 1, kind, nameZh, nameEn, source: HUB_SOURCE, indicative: true, note });
    });
  });

  it('lets only an administrator correct a location', async () => {
    const body = { lon: 113.3, lat: 23.39 };
    expect((await call(app(), null, 'PATCH', '/api/hubs/1', body)).status).toBe(401);
    expect((await call(app(), investor, 'PATCH', '/api/hubs/1', body)).status).toBe(403);
    expect((await call(app(), land, 'PATCH', '/api/hubs/1', body)).status).toBe(403);
    const still = await call(app(), null, 'GET', '/api/hubs');
    expect(still.body.features[0].geometry.coordinates).toEqual([113.299, 23.392]);
  });

  it('refuses bad corrections with a 400 naming the field, and an unknown hub with a 404', async () => {
    for (const [payload, field] of [
      [{ lon: 120, lat: 23.39 }, 'lon'],
      [{ lon: 113.3, lat: 30 }, 'lat'],
      [{ lon: 113.3 }, 'lat'],
      [{ lon: 113.3, lat: 23.39, source: '' }, 'source'],
      [{ lon: 113.3, lat: 23.39, kind: 'port' }, 'kind'],
    ] as const) {
      const r = await call(app(), admin, 'PATCH', '/api/hubs/2', payload);
      expect(r.status, JSON.stringify(payload)).toBe(400);
      expect(r.body.field, JSON.stringify(r.body)).toBe(field);
    }
    expect((await call(app(), admin, 'PATCH', '/api/hubs/9999', { lon: 113.3, lat: 23.39 })).status).toBe(404);
    const events = await app().db.selectFrom('audit_events').select('id').where('action', '=', 'hub.update').execute();
    expect(events).toHaveLength(0);
  });

  it('records a correction with its audit event, and the ranking measures from the corrected point', async () => {
    const req = { sector: 'biomed', areaMuMin: 0, areaMuMax: 500, near: [{ kind: 'airport', maxKm: 200 }], limit: 200 };
    const before = await call(app(), null, 'POST', '/api/siting/rank', req);
    const km = before.body.items[0].nearestHubs.find((h: { kind: string }) => h.kind === 'airport').km;
    const [lon, lat] = before.body.items[0].centroid;
    const r = await call(app(), admin, 'PATCH', '/api/hubs/1', { lon, lat, note: 'moved for a test', source: 'bureau survey 2026' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.properties).toMatchObject({ note: 'moved for a test', source: 'bureau survey 2026', indicative: true });
    const events = await app().db.selectFrom('audit_events').select(['entity', 'entity_id', 'before', 'after']).where('action', '=', 'hub.update').execute();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ entity: 'hub', entity_id: '1' });
    const after = await call(app(), null, 'POST', '/api/siting/rank', req);
    const plotAfter = after.body.items.find((i: { plotId: number }) => i.plotId === before.body.items[0].plotId);
    expect(plotAfter).toBeDefined();
    expect(plotAfter.nearestHubs.find((h: { kind: string }) => h.kind === 'airport').km).toBe(0);
    expect(km).toBeGreaterThan(0);
    expect(after.body.dataVersion).not.toBe(before.body.dataVersion);
  });
});
