/**
 * Projects of a park's development operator and the supporting-facilities ratio (五(三)13):
 * facilities floor area ≤ 15 % of the total floor area for the park operator's project in a
 * value-innovation park (every park in our table is one: core, equal_policy or recognized);
 * 14 % otherwise — here, a project in the park that is *not* by the park operator
 * (`byParkOperator: false`). The rule and its message are shared/ (`facilitiesRatioCheck`), with
 * the limits from the parameters in force; the database re-checks the limit applied (CHECK).
 *
 * Projects outside every park are not registered here: this system holds no land record for
 * them, and the ordinary 14 % is applied by the ordinary planning approval. The 14 % path of the
 * rule is covered by shared/'s unit tests and by in-park non-operator projects.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import { recordEvent } from '../../kernel/audit.ts';
import { AppError, badRequest, notFound } from '../../kernel/errors.ts';
import { assertCanSeeDistrict } from '../auth/scope.ts';
import type { SessionUser } from '../auth/sessions.ts';
import { facilitiesRatioCheck } from '../../../shared/policy/index.ts';
import { hundredthsToM2, m2ToHundredths } from '../../../shared/units.ts';
import { loadReference } from '../reference/service.ts';
import { idempotent } from '../../kernel/idempotency.ts';
import { policyFailure } from '../quotes/service.ts';
import type { WriteContext } from '../subsidies/service.ts';

type Executor = Kysely<Database> | Transaction<Database>;

export interface OperatorProjectInput {
  operatorName: string;
  projectName: string;
  totalFloorAreaM2: number;
  facilitiesFloorAreaM2: number;
  byParkOperator?: boolean | undefined;
}

async function parkOr404(db: Executor, id: number) {
  const park = await db.selectFrom('parks').select(['id', 'code', 'name_zh', 'name_en', 'district_code', 'tier']).where('id', '=', id).executeTakeFirst();
  if (!park) throw notFound(`Park ${id}`);
  return park;
}

function query(db: Executor) {
  return db
    .selectFrom('park_operator_projects as o')
    .leftJoin('users as u', 'u.id', 'o.created_by')
    .select([
      'o.id', 'o.park_id', 'o.operator_name', 'o.project_name', 'o.by_park_operator', 'o.limit_bp', 'o.reference_version_id', 'o.created_at',
      sql<string>`o.total_floor_area_m2::text`.as('total'),
      sql<string>`o.facilities_floor_area_m2::text`.as('facilities'),
      sql<string>`o.ratio::text`.as('ratio'),
      'u.username as created_by_name',
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof query>['executeTakeFirstOrThrow']>>;

function toView(r: Row) {
  const total = m2ToHundredths(r.total);
  const facilities = m2ToHundredths(r.facilities);
  const max = (total * BigInt(r.limit_bp)) / 10_000n;
  return {
    id: r.id,
    parkId: r.park_id,
    operatorName: r.operator_name,
    projectName: r.project_name,
    byParkOperator: r.by_park_operator,
    totalFloorAreaM2: hundredthsToM2(total),
    facilitiesFloorAreaM2: hundredthsToM2(facilities),
    ratio: Number(r.ratio),
    limit: r.limit_bp / 10_000,
    limitBp: r.limit_bp,
    headroomM2: hundredthsToM2(max - facilities),
    referenceVersionId: r.reference_version_id,
    createdBy: r.created_by_name,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

/**
 * POST /api/parks/:id/operator-projects → 201; 422 FACILITIES_RATIO_EXCEEDED with the ratio, the
 * limit and the largest facilities area allowed, in the message and the body.
 */
export async function registerOperatorProject(db: Kysely<Database>, parkId: number, input: OperatorProjectInput, ctx: WriteContext) {
  const user = ctx.req.user;
  if (!user) throw new AppError(401, 'UNAUTHENTICATED', 'Sign in first (请先登录).');
  const operatorName = input.operatorName.trim();
  const projectName = input.projectName.trim();
  if (!operatorName) throw badRequest('operatorName must not be empty (开发运营主体不能为空).', { field: 'operatorName' });
  if (!projectName) throw badRequest('projectName must not be empty (项目名称不能为空).', { field: 'projectName' });
  const byParkOperator = input.byParkOperator ?? true;
  return idempotent(db, { key: ctx.idempotencyKey, userId: user.id, route: 'POST /api/parks/:id/operator-projects', request: { parkId, ...input } }, 201, async (trx) => {
    const park = await parkOr404(trx, parkId);
    const ref = await loadReference(trx);
    const check = facilitiesRatioCheck({
      facilitiesFloorAreaM2: input.facilitiesFloorAreaM2,
      totalFloorAreaM2: input.totalFloorAreaM2,
      // Every park in the table is a value-innovation park (core, equal_policy or recognized).
      inRecognizedPark: true,
      byParkOperator,
      params: ref.params,
    });
    if (!check.ok) {
      if (check.code === 'VALIDATION_FAILED') throw policyFailure(check);
      throw new AppError(422, 'FACILITIES_RATIO_EXCEEDED', `${check.messageEn} (${check.messageZh})`, {
        ratio: check.ratio,
        limit: check.limit,
        limitBp: check.limitBp,
        maxFacilitiesM2: check.maxFacilitiesM2,
        messageZh: check.messageZh,
        messageEn: check.messageEn,
      });
    }
    const inserted = await trx
      .insertInto('park_operator_projects')
      .values({
        park_id: park.id,
        operator_name: operatorName,
        project_name: projectName,
        by_park_operator: byParkOperator,
        total_floor_area_m2: hundredthsToM2(m2ToHundredths(input.totalFloorAreaM2)).toFixed(2),
        facilities_floor_area_m2: hundredthsToM2(m2ToHundredths(input.facilitiesFloorAreaM2)).toFixed(2),
        limit_bp: check.limitBp,
        reference_version_id: ref.versions.parameters.id,
        created_by: user.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const view = toView(await query(trx).where('o.id', '=', inserted.id).executeTakeFirstOrThrow());
    await recordEvent(trx, { req: ctx.req, action: 'operator_project.register', entity: 'park_operator_project', entityId: inserted.id, after: view });
    return view;
  });
}

/** GET /api/parks/:id/operator-projects: the park's registered projects (district officers: own district). */
export async function listOperatorProjects(db: Kysely<Database>, parkId: number, user: SessionUser | null) {
  const park = await parkOr404(db, parkId);
  assertCanSeeDistrict(user, park.district_code);
  const rows = await query(db).where('o.park_id', '=', parkId).orderBy('o.id', 'desc').execute();
  return { items: rows.map(toView), total: rows.length };
}
