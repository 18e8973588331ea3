/**
 * Park infrastructure subsidies (五(三)13): grant, disburse, withdraw, list — 20 % of a project's
 * total investment per project (cumulative over its grants) and the cumulative cap per park
 * (1亿元), safe under concurrency. Projects are records of their own (../parks/projects.ts).
 *
 * A grant is one transaction (`idempotent` → `inTransaction`, retried on 40001/40P01):
 *
 *   read the park (any tier is eligible) → the parameters in force (share, cap; versioned) →
 *   make sure the park's totals row exists → **lock it** (`SELECT … FOR UPDATE`) → **lock the
 *   project row** → `subsidyGrant` (shared: min(requested, ⌊share × investment⌋ − granted to the
 *   project, cap − granted to the park), in fen, rounded down) → insert the subsidy (the decision
 *   record) → insert the ledger row (+grant; its trigger moves the park's and the project's
 *   cached totals in the same statement) → audit.
 *
 * Concurrent grants on one park (and so on one project) queue on the totals row, then on the
 * project row, so each sees the committed totals of the ones before it. The database backs the
 * rule up: CHECK (granted ≤ cap) on the totals row and CHECK (granted ≤ share × investment) on
 * the project; if code ever let an excess through, the constraint table of kernel/errors.ts
 * turns the violation into the same 409 SUBSIDY_CAP_EXCEEDED — never a 500.
 *
 * Lock order everywhere: the park's totals row, then the project, then the subsidy, then the
 * audit head.
 *
 * Withdrawal: only a `granted` subsidy. It writes the reversing ledger row (−amount), which
 * restores both headrooms (the park's and the project's). A `disbursed` subsidy cannot be withdrawn: the money has been paid, so
 * taking it back is a recovery (追回) handled outside this system — the cap keeps counting it.
 *
 * Queries are in ./repository.ts.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import { recordEvent } from '../../kernel/audit.ts';
import { callerUserId, type Caller, type CallerUser } from '../../kernel/caller.ts';
import { AppError, badRequest, constraintError, notFound, withConstraintErrors } from '../../kernel/errors.ts';
import { assertCanSeeDistrict } from '../auth/scope.ts';
import { fenToYuan, fenToYuanString, parseMoneyField, yuanToFen } from '../../../shared/money.ts';
import { formatMoney } from '../../../shared/units.ts';
import { subsidyGrant, type PolicyParameters } from '../../../shared/policy/index.ts';
import { isIabParkTier } from '../../../shared/domain.ts';
import { loadReference } from '../reference/service.ts';
import { lockParkProject } from './projects.ts';
import { bureauToday, isIsoDate } from '../../kernel/dates.ts';
import { idempotent, type WriteOptions } from '../../kernel/idempotency.ts';
import { policyFailure } from '../quotes/service.ts';
import {
  findSubsidyPark,
  getSubsidy,
  grantedByPark,
  insertLedgerRow,
  insertSubsidy,
  lockSubsidy,
  lockTotals,
  markDisbursed,
  markWithdrawn,
  projectIdOfSubsidy,
  setProjectShare,
  setTotalsCap,
  subsidyRowsOfPark,
  toSubsidyView,
  type SubsidyPark,
} from './repository.ts';

export { findSubsidyPark, grantedByPark, toSubsidyView, type SubsidyPark, type SubsidyView } from './repository.ts';

type Executor = Kysely<Database> | Transaction<Database>;

const both = (en: string, zh: string) => `${en} (${zh})`;
const positive = (fen: bigint) => (fen > 0n ? fen : 0n);

// --- Parks and parameters -----------------------------------------------------------------------

async function parkOr404(db: Executor, id: number): Promise<SubsidyPark> {
  const park = await findSubsidyPark(db, id);
  if (!park) throw notFound(`Park ${id}`);
  return park;
}

/** The subsidy parameters in force today (versioned reference data). */
export async function subsidyParameters(db: Executor): Promise<{ params: PolicyParameters; versionId: number }> {
  const ref = await loadReference(db);
  return { params: ref.params, versionId: ref.versions.parameters.id };
}
/** A park's subsidy figures for display (GET /api/parks/:id, dashboards): cap in force, granted, remaining. */
export async function parkSubsidySummary(db: Executor, parkId: number, params?: PolicyParameters) {
  const p = params ?? (await subsidyParameters(db)).params;
  const granted = (await grantedByPark(db, [parkId])).get(parkId) ?? 0n;
  return summary(p.subsidyParkCapFen, granted);
}

export function summary(capFen: bigint, grantedFen: bigint) {
  return { capYuan: fenToYuan(capFen), grantedYuan: fenToYuan(grantedFen), remainingYuan: fenToYuan(positive(capFen - grantedFen)) };
}

// --- Reading -------------------------------------------------------------------------------------

/**
 * GET /api/parks/:id/subsidies: the park's grants, newest first, with the ledger total, the cap
 * in force and the headroom. Bureau roles see every park; a district officer only the parks of
 * their district (403 elsewhere).
 */
export async function listSubsidies(db: Kysely<Database>, parkId: number, user: CallerUser | null) {
  const park = await parkOr404(db, parkId);
  assertCanSeeDistrict(user, park.districtCode);
  const { params } = await subsidyParameters(db);
  const rows = await subsidyRowsOfPark(db, parkId);
  const granted = (await grantedByPark(db, [parkId])).get(parkId) ?? 0n;
  const items = rows.map(toSubsidyView);
  const disbursed = rows.filter((r) => r.status === 'disbursed').reduce((sum, r) => sum + yuanToFen(r.granted_yuan), 0n);
  return {
    park: { id: park.id, code: park.code, nameZh: park.nameZh, nameEn: park.nameEn, districtCode: park.districtCode, tier: park.tier },
    items,
    ...summary(params.subsidyParkCapFen, granted),
    disbursedYuan: fenToYuan(disbursed),
    shareBp: params.subsidyShareBp,
  };
}

// --- Writing --------------------------------------------------------------------------------------

/** The database's refusal of an excess (CHECK granted ≤ cap, ≤ share × investment) as the API's 409 — never a 500. */
export function mapSubsidyDbError(err: unknown): unknown {
  return constraintError(err) ?? err;
}

export interface GrantInput {
  projectId: number;
  requestedYuan: number;
}

function capExceeded(en: string, zh: string, figures: Record<string, unknown>) {
  return new AppError(409, 'SUBSIDY_CAP_EXCEEDED', both(en, zh), { ...figures, messageZh: zh, messageEn: en });
}

/**
 * POST /api/parks/:id/subsidies `{ projectId, requestedYuan }` → 201 with the grant and the
 * park's and the project's figures after it; 404 when the project is not this park's;
 * 409 SUBSIDY_CAP_EXCEEDED when the park has no headroom, when the project has had its 20 %, or
 * when the grant would round to 0 (the share of a tiny investment), with the headroom in the
 * message and body.
 */
export async function grantSubsidy(db: Kysely<Database>, caller: Caller, { parkId, ...input }: GrantInput & { parkId: number }, opts: WriteOptions = {}) {
  const userId = callerUserId(caller);
  const requested = parseMoneyField('requestedYuan', { zh: '申请补助金额', en: 'Requested amount' }, input.requestedYuan, 'positive');
  if (!requested.ok) throw policyFailure(requested);

  return withConstraintErrors(() =>
    idempotent(db, { key: opts.idempotencyKey, userId, route: 'POST /api/parks/:id/subsidies', request: { parkId, ...input } }, 201, async (trx) => {
      const park = await parkOr404(trx, parkId);
      const { params, versionId } = await subsidyParameters(trx);
      const cap = params.subsidyParkCapFen;
      const totals = await lockTotals(trx, parkId, cap);
      const project = await lockParkProject(trx, parkId, input.projectId);
      const decision = subsidyGrant({
        requestedFen: requested.fen,
        totalInvestmentFen: project.investmentFen,
        parkGrantedFen: totals.grantedFen,
        projectGrantedFen: project.grantedFen,
        // A generated zone (tier `zone`) is not an IAB park: not eligible.
        parkTier: isIabParkTier(park.tier) ? park.tier : null,
        params,
      });
      const figures = {
        capYuan: fenToYuan(cap),
        parkGrantedYuan: fenToYuan(totals.grantedFen),
        remainingYuan: fenToYuan(positive(cap - totals.grantedFen)),
        requestedYuan: fenToYuan(requested.fen),
        projectId: project.id,
        projectGrantedYuan: fenToYuan(project.grantedFen),
      };
      if (!decision.ok) {
        if (decision.code === 'VALIDATION_FAILED') throw policyFailure(decision);
        if (decision.code === 'SUBSIDY_NOT_ELIGIBLE') {
          throw new AppError(409, 'CONFLICT', both(decision.messageEn, decision.messageZh), { reason: 'SUBSIDY_NOT_ELIGIBLE', ...figures });
        }
        if (decision.exhausted === 'project_share') {
          throw capExceeded(
            `${decision.messageEn}; the project’s remaining headroom is ${formatMoney(0n, 'en')}, so nothing more can be granted to “${project.name}”`,
            `${decision.messageZh}；项目剩余额度 ${formatMoney(0n, 'zh-CN')}，“${project.name}”不能再获补助`,
            { ...figures, reason: 'PROJECT_SHARE_EXHAUSTED', projectRemainingYuan: 0 },
          );
        }
        throw capExceeded(
          `${decision.messageEn}; remaining headroom ${formatMoney(0n, 'en')}, so nothing more can be granted to ${park.nameEn}`,
          `${decision.messageZh}；剩余额度 ${formatMoney(0n, 'zh-CN')}，${park.nameZh}不能再获补助`,
          figures,
        );
      }
      if (decision.grantedFen <= 0n) {
        const share = `${params.subsidyShareBp / 100}%`;
        throw capExceeded(
          `${share} of the total investment ${formatMoney(project.investmentFen, 'en')} is ${formatMoney(decision.investmentShareFen, 'en')} rounded down to the fen, so nothing can be granted; the park’s remaining headroom is ${formatMoney(decision.parkHeadroomFen, 'en')}`,
          `项目总投资 ${formatMoney(project.investmentFen, 'zh-CN')} 的 ${share} 向下取整到分为 ${formatMoney(decision.investmentShareFen, 'zh-CN')}，无可补助金额；园区剩余额度 ${formatMoney(decision.parkHeadroomFen, 'zh-CN')}`,
          { ...figures, investmentShareYuan: fenToYuan(decision.investmentShareFen), reason: 'GRANT_ROUNDS_TO_ZERO' },
        );
      }
      // The cap snapshot follows the parameter in force (granted + this grant ≤ it, by the rule).
      if (totals.capFen !== cap) {
        await setTotalsCap(trx, parkId, cap);
      }
      // Likewise the project's share snapshot (project granted + this grant ≤ ⌊share × investment⌋).
      if (project.shareBp !== params.subsidyShareBp) {
        await setProjectShare(trx, project.id, params.subsidyShareBp);
      }
      const subsidyId = await insertSubsidy(trx, {
      park_id: parkId,
      project_id: project.id,
      requested_yuan: fenToYuanString(requested.fen),
      granted_yuan: fenToYuanString(decision.grantedFen),
      share_bp: params.subsidyShareBp,
      investment_share_yuan: fenToYuanString(decision.investmentShareFen),
      cap_yuan: fenToYuanString(cap),
      park_granted_before_yuan: fenToYuanString(totals.grantedFen),
      project_granted_before_yuan: fenToYuanString(project.grantedFen),
      limited_by: decision.limitedBy,
      reference_version_id: versionId,
      created_by: userId,
      });
      await insertLedgerRow(trx, { parkId, subsidyId, kind: 'grant', amountFen: decision.grantedFen, userId });
      const view = await getSubsidy(trx, subsidyId);
      const after = totals.grantedFen + decision.grantedFen;
      await recordEvent(trx, {
        caller,
        action: 'subsidy.grant',
        entity: 'subsidy',
        entityId: subsidyId,
        before: { parkId, parkGrantedYuan: fenToYuan(totals.grantedFen), projectId: project.id, projectGrantedYuan: fenToYuan(project.grantedFen) },
        after: { ...view, parkGrantedYuan: fenToYuan(after), projectGrantedYuan: fenToYuan(project.grantedFen + decision.grantedFen) },
      });
      return {
        ...view,
        parkGrantedYuan: fenToYuan(after),
        parkRemainingYuan: fenToYuan(positive(cap - after)),
        projectGrantedYuan: fenToYuan(project.grantedFen + decision.grantedFen),
        projectRemainingYuan: fenToYuan(decision.projectRemainingAfterFen),
        capYuan: fenToYuan(cap),
        limitedBy: decision.limitedBy,
        messageZh: decision.messageZh,
        messageEn: decision.messageEn,
      };
    }),
  );
}

function wrongStatus(id: number, status: string, action: string, why: string) {
  return new AppError(409, 'CONFLICT', `Subsidy ${id} is ${status}; only a granted subsidy can be ${action}. ${why}`, { reason: 'INVALID_STATUS', status, allowed: ['granted'] });
}

/**
 * POST /api/parks/:id/subsidies/:sid/withdraw: granted → withdrawn, with a reversing ledger row
 * (−amount) that restores the park's headroom. A disbursed or withdrawn subsidy → 409.
 */
export async function withdrawSubsidy(db: Kysely<Database>, caller: Caller, input: { parkId: number; id: number; reason: string }, opts: WriteOptions = {}) {
  const { parkId, id } = input;
  const userId = callerUserId(caller);
  const reason = input.reason.trim();
  if (!reason) throw badRequest('reason must say why the grant is withdrawn (撤销原因不能为空).', { field: 'reason' });
  return withConstraintErrors(() =>
    idempotent(db, { key: opts.idempotencyKey, userId, route: 'POST /api/parks/:id/subsidies/:sid/withdraw', request: { parkId, id, reason } }, 200, async (trx) => {
      await parkOr404(trx, parkId);
      const { params } = await subsidyParameters(trx);
      const cap = params.subsidyParkCapFen;
      const totals = await lockTotals(trx, parkId, cap);
      // The project (immutable on the subsidy) is locked before the subsidy: the grant's order.
      const projectId = await projectIdOfSubsidy(trx, parkId, id);
      if (projectId === undefined) throw notFound(`Subsidy ${id} of park ${parkId}`);
      const project = await lockParkProject(trx, parkId, projectId);
      const s = await lockSubsidy(trx, parkId, id);
      if (s.status !== 'granted') {
        throw wrongStatus(id, s.status, 'withdrawn', s.status === 'disbursed'
          ? 'Disbursed money is recovered outside this system; the cap keeps counting it (已拨付的补助不能撤销，须另行追回).'
          : 'It has already been withdrawn (已撤销).');
      }
      const amount = yuanToFen(s.granted);
      await markWithdrawn(trx, id, userId, reason);
      await insertLedgerRow(trx, { parkId, subsidyId: id, kind: 'withdrawal', amountFen: -amount, userId });
      const view = await getSubsidy(trx, id);
      const after = totals.grantedFen - amount;
      await recordEvent(trx, {
        caller,
        action: 'subsidy.withdraw',
        entity: 'subsidy',
        entityId: id,
        before: { status: 'granted', parkGrantedYuan: fenToYuan(totals.grantedFen), projectGrantedYuan: fenToYuan(project.grantedFen) },
        after: { status: 'withdrawn', reason, parkGrantedYuan: fenToYuan(after), projectGrantedYuan: fenToYuan(project.grantedFen - amount) },
      });
      return {
        ...view,
        parkGrantedYuan: fenToYuan(after),
        parkRemainingYuan: fenToYuan(positive(cap - after)),
        capYuan: fenToYuan(cap),
        projectGrantedYuan: fenToYuan(project.grantedFen - amount),
      };
    }),
  );
}

/** POST /api/parks/:id/subsidies/:sid/disburse: granted → disbursed on a date (default today). */
export async function disburseSubsidy(db: Kysely<Database>, caller: Caller, input: { parkId: number; id: number; disbursedOn?: string | undefined }, opts: WriteOptions = {}) {
  const { parkId, id } = input;
  const userId = callerUserId(caller);
  const today = bureauToday();
  const on = input.disbursedOn ?? today;
  if (!isIsoDate(on)) throw badRequest(`disbursedOn must be a date YYYY-MM-DD, got "${on}".`, { field: 'disbursedOn' });
  if (on > today) throw badRequest(`disbursedOn ${on} is in the future; record a disbursement once it is paid (拨付日期不能晚于今天 ${today}).`, { field: 'disbursedOn' });
  return idempotent(db, { key: opts.idempotencyKey, userId, route: 'POST /api/parks/:id/subsidies/:sid/disburse', request: { parkId, id, on } }, 200, async (trx) => {
    await parkOr404(trx, parkId);
    const s = await lockSubsidy(trx, parkId, id);
    if (s.status !== 'granted') throw wrongStatus(id, s.status, 'disbursed', s.status === 'disbursed' ? 'It has already been disbursed (已拨付).' : 'It was withdrawn (已撤销).');
    if (on < s.grantedOn) throw badRequest(`disbursedOn ${on} is before the grant (${s.grantedOn}) (拨付日期不能早于补助决定日期).`, { field: 'disbursedOn' });
    await markDisbursed(trx, id, userId, on);
    const view = await getSubsidy(trx, id);
    const { params } = await subsidyParameters(trx);
    const granted = (await grantedByPark(trx, [parkId])).get(parkId) ?? 0n;
    await recordEvent(trx, { caller, action: 'subsidy.disburse', entity: 'subsidy', entityId: id, before: { status: 'granted' }, after: { status: 'disbursed', disbursedOn: on } });
    return { ...view, parkGrantedYuan: fenToYuan(granted), parkRemainingYuan: fenToYuan(positive(params.subsidyParkCapFen - granted)), capYuan: fenToYuan(params.subsidyParkCapFen) };
  });
}


