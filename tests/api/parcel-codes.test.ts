/**
 * 宗地代码, 控规地块编号 and 用地用海 2023 codes on plots (issue #18 §2) over HTTP, on PGlite and
 * PostgreSQL: the demo's sample plots carry them and anyone may read them (public facts; the cost
 * stays internal); PATCH normalises and stores a good 宗地代码 with an audit event, refuses a
 * malformed one or one of another district with 400 naming `parcelCode` and writes nothing;
 * a code on another live plot is 409, and the database's partial unique index refuses it too,
 * while a retired (split) parent keeps its code and its pieces start without one; landUseCode must
 * go with landUse; the CHECK refuses a malformed stored code; migration 026 backfills the 2023 code.
 */
import { expect, it } from 'vitest';
import { Migrator, sql } from 'kysely';
import { describeOnDatabases, describeOnEmptyDatabases } from './context.ts';
import { call, login, type Session } from './login.ts';
import { freshPlots } from './allocation-helpers.ts';
import { migrations } from '../../server/db/migrations/index.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { validateParcelCode } from '../../shared/policy/parcel-code.ts';

/** A valid 宗地代码 in `district` with 顺序号 `n` (地籍区 900: no sample plot uses it). */
const codeIn = (district: string, n: number) => `${district}900001GB${String(n).padStart(5, '0')}`;
const OTHER_DISTRICT = (d: string) => (d === '440112' ? '440106' : '440112');

describeOnDatabases('parcel codes (宗地代码) and 用地用海 codes', (get) => {
  let land: Session;
  const app = () => get().app;
  const rowVersion = async (id: number) => (await call(app(), land, 'GET', `/api/plots/${id}/history`)).body.rowVersion as string;
  const patch = async (id: number, body: Record<string, unknown>) => call(app(), land, 'PATCH', `/api/plots/${id}`, { expectedRowVersion: await rowVersion(id), ...body });
  const row = (id: number) => app().db.selectFrom('plots').select(['parcel_code', 'zoning_plot_code', 'land_use', 'land_use_code']).where('id', '=', id).executeTakeFirstOrThrow();
  const events = async () => Number((await sql<{ n: number }>`select count(*)::int as n from audit_events`.execute(app().db)).rows[0]!.n);

  it('signs in', async () => {
    land = await login(app(), 'land');
  });

  it('gives the sample plots valid, distinct 宗地代码 in their own district and the mapped 2023 code', async () => {
    const rows = await app().db.selectFrom('plots as pl').innerJoin('parks as pk', 'pk.id', 'pl.park_id')
      .select(['pl.parcel_code', 'pl.land_use', 'pl.land_use_code', 'pl.zoning_plot_code', 'pl.sample', 'pk.district_code']).where('pk.tier', '<>', 'zone').execute();
    expect(rows.length).toBeGreaterThan(100);
    const mapped = { M0: '100101', M1: '100101', M2: '100102', M3: '100103' } as const;
    for (const r of rows) {
      expect(r.sample).toBe(true);
      const v = validateParcelCode(r.parcel_code!);
      expect(v.ok && v.districtCode, r.parcel_code!).toBe(r.district_code);
      expect(r.land_use_code).toBe(mapped[r.land_use]);
      expect(r.zoning_plot_code).toMatch(/^KG\d{2}-\d{2}-\d{2,}$/);
    }
    expect(new Set(rows.map((r) => r.parcel_code)).size).toBe(rows.length);
  });

  it('shows the codes to anyone (detail, by code, list), with the 2023 name and the M label, and never the cost', async () => {
    const [plot] = await freshPlots(app(), 1);
    const stored = await row(plot!.id);
    for (const who of [null, await login(app(), 'investor')]) {
      const detail = await call(app(), who, 'GET', `/api/plots/${plot!.id}`);
      expect(detail.status).toBe(200);
      const p = detail.body.properties;
      expect(p).toMatchObject({ parcelCode: stored.parcel_code, zoningPlotCode: stored.zoning_plot_code, landUse: stored.land_use, landUseCode: stored.land_use_code });
      expect(p.landUseCodeNameZh).toMatch(/类工业用地$/);
      expect(p).not.toHaveProperty('costYuan');
      expect(p).not.toHaveProperty('costNote');
    }
    const byCode = await call(app(), null, 'GET', `/api/plots/by-code/${encodeURIComponent(plot!.code)}`);
    expect(byCode.body.properties.parcelCode).toBe(stored.parcel_code);
    const parkId = (await app().db.selectFrom('plots').select('park_id').where('id', '=', plot!.id).executeTakeFirstOrThrow()).park_id;
    const list = await call(app(), null, 'GET', `/api/plots?parkId=${parkId}`);
    const item = list.body.features.find((f: { id: number }) => f.id === plot!.id);
    expect(item.properties).toMatchObject({ parcelCode: stored.parcel_code, landUseCode: stored.land_use_code });
    expect(item.properties).not.toHaveProperty('costYuan');
  });

  it('PATCH stores a good 宗地代码 upper-cased, with 控规地块编号 and 1001; audit and version record the change', async () => {
    const [plot] = await freshPlots(app(), 1);
    const before = await row(plot!.id);
    const code = codeIn(plot!.districtCode, 1);
    const r = await patch(plot!.id, { parcelCode: ` ${code.toLowerCase()} `, zoningPlotCode: ' AH0402016 ', landUseCode: '1001', reason: '不动产登记宗地代码' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.plot.properties).toMatchObject({ parcelCode: code, zoningPlotCode: 'AH0402016', landUseCode: '1001', landUseCodeNameZh: '工业用地' });
    expect(await row(plot!.id)).toMatchObject({ parcel_code: code, zoning_plot_code: 'AH0402016', land_use_code: '1001' });
    const ev = await app().db.selectFrom('audit_events').select(['before', 'after']).where('entity', '=', 'plot').where('entity_id', '=', String(plot!.id))
      .where('action', '=', 'plot.update').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(ev.before).toMatchObject({ parcelCode: before.parcel_code, zoningPlotCode: before.zoning_plot_code, landUseCode: before.land_use_code });
    expect(ev.after).toMatchObject({ parcelCode: code, zoningPlotCode: 'AH0402016', landUseCode: '1001' });
    const history = await call(app(), land, 'GET', `/api/plots/${plot!.id}/history`);
    expect(history.body.versions.at(-1).attributes).toMatchObject({ parcelCode: code, landUseCode: '1001' });
    // null clears the 宗地代码; an empty 控规地块编号 clears it too.
    const cleared = await patch(plot!.id, { parcelCode: null, zoningPlotCode: '' });
    expect(cleared.status, JSON.stringify(cleared.body)).toBe(200);
    expect(await row(plot!.id)).toMatchObject({ parcel_code: null, zoning_plot_code: null });
  });

  it('refuses a malformed 宗地代码 or one of another district with 400 naming parcelCode, writing nothing', async () => {
    const [plot] = await freshPlots(app(), 1);
    const before = await row(plot!.id);
    const n = await events();
    const good = codeIn(plot!.districtCode, 2);
    for (const [bad, text] of [
      [good.slice(0, 18), /19 characters/],
      [`${good}7`, /19 characters/],
      [`440303${good.slice(6)}`, /Guangzhou district/],
      [`${good.slice(0, 12)}QB${good.slice(14)}`, /ownership/],
      [codeIn(OTHER_DISTRICT(plot!.districtCode), 2), /not the plot's district/],
    ] as const) {
      const r = await patch(plot!.id, { parcelCode: bad });
      expect(r.status, bad).toBe(400);
      expect(r.body.code).toBe('VALIDATION_FAILED');
      expect(r.body.field).toBe('parcelCode');
      expect(r.body.message).toMatch(text);
      expect(r.body.messageZh).toBeTruthy();
    }
    expect(await row(plot!.id)).toEqual(before);
    expect(await events()).toBe(n);
  });

  it('landUseCode must go with landUse; a change of landUse moves the code to the new default', async () => {
    const [plot] = await freshPlots(app(), 1);
    const r1 = await patch(plot!.id, { landUse: 'M1', landUseCode: '100102' });
    expect(r1.status).toBe(400);
    expect(r1.body.field).toBe('landUseCode');
    expect(r1.body.message).toMatch(/100101, 1001/);
    const r2 = await patch(plot!.id, { landUse: 'M1', landUseCode: '100101' });
    expect(r2.status, JSON.stringify(r2.body)).toBe(200);
    const r3 = await patch(plot!.id, { landUse: 'M2' });
    expect(r3.status, JSON.stringify(r3.body)).toBe(200);
    expect(r3.body.plot.properties).toMatchObject({ landUse: 'M2', landUseCode: '100102', landUseCodeNameZh: '二类工业用地' });
    const r4 = await patch(plot!.id, { landUseCode: '999999' });
    expect(r4.status).toBe(400);
    expect(r4.body.field).toBe('landUseCode');
  });

  it('one 宗地代码 per live plot: 409 from the API, the unique index refuses it in the database too', async () => {
    const [a, b] = await freshPlots(app(), 2, { districtCode: '440112' });
    const code = codeIn('440112', 3);
    expect((await patch(a!.id, { parcelCode: code })).status).toBe(200);
    const dup = await patch(b!.id, { parcelCode: code.toLowerCase() });
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ code: 'CONFLICT', reason: 'CODE_EXISTS', field: 'parcelCode' });
    expect(dup.body.message).toContain(a!.code);
    await expect(sql`update plots set parcel_code = ${code} where id = ${b!.id}`.execute(app().db)).rejects.toThrow(/plots_parcel_code_live|unique|duplicate/i);
    // The same plot may send its own code again.
    expect((await patch(a!.id, { parcelCode: code, reason: 'same' })).status).toBe(200);
  });

  it('the database CHECK refuses a malformed code written around the API', async () => {
    const [plot] = await freshPlots(app(), 1);
    for (const bad of ['440112900001gb00001', '440100900001GB00001', '440112900001GA00001', '440112900001GB00000', '  ']) {
      await expect(sql`update plots set parcel_code = ${bad} where id = ${plot!.id}`.execute(app().db), bad).rejects.toThrow(/plots_parcel_code_valid|check/i);
    }
    await expect(sql`update plots set land_use_code = '100103' where id = ${plot!.id}`.execute(app().db)).rejects.toThrow(/plots_land_use_code_mapped|foreign key/i);
  });

  it('a split parent keeps its 宗地代码 (retired, history); its pieces start without one and keep the 控规地块编号; the code can then go to a piece', async () => {
    const [plot] = await freshPlots(app(), 1);
    const code = codeIn(plot!.districtCode, 4);
    const set = await patch(plot!.id, { parcelCode: code, zoningPlotCode: 'KG-SPLIT' });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    const ring = set.body.plot.geometry.coordinates[0] as [number, number][];
    const mid = (p: [number, number], q: [number, number]) => [(p[0] + q[0]) / 2, (p[1] + q[1]) / 2];
    const m1 = mid(ring[0]!, ring[1]!), m2 = mid(ring[2]!, ring[3]!);
    const ext = (p: number[], q: number[], t: number) => [p[0]! + (p[0]! - q[0]!) * t, p[1]! + (p[1]! - q[1]!) * t];
    const split = await call(app(), land, 'POST', `/api/plots/${plot!.id}/split`, { line: { type: 'LineString', coordinates: [ext(m1, m2, 0.05), ext(m2, m1, 0.05)] } });
    expect(split.status, JSON.stringify(split.body)).toBe(201);
    expect(await row(plot!.id)).toMatchObject({ parcel_code: code });
    const children = split.body.children as { id: number; properties: Record<string, unknown> }[];
    for (const c of children) expect(c.properties).toMatchObject({ parcelCode: null, zoningPlotCode: 'KG-SPLIT', landUseCode: set.body.plot.properties.landUseCode });
    // The register may give the first piece the parent's code: the retired parent does not block it.
    const reuse = await patch(children[0]!.id, { parcelCode: code });
    expect(reuse.status, JSON.stringify(reuse.body)).toBe(200);
  });

  it('create validates and stores the codes, defaulting landUseCode from landUse', async () => {
    const [plot] = await freshPlots(app(), 1);
    const detail = (await call(app(), land, 'GET', `/api/plots/${plot!.id}`)).body;
    // Free the ground: a never-allocated sample plot may be deleted, then drawn again.
    expect((await call(app(), land, 'DELETE', `/api/plots/${plot!.id}`)).status).toBe(200);
    const base = { code: `${plot!.code}-NEW`, parkId: detail.properties.parkId, landUse: 'M0', areaM2: detail.properties.areaM2, landLevel: 2, geometry: detail.geometry };
    const bad = await call(app(), land, 'POST', '/api/plots', { ...base, parcelCode: codeIn(OTHER_DISTRICT(plot!.districtCode), 9) });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('parcelCode');
    const badUse = await call(app(), land, 'POST', '/api/plots', { ...base, landUseCode: '100103' });
    expect(badUse.status).toBe(400);
    expect(badUse.body.field).toBe('landUseCode');
    const code = codeIn(plot!.districtCode, 9);
    const ok = await call(app(), land, 'POST', '/api/plots', { ...base, parcelCode: code.toLowerCase(), zoningPlotCode: 'AH0402017' });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body.plot.properties).toMatchObject({ parcelCode: code, zoningPlotCode: 'AH0402017', landUse: 'M0', landUseCode: '100101' });
    const ev = await app().db.selectFrom('audit_events').select('after').where('action', '=', 'plot.create').where('entity_id', '=', String(ok.body.plot.id)).executeTakeFirstOrThrow();
    expect(ev.after).toMatchObject({ parcelCode: code, landUseCode: '100101' });
  });

  it('a parcelCode longer than the schema allows is refused before the rule, naming the field', async () => {
    const [plot] = await freshPlots(app(), 1);
    const bad = await call(app(), land, 'PATCH', `/api/plots/${plot!.id}`, { expectedRowVersion: await rowVersion(plot!.id), parcelCode: 'x'.repeat(65) });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/parcelCode/);
  });
});

describeOnEmptyDatabases('migration 026 backfills the 2023 用地用海 code', (get) => {
  it('maps M0–M3 to their default codes, flags M0 as the assumption, and fills new rows by trigger', async () => {
    const db = get();
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
    expect((await migrator.migrateTo('025_approvals_fast')).error).toBeUndefined();
    const SQUARE = (x: number) => JSON.stringify({ type: 'Polygon', coordinates: [[[113.4 + x, 23.1], [113.401 + x, 23.1], [113.401 + x, 23.101], [113.4 + x, 23.101], [113.4 + x, 23.1]]] });
    await sql`insert into districts (code, name_zh, name_en, geometry, bbox) values ('440112', '黄埔区', 'Huangpu', ${SQUARE(0)}::jsonb, '((113.4,23.1),(113.5,23.2))')`.execute(db);
    const park = (await sql<{ id: number }>`insert into parks (code, name_zh, name_en, district_code, tier, sectors, recognized_year, boundary_source, area_m2, geometry, bbox)
      values ('P99', '测试园', 'Test park', '440112', 'core', ARRAY['ai'], 2018, 'indicative', 1000000, ${SQUARE(0)}::jsonb, '((113.4,23.1),(113.5,23.2))') returning id`.execute(db)).rows[0]!.id;
    const uses = ['M0', 'M1', 'M2', 'M3'];
    for (const [i, u] of uses.entries()) {
      await sql`insert into plots (code, park_id, status, land_use, area_m2, land_level, geometry, bbox)
        values (${`T-${u}`}, ${park}, 'available', ${u}, 10000, 1, ${SQUARE(i * 0.01)}::jsonb, '((113.4,23.1),(113.401,23.101))')`.execute(db);
    }
    expect(await migrateToLatest(db)).toContain('026_parcel_codes');
    const codes = Object.fromEntries((await db.selectFrom('plots').select(['code', 'land_use_code', 'parcel_code']).execute()).map((r) => [r.code, [r.land_use_code, r.parcel_code]]));
    expect(codes).toEqual({ 'T-M0': ['100101', null], 'T-M1': ['100101', null], 'T-M2': ['100102', null], 'T-M3': ['100103', null] });
    const assumed = await sql<{ land_use: string; land_use_code: string }>`select land_use, land_use_code from land_use_code_map where assumption`.execute(db);
    expect(assumed.rows).toEqual([{ land_use: 'M0', land_use_code: '100101' }]);
    // A writer that knows nothing of the column (a bulk import, a seed) gets the default.
    await sql`insert into plots (code, park_id, status, land_use, area_m2, land_level, geometry, bbox)
      values ('T-new', ${park}, 'available', 'M3', 10000, 1, ${SQUARE(0.05)}::jsonb, '((113.45,23.1),(113.451,23.101))')`.execute(db);
    expect((await db.selectFrom('plots').select('land_use_code').where('code', '=', 'T-new').executeTakeFirstOrThrow()).land_use_code).toBe('100103');
    // A land-use change that leaves a code of the old class moves to the new default; 1001 goes with any.
    await sql`update plots set land_use = 'M2' where code = 'T-new'`.execute(db);
    expect((await db.selectFrom('plots').select('land_use_code').where('code', '=', 'T-new').executeTakeFirstOrThrow()).land_use_code).toBe('100102');
    await sql`update plots set land_use_code = '1001' where code = 'T-new'`.execute(db);
    await sql`update plots set land_use = 'M1' where code = 'T-new'`.execute(db);
    expect((await db.selectFrom('plots').select('land_use_code').where('code', '=', 'T-new').executeTakeFirstOrThrow()).land_use_code).toBe('1001');
  });
});
