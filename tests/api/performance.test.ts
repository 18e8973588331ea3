/**
 * 亩均 performance over HTTP (issue #15 §4), on PGlite and PostgreSQL: entering a year's figures
 * (201, replace 200 with before/after in the audit trail, bad figures and years → 400 naming
 * the field, scope 403), the CSV import (preview, all-or-nothing commit, UTF-8 with BOM and GBK,
 * contract-number and plot-code keys, per-row errors), the evaluation (per-亩 figures to the
 * yuan and grades, computed here from the inputs) and a new threshold version changing grades.
 *
 * Allocations are made here through the API (proposed, approved, contracted) on plots whose
 * area the test sets, so every expected figure follows from numbers in this file.
 */
import { expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeOnDatabases } from './context.ts';
import { as, call, login, type Session } from './login.ts';
import { freshPlots, proposeAtFloor, putQuota, setPlotArea } from './allocation-helpers.ts';
import { multipart } from './import-helpers.ts';
import { bureauYear } from '../../shared/dates.ts';
import { SAMPLE_MU_GRADE_THRESHOLDS as SAMPLE } from '../../shared/policy/mu-evaluation.ts';

const ONE_OFFICER = { APPROVAL_FOUR_EYES: 'false' };
const HUANGPU = '440112';
const TIANHE = '440106';
const THIS_YEAR = bureauYear();
const LAST_YEAR = THIS_YEAR - 1;

// --- Expected figures, computed here from the inputs --------------------------------------------

/** Exact decimal text → [numerator, 10^k]. */
function dec(s: string): [bigint, bigint] {
  const [i, f = ''] = s.split('.');
  return [BigInt(i! + f), 10n ** BigInt(f.length)];
}

/** yuan ÷ (m² × 3 / 2000) = yuan × 2000 / (3 × m²), rounded half up to the yuan. */
function perMu(yuan: string, m2: string): number {
  const [yn, yd] = dec(yuan);
  const [an, ad] = dec(m2);
  const num = yn * 2000n * ad;
  const den = yd * 3n * an;
  return Number((2n * num + den) / (2n * den));
}

type Minimums = { outputPerMuYuan: number; taxPerMuYuan: number };
function expectedGrade(output: number, tax: number, t: { A: Minimums; B: Minimums; C: Minimums }): string {
  for (const g of ['A', 'B', 'C'] as const) if (output >= t[g].outputPerMuYuan && tax >= t[g].taxPerMuYuan) return g;
  return 'D';
}

// --- GBK by hand: a table built from the platform's own GBK decoder ------------------------------

let gbkTable: Map<string, number[]> | undefined;
function gbk(text: string): Uint8Array {
  if (!gbkTable) {
    gbkTable = new Map();
    const d = new TextDecoder('gbk', { fatal: true });
    for (let lead = 0x81; lead <= 0xfe; lead++) {
      for (let trail = 0x40; trail <= 0xfe; trail++) {
        if (trail === 0x7f) continue;
        try {
          const ch = d.decode(new Uint8Array([lead, trail]));
          if ([...ch].length === 1 && !gbkTable.has(ch)) gbkTable.set(ch, [lead, trail]);
        } catch { /* not a GBK pair */ }
      }
    }
  }
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else {
      const bytes = gbkTable.get(ch);
      if (!bytes) throw new Error(`no GBK code for ${ch}`);
      out.push(...bytes);
    }
  }
  return new Uint8Array(out);
}

describeOnDatabases('亩均 performance', (get) => {
  const app = () => get().app;
  let land: Session;
  let huangpu: Session;
  let tianhe: Session;
  let industry: Session;
  let investor: Session;
  let seq = 0;

  /** A contracted allocation on a fresh plot of `m2` m² in the district, signed on `signedOn`. */
  async function contracted(m2: string, opts: { districtCode?: string; signedOn?: string } = {}) {
    const [plot] = await freshPlots(app(), 1, { districtCode: opts.districtCode ?? HUANGPU });
    await setPlotArea(app(), plot!.id, Number(m2));
    const id = await proposeAtFloor(app(), land, plot!.id, THIS_YEAR);
    const approved = await call(app(), land, 'POST', `/api/allocations/${id}/approve`, {});
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    const signedOn = opts.signedOn ?? `${LAST_YEAR - 1}-03-01`;
    const contractNo = `PERF-${THIS_YEAR}-${++seq}-${plot!.id}`;
    const c = await call(app(), land, 'POST', `/api/allocations/${id}/contract`, {
      contractNo, supervisionNo: `PERF${String(seq).padStart(6, '0')}`, signedOn,
      agreedHandoverOn: signedOn, agreedStartOn: signedOn, agreedCompletionOn: signedOn,
    });
    expect(c.status, JSON.stringify(c.body)).toBe(200);
    return { id, plotCode: plot!.code, contractNo, areaM2: m2 };
  }

  const figures = (year: number, o: Partial<{ outputYuan: number; taxYuan: number; energyTce: number; employees: number }> = {}) =>
    ({ year, outputYuan: 1_000_000, taxYuan: 50_000, energyTce: 12.5, employees: 30, ...o });
  const post = (id: number, body: unknown, s: Session = land) => call(app(), s, 'POST', `/api/allocations/${id}/performance`, body);
  const rowCount = async () => Number((await app().db.selectFrom('allocation_performance').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  async function csv(path: 'import' | 'import/commit', data: Uint8Array | string, s: Session = land) {
    const { payload, headers } = multipart({}, { filename: 'figures.csv', data });
    const res = await app().inject({ method: 'POST', url: `/api/supervision/performance/${path}`, payload, headers: as(s, headers) });
    return { status: res.statusCode, body: res.json() };
  }

  it('signs in and sets this year’s quota', async () => {
    land = await login(app(), 'land');
    // The demo's sample plots carry 标准地 conditions (seeds/sample-supervision.ts); this suite's
    // allocations are about the figures and grades, so their plots start without conditions.
    await sql`update plots set conditions = '{}'::jsonb where status = 'available'`.execute(app().db);
    huangpu = await login(app(), 'district-huangpu');
    tianhe = await login(app(), 'district-tianhe');
    industry = await login(app(), 'industry');
    investor = await login(app(), 'investor');
    await putQuota(app(), land, THIS_YEAR, 50_000_000, 0);
  });

  it('records a year (201), replaces it (200) with before and after in the audit trail, and lists the years', async () => {
    const a = await contracted('20000');
    const first = await post(a.id, figures(LAST_YEAR));
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ allocationId: a.id, year: LAST_YEAR, outputYuan: 1_000_000, taxYuan: 50_000, energyTce: 12.5, employees: 30, source: 'entry', recordedBy: 'land' });
    const second = await post(a.id, figures(LAST_YEAR, { outputYuan: 2_000_000.55, employees: 31 }), huangpu);
    expect(second.status, JSON.stringify(second.body)).toBe(200);
    expect(second.body).toMatchObject({ outputYuan: 2_000_000.55, employees: 31, recordedBy: 'district-huangpu' });
    // An Idempotency-Key replay answers the first response (and its status) without writing again.
    const key = { 'idempotency-key': `perf-${a.id}` };
    const k1 = await call(app(), land, 'POST', `/api/allocations/${a.id}/performance`, figures(LAST_YEAR - 1), key);
    const k2 = await call(app(), land, 'POST', `/api/allocations/${a.id}/performance`, figures(LAST_YEAR - 1), key);
    expect([k1.status, k2.status, k2.headers['idempotent-replayed']]).toEqual([201, 201, 'true']);
    expect(k2.body).toEqual(k1.body);
    const list = await call(app(), land, 'GET', `/api/allocations/${a.id}/performance`);
    expect(list.status).toBe(200);
    expect(list.body.items.map((i: { year: number }) => i.year)).toEqual([LAST_YEAR, LAST_YEAR - 1]);
    expect(list.body.items[0]).toMatchObject({ year: LAST_YEAR, outputYuan: 2_000_000.55, taxYuan: 50_000, employees: 31 });
    const events = await app().db.selectFrom('audit_events').select(['action', 'before', 'after']).where('entity', '=', 'allocation').where('entity_id', '=', String(a.id))
      .where('action', 'like', 'performance.%').orderBy('id').execute();
    expect(events.map((e) => e.action)).toEqual(['performance.record', 'performance.replace', 'performance.record']);
    expect(events[0]!.before).toBeNull();
    expect(events[1]!.before).toMatchObject({ year: LAST_YEAR, outputFen: '100000000', employees: 30 });
    expect(events[1]!.after).toMatchObject({ year: LAST_YEAR, outputFen: '200000055', employees: 31 });
  });

  it('refuses bad figures and years with 400 naming the field, writing nothing', async () => {
    const a = await contracted('10000', { signedOn: `${LAST_YEAR}-06-30` });
    const before = await rowCount();
    const cases: [unknown, string][] = [
      [figures(LAST_YEAR, { outputYuan: -1 }), 'outputYuan'],
      [figures(LAST_YEAR, { taxYuan: -0.01 }), 'taxYuan'],
      [figures(LAST_YEAR, { outputYuan: 10.001 }), 'outputYuan'],
      [figures(LAST_YEAR, { taxYuan: 1e14 }), 'taxYuan'],
      [figures(LAST_YEAR, { energyTce: -3 }), 'energyTce'],
      [figures(LAST_YEAR, { employees: -1 }), 'employees'],
      [figures(LAST_YEAR - 1), 'year'], // before the contract's signing year
      [figures(THIS_YEAR + 1), 'year'], // after the current year
    ];
    for (const [body, field] of cases) {
      const r = await post(a.id, body);
      expect(r.status, `${field}: ${JSON.stringify(r.body)}`).toBe(400);
      expect(r.body.field ?? r.body.message, JSON.stringify(r.body)).toContain(field);
    }
    // A non-finite number: JSON's 1e400 reads as Infinity.
    const inf = await app().inject({
      method: 'POST', url: `/api/allocations/${a.id}/performance`, headers: as(land, { 'content-type': 'application/json' }),
      payload: `{"year":${LAST_YEAR},"outputYuan":1,"taxYuan":1,"energyTce":1e400,"employees":1}`,
    });
    expect(inf.statusCode, inf.body).toBe(400);
    expect(inf.body).toContain('energyTce');
    expect(await rowCount()).toBe(before);
    // The signing year itself and the current year are accepted.
    expect((await post(a.id, figures(LAST_YEAR))).status).toBe(201);
    expect((await post(a.id, figures(THIS_YEAR))).status).toBe(201);
  });

  it('keeps district officers to their district and needs a contracted allocation', async () => {
    const a = await contracted('10000');
    expect((await post(a.id, figures(LAST_YEAR), tianhe)).status).toBe(403);
    expect((await call(app(), tianhe, 'GET', `/api/allocations/${a.id}/performance`)).status).toBe(403);
    expect((await post(a.id, figures(LAST_YEAR), investor)).status).toBe(403);
    expect((await post(a.id, figures(LAST_YEAR), industry)).status).toBe(201);
    expect((await post(999_999_999, figures(LAST_YEAR))).status).toBe(404);
    const [plot] = await freshPlots(app(), 1, { districtCode: HUANGPU });
    const proposed = await proposeAtFloor(app(), land, plot!.id, THIS_YEAR);
    const r = await post(proposed, figures(LAST_YEAR));
    expect(r.status).toBe(409);
    expect(r.body.reason).toBe('INVALID_STATUS');
  });

  it('imports a UTF-8 CSV (with BOM) by contract number and plot code: preview writes nothing, commit writes every row', async () => {
    const a = await contracted('10000');
    const b = await contracted('13333.33');
    const text = `\uFEFF合同编号,地块编号,年度,产值,税收,能耗,从业人员\n${a.contractNo},,${LAST_YEAR},"1,500,000.50",80000,20.25,12\n,${b.plotCode},${LAST_YEAR},2000000,90000.1,0,40\n\n`;
    const before = await rowCount();
    const preview = await csv('import', text);
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body).toMatchObject({ encoding: 'utf-8', okCount: 2, errorCount: 0 });
    expect(preview.body.rows).toEqual([
      expect.objectContaining({ row: 2, allocationId: a.id, year: LAST_YEAR, outputYuan: 1_500_000.5, taxYuan: 80_000, energyTce: 20.25, employees: 12, ok: true, errors: [], replaces: false }),
      expect.objectContaining({ row: 3, allocationId: b.id, year: LAST_YEAR, outputYuan: 2_000_000, taxYuan: 90_000.1, ok: true }),
    ]);
    expect(await rowCount()).toBe(before);
    const commit = await csv('import/commit', text);
    expect(commit.status, JSON.stringify(commit.body)).toBe(201);
    expect(commit.body).toMatchObject({ written: 2, created: 2, replaced: 0 });
    expect(await rowCount()).toBe(before + 2);
    const listed = await call(app(), land, 'GET', `/api/allocations/${b.id}/performance`);
    expect(listed.body.items[0]).toMatchObject({ year: LAST_YEAR, outputYuan: 2_000_000, taxYuan: 90_000.1, energyTce: 0, employees: 40, source: 'import' });
    // The same file again replaces both years (the preview says so first).
    expect((await csv('import', text)).body.rows.map((r: { replaces: boolean }) => r.replaces)).toEqual([true, true]);
    const again = await csv('import/commit', text);
    expect(again.body).toMatchObject({ written: 2, created: 0, replaced: 2 });
    expect(await rowCount()).toBe(before + 2);
    // English headers are read too.
    const english = `contractNo,year,outputYuan,taxYuan,energyTce,employees\n${a.contractNo},${THIS_YEAR},1,2,3,4\n`;
    expect((await csv('import', english)).body).toMatchObject({ okCount: 1, errorCount: 0 });
  });

  it('lists each bad row with its fields and imports nothing while any row is bad', async () => {
    const a = await contracted('10000', { signedOn: `${LAST_YEAR}-01-15` });
    const other = await contracted('10000', { districtCode: TIANHE });
    const rows = [
      `${a.contractNo},,${LAST_YEAR},100,10,1,1`, // row 2: good
      `NO-SUCH-CONTRACT,,${LAST_YEAR},100,10,1,1`, // row 3: unknown contract
      `${a.contractNo},,${LAST_YEAR - 1},100,10,1,1`, // row 4: before the signing year
      `${a.contractNo},,${THIS_YEAR},-5,10.123,abc,1.5`, // row 5: negative output, 3 decimals, not a number, fractional employees
      `,NO-SUCH-PLOT,${LAST_YEAR},1,1,1,1`, // row 6: unknown plot
      `${a.contractNo},,${LAST_YEAR},100,10,1,1`, // row 7: same allocation and year as row 2
      `,,${LAST_YEAR},1,1,1,1`, // row 8: no key
      `${other.contractNo},,${LAST_YEAR},,1,1,1`, // row 9: output missing
    ];
    const text = `合同编号,地块编号,年度,产值,税收,能耗,从业人员\n${rows.join('\n')}\n`;
    const before = await rowCount();
    const preview = await csv('import', text);
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body).toMatchObject({ okCount: 1, errorCount: 7 });
    const fieldsOf = (row: number) => (preview.body.rows.find((r: { row: number }) => r.row === row).errors as { field: string }[]).map((e) => e.field).sort();
    expect(fieldsOf(2)).toEqual([]);
    expect(fieldsOf(3)).toEqual(['contractNo']);
    expect(fieldsOf(4)).toEqual(['year']);
    expect(fieldsOf(5)).toEqual(['employees', 'energyTce', 'outputYuan', 'taxYuan']);
    expect(fieldsOf(6)).toEqual(['plotCode']);
    expect(fieldsOf(7)).toEqual(['year']);
    expect(fieldsOf(8)).toEqual(['contractNo']);
    expect(fieldsOf(9)).toEqual(['outputYuan']);
    const commit = await csv('import/commit', text);
    expect(commit.status).toBe(422);
    expect(commit.body.reason).toBe('IMPORT_HAS_ERRORS');
    expect(commit.body.rows.map((r: { row: number }) => r.row)).toEqual([3, 4, 5, 6, 7, 8, 9]);
    expect(await rowCount()).toBe(before);
    // A district officer's file naming another district's allocation: that row is refused.
    const scoped = await csv('import', `合同编号,年度,产值,税收,能耗,从业人员\n${a.contractNo},${LAST_YEAR},1,1,1,1\n${other.contractNo},${LAST_YEAR},1,1,1,1\n`, huangpu);
    expect(scoped.body.rows.map((r: { ok: boolean }) => r.ok)).toEqual([true, false]);
    expect(scoped.body.rows[1].errors[0].field).toBe('contractNo');
    // Missing columns and undecodable bytes are the file's errors.
    const noTax = await csv('import', `合同编号,年度,产值,能耗,从业人员\n${a.contractNo},${LAST_YEAR},1,1,1\n`);
    expect(noTax.status).toBe(400);
    expect(noTax.body.reason).toBe('CSV_COLUMNS');
    const junk = await csv('import', new Uint8Array([0x81, 0x20, 0x81, 0x20]));
    expect(junk.status).toBe(400);
    expect(junk.body.reason).toBe('CSV_ENCODING');
    expect(await rowCount()).toBe(before);
  });

  it('reads a GBK-encoded file (Chinese Excel) and says so', async () => {
    const a = await contracted('10000');
    const text = `合同编号,年度,产值（元）,税收（元）,能耗（吨标准煤）,从业人员\r\n${a.contractNo},${LAST_YEAR},3000000,150000,8,25\r\n`;
    const bytes = gbk(text);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow(); // really not UTF-8
    const preview = await csv('import', bytes);
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body).toMatchObject({ encoding: 'gbk', okCount: 1, errorCount: 0 });
    const commit = await csv('import/commit', bytes);
    expect(commit.status, JSON.stringify(commit.body)).toBe(201);
    expect(commit.body).toMatchObject({ encoding: 'gbk', written: 1 });
    const listed = await call(app(), land, 'GET', `/api/allocations/${a.id}/performance`);
    expect(listed.body.items[0]).toMatchObject({ year: LAST_YEAR, outputYuan: 3_000_000, taxYuan: 150_000, energyTce: 8, employees: 25, source: 'import' });
  });

  it('evaluates a year: per-亩 figures to the yuan (half up), energy per 万元 and grades from the thresholds', async () => {
    const year = LAST_YEAR - 1;
    // 20000 m² = 30 亩; 10000 m² = 15 亩; 12345.67 m² is not a whole number of 亩.
    const x = await contracted('20000', { signedOn: `${year}-01-10` });
    const y = await contracted('20000', { signedOn: `${year}-01-10` });
    const z = await contracted('10000', { signedOn: `${year}-01-10` });
    const w = await contracted('12345.67', { signedOn: `${year}-01-10`, districtCode: TIANHE });
    const inputs = [
      { a: x, outputYuan: '150000000', taxYuan: '9000000', energyTce: 30 }, // exactly A's minimums
      { a: y, outputYuan: '149999984.99', taxYuan: '9000000', energyTce: 0 }, // 4 999 999.4997 → 4 999 999: under A's output
      { a: z, outputYuan: '15000000', taxYuan: '22.5', energyTce: 7.5 }, // tax 1.5 per 亩 → 2 (half up)
      { a: w, outputYuan: '0', taxYuan: '1234567.89', energyTce: 3 }, // no output: energy per 万元 is null
    ];
    for (const i of inputs) {
      const r = await post(i.a.id, { year, outputYuan: Number(i.outputYuan), taxYuan: Number(i.taxYuan), energyTce: i.energyTce, employees: 10 });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
    }
    const t = (await call(app(), land, 'GET', '/api/supervision/grade-thresholds')).body.current;
    // The shipped version is the policy module's sample set, flagged as such.
    expect(t).toMatchObject({
      sample: true, effectiveFrom: `${SAMPLE.fromYear}-01-01`, source: `${SAMPLE.sourceZh} / ${SAMPLE.sourceEn}`,
      ...Object.fromEntries((['A', 'B', 'C'] as const).map((g) => [g, { outputPerMuYuan: SAMPLE[g].outputPerMuYuanMin, taxPerMuYuan: SAMPLE[g].taxPerMuYuanMin }])),
    });
    const ev = await call(app(), land, 'GET', `/api/supervision/evaluation?year=${year}`);
    expect(ev.status, JSON.stringify(ev.body)).toBe(200);
    expect(ev.body.year).toBe(year);
    expect(ev.body.thresholds.versionId).toBe(t.versionId);
    for (const i of inputs) {
      const item = ev.body.items.find((it: { allocationId: number }) => it.allocationId === i.a.id);
      expect(item, `allocation ${i.a.id}`).toBeDefined();
      const output = perMu(i.outputYuan, i.a.areaM2);
      const tax = perMu(i.taxYuan, i.a.areaM2);
      expect(item).toMatchObject({
        plotCode: i.a.plotCode, year, outputYuan: Number(i.outputYuan), taxYuan: Number(i.taxYuan), outputPerMuYuan: output, taxPerMuYuan: tax,
        grade: expectedGrade(output, tax, t), meetsConditions: { met: null, unmet: [] },
      });
      // tce per 万元 (10 000 yuan) of output, 4 decimals.
      const energy = Number(i.outputYuan) === 0 ? null : Math.round((i.energyTce / (Number(i.outputYuan) / 10_000)) * 10_000) / 10_000;
      expect(item.energyPer10kYuan).toBe(energy);
    }
    // The edges, spelled out: x is A, y is B (shown figure under A's output), z is D, the area in 亩 to 4 decimals.
    const gradeOf = (id: number) => ev.body.items.find((it: { allocationId: number }) => it.allocationId === id);
    expect([gradeOf(x.id).grade, gradeOf(y.id).grade, gradeOf(z.id).grade]).toEqual(['A', 'B', 'D']);
    expect(gradeOf(y.id).outputPerMuYuan).toBe(4_999_999);
    expect(gradeOf(z.id).taxPerMuYuan).toBe(2);
    expect(gradeOf(x.id).areaMu).toBe(30);
    expect(gradeOf(w.id).areaMu).toBe(18.5185); // 12345.67 × 3 / 2000 = 18.518505
    // Scope: a district officer sees their district only; filters narrow.
    const own = await call(app(), huangpu, 'GET', `/api/supervision/evaluation?year=${year}`);
    expect(own.body.items.map((i: { allocationId: number }) => i.allocationId)).not.toContain(w.id);
    expect(own.body.items.every((i: { districtCode: string }) => i.districtCode === HUANGPU)).toBe(true);
    expect((await call(app(), huangpu, 'GET', `/api/supervision/evaluation?year=${year}&districtCode=${TIANHE}`)).status).toBe(403);
    const th = await call(app(), land, 'GET', `/api/supervision/evaluation?year=${year}&districtCode=${TIANHE}`);
    expect(th.body.items.map((i: { allocationId: number }) => i.allocationId)).toContain(w.id);
    expect(th.body.items.map((i: { allocationId: number }) => i.allocationId)).not.toContain(x.id);
    expect((await call(app(), investor, 'GET', `/api/supervision/evaluation?year=${year}`)).status).toBe(403);
    // A year before every threshold version has no grade.
    const early = await call(app(), land, 'GET', '/api/supervision/evaluation?year=2001');
    expect(early.status).toBe(409);
    expect(early.body.reason).toBe('NO_GRADE_THRESHOLDS');
  });

  it('publishes a threshold version that changes the grades of the years from its effective year on', async () => {
    const year = LAST_YEAR;
    const a = await contracted('20000', { signedOn: `${year - 1}-02-01` }); // 30 亩
    // 120 000 000 / 30 = 4 000 000 per 亩 output, 6 000 000 / 30 = 200 000 tax: B on the sample set.
    for (const y of [year - 1, year]) expect((await post(a.id, { year: y, outputYuan: 120_000_000, taxYuan: 6_000_000, energyTce: 1, employees: 5 })).status).toBe(201);
    const gradeIn = async (y: number) => (await call(app(), land, 'GET', `/api/supervision/evaluation?year=${y}`)).body.items.find((i: { allocationId: number }) => i.allocationId === a.id).grade;
    expect(await gradeIn(year)).toBe('B');

    const body = {
      effectiveFrom: `${year}-01-01`, source: '测试：某区亩均评价办法（试行）',
      A: { outputPerMuYuan: 4_000_000, taxPerMuYuan: 200_000 },
      B: { outputPerMuYuan: 2_000_000, taxPerMuYuan: 100_000 },
      C: { outputPerMuYuan: 500_000, taxPerMuYuan: 20_000 },
    };
    // Refused: a district officer may not publish; B above A names the field.
    expect((await call(app(), huangpu, 'PUT', '/api/supervision/grade-thresholds', body)).status).toBe(403);
    const bad = await call(app(), land, 'PUT', '/api/supervision/grade-thresholds', { ...body, B: { outputPerMuYuan: 2_000_000, taxPerMuYuan: 250_000 } });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('A.taxPerMuYuan');
    const badDate = await call(app(), land, 'PUT', '/api/supervision/grade-thresholds', { ...body, effectiveFrom: `${year}-02-30` });
    expect(badDate.status).toBe(400);
    expect(badDate.body.field).toBe('effectiveFrom');

    const published = await call(app(), land, 'PUT', '/api/supervision/grade-thresholds', body);
    expect(published.status, JSON.stringify(published.body)).toBe(201);
    expect(published.body).toMatchObject({ ...body, sample: false, createdBy: 'land' });
    const list = await call(app(), industry, 'GET', '/api/supervision/grade-thresholds');
    expect(list.body.versions[0].versionId).toBe(published.body.versionId);
    expect(list.body.versions.some((v: { sample: boolean }) => v.sample)).toBe(true); // the sample version is kept
    expect(list.body.current.versionId).toBe(published.body.versionId);

    // The new minimums grade the year it takes effect: exactly A's now.
    expect(await gradeIn(year)).toBe('A');
    const ev = await call(app(), land, 'GET', `/api/supervision/evaluation?year=${year}`);
    expect(ev.body.thresholds).toMatchObject({ versionId: published.body.versionId, sample: false });
    // The year before keeps the sample version's grade.
    expect(await gradeIn(year - 1)).toBe('B');
    // Versions are immutable in the database.
    await expect(app().db.updateTable('mu_grade_thresholds').set({ source: 'x' }).where('id', '=', published.body.versionId).execute()).rejects.toThrow();
  });

  it('keeps the invariants in the database too: figures ≥ 0, one row per allocation and year, A ≥ B ≥ C', async () => {
    const a = await contracted('10000');
    const row = { allocation_id: a.id, year: LAST_YEAR, output_fen: '100', tax_fen: '100', energy_tce: '1', employees: 1, source: 'entry' as const, recorded_by: null };
    await app().db.insertInto('allocation_performance').values(row).execute();
    await expect(app().db.insertInto('allocation_performance').values(row).execute()).rejects.toThrow(); // same year
    for (const bad of [{ output_fen: '-1' }, { tax_fen: '-1' }, { energy_tce: '-0.0001' }, { employees: -1 }, { source: 'guess' }, { allocation_id: 999_999_999 }]) {
      await expect(app().db.insertInto('allocation_performance').values({ ...row, year: THIS_YEAR, ...bad } as typeof row).execute(), JSON.stringify(bad)).rejects.toThrow();
    }
    const t = { effective_from: '2030-01-01', sample: false, source: 'test', a_output_yuan: 3, a_tax_yuan: 3, b_output_yuan: 2, b_tax_yuan: 2, c_output_yuan: 1, c_tax_yuan: 1, created_by: null };
    await expect(app().db.insertInto('mu_grade_thresholds').values({ ...t, b_tax_yuan: 4 }).execute()).rejects.toThrow();
    await expect(app().db.insertInto('mu_grade_thresholds').values({ ...t, c_output_yuan: 5 }).execute()).rejects.toThrow();
  });
}, ONE_OFFICER);
