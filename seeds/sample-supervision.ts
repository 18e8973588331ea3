/**
 * Sample supervision after the sale (issue #15 §6), so every supervision screen has something to
 * show on a fresh start. Everything written here is marked sample (the rows' `sample` flag, or
 * source `sample`, and "（示例数据）" in the text), and deterministic (choices follow ids; dates
 * follow today, so the stages stay what they are meant to be whenever the demo starts).
 *
 * 1. {@link seedSampleConditions}: 标准地 conditions on the sample plots, before their sample
 *    allocations are written (which freeze them into each agreement): the plot's investment
 *    intensity and plot-ratio range, output and tax per 亩 by the park's lead sectors, a
 *    pollution class, start within 12 and completion within 36 months; half of them an energy
 *    cap, so "未设定" shows too.
 * 2. {@link seedSampleSupervision} (after the demo accounts exist):
 *    - five contracted sample allocations made late (none of the other sample records is): in the
 *      Huangpu district (the demo district officer's) one `overdue` (agreed start 120 days ago),
 *      one `idle_fee` (500 days), one `reclaim` (900 days) and one `government_delay` (agreed
 *      start 200 days ago, a recorded late handover of 300 days, art. 8); elsewhere one
 *      `stalled` (started, < ⅓ developed, no progress for 450 days → idle, art. 2);
 *    - an idle-fee decision with a sample document number on the idle_fee one;
 *    - an open inspection with one visit on the idle_fee one (assigned to the district officer),
 *      and a closed inspection with its conclusion on the reclaim one;
 *    - two years (last year and the year before) of 亩均 figures for every started or completed
 *      sample allocation, spread so that the sample thresholds give all four grades;
 *    - a progress report (past ⅓ of the area and 25 % of the investment) for every other started site;
 *    - the stages as of today in `supervision_stages`, so the first look raises no change events.
 */
import { sql, type Transaction } from 'kysely';
import type { Database } from '../server/kernel/db/schema.ts';
import { bureauToday, bureauYear } from '../shared/dates.ts';
import { addDays, idleFeeFen } from '../shared/policy/idle-land.ts';
import { yuanToFen } from '../shared/money.ts';
import { restage } from '../server/modules/supervision/idle.ts';

const SAMPLE = '（示例数据）';
/** 1 亩 = 2000/3 m². */
const M2_PER_MU = 2000 / 3;

/** Sets sample 标准地 conditions on sample plots that have none. */
export async function seedSampleConditions(trx: Transaction<Database>): Promise<void> {
  await sql`
    update plots p
       set conditions = jsonb_strip_nulls(jsonb_build_object(
             'investmentIntensityYuanPerM2Min', p.investment_intensity_yuan_per_m2,
             'plotRatioMin', case when p.plot_ratio_max is null or p.plot_ratio_max > 0 then p.plot_ratio_min end,
             'plotRatioMax', case when p.plot_ratio_max > 0 and (p.plot_ratio_min is null or p.plot_ratio_min <= p.plot_ratio_max) then p.plot_ratio_max end,
             'outputPerMuYuanMin', case when 'biomed' = any(pk.sectors) then 2000000 when 'ngit' = any(pk.sectors) then 1500000 else 1200000 end,
             'taxPerMuYuanMin', case when 'biomed' = any(pk.sectors) then 120000 else 100000 end,
             'energyTcePer10kYuanMax', case when p.id % 2 = 0 then 0.35 end,
             'pollutionCategory', case when 'biomed' = any(pk.sectors) then 'class_2' else 'class_1' end,
             'notes', '示例数据：演示用标准地条件，非实际出让条件 / sample conditions for the demo, not real terms of sale',
             'startWithinMonths', 12,
             'completeWithinMonths', 36))
      from parks pk
     where pk.id = p.park_id and p.sample and p.conditions = '{}'::jsonb`.execute(trx);
}

interface Candidate {
  id: number;
  plot_id: number;
  district_code: string;
  price_yuan: string;
  area_m2: string;
  signed_on: string;
  agreed_handover_on: string;
  started_on: string | null;
  planned_investment_yuan: string | null;
}

type Scenario = 'overdue' | 'idle_fee' | 'reclaim' | 'government_delay' | 'stalled';

/** The demo's supervision records; returns what it wrote, or null when they exist already. */
export async function seedSampleSupervision(trx: Transaction<Database>, today = bureauToday()): Promise<{ late: number; performance: number; inspections: number } | null> {
  const done = await trx.selectFrom('app_meta').select('key').where('key', '=', 'sample_supervision').executeTakeFirst();
  if (done) return null;
  const candidates = (await sql<Candidate>`
    select a.id, a.plot_id, pk.district_code, a.price_yuan::text as price_yuan, a.area_m2::text as area_m2,
           to_char(a.signed_on, 'YYYY-MM-DD') as signed_on, to_char(a.agreed_handover_on, 'YYYY-MM-DD') as agreed_handover_on,
           to_char(a.started_on, 'YYYY-MM-DD') as started_on, pr.planned_investment_yuan::text as planned_investment_yuan
      from allocations a join plots pl on pl.id = a.plot_id join parks pk on pk.id = pl.park_id join projects pr on pr.id = a.project_id
     where a.sample and a.status = 'contracted' and a.started_on is not null
       and a.signed_on <= ${addDays(today, -1000)}::date
     order by a.id`.execute(trx)).rows;
  const huangpu = candidates.filter((c) => c.district_code === '440112');
  const elsewhere = candidates.filter((c) => c.district_code !== '440112');
  const plan: [Scenario, Candidate | undefined][] = [
    ['overdue', huangpu[0]],
    ['idle_fee', huangpu[1]],
    ['reclaim', huangpu[2]],
    ['government_delay', huangpu[3]],
    ['stalled', elsewhere[0]],
  ];
  const chosen = new Map<Scenario, Candidate>();
  for (const [scenario, c] of plan) {
    if (!c) continue;
    chosen.set(scenario, c);
    if (scenario === 'stalled') {
      // Started, then 15 % developed and 10 % invested; nothing since 450 days ago.
      const area = Number(c.area_m2);
      const planned = c.planned_investment_yuan === null ? null : yuanToFen(c.planned_investment_yuan);
      const reports = [
        { on: addDays(c.started_on!, 90), share: 5 },
        { on: addDays(today, -450), share: 15 },
      ].filter((r) => r.on > c.started_on! && r.on <= today);
      for (const r of reports) {
        await trx
          .insertInto('allocation_progress')
          .values({
            allocation_id: c.id,
            reported_on: r.on,
            developed_area_m2: ((area * r.share) / 100).toFixed(2),
            invested_fen: planned === null ? '0' : String((planned * BigInt(r.share - 5)) / 100n),
            sample: true,
          })
          .execute();
      }
      continue;
    }
    const agreedStart = addDays(today, -{ overdue: 120, idle_fee: 500, reclaim: 900, government_delay: 200 }[scenario]);
    const handover = c.agreed_handover_on <= agreedStart ? c.agreed_handover_on : agreedStart;
    await trx
      .updateTable('allocations')
      .set({
        agreed_handover_on: handover,
        agreed_start_on: agreedStart,
        agreed_completion_on: addDays(agreedStart, 720),
        // Never started; the government-delay one was handed over late (the cause of the delay).
        handed_over_on: scenario === 'government_delay' ? addDays(today, -30) : handover,
        started_on: null,
        updated_at: sql<Date>`now()`,
      })
      .where('id', '=', c.id)
      .execute();
    if (scenario === 'government_delay') {
      await trx
        .insertInto('government_delays')
        .values({
          allocation_id: c.id,
          cause: 'late_handover',
          days: 300,
          evidence: `示例：区土地储备中心未按约定时间交付净地，实际交地 ${addDays(today, -30)}${SAMPLE}`,
          note: '示例数据 / sample: a handover 300 days late (art. 8)',
          sample: true,
        })
        .execute();
    }
  }

  // Every other started site reports its progress (the 动态监测 practice): past ⅓ of the area and
  // 25 % of the investment, so it is not idle (art. 2); without reports it would count as stopped.
  const reporting = (await sql<{ id: number; area_m2: string; started_on: string; planned_investment_yuan: string | null }>`
    select a.id, a.area_m2::text as area_m2, to_char(a.started_on, 'YYYY-MM-DD') as started_on, pr.planned_investment_yuan::text as planned_investment_yuan
      from allocations a join projects pr on pr.id = a.project_id
     where a.sample and a.status = 'contracted' and a.started_on is not null
       and not exists (select 1 from allocation_progress g where g.allocation_id = a.id)
     order by a.id`.execute(trx)).rows;
  for (const a of reporting) {
    const share = 40 + (a.id % 6) * 10; // 40–90 %
    const on = [addDays(a.started_on, 180), addDays(today, -(30 + (a.id % 60)))].filter((d) => d > a.started_on && d <= today).sort().at(-1);
    if (!on) continue;
    await trx
      .insertInto('allocation_progress')
      .values({
        allocation_id: a.id,
        reported_on: on,
        developed_area_m2: ((Number(a.area_m2) * share) / 100).toFixed(2),
        invested_fen: a.planned_investment_yuan === null ? '0' : String((yuanToFen(a.planned_investment_yuan) * BigInt(share)) / 100n),
        sample: true,
      })
      .execute();
  }

  const idleFee = chosen.get('idle_fee');
  if (idleFee) {
    await trx
      .insertInto('supervision_decisions')
      .values({
        allocation_id: idleFee.id,
        kind: 'idle_fee',
        document_no: `穗规划资源闲决〔示例〕1号${SAMPLE}`,
        decided_on: addDays(today, -20),
        fee_fen: String(idleFeeFen(yuanToFen(idleFee.price_yuan))),
        note: '示例数据：按出让价款20%征缴土地闲置费 / sample decision',
        sample: true,
      })
      .execute();
  }

  // Inspections, assigned to an active district officer of the plot's district.
  let inspections = 0;
  const officerOf = async (district: string) =>
    (await trx.selectFrom('users').select('id').where('role', '=', 'district_officer').where('district_code', '=', district).where('disabled_at', 'is', null).orderBy('id').executeTakeFirst())?.id;
  for (const [scenario, closed] of [['idle_fee', false], ['reclaim', true]] as const) {
    const c = chosen.get(scenario);
    const assignee = c ? await officerOf(c.district_code) : undefined;
    if (!c || assignee === undefined) continue;
    const created = addDays(today, closed ? -60 : -14);
    const inspection = await trx
      .insertInto('inspections')
      .values({
        allocation_id: c.id,
        reason: `${scenario === 'idle_fee' ? '闲置满一年' : '闲置满两年'}，实地核查开发建设情况${SAMPLE}`,
        assignee_id: assignee,
        due_on: addDays(created, 30),
        created_at: `${created}T02:00:00.000Z`,
        sample: true,
        ...(closed
          ? { status: 'closed' as const, conclusion: `现场确认未动工开发，建议依法无偿收回${SAMPLE}`, closed_on: addDays(created, 20), closed_by: assignee, closed_at: `${addDays(created, 20)}T08:00:00.000Z` }
          : {}),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('inspection_visits')
      .values({
        inspection_id: inspection.id,
        visited_on: addDays(created, closed ? 10 : 7),
        findings: `现场围挡完好，未见基坑开挖或桩基施工迹象，地块杂草丛生${SAMPLE}`,
        recorded_by: assignee,
        recorded_at: `${addDays(created, closed ? 10 : 7)}T08:00:00.000Z`,
        sample: true,
      })
      .execute();
    inspections++;
  }

  // 亩均 figures: two years for every started or completed sample allocation. The k % 10 spread
  // gives the sample thresholds' four grades (A 2, B 3, C 3, D 2 in ten).
  const year = bureauYear();
  const producing = (await sql<{ id: number; area_m2: string; signed_on: string }>`
    select a.id, a.area_m2::text as area_m2, to_char(a.signed_on, 'YYYY-MM-DD') as signed_on
      from allocations a
     where a.sample and a.status in ('contracted', 'completed') and a.started_on is not null
     order by a.id`.execute(trx)).rows;
  const levels = [
    { output: 6_200_000, tax: 360_000 },
    { output: 5_400_000, tax: 320_000 },
    { output: 3_100_000, tax: 190_000 },
    { output: 2_800_000, tax: 160_000 },
    { output: 2_600_000, tax: 210_000 },
    { output: 1_600_000, tax: 90_000 },
    { output: 1_200_000, tax: 60_000 },
    { output: 1_900_000, tax: 70_000 },
    { output: 700_000, tax: 30_000 },
    { output: 400_000, tax: 20_000 },
  ] as const;
  let performance = 0;
  for (const a of producing) {
    const mu = Number(a.area_m2) / M2_PER_MU;
    const level = levels[a.id % 10]!;
    for (const [y, growth] of [[year - 2, 100], [year - 1, 108]] as const) {
      if (y < Number(a.signed_on.slice(0, 4))) continue;
      const outputYuan = Math.round((level.output * mu * growth) / 100);
      const taxYuan = Math.round((level.tax * mu * growth) / 100);
      await trx
        .insertInto('allocation_performance')
        .values({
          allocation_id: a.id,
          year: y,
          output_fen: String(BigInt(outputYuan) * 100n),
          tax_fen: String(BigInt(taxYuan) * 100n),
          // 0.05–0.5 tce per 万元 of output.
          energy_tce: ((outputYuan / 10_000) * (0.05 + (a.id % 10) * 0.05)).toFixed(4),
          employees: Math.max(1, Math.round(mu * (2 + (a.id % 7)))),
          source: 'sample',
          recorded_by: 'system:demo-seed',
        })
        .execute();
      performance++;
    }
  }

  // The stages as of today, recorded quietly: the seed's state, not a change anyone made.
  const late = [...chosen.values()].map((c) => c.id);
  await restage(trx, late, today);
  await trx.insertInto('app_meta').values({ key: 'sample_supervision', value: JSON.stringify({ at: today }) }).execute();
  return { late: chosen.size, performance, inspections };
}

/**
 * Removes what supervision recorded on these (sample) allocations, before they go: photos,
 * visits, inspections, performance, decisions, delays, progress and stages. Refuses when any of
 * it is not sample data (an officer's real record on a sample plot must be removed by hand).
 */
export async function removeSupervisionOf(trx: Transaction<Database>, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  const real = (await sql<{ what: string }>`
    select 'inspection ' || id as what from inspections where allocation_id = any(${ids}::int[]) and not sample
    union all select 'decision ' || id from supervision_decisions where allocation_id = any(${ids}::int[]) and not sample
    union all select 'government delay ' || id from government_delays where allocation_id = any(${ids}::int[]) and not sample
    union all select 'progress ' || id from allocation_progress where allocation_id = any(${ids}::int[]) and not sample
    union all select 'performance ' || allocation_id || '/' || year from allocation_performance where allocation_id = any(${ids}::int[]) and source <> 'sample'
    limit 1`.execute(trx)).rows[0];
  if (real) throw new Error(`Supervision record (${real.what}) on a sample allocation is not sample data: remove it by hand before regenerating the sample plots.`);
  const inspections = sql`(select id from inspections where allocation_id = any(${ids}::int[]))`;
  await sql`delete from inspection_photos where visit_id in (select id from inspection_visits where inspection_id in ${inspections})`.execute(trx);
  await sql`delete from inspection_visits where inspection_id in ${inspections}`.execute(trx);
  for (const table of ['inspections', 'allocation_performance', 'supervision_decisions', 'government_delays', 'allocation_progress', 'supervision_stages'] as const) {
    await trx.deleteFrom(table).where('allocation_id', 'in', ids).execute();
  }
  await trx.deleteFrom('app_meta').where('key', '=', 'sample_supervision').execute();
}
