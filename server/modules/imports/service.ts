/**
 * Survey data import (the plot-data issue §3, §5): upload → preview → commit.
 *
 * Preview (`previewImport`): read the file (./import/: GeoJSON, zipped Shapefile, KML/KMZ,
 * 界址点 CSV), settle the CRS (the .prj or the file's own declaration first, else the person's
 * choice, else judged from the numbers, else WGS84), reproject to WGS84 (proj4), normalise the
 * winding (shapefiles and survey tables run clockwise), read the attributes, assign each plot a
 * park (its own park code, else the chosen park, else the park containing it), and validate every
 * feature with shared/geometry.ts against its park and against both the file's other features and
 * the database's active plots — found through an in-memory grid and one GiST bbox query per park,
 * never by comparing all pairs. Codes duplicated in the file or already in the database are
 * errors. Everything is stored in `imports.preview`; the response carries the first features and
 * every problem. Nothing is written to `plots`.
 *
 * Commit (`commitImport`): all or nothing. Refused when any feature has errors, when a code has
 * been taken since, or when a plot drawn since overlaps; otherwise the plots and their first
 * versions are inserted in batches in one transaction, with one audit event.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { FastifyRequest } from 'fastify';
import type { Database } from '../../kernel/db/schema.ts';
import { geometryPgBox } from '../../kernel/db/geo.ts';
import { recordEvent } from '../../kernel/audit.ts';
import { AppError, badRequest, notFound } from '../../kernel/errors.ts';
import { CRS, geometryToWgs84, guessCrs, parseCrs, type CrsCode, type XY } from '../../../shared/geometry/crs.ts';
import {
  geometryBBox, geometryStructureIssues, overlapOf, pointInGeometry, polygonsOf, stripZ, validatePlotGeometry, OVERLAP_TOLERANCE_M2,
  type GeometryIssue, type LonLat, type Neighbour, type PlotGeometry,
} from '../../../shared/geometry/index.ts';
import { GUANGZHOU_BBOX, LAND_USES, type BBox, type LandUse } from '../../../shared/domain.ts';
import { rewind } from '@turf/turf';
import { detectFormat, parseFile, IMPORT_LIMITS, type ImportFormat, type Notice, type ParsedFile } from './formats/index.ts';
import { readAttributes, type ImportedAttributes } from './formats/attributes.ts';
import { BBoxGrid } from './formats/grid.ts';
import { fileRefused } from './formats/types.ts';
import { activeNeighbours, actorOf, lockParks, PLOT_ATTRIBUTES_SQL } from '../plots/repository.ts';

export interface PreviewInput {
  filename: string;
  data: Uint8Array;
  crs?: string | undefined;
  parkId?: number | undefined;
  format?: string | undefined;
  landUse?: string | undefined;
  landLevel?: number | undefined;
}

export type CrsSource = 'prj' | 'file' | 'user' | 'detected' | 'default';

export interface PreviewFeature {
  index: number;
  code: string | null;
  parkId: number | null;
  parkCode: string | null;
  landUse: LandUse | null;
  landLevel: number | null;
  /** The surveyed area that will be recorded (from the file, else the geometric area). */
  areaM2: number | null;
  geometryAreaM2: number | null;
  /** Further attributes read from the file (location, planning conditions …). */
  attributes: ImportedAttributes;
  /** WGS84, RFC 7946 winding; null when the feature has no usable polygon. */
  geometry: PlotGeometry | null;
  errors: GeometryIssue[];
  warnings: GeometryIssue[];
}

interface StoredPreview {
  features: PreviewFeature[];
  notices: Notice[];
  /** max(plots.row_version) when previewed: plots changed after it are re-checked at commit. */
  dbRowVersion: string;
}

const round9 = (x: number) => Math.round(x * 1e9) / 1e9;
const issue = (code: string, messageZh: string, messageEn: string, extra: Partial<GeometryIssue> = {}) =>
  ({ code, messageZh, messageEn, ...extra }) as GeometryIssue;
const geographic = (crs: CrsCode) => !CRS[crs].projected;
const sameSystem = (a: CrsCode, b: CrsCode) => a === b || (geographic(a) && geographic(b));

// ---------------------------------------------------------------------------------------------
// CRS

function positionsOf(g: PlotGeometry | null): XY[] {
  const out: XY[] = [];
  if (!g) return out;
  try {
    for (const poly of polygonsOf(g)) for (const ring of poly) for (let i = 0; i < ring.length; i++) if (Array.isArray(ring[i])) out.push(ring[i] as XY);
  } catch {
    // malformed: no positions
  }
  return out;
}

/** The most common guess over a sample of the file's raw positions. */
function majorityGuess(parsed: ParsedFile): { crs: CrsCode; example: XY } | null {
  const counts = new Map<CrsCode, { n: number; example: XY }>();
  let sampled = 0;
  for (const f of parsed.features) {
    const p = positionsOf(f.geometry)[0];
    if (!p) continue;
    const g = guessCrs([Number(p[0]), Number(p[1])]);
    if (g.crs && !g.swapped) {
      const c = counts.get(g.crs) ?? { n: 0, example: p };
      c.n++;
      counts.set(g.crs, c);
    }
    if (++sampled >= 200) break;
  }
  const best = [...counts.entries()].sort((a, b) => b[1].n - a[1].n)[0];
  return best && best[1].n > sampled / 2 ? { crs: best[0], example: best[1].example } : null;
}

function resolveCrs(parsed: ParsedFile, userCrsText: string | undefined): { crs: CrsCode; source: CrsSource; notices: Notice[] } {
  const notices: Notice[] = [];
  let userCrs: CrsCode | null = null;
  if (userCrsText !== undefined && userCrsText.trim() !== '') {
    userCrs = parseCrs(userCrsText);
    if (!userCrs) throw fileRefused('CRS_UNSUPPORTED', `crs "${userCrsText}" is not supported; choose one of ${Object.keys(CRS).join(', ')}`, `不支持坐标系“${userCrsText}”，请选择 ${Object.keys(CRS).join('、')}`);
  }
  if (parsed.declared) {
    const d = parsed.declared;
    if (userCrs && !sameSystem(userCrs, d.crs)) {
      notices.push({
        code: 'CRS_FROM_FILE',
        messageZh: `文件${d.source === 'prj' ? '的 .prj' : ''}声明坐标系为 ${d.crs}（${d.name}），按文件读取，未采用所选的 ${userCrs}。`,
        messageEn: `The file${d.source === 'prj' ? "'s .prj" : ''} declares ${d.crs} (${d.name}); it was read that way, not as the chosen ${userCrs}.`,
      });
    }
    return { crs: d.crs, source: d.source, notices };
  }
  if (parsed.unrecognisedPrj) {
    if (!userCrs) throw fileRefused('CRS_UNSUPPORTED', parsed.unrecognisedPrj.messageEn, parsed.unrecognisedPrj.messageZh);
    notices.push({ code: 'PRJ_UNRECOGNISED', messageZh: `${parsed.unrecognisedPrj.messageZh}；按所选的 ${userCrs} 读取。`, messageEn: `${parsed.unrecognisedPrj.messageEn}; read as the chosen ${userCrs}.` });
    return { crs: userCrs, source: 'user', notices };
  }
  if (userCrs) return { crs: userCrs, source: 'user', notices };
  if (parsed.format !== 'geojson') {
    const guess = majorityGuess(parsed);
    if (guess) return { crs: guess.crs, source: 'detected', notices };
  }
  return { crs: 'EPSG:4326', source: 'default', notices };
}

const SOURCE_LABEL: Record<CrsSource, [string, string]> = {
  prj: ['its .prj', '.prj 文件'], file: ['the file’s own declaration', '文件自身的声明'], user: ['your choice', '所选坐标系'],
  detected: ['a guess from the numbers', '根据数值判断'], default: ['the default, WGS84', '默认的 WGS84'],
};

/** Where positions read in `crs` land, in words: "at 109.5°E, 0.0°N, about 2,600 km from Guangzhou". */
function landing(crs: CrsCode, p: XY): { en: string; zh: string } {
  const [lon, lat] = geometryToWgs84(crs, { type: 'Polygon', coordinates: [[p]] }).coordinates[0]![0] as [number, number];
  if (!Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lon) > 180 || Math.abs(lat) > 90) {
    return { en: 'nowhere on Earth (they are not valid degrees)', zh: '地球之外（不是有效的经纬度）' };
  }
  const [w, s, e, n] = GUANGZHOU_BBOX;
  const km = Math.round(Math.hypot((lon - (w + e) / 2) * 102, (lat - (s + n) / 2) * 111));
  return { en: `at ${lon.toFixed(2)}°E, ${lat.toFixed(2)}°N, about ${km} km from Guangzhou`, zh: `${lon.toFixed(2)}°E、${lat.toFixed(2)}°N，距广州约 ${km} 公里` };
}

/** The file's numbers look like another system than the one it is read in: say so, and where they land. */
function crsMismatch(parsed: ParsedFile, crs: CrsCode, source: CrsSource): Notice | null {
  const guess = majorityGuess(parsed);
  if (!guess || sameSystem(guess.crs, crs)) return null;
  const where = landing(crs, guess.example);
  const ex = `${guess.example[0]}, ${guess.example[1]}`;
  const [srcEn, srcZh] = SOURCE_LABEL[source];
  return {
    code: 'CRS_MISMATCH',
    suggestedCrs: guess.crs,
    messageEn: `The coordinates (e.g. ${ex}) look like ${guess.crs} (${CRS[guess.crs].nameEn}), but the file was read as ${crs} (${srcEn}): read that way they land ${where.en} — in the ocean, outside Guangzhou. ${source === 'prj' || source === 'file' ? 'The file declares the wrong coordinate system; fix it, or ' : ''}Upload again with crs=${guess.crs}.`,
    messageZh: `坐标（如 ${ex}）看起来是 ${guess.crs}（${CRS[guess.crs].nameZh}），但文件按 ${crs}（${srcZh}）读取：这样读会落在${where.zh}——海上，广州以外。${source === 'prj' || source === 'file' ? '文件声明的坐标系有误，请更正，或' : '请'}选择 crs=${guess.crs} 重新上传。`,
  };
}

// ---------------------------------------------------------------------------------------------
// Preview

/** A raw geometry's positions, finite and plausible for `crs`, or the issue. */
function rawProblem(g: PlotGeometry, crs: CrsCode): GeometryIssue | null {
  const pts = positionsOf(g);
  const [x0, y0, x1, y1] = CRS[crs].guangzhouRange;
  const slackX = geographic(crs) ? 0 : 10_000_000, slackY = geographic(crs) ? 0 : 10_000_000;
  for (const p of pts) {
    const [x, y] = [p[0], p[1]];
    if (typeof x !== 'number' || typeof y !== 'number' || !Number.isFinite(x) || !Number.isFinite(y)) {
      return issue('COORDINATE_NOT_FINITE', `坐标不是有效数字（NaN、Infinity 或空值）：${String(x)}, ${String(y)}。`, `A coordinate is not a finite number (NaN, Infinity or empty): ${String(x)}, ${String(y)}.`);
    }
    if (!geographic(crs) && (x < x0 - slackX || x > x1 + slackX || y < y0 - slackY || y > y1 + slackY)) {
      const g2 = guessCrs([x, y]);
      const hint = g2.crs ? ` They look like ${g2.crs}${g2.swapped ? ' with X and Y exchanged' : ''}.` : '';
      return issue('COORDINATE_OUT_OF_RANGE', `坐标 ${x}, ${y} 不是合理的 ${crs} 坐标（数值过大或坐标系不对）。`, `Coordinates ${x}, ${y} are not plausible ${crs} coordinates (too large, or the wrong coordinate system).${hint}`, { figures: { x, y } });
    }
  }
  return null;
}

function countVertices(g: PlotGeometry): number {
  return positionsOf(g).length;
}

/** Projects to WGS84, rounds to 1e-9° (0.1 mm), re-winds to RFC 7946. */
function toStorage(g: PlotGeometry, crs: CrsCode): PlotGeometry {
  const flat = stripZ(g);
  const wgs = geographic(crs) ? flat : geometryToWgs84(crs, flat);
  const rounded = (wgs.type === 'Polygon'
    ? { type: 'Polygon', coordinates: wgs.coordinates.map((r) => r.map(([x, y]) => [round9(x!), round9(y!)])) }
    : { type: 'MultiPolygon', coordinates: wgs.coordinates.map((poly) => poly.map((r) => r.map(([x, y]) => [round9(x!), round9(y!)]))) }) as PlotGeometry;
  return rewind(rounded) as PlotGeometry;
}

interface ParkRef { id: number; code: string; nameZh: string; geometry: PlotGeometry; bbox: BBox }

function pointOf(g: PlotGeometry): LonLat {
  const ring = polygonsOf(g)[0]![0]!;
  const pts = ring.slice(0, -1);
  return [pts.reduce((s, p) => s + p[0], 0) / pts.length, pts.reduce((s, p) => s + p[1], 0) / pts.length];
}

export async function previewImport(db: Kysely<Database>, req: FastifyRequest, input: PreviewInput) {
  const limits = IMPORT_LIMITS;
  const t0 = performance.now();
  const timings: Record<string, number> = {};
  const lap = (name: string) => { timings[name] = Math.round(performance.now() - t0); };
  if (input.landUse !== undefined && !(LAND_USES as readonly string[]).includes(input.landUse)) throw badRequest(`landUse must be one of ${LAND_USES.join(', ')}.`);
  if (input.landLevel !== undefined && !(Number.isInteger(input.landLevel) && input.landLevel >= 1 && input.landLevel <= 10)) throw badRequest('landLevel must be a whole number 1–10.');
  const { format, kmz } = detectFormat(input.filename, input.data, input.format);
  const parsed = await parseFile(format, kmz, input.data, limits);
  lap('parsed');
  if (parsed.features.length === 0) throw fileRefused('EMPTY', 'The file holds no features', '文件中没有要素');
  const { crs, source, notices } = resolveCrs(parsed, input.crs);
  notices.push(...parsed.notices);
  const mismatch = crsMismatch(parsed, crs, source);
  if (mismatch) notices.unshift(mismatch);

  const parkRows = await db.selectFrom('parks').select(['id', 'code', 'name_zh', 'geometry']).execute();
  const parks: ParkRef[] = parkRows.map((p) => ({ id: p.id, code: p.code, nameZh: p.name_zh, geometry: p.geometry, bbox: geometryBBox(p.geometry) }));
  const parkById = new Map(parks.map((p) => [p.id, p]));
  const parkByCode = new Map(parks.map((p) => [p.code.toLowerCase(), p]));
  const defaultPark = input.parkId !== undefined ? parkById.get(input.parkId) : undefined;
  if (input.parkId !== undefined && !defaultPark) throw badRequest(`Park ${input.parkId} does not exist (园区不存在).`);

  // 1. Attributes, geometry in WGS84, park.
  const features: PreviewFeature[] = parsed.features.map((f) => {
    const { attributes, problems } = readAttributes(f.properties);
    const errors: GeometryIssue[] = [...f.problems.map((p) => issue(p.code, p.messageZh, p.messageEn)), ...problems.map((p) => issue('ATTRIBUTE_INVALID', p.messageZh, p.messageEn))];
    const warnings: GeometryIssue[] = [];
    let geometry: PlotGeometry | null = null;
    if (f.geometry) {
      const malformed = geometryStructureIssues(f.geometry)[0];
      const vertices = malformed ? 0 : countVertices(f.geometry);
      if (malformed) errors.push(malformed);
      else if (vertices > limits.maxVerticesPerFeature) {
        errors.push(issue('TOO_MANY_VERTICES', `图形有 ${vertices} 个点，超过上限 ${limits.maxVerticesPerFeature}；请先简化。`, `The geometry has ${vertices} vertices, more than the limit of ${limits.maxVerticesPerFeature}; simplify it first.`));
      } else {
        const raw = rawProblem(f.geometry, crs);
        if (raw) errors.push(raw);
        else {
          geometry = toStorage(f.geometry, crs);
          if (!positionsOf(geometry).every(([x, y]) => Number.isFinite(x) && Number.isFinite(y))) {
            errors.push(issue('COORDINATE_OUT_OF_RANGE', `坐标无法从 ${crs} 换算为经纬度（数值超出范围）。`, `The coordinates cannot be converted from ${crs} to longitude/latitude (out of range).`));
            geometry = null;
          }
        }
      }
    }
    let park: ParkRef | undefined;
    if (attributes.parkCode) {
      park = parkByCode.get(attributes.parkCode.toLowerCase());
      if (!park) errors.push(issue('UNKNOWN_PARK', `园区编号 ${attributes.parkCode} 不存在。`, `There is no park with code ${attributes.parkCode}.`));
    } else if (defaultPark) park = defaultPark;
    else if (geometry && positionsOf(geometry).every(([x, y]) => x >= GUANGZHOU_BBOX[0] - 0.1 && x <= GUANGZHOU_BBOX[2] + 0.1 && y >= GUANGZHOU_BBOX[1] - 0.1 && y <= GUANGZHOU_BBOX[3] + 0.1)) {
      // (A geometry outside Guangzhou gets its own error from the validation; no park is looked for.)
      const p = pointOf(geometry);
      park = parks.find((k) => p[0] >= k.bbox[0] && p[0] <= k.bbox[2] && p[1] >= k.bbox[1] && p[1] <= k.bbox[3] && pointInGeometry(p, k.geometry));
      if (!park) errors.push(issue('NO_PARK', `该地块不在任何园区内（${p[0].toFixed(6)}, ${p[1].toFixed(6)}）；请在文件中给出园区编号或选择园区。`, `The plot lies in no park (${p[0].toFixed(6)}, ${p[1].toFixed(6)}); give a park code column or choose the park.`, { where: p }));
    }
    const landUse = attributes.landUse ?? (input.landUse as LandUse | undefined) ?? null;
    const landLevel = attributes.landLevel ?? input.landLevel ?? null;
    if (!attributes.code) errors.push(issue('MISSING_CODE', '缺少宗地编号。', 'The plot has no code (宗地编号).'));
    if (!landUse) errors.push(issue('MISSING_LAND_USE', '缺少土地用途（M0–M3），可在文件中给出或在上传时选择默认值。', 'The plot has no land use (M0–M3): add a column or choose a default when uploading.'));
    if (!landLevel) errors.push(issue('MISSING_LAND_LEVEL', '缺少土地级别，可在文件中给出或在上传时选择默认值。', 'The plot has no land level: add a column or choose a default when uploading.'));
    const { code: _c, parkCode: _p, landUse: _u, landLevel: _l, areaM2: _a, ...rest } = attributes;
    return {
      index: f.index,
      code: attributes.code ?? null,
      parkId: park?.id ?? null,
      parkCode: park?.code ?? null,
      landUse,
      landLevel,
      areaM2: attributes.areaM2 ?? null,
      geometryAreaM2: null,
      attributes: rest,
      geometry,
      errors,
      warnings,
    };
  });

  lap('features');
  // 2. Codes: duplicates in the file, and codes already in the database.
  const byCode = new Map<string, PreviewFeature[]>();
  for (const f of features) if (f.code) byCode.set(f.code, [...(byCode.get(f.code) ?? []), f]);
  for (const [code, list] of byCode) {
    if (list.length < 2) continue;
    const at = list.map((f) => `#${f.index + 1}`).join(', ');
    for (const f of list) f.errors.push(issue('DUPLICATE_CODE', `宗地编号 ${code} 在文件中出现 ${list.length} 次（要素 ${at}）。`, `Code ${code} appears ${list.length} times in the file (features ${at}).`));
  }
  const existing = new Set(await codesInUse(db, [...byCode.keys()]));
  for (const f of features) {
    if (f.code && existing.has(f.code)) f.errors.push(issue('CODE_EXISTS', `宗地编号 ${f.code} 已存在于系统中。`, `Code ${f.code} already exists in the database.`));
  }

  lap('codes');
  // 3. Neighbours: the file's own features and the database's active plots, through one grid.
  const grid = new BBoxGrid<{ key: string; n: Neighbour }>();
  const boxes = new Map<PreviewFeature, BBox>();
  const bboxByPark = new Map<number, BBox>();
  for (const f of features) {
    if (!f.geometry) continue;
    const b = geometryBBox(f.geometry);
    if (!b.every(Number.isFinite) || b[0] < -180 || b[2] > 180 || b[1] < -90 || b[3] > 90) continue;
    boxes.set(f, b);
    grid.insert(b, { key: `f${f.index}`, n: { code: `${f.code ?? '?'} (#${f.index + 1} in this file)`, geometry: f.geometry } });
    if (f.parkId !== null) {
      const u = bboxByPark.get(f.parkId);
      bboxByPark.set(f.parkId, u ? [Math.min(u[0], b[0]), Math.min(u[1], b[1]), Math.max(u[2], b[2]), Math.max(u[3], b[3])] : b);
    }
  }
  const seen = new Set<number>();
  for (const box of bboxByPark.values()) {
    for (const n of await activeNeighbours(db, box)) {
      if (seen.has(n.id!)) continue;
      seen.add(n.id!);
      grid.insert(geometryBBox(n.geometry), { key: `p${n.id}`, n });
    }
  }

  lap('neighbours');
  // 4. The shared validation, feature by feature.
  for (const f of features) {
    if (!f.geometry) continue;
    const box = boxes.get(f);
    const neighbours = box ? grid.query(box).filter((e) => e.key !== `f${f.index}`).map((e) => e.n) : [];
    const park = f.parkId !== null ? parkById.get(f.parkId) : undefined;
    const v = validatePlotGeometry(f.geometry, {
      ...(park ? { park: { code: park.code, nameZh: park.nameZh, geometry: park.geometry } } : {}),
      neighbours,
      surveyedAreaM2: f.areaM2,
      maxVertices: limits.maxVerticesPerFeature,
    });
    f.errors.push(...v.errors);
    f.warnings.push(...v.warnings);
    f.geometryAreaM2 = v.areaM2;
    if (f.areaM2 === null && v.areaM2 !== null && v.areaM2 > 0) {
      f.areaM2 = v.areaM2;
      f.warnings.push(issue('AREA_FROM_GEOMETRY', `文件没有登记面积，将记录图形面积 ${v.areaM2} 平方米。`, `The file gives no surveyed area; the geometric area ${v.areaM2} m² will be recorded.`));
    }
  }

  lap('validated');
  const counts = {
    features: features.length,
    valid: features.filter((f) => f.errors.length === 0).length,
    invalid: features.filter((f) => f.errors.length > 0).length,
    warnings: features.filter((f) => f.warnings.length > 0).length,
  };
  const maxRv = await db.selectFrom('plots').select(sql<string>`coalesce(max(row_version), 0)::text`.as('v')).executeTakeFirstOrThrow();
  const id = randomUUID();
  const expiresAt = new Date(Date.now() + limits.previewTtlHours * 3600_000);
  const stored: StoredPreview = { features, notices, dbRowVersion: maxRv.v };
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('imports').where('status', '=', 'previewed').where('expires_at', '<', new Date()).execute();
    await trx
      .insertInto('imports')
      .values({
        id,
        status: 'previewed',
        filename: input.filename.slice(0, 255),
        format,
        crs,
        crs_source: source,
        default_park_id: defaultPark?.id ?? null,
        created_by: req.user?.id ?? null,
        counts: JSON.stringify(counts),
        preview: JSON.stringify(stored),
        expires_at: expiresAt,
      })
      .execute();
    await recordEvent(trx, { req, action: 'import.preview', entity: 'import', entityId: id, after: { filename: input.filename, format, crs, crsSource: source, counts } });
  });
  lap('stored');
  req.log.info({ importId: id, counts, timingsMs: timings }, 'import previewed');
  return {
    id, status: 'previewed' as const, filename: input.filename, format, crs, crsSource: source, counts, notices,
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

type ImportRow = Awaited<ReturnType<typeof loadImport>>;

/** The stored preview (JSON text; a database migrated by an early 006 has it as jsonb, already parsed). */
function readPreview(stored: unknown): StoredPreview {
  return (typeof stored === 'string' ? JSON.parse(stored) : stored) as StoredPreview;
}

async function loadImport(db: Kysely<Database> | Transaction<Database>, id: string, lock = false) {
  let q = db.selectFrom('imports').selectAll().where('id', '=', id);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** Imports are their uploader's (an admin sees all); anyone else gets 404. */
function assertOwn(req: FastifyRequest, row: NonNullable<ImportRow> | undefined, id: string): asserts row is NonNullable<ImportRow> {
  if (!row || (row.created_by !== req.user?.id && req.user?.role !== 'admin')) throw notFound(`Import ${id}`);
}

export async function getImport(db: Kysely<Database>, req: FastifyRequest, id: string, offset: number, limit: number) {
  const row = await loadImport(db, id);
  assertOwn(req, row, id);
  const preview = readPreview(row.preview);
  return {
    ...summary(row),
    notices: preview.notices,
    ...pageOf(preview.features, offset, limit),
  };
}

function summary(row: NonNullable<ImportRow>) {
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

export async function listImports(db: Kysely<Database>, req: FastifyRequest, limit: number) {
  let q = db.selectFrom('imports').select(['id', 'status', 'filename', 'format', 'crs', 'crs_source', 'counts', 'created_at', 'committed_at', 'expires_at', 'failure', 'created_by', 'default_park_id']).orderBy('created_at', 'desc').limit(limit);
  if (req.user?.role !== 'admin') q = q.where('created_by', '=', req.user!.id);
  const rows = await q.execute();
  return { items: rows.map((r) => summary({ ...r, preview: '' })) };
}

// ---------------------------------------------------------------------------------------------
// Commit

const BATCH = 2000;

/** Which of these codes are taken (one query: the codes travel as one JSON array). */
async function codesInUse(db: Kysely<Database> | Transaction<Database>, codes: string[]): Promise<string[]> {
  if (!codes.length) return [];
  const r = await sql<{ code: string }>`SELECT code FROM plots WHERE code IN (SELECT jsonb_array_elements_text(${JSON.stringify(codes)}::jsonb))`.execute(db);
  return r.rows.map((x) => x.code);
}

export async function commitImport(trx: Transaction<Database>, req: FastifyRequest, id: string) {
  const t0 = performance.now();
  const timings: Record<string, number> = {};
  const lap = (name: string) => { timings[name] = Math.round(performance.now() - t0); };
  const row = await loadImport(trx, id, true);
  lap('loaded');
  assertOwn(req, row, id);
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
  // Plots drawn or moved since the preview, against the file's features.
  const grid = new BBoxGrid<PreviewFeature>();
  let union: BBox | null = null;
  for (const f of features) {
    const b = geometryBBox(f.geometry!);
    grid.insert(b, f);
    union = union ? [Math.min(union[0], b[0]), Math.min(union[1], b[1]), Math.max(union[2], b[2]), Math.max(union[3], b[3])] : b;
  }
  const changed = await trx
    .selectFrom('plots')
    .select(['id', 'code', 'geometry'])
    .where('status', 'not in', ['withdrawn', 'retired'])
    .where(sql<boolean>`row_version > ${preview.dbRowVersion}::bigint`)
    .where(sql<boolean>`bbox && ${`(${union![0]},${union![1]}),(${union![2]},${union![3]})`}::box`)
    .execute();
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
  const actor = actorOf(req);
  const created: { id: number; code: string }[] = [];
  // Rows travel as one JSON parameter per batch and are unpacked by the database
  // (jsonb_to_recordset): far cheaper than thousands of bind parameters. Each version 1 is copied
  // from its new plot row in SQL, so the geometry is sent once.
  for (let i = 0; i < features.length; i += BATCH) {
    const batch = features.slice(i, i + BATCH).map((f) => ({
      code: f.code!,
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
      geometry: f.geometry,
      bbox: geometryPgBox(f.geometry!),
      geometry_area_m2: f.geometryAreaM2 === null ? null : f.geometryAreaM2.toFixed(2),
    }));
    const json = JSON.stringify(batch);
    const inserted = await sql<{ id: number; code: string }>`
      WITH x AS (
        SELECT * FROM jsonb_to_recordset(${json}::jsonb) AS r(
          code text, park_id integer, land_use text, area_m2 numeric, land_level integer, land_grade integer, location text,
          plot_ratio_min numeric, plot_ratio_max numeric, building_density_max_pct numeric, green_ratio_min_pct numeric,
          height_limit_m numeric, investment_intensity_yuan_per_m2 numeric, cost_yuan numeric, cost_note text, serviced boolean, geometry jsonb, bbox text,
          geometry_area_m2 numeric)
      ), ins AS (
        INSERT INTO plots (code, park_id, status, land_use, area_m2, land_level, land_grade, location, plot_ratio_min, plot_ratio_max,
                           building_density_max_pct, green_ratio_min_pct, height_limit_m, investment_intensity_yuan_per_m2, cost_yuan, cost_note,
                           serviced, geometry, bbox, sample)
        SELECT code, park_id, 'available', land_use, area_m2, land_level, land_grade, location, plot_ratio_min, plot_ratio_max,
               building_density_max_pct, green_ratio_min_pct, height_limit_m, investment_intensity_yuan_per_m2, cost_yuan, cost_note,
               serviced, geometry, bbox::box, false
          FROM x
        RETURNING *
      )
      INSERT INTO plot_versions (plot_id, version, geometry, area_m2, geometry_area_m2, attributes, operation, reason, changed_by, changed_by_username, import_id)
      SELECT ins.id, 1, ins.geometry, ins.area_m2, x.geometry_area_m2, ${sql.raw(PLOT_ATTRIBUTES_SQL('ins'))}, 'import', ${`import ${row.filename}`.slice(0, 500)},
             ${actor.userId}, ${actor.username}, ${id}::uuid
        FROM ins JOIN x ON x.code = ins.code
      RETURNING plot_id AS id, attributes->>'code' AS code`.execute(trx);
    created.push(...inserted.rows.map((r) => ({ id: r.id, code: r.code })));
  }
  lap('inserted');
  await trx.updateTable('imports').set({ status: 'committed', committed_at: new Date() }).where('id', '=', id).execute();
  await recordEvent(trx, {
    req,
    action: 'import.commit',
    entity: 'import',
    entityId: id,
    after: { filename: row.filename, format: row.format, crs: row.crs, created: created.length, plots: created.map((c) => [c.id, c.code]) },
  });
  lap('audited');
  req.log.info({ importId: id, created: created.length, timingsMs: timings }, 'import committed');
  return { id, status: 'committed' as const, created: created.length, plots: created };
}

/** After a commit refused for a conflict found at commit time: the import cannot succeed any more. */
export async function markImportFailed(db: Kysely<Database>, id: string, failure: string): Promise<void> {
  await db.updateTable('imports').set({ status: 'failed', failure: failure.slice(0, 2000) }).where('id', '=', id).where('status', '=', 'previewed').execute();
}

