/**
 * The preview's checks, feature by feature: read the attributes, reproject the geometry to
 * WGS84, assign each plot a park (its own park code, else the chosen park, else the park
 * containing it), and validate every feature with shared/geometry.ts against its park and
 * against both the file's other features and the database's active plots — found through an
 * in-memory grid and one GiST bbox query per park, never by comparing all pairs. Codes
 * duplicated in the file or already in the database are errors; so are 宗地代码 that are
 * malformed (./formats/attributes.ts), of another district than the plot's park, duplicated in
 * the file or already held by a live plot (the database's `plots_parcel_code_live`).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import { badRequest } from '../../kernel/errors.ts';
import type { CrsCode } from '../../../shared/geometry/crs.ts';
import {
  geometryBBox, geometryStructureIssues, pointInGeometry, polygonsOf, validatePlotGeometry, type GeometryIssue, type LonLat, type Neighbour,
  type PlotGeometry,
} from '../../../shared/geometry/index.ts';
import { GUANGZHOU_BBOX, type BBox, type LandUse } from '../../../shared/domain.ts';
import { activeNeighbours, codesInUse } from '../plots/service.ts';
import { readAttributes } from './formats/attributes.ts';
import { BBoxGrid } from './formats/grid.ts';
import type { IMPORT_LIMITS } from './formats/limits.ts';
import type { ParsedFile } from './formats/types.ts';
import { countVertices, positionsOf, rawProblem, toStorage } from './crs.ts';
import { issue, type PreviewFeature, type PreviewInput } from './model.ts';
import { parcelCodesInUse, parkOutlines } from './repository.ts';

interface ParkRef { id: number; code: string; nameZh: string; districtCode: string; geometry: PlotGeometry; bbox: BBox }

function pointOf(g: PlotGeometry): LonLat {
  const ring = polygonsOf(g)[0]![0]!;
  const pts = ring.slice(0, -1);
  return [pts.reduce((s, p) => s + p[0], 0) / pts.length, pts.reduce((s, p) => s + p[1], 0) / pts.length];
}

/** Every feature of the file with its errors and warnings; `lap` records the time of each step. */
export async function checkFeatures(
  db: Kysely<Database>,
  parsed: ParsedFile,
  crs: CrsCode,
  input: PreviewInput,
  limits: typeof IMPORT_LIMITS,
  lap: (step: string) => void,
): Promise<{ features: PreviewFeature[]; defaultParkId: number | null }> {
  const parkRows = await parkOutlines(db);
  const parks: ParkRef[] = parkRows.map((p) => ({ id: p.id, code: p.code, nameZh: p.name_zh, districtCode: p.district_code, geometry: p.geometry, bbox: geometryBBox(p.geometry) }));
  const parkById = new Map(parks.map((p) => [p.id, p]));
  const parkByCode = new Map(parks.map((p) => [p.code.toLowerCase(), p]));
  const defaultPark = input.parkId !== undefined ? parkById.get(input.parkId) : undefined;
  if (input.parkId !== undefined && !defaultPark) throw badRequest(`Park ${input.parkId} does not exist (园区不存在).`);

  // 1. Attributes, geometry in WGS84, park.
  const features: PreviewFeature[] = parsed.features.map((f) => {
    const { attributes, problems } = readAttributes(f.properties);
    const errors: GeometryIssue[] = [...f.problems.map((p) => issue(p.code, p.messageZh, p.messageEn)), ...problems.map((p) => issue(p.field === 'parcelCode' ? 'PARCEL_CODE_INVALID' : 'ATTRIBUTE_INVALID', p.messageZh, p.messageEn, { field: p.field } as Partial<GeometryIssue>))];
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
    if (park && attributes.parcelCode && attributes.parcelCode.slice(0, 6) !== park.districtCode) {
      errors.push(issue(
        'PARCEL_CODE_DISTRICT',
        `宗地代码（parcelCode）${attributes.parcelCode} 的区县代码 ${attributes.parcelCode.slice(0, 6)} 与地块所在园区 ${park.code} 的区 ${park.districtCode} 不一致。`,
        `宗地代码 (parcelCode) ${attributes.parcelCode}: its district ${attributes.parcelCode.slice(0, 6)} is not the district ${park.districtCode} of the plot's park ${park.code}.`,
        { field: 'parcelCode' } as Partial<GeometryIssue>,
      ));
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

  // 宗地代码: one per live plot (migration 026), so duplicates in the file and codes held are errors.
  const byParcel = new Map<string, PreviewFeature[]>();
  for (const f of features) if (f.attributes.parcelCode) byParcel.set(f.attributes.parcelCode, [...(byParcel.get(f.attributes.parcelCode) ?? []), f]);
  const parcelField = { field: 'parcelCode' } as Partial<GeometryIssue>;
  for (const [code, list] of byParcel) {
    if (list.length < 2) continue;
    const at = list.map((f) => `#${f.index + 1}`).join(', ');
    for (const f of list) f.errors.push(issue('DUPLICATE_PARCEL_CODE', `宗地代码（parcelCode）${code} 在文件中出现 ${list.length} 次（要素 ${at}）。`, `宗地代码 (parcelCode) ${code} appears ${list.length} times in the file (features ${at}).`, parcelField));
  }
  const parcelHolders = await parcelCodesInUse(db, [...byParcel.keys()]);
  for (const f of features) {
    const holder = f.attributes.parcelCode ? parcelHolders.get(f.attributes.parcelCode) : undefined;
    if (holder !== undefined) {
      f.errors.push(issue('PARCEL_CODE_EXISTS', `宗地代码（parcelCode）${f.attributes.parcelCode} 已是地块 ${holder} 的宗地代码。`, `宗地代码 (parcelCode) ${f.attributes.parcelCode} is already the parcel code of plot ${holder}.`, { ...parcelField, plotCode: holder }));
    }
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

  return { features, defaultParkId: defaultPark?.id ?? null };
}
