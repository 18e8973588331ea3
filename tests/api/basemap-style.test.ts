/**
 * The base map as configuration (issue #18.1): GET /api/map/style under each BASEMAP, the CSP
 * that allows exactly the configured tile hosts, and the GCJ-02 / BD-09 refusal at start-up.
 * The style URL is served by a local HTTP server: no test asks the outside network.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { startTestApp, type TestContext } from './context.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const NO_SEED = { SEED_DEMO: 'false' };

/** The CSP header's directives as name → sources. */
function csp(headers: Record<string, unknown>): Record<string, string[]> {
  const raw = String(headers['content-security-policy'] ?? '');
  return Object.fromEntries(raw.split(';').map((d) => d.trim().split(/\s+/)).filter((p) => p[0]).map(([name, ...v]) => [name!, v]));
}

async function withApp<T>(env: Record<string, string>, fn: (ctx: TestContext) => Promise<T>): Promise<T> {
  const { ctx, stop } = await startTestApp('pglite', { ...NO_SEED, ...env });
  try {
    return await fn(ctx);
  } finally {
    await stop();
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- loose reads of a style document
type Style = Record<string, any>;
const getStyle = async (ctx: TestContext) => {
  const res = await ctx.app.inject({ method: 'GET', url: '/api/map/style' });
  expect(res.statusCode).toBe(200);
  return { style: res.json() as Style, headers: res.headers };
};
const tileUrls = (style: Style): string[] => Object.values(style.sources as Record<string, { tiles?: string[]; url?: string }>).flatMap((s) => [...(s.tiles ?? []), ...(s.url ? [s.url] : [])]);

describe('GET /api/map/style and the CSP', () => {
  it('BASEMAP unset (none): a style with no source, and a CSP with no outside host', async () => {
    await withApp({}, async (ctx) => {
      const { style, headers } = await getStyle(ctx);
      expect(style.version).toBe(8);
      expect(style.sources).toEqual({});
      expect(style.layers).toEqual([]);
      expect(style.glyphs).toBeUndefined();
      expect(style.sprite).toBeUndefined();
      expect(style.metadata['iab:basemap']).toEqual({ mode: 'none', crs: null, bases: [], defaultBase: null, attribution: null, warning: null });
      const page = await ctx.app.inject({ method: 'GET', url: '/api/health' });
      const d = csp(page.headers);
      expect(d['img-src']).toEqual(["'self'", 'data:', 'blob:']);
      expect(d['connect-src']).toEqual(["'self'"]);
      expect(headers['content-security-policy']).toBe(page.headers['content-security-policy']);
    });
  }, 300_000);

  it('BASEMAP=tianditu: vector (vec_w + cva_w) and imagery (img_w + cia_w) from t0…t7 with the key, the attribution, and only those hosts in the CSP', async () => {
    await withApp({ BASEMAP: 'tianditu', TIANDITU_KEY: 'testkey0123456789' }, async (ctx) => {
      const { style, headers } = await getStyle(ctx);
      const info = style.metadata['iab:basemap'];
      expect(info.mode).toBe('tianditu');
      expect(info.crs).toBe('CGCS2000');
      expect(info.bases.map((b: { id: string }) => b.id)).toEqual(['vector', 'imagery']);
      expect(info.defaultBase).toBe('vector');
      expect(info.attribution).toMatch(/^© 天地图 \/ 国家地理信息公共服务平台 · 审图号/);
      const byId = Object.fromEntries(style.layers.map((l: Style) => [l.id, l]));
      const [vector, imagery] = info.bases;
      for (const id of vector.layers) expect(byId[id].layout.visibility).toBe('visible');
      for (const id of imagery.layers) expect(byId[id].layout.visibility).toBe('none');
      const urls = tileUrls(style);
      for (const layer of ['vec', 'cva', 'img', 'cia']) {
        const mine = urls.filter((u) => u.includes(`/${layer}_w/wmts?`));
        expect(mine, layer).toHaveLength(8);
        expect(new Set(mine.map((u) => new URL(u).host))).toEqual(new Set(Array.from({ length: 8 }, (_, i) => `t${i}.tianditu.gov.cn`)));
      }
      for (const u of urls) {
        expect(u).toMatch(/TILEMATRIXSET=w&/);
        expect(u).toMatch(/tk=testkey0123456789$/);
        expect(u).toMatch(/TILEMATRIX=\{z\}&TILEROW=\{y\}&TILECOL=\{x\}/);
      }
      for (const s of Object.values(style.sources) as Style[]) expect(s.attribution).toBe(info.attribution);
      const d = csp(headers);
      const hosts = Array.from({ length: 8 }, (_, i) => `https://t${i}.tianditu.gov.cn`);
      expect(d['img-src']).toEqual(["'self'", 'data:', 'blob:', ...hosts]);
      expect(d['connect-src']).toEqual(["'self'", ...hosts]);
    });
  }, 300_000);

  it('BASEMAP=custom with XYZ and WMTS templates: one raster base, WMTS placeholders as {z}/{x}/{y}, BASEMAP_ATTRIBUTION, only those hosts in the CSP', async () => {
    await withApp({
      BASEMAP: 'custom',
      BASEMAP_TILES: 'https://gis.gz.gov.cn/base/{z}/{x}/{y}.png,https://wmts.gz.gov.cn:8443/wmts/vec/w/{TileMatrix}/{TileRow}/{TileCol}.png',
      BASEMAP_CRS: 'CGCS2000',
      BASEMAP_ATTRIBUTION: '© 广州市规划和自然资源局',
    }, async (ctx) => {
      const { style, headers } = await getStyle(ctx);
      const info = style.metadata['iab:basemap'];
      expect(info).toMatchObject({ mode: 'custom', crs: 'CGCS2000', defaultBase: 'custom', attribution: '© 广州市规划和自然资源局', warning: null });
      expect(info.bases).toHaveLength(1);
      expect(tileUrls(style)).toEqual(['https://gis.gz.gov.cn/base/{z}/{x}/{y}.png', 'https://wmts.gz.gov.cn:8443/wmts/vec/w/{z}/{y}/{x}.png']);
      const d = csp(headers);
      expect(d['img-src']).toEqual(["'self'", 'data:', 'blob:', 'https://gis.gz.gov.cn', 'https://wmts.gz.gov.cn:8443']);
      expect(d['connect-src']).toEqual(["'self'", 'https://gis.gz.gov.cn', 'https://wmts.gz.gov.cn:8443']);
    });
  }, 300_000);

  describe('BASEMAP=custom with BASEMAP_STYLE_URL', () => {
    let server: http.Server;
    let origin = '';
    let answer: { status: number; body: unknown } = { status: 200, body: {} };
    beforeAll(async () => {
      server = http.createServer((_req, res) => {
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer.body));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      await new Promise((resolve) => server.close(resolve));
    });

    it('serves the city style under the base prefix, URLs absolute, no glyphs, the style\'s attribution; the CSP allows its host only', async () => {
      answer = {
        status: 200,
        body: {
          version: 8,
          glyphs: 'fonts/{fontstack}/{range}.pbf',
          sprite: 'sprites/base',
          sources: {
            streets: { type: 'vector', url: 'tiles/streets.json', attribution: '© 广州市测绘地理信息' },
            photo: { type: 'raster', tiles: ['/photo/{z}/{x}/{y}.jpg'], tileSize: 256 },
          },
          layers: [
            { id: 'bg', type: 'background', paint: { 'background-color': '#eee' } },
            { id: 'roads', type: 'line', source: 'streets', 'source-layer': 'road' },
            { id: 'photo', type: 'raster', source: 'photo' },
          ],
        },
      };
      await withApp({ BASEMAP: 'custom', BASEMAP_STYLE_URL: `${origin}/styles/base.json`, BASEMAP_CRS: 'WGS84' }, async (ctx) => {
        const { style, headers } = await getStyle(ctx);
        const info = style.metadata['iab:basemap'];
        expect(info).toMatchObject({ mode: 'custom', crs: 'WGS84', attribution: '© 广州市测绘地理信息', warning: null });
        expect(style.layers.map((l: Style) => l.id)).toEqual(['basemap-bg', 'basemap-roads', 'basemap-photo']);
        expect(info.bases[0].layers).toEqual(['basemap-bg', 'basemap-roads', 'basemap-photo']);
        expect(style.layers[1].source).toBe('basemap-streets');
        expect(style.sources['basemap-streets'].url).toBe(`${origin}/styles/tiles/streets.json`);
        expect(style.sources['basemap-photo'].tiles).toEqual([`${origin}/photo/{z}/{x}/{y}.jpg`]);
        expect(style.sprite).toBe(`${origin}/styles/sprites/base`);
        expect(style.glyphs).toBeUndefined();
        const d = csp(headers);
        expect(d['connect-src']).toEqual(["'self'", origin]);
        expect(d['img-src']).toEqual(["'self'", 'data:', 'blob:', origin]);
      });
    }, 300_000);

    it('when the style URL fails, the map still gets a style (no base) and the reason', async () => {
      answer = { status: 503, body: { message: 'down' } };
      await withApp({ BASEMAP: 'custom', BASEMAP_STYLE_URL: `${origin}/styles/base.json`, BASEMAP_CRS: 'WGS84' }, async (ctx) => {
        const { style } = await getStyle(ctx);
        expect(style.sources).toEqual({});
        expect(style.metadata['iab:basemap'].mode).toBe('custom');
        expect(style.metadata['iab:basemap'].warning).toMatch(/BASEMAP_STYLE_URL could not be loaded \(it answered HTTP 503\)/);
      });
    }, 300_000);
  });

  it.each([['GCJ-02', 'GCJ-02'], ['bd09', 'BD-09']])('server/main.ts refuses to start with BASEMAP_CRS=%s, naming BASEMAP_CRS and why', async (crs, datum) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: '', DATA_DIR: 'memory://', PORT: '0', BASEMAP: 'custom', BASEMAP_TILES: 'https://webrd01.is.autonavi.com/appmaptile?x={x}&y={y}&z={z}', BASEMAP_CRS: crs },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(err).toContain(`BASEMAP_CRS=${crs}`);
    expect(err).toContain(`a ${datum} base map is refused`);
    expect(err).toMatch(/tens to hundreds of metres off/);
  }, 60_000);
});
