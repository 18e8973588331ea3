/** client/map/basemap.ts: the base goes between the app's background and its own layers; none changes nothing. */
import { describe, expect, it } from 'vitest';
import { initialBase, withBasemap } from '../../client/map/basemap.ts';
import { offlineStyle } from '../../client/map/layers.ts';
import { customTilesStyle, noneStyle, tiandituStyle } from '../../server/modules/map/style.ts';
import type { BasemapStyle } from '../../client/api/index.ts';

const app = offlineStyle('zh-CN', 'http://127.0.0.1/api/tiles/plots/{z}/{x}/{y}.pbf');

describe('withBasemap', () => {
  it('leaves the offline style as it is without a base (BASEMAP=none, or no answer)', () => {
    expect(withBasemap(app, null)).toBe(app);
    expect(withBasemap(app, noneStyle() as unknown as BasemapStyle)).toBe(app);
  });

  it('puts 天地图 above the background and below every app layer, sources side by side', () => {
    const merged = withBasemap(app, tiandituStyle('k123456789') as unknown as BasemapStyle);
    const ids = merged.layers.map((l) => l.id);
    expect(ids.slice(0, 5)).toEqual(['background', 'basemap-img', 'basemap-cia', 'basemap-vec', 'basemap-cva']);
    expect(ids.slice(5)).toEqual(app.layers.slice(1).map((l) => l.id));
    expect(Object.keys(merged.sources).sort()).toEqual([...Object.keys(app.sources), 'basemap-img', 'basemap-cia', 'basemap-vec', 'basemap-cva'].sort());
    expect(merged.glyphs).toBeUndefined();
  });

  it('starts on the server\'s default base', () => {
    const info = customTilesStyle({ mode: 'custom', crs: 'WGS84', tiles: ['https://a.example/{z}/{x}/{y}.png'] }).metadata['iab:basemap'];
    expect(initialBase(info)).toBe('custom');
    expect(initialBase(noneStyle().metadata['iab:basemap'])).toBeNull();
    expect(initialBase(null)).toBeNull();
  });
});
