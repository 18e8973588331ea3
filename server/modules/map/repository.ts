/**
 * The map search's queries: plots by code, 宗地代码 or 坐落 text, parks by name or code, each
 * with its bounding box. Only what the public map shows: live plots (retired ones only for the
 * bureau, as GET /api/plots?status=retired gives them) and the IAB parks (no generated zones).
 * No cost, price or other internal column is read. Executor first.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import type { PlotStatus } from '../../../shared/domain.ts';

type Executor = Kysely<Database> | Transaction<Database>;

export interface PlotHitRow {
  id: number;
  code: string;
  parcel_code: string | null;
  location: string;
  status: PlotStatus;
  park_id: number;
  park_name_zh: string;
  park_name_en: string;
  matched: 'code' | 'parcelCode' | 'location';
  sample: boolean;
  w: number;
  s: number;
  e: number;
  n: number;
}

export interface ParkHitRow {
  id: number;
  code: string;
  name_zh: string;
  name_en: string;
  district_name_zh: string;
  district_name_en: string;
  sample: boolean;
  w: number;
  s: number;
  e: number;
  n: number;
}

/** `%text%` for ILIKE, with the pattern characters of `text` taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The box corners as numbers, whichever way PostgreSQL stored the box. */
const corners = (col: string) => sql.raw(`
  least((${col}[0])[0], (${col}[1])[0])::float8 AS w, least((${col}[0])[1], (${col}[1])[1])::float8 AS s,
  greatest((${col}[0])[0], (${col}[1])[0])::float8 AS e, greatest((${col}[0])[1], (${col}[1])[1])::float8 AS n`);

export async function searchPlotRows(db: Executor, q: string, opts: { withRetired: boolean; limit: number }): Promise<PlotHitRow[]> {
  const pattern = containsPattern(q);
  const status = opts.withRetired ? sql`true` : sql`pl.status <> 'retired'`;
  const r = await sql<PlotHitRow>`
    SELECT pl.id, pl.code, pl.parcel_code, pl.location, pl.status, pl.park_id,
           p.name_zh AS park_name_zh, p.name_en AS park_name_en, pl.sample,
           CASE WHEN pl.code ILIKE ${pattern} THEN 'code' WHEN pl.parcel_code ILIKE ${pattern} THEN 'parcelCode' ELSE 'location' END AS matched,
           ${corners('pl.bbox')}
      FROM plots pl JOIN parks p ON p.id = pl.park_id
     WHERE ${status}
       AND (pl.code ILIKE ${pattern} OR pl.parcel_code ILIKE ${pattern} OR pl.location ILIKE ${pattern})
     ORDER BY CASE WHEN upper(pl.code) = upper(${q}) OR upper(coalesce(pl.parcel_code, '')) = upper(${q}) THEN 0
                   WHEN pl.code ILIKE ${`${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`} THEN 1
                   WHEN pl.code ILIKE ${pattern} OR pl.parcel_code ILIKE ${pattern} THEN 2 ELSE 3 END,
              pl.status = 'retired', pl.code
     LIMIT ${opts.limit}`.execute(db);
  return r.rows;
}

export async function searchParkRows(db: Executor, q: string, limit: number): Promise<ParkHitRow[]> {
  const pattern = containsPattern(q);
  const r = await sql<ParkHitRow>`
    SELECT p.id, p.code, p.name_zh, p.name_en, d.name_zh AS district_name_zh, d.name_en AS district_name_en, p.sample,
           ${corners('p.bbox')}
      FROM parks p JOIN districts d ON d.code = p.district_code
     WHERE p.tier <> 'zone'
       AND (p.name_zh ILIKE ${pattern} OR p.name_en ILIKE ${pattern} OR p.code ILIKE ${pattern})
     ORDER BY CASE WHEN upper(p.code) = upper(${q}) OR p.name_zh = ${q} THEN 0 ELSE 1 END, p.code
     LIMIT ${limit}`.execute(db);
  return r.rows;
}
