/**
 * 标准地 conditions (issue #15 §1) over HTTP: a land officer sets, changes and clears a plot's
 * conditions; bad ones are refused with a 400 naming `conditions.<field>` and nothing written;
 * they are public (anonymous plot detail, search, export); the investor search keeps the plots
 * whose set conditions a project meets; approval freezes them into the allocation's 监管协议 and
 * a later plot edit leaves the agreement as it was; they travel through an export and an import.
 */
import { expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeOnDatabases } from './context.ts';
import { call, login, type Session } from './login.ts';
import { freshPlots, proposeAtFloor, putQuota } from './allocation-helpers.ts';
import { clearPark, samplePlots, upload } from './import-helpers.ts';
import { bureauToday } from '../../shared/dates.ts';

const FULL = {
  investmentIntensityYuanPerM2Min: 4500,
  plotRatioMin: 1.2,
  plotRatioMax: 3,
  outputPerMuYuanMin: 1_000_000,
  taxPerMuYuanMin: 100_000.5,
  energyTcePer10kYuanMax: 0.2525,
  pollutionCategory: 'class_2',
  notes: '环评须达到二类工业准入要求\n不得新增燃煤锅炉',
  startWithinMonths: 6,
  completeWithinMonths: 24,
};
const NONE = Object.fromEntries(Object.keys(FULL).map((k) => [k, null]));

const daysFromToday = (n: number) => {
  const d = new Date(`${bureauToday()}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};

describeOnDatabases('plot conditions (标准地)', (get) => {
  let land: Session;
  const app = () => get().app;

  const rowVersion = async (id: number) => (await call(app(), land, 'GET', `/api/plots/${id}/history`)).body.rowVersion as string;
  const patch = async (id: number, body: Record<string, unknown>) => call(app(), land, 'PATCH', `/api/plots/${id}`, { expectedRowVersion: await rowVersion(id), ...body });
  const stored = async (id: number) => (await app().db.selectFrom('plots').select(['conditions', sql<string>`row_version::text`.as('rv')]).where('id', '=', id).executeTakeFirstOrThrow());
  const auditCount = async () => Number((await sql<{ n: number }>`select count(*)::int as n from audit_events`.execute(app().db)).rows[0]!.n);

  it('signs in', async () => {
    land = await login(app(), 'land');
    // The demo's sample plots carry 标准地 conditions (seeds/sample-supervision.ts, tested in
    // sample-supervision.test.ts); here every plot starts without, so each count below is exact.
    await sql`update plots set conditions = '{}'::jsonb`.execute(app().db);
  });

  it('sets every condition, shows them to anyone, changes one, clears one, clears all; versions and audit keep each step', async () => {
    const [plot] = await freshPlots(app(), 1);
    const anon = async () => (await call(app(), null, 'GET', `/api/plots/${plot!.id}`)).body.properties.conditions;
    expect(await anon()).toEqual(NONE);

    const set = await patch(plot!.id, { conditions: FULL, reason: '标准地条件' });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body.plot.properties.conditions).toEqual(FULL);
    // Public terms: the anonymous detail, by id and by code.
    expect(await anon()).toEqual(FULL);
    expect((await call(app(), null, 'GET', `/api/plots/by-code/${encodeURIComponent(plot!.code)}`)).body.properties.conditions).toEqual(FULL);
    // The audit event says what changed, before and after.
    const ev = await app().db.selectFrom('audit_events').select(['before', 'after']).where('entity', '=', 'plot').where('entity_id', '=', String(plot!.id))
      .where('action', '=', 'plot.update').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect((ev.before as Record<string, unknown>).conditions).toEqual(NONE);
    expect((ev.after as Record<string, unknown>).conditions).toEqual(FULL);
    // The version snapshot carries them.
    const history = await call(app(), land, 'GET', `/api/plots/${plot!.id}/history`);
    expect(history.body.versions.at(-1).attributes.conditions).toEqual(FULL);

    // Partial: the fields given change, a null clears one, the rest stay.
    const partial = await patch(plot!.id, { conditions: { plotRatioMax: 4, notes: null } });
    expect(partial.status, JSON.stringify(partial.body)).toBe(200);
    expect(partial.body.plot.properties.conditions).toEqual({ ...FULL, plotRatioMax: 4, notes: null });
    // Only set fields are stored.
    expect(Object.keys((await stored(plot!.id)).conditions)).not.toContain('notes');

    // Another edit without `conditions` keeps them.
    const other = await patch(plot!.id, { location: '条件不变的坐落修改' });
    expect(other.body.plot.properties.conditions).toEqual({ ...FULL, plotRatioMax: 4, notes: null });

    const cleared = await patch(plot!.id, { conditions: null });
    expect(cleared.status).toBe(200);
    expect(await anon()).toEqual(NONE);
    expect((await stored(plot!.id)).conditions).toEqual({});
  });

  it('refuses bad conditions with a 400 naming the field, and writes nothing', async () => {
    const [plot] = await freshPlots(app(), 1);
    expect((await patch(plot!.id, { conditions: { plotRatioMin: 1, taxPerMuYuanMin: 50 } })).status).toBe(200);
    const cases: [Record<string, unknown>, string][] = [
      [{ plotRatioMin: 3, plotRatioMax: 2 }, 'conditions.plotRatioMax'],
      [{ plotRatioMax: 0.5 }, 'conditions.plotRatioMax'], // below the stored minimum of 1
      [{ taxPerMuYuanMin: -1 }, 'conditions.taxPerMuYuanMin'],
      [{ outputPerMuYuanMin: 1.001 }, 'conditions.outputPerMuYuanMin'],
      [{ energyTcePer10kYuanMax: 0 }, 'conditions.energyTcePer10kYuanMax'],
      [{ startWithinMonths: 0 }, 'conditions.startWithinMonths'],
      [{ startWithinMonths: 121 }, 'conditions.startWithinMonths'],
      [{ startWithinMonths: 12, completeWithinMonths: 6 }, 'conditions.completeWithinMonths'],
    ];
    const before = await stored(plot!.id);
    const audits = await auditCount();
    for (const [conditions, field] of cases) {
      const r = await patch(plot!.id, { conditions, location: '不应写入' });
      expect(r.status, JSON.stringify(conditions)).toBe(400);
      expect(r.body, JSON.stringify(conditions)).toMatchObject({ code: 'VALIDATION_FAILED', reason: 'CONDITIONS_INVALID', field });
      expect(r.body.message).toContain(field);
    }
    // Not even schema-valid: an unknown category, a number as text, an unknown field.
    for (const conditions of [{ pollutionCategory: 'class_9' }, { plotRatioMin: '1.5' }, { plotRatio: 2 }]) {
      expect((await patch(plot!.id, { conditions })).status, JSON.stringify(conditions)).toBe(400);
    }
    expect(await stored(plot!.id)).toEqual(before);
    expect(await auditCount()).toBe(audits);

    // Creating a plot with bad conditions: 400, no plot.
    const parkId = (await call(app(), null, 'GET', `/api/plots/${plot!.id}`)).body.properties.parkId;
    const create = await call(app(), land, 'POST', '/api/plots', {
      code: 'COND-BAD-1', parkId, landUse: 'M1', areaM2: 100, landLevel: 3,
      geometry: { type: 'Polygon', coordinates: [[[113.5, 23.1], [113.501, 23.1], [113.501, 23.101], [113.5, 23.1]]] },
      conditions: { startWithinMonths: 200 },
    });
    expect(create.status).toBe(400);
    expect(create.body).toMatchObject({ reason: 'CONDITIONS_INVALID', field: 'conditions.startWithinMonths' });
    expect(await app().db.selectFrom('plots').select('id').where('code', '=', 'COND-BAD-1').executeTakeFirst()).toBeUndefined();

    // The database refuses what the API would, whoever writes.
    for (const bad of [{ plotRatioMin: 3, plotRatioMax: 2 }, { taxPerMuYuanMin: -1 }, { startWithinMonths: 1.5 }, { pollutionCategory: 'class_9' }, { plotRatio: 2 }, { notes: 7 }]) {
      await expect(app().db.updateTable('plots').set({ conditions: JSON.stringify(bad) }).where('id', '=', plot!.id).execute(), JSON.stringify(bad)).rejects.toThrow(/plots_conditions_valid/);
    }
    expect((await patch(plot!.id, { conditions: null })).status).toBe(200); // leave the search test a clean slate
  });

  it('search: only plots whose set conditions the project meets (minimum met at equality; unset conditions never exclude)', async () => {
    const [a, b] = await freshPlots(app(), 2);
    expect((await patch(a!.id, { conditions: { plotRatioMin: 2, plotRatioMax: 3.5, taxPerMuYuanMin: 200_000, energyTcePer10kYuanMax: 0.5, pollutionCategory: 'class_1', investmentIntensityYuanPerM2Min: 5000, outputPerMuYuanMin: 2_000_000 } })).status).toBe(200);
    expect((await patch(b!.id, { conditions: { plotRatioMin: 1 } })).status).toBe(200);
    const search = async (q: string) => {
      const r = await call(app(), null, 'GET', `/api/search/plots?limit=500&${q}`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r.body as { total: number };
    };
    const all = (await search('')).total;
    // Excluding A only (B's minimum 1 is met, every other plot sets nothing).
    for (const q of ['projectPlotRatio=1.99', 'projectPlotRatio=3.51', 'projectTaxPerMu=199999.99', 'projectEnergyPer10k=0.5001', 'projectPollutionCategory=class_2', 'projectInvestmentIntensity=4999', 'projectOutputPerMu=1999999']) {
      expect((await search(q)).total, q).toBe(all - 1);
    }
    // At the limits: met.
    for (const q of ['projectPlotRatio=2', 'projectPlotRatio=3.5', 'projectTaxPerMu=200000', 'projectEnergyPer10k=0.5', 'projectPollutionCategory=class_1', 'projectInvestmentIntensity=5000', 'projectOutputPerMu=2000000']) {
      expect((await search(q)).total, q).toBe(all);
    }
    // B's minimum excludes it too below 1; all figures together.
    expect((await search('projectPlotRatio=0.5')).total).toBe(all - 2);
    expect((await search('projectPlotRatio=2.5&projectTaxPerMu=300000&projectEnergyPer10k=0.1&projectPollutionCategory=class_1&projectInvestmentIntensity=6000&projectOutputPerMu=3000000')).total).toBe(all);
    // Bad figures: 400.
    expect((await call(app(), null, 'GET', '/api/search/plots?projectPlotRatio=-1')).status).toBe(400);
    expect((await call(app(), null, 'GET', '/api/search/plots?projectPollutionCategory=class_4')).status).toBe(400);
    // Leave the others to the later tests.
    expect((await patch(a!.id, { conditions: null })).status).toBe(200);
    expect((await patch(b!.id, { conditions: null })).status).toBe(200);
  });

  it('freezes the conditions into the 监管协议 at approval; a later plot edit does not change it', async () => {
    await putQuota(app(), land, 2026, 50_000_000, 0);
    const [plot] = await freshPlots(app(), 1);
    expect((await patch(plot!.id, { conditions: FULL })).status).toBe(200);
    const id = await proposeAtFloor(app(), land, plot!.id, 2026);
    expect((await call(app(), land, 'GET', `/api/allocations/${id}`)).body.agreement).toBeNull();
    // Four eyes may be on (PostgreSQL default): another officer approves.
    const approver = await login(app(), 'admin');
    const approved = await call(app(), approver, 'POST', `/api/allocations/${id}/approve`, {});
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body.agreement).toEqual({ conditions: FULL, frozenAt: approved.body.approvedAt, agreedHandoverOn: null, agreedStartOn: null, agreedCompletionOn: null });

    // The plot's conditions change afterwards; the agreement does not.
    expect((await patch(plot!.id, { conditions: { plotRatioMin: 2.5, startWithinMonths: 3, notes: null } })).status).toBe(200);
    expect((await call(app(), null, 'GET', `/api/plots/${plot!.id}`)).body.properties.conditions).toMatchObject({ plotRatioMin: 2.5, startWithinMonths: 3 });
    const view = await call(app(), land, 'GET', `/api/allocations/${id}`);
    expect(view.body.agreement.conditions).toEqual(FULL);

    // The contract adds the agreed dates next to the frozen conditions.
    const contract = {
      contractNo: `440112-2026-COND-${id}`, supervisionNo: `4401122026C${String(id).padStart(5, '0')}`,
      signedOn: daysFromToday(-30), agreedHandoverOn: daysFromToday(-20), agreedStartOn: daysFromToday(60), agreedCompletionOn: daysFromToday(700),
    };
    const contracted = await call(app(), land, 'POST', `/api/allocations/${id}/contract`, contract);
    expect(contracted.status, JSON.stringify(contracted.body)).toBe(200);
    expect(contracted.body.agreement).toEqual({
      conditions: FULL, frozenAt: approved.body.approvedAt,
      agreedHandoverOn: contract.agreedHandoverOn, agreedStartOn: contract.agreedStartOn, agreedCompletionOn: contract.agreedCompletionOn,
    });
    // The list shows it too.
    const list = await call(app(), land, 'GET', `/api/allocations?plotId=${plot!.id}`);
    expect(list.body.items.find((i: { id: number }) => i.id === id).agreement.conditions).toEqual(FULL);
    // The database keeps it frozen, whoever writes.
    await expect(app().db.updateTable('allocations').set({ agreement_conditions: '{}' }).where('id', '=', id).execute()).rejects.toThrow(/frozen/);
  });

  it('export → import → export: the conditions travel with the plots (GeoJSON columns, Chinese headings), bad ones refused per feature', async () => {
    await clearPark(app(), 'P10');
    const plots = samplePlots('P10', 3, 'CND');
    const base = (i: number) => ({ code: plots[i]!.code, landUse: plots[i]!.landUse, areaM2: plots[i]!.areaM2, landLevel: plots[i]!.landLevel });
    const file = (props: Record<string, unknown>[]) => JSON.stringify({
      type: 'FeatureCollection',
      features: props.map((p, i) => ({ type: 'Feature', properties: p, geometry: plots[i]!.geometry })),
    });
    // A bad feature: the preview names the field on that feature; the commit imports nothing.
    const bad = await upload(app(), land, 'bad.geojson', file([
      { ...base(0), conditionPlotRatioMin: 3, conditionPlotRatioMax: 2 },
      { ...base(1), 动工期限月: '0' },
      base(2),
    ]));
    expect(bad.status, JSON.stringify(bad.body)).toBe(201);
    const problems = bad.body.problems as { index: number; errors: { messageEn: string }[] }[];
    expect(problems.map((p) => p.index)).toEqual([0, 1]);
    expect(problems[0]!.errors[0]!.messageEn).toContain('conditions.plotRatioMax');
    expect(problems[1]!.errors[0]!.messageEn).toContain('conditions.startWithinMonths');
    expect((await call(app(), land, 'POST', `/api/imports/${bad.body.id}/commit`)).status).toBe(422);

    // Good: our export's column names on one, Chinese headings on another, nothing on the third.
    const pre = await upload(app(), land, 'good.geojson', file([
      { ...base(0), conditionPlotRatioMin: 1.2, conditionPlotRatioMax: 3, conditionTaxPerMuYuanMin: 100000.5, conditionEnergyTcePer10kYuanMax: 0.2525, conditionPollutionCategory: 'class_2', conditionNotes: '二类准入', conditionStartWithinMonths: 6, conditionCompleteWithinMonths: 24, conditionInvestmentIntensityYuanPerM2Min: 4500, conditionOutputPerMuYuanMin: 1000000 },
      { ...base(1), 标准地容积率下限: '1.5', 亩均税收下限: '80000', 污染类别: '一类工业', 动工期限月: '12' },
      base(2),
    ]));
    expect(pre.status, JSON.stringify(pre.body)).toBe(201);
    expect(pre.body.counts.invalid).toBe(0);
    const commit = await call(app(), land, 'POST', `/api/imports/${pre.body.id}/commit`);
    expect(commit.status, JSON.stringify(commit.body)).toBe(201);
    const expected: Record<string, Record<string, unknown>> = {
      [plots[0]!.code]: { ...FULL, notes: '二类准入' },
      [plots[1]!.code]: { ...NONE, plotRatioMin: 1.5, taxPerMuYuanMin: 80000, pollutionCategory: 'class_1', startWithinMonths: 12 },
      [plots[2]!.code]: NONE,
    };
    for (const c of commit.body.plots as { id: number; code: string }[]) {
      expect((await call(app(), null, 'GET', `/api/plots/${c.id}`)).body.properties.conditions, c.code).toEqual(expected[c.code]);
      // Version 1 of an imported plot carries them.
      const h = await call(app(), land, 'GET', `/api/plots/${c.id}/history`);
      expect(h.body.versions[0].attributes.conditions, c.code).toEqual(expected[c.code]);
    }

    // Export (public: the conditions are public terms), then import the exported file back.
    const parkId = (await app().db.selectFrom('parks').select('id').where('code', '=', 'P10').executeTakeFirstOrThrow()).id;
    const exported = await app().inject({ method: 'GET', url: `/api/plots/export?format=geojson&parkId=${parkId}` });
    expect(exported.statusCode).toBe(200);
    const fc = exported.json() as { features: { properties: Record<string, unknown> }[] };
    const byCode = new Map(fc.features.map((f) => [f.properties.code as string, f.properties]));
    expect(byCode.get(plots[0]!.code)).toMatchObject({ conditionPlotRatioMin: 1.2, conditionTaxPerMuYuanMin: 100000.5, conditionPollutionCategory: 'class_2', conditionStartWithinMonths: 6 });
    expect(byCode.get(plots[2]!.code)).toMatchObject({ conditionPlotRatioMin: null, conditionNotes: null });
    const csv = await app().inject({ method: 'GET', url: `/api/plots/export?format=csv&parkId=${parkId}` });
    expect(csv.body.split('\r\n')[0]).toContain('conditionPlotRatioMin');

    await clearPark(app(), 'P10');
    const again = await upload(app(), land, 'plots-export.geojson', exported.body);
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    expect(again.body.counts.invalid).toBe(0);
    const recommit = await call(app(), land, 'POST', `/api/imports/${again.body.id}/commit`);
    expect(recommit.status, JSON.stringify(recommit.body)).toBe(201);
    for (const c of recommit.body.plots as { id: number; code: string }[]) {
      expect((await call(app(), null, 'GET', `/api/plots/${c.id}`)).body.properties.conditions, c.code).toEqual(expected[c.code]);
    }
  });
});
