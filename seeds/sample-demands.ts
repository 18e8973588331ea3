/**
 * Sample project land demands (随用随供, issue #16 §4), so the bureau's demand register and its
 * overview have something to show on a fresh demo. Every row is `sample = true` and its
 * enterprise is named "（示例数据）"; the projects are plausible IAB projects, not real ones.
 *
 * Six demands in different sectors and districts (two in 黄埔 440112, which the demo district
 * officer `district-huangpu` sees; one in 天河 440106, `district-tianhe`'s):
 * - one matched: a sample plot of 海珠琶洲 (P01, a park no test clears) held for its enterprise
 *   (a hold like any other, released or allocated the usual way);
 * - one overdue (needed 20 days ago) without a 统一社会信用代码 yet, so the "add the USCC before
 *   holding" step shows;
 * - one far larger than any sample plot (likely unmet in the overview);
 * - one non-IAB naming no district; one closed with its reason.
 * Recorded dates lie in the past (10–210 days), so "longest waiting" has an order. The demo has
 * no interests, so none is recorded from one. Written once (skipped when sample demands exist).
 */
import { recordEvent, systemActor } from '../server/kernel/audit.ts';
import { sql, type Transaction } from 'kysely';
import type { Database } from '../server/kernel/db/schema.ts';
import type { DemandRequirements } from '../shared/contract/siting.ts';
import { bureauToday } from '../shared/dates.ts';
import { addDays } from '../shared/policy/idle-land.ts';
import { usccCheckChar } from '../shared/uscc.ts';
import { checkRequirements } from '../shared/siting-query.ts';

const SAMPLE = '（示例数据）';
const M2_PER_MU = 2000 / 3;
const usccOf = (body17: string) => body17 + usccCheckChar(body17);

interface SampleDemand {
  projectName: string;
  enterprise: string;
  uscc: string | null;
  keyProject: boolean;
  neededInDays: number;
  recordedDaysAgo: number;
  requirements: DemandRequirements;
  note: string;
  closeReason?: string;
}

const DEMANDS: SampleDemand[] = [
  {
    projectName: '创新药物中试及产业化基地项目',
    enterprise: `广州示例创新药业有限公司${SAMPLE}`,
    uscc: usccOf('91440112MA9W00001'),
    keyProject: true,
    neededInDays: 240,
    recordedDaysAgo: 140,
    requirements: { sector: 'biomed', areaMuMin: 30, areaMuMax: 80, landUse: ['M1', 'M2'], maxPriceYuanPerM2: 1500, districtCodes: ['440112'] },
    note: `抗体药物中试线及商业化生产车间，计划总投资约 12 亿元；希望靠近生物岛研发资源。${SAMPLE}`,
  },
  {
    projectName: '智能机器人整机制造基地项目',
    enterprise: `广州示例智能装备有限公司${SAMPLE}`,
    uscc: null,
    keyProject: false,
    neededInDays: -20,
    recordedDaysAgo: 210,
    requirements: { sector: 'ai', areaMuMin: 50, areaMuMax: 100, landUse: ['M1'], serviced: true, districtCodes: ['440112', '440115'] },
    note: `工业机器人及服务机器人整机装配、测试，需通平净地；企业统一社会信用代码待补充。${SAMPLE}`,
  },
  {
    projectName: '软件与信息服务产业园项目',
    enterprise: `广州示例软件集团有限公司${SAMPLE}`,
    uscc: usccOf('91440106MA9W00003'),
    keyProject: false,
    neededInDays: 365,
    recordedDaysAgo: 30,
    requirements: { sector: 'ngit', areaMuMin: 300, areaMuMax: 500, districtCodes: ['440106'] },
    note: `软件研发总部及配套产业园，一次性用地规模较大。${SAMPLE}`,
  },
  {
    projectName: '智能仓储物流配送中心项目',
    enterprise: `广州示例供应链管理有限公司${SAMPLE}`,
    uscc: usccOf('91440101MA9W00004'),
    keyProject: false,
    neededInDays: 300,
    recordedDaysAgo: 10,
    requirements: { sector: 'other', areaMuMin: 40, areaMuMax: 60, landUse: ['M1'] },
    note: `非IAB项目，区位不限。${SAMPLE}`,
  },
  {
    projectName: '中药配方颗粒生产基地项目',
    enterprise: `广州示例中药科技有限公司${SAMPLE}`,
    uscc: usccOf('91440117MA9W00005'),
    keyProject: false,
    neededInDays: 180,
    recordedDaysAgo: 100,
    requirements: { sector: 'biomed', areaMuMin: 20, areaMuMax: 40, districtCodes: ['440117'] },
    note: `中药配方颗粒提取及制剂车间。${SAMPLE}`,
    closeReason: `企业调整投资计划，项目暂缓${SAMPLE}`,
  },
];

/** The matched one: its range is set around the plot held for it. */
const MATCHED = {
  projectName: '工业互联网平台研发总部项目',
  enterprise: `广州示例工业互联网科技有限公司${SAMPLE}`,
  uscc: usccOf('91440105MA9W00006'),
  keyProject: true,
  neededInDays: 120,
  recordedDaysAgo: 75,
  note: `工业互联网平台研发中心及数据中心，已为企业保留琶洲地块。${SAMPLE}`,
};

const SEED_ACTOR = systemActor('demo-seed');

/** Writes the sample demands; returns how many, or null when they exist already. */
export async function seedSampleDemands(trx: Transaction<Database>, today = bureauToday()): Promise<number | null> {
  const done = await trx.selectFrom('land_demands').select('id').where('sample', '=', true).limit(1).executeTakeFirst();
  if (done) return null;
  const land = await trx.selectFrom('users').select('id').where('username', '=', 'land').executeTakeFirst();
  const createdBy = land?.id ?? null;

  const insert = async (d: Omit<SampleDemand, 'requirements'> & { requirements: DemandRequirements }, link?: { holdId: number; plotId: number; districtCode: string }) => {
    const problem = checkRequirements(d.requirements);
    if (problem) throw new Error(`Sample demand ${d.projectName}: ${problem.field}: ${problem.messageEn}`);
    const districts = new Set(d.requirements.districtCodes ?? []);
    if (link) districts.add(link.districtCode);
    const at = sql<Date>`now() - make_interval(days => ${d.recordedDaysAgo}::int)`;
    const row = await trx
      .insertInto('land_demands')
      .values({
        project_name: d.projectName,
        enterprise_name: d.enterprise,
        enterprise_uscc: d.uscc,
        sector: d.requirements.sector,
        key_project: d.keyProject,
        needed_by: addDays(today, d.neededInDays),
        requirements: JSON.stringify(d.requirements),
        area_mu_min: d.requirements.areaMuMin,
        area_mu_max: d.requirements.areaMuMax,
        note: d.note,
        source: 'direct',
        status: d.closeReason ? 'closed' : link ? 'matched' : 'open',
        close_reason: d.closeReason ?? null,
        district_codes: [...districts].sort(),
        hold_id: link?.holdId ?? null,
        plot_id: link?.plotId ?? null,
        sample: true,
        created_by: createdBy,
        created_at: at,
        updated_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordEvent(trx, {
      actor: SEED_ACTOR, action: 'demand.created', entity: 'land_demand', entityId: row.id,
      after: { projectName: d.projectName, enterpriseName: d.enterprise, sector: d.requirements.sector, holdId: link?.holdId ?? null, plotId: link?.plotId ?? null, source: 'direct', sample: true },
    });
  };

  for (const d of DEMANDS) await insert(d);

  // The matched one: a middle available plot of P01 (never the first or last, which demos and
  // browser tests allocate), held for the enterprise like any other hold.
  const plots = await trx
    .selectFrom('plots as pl')
    .innerJoin('parks as pk', 'pk.id', 'pl.park_id')
    .select(['pl.id', 'pl.area_m2', 'pk.district_code'])
    .where('pk.code', '=', 'P01')
    .where('pl.sample', '=', true)
    .where('pl.status', '=', 'available')
    .where('pl.cost_yuan', 'is not', null)
    .orderBy('pl.id')
    .execute();
  const plot = plots[Math.floor(plots.length / 2)];
  let n = DEMANDS.length;
  if (plot && plots.length >= 3) {
    const mu = Number(plot.area_m2) / M2_PER_MU;
    const hold = await trx
      .insertInto('plot_holds')
      .values({
        plot_id: plot.id,
        applicant_name: MATCHED.enterprise,
        applicant_uscc: MATCHED.uscc,
        held_until: addDays(today, 60),
        note: `用地需求：${MATCHED.projectName}${SAMPLE} / sample hold for a sample demand`,
        created_by: createdBy,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.updateTable('plots').set({ status: 'held' }).where('id', '=', plot.id).execute();
    await recordEvent(trx, {
      actor: SEED_ACTOR, action: 'hold.create', entity: 'plot_hold', entityId: hold.id,
      before: { plotId: plot.id, plotStatus: 'available' },
      after: { id: hold.id, plotId: plot.id, plotStatus: 'held', applicantName: MATCHED.enterprise, applicantUscc: MATCHED.uscc, heldUntil: addDays(today, 60), sample: true },
    });
    const requirements: DemandRequirements = { sector: 'ngit', areaMuMin: Math.floor(mu * 0.8), areaMuMax: Math.ceil(mu * 1.2), districtCodes: [plot.district_code] };
    await insert({ ...MATCHED, requirements }, { holdId: hold.id, plotId: plot.id, districtCode: plot.district_code });
    n++;
  }
  return n;
}

/**
 * Before the sample plots are regenerated: removes the sample demands (and the holds made for
 * them go with their plots). A real demand matched to a sample plot stops it: resolve it by hand.
 */
export async function removeSampleDemands(trx: Transaction<Database>): Promise<void> {
  const real = await trx
    .selectFrom('land_demands as d')
    .innerJoin('plots as pl', 'pl.id', 'd.plot_id')
    .select('d.id')
    .where('d.sample', '=', false)
    .where('pl.sample', '=', true)
    .executeTakeFirst();
  if (real) throw new Error(`Demand ${real.id} is matched to a sample plot and is not sample data: close it and unlink it by hand before regenerating the sample plots.`);
  await trx.deleteFrom('land_demands').where('sample', '=', true).execute();
}
