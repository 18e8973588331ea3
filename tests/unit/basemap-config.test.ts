/** BASEMAP… at start-up (server/kernel/basemap-config.ts): what is accepted, and what stops the server. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/kernel/config.ts';
import { basemapOrigins } from '../../server/kernel/basemap-config.ts';

const base = { DATA_DIR: 'memory://' };
const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig({ ...base, ...env });
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
};

describe('BASEMAP configuration', () => {
  it('defaults to none: no base, no outside origin', () => {
    const c = loadConfig(base);
    expect(c.basemap).toEqual({ mode: 'none' });
    expect(basemapOrigins(c.basemap)).toEqual([]);
  });

  it('refuses an unknown mode, naming the variable', () => {
    expect(problemsOf({ BASEMAP: 'amap' })).toEqual([expect.stringContaining('BASEMAP must be one of none, tianditu, custom')]);
  });

  it('tianditu needs TIANDITU_KEY, and then allows t0…t7.tianditu.gov.cn only', () => {
    expect(problemsOf({ BASEMAP: 'tianditu' })).toEqual([expect.stringMatching(/TIANDITU_KEY/)]);
    const c = loadConfig({ ...base, BASEMAP: 'tianditu', TIANDITU_KEY: 'abc123def456' });
    expect(c.basemap).toMatchObject({ mode: 'tianditu', tiandituKey: 'abc123def456' });
    expect(basemapOrigins(c.basemap)).toEqual(Array.from({ length: 8 }, (_, i) => `https://t${i}.tianditu.gov.cn`));
  });

  it('custom needs a style URL or tiles, and BASEMAP_CRS', () => {
    expect(problemsOf({ BASEMAP: 'custom', BASEMAP_CRS: 'CGCS2000' })).toEqual([expect.stringMatching(/BASEMAP_STYLE_URL .*BASEMAP_TILES/)]);
    expect(problemsOf({ BASEMAP: 'custom', BASEMAP_TILES: 'https://gis.gz.gov.cn/base/{z}/{x}/{y}.png' })).toEqual([expect.stringMatching(/needs BASEMAP_CRS/)]);
    expect(problemsOf({ BASEMAP: 'custom', BASEMAP_TILES: 'https://gis.gz.gov.cn/base.png', BASEMAP_CRS: 'WGS84' })).toEqual([expect.stringMatching(/no tile placeholders/)]);
    expect(problemsOf({ BASEMAP: 'custom', BASEMAP_TILES: 'ftp://x/{z}/{x}/{y}', BASEMAP_CRS: 'WGS84' })).toEqual([expect.stringMatching(/http\(s\)/)]);
    expect(problemsOf({ BASEMAP: 'custom', BASEMAP_TILES: 'https://a/{z}/{x}/{y}', BASEMAP_STYLE_URL: 'https://a/style.json', BASEMAP_CRS: 'WGS84' })).toEqual([expect.stringMatching(/either/)]);
    expect(problemsOf({ BASEMAP: 'custom', BASEMAP_TILES: 'https://a/{z}/{x}/{y}', BASEMAP_CRS: 'EPSG:3857' })).toEqual([expect.stringMatching(/BASEMAP_CRS must be CGCS2000 or WGS84/)]);
  });

  it('accepts CGCS2000 and WGS84 in any spelling, XYZ and WMTS templates, and allows exactly their hosts', () => {
    const c = loadConfig({
      ...base,
      BASEMAP: 'custom',
      BASEMAP_TILES: 'https://gis.gz.gov.cn/base/{z}/{x}/{y}.png, https://wmts.gz.gov.cn:8443/wmts/vec/default/w/{TileMatrix}/{TileRow}/{TileCol}.png,https://gis.gz.gov.cn/other/{z}/{x}/{y}.png',
      BASEMAP_CRS: 'cgcs-2000',
    });
    expect(c.basemap).toMatchObject({ mode: 'custom', crs: 'CGCS2000' });
    expect(c.basemap.tiles).toHaveLength(3);
    expect(basemapOrigins(c.basemap)).toEqual(['https://gis.gz.gov.cn', 'https://wmts.gz.gov.cn:8443']);
    expect(loadConfig({ ...base, BASEMAP: 'custom', BASEMAP_STYLE_URL: 'http://10.1.2.3:8080/styles/base.json', BASEMAP_CRS: 'wgs 84' }).basemap).toMatchObject({ crs: 'WGS84', styleUrl: 'http://10.1.2.3:8080/styles/base.json' });
  });

  it.each(['GCJ-02', 'GCJ02', 'gcj-02', 'gcj_02', 'BD-09', 'BD09', 'bd09ll'])('refuses BASEMAP_CRS=%s at start-up, saying why', (crs) => {
    const problems = problemsOf({ BASEMAP: 'custom', BASEMAP_TILES: 'https://webrd01.is.autonavi.com/appmaptile?x={x}&y={y}&z={z}', BASEMAP_CRS: crs });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`BASEMAP_CRS=${crs}`);
    expect(problems[0]).toMatch(/refused/);
    expect(problems[0]).toMatch(/CGCS2000\/WGS84/);
    expect(problems[0]).toMatch(/tens to hundreds of metres/);
  });
});
