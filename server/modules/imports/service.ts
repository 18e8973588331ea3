/**
 * Survey data import: upload → preview → commit.
 *
 * Preview (`previewImport`): read the file (./formats/: GeoJSON, zipped Shapefile, KML/KMZ,
 * 界址点 CSV), settle the CRS and reproject (./crs.ts), check every feature against its park,
 * the file's other features and the database's active plots (./preview.ts). Everything is
 * stored in `imports.preview`; the response carries the first features and every problem.
 * Nothing is written to `plots`.
 *
 * Commit (`commitImport`): all or nothing. Refused when any feature has errors, when a code or a
 * 宗地代码 has been taken since, or when a plot drawn since overlaps (the import is then marked failed);
 * otherwise the plots and their first versions are inserted in batches in one transaction, with
 * one audit event.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import type { Caller } from '../../kernel/caller.ts';
import { inTransaction } from '../../kernel/db/transaction.ts';
import { idempotent } from '../../kernel/idempotency.ts';
import { geometryPgBox } from '../../kernel/db/geo.ts';
import { recordEvent } from '../../kernel/audit.ts';
import { AppError, badRequest, notFound } from '../../kernel/errors.ts';
import { geometryBBox, overlapOf, OVERLAP_TOLERANCE_M2 } from '../../../shared/geometry/index.ts';
import { LAND_USES, type BBox } from '../../../shared/domain.ts';
import { activePlotsChangedSince, actorOf, codesInUse, insertImportedPlots, lockParks, maxPlotRowVersion, type BulkPlot } from '../plots/service.ts';
import { detectFormat, parseFile, IMPORT_LIMITS, type ImportFormat } from './formats/index.ts';
import { BBoxGrid } from './formats/grid.ts';
import { fileRefused } from './formats/types.ts';
import { crsMismatch, fromLocalSystem, resolveCrs } from './crs.ts';
import { localCrsOf } from '../reference/local-crs.ts';
import { checkFeatures } from './preview.ts';
import type { PreviewFeature, PreviewInput, StoredPreview } from './model.ts';
import { findImport, listImportRows, lockImport, markImportCommitted, markImportFailed, parcelCodesInUse, storePreview, type ImportRow } from './repository.ts';

export type { CrsSource, PreviewFeature, PreviewInput } from './model.ts';

/** Where the timings of a preview or commit are logged (the request's logger). */
export interface ImportLog {
  info(obj: Record<string, unknown>, msg: string): void;
}

// ---------------------------------------------------------------------------------------------
// Preview

export async function previewImport(db: Kysely<Database>, caller: Caller, input: PreviewInput, log?: ImportLog) {
  const limits = IMPORT_LIMITS;
  const t0 = performance.now();
  const timings: Record<string, number> = {};
  const lap = (name: string) => { timings[name] = Math.round(performance.now() - t0); };
  if (input.landUse !== undefined && !(LAND_USES as readonly string[]).includes(input.landUse)) throw badRequest(`landUse must be one of ${LAND_USES.join(', ')}.`);
  if (input.landLevel !== undefined && !(Number.isInteger(input.landLevel) && input.landLevel >= 1 && input.landLevel <= 10)) throw badRequest('landLevel must be a whole number 1–10.');
  const { format, kmz } = detectFormat(input.filename, input.data, input.format);
  // A local (city) system: LOCAL:<id>, taken to EPSG:4547 before anything else reads the positions.
  const local = await localCrsOf(db, input.crs);
  const read = await parseFile(format, kmz, input.data, limits);
  lap('parsed');
  if (read.features.length === 0) throw fileRefused('EMPTY', 'The file holds no features', '文件中没有要素');
  const parsed = local ? fromLocalSystem(read, local) : read;
  const resolved = resolveCrs(parsed, local ? 'EPSG:4547' : input.crs);
  const { source, notices } = resolved;
  /** What the import records and answers: LOCAL:<id> for a local system, else the EPSG code read in. */
  const crsLabel = local ? `LOCAL:${local.id}` : resolved.crs;
  const crs = resolved.crs;
  notices.push(...parsed.notices);
  const mismatch = crsMismatch(parsed, crs, source);
  if (mismatch) notices.unshift(mismatch);

  const { features, defaultParkId } = await checkFeatures(db, parsed, crs, input, limits, lap);

  lap('validated');
  const counts = {
    features: features.length,
    valid: features.filter((f) => f.errors.length === 0).length,
    invalid: features.filter((f) => f.errors.length > 0).length,
    warnings: features.filter((f) => f.warnings.length > 0).length,
  };
  const dbRowVersion = await maxPlotRowVersion(db);
  const id = randomUUID();
  const expiresAt = new Date(Date.now() + limits.previewTtlHours * 3600_000);
  const stored: StoredPreview = { features, notices, dbRowVersion };
  await inTransaction(db, async (trx) => {
    await storePreview(trx, {
        id,
        status: 'previewed',
        filename: input.filename.slice(0, 255),
        format,
        crs: crsLabel,
        crs_source: source,
        default_park_id: defaultParkId,
        created_by: caller.user?.id ?? null,
        counts: JSON.stringify(counts),
        preview: JSON.stringify(stored),
        expires_at: expiresAt,
    });
    await recordEvent(trx, { caller, action: 'import.preview', entity: 'import', entityId: id, after: { filename: input.filename, format, crs: crsLabel, crsSource: source, counts } });
  });
  lap('stored');
  log?.info({ importId: id, counts, timingsMs: timings }, 'import previewed');
  return {
    id, status: 'previewed' as const, filename: input.filename, format, crs: crsLabel, crsSource: source, counts, notices,
    expiresAt: expiresAt.toISOString(),
    ...pageOf(features, 0, limits.previewFeatures),
    problems: features.filter((f) => f.errors.length || f.warnings.length).slice(0, 5000).map((f) => ({ index: f.index, code: f.code, errors: f.errors, warnings: f.warnings })),
  };
}

function pageOf(features: PreviewFeature[], offset: number, limit: number) {
  return { features: features.slice(offset, offset + limit), featuresTotal: features.length, truncated: offset + limit < features.length };
}

// ---------------------------------------------------------------------------------------------
// Reading a stored preview

/** The stored preview (JSON text; a database migrated by an early 006 has it as jsonb, already parsed). */
function readPreview(stored: unknown): StoredPreview {
  return (typeof stored === 'string' ? JSON.parse(stored) : stored) as StoredPreview;
}

/** Imports are their uploader's (an admin sees all); anyone else gets 404. */
function assertOwn(caller: Caller, row: ImportRow | undefined, id: string): asserts row is ImportRow {
  if (!row || (row.created_by !== caller.user?.id && caller.user?.role !== 'admin')) throw notFound(`Import ${id}`);
}

export async function getImport(db: Kysely<Database>, caller: Caller, id: string, offset: number, limit: number) {
  const row = await findImport(db, id);
  assertOwn(caller, row, id);
  const preview = readPreview(row.preview);
  return {
    ...summary(row),
    notices: preview.notices,
    ...pageOf(preview.features, offset, limit),
  };
}

function summary(row: ImportRow) {
  return {
    id: row.id,
    status: row.status,
    filename: row.filename,
    format: row.format as ImportFormat,
    crs: row.crs,
    crsSource: row.crs_source,
    counts: row.counts as { features: number; valid: number; invalid: number; warnings: number },
    createdAt: new Date(row.created_at).toISOString(),
    committedAt: row.committed_at === null ? null : new Date(row.committed_at).toISOString(),
    expiresAt: new Date(row.expires_at).toISOString(),
    failure: row.failure,
  };
}

export async function listImports(db: Kysely<Database>, caller: Caller, limit: number) {
  const rows = await listImportRows(db, caller.user?.role === 'admin' ? null : caller.user!.id, limit);
  return { items: rows.map((r) => summary({ ...r, preview: '' })) };
}

// ---------------------------------------------------------------------------------------------
// Commit

const BATCH = 2000;

async function commitPreviewed(trx: Transaction<Database>, caller: Caller, id: string, log: ImportLog | undefined) {
  const t0 = performance.now();
  const timings: Record<string, number> = {};
  const lap = (name: string) => { timings[name] = Math.round(performance.now() - t0); };
  const row = await lockImport(trx, id);
  lap('loaded');
  assertOwn(caller, row, id);
  if (row.status === 'committed') throw new AppError(409, 'CONFLICT', `Import ${id} was already committed (已导入).`, { reason: 'IMPORT_COMMITTED' });
  if (row.status === 'failed') throw new AppError(409, 'CONFLICT', `Import ${id} failed: ${row.failure ?? ''} Upload the file again (请重新上传).`, { reason: 'IMPORT_FAILED' });
  if (new Date(row.expires_at).getTime() < Date.now()) throw new AppError(409, 'CONFLICT', `Import ${id} expired at ${new Date(row.expires_at).toISOString()}; upload the file again (预览已过期，请重新上传).`, { reason: 'IMPORT_EXPIRED' });
  const preview = readPreview(row.preview);
  const bad = preview.features.filter((f) => f.errors.length > 0);
  if (bad.length) {
    throw new AppError(422, 'VALIDATION_FAILED', `${bad.length} of ${preview.features.length} features have errors (first: #${bad[0]!.index + 1} ${bad[0]!.code ?? ''}: ${bad[0]!.errors[0]!.messageEn}); nothing was imported. Fix the file and upload it again (有 ${bad.length} 个要素有错误，未导入任何地块).`, {
      reason: 'IMPORT_HAS_ERRORS',
      invalid: bad.length,
    });
  }
  const features = preview.features;
  await lockParks(trx, features.map((f) => f.parkId!));

  // Codes taken since the preview.
  const taken = await codesInUse(trx, features.map((f) => f.code!));
  lap('codes');
  if (taken.length) {
    throw new AppError(409, 'CONFLICT', `${taken.length} plot code${taken.length === 1 ? '' : 's'} now exist in the database (${taken.slice(0, 10).join(', ')}${taken.length > 10 ? ', …' : ''}); nothing was imported (编号已存在，未导入).`, { reason: 'CODE_EXISTS', codes: taken.slice(0, 100) });
  }
  // 宗地代码 given to other plots since the preview (the unique index would refuse them anyway).
  const parcelTaken = await parcelCodesInUse(trx, features.flatMap((f) => (f.attributes.parcelCode ? [f.attributes.parcelCode] : [])));
  if (parcelTaken.size) {
    const list = [...parcelTaken].map(([parcel, plot]) => `${parcel} (${plot})`);
    throw new AppError(409, 'CONFLICT', `${list.length} 宗地代码 (parcelCode) now belong to other plots (${list.slice(0, 10).join(', ')}${list.length > 10 ? ', …' : ''}); nothing was imported (宗地代码已被其他地块使用，未导入).`, {
      reason: 'CODE_EXISTS',
      field: 'parcelCode',
      parcelCodes: [...parcelTaken.keys()].slice(0, 100),
    });
  }
  // Plots drawn or moved since the preview, against the file's features.
  const grid = new BBoxGrid<PreviewFeature>();
  let union: BBox | null = null;
  for (const f of features) {
    const b = geometryBBox(f.geometry!);
    grid.insert(b, f);
    union = union ? [Math.min(union[0], b[0]), Math.min(union[1], b[1]), Math.max(union[2], b[2]), Math.max(union[3], b[3])] : b;
  }
  const changed = await activePlotsChangedSince(trx, preview.dbRowVersion, union!);
  const conflicts: string[] = [];
  for (const p of changed) {
    for (const f of grid.query(geometryBBox(p.geometry))) {
      if (overlapOf(f.geometry!, p.geometry).areaM2 > OVERLAP_TOLERANCE_M2) conflicts.push(`${f.code} × ${p.code}`);
    }
  }
  if (conflicts.length) {
    throw new AppError(409, 'CONFLICT', `Since the preview, plots were drawn that overlap the file's plots (${conflicts.slice(0, 10).join('; ')}); nothing was imported (预览后新增的地块与文件中的地块重叠，未导入).`, { reason: 'PLOT_OVERLAP', conflicts: conflicts.slice(0, 100) });
  }

  lap('overlaps');
  const actor = actorOf(caller);
  const created: { id: number; code: string }[] = [];
  const reason = `import ${row.filename}`.slice(0, 500);
  for (let i = 0; i < features.length; i += BATCH) {
    const batch: BulkPlot[] = features.slice(i, i + BATCH).map((f) => ({
      code: f.code!,
      parcel_code: f.attributes.parcelCode ?? null,
      zoning_plot_code: f.attributes.zoningPlotCode ?? null,
      park_id: f.parkId!,
      land_use: f.landUse!,
      area_m2: f.areaM2!.toFixed(2),
      land_level: f.landLevel!,
      land_grade: f.attributes.landGrade ?? null,
      location: f.attributes.location ?? '',
      plot_ratio_min: f.attributes.plotRatioMin ?? null,
      plot_ratio_max: f.attributes.plotRatioMax ?? null,
      building_density_max_pct: f.attributes.buildingDensityMaxPct ?? null,
      green_ratio_min_pct: f.attributes.greenRatioMinPct ?? null,
      height_limit_m: f.attributes.heightLimitM ?? null,
      investment_intensity_yuan_per_m2: f.attributes.investmentIntensityYuanPerM2 ?? null,
      cost_yuan: f.attributes.costYuan === undefined ? null : f.attributes.costYuan.toFixed(2),
      // A cost of 0 needs a note (migration 008): say where the 0 came from.
      cost_note: f.attributes.costYuan === 0 ? `导入文件登记为 0 / entered as 0 in import file ${row.filename}`.slice(0, 500) : null,
      serviced: f.attributes.serviced ?? false,
      conditions: f.attributes.conditions ?? {},
      geometry: f.geometry,
      bbox: geometryPgBox(f.geometry!),
      geometry_area_m2: f.geometryAreaM2 === null ? null : f.geometryAreaM2.toFixed(2),
    }));
    created.push(...(await insertImportedPlots(trx, batch, { reason, actor, importId: id })));
  }
  lap('inserted');
  await markImportCommitted(trx, id);
  await recordEvent(trx, {
    caller,
    action: 'import.commit',
    entity: 'import',
    entityId: id,
    after: { filename: row.filename, format: row.format, crs: row.crs, created: created.length, plots: created.map((c) => [c.id, c.code]) },
  });
  lap('audited');
  log?.info({ importId: id, created: created.length, timingsMs: timings }, 'import committed');
  return { id, status: 'committed' as const, created: created.length, plots: created };
}

/**
 * POST /api/imports/:id/commit → 201. A refusal for a conflict found at commit time (a code
 * taken or an overlapping plot drawn since the preview) marks the import failed: it cannot
 * succeed any more.
 */
export async function commitImport(db: Kysely<Database>, caller: Caller, id: string, idempotencyKey: string | undefined, log?: ImportLog) {
  try {
    return await idempotent(db, { key: idempotencyKey, userId: caller.user!.id, route: 'POST /api/imports/:id/commit', request: { params: { id } } }, 201, (trx) =>
      commitPreviewed(trx, caller, id, log),
    );
  } catch (err) {
    const reason = (err as AppError).details?.reason;
    if (err instanceof AppError && (reason === 'CODE_EXISTS' || reason === 'PLOT_OVERLAP')) await markImportFailed(db, id, err.message);
    throw err;
  }
}
