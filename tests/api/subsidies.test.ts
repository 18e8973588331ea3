/**
 * Park infrastructure subsidies over HTTP (五(三)13; API.md fixed points): park projects as
 * records, the grant arithmetic min(requested, 20 % × the project's investment − granted to the
 * project, cap − granted to the park) rounded down to the fen, which limit binds,
 * 409 SUBSIDY_CAP_EXCEEDED with the headroom, disbursement, withdrawal restoring the headroom by a
 * reversing ledger entry, the ledger = cached totals invariant (also held by the database), the
 * versioned cap, Idempotency-Key replays, and role/district scoping. Each test uses its own park.
 * Expected figures are worked out by hand in the comments.
 */
import { beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeOnDatabases } from './context.ts';
import { call, login, type Session } from './login.ts';
import { expectLedgerHonest, expectProjectsHonest, parkIds } from './subsidy-helpers.ts';
import { can } from '../../shared/roles.ts';
import { mapSubsidyDbError } from '../../server/modules/subsidies/service.ts';
import { AppError } from '../../server/kernel/errors.ts';
import { bureauToday } from '../../shared/dates.ts';


describeOnDatabases('park subsidies', (get) => {
  let industry: Session;
  let ids: Record<string, number>;
  const app = () => get().app;
  const post = (url: string, body?: unknown, s: Session | null = industry, headers: Record<string, string> = {}) => call(app(), s, 'POST', url, body, headers);
  const list = (parkId: number, s: Session | null = industry) => call(app(), s, 'GET', `/api/parks/${parkId}/subsidies`);
  const projects = (parkId: number, s: Session | null = industry) => call(app(), s, 'GET', `/api/parks/${parkId}/projects`);
  /** Records a project of the park (201 expected) and returns its id. */
  const project = async (parkId: number, name: string, totalInvestmentYuan: number, kind = 'infrastructure') => {
    const r = await post(`/api/parks/${parkId}/projects`, { name, kind, totalInvestmentYuan });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.id as number;
  };
  /** A grant body for a new project of the park: records the project, then asks for `requestedYuan`. */
  const grant = async (parkId: number, name: string, totalInvestmentYuan: number, requestedYuan: number, kind = 'infrastructure') =>
    ({ projectId: await project(parkId, name, totalInvestmentYuan, kind), requestedYuan });

  beforeAll(async () => {
    industry = await login(app(), 'industry');
    ids = await parkIds(app());
  });

  it('grants 20 % of the investment rounded down to the fen when that binds (limitedBy investment_share)', async () => {
    const park = ids.P01!;
    // 20 % × 12,345,678.91 = 2,469,135.782 → rounded DOWN to the fen: 2,469,135.78.
    // Remaining: 100,000,000 − 2,469,135.78 = 97,530,864.22.
    const r = await post(`/api/parks/${park}/subsidies`, await grant(park, '琶洲公共算力平台', 12_345_678.91, 3_000_000, 'public_platform'));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({
      parkId: park,
      status: 'granted',
      kind: 'public_platform',
      totalInvestmentYuan: 12_345_678.91,
      requestedYuan: 3_000_000,
      grantedYuan: 2_469_135.78,
      parkGrantedYuan: 2_469_135.78,
      parkRemainingYuan: 97_530_864.22,
      capYuan: 100_000_000,
      limitedBy: 'investment_share',
      decision: { shareBp: 2000, investmentShareYuan: 2_469_135.78, capYuan: 100_000_000, parkGrantedBeforeYuan: 0, parkHeadroomBeforeYuan: 100_000_000, limitedBy: 'investment_share' },
      createdBy: 'industry',
      projectName: '琶洲公共算力平台',
      projectGrantedYuan: 2_469_135.78,
      projectRemainingYuan: 0,
    });
    expect(r.body.decision).toMatchObject({ projectGrantedBeforeYuan: 0, projectHeadroomBeforeYuan: 2_469_135.78 });
    expect(r.body.messageEn).toMatch(/20% of total investment/);

    // Requested below the share: 20 % × 10,000,000 = 2,000,000 > 1,000,000.01 → as requested.
    // Park total: 2,469,135.78 + 1,000,000.01 = 3,469,135.79; remaining 96,530,864.21.
    const r2 = await post(`/api/parks/${park}/subsidies`, await grant(park, '配套道路', 10_000_000, 1_000_000.01));
    expect(r2.status).toBe(201);
    expect(r2.body).toMatchObject({ grantedYuan: 1_000_000.01, limitedBy: 'requested', parkGrantedYuan: 3_469_135.79, parkRemainingYuan: 96_530_864.21 });
    expect(r2.body.decision.parkGrantedBeforeYuan).toBe(2_469_135.78);

    // A tie (requested = 20 % share) names "requested": 20 % × 5,000,000 = 1,000,000.
    const tie = await post(`/api/parks/${park}/subsidies`, await grant(park, '孵化器', 5_000_000, 1_000_000));
    expect(tie.body).toMatchObject({ grantedYuan: 1_000_000, limitedBy: 'requested' });

    // The list: newest first, the ledger total, the cap and the headroom (API.md).
    const l = await list(park);
    expect(l.status).toBe(200);
    expect(l.body).toMatchObject({ grantedYuan: 4_469_135.79, capYuan: 100_000_000, remainingYuan: 95_530_864.21, disbursedYuan: 0, shareBp: 2000 });
    expect(l.body.items.map((i: { id: number }) => i.id)).toEqual([tie.body.id, r2.body.id, r.body.id]);
    expect(l.body.items[2]).toMatchObject({ id: r.body.id, status: 'granted', grantedYuan: 2_469_135.78 });
    // GET /api/parks/:id shows the same figures (no longer placeholders).
    const detail = await call(app(), null, 'GET', `/api/parks/${park}`);
    expect(detail.body.properties.figures).toMatchObject({ subsidyCapYuan: 100_000_000, subsidyGrantedYuan: 4_469_135.79 });
    await expectLedgerHonest(app());
  });

  it('limits by the park’s remaining cap, then refuses with 409 SUBSIDY_CAP_EXCEEDED naming the headroom', async () => {
    const park = ids.P02!;
    // 20 % × 500,000,000 = 100,000,000 ≥ 99,999,999.99 requested → as requested; headroom 0.01.
    const big = await post(`/api/parks/${park}/subsidies`, await grant(park, '新型显示公共技术平台', 500_000_000, 99_999_999.99));
    expect(big.body).toMatchObject({ grantedYuan: 99_999_999.99, limitedBy: 'requested', parkRemainingYuan: 0.01 });
    // Requested 5, share 20 % × 100 = 20, headroom 0.01 → 0.01 (park_cap); remaining 0.
    const last = await post(`/api/parks/${park}/subsidies`, await grant(park, '路灯', 100, 5));
    expect(last.status).toBe(201);
    expect(last.body).toMatchObject({ grantedYuan: 0.01, limitedBy: 'park_cap', parkGrantedYuan: 100_000_000, parkRemainingYuan: 0 });
    // Nothing left: 409 with the figures in the message and the body.
    const refused = await post(`/api/parks/${park}/subsidies`, await grant(park, '再一项', 1_000_000, 10_000));
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ statusCode: 409, error: 'Conflict', code: 'SUBSIDY_CAP_EXCEEDED', capYuan: 100_000_000, parkGrantedYuan: 100_000_000, remainingYuan: 0 });
    expect(refused.body.message).toMatch(/cumulative cap of ¥100,000,000\.00/);
    expect(refused.body.message).toMatch(/remaining headroom ¥0\.00/);
    expect(refused.body.message).toMatch(/剩余额度 0\.00 元/);
    const l = await list(park);
    expect(l.body).toMatchObject({ grantedYuan: 100_000_000, remainingYuan: 0 });
    expect(l.body.items).toHaveLength(2);
    await expectLedgerHonest(app());
  });

  it('refuses a grant that rounds down to 0 (a tiny investment) with 409 and the park’s headroom, and grants one fen when it rounds to one', async () => {
    const park = ids.P04!;
    // 20 % × 0.04 = 0.008 → 0.00: nothing can be granted.
    const zero = await post(`/api/parks/${park}/subsidies`, await grant(park, '零星工程', 0.04, 0.04));
    expect(zero.status).toBe(409);
    expect(zero.body).toMatchObject({ code: 'SUBSIDY_CAP_EXCEEDED', reason: 'GRANT_ROUNDS_TO_ZERO', investmentShareYuan: 0, remainingYuan: 100_000_000 });
    expect(zero.body.message).toMatch(/remaining headroom is ¥100,000,000\.00/);
    // 20 % × 0.05 = 0.01 exactly.
    const fen = await post(`/api/parks/${park}/subsidies`, await grant(park, '零星工程', 0.05, 0.05));
    expect(fen.status).toBe(201);
    expect(fen.body).toMatchObject({ grantedYuan: 0.01, limitedBy: 'investment_share' });
    // 20 % × 0.09 = 0.018 → 0.01 (down, never up).
    const down = await post(`/api/parks/${park}/subsidies`, await grant(park, '零星工程', 0.09, 1));
    expect(down.body.grantedYuan).toBe(0.01);
    expect((await app().db.selectFrom('subsidies').select('id').where('park_id', '=', park).execute()).length).toBe(2);
  });

  it('withdraws a granted subsidy with a reversing ledger entry that restores the headroom; disbursed is final', async () => {
    const park = ids.P05!;
    // Fill to 99,000,000 (20 % × 495,000,000 = 99,000,000).
    const a = await post(`/api/parks/${park}/subsidies`, await grant(park, '南沙人工智能算力中心', 495_000_000, 99_000_000));
    expect(a.body).toMatchObject({ grantedYuan: 99_000_000, parkRemainingYuan: 1_000_000 });
    // 3,000,000 requested, 20 % × 20,000,000 = 4,000,000, headroom 1,000,000 → 1,000,000 (park_cap).
    const b = await post(`/api/parks/${park}/subsidies`, await grant(park, '配套管网', 20_000_000, 3_000_000));
    expect(b.body).toMatchObject({ grantedYuan: 1_000_000, limitedBy: 'park_cap', parkRemainingYuan: 0 });
    expect((await post(`/api/parks/${park}/subsidies`, await grant(park, '再一项', 20_000_000, 3_000_000))).status).toBe(409);

    // A reason is required.
    expect((await post(`/api/parks/${park}/subsidies/${b.body.id}/withdraw`, {})).status).toBe(400);
    const w = await post(`/api/parks/${park}/subsidies/${b.body.id}/withdraw`, { reason: '项目终止' });
    expect(w.status, JSON.stringify(w.body)).toBe(200);
    expect(w.body).toMatchObject({ id: b.body.id, status: 'withdrawn', grantedYuan: 1_000_000, withdrawReason: '项目终止', withdrawnBy: 'industry', parkGrantedYuan: 99_000_000, parkRemainingYuan: 1_000_000 });
    const ledger = await app().db.selectFrom('subsidy_ledger').select(['kind', sql<string>`amount_yuan::text`.as('amount')]).where('subsidy_id', '=', b.body.id).orderBy('id').execute();
    expect(ledger).toEqual([{ kind: 'grant', amount: '1000000.00' }, { kind: 'withdrawal', amount: '-1000000.00' }]);
    // Both headrooms are back. On the same project: 2,000,000 requested, the project's 20 % is
    // 4,000,000 with 0 granted net, the park's headroom 1,000,000 → 1,000,000 (park_cap).
    expect(w.body.projectGrantedYuan).toBe(0);
    const again = await post(`/api/parks/${park}/subsidies`, { projectId: b.body.projectId, requestedYuan: 2_000_000 });
    expect(again.body).toMatchObject({ projectId: b.body.projectId, grantedYuan: 1_000_000, limitedBy: 'park_cap', parkRemainingYuan: 0, projectGrantedYuan: 1_000_000, projectRemainingYuan: 3_000_000 });
    expect(again.body.decision).toMatchObject({ projectGrantedBeforeYuan: 0 });
    const pl = await projects(park);
    expect(pl.body.items.find((i: { id: number }) => i.id === b.body.projectId)).toMatchObject({ grantedYuan: 1_000_000, shareYuan: 4_000_000, remainingYuan: 3_000_000, availableYuan: 0, grants: 1 });
    // Withdrawn twice → 409.
    const twice = await post(`/api/parks/${park}/subsidies/${b.body.id}/withdraw`, { reason: 'again' });
    expect(twice.status).toBe(409);
    expect(twice.body).toMatchObject({ code: 'CONFLICT', reason: 'INVALID_STATUS', status: 'withdrawn' });

    // Disburse: granted → disbursed (default today); then neither withdrawable nor disbursable again.
    const d = await post(`/api/parks/${park}/subsidies/${a.body.id}/disburse`, {});
    expect(d.status, JSON.stringify(d.body)).toBe(200);
    expect(d.body).toMatchObject({ status: 'disbursed', disbursedBy: 'industry', parkGrantedYuan: 100_000_000 });
    expect(d.body.disbursedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const noWithdraw = await post(`/api/parks/${park}/subsidies/${a.body.id}/withdraw`, { reason: '追回' });
    expect(noWithdraw.status).toBe(409);
    expect(noWithdraw.body.message).toMatch(/Disbursed money is recovered outside this system/);
    expect((await post(`/api/parks/${park}/subsidies/${a.body.id}/disburse`, {})).status).toBe(409);
    // No body at all is fine too (the date defaults to today).
    const bare = await app().inject({ method: 'POST', url: `/api/parks/${park}/subsidies/${a.body.id}/disburse`, headers: { cookie: industry.cookie, origin: 'http://localhost' } });
    expect(bare.statusCode, bare.body).toBe(409);
    // A future disbursement date, or one of another park's subsidy, is refused.
    expect((await post(`/api/parks/${park}/subsidies/${again.body.id}/disburse`, { disbursedOn: '2999-01-01' })).status).toBe(400);
    expect((await post(`/api/parks/${ids.P01}/subsidies/${again.body.id}/disburse`, {})).status).toBe(404);

    const l = await list(park);
    expect(l.body).toMatchObject({ grantedYuan: 100_000_000, disbursedYuan: 99_000_000, remainingYuan: 0 });
    expect(l.body.items.map((i: { status: string }) => i.status)).toEqual(['granted', 'withdrawn', 'disbursed']);
    const actions = (await app().db.selectFrom('audit_events').select('action').where('entity', '=', 'subsidy').where('entity_id', '=', String(b.body.id)).orderBy('id').execute()).map((e) => e.action);
    expect(actions).toEqual(['subsidy.grant', 'subsidy.withdraw']);
    await expectLedgerHonest(app());
  });

  it('keeps the totals equal to the ledger in the database itself: the cached total cannot be edited, nor exceed the cap', async () => {
    const db = app().db;
    const park = ids.P02!; // at the cap (100,000,000)
    await expect(sql`update park_subsidy_totals set granted_yuan = 0 where park_id = ${park}`.execute(db)).rejects.toThrow(/changes only through it/);
    await expect(sql`update subsidy_ledger set amount_yuan = 1 where park_id = ${park}`.execute(db)).rejects.toThrow(/append-only/);
    // A ledger row past the cap is refused by CHECK (granted ≤ cap), which the API maps to 409.
    const s = await db.selectFrom('subsidies').select('id').where('park_id', '=', park).executeTakeFirstOrThrow();
    let caught: unknown;
    try {
      await sql`insert into subsidy_ledger (park_id, subsidy_id, kind, amount_yuan) values (${park}, ${s.id}, 'withdrawal', -1)`.execute(db);
    } catch (err) {
      caught = err;
    }
    // (A withdrawal must mirror its grant.)
    expect(String((caught as Error | undefined)?.message)).toMatch(/mirror its grant/);
    const rowsBefore = await expectLedgerHonest(app());
    let capErr: unknown;
    try {
      await db.transaction().execute(async (trx) => {
        const pid = (await trx.insertInto('park_projects').values({ park_id: park, name: 'x', kind: 'infrastructure', total_investment_yuan: '100.00', share_bp: 2000 }).returning('id').executeTakeFirstOrThrow()).id;
        const sub = await trx.insertInto('subsidies').values({
          park_id: park, project_id: pid, requested_yuan: '1.00', granted_yuan: '1.00',
          share_bp: 2000, investment_share_yuan: '20.00', cap_yuan: '100000001.00', park_granted_before_yuan: '0.00', limited_by: 'requested',
          reference_version_id: (await trx.selectFrom('reference_versions').select('id').where('kind', '=', 'parameters').executeTakeFirstOrThrow()).id,
        }).returning('id').executeTakeFirstOrThrow();
        await trx.insertInto('subsidy_ledger').values({ park_id: park, subsidy_id: sub.id, kind: 'grant', amount_yuan: '1.00' }).execute();
      });
    } catch (err) {
      capErr = err;
    }
    const mapped = mapSubsidyDbError(capErr);
    expect(mapped).toBeInstanceOf(AppError);
    expect(mapped).toMatchObject({ statusCode: 409, code: 'SUBSIDY_CAP_EXCEEDED' });
    expect(await expectLedgerHonest(app())).toEqual(rowsBefore);
  });

  it('keeps each project within its 20 % in the database itself: its total moves only with the ledger, its investment is fixed', async () => {
    const db = app().db;
    const park = ids.P12!;
    const pid = await project(park, '数据库约束测试平台', 1_000);
    // 20 % × 1,000 = 200: grant 150, then a hand-written grant of 60 (CHECK granted ≤ share × investment) is refused.
    expect((await post(`/api/parks/${park}/subsidies`, { projectId: pid, requestedYuan: 150 })).body.grantedYuan).toBe(150);
    await expect(sql`update park_projects set granted_yuan = 0 where id = ${pid}`.execute(db)).rejects.toThrow(/changes only through them/);
    await expect(sql`update park_projects set total_investment_yuan = 10 where id = ${pid}`.execute(db)).rejects.toThrow(/fixed once recorded/);
    await expect(sql`delete from park_projects where id = ${pid}`.execute(db)).rejects.toThrow();
    let shareErr: unknown;
    try {
      await db.transaction().execute(async (trx) => {
        const sub = await trx.insertInto('subsidies').values({
          park_id: park, project_id: pid, requested_yuan: '60.00', granted_yuan: '60.00', share_bp: 2000, investment_share_yuan: '200.00',
          cap_yuan: '100000000.00', park_granted_before_yuan: '150.00', limited_by: 'requested',
          reference_version_id: (await trx.selectFrom('reference_versions').select('id').where('kind', '=', 'parameters').executeTakeFirstOrThrow()).id,
        }).returning('id').executeTakeFirstOrThrow();
        await trx.insertInto('subsidy_ledger').values({ park_id: park, subsidy_id: sub.id, kind: 'grant', amount_yuan: '60.00' }).execute();
      });
    } catch (err) {
      shareErr = err;
    }
    expect(mapSubsidyDbError(shareErr)).toMatchObject({ statusCode: 409, code: 'SUBSIDY_CAP_EXCEEDED' });
    expect((mapSubsidyDbError(shareErr) as Error).message).toMatch(/take the project over its share of total investment/);
    // Nothing of it was written.
    const row = await db.selectFrom('park_projects').select(sql<string>`granted_yuan::text`.as('g')).where('id', '=', pid).executeTakeFirstOrThrow();
    expect(row.g).toBe('150.00');
    // A subsidy's project must be in the subsidy's park (composite foreign key).
    const other = await project(ids.P03!, '别园项目', 1_000);
    await expect(sql`update subsidies set project_id = ${other} where park_id = ${park}`.execute(db)).rejects.toThrow();
    await expectProjectsHonest(app());
  });

  it('records projects and grants 20 % per project, cumulative over its grants; the park cap still holds across projects', async () => {
    const park = ids.P09!;
    // A project: 10,000,000 invested → 2,000,000 in all.
    const created = await post(`/api/parks/${park}/projects`, { name: '生物岛公共实验平台', kind: 'public_platform', totalInvestmentYuan: 10_000_000 });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ parkId: park, name: '生物岛公共实验平台', kind: 'public_platform', totalInvestmentYuan: 10_000_000, shareBp: 2000, shareYuan: 2_000_000, grantedYuan: 0, remainingYuan: 2_000_000, availableYuan: 2_000_000, grants: 0, createdBy: 'industry' });
    const pid = created.body.id as number;
    // First grant 1,500,000 (as requested); the second asks 1,500,000 but only 500,000 of the 20 % is left.
    const g1 = await post(`/api/parks/${park}/subsidies`, { projectId: pid, requestedYuan: 1_500_000 });
    expect(g1.body).toMatchObject({ grantedYuan: 1_500_000, limitedBy: 'requested', projectGrantedYuan: 1_500_000, projectRemainingYuan: 500_000 });
    const g2 = await post(`/api/parks/${park}/subsidies`, { projectId: pid, requestedYuan: 1_500_000 });
    expect(g2.status, JSON.stringify(g2.body)).toBe(201);
    expect(g2.body).toMatchObject({ grantedYuan: 500_000, limitedBy: 'investment_share', projectGrantedYuan: 2_000_000, projectRemainingYuan: 0, parkGrantedYuan: 2_000_000 });
    expect(g2.body.decision).toMatchObject({ investmentShareYuan: 2_000_000, projectGrantedBeforeYuan: 1_500_000, projectHeadroomBeforeYuan: 500_000 });
    // A third: the project has had its 20 % (the park has 98,000,000 left) → 409 naming the project.
    const g3 = await post(`/api/parks/${park}/subsidies`, { projectId: pid, requestedYuan: 1 });
    expect(g3.status).toBe(409);
    expect(g3.body).toMatchObject({ code: 'SUBSIDY_CAP_EXCEEDED', reason: 'PROJECT_SHARE_EXHAUSTED', projectId: pid, projectGrantedYuan: 2_000_000, remainingYuan: 98_000_000 });
    expect(g3.body.message).toMatch(/its 20% of total investment/);
    expect(g3.body.message).toMatch(/生物岛公共实验平台/);
    // Another project of the same park has its own 20 %: 495,000,000 → 99,000,000, but the park has 98,000,000 left.
    const big = await project(park, '生物岛配套管网', 495_000_000, 'infrastructure');
    const g4 = await post(`/api/parks/${park}/subsidies`, { projectId: big, requestedYuan: 99_000_000 });
    expect(g4.body).toMatchObject({ grantedYuan: 98_000_000, limitedBy: 'park_cap', parkRemainingYuan: 0, projectRemainingYuan: 1_000_000 });
    // The park is full: a facilities project gets 409 (the park's cap), not a grant.
    const fac = await project(park, '人才公寓配套', 1_000_000, 'facilities');
    const g5 = await post(`/api/parks/${park}/subsidies`, { projectId: fac, requestedYuan: 1 });
    expect(g5.status).toBe(409);
    expect(g5.body.reason).toBeUndefined();
    // The list: newest first, each with its granted total and headroom.
    const l = await projects(park);
    expect(l.status).toBe(200);
    expect(l.body).toMatchObject({ grantedYuan: 100_000_000, capYuan: 100_000_000, remainingYuan: 0, shareBp: 2000 });
    expect(l.body.items.map((i: { id: number }) => i.id)).toEqual([fac, big, pid]);
    expect(l.body.items[1]).toMatchObject({ grantedYuan: 98_000_000, shareYuan: 99_000_000, remainingYuan: 1_000_000, availableYuan: 0, grants: 1 });
    expect(l.body.items[2]).toMatchObject({ kind: 'public_platform', grantedYuan: 2_000_000, remainingYuan: 0, grants: 2 });
    // Withdrawing the first grant restores 1,500,000 to the project and to the park.
    const w = await post(`/api/parks/${park}/subsidies/${g1.body.id}/withdraw`, { reason: '项目调整' });
    expect(w.body).toMatchObject({ projectGrantedYuan: 500_000, parkRemainingYuan: 1_500_000 });
    const g6 = await post(`/api/parks/${park}/subsidies`, { projectId: pid, requestedYuan: 3_000_000 });
    expect(g6.body).toMatchObject({ grantedYuan: 1_500_000, projectRemainingYuan: 0, parkRemainingYuan: 0 });
    // A grant's items keep the API.md fields, now with the project.
    const subs = await list(park);
    expect(subs.body.items[0]).toMatchObject({ id: g6.body.id, status: 'granted', grantedYuan: 1_500_000, projectId: pid, projectName: '生物岛公共实验平台', kind: 'public_platform', totalInvestmentYuan: 10_000_000 });
    const actions = (await app().db.selectFrom('audit_events').select('action').where('entity', '=', 'park_project').where('entity_id', '=', String(pid)).execute()).map((e) => e.action);
    expect(actions).toEqual(['park_project.create']);
    await expectLedgerHonest(app());
    await expectProjectsHonest(app());
  });

  it('uses the cap and share in force (versioned reference data) and records the version', async () => {
    const park = ids.P07!;
    const admin = await login(app(), 'admin');
    const today = bureauToday();
    const before = await post(`/api/parks/${park}/subsidies`, await grant(park, '智能网联测试场', 10_000_000, 2_000_000));
    expect(before.body.grantedYuan).toBe(2_000_000);
    // The bureau lowers the cap to 2,500,000 yuan (250,000,000 fen): headroom 500,000.
    const v = await post('/api/reference/parameters/versions', { effectiveFrom: today, source: 'test: lower cap', values: { subsidyParkCapFen: '250000000' } }, admin);
    expect(v.status, JSON.stringify(v.body)).toBe(201);
    try {
      const capped = await post(`/api/parks/${park}/subsidies`, await grant(park, '测试场二期', 10_000_000, 1_000_000));
      expect(capped.body).toMatchObject({ grantedYuan: 500_000, limitedBy: 'park_cap', capYuan: 2_500_000, parkRemainingYuan: 0, decision: { referenceVersionId: v.body.id, capYuan: 2_500_000 } });
      expect((await list(park)).body).toMatchObject({ capYuan: 2_500_000, grantedYuan: 2_500_000, remainingYuan: 0 });
      expect((await post(`/api/parks/${park}/subsidies`, await grant(park, '测试场三期', 10_000_000, 1_000_000))).status).toBe(409);
    } finally {
      const restore = await post('/api/reference/parameters/versions', { effectiveFrom: today, source: 'test: restore cap', values: { subsidyParkCapFen: '10000000000' } }, admin);
      expect(restore.status).toBe(201);
    }
    expect((await list(park)).body).toMatchObject({ capYuan: 100_000_000, remainingYuan: 97_500_000 });
    await expectLedgerHonest(app());
  });

  it('replays a grant with the same Idempotency-Key instead of granting twice', async () => {
    const park = ids.P08!;
    const headers = { 'idempotency-key': 'grant-p08-1' };
    const body = await grant(park, '军民融合公共平台', 1_000_000, 100_000);
    const first = await post(`/api/parks/${park}/subsidies`, body, industry, headers);
    const replay = await post(`/api/parks/${park}/subsidies`, body, industry, headers);
    expect(first.status).toBe(201);
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.id).toBe(first.body.id);
    expect((await list(park)).body.grantedYuan).toBe(100_000);
    const other = await post(`/api/parks/${park}/subsidies`, await grant(park, '另一项目', 1_000_000, 100_000), industry, headers);
    expect(other.status).toBe(422);
  });

  it.each([
    ['three decimals', (pid: number) => ({ projectId: pid, requestedYuan: 100.001 }), /requestedYuan|Requested amount/],
    ['a zero request', (pid: number) => ({ projectId: pid, requestedYuan: 0 }), /Requested amount must be greater than 0/],
    ['no project', () => ({ requestedYuan: 1 }), /projectId/],
    ['the old project fields instead of a project', () => ({ projectName: 'x', kind: 'infrastructure', totalInvestmentYuan: 100, requestedYuan: 1 }), /projectId|projectName/],
    ['an unknown field', (pid: number) => ({ projectId: pid, requestedYuan: 1, discount: 1 }), /discount/],
  ])('refuses a grant with %s with 400 and changes nothing', async (_w, body, message) => {
    const park = ids.P11!;
    const pid = await project(park, '校验项目', 100);
    const r = await post(`/api/parks/${park}/subsidies`, body(pid));
    expect(r.status, JSON.stringify(r.body)).toBe(400);
    expect(r.body.code).toBe('VALIDATION_FAILED');
    expect(r.body.message).toMatch(message);
    expect((await list(park)).body.items).toHaveLength(0);
  });

  it.each([
    ['a negative investment', { name: 'x', kind: 'infrastructure', totalInvestmentYuan: -5 }, /Total investment must be greater than 0/],
    ['three decimals', { name: 'x', kind: 'infrastructure', totalInvestmentYuan: 100.001 }, /Total investment must be an amount in yuan with at most 2 decimals/],
    ['an unknown kind', { name: 'x', kind: 'housing', totalInvestmentYuan: 100 }, /kind/],
    ['a blank name', { name: '   ', kind: 'infrastructure', totalInvestmentYuan: 100 }, /name must not be empty/],
    ['an unknown field', { name: 'x', kind: 'infrastructure', totalInvestmentYuan: 100, grantedYuan: 1 }, /grantedYuan/],
  ])('refuses a project with %s with 400 and records nothing', async (_w, body, message) => {
    const park = ids.P11!;
    const before = (await projects(park)).body.items.length;
    const r = await post(`/api/parks/${park}/projects`, body);
    expect(r.status, JSON.stringify(r.body)).toBe(400);
    expect(r.body.code).toBe('VALIDATION_FAILED');
    expect(r.body.message).toMatch(message);
    expect((await projects(park)).body.items).toHaveLength(before);
  });

  it('answers 404 for a park that does not exist, and for a project of another park or none', async () => {
    expect((await post('/api/parks/999999/subsidies', { projectId: 1, requestedYuan: 1 })).status).toBe(404);
    expect((await post('/api/parks/999999/projects', { name: 'x', kind: 'infrastructure', totalInvestmentYuan: 100 })).status).toBe(404);
    expect((await list(999999)).status).toBe(404);
    expect((await projects(999999)).status).toBe(404);
    const elsewhere = await project(ids.P03!, '天河项目', 1_000_000);
    const r = await post(`/api/parks/${ids.P11}/subsidies`, { projectId: elsewhere, requestedYuan: 1 });
    expect(r.status).toBe(404);
    expect(r.body.message).toMatch(new RegExp(`Project ${elsewhere} of park ${ids.P11}`));
    expect((await post(`/api/parks/${ids.P11}/subsidies`, { projectId: 2_000_000_000, requestedYuan: 1 })).status).toBe(404);
  });

  it('scopes the list: bureau roles and the park’s own district officers; 403 for another district, 401 anonymous', async () => {
    const huangpu = ids.P06!; // 黄埔 440112
    await post(`/api/parks/${huangpu}/subsidies`, await grant(huangpu, '智能装备检测平台', 1_000_000, 100_000));
    const tianhe = await login(app(), 'district-tianhe');
    const own = await login(app(), 'district-huangpu');
    const denied = await list(huangpu, tianhe);
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({ code: 'FORBIDDEN', reason: 'OUT_OF_SCOPE' });
    expect((await list(huangpu, null)).status).toBe(401);
    expect((await list(huangpu, await login(app(), 'investor'))).status).toBe(403);
    for (const s of [industry, own, await login(app(), 'land'), await login(app(), 'admin')]) {
      const r = await list(huangpu, s);
      expect(r.status, s.username).toBe(200);
      expect(r.body.grantedYuan).toBe(100_000);
    }
    // The Tianhe officer sees Tianhe's list; the projects follow the same scoping.
    expect((await list(ids.P03!, tianhe)).status).toBe(200);
    expect((await projects(huangpu, tianhe)).status).toBe(403);
    expect((await projects(huangpu, own)).body.items).toHaveLength(1);
    expect((await projects(huangpu, null)).status).toBe(401);
    // Writes: the subsidies.manage roles only (shared/roles.ts); the others 403, anonymous 401.
    for (const name of ['land', 'district-huangpu', 'investor', 'admin'] as const) {
      const s = await login(app(), name);
      const role = name === 'land' ? 'land_officer' : name === 'admin' ? 'admin' : name === 'investor' ? 'investor' : 'district_officer';
      const r = await post(`/api/parks/${huangpu}/subsidies`, await grant(huangpu, 'x', 1_000, 1), s);
      expect(r.status, name).toBe(can(role, 'subsidies.manage') ? 201 : 403);
      const p = await post(`/api/parks/${huangpu}/projects`, { name: 'y', kind: 'infrastructure', totalInvestmentYuan: 1_000 }, s);
      expect(p.status, name).toBe(can(role, 'subsidies.manage') ? 201 : 403);
    }
    expect((await post(`/api/parks/${huangpu}/subsidies`, await grant(huangpu, 'x', 1_000, 1), null)).status).toBe(401);
    expect((await post(`/api/parks/${huangpu}/projects`, { name: 'y', kind: 'infrastructure', totalInvestmentYuan: 1_000 }, null)).status).toBe(401);
  });
});
