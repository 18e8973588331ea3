/**
 * Recognizing a park (四(三)8, 五(三)12–13: "逐年认定"): the bureau adds a park with its year of
 * recognition and a surveyed boundary from a GeoJSON file. It gets tier `recognized`,
 * `boundarySource: surveyed`, `sample: false`, and at once the park policies (the subsidy under
 * the cap, the 15 % facilities ratio): nothing else needs to happen for it to be eligible.
 *
 * Checks, each refused with a 400 that says what to change, and nothing written:
 * - the boundary itself (shared `readParkBoundary`): a Polygon/MultiPolygon (or a Feature, or a
 *   one-feature FeatureCollection), closed rings, WGS84 range, no self-intersection;
 * - inside Guangzhou: it must overlap the districts; less than 99 % inside is a warning (the
 *   district outlines are quantized to ~100 m, so an exact edge cannot be required);
 * - not overlapping an existing park (more than 1 m² in common; touching edges are fine);
 * - the named district: less than half of the area inside it is a **warning, not a refusal** —
 *   the managing district is an administrative fact the geometry cannot overrule (广州国际生物岛
 *   is managed by 黄埔 but lies inside 海珠's outline in our data); the warning is returned and
 *   kept in the park's notes.
 * The area is the boundary's EPSG:4547 plane area (shared/geometry/area.ts), as plots are measured. Creation takes an advisory lock, so two
 * overlapping parks cannot be added at the same moment.
 */
import type { Kysely, Transaction } from 'kysely';
import { intersectionAreaM2 } from '../../../shared/geometry/area.ts';
import type { Database } from '../../kernel/db/schema.ts';
import type { Caller } from '../../kernel/caller.ts';
import { recordEvent } from '../../kernel/audit.ts';
import { AppError, badRequest, notFound } from '../../kernel/errors.ts';
import { geometryPgBox } from '../../kernel/db/geo.ts';
import { DISTRICT_CODES, SECTORS, type Sector } from '../../../shared/domain.ts';
import { readParkBoundary, type BoundaryGeometry } from '../../../shared/geometry/park-boundary.ts';
import { idempotent } from '../../kernel/idempotency.ts';
import { bureauToday } from '../../kernel/dates.ts';
import { policyFailure } from '../quotes/service.ts';
import { parkSubsidySummary } from '../subsidies/service.ts';
import { districtsNear, findParkByCode, insertPark, listParks, lockParkCreation, parksNear } from './repository.ts';

/** The parks with their land figures (other modules' read models use them too). */
export { listParks, type ParkRow } from './repository.ts';

type Executor = Kysely<Database> | Transaction<Database>;

/** Below this share inside the named district, a warning (not a refusal; see the module comment). */
export const DISTRICT_SHARE_WARNING = 0.5;
/** Below this share inside Guangzhou, a warning. */
export const GUANGZHOU_SHARE_WARNING = 0.99;
/** Overlap with an existing park above this area (m²) is refused; touching edges are allowed. */
export const OVERLAP_TOLERANCE_M2 = 1;

export interface ParkMetadata {
  code: string;
  nameZh: string;
  nameEn: string;
  districtCode: string;
  sectors: Sector[];
  recognizedYear: number;
  note: string | null;
}

export interface RecognizeInput {
  body: Record<string, unknown>;
  query: Record<string, unknown>;
}

export interface BoundaryWarning {
  code: 'MOSTLY_OUTSIDE_DISTRICT' | 'PARTLY_OUTSIDE_GUANGZHOU' | 'DUPLICATE_POINTS_REMOVED';
  messageZh: string;
  messageEn: string;
}

const FIELDS = ['code', 'nameZh', 'nameEn', 'districtCode', 'sectors', 'recognizedYear'] as const;
const BODY_FIELDS = [...FIELDS, 'boundary', 'note'] as const;
const pct = (x: number) => `${(Math.round(x * 1000) / 10).toFixed(1)}%`;

/** Metadata from the body (or, for a raw upload, the query string, then the feature's properties), checked. */
function readMetadata(sources: Record<string, unknown>[]): ParkMetadata {
  const pick = (k: string) => sources.map((s) => s[k]).find((v) => v !== undefined && v !== null && v !== '');
  const missing = FIELDS.filter((k) => pick(k) === undefined);
  if (missing.length) {
    throw badRequest(
      `Missing ${missing.join(', ')}: give them in the JSON body with the boundary, or — when uploading the GeoJSON file itself — in the query string or the feature's properties (缺少字段 ${missing.join('、')}).`,
      { field: missing[0], missing },
    );
  }
  const code = String(pick('code')).trim();
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/.test(code)) throw badRequest(`code "${code}" must be 1–32 letters, digits, "-" or "_" (e.g. P13).`, { field: 'code' });
  const nameZh = String(pick('nameZh')).trim();
  const nameEn = String(pick('nameEn')).trim();
  if (!nameZh || nameZh.length > 100) throw badRequest('nameZh must be 1–100 characters (园区中文名称).', { field: 'nameZh' });
  if (!nameEn || nameEn.length > 200) throw badRequest('nameEn must be 1–200 characters.', { field: 'nameEn' });
  const districtCode = String(pick('districtCode')).trim();
  if (!(DISTRICT_CODES as readonly string[]).includes(districtCode)) {
    throw badRequest(`districtCode "${districtCode}" is not a Guangzhou district; one of ${DISTRICT_CODES.join(', ')}.`, { field: 'districtCode' });
  }
  const rawSectors = pick('sectors');
  const sectors = (Array.isArray(rawSectors) ? rawSectors : String(rawSectors).split(',')).map((s) => String(s).trim());
  if (sectors.length === 0 || sectors.some((s) => !(SECTORS as readonly string[]).includes(s)) || new Set(sectors).size !== sectors.length) {
    throw badRequest(`sectors must be one or more of ${SECTORS.join(', ')} without repeats; got ${JSON.stringify(rawSectors)}.`, { field: 'sectors' });
  }
  const year = Number(pick('recognizedYear'));
  const thisYear = Number(bureauToday().slice(0, 4));
  if (!Number.isInteger(year) || year < 2018 || year > thisYear + 1) {
    throw badRequest(`recognizedYear must be a year from 2018 (the plan) to ${thisYear + 1}; got ${String(pick('recognizedYear'))}.`, { field: 'recognizedYear' });
  }
  const note = pick('note');
  return { code, nameZh, nameEn, districtCode, sectors: sectors as Sector[], recognizedYear: year, note: note === undefined ? null : String(note).slice(0, 1000) };
}

// The plane area, as the boundary's own (the one area model of shared/geometry/area.ts).
const overlapArea = (a: BoundaryGeometry, b: GeoJSON.Polygon | GeoJSON.MultiPolygon): number => intersectionAreaM2(a, b);

/** GET /api/parks: every park as a Feature with its plot count and available area. */
export async function parkCollection(db: Executor, opts: { includeZones?: boolean } = {}) {
  const parks = await listParks(db, { includeZones: opts.includeZones === true });
  return {
    type: 'FeatureCollection' as const,
    features: parks.map(({ geometry, figures, ...p }) => ({
      type: 'Feature' as const,
      id: p.id,
      geometry,
      properties: { ...p, plotCount: figures.plotCount, availableAreaM2: figures.availableAreaM2 },
    })),
  };
}

/** One park as GET /api/parks/:id shows it (a Feature with its land and subsidy figures). */
export async function parkDetailFeature(db: Executor, id: number) {
  const [park] = await listParks(db, { id });
  if (!park) throw notFound(`Park ${id}`);
  const { geometry, figures, notes, ...p } = park;
  const n = notes as { locationConfidence?: string | null; areaNote?: string | null };
  // 五(三)13: the cap in force (reference data) and the park's net granted total (its ledger sum).
  const subsidy = await parkSubsidySummary(db, id);
  return {
    type: 'Feature' as const,
    id: p.id,
    geometry,
    properties: {
      ...p,
      locationConfidence: n.locationConfidence ?? null,
      areaNote: n.areaNote ?? null,
      figures: { ...figures, subsidyCapYuan: subsidy.capYuan, subsidyGrantedYuan: subsidy.grantedYuan },
    },
  };
}

/** POST /api/parks: validates, checks against the districts and the parks, inserts, audits. */
export async function recognizePark(db: Kysely<Database>, caller: Caller, input: RecognizeInput, idempotencyKey?: string) {
  const user = caller.user;
  if (!user) throw new AppError(401, 'UNAUTHENTICATED', 'Sign in first (请先登录).');
  const raw = typeof input.body.type === 'string' ? input.body : input.body.boundary;
  if (raw === undefined) {
    throw badRequest('boundary is required: a GeoJSON Polygon, MultiPolygon, Feature or one-feature FeatureCollection (WGS84). Or send the GeoJSON file itself as the body (application/geo+json) with the other fields in the query string.', { field: 'boundary' });
  }
  if (typeof input.body.type !== 'string') {
    // The JSON form refuses unknown fields (a raw GeoJSON file may carry foreign members).
    const unknown = Object.keys(input.body).filter((k) => !(BODY_FIELDS as readonly string[]).includes(k));
    if (unknown.length) throw badRequest(`body field "${unknown[0]}" is not allowed; the fields are ${BODY_FIELDS.join(', ')}.`, { field: unknown[0] });
  }
  const boundary = readParkBoundary(raw);
  if (!boundary.ok) throw policyFailure(boundary);
  const fromFile = typeof input.body.type === 'string';
  const meta = readMetadata(fromFile ? [input.query, boundary.properties ?? {}] : [input.body, input.query]);
  const geometry = boundary.geometry;
  const box = geometryPgBox(geometry);

  return idempotent(db, { key: idempotencyKey, userId: user.id, route: 'POST /api/parks', request: { ...meta, geometry } }, 201, async (trx) => {
    await lockParkCreation(trx);
    const taken = await findParkByCode(trx, meta.code);
    if (taken) {
      throw new AppError(409, 'CONFLICT', `Park code ${meta.code} is already used by park ${taken.id} (${taken.name_zh}); choose another code (园区编号已存在).`, { reason: 'PARK_CODE_TAKEN', field: 'code' });
    }

    // Inside Guangzhou, and how much inside the named district (districts do not overlap).
    const districts = await districtsNear(trx, box);
    let inside = 0;
    let inNamed = 0;
    let largest: { code: string; area: number } | null = null;
    for (const d of districts) {
      const a = overlapArea(geometry, d.geometry);
      inside += a;
      if (d.code === meta.districtCode) inNamed = a;
      if (a > 0 && (!largest || a > largest.area)) largest = { code: d.code, area: a };
    }
    const total = boundary.areaM2;
    const insideShare = Math.min(1, inside / total);
    const districtShare = Math.min(1, inNamed / total);
    if (inside <= 0) {
      throw badRequest(
        'The boundary lies outside Guangzhou: it does not overlap any of the districts. Check the coordinates are WGS84 longitude/latitude of the park (边界不在广州市范围内).',
        { field: 'boundary', reason: 'OUTSIDE_GUANGZHOU' },
      );
    }

    // No overlap with an existing park.
    const near = await parksNear(trx, box);
    for (const p of near) {
      const a = overlapArea(geometry, p.geometry);
      if (a > OVERLAP_TOLERANCE_M2) {
        throw badRequest(
          `The boundary overlaps park ${p.code} ${p.name_en} by ${Math.round(a).toLocaleString('en')} m²; parks may touch but not overlap (边界与已有园区 ${p.code} ${p.name_zh} 重叠约 ${Math.round(a)} 平方米).`,
          { field: 'boundary', reason: 'OVERLAPS_PARK', parkId: p.id, overlapM2: Math.round(a * 100) / 100 },
        );
      }
    }

    const warnings: BoundaryWarning[] = [];
    if (districtShare < DISTRICT_SHARE_WARNING) {
      const other = largest && largest.code !== meta.districtCode ? districts.find((d) => d.code === largest!.code) : undefined;
      warnings.push({
        code: 'MOSTLY_OUTSIDE_DISTRICT',
        messageZh: `边界只有 ${pct(districtShare)} 位于所属区 ${meta.districtCode} 内${other ? `，大部分位于${other.name_zh}` : ''}；已按所填管理区登记，请确认`,
        messageEn: `Only ${pct(districtShare)} of the boundary lies inside the managing district ${meta.districtCode}${other ? `; most of it is in ${other.name_en}` : ''}. Recorded under the district given — please confirm`,
      });
    }
    if (insideShare < GUANGZHOU_SHARE_WARNING) {
      warnings.push({
        code: 'PARTLY_OUTSIDE_GUANGZHOU',
        messageZh: `边界只有 ${pct(insideShare)} 位于广州市各区范围内`,
        messageEn: `Only ${pct(insideShare)} of the boundary lies inside Guangzhou's districts`,
      });
    }
    if (boundary.removedDuplicatePoints > 0) {
      warnings.push({
        code: 'DUPLICATE_POINTS_REMOVED',
        messageZh: `已删除 ${boundary.removedDuplicatePoints} 个重复的相邻顶点`,
        messageEn: `${boundary.removedDuplicatePoints} repeated consecutive point(s) were removed`,
      });
    }
    const checks = {
      areaM2: total,
      insideGuangzhouShare: Math.round(insideShare * 10_000) / 10_000,
      insideDistrictShare: Math.round(districtShare * 10_000) / 10_000,
      largestDistrictCode: largest?.code ?? null,
    };

    const parkId = await insertPark(trx, {
      code: meta.code,
      name_zh: meta.nameZh,
      name_en: meta.nameEn,
      district_code: meta.districtCode,
      tier: 'recognized',
      sectors: meta.sectors,
      recognized_year: meta.recognizedYear,
      boundary_source: 'surveyed',
      area_m2: total.toFixed(2),
      geometry: JSON.stringify(geometry),
      bbox: box,
      sample: false,
      notes: JSON.stringify({ locationConfidence: null, areaNote: null, note: meta.note, recognizedBy: user.username, checks, warnings }),
    });
    const park = await parkDetailFeature(trx, parkId);
    await recordEvent(trx, {
      caller,
      action: 'park.recognize',
      entity: 'park',
      entityId: parkId,
      // The geometry itself stays in the parks table; the event names its extent and checks.
      after: { ...park.properties, boundaryBbox: box, checks, warnings },
    });
    return { park, checks, warnings };
  });
}
