/**
 * The plot edits, each as the body of one transaction (./service.ts opens it): create, edit,
 * delete, withdraw, split, merge. Every write locks the park (and the plots), runs the shared
 * validation (shared/geometry.ts) against the active plots around it (GiST bbox pre-filter, then
 * turf), writes the plot and its new version, and records the audit event. Rules:
 *
 * - Geometry and surveyed area may change while a plot is available or held; an allocated plot's
 *   boundary is fixed by its contract; a withdrawn plot is read-only.
 * - Delete only a plot that was never allocated nor held and has no lineage; otherwise withdraw.
 * - Withdraw an available plot (cancel its allocation / release its hold first).
 * - Split and merge work on available plots; the parents are retired (kept, with their
 *   history) and linked to the children in `plot_lineage`. A split shares the surveyed area and
 *   the cost among the pieces in proportion to their geometric areas (exactly, to 0.01) — the
 *   response says so, as the pieces should be resurveyed. A merge adds them up.
 */
import type { Insertable, Kysely, Transaction, Updateable } from 'kysely';
import type { Database, PlotTable } from '../../kernel/db/schema.ts';
import type { Caller } from '../../kernel/caller.ts';
import { geometryPgBox } from '../../kernel/db/geo.ts';
import { recordEvent } from '../../kernel/audit.ts';
import { AppError, badRequest, notFound } from '../../kernel/errors.ts';
import { validatePlotGeometry, geometryAreaM2, stripZ, type GeometryIssue, type GeometryValidation, type PlotGeometry } from '../../../shared/geometry/index.ts';
import { mergePlotGeometries, shareProportionally, splitPlotGeometry } from '../../../shared/geometry/edit.ts';
import { tryM2ToHundredths } from '../../../shared/units.ts';
import { formatScaled, tryYuanToFen } from '../../../shared/money.ts';
import { ACTIVE_ALLOCATION_STATUSES } from '../../../shared/domain.ts';
import type { CreatePlotInput, MergeInput, PatchPlotInput, SplitInput } from '../../../shared/contract/plots.ts';
import { conditionsOf, mergedConditions, storedConditions } from './conditions.ts';
import { NO_CONDITIONS } from '../../../shared/policy/standard-land.ts';
import {
  actorOf, appendVersion, assertRowVersion, attributesOf, closeCurrentVersion, codeTaken, deletePlotRow, ensureInitialVersion, findPlot, hasAllocationIn,
  insertLineage, insertPlot, lockPark, lockPlot, neighboursOf, plotRecordCounts, plotVersionInfo, setPlotStatus, updatePlot, type PlotRow,
} from './repository.ts';
import { changedPlotCodes, newPlotCodes, parcelCodeHolder, parcelCodeTaken } from './codes.ts';

type Trx = Transaction<Database>;
type Exec = Kysely<Database> | Trx;

const hundredths = (x: bigint) => formatScaled(x, 2, false);

/** m² with at most 2 decimals, as the numeric string the database takes. */
function areaString(field: string, value: number): string {
  const r = tryM2ToHundredths(value);
  if (!r.ok) throw badRequest(`${field} must be a number of m² with at most 2 decimals; got ${value}.`);
  return hundredths(r.hundredths);
}
function yuanString(field: string, value: number | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const r = tryYuanToFen(value);
  if (!r.ok) throw badRequest(`${field} must be yuan with at most 2 decimals; got ${value}.`);
  return hundredths(r.fen);
}

/** 422 with every issue when the shared validation refuses. */
export function geometryRefused(v: GeometryValidation, subject = 'The plot'): AppError {
  const first = v.errors[0];
  return new AppError(422, 'VALIDATION_FAILED', `${subject} geometry is not acceptable: ${first?.messageEn ?? 'invalid'}${v.errors.length > 1 ? ` (and ${v.errors.length - 1} more)` : ''}`, {
    reason: 'GEOMETRY_INVALID',
    errors: v.errors,
    warnings: v.warnings,
    areaM2: v.areaM2,
    ...(v.fixed ? { fixed: v.fixed } : {}),
  });
}

const plotUnavailable = (message: string, details: Record<string, unknown> = {}) => new AppError(409, 'PLOT_UNAVAILABLE', message, details);

/** 409 when another live plot has this 宗地代码 (null: nothing to check). */
async function assertParcelCodeFree(trx: Exec, parcelCode: string | null | undefined, exceptId?: number): Promise<void> {
  if (parcelCode === null || parcelCode === undefined) return;
  const holder = await parcelCodeHolder(trx, parcelCode, exceptId);
  if (holder !== undefined) throw parcelCodeTaken(parcelCode, holder);
}

async function assertCodeFree(trx: Exec, code: string, exceptId?: number): Promise<void> {
  if (await codeTaken(trx, code, exceptId)) {
    throw new AppError(409, 'CONFLICT', `Plot code ${code} is already in use (宗地编号 ${code} 已存在).`, { reason: 'CODE_EXISTS', code });
  }
}

/** The optional attribute columns from a request (undefined = not given). */
function optionalColumns(input: Partial<CreatePlotInput>): Partial<Insertable<PlotTable>> {
  const cols: Partial<Insertable<PlotTable>> = {};
  if (input.landGrade !== undefined) cols.land_grade = input.landGrade;
  if (input.location !== undefined) cols.location = input.location;
  if (input.plotRatioMin !== undefined) cols.plot_ratio_min = input.plotRatioMin;
  if (input.plotRatioMax !== undefined) cols.plot_ratio_max = input.plotRatioMax;
  if (input.buildingDensityMaxPct !== undefined) cols.building_density_max_pct = input.buildingDensityMaxPct;
  if (input.greenRatioMinPct !== undefined) cols.green_ratio_min_pct = input.greenRatioMinPct;
  if (input.heightLimitM !== undefined) cols.height_limit_m = input.heightLimitM;
  if (input.investmentIntensityYuanPerM2 !== undefined) cols.investment_intensity_yuan_per_m2 = input.investmentIntensityYuanPerM2;
  if (input.costYuan !== undefined) cols.cost_yuan = yuanString('costYuan', input.costYuan);
  if (input.costNote !== undefined) cols.cost_note = input.costNote === null ? null : input.costNote.trim() || null;
  if (input.serviced !== undefined) cols.serviced = input.serviced;
  return cols;
}

/** The plot as the bureau sees it after a write (detail + internal fields + versions). */
export async function editedPlot(trx: Exec, id: number) {
  const plot = await findPlot(trx, { id });
  if (!plot) throw notFound(`Plot ${id}`);
  const extra = await plotVersionInfo(trx, id);
  const { geometry, ...properties } = plot;
  return {
    type: 'Feature' as const,
    id,
    geometry,
    properties: {
      ...properties,
      landGrade: extra.land_grade,
      rowVersion: extra.row_version,
      version: extra.version ?? 1,
      geometryAreaM2: extra.geometry_area_m2 === null ? null : Number(extra.geometry_area_m2),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Create

/**
 * 五(三)14: C is a fact. null = not recorded (stays null, never 0); 0 is entered on purpose, so
 * it needs a note saying why (the database refuses it too: plots_zero_cost_needs_note).
 */
function assertCostNote(costYuan: number | string | null | undefined, costNote: string | null | undefined): void {
  if (costYuan === null || costYuan === undefined || Number(costYuan) !== 0) return;
  if (costNote?.trim()) return;
  throw badRequest(
    'costYuan is 0: say why in costNote (a cost of 0 is entered on purpose, e.g. land already owned by the district); leave costYuan empty (null) if the cost is not known. (土地成本为 0 时须在“成本说明”中写明原因；成本未知请留空。)',
    { field: 'costNote', messageZh: '土地成本为 0 时须在“成本说明”中写明原因；成本未知请留空', messageEn: 'A land cost of 0 needs a note saying why; leave the cost empty if it is not known' },
  );
}

export async function createPlot(trx: Trx, caller: Caller, input: CreatePlotInput) {
  assertCostNote(input.costYuan, input.costNote);
  const conditions = mergedConditions(NO_CONDITIONS, input.conditions);
  const area = areaString('areaM2', input.areaM2);
  const park = await lockPark(trx, input.parkId);
  await assertCodeFree(trx, input.code);
  const codes = newPlotCodes(input, input.landUse, park.districtCode);
  await assertParcelCodeFree(trx, codes.parcel_code);
  const pre = validatePlotGeometry(input.geometry);
  if (pre.areaM2 === null) throw geometryRefused(pre);
  const geometry = stripZ(input.geometry as PlotGeometry);
  const v = validatePlotGeometry(geometry, {
    park: { code: park.code, nameZh: park.nameZh, geometry: park.geometry },
    neighbours: await neighboursOf(trx, geometry),
    surveyedAreaM2: input.areaM2,
  });
  if (!v.ok) throw geometryRefused(v);
  const row = await insertPlot(trx, {
    code: input.code,
    park_id: park.id,
    status: 'available',
    land_use: input.landUse,
    area_m2: area,
    land_level: input.landLevel,
    location: input.location ?? '',
    geometry: JSON.stringify(geometry),
    bbox: geometryPgBox(geometry),
    sample: false,
    land_grade: input.landGrade ?? null,
    ...optionalColumns({ ...input, location: undefined, landGrade: undefined }),
    ...codes,
    serviced: input.serviced ?? false,
    conditions: storedConditions(conditions),
  });
  const attributes = attributesOf(row);
  await appendVersion(trx, { plotId: row.id, geometry, areaM2: area, geometryAreaM2: v.areaM2, attributes, operation: 'create', reason: input.reason, actor: actorOf(caller) }, 0);
  await recordEvent(trx, { caller, action: 'plot.create', entity: 'plot', entityId: row.id, after: { ...attributes, areaM2: Number(area), geometryAreaM2: v.areaM2, version: 1, reason: input.reason ?? null } });
  return { plot: await editedPlot(trx, row.id), warnings: v.warnings };
}

// ---------------------------------------------------------------------------------------------
// Edit

export async function patchPlot(trx: Trx, caller: Caller, id: number, input: PatchPlotInput) {
  const row = await lockPlot(trx, id);
  assertRowVersion(row, input.expectedRowVersion);
  assertCostNote(input.costYuan !== undefined ? input.costYuan : row.cost_yuan, input.costNote !== undefined ? input.costNote : row.cost_note);
  const conditions = input.conditions !== undefined ? mergedConditions(conditionsOf(row.conditions), input.conditions) : undefined;
  if (row.status === 'withdrawn') throw plotUnavailable(`Plot ${row.code} is withdrawn and read-only (已撤出供应的地块不能修改).`, { plotStatus: row.status });
  if (row.status === 'retired') throw plotUnavailable(retiredMessage(row), { plotStatus: row.status });
  const touchesShape = input.geometry !== undefined || input.areaM2 !== undefined || (input.parkId !== undefined && input.parkId !== row.park_id);
  if (touchesShape && row.status === 'allocated') {
    throw plotUnavailable(`Plot ${row.code} is allocated: its boundary, area and park are fixed by the allocation; cancel the allocation first (已供地地块的界址和面积不能修改).`, { plotStatus: row.status });
  }
  if (input.code !== undefined && input.code !== row.code) await assertCodeFree(trx, input.code, row.id);
  const parkId = input.parkId ?? row.park_id;
  const park = await lockPark(trx, parkId);
  const codes = changedPlotCodes(input, row, input.landUse ?? row.land_use, park.districtCode);
  if (codes.parcel_code !== row.parcel_code) await assertParcelCodeFree(trx, codes.parcel_code, row.id);
  const geometry = input.geometry !== undefined ? stripZ(input.geometry as PlotGeometry) : row.geometry;
  const area = input.areaM2 !== undefined ? areaString('areaM2', input.areaM2) : String(row.area_m2);
  let v: GeometryValidation | null = null;
  if (touchesShape) {
    const pre = validatePlotGeometry(input.geometry ?? geometry);
    if (pre.areaM2 === null) throw geometryRefused(pre);
    v = validatePlotGeometry(geometry, {
      park: { code: park.code, nameZh: park.nameZh, geometry: park.geometry },
      neighbours: await neighboursOf(trx, geometry, [row.id]),
      surveyedAreaM2: Number(area),
    });
    if (!v.ok) throw geometryRefused(v);
  }
  const previous = await ensureInitialVersion(trx, row);
  const set: Updateable<PlotTable> = { ...optionalColumns(input), ...codes };
  if (input.code !== undefined) set.code = input.code;
  if (input.landUse !== undefined) set.land_use = input.landUse;
  if (input.landLevel !== undefined) set.land_level = input.landLevel;
  if (input.parkId !== undefined) set.park_id = input.parkId;
  if (input.areaM2 !== undefined) set.area_m2 = area;
  if (conditions !== undefined) set.conditions = storedConditions(conditions);
  if (input.geometry !== undefined) {
    set.geometry = JSON.stringify(geometry);
    set.bbox = geometryPgBox(geometry);
  }
  if (Object.keys(set).length === 0) throw badRequest('Nothing to change: give at least one field besides expectedRowVersion.');
  const updated = await updatePlot(trx, id, set);
  const before = attributesOf(row);
  const after = attributesOf(updated);
  const geomArea = v?.areaM2 ?? Math.round(geometryAreaM2(geometry) * 100) / 100;
  const version = await appendVersion(trx, { plotId: id, geometry, areaM2: area, geometryAreaM2: geomArea, attributes: after, operation: 'edit', reason: input.reason, actor: actorOf(caller) }, previous);
  const changed = Object.keys(after).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  await recordEvent(trx, {
    caller,
    action: 'plot.update',
    entity: 'plot',
    entityId: id,
    before: { ...Object.fromEntries(changed.map((k) => [k, before[k]])), areaM2: Number(row.area_m2), geometryChanged: input.geometry !== undefined },
    after: { ...Object.fromEntries(changed.map((k) => [k, after[k]])), areaM2: Number(area), version, reason: input.reason ?? null },
  });
  return { plot: await editedPlot(trx, id), warnings: v?.warnings ?? [] };
}

// ---------------------------------------------------------------------------------------------
// Delete and withdraw

/** Why a plot cannot be deleted (it has a past), or null. */
async function deletionBlocker(trx: Trx, row: PlotRow): Promise<string | null> {
  const n = await plotRecordCounts(trx, row.id);
  if (n.allocations > 0) return `it has ${n.allocations} allocation record${n.allocations === 1 ? '' : 's'}`;
  if (n.holds > 0) return `it has ${n.holds} hold record${n.holds === 1 ? '' : 's'}`;
  if (n.lineage > 0) return 'it is part of a split/merge lineage';
  if (row.status !== 'available' && row.status !== 'withdrawn') return `its status is ${row.status}`;
  return null;
}

export async function deletePlot(trx: Trx, caller: Caller, id: number, expectedRowVersion?: string) {
  const row = await lockPlot(trx, id);
  assertRowVersion(row, expectedRowVersion);
  const blocker = await deletionBlocker(trx, row);
  if (blocker) {
    throw plotUnavailable(
      `Plot ${row.code} cannot be deleted because ${blocker}; only a never-allocated plot can be deleted — withdraw it instead (POST /api/plots/${id}/withdraw) (该地块有供地/保留/分合记录，不能删除，请撤出供应).`,
      { reason: 'HAS_HISTORY', plotStatus: row.status },
    );
  }
  await deletePlotRow(trx, id);
  // The audit event keeps what was deleted, geometry included.
  await recordEvent(trx, { caller, action: 'plot.delete', entity: 'plot', entityId: id, before: { ...attributesOf(row), areaM2: Number(row.area_m2), geometry: row.geometry } });
  return { deleted: true as const, id, code: row.code };
}

export async function withdrawPlot(trx: Trx, caller: Caller, id: number, input: { reason: string; expectedRowVersion?: string | number | undefined }) {
  const row = await lockPlot(trx, id);
  assertRowVersion(row, input.expectedRowVersion);
  if (row.status === 'withdrawn') throw plotUnavailable(`Plot ${row.code} is already withdrawn (已撤出供应).`, { plotStatus: row.status });
  if (row.status === 'retired') throw plotUnavailable(retiredMessage(row), { plotStatus: row.status });
  if (row.status === 'held') throw plotUnavailable(`Plot ${row.code} is held for an applicant: release the hold first (地块保留中，请先解除保留).`, { plotStatus: row.status });
  const active = await hasAllocationIn(trx, id, ACTIVE_ALLOCATION_STATUSES);
  if (row.status === 'allocated' || active) {
    throw plotUnavailable(`Plot ${row.code} is allocated: cancel the allocation first, then withdraw the plot (地块已供地，请先撤销供地).`, { plotStatus: row.status });
  }
  await setPlotStatus(trx, id, 'withdrawn');
  await recordEvent(trx, { caller, action: 'plot.withdraw', entity: 'plot', entityId: id, before: { status: row.status }, after: { status: 'withdrawn', reason: input.reason } });
  return { plot: await editedPlot(trx, id), warnings: [] as GeometryIssue[] };
}

// ---------------------------------------------------------------------------------------------
// Split and merge

function requireAvailable(row: PlotRow, what: string) {
  if (row.status !== 'available') {
    throw plotUnavailable(`Plot ${row.code} is ${row.status}; only available plots can be ${what} (只有可供应地块可以${what === 'split' ? '分割' : '合并'}).`, { plotId: row.id, plotStatus: row.status });
  }
}

/** Copies the attributes a child inherits. */
function inherited(row: PlotRow) {
  return {
    park_id: row.park_id,
    land_use: row.land_use,
    land_use_code: row.land_use_code,
    // The pieces lie in the same 控规地块; they are new parcels, so no 宗地代码 until the register gives them theirs.
    zoning_plot_code: row.zoning_plot_code,
    land_level: row.land_level,
    land_grade: row.land_grade,
    location: row.location,
    plot_ratio_min: row.plot_ratio_min,
    plot_ratio_max: row.plot_ratio_max,
    building_density_max_pct: row.building_density_max_pct,
    green_ratio_min_pct: row.green_ratio_min_pct,
    height_limit_m: row.height_limit_m,
    investment_intensity_yuan_per_m2: row.investment_intensity_yuan_per_m2,
    cost_note: row.cost_note,
    serviced: row.serviced,
    sample: row.sample,
    // 标准地 conditions stay with the land: the pieces (or the merged plot, from the first parent) keep them.
    conditions: JSON.stringify(row.conditions ?? {}),
  };
}

const toHundredths = (v: string | number) => {
  const r = tryM2ToHundredths(String(v));
  if (!r.ok) throw new Error(`not a 2-decimal figure: ${v}`);
  return r.hundredths;
};

const retiredMessage = (row: PlotRow) =>
  `Plot ${row.code} was retired by a split or merge and is read-only; edit the plots that replaced it (see its history) (该地块已因分割/合并注销，不能修改).`;

/**
 * A split or merge parent becomes `retired` (已注销), not `withdrawn` (已收回: land taken back):
 * its land now belongs to its pieces, so it leaves every total and stays only in history.
 */
async function retireParent(trx: Trx, row: PlotRow): Promise<void> {
  await ensureInitialVersion(trx, row);
  await closeCurrentVersion(trx, row.id);
  await setPlotStatus(trx, row.id, 'retired');
}

export async function splitPlot(trx: Trx, caller: Caller, id: number, input: SplitInput) {
  const row = await lockPlot(trx, id);
  assertRowVersion(row, input.expectedRowVersion);
  requireAvailable(row, 'split');
  const park = await lockPark(trx, row.park_id);
  const cut = splitPlotGeometry(row.geometry, input.line as GeoJSON.LineString);
  if (!cut.ok) throw new AppError(422, 'VALIDATION_FAILED', `${cut.messageEn} (${cut.messageZh})`, { reason: cut.code, ...(cut.where ? { where: cut.where } : {}) });
  const pieces = cut.pieces;
  const codes = input.codes ?? pieces.map((_, i) => `${row.code}-${i + 1}`);
  if (codes.length !== pieces.length) {
    throw new AppError(422, 'VALIDATION_FAILED', `The line cuts plot ${row.code} into ${pieces.length} pieces but ${codes.length} codes were given.`, { reason: 'CODES_COUNT', pieces: pieces.length });
  }
  if (new Set(codes).size !== codes.length) throw badRequest('The codes of the pieces must differ.');
  for (const code of codes) await assertCodeFree(trx, code);
  const weights = pieces.map((p) => geometryAreaM2(p));
  const areas = shareProportionally(toHundredths(row.area_m2), weights);
  const costs = row.cost_yuan === null ? null : shareProportionally(toHundredths(row.cost_yuan), weights);
  const neighbours = await neighboursOf(trx, row.geometry, [row.id]);
  const warnings: GeometryIssue[] = [];
  const validations = pieces.map((p, i) => {
    const v = validatePlotGeometry(p, {
      park: { code: park.code, nameZh: park.nameZh, geometry: park.geometry },
      neighbours: [...neighbours, ...pieces.filter((_, j) => j !== i).map((g, j) => ({ code: `piece ${j + 1}`, geometry: g }))],
      surveyedAreaM2: Number(areas[i]!) / 100,
    });
    if (!v.ok) throw geometryRefused(v, `Piece ${i + 1} (${codes[i]})`);
    warnings.push(...v.warnings);
    return v;
  });
  await retireParent(trx, row);
  const actor = actorOf(caller);
  const children = [];
  for (let i = 0; i < pieces.length; i++) {
    const geometry = pieces[i]!;
    const child = await insertPlot(trx, {
      ...inherited(row),
      code: codes[i]!,
      status: 'available',
      area_m2: hundredths(areas[i]!),
      cost_yuan: costs ? hundredths(costs[i]!) : null,
      geometry: JSON.stringify(geometry),
      bbox: geometryPgBox(geometry),
    });
    await appendVersion(trx, { plotId: child.id, geometry, areaM2: hundredths(areas[i]!), geometryAreaM2: validations[i]!.areaM2, attributes: attributesOf(child), operation: 'split', reason: input.reason, actor }, 0);
    await insertLineage(trx, [{ parentId: row.id, childId: child.id, operation: 'split', createdBy: actor.userId }]);
    children.push({ id: child.id, code: child.code, areaM2: Number(hundredths(areas[i]!)) });
  }
  await recordEvent(trx, {
    caller,
    action: 'plot.split',
    entity: 'plot',
    entityId: row.id,
    before: { code: row.code, status: row.status, areaM2: Number(row.area_m2) },
    after: { status: 'retired', children, reason: input.reason ?? null, areaRule: 'proportional to geometric area' },
  });
  return {
    parent: { id: row.id, code: row.code, status: 'retired' },
    children: await Promise.all(children.map((c) => editedPlot(trx, c.id))),
    areaNote: {
      messageZh: `子地块的登记面积按图形面积比例分摊自原宗地面积 ${Number(row.area_m2)} 平方米（精确到 0.01，合计不变）${row.cost_yuan !== null ? '，成本同样按比例分摊' : ''}；请以重新测量的面积更新。`,
      messageEn: `The pieces' surveyed areas are the parent's ${Number(row.area_m2)} m² shared in proportion to their geometric areas (exact to 0.01, same total)${row.cost_yuan !== null ? '; the cost is shared the same way' : ''}. Replace them with resurveyed figures.`,
    },
    warnings,
  };
}

export async function mergePlots(trx: Trx, caller: Caller, input: MergeInput) {
  const ids = [...new Set(input.plotIds)].sort((a, b) => a - b);
  const rows: PlotRow[] = [];
  for (const id of ids) rows.push(await lockPlot(trx, id)); // id order: no deadlocks
  for (const r of rows) {
    assertRowVersion(r, input.expectedRowVersions?.[String(r.id)]);
    requireAvailable(r, 'merged');
  }
  const parkIds = new Set(rows.map((r) => r.park_id));
  if (parkIds.size > 1) {
    throw new AppError(422, 'VALIDATION_FAILED', `Plots ${rows.map((r) => r.code).join(', ')} are in different parks; only plots of one park can be merged (不同园区的地块不能合并).`, { reason: 'NOT_SAME_PARK' });
  }
  const pick = <K extends 'land_use' | 'land_level'>(col: K, given: PlotRow[K] | undefined, name: string): PlotRow[K] => {
    if (given !== undefined) return given;
    const values = new Set(rows.map((r) => r[col]));
    if (values.size > 1) {
      throw new AppError(422, 'VALIDATION_FAILED', `The plots have different ${name} (${[...values].join(', ')}); say which the merged plot gets (body field ${name}).`, { reason: 'ATTRIBUTE_CONFLICT', field: name });
    }
    return rows[0]![col];
  };
  const landUse = pick('land_use', input.landUse, 'landUse');
  const landLevel = pick('land_level', input.landLevel, 'landLevel');
  const park = await lockPark(trx, rows[0]!.park_id);
  const merged = mergePlotGeometries(rows.map((r) => r.geometry));
  if (!merged.ok) throw new AppError(422, 'VALIDATION_FAILED', `${merged.messageEn} (${merged.messageZh})`, { reason: merged.code, ...(merged.where ? { where: merged.where } : {}) });
  let code = input.code;
  if (code === undefined) {
    code = `${rows[0]!.code}-M`;
    for (let k = 2; await codeTaken(trx, code); k++) code = `${rows[0]!.code}-M${k}`;
  } else {
    await assertCodeFree(trx, code);
  }
  const area = rows.reduce((s, r) => s + toHundredths(r.area_m2), 0n);
  const cost = rows.every((r) => r.cost_yuan !== null) ? rows.reduce((s, r) => s + toHundredths(r.cost_yuan!), 0n) : null;
  const v = validatePlotGeometry(merged.geometry, {
    park: { code: park.code, nameZh: park.nameZh, geometry: park.geometry },
    neighbours: await neighboursOf(trx, merged.geometry, ids),
    surveyedAreaM2: Number(area) / 100,
  });
  if (!v.ok) throw geometryRefused(v, 'The merged');
  for (const r of rows) await retireParent(trx, r);
  const first = rows[0]!;
  const child = await insertPlot(trx, {
    ...inherited(first),
    land_use: landUse,
    // The first parent's code when it goes with the merged land use and every parent agrees, else the default (trigger).
    land_use_code: rows.every((r) => r.land_use === landUse && r.land_use_code === first.land_use_code) ? first.land_use_code : null,
    zoning_plot_code: rows.every((r) => r.zoning_plot_code === first.zoning_plot_code) ? first.zoning_plot_code : null,
    land_level: landLevel,
    serviced: rows.every((r) => r.serviced),
    sample: rows.every((r) => r.sample),
    code,
    status: 'available',
    area_m2: hundredths(area),
    cost_yuan: cost === null ? null : hundredths(cost),
    cost_note: rows.map((r) => r.cost_note?.trim()).filter(Boolean).join('；').slice(0, 500) || null,
    geometry: JSON.stringify(merged.geometry),
    bbox: geometryPgBox(merged.geometry),
  });
  const actor = actorOf(caller);
  await appendVersion(trx, { plotId: child.id, geometry: merged.geometry, areaM2: hundredths(area), geometryAreaM2: v.areaM2, attributes: attributesOf(child), operation: 'merge', reason: input.reason, actor }, 0);
  await insertLineage(trx, rows.map((r) => ({ parentId: r.id, childId: child.id, operation: 'merge' as const, createdBy: actor.userId })));
  await recordEvent(trx, {
    caller,
    action: 'plot.merge',
    entity: 'plot',
    entityId: child.id,
    before: { parents: rows.map((r) => ({ id: r.id, code: r.code, areaM2: Number(r.area_m2) })) },
    after: { code, areaM2: Number(hundredths(area)), geometryAreaM2: v.areaM2, reason: input.reason ?? null },
  });
  return {
    parents: rows.map((r) => ({ id: r.id, code: r.code, status: 'retired' })),
    plot: await editedPlot(trx, child.id),
    warnings: v.warnings,
  };
}
