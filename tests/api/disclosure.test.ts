/**
 * Disclosure: no cost input, internal field or note, and no other
 * party's data, reaches an anonymous visitor or an investor — checked over EVERY public GET
 * route of the running app (from its route table, so a route added later is checked too), plus
 * the public quote and search calls the investor pages make, and the investor's own routes.
 *
 * Planted data makes a leak visible: every plot's cost (C of 五(三)14) in the forms a response
 * could carry it, another company's interest (name, USCC, e-mail, phone, message) and a hold for
 * a third company. Keys matching /cost|internal|note/i are refused except the documented public
 * ones below, each with its reason.
 */
import { beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { routeAccessTable } from '../../server/modules/auth/plugin.ts';
import { describeOnDatabases } from './context.ts';
import { APP_ORIGIN, login, type Session } from './login.ts';
import { freshPlots, uscc } from './allocation-helpers.ts';
import { bureauToday } from '../../shared/dates.ts';

/** Keys that match the pattern but are public by design. */
const PUBLIC_KEYS: Record<string, { why: string; allow: (value: unknown, path: string) => boolean }> = {
  areaNote: { why: 'GET /api/parks/:id — the public note on a park’s published area', allow: () => true },
  costYuan: { why: 'the fixed quote shape (API.md) keeps components.costYuan, null for the public', allow: (v) => v === null },
  // (costRecorded is bureau-only: a public answer says nothing about C, not even whether it is recorded.)
  note: {
    why: 'GET /api/reference — a reference-data version’s and a district grade’s public explanation (e.g. “assumption to confirm”); POST /api/quotes/incentives — the “up to, decided on merit” disclaimer; GET /api/hubs — a hub’s public note (HUBS.md, e.g. “IATA CAN”)',
    allow: (_v, path) => path.startsWith('/api/reference') || path.includes('/api/quotes/incentives') || path.startsWith('/api/hubs'),
  },
  distanceNoteZh: { why: 'POST /api/siting/rank — the public note that distances are straight-line (直线距离) and hubs indicative', allow: (_v, path) => path.startsWith('/api/siting') },
  distanceNoteEn: { why: 'the same note in English', allow: (_v, path) => path.startsWith('/api/siting') },
  notes: {
    why: 'GET /api/plots/:id (and by code) — a plot’s 标准地 conditions are public terms of supply (issue #15 §1), their `notes` the 环境准入 and other terms written into the 监管协议',
    allow: (_v, path) => path.startsWith('/api/plots/'),
  },
  conditionNotes: { why: 'GET /api/plots/export — the same public 标准地 notes as an export column', allow: (_v, path) => path.startsWith('/api/plots/export') },
};
const SUSPECT_KEY = /cost|internal|note/i;

function* walk(value: unknown, trail = ''): Generator<{ key: string; value: unknown; trail: string }> {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) yield* walk(value[i], `${trail}[${i}]`);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      yield { key: k, value: v, trail: `${trail}.${k}` };
      yield* walk(v, `${trail}.${k}`);
    }
  }
}

/** The forms a cost of C yuan could take in JSON or text. */
function costForms(c: number): string[] {
  const fixed = c.toFixed(2);
  const [int, dec] = fixed.split('.') as [string, string];
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  // Also the figure without its leading group (",286,122.80"): a message cut at its first comma leaks that much.
  const tail = grouped.includes(',') ? [`${grouped.slice(grouped.indexOf(','))}.${dec}`] : [];
  return [`${grouped}.${dec}`, `:${c},`, `:${c}}`, `${int}.${dec}`, ...tail];
}

describeOnDatabases('disclosure to the public and to investors', (get) => {
  const app = () => get().app;
  let investor: Session;
  let costs: string[];
  let secrets: string[];
  let ids: { plotId: number; plotCode: string; parkId: number; districtCode: string; tile: [number, number, number]; heldPlotId: number };

  beforeAll(async () => {
    const a = app();
    const land = await login(a, 'land');
    const quota = await a.inject({ method: 'PUT', url: '/api/quotas/2026', headers: { cookie: land.cookie, origin: APP_ORIGIN }, payload: { quotaM2: 4_000_000, iabReserveM2: 0 } });
    expect(quota.statusCode, quota.body).toBe(200);
    investor = await login(a, 'investor');
    const [plot, held] = await freshPlots(a, 2);
    // Another company's interest and a hold for a third: neither may show to the public or an investor.
    const other = await a.inject({
      method: 'POST',
      url: '/api/interests',
      remoteAddress: '198.51.100.9',
      payload: { plotId: plot!.id, company: '保密竞争者有限公司', uscc: uscc(9101), contactName: '赵秘密', contactEmail: 'secret.rival@example.com', contactPhone: '13912345678', message: '内部报价策略：愿出 999 元每平方米' },
    });
    expect(other.statusCode, other.body).toBe(201);
    const until = new Date(`${bureauToday()}T00:00:00Z`);
    until.setUTCDate(until.getUTCDate() + 20);
    const hold = await a.inject({
      method: 'POST',
      url: `/api/plots/${held!.id}/holds`,
      headers: { cookie: land.cookie, origin: APP_ORIGIN },
      payload: { applicant: { name: '保留申请第三方公司', uscc: uscc(9102) }, until: until.toISOString().slice(0, 10), note: '内部备注：待区政府确认' },
    });
    expect(hold.statusCode, hold.body).toBe(201);
    secrets = ['保密竞争者有限公司', uscc(9101), '赵秘密', 'secret.rival@example.com', '13912345678', '内部报价策略', '保留申请第三方公司', uscc(9102), '内部备注'];

    const rows = await a.db.selectFrom('plots').select('cost_yuan').where('cost_yuan', 'is not', null).execute();
    costs = [...new Set(rows.map((r) => Number(r.cost_yuan)).filter((c) => c >= 10_000))].flatMap(costForms);

    const p = await a.db
      .selectFrom('plots as pl')
      .innerJoin('parks as pk', 'pk.id', 'pl.park_id')
      .select(['pl.id', 'pl.code', 'pl.park_id', 'pk.district_code', 'pl.bbox'])
      .where('pl.id', '=', plot!.id)
      .executeTakeFirstOrThrow();
    // A z14 tile that contains the plot.
    const [lng, lat] = String(p.bbox).replace(/[()]/g, '').split(',').map(Number) as [number, number];
    const z = 14;
    const x = Math.floor(((lng + 180) / 360) * 2 ** z);
    const y = Math.floor(((1 - Math.log(Math.tan((lat * Math.PI) / 180) + 1 / Math.cos((lat * Math.PI) / 180)) / Math.PI) / 2) * 2 ** z);
    ids = { plotId: p.id, plotCode: p.code, parkId: p.park_id, districtCode: p.district_code, tile: [z, x, y], heldPlotId: held!.id };
  });

  /** A public route's path with real ids for its parameters. */
  function fill(url: string): string {
    const [z, x, y] = ids.tile;
    return url
      .replace('/api/tiles/plots/:z/:x/:y.pbf', `/api/tiles/plots/${z}/${x}/${y}.pbf`)
      .replace(/\/parks\/:id/, `/parks/${ids.parkId}`)
      .replace(/\/plots\/by-code\/:code/, `/plots/by-code/${encodeURIComponent(ids.plotCode)}`)
      .replace(/\/plots\/:id/, `/plots/${ids.plotId}`)
      .replace(/:year\b/, '2026')
      .replace(/\/districts\/:code/, `/districts/${ids.districtCode}`)
      .replace(/:id\b/, String(ids.plotId))
      .replace(/:code\b/, ids.plotCode);
  }

  /** Everything a caller gets back from the public surface (and an investor from their own routes). */
  async function responses(session: Session | null): Promise<{ path: string; status: number; json: unknown; text: string }[]> {
    const a: FastifyInstance = app();
    const headers = session ? { cookie: session.cookie, origin: APP_ORIGIN } : {};
    const out: { path: string; status: number; json: unknown; text: string }[] = [];
    const gets = routeAccessTable(a).filter((r) => r.access === 'public' && r.method === 'GET' && !r.url.startsWith('/api/docs'));
    // Routes that need a query to answer 200, with every text format they serve.
    const QUERIES: Record<string, string[]> = {
      '/api/plots/export': ['?format=geojson', '?format=csv'],
      '/api/siting/explain': [`?plotId=${ids.plotId}&sector=biomed&areaMuMin=0&areaMuMax=100000`],
      '/api/map/search': [`?q=${encodeURIComponent(ids.plotCode)}`, `?q=${encodeURIComponent('园')}`],
    };
    const paths = gets.flatMap((r) => (QUERIES[r.url] ?? ['']).map((q) => fill(r.url) + q));
    paths.push(
      `/api/plots/${ids.heldPlotId}`, '/api/plots?limit=50000', '/api/search/plots?limit=500', `/api/search/plots?parkId=${ids.parkId}&sort=floor_desc`,
      `/api/search/plots?parkId=${ids.parkId}&sort=floor_asc&maxFloorYuanPerM2=5000`, '/api/plots/export?format=geojson&crs=EPSG:4547',
    );
    if (session) paths.push('/api/me/interests', '/api/me/profile', '/api/auth/me');
    for (const path of paths) {
      const res = await a.inject({ method: 'GET', url: path, headers });
      let json: unknown = null;
      let text = res.body;
      if (path.endsWith('.pbf')) {
        // Vector tiles: their feature properties are what the map (and anyone) reads.
        const tile = new VectorTile(new PbfReader(res.rawPayload));
        const features = [];
        for (const name of Object.keys(tile.layers)) {
          const layer = tile.layers[name]!;
          for (let i = 0; i < layer.length; i++) features.push(layer.feature(i).properties);
        }
        expect(features.length, 'the tile holds plots').toBeGreaterThan(0);
        json = features;
        text = JSON.stringify(features);
      } else if (res.headers['content-type']?.toString().includes('json')) {
        json = res.json();
      } else if (res.headers['content-type']?.toString().includes('csv')) {
        // A CSV's column names are its keys.
        json = Object.fromEntries(res.body.replace(/^\uFEFF/, '').split(/\r?\n/)[0]!.split(',').map((k) => [k.replace(/"/g, ''), '']));
      }
      out.push({ path, status: res.statusCode, json, text });
    }
    // The public POSTs the investor pages make (plot sheet, compare, print): price-floor quotes of
    // a plot for every term 1–50 (at short terms the cost binds the bureau's floor of every plot),
    // IAB or not, and incentives.
    const quotes: [string, Record<string, unknown>][] = [];
    for (let n = 1; n <= 50; n++) quotes.push(['/api/quotes/price-floor', { plotId: ids.plotId, iab: true, termYears: n }]);
    for (const n of [1, 10, 50]) quotes.push(['/api/quotes/price-floor', { plotId: ids.plotId, iab: false, termYears: n }]);
    for (const n of [1, 50]) quotes.push(['/api/quotes/price-floor', { plotId: ids.heldPlotId, iab: true, termYears: n }]);
    quotes.push(['/api/quotes/incentives', { sme: true, equipmentInvestmentYuan: 1000000 }]);
    for (const [path, payload] of quotes) {
      const res = await a.inject({ method: 'POST', url: path, headers, payload });
      out.push({ path: `POST ${path} ${JSON.stringify(payload)}`, status: res.statusCode, json: res.json(), text: res.body });
    }
    return out;
  }

  for (const who of ['anonymous', 'investor'] as const) {
    it(`shows ${who} no cost, internal field, note or other party’s data on any public route`, async () => {
      const session = who === 'investor' ? investor : null;
      const problems: string[] = [];
      const all = await responses(session);
      for (const r of all) {
        if (r.status !== 200) problems.push(`${r.path}: status ${r.status} (the check needs a 200; give the route a real id in fill())`);
        for (const { key, value, trail } of walk(r.json)) {
          if (!SUSPECT_KEY.test(key)) continue;
          const rule = PUBLIC_KEYS[key];
          if (!rule || !rule.allow(value, r.path)) problems.push(`${r.path}: key ${trail} = ${JSON.stringify(value)?.slice(0, 80)}`);
        }
        // No cost figure at all — public floors are the indicative minimum of the public terms, so
        // not even a floor may equal a cost (it did when the cost bound: max(0.7·B·A, C, N·A) = C).
        for (const c of costs) if (r.text.includes(c)) problems.push(`${r.path}: contains a plot cost (${c})`);
        // …and never the cost named as the binding term.
        for (const { key, value, trail } of walk(r.json)) {
          if ((key === 'binding' || key === 'floorBinding') && value === 'cost') problems.push(`${r.path}: ${trail} names the cost as binding`);
        }
        if (/土地成本/.test(r.text) && r.path.includes('price-floor')) problems.push(`${r.path}: the message names the land cost`);
        for (const s of secrets) if (r.text.includes(s)) problems.push(`${r.path}: contains another party’s data (${s})`);
      }
      expect(all.length).toBeGreaterThan(15);
      expect(problems).toEqual([]);
    });
  }

  it('gives the public and investors the same answers whatever the plot’s cost is (so none implies it)', async () => {
    const a = app();
    const plot = await a.db.selectFrom('plots').select(['id', 'park_id', 'cost_yuan']).where('id', '=', ids.plotId).executeTakeFirstOrThrow();
    /** Every public answer that carries a floor or could depend on the cost, for this plot. */
    const answers = async (session: Session | null) => {
      const headers = session ? { cookie: session.cookie, origin: APP_ORIGIN } : {};
      const out: unknown[] = [];
      for (let n = 1; n <= 50; n++) {
        out.push((await a.inject({ method: 'POST', url: '/api/quotes/price-floor', headers, payload: { plotId: plot.id, iab: n % 2 === 0, termYears: n } })).json());
      }
      for (const q of ['sort=floor_desc', 'sort=floor_asc', 'maxFloorYuanPerM2=700', 'maxFloorYuanPerM2=5000&sort=floor_asc']) {
        out.push((await a.inject({ method: 'GET', url: `/api/search/plots?parkId=${plot.park_id}&${q}`, headers })).json());
      }
      const { updatedAt: _u, ...detail } = (await a.inject({ method: 'GET', url: `/api/plots/${plot.id}`, headers })).json().properties;
      out.push(detail);
      return JSON.stringify(out);
    };
    try {
      for (const session of [null, investor]) {
        const costs = ['1.00', '123456789.12', '99999999999.99', null];
        const seen = new Set<string>();
        for (const c of costs) {
          await a.db.updateTable('plots').set({ cost_yuan: c }).where('id', '=', plot.id).execute();
          seen.add(await answers(session));
        }
        expect(seen.size, 'answers differ with the cost').toBe(1);
      }
      // The bureau's answer does depend on it (the check above could fail).
      const land = await login(a, 'land');
      const bureau = async () => (await a.inject({ method: 'POST', url: '/api/quotes/price-floor', headers: { cookie: land.cookie, origin: APP_ORIGIN }, payload: { plotId: plot.id, iab: true, termYears: 1 } })).json();
      await a.db.updateTable('plots').set({ cost_yuan: '99999999999.99' }).where('id', '=', plot.id).execute();
      expect(await bureau()).toMatchObject({ binding: 'cost', floorYuan: 99999999999.99 });
    } finally {
      await a.db.updateTable('plots').set({ cost_yuan: plot.cost_yuan }).where('id', '=', plot.id).execute();
    }
  });

  it('covers every public GET route of the app', () => {
    const publicGets = routeAccessTable(app()).filter((r) => r.access === 'public' && r.method === 'GET' && !r.url.startsWith('/api/docs'));
    expect(publicGets.map((r) => r.url)).toEqual(expect.arrayContaining(['/api/plots/:id', '/api/plots/by-code/:code', '/api/parks/:id', '/api/search/plots', '/api/tiles/plots/:z/:x/:y.pbf']));
    for (const r of publicGets) expect(fill(r.url), r.url).not.toMatch(/:\w+/);
  });
}, { RATE_LIMIT_PER_MINUTE: '100000' });
