/** Which plots a map list or an export reads, and the list as the GeoJSON text the database writes. */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import { bboxToPgBox } from '../../kernel/db/geo.ts';
import { spatialPath, type SpatialPath } from '../../kernel/db/spatial.ts';
import type { BBox, LandUse, PlotStatus, Sector } from '../../../shared/domain.ts';

type Executor = Kysely<Database> | Transaction<Database>;

/** The filters of GET /api/plots, also those of its export. */
export interface PlotSelection {
  bbox?: BBox | undefined;
  status?: PlotStatus[] | undefined;
  parkId?: number | undefined;
  sector?: Sector | undefined;
  landUse?: LandUse[] | undefined;
  districtCode?: string | undefined;
}

export interface PlotFilters extends PlotSelection {
  limit: number;
}

/**
 * The plots (`pl`) that a selection picks, before any column is chosen. A viewport (`bbox`) goes
 * through the GiST index on `geom` on the postgis path (server/kernel/db/spatial.ts), on `bbox`
 * otherwise (the same plots: both are the plot's bounding box). Park conditions (sector,
 * district) are a semi-join on the parks they allow, so a viewport never reads the parks table
 * whole: with generated zones it holds thousands of parks, and a hash join over all of them was
 * most of a viewport query's time (issue #17).
 */
export function selectPlotRows(db: Executor, f: PlotSelection, path: SpatialPath = 'jsonb') {
  let q = db.selectFrom('plots as pl');
  if (f.bbox) {
    const [w, s, e, n] = f.bbox;
    q = path === 'postgis'
      ? q.where(sql<boolean>`pl.geom && ST_MakeEnvelope(${w}::float8, ${s}::float8, ${e}::float8, ${n}::float8, 4326)`)
      : q.where(sql<boolean>`pl.bbox && ${bboxToPgBox(f.bbox)}::box`);
  }
  // Retired plots (replaced by a split or merge) only when asked for by status.
  q = f.status?.length ? q.where('pl.status', 'in', f.status) : q.where('pl.status', '<>', 'retired');
  if (f.parkId !== undefined) q = q.where('pl.park_id', '=', f.parkId);
  if (f.sector || f.districtCode) {
    let parks = db.selectFrom('parks as pk').select('pk.id');
    if (f.sector) parks = parks.where(sql<boolean>`pk.sectors @> ARRAY[${f.sector}]::text[]`);
    if (f.districtCode) parks = parks.where('pk.district_code', '=', f.districtCode);
    q = q.where('pl.park_id', 'in', parks);
  }
  if (f.landUse?.length) q = q.where('pl.land_use', 'in', f.landUse);
  return q;
}

/** The same plots joined to their park (`p`): the export reads the park's columns too. */
export function selectPlots(db: Executor, f: PlotSelection, path: SpatialPath = 'jsonb') {
  return selectPlotRows(db, f, path).innerJoin('parks as p', 'p.id', 'pl.park_id');
}

/**
 * The most features one statement of GET /api/plots reads and one chunk of its answer holds: a
 * viewport of ≤ 500 plots (the common map case) is one statement and one string; a bigger answer
 * is read and sent page by page, so a request holds about one page in memory whatever its limit
 * (issue #17: sixteen viewports of ~3,200 plots at once took the server from 198 to 490 MB RSS).
 */
export const PLOT_PAGE_SIZE = 500;

/** One page: its features as GeoJSON text joined by commas ('' when none), rows read, the last code sent. */
interface PlotPage {
  features: string;
  n: number;
  last: string | null;
}

/**
 * Up to `take` plots after the code `after`, in code order, as Feature texts; `take + 1` rows are
 * read, so `n > take` says more plots follow. Each plot's Feature is stored with it
 * (`plots.list_feature`, migration 031: written by PostgreSQL with the row, up to its last
 * property); the read appends the park's district (a scalar subquery in the ordered, limited
 * query, so it runs for the rows sent only) and joins the texts with `string_agg`: no JSON is
 * built per request, and the rows' geometry is never parsed into objects and re-serialized by
 * Node. `rn` carries the code order into the aggregate.
 *
 * Not a named prepared statement: PostgreSQL would settle on one generic plan (the GiST index,
 * then a sort), which suits a street's box (5 ms) but reads the whole index for a city's box
 * (3.2 s at 1M parcels, where the plan for its own box walks the code index: 13 ms).
 */
async function readPlotPage(db: Executor, f: PlotSelection, path: SpatialPath, after: string | null, take: number): Promise<PlotPage> {
  let q = selectPlotRows(db, f, path)
    .select(['pl.code', 'pl.list_feature'])
    .select(sql<string>`(SELECT pk.district_code FROM parks pk WHERE pk.id = pl.park_id)`.as('district_code'));
  // Keyset: `code` is unique, so "after the last code sent" neither repeats nor skips a plot.
  if (after !== null) q = q.where('pl.code', '>', after);
  q = q.orderBy('pl.code').limit(take + 1);
  const r = await sql<PlotPage>`
    select coalesce(string_agg(s.list_feature || ',"districtCode":' || json_string(s.district_code) || '}}', ',' order by s.rn)
             filter (where s.rn <= ${take}::int), '') as features,
           count(*)::int as n,
           max(s.code) filter (where s.rn <= ${take}::int) as last
    from (select q.*, row_number() over (order by q.code) as rn from (${q}) q) s`.execute(db);
  const page = r.rows[0]!;
  return { features: page.features, n: Number(page.n), last: page.last };
}

/**
 * GET /api/plots's answer, a GeoJSON FeatureCollection ordered by code with `truncated` true
 * exactly when more plots matched than `limit`: one string when the first page holds it (one
 * statement, as most viewports), else the chunks of the text, read page by page as they are
 * consumed (`truncated` then comes after `features`).
 *
 * The pages are separate statements, not one snapshot (holding a transaction or a cursor open
 * while a slow client reads would pin a connection per request). A plot edited between two pages
 * appears once at most, in the state its page read: the keyset only moves forward in code order.
 * Only a change of code can escape that — renamed past the keyset it is listed again, renamed
 * behind it it is missed — and a split or merge between pages may list a retired parent beside
 * its pieces; a client that needs one instant asks for a view of ≤ 500 plots (one statement).
 */
export async function plotsFeatureCollection(db: Executor, f: PlotFilters): Promise<string | AsyncGenerator<string, void, undefined>> {
  const path = f.bbox ? await spatialPath(db) : 'jsonb';
  const limit = f.limit;
  const first = await readPlotPage(db, f, path, null, Math.min(limit, PLOT_PAGE_SIZE));
  if (limit <= PLOT_PAGE_SIZE || first.n <= PLOT_PAGE_SIZE) {
    return `{"type":"FeatureCollection","truncated":${first.n > limit},"features":[${first.features}]}`;
  }
  return (async function* pages() {
    let page = first;
    let sent = PLOT_PAGE_SIZE;
    yield `{"type":"FeatureCollection","features":[${page.features}`;
    let truncated = false;
    for (;;) {
      const take = Math.min(PLOT_PAGE_SIZE, limit - sent);
      if (take === 0) {
        truncated = true; // the page before read one plot more than limit
        break;
      }
      page = await readPlotPage(db, f, path, page.last, take);
      if (page.features !== '') yield `,${page.features}`;
      if (page.n <= take) break;
      sent += take;
    }
    yield `],"truncated":${truncated}}`;
  })();
}
