/**
 * The living demo (issue #18.3), beyond the sample plots, holds and allocations: park
 * infrastructure subsidies in a few parks and investors' expressions of interest, so the subsidy
 * screens, the park reports and the bureau's interest inbox show figures on first open.
 *
 * Written through the services themselves, as the demo accounts (the industry officer grants, the
 * demo investor registers interest): the same rules as the API (the 20 % share per project and the
 * park's 1亿元 cap, the interest's validation) and the same audit events, so the trail verifies
 * and tells who did what. Marked sample by their names and texts ("（示例数据）"), deterministic
 * (parks and plots follow their codes and ids; amounts are fixed), and written once
 * (app_meta `sample_live`).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../server/kernel/db/schema.ts';
import type { Caller, CallerUser } from '../server/kernel/caller.ts';
import { setMeta } from '../server/kernel/db/meta.ts';
import { createParkProject } from '../server/modules/subsidies/projects.ts';
import { disburseSubsidy, grantSubsidy } from '../server/modules/subsidies/service.ts';
import { createInterest } from '../server/modules/interests/service.ts';
import { sampleUscc } from './sample-allocations.ts';
import type { Role } from '../shared/roles.ts';

const SAMPLE = '（示例数据）';

/** Three parks' projects: [kind, total investment, grants requested] (all within 20 % and 1亿元). */
const SUBSIDY_PLAN = [
  { kind: 'infrastructure', name: '园区道路及管网配套工程', investmentYuan: 180_000_000, grants: [20_000_000, 12_000_000] },
  { kind: 'public_platform', name: '公共技术服务平台建设项目', investmentYuan: 90_000_000, grants: [15_000_000] },
  { kind: 'facilities', name: '人才公寓及配套设施项目', investmentYuan: 120_000_000, grants: [18_000_000, 6_000_000] },
] as const;

const SUBSIDY_PARKS = ['P01', 'P06', 'P09'];

async function callerAs(db: Kysely<Database>, username: string): Promise<Caller | null> {
  const u = await db.selectFrom('users').select(['id', 'username', 'display_name', 'role', 'district_code']).where('username', '=', username).executeTakeFirst();
  if (!u) return null;
  const user: CallerUser = { id: u.id, username: u.username, displayName: u.display_name, role: u.role as Role, districtCode: u.district_code, mustChangePassword: false };
  return { user, requestId: null, ip: '127.0.0.1' };
}

/** Subsidies and interests; null when written before (or when the demo accounts are missing). */
export async function seedSampleLive(db: Kysely<Database>): Promise<{ subsidies: number; interests: number } | null> {
  if (await db.selectFrom('app_meta').select('key').where('key', '=', 'sample_live').executeTakeFirst()) return null;
  const industry = await callerAs(db, 'industry');
  const investor = await callerAs(db, 'investor');
  if (!industry || !investor) return null;

  // Subsidies: three core parks (two in Huangpu, whose demo district officer then sees them), one project each.
  const parks = await db.selectFrom('parks').select(['id', 'code']).where('code', 'in', SUBSIDY_PARKS).orderBy('code').execute();
  let subsidies = 0;
  for (const [i, park] of parks.entries()) {
    const plan = SUBSIDY_PLAN[i]!;
    const project = await createParkProject(db, industry, park.id, { name: `示例${plan.name}${SAMPLE}`, kind: plan.kind, totalInvestmentYuan: plan.investmentYuan });
    for (const [j, requestedYuan] of plan.grants.entries()) {
      const granted = await grantSubsidy(db, industry, { parkId: park.id, projectId: project.body.id, requestedYuan });
      subsidies++;
      // The first grant of each park paid out (拨付), the later ones still granted: both states show.
      if (j === 0) await disburseSubsidy(db, industry, { parkId: park.id, id: granted.body.id });
    }
  }

  // Interests: the demo investor on the 3rd available sample plot of four parks (never the first
  // or last ones, which the demos and browser tests allocate), so the bureau's inbox has some.
  const plots = await db
    .selectFrom((eb) => eb
      .selectFrom('plots as p')
      .innerJoin('parks as pk', 'pk.id', 'p.park_id')
      .select(['p.id', 'p.code', 'pk.code as park_code'])
      .select((e) => e.fn.agg<number>('row_number').over((o) => o.partitionBy('p.park_id').orderBy('p.id')).as('n'))
      .where('p.sample', '=', true).where('p.status', '=', 'available').where('pk.tier', '<>', 'zone')
      .as('a'))
    .select(['a.id', 'a.code'])
    .where('a.n', '=', 3)
    .orderBy('a.park_code')
    .limit(4)
    .execute();
  let interests = 0;
  for (const [i, plot] of plots.entries()) {
    await createInterest(db, investor, {
      plotId: plot.id,
      company: `示例生物科技有限公司${SAMPLE}`,
      uscc: sampleUscc(90 + i),
      contactName: '示例联系人',
      contactEmail: 'investor@example.com',
      message: `示例数据：有意向了解地块 ${plot.code} 的供地条件和时间安排 / sample: interested in this plot's terms and timing`,
    }, { limitPerHour: Number.MAX_SAFE_INTEGER });
    interests++;
  }
  await setMeta(db, 'sample_live', true);
  return { subsidies, interests };
}
