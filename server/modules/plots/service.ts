/**
 * Plots: the map's public reads (the plots of a viewport, one plot by id or by code), the
 * editor's dry-run validation, a plot's history, and the plot edits — each edit one transaction
 * opened here (honouring `Idempotency-Key`), its body in ./commands.ts. Other modules lock a
 * plot through `lockPlot`, the one plot lock of the server.
 */
import { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import type { Caller } from '../../kernel/caller.ts';
import { inTransaction } from '../../kernel/db/transaction.ts';
import { idempotent, type IdempotencyScope, type IdempotentResult } from '../../kernel/idempotency.ts';
import { badRequest, notFound } from '../../kernel/errors.ts';
import { validatePlotGeometry, geometryBBox, type GeometryValidation, type PlotGeometry } from '../../../shared/geometry/index.ts';
import type { CreatePlotInput, MergeInput, PatchPlotInput, SplitInput, ValidateInput } from '../../../shared/contract/plots.ts';
import { assertCanSeeDistrict } from '../auth/scope.ts';
import * as commands from './commands.ts';
import { activeNeighbours, findParkOutline, findPlot, findPlotDistrict, plotHistory as readPlotHistory, plotsFeatureCollection, type PlotFilters } from './repository.ts';

export { lockPlot, lockPlotIfAny, type LockedPlot } from './repository.ts';
/** For survey imports (the imports module): locks, neighbours, codes and the bulk insert of plots. */
export {
  activeNeighbours, activePlotsChangedSince, actorOf, codesInUse, insertImportedPlots, lockParks, maxPlotRowVersion, type Actor, type BulkPlot,
} from './repository.ts';
export { geometryRefused } from './commands.ts';
export type { PlotFilters } from './repository.ts';
/** For the export (the exports module): the plots GET /api/plots picks, before any column is chosen, and their planning conditions. */
export { parkAndDistrict, planningConditions, plColumns, selectPlots, type PlotSelection } from './repository.ts';
/** 标准地 conditions between the wire, the column and files (exports, imports, allocations, search). */
export { CONDITION_COLUMNS, conditionColumns, conditionsOf, conditionsRefused, storedConditions } from './conditions.ts';

// --- Reads ----------------------------------------------------------------------------------------

/**
 * GET /api/plots: the text of a PlotCollection, written by the database — one string for up to a
 * page of plots, else a byte stream that reads the next page only when the one before has been
 * taken by the socket (or the compressor): no buffer of pages builds up, so a big answer holds
 * about one page in memory, two at worst (one being written, one waiting).
 */
export async function plotCollectionBody(db: Kysely<Database>, filters: PlotFilters): Promise<string | Readable> {
  const body = await plotsFeatureCollection(db, filters);
  return typeof body === 'string' ? body : Readable.from(body, { objectMode: false, highWaterMark: 0 });
}

/** One plot as the public map shows it (a Feature); 404 when there is none. */
export async function plotDetail(db: Kysely<Database>, by: { id: number } | { code: string }) {
  const plot = await findPlot(db, by);
  if (!plot) throw notFound(`Plot ${'id' in by ? by.id : by.code}`);
  // costYuan (五(三)14 C) and its note are internal; the response schema also strips anything unlisted.
  const { geometry, costYuan: _cost, costNote: _note, ...properties } = plot;
  return { type: 'Feature' as const, id: plot.id, geometry, properties };
}

/** Checks a geometry against its park and the active plots in the database, writing nothing. */
export async function validateOnly(db: Kysely<Database>, input: ValidateInput): Promise<GeometryValidation> {
  const park = input.parkId !== undefined ? await findParkOutline(db, input.parkId) : undefined;
  if (input.parkId !== undefined && !park) throw badRequest(`Park ${input.parkId} does not exist (园区不存在).`);
  const shapeOnly = validatePlotGeometry(input.geometry);
  const neighbours = shapeOnly.areaM2 !== null && shapeOnly.errors.every((e) => e.code === 'WRONG_WINDING' || e.code === 'RING_NOT_CLOSED' || e.code === 'AREA_MISMATCH')
    ? await activeNeighbours(db, geometryBBox((shapeOnly.fixed ?? input.geometry) as PlotGeometry), input.excludePlotIds ?? [])
    : [];
  return validatePlotGeometry(input.geometry, {
    ...(park ? { park: { code: park.code, nameZh: park.name_zh, geometry: park.geometry } } : {}),
    neighbours,
    surveyedAreaM2: input.areaM2 ?? null,
  });
}

/** Every version of a plot with its parents and children (district officers: their district only). */
export async function plotHistory(db: Kysely<Database>, caller: Caller, id: number) {
  const plot = await findPlotDistrict(db, id);
  if (!plot) throw notFound(`Plot ${id}`);
  assertCanSeeDistrict(caller.user, plot.district_code);
  const history = await readPlotHistory(db, plot.id);
  if (!history) throw notFound(`Plot ${id}`);
  return history;
}

// --- Edits ------------------------------------------------------------------------------------------

/** A keyed write's key, route and request (what makes a replay "the same request"); the user comes from the caller. */
export type WriteKey = Omit<IdempotencyScope, 'userId'>;

function scope(caller: Caller, key: WriteKey): IdempotencyScope {
  return { ...key, userId: caller.user!.id };
}

export function createPlot(db: Kysely<Database>, caller: Caller, input: CreatePlotInput, key: WriteKey): Promise<IdempotentResult<unknown>> {
  return idempotent(db, scope(caller, key), 201, (trx) => commands.createPlot(trx, caller, input));
}

export function patchPlot(db: Kysely<Database>, caller: Caller, id: number, input: PatchPlotInput, key: WriteKey): Promise<IdempotentResult<unknown>> {
  return idempotent(db, scope(caller, key), 200, (trx) => commands.patchPlot(trx, caller, id, input));
}

export function deletePlot(db: Kysely<Database>, caller: Caller, id: number, expectedRowVersion?: string) {
  return inTransaction(db, (trx) => commands.deletePlot(trx, caller, id, expectedRowVersion));
}

export function withdrawPlot(db: Kysely<Database>, caller: Caller, id: number, input: { reason: string; expectedRowVersion?: string | number | undefined }, key: WriteKey): Promise<IdempotentResult<unknown>> {
  return idempotent(db, scope(caller, key), 200, (trx) => commands.withdrawPlot(trx, caller, id, input));
}

export function splitPlot(db: Kysely<Database>, caller: Caller, id: number, input: SplitInput, key: WriteKey): Promise<IdempotentResult<unknown>> {
  return idempotent(db, scope(caller, key), 201, (trx) => commands.splitPlot(trx, caller, id, input));
}

export function mergePlots(db: Kysely<Database>, caller: Caller, input: MergeInput, key: WriteKey): Promise<IdempotentResult<unknown>> {
  return idempotent(db, scope(caller, key), 201, (trx) => commands.mergePlots(trx, caller, input));
}
