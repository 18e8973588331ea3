/**
 * The shipped hubs: geodata/hubs.geojson and migration 019's rows are the same 14 points of
 * HUBS.md, each indicative with its source; every point lies in Guangzhou.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { HUB_SOURCE, SHIPPED_HUBS } from '../../server/db/migrations/019_hubs.ts';
import { HUB_KINDS } from '../../shared/contract/siting.ts';
import { GUANGZHOU_BBOX } from '../../shared/domain.ts';

interface HubGeoJson { type: string; features: { type: string; id: number; geometry: { type: string; coordinates: [number, number] }; properties: Record<string, unknown> }[] }

describe('shipped hubs', () => {
  const geo = JSON.parse(fs.readFileSync(new URL('../../geodata/hubs.geojson', import.meta.url), 'utf8')) as HubGeoJson;

  it('the GeoJSON and the migration hold the same 14 points', () => {
    expect(geo.type).toBe('FeatureCollection');
    expect(SHIPPED_HUBS).toHaveLength(14);
    expect(geo.features.map((f) => [f.properties.kind, f.properties.nameZh, f.properties.nameEn, ...f.geometry.coordinates, f.properties.note])).toEqual(SHIPPED_HUBS.map((h) => [...h]));
    expect(geo.features.map((f) => f.id)).toEqual(SHIPPED_HUBS.map((_, i) => i + 1));
  });

  it('every point is indicative, has its source and a known kind, and lies in Guangzhou', () => {
    const [w, s, e, n] = GUANGZHOU_BBOX;
    for (const f of geo.features) {
      expect(f.properties).toMatchObject({ indicative: true, source: HUB_SOURCE });
      expect(HUB_KINDS).toContain(f.properties.kind);
      const [lon, lat] = f.geometry.coordinates;
      expect(lon).toBeGreaterThan(w);
      expect(lon).toBeLessThan(e);
      expect(lat).toBeGreaterThan(s);
      expect(lat).toBeLessThan(n);
    }
    expect(new Set(geo.features.map((f) => f.properties.kind))).toEqual(new Set(['airport', 'port', 'rail', 'anchor']));
  });
});
