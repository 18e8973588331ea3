/**
 * The main read queries of a million-parcel map reach plots through an index (issue #17): the
 * viewport list, the investor search (by sector, district and 亩 range, and by viewport), siting's
 * requirement scan and its snapshot refresh, and a vector tile. Each query is captured as the app
 * sends it (Kysely's query log on the same database), then EXPLAINed on PostgreSQL with
 * `enable_seqscan = off`: the planner still picks a sequential scan when no index can serve a
 * query, so "no Seq Scan on plots" in that plan means an index does.
 *
 * PostgreSQL only (PGlite has the same planner, but the production question is PostgreSQL's).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kysely, PostgresDialect, sql, type CompiledQuery } from 'kysely';
import pg from 'pg';
import type { Database } from '../../server/kernel/db/schema.ts';
import { startTestApp, POSTGRES_SKIP_REASON, type TestContext } from './context.ts';
import { searchPlots } from '../../server/modules/search/service.ts';
import { plotsFeatureCollection } from '../../server/modules/plots/repository.ts';
import { availableRowsSince, requirementRowsOnly } from '../../server/modules/siting/repository.ts';
import { loadReference } from '../../server/modules/reference/service.ts';
import { createPlotTiles } from '../../server/modules/tiles/service.ts';
import type { SitingRequirements } from '../../shared/contract/siting.ts';
import type { BBox } from '../../shared/domain.ts';

const skip = !process.env.TEST_DATABASE_URL;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

function seqScansOfPlots(node: PlanNode): number {
  const own = node['Node Type'] === 'Seq Scan' && node['Relation Name'] === 'plots' ? 1 : 0;
  return own + (node.Plans ?? []).reduce((n, p) => n + seqScansOfPlots(p), 0);
}

function lngLatToTile(lng: number, lat: number, z: number): [number, number] {
  const n = 2 ** z;
  const x = Math.floor(((lng + 180) / 360) * n);
  const r = (lat * Math.PI) / 180;
  const y = Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n);
  return [x, y];
}

describe.skipIf(skip)(skip ? `query plans [postgres — skipped: ${POSTGRES_SKIP_REASON}]` : 'query plans use the plots indexes [postgres]', () => {
  let ctx: TestContext;
  let stop: () => Promise<void>;
  let db: Kysely<Database>;
  let client: pg.Client;
  let captured: CompiledQuery[] = [];
  let parkBox: BBox;

  beforeAll(async () => {
    ({ ctx, stop } = await startTestApp('postgres'));
    const url = ctx.app.config.databaseUrl!;
    db = new Kysely<Database>({
      dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 2 }) }),
      log: (e) => {
        if (e.level === 'query') captured.push(e.query);
      },
    });
    client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('ANALYZE plots');
    await client.query('SET enable_seqscan = off');
    const r = await sql<{ w: number; s: number; e: number; n: number }>`
      SELECT (bbox[1])[0] AS w, (bbox[1])[1] AS s, (bbox[0])[0] AS e, (bbox[0])[1] AS n FROM parks WHERE code = 'P01'`.execute(db);
    const p = r.rows[0]!;
    parkBox = [Number(p.w), Number(p.s), Number(p.e), Number(p.n)];
  }, 120_000);

  afterAll(async () => {
    await client?.end();
    await db?.destroy();
    await stop?.();
  });

  /** Runs `run`, then EXPLAINs every query it sent that reads plots; returns their plans' seq scans of plots. */
  async function plansOf(run: () => Promise<unknown>): Promise<{ queries: number; seqScans: { sql: string; n: number }[] }> {
    captured = [];
    await run();
    const reading = captured.filter((q) => /\bplots\b/.test(q.sql) && /^\s*(select|with)/i.test(q.sql));
    const seqScans: { sql: string; n: number }[] = [];
    for (const q of reading) {
      const res = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (FORMAT JSON) ${q.sql}`, q.parameters as unknown[]);
      const n = seqScansOfPlots(res.rows[0]!['QUERY PLAN'][0].Plan);
      if (n > 0) seqScans.push({ sql: q.sql.replace(/\s+/g, ' ').slice(0, 300), n });
    }
    return { queries: reading.length, seqScans };
  }

  it('the viewport list (GET /api/plots?bbox=)', async () => {
    const r = await plansOf(async () => {
      const body = await plotsFeatureCollection(db, { bbox: parkBox, limit: 500 });
      if (typeof body !== 'string') for await (const _chunk of body); // every page's statement
    });
    expect(r.queries).toBeGreaterThan(0);
    expect(r.seqScans).toEqual([]);
  });

  it('the investor search by sector, district and 亩 range, and by viewport', async () => {
    const bySector = await plansOf(() => searchPlots(db, { sector: 'biomed', districtCode: '440112', minAreaMu: 5, maxAreaMu: 200, sort: 'code', limit: 20, offset: 0 }));
    expect(bySector.queries).toBeGreaterThan(0);
    expect(bySector.seqScans).toEqual([]);
    const byView = await plansOf(() => searchPlots(db, { bbox: parkBox, sort: 'code', limit: 20, offset: 0 }));
    expect(byView.seqScans).toEqual([]);
  });

  it("siting's requirement scan and its snapshot refresh", async () => {
    const ref = await loadReference(db);
    const req = { sector: 'biomed', areaMuMin: 10, areaMuMax: 80 } as SitingRequirements;
    const scan = await plansOf(() => requirementRowsOnly(db, ref, req));
    expect(scan.queries).toBeGreaterThan(0);
    expect(scan.seqScans).toEqual([]);
    const { rows } = await sql<{ v: string }>`SELECT max(row_version)::text AS v FROM plots`.execute(db);
    const refresh = await plansOf(() => availableRowsSince(db, ref, BigInt(rows[0]!.v) - 5n));
    expect(refresh.seqScans).toEqual([]);
  });

  it('a vector tile of the plot layer at zoom 14', async () => {
    const [x, y] = lngLatToTile((parkBox[0] + parkBox[2]) / 2, (parkBox[1] + parkBox[3]) / 2, 14);
    const tiles = createPlotTiles(db);
    const r = await plansOf(() => tiles.getTile(14, x, y));
    expect(r.queries).toBeGreaterThan(0);
    expect(r.seqScans).toEqual([]);
  });
});
