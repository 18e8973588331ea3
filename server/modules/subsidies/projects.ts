/**
 * Park projects (五(三)13): the public service platforms, supporting infrastructure and
 * facilities projects of a value-innovation park that infrastructure subsidies are granted to.
 * The 20 % is per project ("按总投资额的20%"), cumulative over its grants; the 1亿 per park.
 *
 * A project is recorded once with its total investment (fixed afterwards: grants are decided on
 * it — the database refuses a change). Its net granted total (`granted_yuan`) moves only with the
 * subsidy ledger, in the same statement as the park's (migration 011).
 *
 * These are not the development operator's projects of ./operator-projects.ts (floor areas and
 * the 15 %/14 % facilities ratio): those are planning records, these are subsidy records.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, SubsidyKind } from '../../kernel/db/schema.ts';
import { recordEvent } from '../../kernel/audit.ts';
import { badRequest, notFound } from '../../kernel/errors.ts';
import { assertCanSeeDistrict } from '../auth/scope.ts';
import type { SessionUser } from '../auth/sessions.ts';
import { fenToYuan, fenToYuanString, mulRatioFloor, parseMoneyField, ratioFromBp, yuanToFen } from '../../../shared/money.ts';
import type { PolicyParameters } from '../../../shared/policy/index.ts';
import { idempotent } from '../../kernel/idempotency.ts';
import { policyFailure } from '../quotes/service.ts';
import { findSubsidyPark, grantedByPark, subsidyParameters, summary } from './service.ts';
import { callerUserId, type Caller } from '../../kernel/caller.ts';
import type { WriteOptions } from '../../kernel/idempotency.ts';

type Executor = Kysely<Database> | Transaction<Database>;

const positive = (fen: bigint) => (fen > 0n ? fen : 0n);

function projectQuery(db: Executor) {
  return db
    .selectFrom('park_projects as pp')
    .leftJoin('users as u', 'u.id', 'pp.created_by')
    .select([
      'pp.id', 'pp.park_id', 'pp.name', 'pp.kind', 'pp.created_at',
      sql<string>`pp.total_investment_yuan::text`.as('investment'),
      sql<string>`pp.granted_yuan::text`.as('granted'),
      sql<number>`(select count(*) from subsidies s where s.project_id = pp.id and s.status <> 'withdrawn')::int`.as('live_grants'),
      'u.username as created_by_name',
    ]);
}

type ProjectRow = Awaited<ReturnType<ReturnType<typeof projectQuery>['executeTakeFirstOrThrow']>>;

/** ⌊share × investment⌋ in fen: the project's whole 20 % under the parameters in force. */
export function projectShareFen(investmentFen: bigint, params: PolicyParameters): bigint {
  return mulRatioFloor(investmentFen, ratioFromBp(params.subsidyShareBp));
}

/**
 * A project with its 20 % under the share in force, what it has been granted (net) and the
 * headroom left: `remainingYuan` = 20 % − granted (the project's own), `availableYuan` = the
 * most a grant could be now, also bounded by the park's headroom.
 */
export function toProjectView(r: ProjectRow, params: PolicyParameters, parkHeadroomFen: bigint) {
  const investment = yuanToFen(r.investment);
  const granted = yuanToFen(r.granted);
  const share = projectShareFen(investment, params);
  const remaining = positive(share - granted);
  return {
    id: r.id,
    parkId: r.park_id,
    name: r.name,
    kind: r.kind as SubsidyKind,
    totalInvestmentYuan: fenToYuan(investment),
    shareBp: params.subsidyShareBp,
    shareYuan: fenToYuan(share),
    grantedYuan: fenToYuan(granted),
    remainingYuan: fenToYuan(remaining),
    availableYuan: fenToYuan(remaining < parkHeadroomFen ? remaining : positive(parkHeadroomFen)),
    grants: r.live_grants,
    createdBy: r.created_by_name,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

export type ParkProjectView = ReturnType<typeof toProjectView>;

async function parkHeadroom(db: Executor, parkId: number, params: PolicyParameters) {
  const granted = (await grantedByPark(db, [parkId])).get(parkId) ?? 0n;
  return { granted, headroom: positive(params.subsidyParkCapFen - granted) };
}

/** GET /api/parks/:id/projects: the park's projects (newest first) with each one's 20 % headroom, and the park's figures. */
export async function listParkProjects(db: Kysely<Database>, parkId: number, user: SessionUser | null) {
  const park = await findSubsidyPark(db, parkId);
  if (!park) throw notFound(`Park ${parkId}`);
  assertCanSeeDistrict(user, park.districtCode);
  const { params } = await subsidyParameters(db);
  const { granted, headroom } = await parkHeadroom(db, parkId, params);
  const rows = await projectQuery(db).where('pp.park_id', '=', parkId).orderBy('pp.id', 'desc').execute();
  return {
    items: rows.map((r) => toProjectView(r, params, headroom)),
    ...summary(params.subsidyParkCapFen, granted),
    shareBp: params.subsidyShareBp,
  };
}

export interface ProjectInput {
  name: string;
  kind: SubsidyKind;
  totalInvestmentYuan: number;
}

/** POST /api/parks/:id/projects → 201 with the project (nothing granted yet). */
export async function createParkProject(db: Kysely<Database>, caller: Caller, parkId: number, input: ProjectInput, opts: WriteOptions = {}) {
  const userId = callerUserId(caller);
  const name = input.name.trim();
  if (!name) throw badRequest('name must not be empty (项目名称不能为空).', { field: 'name', messageZh: '项目名称不能为空', messageEn: 'name must not be empty' });
  const investment = parseMoneyField('totalInvestmentYuan', { zh: '项目总投资', en: 'Total investment' }, input.totalInvestmentYuan, 'positive');
  if (!investment.ok) throw policyFailure(investment);
  return idempotent(db, { key: opts.idempotencyKey, userId, route: 'POST /api/parks/:id/projects', request: { parkId, ...input } }, 201, async (trx) => {
    const park = await findSubsidyPark(trx, parkId);
    if (!park) throw notFound(`Park ${parkId}`);
    const { params } = await subsidyParameters(trx);
    const inserted = await trx
      .insertInto('park_projects')
      .values({ park_id: parkId, name, kind: input.kind, total_investment_yuan: fenToYuanString(investment.fen), share_bp: params.subsidyShareBp, created_by: userId })
      .returning('id')
      .executeTakeFirstOrThrow();
    const { headroom } = await parkHeadroom(trx, parkId, params);
    const view = toProjectView(await projectQuery(trx).where('pp.id', '=', inserted.id).executeTakeFirstOrThrow(), params, headroom);
    await recordEvent(trx, { caller, action: 'park_project.create', entity: 'park_project', entityId: inserted.id, after: view });
    return view;
  });
}

/**
 * Locks a project of this park (`SELECT … FOR UPDATE`, after the park's totals row); 404 when it
 * is not this park's. Returns its investment and net granted (fen).
 */
export async function lockParkProject(trx: Transaction<Database>, parkId: number, projectId: number) {
  const r = await trx
    .selectFrom('park_projects')
    .select(['id', 'name', 'kind', 'share_bp', sql<string>`total_investment_yuan::text`.as('investment'), sql<string>`granted_yuan::text`.as('granted')])
    .where('id', '=', projectId)
    .where('park_id', '=', parkId)
    .forUpdate()
    .executeTakeFirst();
  if (!r) throw notFound(`Project ${projectId} of park ${parkId}`);
  return { id: r.id, name: r.name, kind: r.kind as SubsidyKind, shareBp: r.share_bp, investmentFen: yuanToFen(r.investment), grantedFen: yuanToFen(r.granted) };
}
