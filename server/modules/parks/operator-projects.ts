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
import type { Kysely } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import type { Caller } from '../../kernel/caller.ts';
import { recordEvent } from '../../kernel/audit.ts';
import { AppError, badRequest, notFound } from '../../kernel/errors.ts';
import { idempotent } from '../../kernel/idempotency.ts';
import { assertCanSeeDistrict } from '../auth/scope.ts';
import { facilitiesRatioCheck } from '../../../shared/policy/index.ts';
import { isIabParkTier } from '../../../shared/domain.ts';
import { hundredthsToM2, m2ToHundredths } from '../../../shared/units.ts';
import { loadReference } from '../reference/service.ts';
import { policyFailure } from '../quotes/service.ts';
import { findOperatorProject, findParkHeader, insertOperatorProject, listOperatorProjectsOf } from './repository.ts';

export interface OperatorProjectInput {
  operatorName: string;
  projectName: string;
  totalFloorAreaM2: number;
  facilitiesFloorAreaM2: number;
  byParkOperator?: boolean | undefined;
}

async function parkOr404(db: Parameters<typeof findParkHeader>[0], id: number) {
  const park = await findParkHeader(db, id);
  if (!park) throw notFound(`Park ${id}`);
  return park;
}

/**
 * POST /api/parks/:id/operator-projects → 201; 422 FACILITIES_RATIO_EXCEEDED with the ratio, the
 * limit and the largest facilities area allowed, in the message and the body.
 */
export async function registerOperatorProject(db: Kysely<Database>, caller: Caller, parkId: number, input: OperatorProjectInput, idempotencyKey?: string) {
  const user = caller.user;
  if (!user) throw new AppError(401, 'UNAUTHENTICATED', 'Sign in first (请先登录).');
  const operatorName = input.operatorName.trim();
  const projectName = input.projectName.trim();
  if (!operatorName) throw badRequest('operatorName must not be empty (开发运营主体不能为空).', { field: 'operatorName' });
  if (!projectName) throw badRequest('projectName must not be empty (项目名称不能为空).', { field: 'projectName' });
  const byParkOperator = input.byParkOperator ?? true;
  return idempotent(db, { key: idempotencyKey, userId: user.id, route: 'POST /api/parks/:id/operator-projects', request: { parkId, ...input } }, 201, async (trx) => {
    const park = await parkOr404(trx, parkId);
    const ref = await loadReference(trx);
    const check = facilitiesRatioCheck({
      facilitiesFloorAreaM2: input.facilitiesFloorAreaM2,
      totalFloorAreaM2: input.totalFloorAreaM2,
      // Every park in the table is a value-innovation park (core, equal_policy or recognized),
      // except the generated sample zones (tier `zone`, issue #17).
      inRecognizedPark: isIabParkTier(park.tier),
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
    const id = await insertOperatorProject(trx, {
      parkId: park.id,
      operatorName,
      projectName,
      byParkOperator,
      totalFloorAreaM2: hundredthsToM2(m2ToHundredths(input.totalFloorAreaM2)).toFixed(2),
      facilitiesFloorAreaM2: hundredthsToM2(m2ToHundredths(input.facilitiesFloorAreaM2)).toFixed(2),
      limitBp: check.limitBp,
      referenceVersionId: ref.versions.parameters.id,
      createdBy: user.id,
    });
    const view = await findOperatorProject(trx, id);
    await recordEvent(trx, { caller, action: 'operator_project.register', entity: 'park_operator_project', entityId: id, after: view });
    return view;
  });
}

/** GET /api/parks/:id/operator-projects: the park's registered projects (district officers: own district). */
export async function listOperatorProjects(db: Kysely<Database>, caller: Caller, parkId: number) {
  const park = await parkOr404(db, parkId);
  assertCanSeeDistrict(caller.user, park.district_code);
  const items = await listOperatorProjectsOf(db, parkId);
  return { items, total: items.length };
}
