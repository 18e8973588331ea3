/**
 * Sample allocation records for the demo's allocated plots: every plot with
 * status `allocated` has exactly one active allocation, so the dashboards' 签约/落地 and
 * lead-sector share rest on records, not on plot flags. Everything written here is marked
 * `sample` (enterprises, projects, allocations, quota years) and named "（示例数据）".
 *
 * Deterministic (choices follow the plot id; recent contracts are dated from today). For each
 * sample plot that is `allocated` and has no active allocation:
 * - an enterprise from a pool of sample enterprises (valid 统一社会信用代码, GB 32100-2015);
 * - a project: mostly in one of the park's lead sectors, some in another IAB sector, some
 *   non-IAB (`other`); about a third of the IAB ones are key projects (四(二)6);
 * - a 50-year transfer (出让) at the floor computed by the same rules as an approval
 *   (plotFloorBasis + evaluateFloor) plus a small premium, approved in one of the plan's years
 *   2019–2022 with the decision record of an approval, and charged to that year's quota
 *   ledger (the ledger's trigger keeps the year's totals, under the quota CHECKs);
 * - most are contracted (contract and supervision numbers, agreed dates): most of those handed
 *   over and started (落地), some completed, some signed lately with the start not yet due; a
 *   few are still only approved. None is overdue (no false idle-land warnings in the demo).
 * The sample years get sample quotas: 5000 亩 or, when the sample needs more (benchmarks with
 * many plots), 125 % of what is charged; 20 % of it reserved for IAB projects.
 *
 * The current year (the bureau's, Asia/Shanghai) is a living one (issue #18.3): the recent records
 * (the approved-only ones and those contracted lately, start not yet due) are approved this year
 * and charged to this year's sample quota — 12,000 亩 (or 125 % of the charge) with 5000 亩
 * reserved for IAB projects — so the quota screens and dashboards show this year's figures on
 * first open. Every quota year and allocation written here has its audit event (actor
 * `system:demo-seed`), so the trail tells where the demo's records came from.
 */
import { sql, type Transaction } from 'kysely';
import type { Database } from '../server/kernel/db/schema.ts';
import { loadReference } from '../server/modules/reference/service.ts';
import { plotFloorBasis } from '../server/modules/quotes/service.ts';
import { basisInputs, evaluateFloor, quotaFigures, referenceSummary } from '../server/modules/allocations/service.ts';
import { muFigure, toQuotaView } from '../server/modules/quotas/service.ts';
import { bureauToday, bureauYear } from '../shared/dates.ts';
import { recordEvent, systemActor } from '../server/kernel/audit.ts';
import { usccCheckChar } from '../shared/uscc.ts';
import { removeSupervisionOf } from './sample-supervision.ts';
import { greenChannel } from '../shared/policy/green-channel.ts';
import { ceilDiv, fenToYuanString, yuanToFen } from '../shared/money.ts';
import { hundredthsToM2, m2ToHundredths, muToM2Hundredths } from '../shared/units.ts';
import { SECTORS, type ParkTier, type ProjectSector, type Sector } from '../shared/domain.ts';

/** The plan's years (2018–2022 plan; approvals from 2019). */
export const SAMPLE_QUOTA_YEARS = [2019, 2020, 2021, 2022] as const;
const SAMPLE_ENTERPRISES = 40;
const SAMPLE = '（示例数据）';

/** The n-th sample enterprise's 统一社会信用代码: 91440112MA + 7 digits + check character. */
export function sampleUscc(n: number): string {
  const body = `91440112MA${String(n).padStart(7, '0')}`;
  return body + usccCheckChar(body);
}

const SECTOR_ZH: Record<ProjectSector, string> = { ngit: '新一代信息技术', ai: '人工智能', biomed: '生物医药', other: '先进制造' };

/** The current year's sample quota: at least 12,000 亩, 5000 亩 of it the IAB reserve. */
const CURRENT_QUOTA_MU = 12_000;
const CURRENT_RESERVE_MU = 5_000;
const SEED_ACTOR = systemActor('demo-seed');

const addDays = (iso: string, days: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

interface Candidate {
  id: number;
  code: string;
  area_m2: string;
  investment_intensity_yuan_per_m2: string | null;
  district_code: string;
  sectors: string[];
  tier: ParkTier;
  conditions: unknown;
}

/** Creates the records; returns how many allocations and sample quota years it wrote. */
export async function seedSampleAllocations(trx: Transaction<Database>): Promise<{ allocations: number; quotaYears: number }> {
  const plots = (await sql<Candidate>`
    select pl.id, pl.code, pl.area_m2::text as area_m2, pl.investment_intensity_yuan_per_m2::text as investment_intensity_yuan_per_m2,
           pk.district_code, pk.sectors, pk.tier, pl.conditions
      from plots pl join parks pk on pk.id = pl.park_id
     where pl.sample and pl.status = 'allocated'
       and not exists (select 1 from allocations a where a.plot_id = pl.id and a.status in ('approved', 'contracted', 'completed'))
     order by pl.id`.execute(trx)).rows;
  if (plots.length === 0) return { allocations: 0, quotaYears: 0 };

  // The enterprises: one pool, reused by several projects (created once, kept).
  const enterprises = [];
  for (let n = 1; n <= SAMPLE_ENTERPRISES; n++) {
    const uscc = sampleUscc(n);
    const row = await trx
      .insertInto('enterprises')
      .values({ name: `示例${SECTOR_ZH[[...SECTORS, 'other' as const][n % 4]!]}企业${String(n).padStart(2, '0')}有限公司${SAMPLE}`, uscc, sample: true })
      .onConflict((oc) => oc.column('uscc').doUpdateSet({ updated_at: sql<Date>`now()` }))
      .returning('id')
      .executeTakeFirstOrThrow();
    enterprises.push(row.id);
  }

  const ref = await loadReference(trx);
  const today = bureauToday();
  const thisYear = bureauYear();
  const years = [...SAMPLE_QUOTA_YEARS, thisYear];
  const plan = [];
  const chargedByYear = new Map<number, bigint>(years.map((y) => [y, 0n]));
  for (const p of plots) {
    const k = p.id;
    const lead = p.sectors as Sector[];
    const others = SECTORS.filter((s) => !lead.includes(s));
    // 80 % a lead sector, 10 % another IAB sector (or a lead one when the park has all three), 10 % non-IAB.
    const u = k % 10;
    const sector: ProjectSector = u < 8 || others.length === 0 ? (u < 9 ? lead[k % lead.length]! : 'other') : u < 9 ? others[k % others.length]! : 'other';
    const iab = sector !== 'other';
    // The recent records (see below: k % 20 ≤ 7) are this year's; the others spread over the plan's
    // years (not k % 4: that would tie the year to the sector's k % 10).
    const year = k % 20 <= 7 ? thisYear : SAMPLE_QUOTA_YEARS[Math.floor(k / 7) % SAMPLE_QUOTA_YEARS.length]!;
    chargedByYear.set(year, chargedByYear.get(year)! + m2ToHundredths(p.area_m2));
    plan.push({ p, sector, iab, year, keyProject: iab && k % 3 === 0 });
  }

  // Sample quota years: at least 5000 亩, 20 % reserved for IAB; a year the bureau already set is left alone.
  const minQuota = muToM2Hundredths(ref.params.annualQuotaMinimumMu, 'ceil');
  let quotaYears = 0;
  const quotaState = new Map<number, { quota: bigint; reserve: bigint; approved: bigint; iabApproved: bigint }>();
  for (const year of years) {
    const need = ceilDiv(chargedByYear.get(year)! * 125n, 100n);
    const current = year === thisYear;
    const floorQuota = current ? muToM2Hundredths(CURRENT_QUOTA_MU, 'ceil') : minQuota;
    const quota = need > floorQuota ? ceilDiv(need, 100n) * 100n : floorQuota;
    const reserve = current ? muToM2Hundredths(CURRENT_RESERVE_MU, 'ceil') : (quota / 5n / 100n) * 100n;
    const inserted = await trx
      .insertInto('quotas')
      .values({ year, quota_m2: hundredthsToM2(quota).toFixed(2), iab_reserve_m2: hundredthsToM2(reserve).toFixed(2), sample: true })
      .onConflict((oc) => oc.column('year').doNothing())
      .returning(['year', 'quota_m2', 'iab_reserve_m2'])
      .executeTakeFirst();
    if (inserted) {
      quotaYears++;
      await recordEvent(trx, {
        actor: SEED_ACTOR, action: 'quota.set', entity: 'quota', entityId: year, before: null,
        after: { year, quotaM2: Number(inserted.quota_m2), iabReserveM2: Number(inserted.iab_reserve_m2), sample: true },
      });
    }
    const q = await trx.selectFrom('quotas').select(['quota_m2', 'iab_reserve_m2', 'approved_m2', 'iab_approved_m2']).where('year', '=', year).executeTakeFirstOrThrow();
    quotaState.set(year, { quota: m2ToHundredths(q.quota_m2), reserve: m2ToHundredths(q.iab_reserve_m2), approved: m2ToHundredths(q.approved_m2), iabApproved: m2ToHundredths(q.iab_approved_m2) });
  }

  let count = 0;
  for (const { p, sector, iab, year, keyProject } of plan) {
    const k = p.id;
    const basis = await plotFloorBasis(trx, p.id, ref);
    const terms = { mode: 'transfer' as const, termYears: ref.params.statutoryMaxTermYears, leaseYears: null, annualRentYuan: null, iab };
    const atFloor = evaluateFloor(basis, ref.params, { ...terms, priceYuan: '0.01' });
    // The floor plus a 0–14 % premium, rounded up to the yuan.
    const priceFen = ceilDiv(yuanToFen(atFloor.floorYuan) * BigInt(100 + (k % 15)), 100n * 100n) * 100n;
    const ev = evaluateFloor(basis, ref.params, { ...terms, priceYuan: fenToYuanString(priceFen) });
    if (!ev.ok) throw new Error(`sample price for ${p.code} is below its floor`);

    // This year's: approved in the first half of the days gone by this year, contracted (when it
    // is) halfway between then and today; so neither lies in the future, whatever today is.
    const daysThisYear = Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${thisYear}-01-01T00:00:00Z`)) / 86_400_000);
    const approvedOn = year === thisYear ? addDays(`${year}-01-01`, Math.floor((daysThisYear * ((k * 37) % 50)) / 100)) : addDays(`${year}-02-01`, (k * 37) % 300);
    // 0–2 approved only; 3–7 contracted lately, start not yet due (signed, not landed); 8–16
    // handed over and started (landed); 17–19 completed. None overdue: the sample raises no
    // false idle-land warnings.
    const shape = k % 20;
    const contracted = shape >= 3;
    const recent = shape <= 7;
    const signedOn = year === thisYear
      ? addDays(approvedOn, Math.floor((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${approvedOn}T00:00:00Z`)) / 86_400_000 / 2))
      : recent ? addDays(today, -(20 + (k % 60))) : addDays(approvedOn, 20 + (k % 30));
    const agreedHandoverOn = addDays(signedOn, recent ? 15 : 60);
    const agreedStartOn = recent ? addDays(today, 60 + (k % 120)) : addDays(agreedHandoverOn, 180);
    const agreedCompletionOn = addDays(agreedStartOn, 720);
    const handedOverOn = shape >= 8 ? addDays(agreedHandoverOn, k % 20) : null;
    const startedOn = shape >= 8 ? addDays(agreedStartOn, (k % 40) - 20) : null;
    const completedOn = shape >= 17 ? addDays(agreedCompletionOn, (k % 60) - 30) : null;
    const status = !contracted ? 'approved' : completedOn ? 'completed' : 'contracted';

    const area = m2ToHundredths(p.area_m2);
    const approvedAt = `${approvedOn}T02:00:00.000Z`;
    const q = quotaState.get(year)!;
    const before = toQuotaView({ year, quota_m2: hundredthsToM2(q.quota).toFixed(2), iab_reserve_m2: hundredthsToM2(q.reserve).toFixed(2), approved_m2: hundredthsToM2(q.approved).toFixed(2), iab_approved_m2: hundredthsToM2(q.iabApproved).toFixed(2), updated_at: approvedAt } as Parameters<typeof toQuotaView>[0]);
    q.approved += area;
    if (iab) q.iabApproved += area;
    const after = toQuotaView({ year, quota_m2: hundredthsToM2(q.quota).toFixed(2), iab_reserve_m2: hundredthsToM2(q.reserve).toFixed(2), approved_m2: hundredthsToM2(q.approved).toFixed(2), iab_approved_m2: hundredthsToM2(q.iabApproved).toFixed(2), updated_at: approvedAt } as Parameters<typeof toQuotaView>[0]);
    const decision = {
      sample: true,
      approvedAt,
      approvedBy: { userId: null, username: 'seed', displayName: `示例数据 / sample`, role: 'system' },
      areaM2: basis.areaM2,
      areaMu: muFigure(basis.areaM2),
      floor: ev,
      inputs: {
        ...basisInputs(p, basis), plotSample: basis.plotSample,
        iab, mode: 'transfer', termYears: terms.termYears, leaseYears: null, priceYuan: ev.checks[0]?.offeredYuan ?? null, annualRentYuan: null,
      },
      reference: referenceSummary(ref),
      quota: { year, ledgerEntryId: null, chargedM2: basis.areaM2, iab, before: quotaFigures(before), after: quotaFigures(after) },
      proposal: { floorYuan: ev.floorYuan, referenceVersions: null, floorChanged: false },
      hold: null,
    };
    const projectName = `示例${SECTOR_ZH[sector]}项目 ${p.code}${SAMPLE}`;
    const intensity = p.investment_intensity_yuan_per_m2;
    const project = await trx
      .insertInto('projects')
      .values({
        name: projectName,
        enterprise_id: enterprises[k % enterprises.length]!,
        sector,
        sub_sector: null,
        iab,
        planned_investment_yuan: intensity === null ? null : fenToYuanString(ceilDiv(area * yuanToFen(intensity), 100n)),
        key_project: keyProject,
        sample: true,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const allocation = await trx
      .insertInto('allocations')
      .values({
        plot_id: p.id,
        project_id: project.id,
        quota_year: year,
        status,
        mode: 'transfer',
        term_years: terms.termYears,
        price_yuan: fenToYuanString(priceFen),
        iab,
        area_m2: p.area_m2,
        // 五(三)12 / 四(二)6: the same rule a proposal uses (a core park or a key project).
        green_channel: greenChannel({ parkTier: p.tier, keyProject }).greenChannel,
        // The 监管协议: the plot's 标准地 conditions, frozen at approval (migration 014).
        agreement_conditions: JSON.stringify(p.conditions ?? {}),
        agreement_frozen_at: approvedAt,
        proposed_floor: JSON.stringify({ ...ev, reference: referenceSummary(ref), basisAreaM2: basis.areaM2, sample: true }),
        decision: JSON.stringify(decision),
        approved_at: approvedAt,
        created_at: addDays(approvedOn, -30),
        contract_no: contracted ? `${p.district_code}-${year}-SAMPLE-${p.id}` : null,
        supervision_no: contracted ? `${p.district_code}${year}S${String(p.id).padStart(6, '0')}` : null,
        signed_on: contracted ? signedOn : null,
        agreed_handover_on: contracted ? agreedHandoverOn : null,
        agreed_start_on: contracted ? agreedStartOn : null,
        agreed_completion_on: contracted ? agreedCompletionOn : null,
        contracted_at: contracted ? `${signedOn}T02:00:00.000Z` : null,
        handed_over_on: handedOverOn,
        started_on: startedOn,
        completed_on: completedOn,
        sample: true,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await sql`
      with charge as (
        insert into quota_ledger (year, allocation_id, kind, area_m2, iab, at)
        values (${year}, ${allocation.id}, 'charge', ${p.area_m2}::numeric, ${iab}, ${approvedAt}::timestamptz)
        returning id)
      update allocations set decision = jsonb_set(decision, '{quota,ledgerEntryId}', to_jsonb((select id from charge)))
       where id = ${allocation.id}`.execute(trx);
    await recordEvent(trx, {
      actor: SEED_ACTOR, action: 'allocation.approve', entity: 'allocation', entityId: allocation.id,
      after: {
        sample: true, plotId: p.id, plotCode: p.code, projectId: project.id, quotaYear: year, status, iab,
        areaM2: Number(p.area_m2), priceYuan: Number(fenToYuanString(priceFen)), approvedOn, contractNo: contracted ? `${p.district_code}-${year}-SAMPLE-${p.id}` : null,
      },
    });
    count++;
  }
  return { allocations: count, quotaYears };
}

/**
 * Removes the sample allocation records of sample plots (of one park, or all) about to be
 * regenerated or cleared (`npm run db:seed -- --plots N`; tests): their ledger entries (the append-only trigger is set aside
 * for this one transaction), the allocations (their plots become `available`), projects, then
 * the sample quota years left without entries; the year totals are recomputed from what
 * remains of the ledger.
 */
export async function removeSampleAllocations(trx: Transaction<Database>, opts: { parkId?: number } = {}): Promise<number> {
  let q = trx.selectFrom('allocations as a').innerJoin('plots as p', 'p.id', 'a.plot_id').select(['a.id', 'a.plot_id']).where('p.sample', '=', true);
  if (opts.parkId !== undefined) q = q.where('p.park_id', '=', opts.parkId);
  const rows = await q.execute();
  const ids = rows.map((r) => r.id);
  if (ids.length === 0) return 0;
  const nonSample = await trx.selectFrom('allocations').select('id').where('id', 'in', ids).where('sample', '=', false).executeTakeFirst();
  if (nonSample) throw new Error(`Allocation ${nonSample.id} on a sample plot is not sample data: cancel it and remove it by hand before regenerating the sample plots.`);
  await sql`alter table quota_ledger disable trigger quota_ledger_append_only`.execute(trx);
  await sql`alter table quotas disable trigger quotas_totals_from_ledger`.execute(trx);
  await trx.deleteFrom('quota_ledger').where('allocation_id', 'in', ids).execute();
  await removeSupervisionOf(trx, ids);
  await sql`update quotas q set approved_m2 = coalesce((select sum(l.area_m2) from quota_ledger l where l.year = q.year), 0),
                               iab_approved_m2 = coalesce((select sum(l.area_m2) filter (where l.iab) from quota_ledger l where l.year = q.year), 0)`.execute(trx);
  await sql`alter table quotas enable trigger quotas_totals_from_ledger`.execute(trx);
  await sql`alter table quota_ledger enable trigger quota_ledger_append_only`.execute(trx);
  const projects = (await trx.deleteFrom('allocations').where('id', 'in', ids).returning('project_id').execute()).map((r) => r.project_id);
  // Their plots (about to go) no longer have an allocation: not allocated (allocated ⇔ one active allocation).
  await trx.updateTable('plots').set({ status: 'available' }).where('id', 'in', rows.map((r) => r.plot_id)).where('status', '=', 'allocated').execute();
  await trx.deleteFrom('projects').where('id', 'in', projects).where('sample', '=', true)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('allocations').select('id').whereRef('allocations.project_id', '=', 'projects.id')))).execute();
  await trx.deleteFrom('quotas').where('sample', '=', true).where(({ not, exists, selectFrom }) => not(exists(selectFrom('quota_ledger').select('id').whereRef('quota_ledger.year', '=', 'quotas.year')))).execute();
  return ids.length;
}
