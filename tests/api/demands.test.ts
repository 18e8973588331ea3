/**
 * Project land demand (随用随供, issue #16 §4) over HTTP, on PGlite and PostgreSQL: recording a
 * demand (audited; bad input refused naming the field, nothing written), from an investor's
 * interest (its company carried; one demand per interest), editing, closing with a reason and
 * reopening, waiting days and overdue on the bureau's calendar, district officers' scope
 * (their district's demands, read-only; 403 for another's, 404 for none), and the demo's sample
 * demands. Ranking, holding, proposing and the overview: demands-matching.test.ts.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeOnDatabases } from './context.ts';
import { call, login, type Session } from './login.ts';
import { uscc } from './allocation-helpers.ts';
import { createDemand, demandBody, demandCount, demandEvents, inDays } from './demands-helpers.ts';

describeOnDatabases('project land demands', (get) => {
  const app = () => get().app;
  let land: Session;
  let industry: Session;
  let huangpu: Session;
  let tianhe: Session;
  let investor: Session;

  beforeAll(async () => {
    land = await login(app(), 'land');
    industry = await login(app(), 'industry');
    huangpu = await login(app(), 'district-huangpu');
    tianhe = await login(app(), 'district-tianhe');
    investor = await login(app(), 'investor');
  });

  it('records a demand (201): open, direct, its districts from the requirements, audited; read back the same', async () => {
    const body = demandBody({ keyProject: true, note: '  抗体药物中试线  ' }, { districtCodes: ['440115', '440112'], landUse: ['M1'], maxPriceYuanPerM2: 1200 });
    const d = await createDemand(app(), land, body);
    expect(d).toMatchObject({
      projectName: '测试生物医药产业化项目',
      enterprise: { name: '广州测试生物科技有限公司', uscc: uscc(9001) },
      sector: 'biomed',
      keyProject: true,
      neededBy: inDays(90),
      requirements: body.requirements,
      note: '抗体药物中试线',
      source: 'direct',
      interestId: null,
      status: 'open',
      closeReason: null,
      districtCodes: ['440112', '440115'],
      holdId: null,
      allocationId: null,
      allocationStatus: null,
      plotId: null,
      plotCode: null,
      sample: false,
      waitingDays: 0,
      overdue: false,
      createdBy: 'land',
    });
    const read = await call(app(), land, 'GET', `/api/demands/${d.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(d);
    expect(await demandEvents(app(), land, d.id)).toEqual(['demand.created']);
    // The database keeps the sector and the range beside the requirements.
    const row = await app().db.selectFrom('land_demands').selectAll().where('id', '=', d.id).executeTakeFirstOrThrow();
    expect([row.sector, Number(row.area_mu_min), Number(row.area_mu_max), row.status]).toEqual(['biomed', 10, 200, 'open']);
  });

  it('refuses bad input with 400 naming the field, and writes nothing', async () => {
    const before = await demandCount(app());
    const wrongCheck = uscc(9002).slice(0, 17) + (uscc(9002).endsWith('0') ? '1' : '0');
    const cases: [unknown, string][] = [
      [demandBody({}, { areaMuMin: 80, areaMuMax: 30 }), 'requirements.areaMuMin'],
      [demandBody({}, { sector: 'steel' }), 'requirements.sector'],
      [demandBody({}, { districtCodes: ['999999'] }), 'requirements.districtCodes'],
      [demandBody({}, { weights: { price: 0, size: 0 } }), 'requirements.weights'],
      [demandBody({ neededBy: '2026-02-30' }), 'neededBy'],
      [demandBody({ neededBy: 'soon' }), 'neededBy'],
      [demandBody({ enterprise: { name: '广州测试有限公司', uscc: wrongCheck } }), 'enterprise.uscc'],
      [demandBody({ enterprise: { name: '   ' } }), 'enterprise.name'],
      [demandBody({ projectName: '  ' }), 'projectName'],
      [demandBody({ keyProject: true }, { sector: 'other' }), 'keyProject'],
      [demandBody({ enterprise: undefined }), 'enterprise'],
    ];
    for (const [body, field] of cases) {
      const r = await call(app(), land, 'POST', '/api/demands', body);
      expect(r.status, `${field}: ${JSON.stringify(r.body)}`).toBe(400);
      expect(r.body.code).toBe('VALIDATION_FAILED');
      expect(r.body.field, JSON.stringify(r.body)).toBe(field);
    }
    // Unknown fields are refused too.
    expect((await call(app(), land, 'POST', '/api/demands', { ...demandBody(), status: 'matched' })).status).toBe(400);
    expect(await demandCount(app())).toBe(before);
    // A USCC in lower case with spaces is accepted in its canonical form; none at all is allowed.
    const spaced = await createDemand(app(), land, demandBody({ enterprise: { name: '广州测试有限公司', uscc: ` ${uscc(9003).toLowerCase()} ` } }));
    expect(spaced.enterprise.uscc).toBe(uscc(9003));
    const none = await createDemand(app(), land, demandBody({ enterprise: { name: '广州无代码有限公司' } }));
    expect(none.enterprise.uscc).toBeNull();
  });

  it('records a demand from an interest: the company and USCC carried; a second one for it is 409; no such interest is 404', async () => {
    const plot = await app().db.selectFrom('plots').select('id').where('status', '=', 'available').orderBy('id', 'desc').executeTakeFirstOrThrow();
    const interest = await app()
      .db.insertInto('interests')
      .values({ plot_id: plot.id, company: '广州意向智能科技有限公司', uscc: uscc(9101), contact_name: '王经理', contact_phone: '13800138000', ip_hash: 'b'.repeat(64) })
      .returning('id')
      .executeTakeFirstOrThrow();
    const d = await createDemand(app(), land, { ...demandBody({ enterprise: undefined, interestId: interest.id }), projectName: '智能网联测试项目' });
    expect(d).toMatchObject({ source: 'interest', interestId: interest.id, enterprise: { name: '广州意向智能科技有限公司', uscc: uscc(9101) }, status: 'open' });
    const before = await demandCount(app());
    const again = await call(app(), land, 'POST', '/api/demands', demandBody({ interestId: interest.id }));
    expect(again.status, JSON.stringify(again.body)).toBe(409);
    expect(again.body).toMatchObject({ code: 'CONFLICT', reason: 'DEMAND_EXISTS', demandId: d.id });
    const missing = await call(app(), land, 'POST', '/api/demands', demandBody({ interestId: 99999999 }));
    expect(missing.status).toBe(404);
    expect(await demandCount(app())).toBe(before);
    // An enterprise given explicitly wins over the interest's.
    const other = await app()
      .db.insertInto('interests')
      .values({ plot_id: plot.id, company: '另一家公司', uscc: uscc(9102), contact_name: '李', contact_phone: '13900000000', ip_hash: 'c'.repeat(64) })
      .returning('id')
      .executeTakeFirstOrThrow();
    const explicit = await createDemand(app(), land, demandBody({ interestId: other.id }));
    expect(explicit.enterprise).toEqual({ name: '广州测试生物科技有限公司', uscc: uscc(9001) });
  });

  it('edits a demand; closes it only with a reason; reopens it; each change audited', async () => {
    const d = await createDemand(app(), land, demandBody());
    const edited = await call(app(), land, 'PATCH', `/api/demands/${d.id}`, {
      projectName: '测试生物医药产业化项目（二期）',
      requirements: { sector: 'ai', areaMuMin: 20, areaMuMax: 60, districtCodes: ['440113'] },
      neededBy: inDays(30),
    });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body).toMatchObject({ projectName: '测试生物医药产业化项目（二期）', sector: 'ai', districtCodes: ['440113'], neededBy: inDays(30), status: 'open' });

    const bad: [unknown, string][] = [
      [{ status: 'closed' }, 'closeReason'],
      [{ status: 'closed', closeReason: '   ' }, 'closeReason'],
      [{ closeReason: '没有关闭' }, 'closeReason'],
      [{ requirements: { sector: 'ai', areaMuMin: 9, areaMuMax: 1 } }, 'requirements.areaMuMin'],
      [{ neededBy: '2026-13-01' }, 'neededBy'],
      [{ keyProject: true, requirements: { sector: 'other', areaMuMin: 1, areaMuMax: 2 } }, 'keyProject'],
    ];
    for (const [patch, field] of bad) {
      const r = await call(app(), land, 'PATCH', `/api/demands/${d.id}`, patch);
      expect(r.status, `${field}: ${JSON.stringify(r.body)}`).toBe(400);
      expect(r.body.field).toBe(field);
    }
    expect((await call(app(), land, 'GET', `/api/demands/${d.id}`)).body).toMatchObject({ sector: 'ai', status: 'open', keyProject: false });
    expect((await call(app(), land, 'PATCH', `/api/demands/${d.id}`, {})).status).toBe(400);

    const closed = await call(app(), land, 'PATCH', `/api/demands/${d.id}`, { status: 'closed', closeReason: '企业改投外省' });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed', closeReason: '企业改投外省', overdue: false });
    expect((await call(app(), land, 'GET', '/api/demands?status=closed&limit=1000')).body.items.map((x: { id: number }) => x.id)).toContain(d.id);
    const reopened = await call(app(), land, 'PATCH', `/api/demands/${d.id}`, { status: 'open' });
    expect(reopened.body).toMatchObject({ status: 'open', closeReason: null });
    expect(await demandEvents(app(), land, d.id)).toEqual(['demand.created', 'demand.updated', 'demand.closed', 'demand.updated']);
    expect((await call(app(), land, 'PATCH', `/api/demands/99999999`, { note: 'x' })).status).toBe(404);
  });

  it('counts waiting days and overdue on the bureau’s calendar', async () => {
    const d = await createDemand(app(), land, demandBody({ neededBy: inDays(-1) }));
    expect(d).toMatchObject({ waitingDays: 0, overdue: true });
    await app().db.updateTable('land_demands').set({ created_at: new Date(Date.now() - 12 * 86_400_000) }).where('id', '=', d.id).execute();
    const read = (await call(app(), land, 'GET', `/api/demands/${d.id}`)).body;
    expect(read.waitingDays).toBe(12);
    const waiting = (await call(app(), land, 'GET', '/api/demands?sort=waiting&status=open&limit=1000')).body.items as { id: number; waitingDays: number }[];
    expect(waiting.map((x) => x.waitingDays)).toEqual([...waiting.map((x) => x.waitingDays)].sort((a, b) => b - a));
    const soonest = (await call(app(), land, 'GET', '/api/demands?sort=needed_by&limit=1000')).body.items as { neededBy: string }[];
    expect(soonest.map((x) => x.neededBy)).toEqual([...soonest.map((x) => x.neededBy)].sort());
    // Not overdue once closed.
    const closed = await call(app(), land, 'PATCH', `/api/demands/${d.id}`, { status: 'closed', closeReason: '测试' });
    expect(closed.body.overdue).toBe(false);
  });

  it('lets a district officer read the demands concerning their district only, and write none', async () => {
    const mine = await createDemand(app(), land, demandBody({ projectName: '黄埔测试项目' }, { districtCodes: ['440112'] }));
    const theirs = await createDemand(app(), land, demandBody({ projectName: '天河测试项目' }, { sector: 'ngit', districtCodes: ['440106'] }));
    const both = await createDemand(app(), land, demandBody({ projectName: '跨区测试项目' }, { districtCodes: ['440106', '440112'] }));
    const anywhere = await createDemand(app(), land, demandBody({ projectName: '不限区位测试项目' }));

    const list = await call(app(), huangpu, 'GET', '/api/demands?limit=1000');
    expect(list.status).toBe(200);
    const ids = (list.body.items as { id: number; districtCodes: string[] }[]).map((x) => x.id);
    expect(ids).toContain(mine.id);
    expect(ids).toContain(both.id);
    expect(ids).not.toContain(theirs.id);
    expect(ids).not.toContain(anywhere.id);
    expect((list.body.items as { districtCodes: string[] }[]).every((x) => x.districtCodes.includes('440112'))).toBe(true);
    expect(list.body.total).toBe(list.body.items.length);
    // A filter for another district narrows within their scope, never beyond it.
    const filtered = (await call(app(), huangpu, 'GET', '/api/demands?districtCode=440106&limit=1000')).body.items as { id: number; districtCodes: string[] }[];
    expect(filtered.map((x) => x.id)).toContain(both.id);
    expect(filtered.map((x) => x.id)).not.toContain(theirs.id);
    expect(filtered.every((x) => x.districtCodes.includes('440112') && x.districtCodes.includes('440106'))).toBe(true);

    expect((await call(app(), huangpu, 'GET', `/api/demands/${mine.id}`)).status).toBe(200);
    const other = await call(app(), huangpu, 'GET', `/api/demands/${theirs.id}`);
    expect(other.status).toBe(403);
    expect(other.body.reason).toBe('OUT_OF_SCOPE');
    expect((await call(app(), huangpu, 'GET', '/api/demands/99999999')).status).toBe(404);
    expect((await call(app(), tianhe, 'GET', `/api/demands/${theirs.id}`)).status).toBe(200);
    expect((await call(app(), tianhe, 'GET', `/api/demands/${mine.id}`)).status).toBe(403);

    // Read-only: no writes for district officers, industry officers or investors.
    for (const s of [huangpu, industry, investor]) {
      expect((await call(app(), s, 'POST', '/api/demands', demandBody({}, { districtCodes: ['440112'] }))).status).toBe(403);
      expect((await call(app(), s, 'PATCH', `/api/demands/${mine.id}`, { note: '改' })).status).toBe(403);
      expect((await call(app(), s, 'POST', `/api/demands/${mine.id}/rank`, {})).status).toBe(403);
    }
    // The industry bureau reads every demand; investors and the public none.
    expect((await call(app(), industry, 'GET', `/api/demands/${theirs.id}`)).status).toBe(200);
    expect((await call(app(), investor, 'GET', '/api/demands')).status).toBe(403);
    expect((await call(app(), null, 'GET', '/api/demands')).status).toBe(401);
    expect((await call(app(), null, 'GET', '/api/demands/overview')).status).toBe(401);
  });

  it('ships sample demands in the demo, flagged sample, one matched to a plot held for its enterprise', async () => {
    const all = (await call(app(), land, 'GET', '/api/demands?limit=1000')).body.items as Record<string, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
    const samples = all.filter((d) => d.sample);
    expect(samples.length).toBeGreaterThanOrEqual(4);
    expect(samples.length).toBeLessThanOrEqual(6);
    expect(samples.every((d) => d.enterprise.name.includes('示例数据'))).toBe(true);
    expect(new Set(samples.map((d) => d.sector)).size).toBeGreaterThanOrEqual(3);
    expect(samples.some((d) => d.districtCodes.includes('440112'))).toBe(true);
    const matched = samples.find((d) => d.status === 'matched');
    expect(matched, JSON.stringify(samples.map((d) => d.status))).toBeDefined();
    const hold = await app().db.selectFrom('plot_holds').selectAll().where('id', '=', matched!.holdId).executeTakeFirstOrThrow();
    expect(hold.applicant_uscc).toBe(matched!.enterprise.uscc);
    expect(hold.plot_id).toBe(matched!.plotId);
    expect(hold.released_at).toBeNull();
    const plot = await app().db.selectFrom('plots').select(['status']).where('id', '=', matched!.plotId).executeTakeFirstOrThrow();
    expect(plot.status).toBe('held');
    // Every sample demand passes the checks a new one gets, and the Huangpu officer sees theirs.
    const seen = (await call(app(), huangpu, 'GET', '/api/demands?limit=1000')).body.items as { id: number; sample: boolean }[];
    expect(seen.some((d) => d.sample)).toBe(true);
  });
});
