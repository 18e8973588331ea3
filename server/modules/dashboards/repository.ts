/**
 * The dashboard's own queries (allocations, the quota ledger, the lead-sector parameter): raw SQL
 * over several tables, executor first, figures returned as text where they are exact decimals.
 */
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';

type Executor = Kysely<Database> | Transaction<Database>;

const inDistrict = (districtCode: string | null): RawBuilder<unknown> => (districtCode === null ? sql`true` : sql`pk.district_code = ${districtCode}`);

/** Signed, landed, key projects, allocated and lead-sector area (m², as text) and overdue starts; per park or over the scope. */
export async function allocationCounts(db: Executor, districtCode: string | null, perPark: boolean, today: string) {
  const rows = await sql<{ park_id: number | null; signed: number; landed: number; key_signed: number; key_landed: number; allocated: string; lead: string; overdue: number }>`
    select ${perPark ? sql`pl.park_id` : sql`null::int`} as park_id,
           count(distinct a.project_id) filter (where a.status in ('contracted', 'completed'))::int as signed,
           count(distinct a.project_id) filter (where a.status in ('contracted', 'completed') and a.started_on is not null)::int as landed,
           count(distinct a.project_id) filter (where a.status in ('contracted', 'completed') and pr.key_project)::int as key_signed,
           count(distinct a.project_id) filter (where a.status in ('contracted', 'completed') and pr.key_project and a.started_on is not null)::int as key_landed,
           coalesce(sum(a.area_m2) filter (where a.status in ('approved', 'contracted', 'completed')), 0)::text as allocated,
           coalesce(sum(a.area_m2) filter (where a.status in ('approved', 'contracted', 'completed') and pr.sector = any(pk.sectors)), 0)::text as lead,
           (count(*) filter (where a.status = 'contracted' and allocation_adjusted_start(a.id, a.agreed_start_on) < ${today}::date and a.started_on is null))::int as overdue
      from allocations a
      join projects pr on pr.id = a.project_id
      join plots pl on pl.id = a.plot_id
      join parks pk on pk.id = pl.park_id
     where ${inDistrict(districtCode)}
     ${perPark ? sql`group by pl.park_id` : sql``}`.execute(db);
  return rows.rows;
}

/** Net quota charged to `year` per park (the ledger's charges − reversals), m² as text. */
export async function quotaChargedRows(db: Executor, districtCode: string | null, year: number) {
  const rows = await sql<{ park_id: number; charged: string }>`
    select pl.park_id, coalesce(sum(l.area_m2), 0)::text as charged
      from quota_ledger l
      join allocations a on a.id = l.allocation_id
      join plots pl on pl.id = a.plot_id
      join parks pk on pk.id = pl.park_id
     where l.year = ${year} and ${inDistrict(districtCode)}
     group by pl.park_id`.execute(db);
  return rows.rows;
}

/** Where the lead-sector target in force on `today` comes from, if the parameter is recorded. */
export async function leadTargetSource(db: Executor, today: string): Promise<{ source: string; verified: boolean } | undefined> {
  const row = await sql<{ source: string; verified: boolean }>`
    select p.source, p.verified from ref_parameters p
     where p.key = 'leadSectorShareTargetBp'
       and p.version_id = (select id from reference_versions where kind = 'parameters' and effective_from <= ${today}::date
                            order by effective_from desc, id desc limit 1)`.execute(db);
  return row.rows[0];
}

/** A park's contracted allocations whose agreed start has passed with no start recorded, oldest first. */
export async function overdueStarts(db: Executor, parkId: number, today: string) {
  const rows = await sql<{ id: number; plot_code: string; project_name: string; enterprise_name: string; agreed_start_on: string; area_m2: string }>`
    select a.id, pl.code as plot_code, pr.name as project_name, e.name as enterprise_name, a.agreed_start_on::text as agreed_start_on, a.area_m2::text as area_m2
      from allocations a
      join plots pl on pl.id = a.plot_id
      join projects pr on pr.id = a.project_id
      join enterprises e on e.id = pr.enterprise_id
     where pl.park_id = ${parkId} and a.status = 'contracted' and allocation_adjusted_start(a.id, a.agreed_start_on) < ${today}::date and a.started_on is null
     order by a.agreed_start_on, a.id`.execute(db);
  return rows.rows;
}

/** Field inspections per park: open now, opened in `year`, closed in `year` (bureau calendar). */
export async function inspectionCounts(db: Executor, districtCode: string | null, year: number) {
  const rows = await sql<{ park_id: number; open: number; opened: number; closed: number }>`
    select pl.park_id,
           (count(*) filter (where i.status = 'open'))::int as open,
           (count(*) filter (where extract(year from (i.created_at at time zone 'Asia/Shanghai')) = ${year}))::int as opened,
           (count(*) filter (where i.status = 'closed' and extract(year from i.closed_on) = ${year}))::int as closed
      from inspections i
      join allocations a on a.id = i.allocation_id
      join plots pl on pl.id = a.plot_id
      join parks pk on pk.id = pl.park_id
     where ${inDistrict(districtCode)}
     group by pl.park_id`.execute(db);
  return rows.rows;
}
