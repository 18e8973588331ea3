/**
 * Between terra-draw, the plot form and the API (pure, unit-tested):
 * - geometries: terra-draw's polygon → an RFC 7946 polygon (closed, exterior counter-clockwise,
 *   no repeated vertices), and a plot's geometry → a terra-draw feature (9 decimals, the
 *   adapter's precision);
 * - the plot form: text fields as typed, checked field by field, turned into the body of
 *   `POST /api/plots` or the changed fields only for `PATCH /api/plots/:id`.
 */
import type { AreaGeometry, CreatePlotBody, PatchPlotBody } from '../../api/index.ts';
import { LAND_USES, type LandUse } from '../../../shared/domain.ts';
import type { ConditionField } from '../../../shared/policy/standard-land.ts';
import { normalizeParcelCode, validateParcelCode } from '../../../shared/policy/parcel-code.ts';
import { landUseMapping } from '../../../shared/land-use-codes.ts';
import {
  conditionsFormFrom, conditionsFormProblems, createConditions, emptyConditionsForm, patchConditions, type ConditionsForm,
} from '../conditions/conditionsForm.ts';

type Ring = GeoJSON.Position[];

/** terra-draw stores coordinates at this many decimals (its adapters' default precision). */
export const DRAW_PRECISION = 9;

const samePos = (a: GeoJSON.Position, b: GeoJSON.Position) => a[0] === b[0] && a[1] === b[1];

function signedArea2(ring: Ring): number {
  let a = 0;
  for (let i = 0; i < ring.length - 1; i++) a += ring[i]![0]! * ring[i + 1]![1]! - ring[i + 1]![0]! * ring[i]![1]!;
  return a;
}

/** A ring without consecutive repeats, closed, wound counter-clockwise (`ccw`) or clockwise. */
function tidyRing(ring: Ring, ccw: boolean): Ring {
  const out: Ring = [];
  for (const p of ring) {
    const q = [p[0]!, p[1]!];
    if (!out.length || !samePos(out[out.length - 1]!, q)) out.push(q);
  }
  if (out.length && !samePos(out[0]!, out[out.length - 1]!)) out.push([out[0]![0]!, out[0]![1]!]);
  const area = signedArea2(out);
  if ((ccw && area < 0) || (!ccw && area > 0)) out.reverse();
  return out;
}

/** RFC 7946 polygon: rings closed, exterior counter-clockwise, holes clockwise, no repeated vertex. */
export function normalisePolygon(g: GeoJSON.Polygon): GeoJSON.Polygon {
  return { type: 'Polygon', coordinates: g.coordinates.map((ring, i) => tidyRing(ring, i === 0)) };
}

/**
 * The polygon terra-draw can edit for a plot geometry: a Polygon of one ring (or a MultiPolygon
 * of one such part). Holes and several parts are not editable on the map (null).
 */
export function editablePolygon(g: AreaGeometry | null | undefined): GeoJSON.Polygon | null {
  if (!g) return null;
  if (g.type === 'Polygon') return g.coordinates.length === 1 ? normalisePolygon(g) : null;
  if (g.type === 'MultiPolygon' && g.coordinates.length === 1 && g.coordinates[0]!.length === 1) {
    return normalisePolygon({ type: 'Polygon', coordinates: g.coordinates[0]! });
  }
  return null;
}

const roundTo = (x: number, d: number) => {
  const k = 10 ** d;
  return Math.round(x * k) / k;
};

/** A terra-draw polygon feature for a geometry (rounded to its precision; terra-draw refuses more). */
export function toDrawFeature(id: string | number, g: GeoJSON.Polygon, mode = 'polygon'): GeoJSON.Feature<GeoJSON.Polygon, { mode: string }> {
  const rounded = g.coordinates.map((ring) => tidyRing(ring.map((p) => [roundTo(p[0]!, DRAW_PRECISION), roundTo(p[1]!, DRAW_PRECISION)]), true));
  return { type: 'Feature', id, geometry: { type: 'Polygon', coordinates: rounded }, properties: { mode } };
}

/** The geometry of a terra-draw feature as the API wants it, or null when it isn't a polygon of ≥ 3 points. */
export function fromDrawGeometry(g: GeoJSON.Geometry | null | undefined): GeoJSON.Polygon | null {
  if (!g || g.type !== 'Polygon' || !g.coordinates[0]) return null;
  const p = normalisePolygon(g);
  return p.coordinates[0]!.length >= 4 ? p : null;
}

/** The drawn split line as a LineString of ≥ 2 distinct points, or null. */
export function fromDrawLine(g: GeoJSON.Geometry | null | undefined): GeoJSON.LineString | null {
  if (!g || g.type !== 'LineString') return null;
  const pts: GeoJSON.Position[] = [];
  for (const p of g.coordinates) if (!pts.length || !samePos(pts[pts.length - 1]!, p)) pts.push([p[0]!, p[1]!]);
  return pts.length >= 2 ? { type: 'LineString', coordinates: pts } : null;
}

export function sameGeometry(a: GeoJSON.Geometry | null | undefined, b: GeoJSON.Geometry | null | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.type !== b.type) return false;
  return JSON.stringify((a as GeoJSON.Polygon).coordinates) === JSON.stringify((b as GeoJSON.Polygon).coordinates);
}

/** Distinct vertices of a polygon's rings (the closing repeat not counted). */
export function vertexCount(g: GeoJSON.Polygon): number {
  return g.coordinates.reduce((n, r) => n + Math.max(0, r.length - 1), 0);
}

// ---------------------------------------------------------------------------------------------
// The plot form

export interface PlotForm {
  code: string;
  landUse: LandUse | '';
  landLevel: string;
  /** Surveyed area, m²; empty on a new plot = the geometric area. */
  areaM2: string;
  location: string;
  /** 宗地代码 as typed (upper-cased when sent; empty = none). */
  parcelCode: string;
  /** 控规地块编号, free text. */
  zoningPlotCode: string;
  /** 用地用海 2023 code; empty = the land use's default. */
  landUseCode: string;
  plotRatioMin: string;
  plotRatioMax: string;
  buildingDensityMaxPct: string;
  greenRatioMinPct: string;
  heightLimitM: string;
  investmentIntensityYuanPerM2: string;
  /** Land cost C (五(三)14), 万元; internal. Empty = not recorded (sent as null, never 0). */
  costWan: string;
  /** Why the cost is what it is; required when the cost is 0. */
  costNote: string;
  landGrade: string;
  serviced: boolean;
  /** 标准地 conditions as typed (client/features/conditions/conditionsForm.ts). */
  conditions: ConditionsForm;
  reason: string;
}

export type PlotFormField = Exclude<keyof PlotForm, 'serviced' | 'conditions'> | `conditions.${ConditionField}`;
export type FieldProblem = 'required' | 'number' | 'integer' | 'range' | 'decimals' | 'format' | 'minAboveMax' | 'parcelCode' | 'landUseCode';

export function emptyPlotForm(): PlotForm {
  return {
    code: '', landUse: '', landLevel: '', areaM2: '', location: '', parcelCode: '', zoningPlotCode: '', landUseCode: '', plotRatioMin: '', plotRatioMax: '', buildingDensityMaxPct: '',
    greenRatioMinPct: '', heightLimitM: '', investmentIntensityYuanPerM2: '', costWan: '', costNote: '', landGrade: '', serviced: false,
    conditions: emptyConditionsForm(), reason: '',
  };
}

const str = (v: unknown) => (v === null || v === undefined ? '' : String(v));

/** The form for an existing plot, from its current version's attributes and surveyed area. */
export function plotFormFrom(attrs: Record<string, unknown>, areaM2: number): PlotForm {
  const cost = typeof attrs.costYuan === 'number' ? attrs.costYuan : null;
  return {
    code: str(attrs.code),
    landUse: (LAND_USES as readonly string[]).includes(String(attrs.landUse)) ? (attrs.landUse as LandUse) : '',
    landLevel: str(attrs.landLevel),
    areaM2: str(areaM2),
    location: str(attrs.location),
    parcelCode: str(attrs.parcelCode),
    zoningPlotCode: str(attrs.zoningPlotCode),
    landUseCode: str(attrs.landUseCode),
    plotRatioMin: str(attrs.plotRatioMin),
    plotRatioMax: str(attrs.plotRatioMax),
    buildingDensityMaxPct: str(attrs.buildingDensityMaxPct),
    greenRatioMinPct: str(attrs.greenRatioMinPct),
    heightLimitM: str(attrs.heightLimitM),
    investmentIntensityYuanPerM2: str(attrs.investmentIntensityYuanPerM2),
    costWan: cost === null ? '' : String(roundTo(cost / 10_000, 6)),
    costNote: str(attrs.costNote),
    landGrade: str(attrs.landGrade),
    serviced: attrs.serviced === true,
    conditions: conditionsFormFrom(attrs.conditions),
    reason: '',
  };
}

const DECIMAL = /^-?\d+(\.\d+)?$/;
const decimals = (s: string) => (s.includes('.') ? s.split('.')[1]!.length : 0);

interface NumberRule {
  min?: number;
  /** Exclusive minimum (> 0). */
  above?: number;
  max?: number;
  integer?: boolean;
  places?: number;
}

/** The form's own text fields (not the conditions group). */
export type PlainField = Exclude<PlotFormField, `conditions.${string}`>;

const RULES: Partial<Record<PlainField, NumberRule>> = {
  landLevel: { min: 1, max: 10, integer: true },
  areaM2: { above: 0, max: 1e10, places: 2 },
  plotRatioMin: { above: 0, max: 999.99, places: 2 },
  plotRatioMax: { above: 0, max: 999.99, places: 2 },
  buildingDensityMaxPct: { min: 0, max: 100, places: 2 },
  greenRatioMinPct: { min: 0, max: 100, places: 2 },
  heightLimitM: { above: 0, max: 99999.99, places: 2 },
  investmentIntensityYuanPerM2: { min: 0, max: 1e12, places: 2 },
  costWan: { min: 0, max: 1e10, places: 6 },
  landGrade: { min: 1, max: 15, integer: true },
};

function numberProblem(raw: string, rule: NumberRule): FieldProblem | null {
  const s = raw.trim();
  if (!DECIMAL.test(s)) return 'number';
  const x = Number(s);
  if (rule.integer && !Number.isInteger(x)) return 'integer';
  if ((rule.min !== undefined && x < rule.min) || (rule.above !== undefined && x <= rule.above) || (rule.max !== undefined && x > rule.max)) return 'range';
  if (rule.places !== undefined && decimals(s) > rule.places) return 'decimals';
  return null;
}

/**
 * What is wrong with the form, field by field (empty when it can be sent). `areaOptional`: a
 * new plot may leave the surveyed area empty (the geometric area is used).
 */
export function plotFormProblems(f: PlotForm, opts: { areaOptional: boolean }): Partial<Record<PlotFormField, FieldProblem>> {
  const p: Partial<Record<PlotFormField, FieldProblem>> = {};
  const code = f.code;
  if (!code.trim()) p.code = 'required';
  else if (code !== code.trim() || code.length > 64) p.code = 'format';
  if (!f.landUse) p.landUse = 'required';
  if (!f.landLevel.trim()) p.landLevel = 'required';
  if (!f.areaM2.trim() && !opts.areaOptional) p.areaM2 = 'required';
  for (const [field, rule] of Object.entries(RULES) as [PlainField, NumberRule][]) {
    const raw = f[field] as string;
    if (!raw.trim() || p[field]) continue;
    const problem = numberProblem(raw, rule);
    if (problem) p[field] = problem;
  }
  if (!p.plotRatioMin && !p.plotRatioMax && f.plotRatioMin.trim() && f.plotRatioMax.trim() && Number(f.plotRatioMin) > Number(f.plotRatioMax)) {
    p.plotRatioMax = 'minAboveMax';
  }
  // 五(三)14: a cost of 0 is entered on purpose, so it says why (the server and database insist too).
  if (!p.costWan && f.costWan.trim() && Number(f.costWan.trim()) === 0 && !f.costNote.trim()) p.costNote = 'required';
  if (f.costNote.length > 500) p.costNote = 'format';
  if (f.location.length > 200) p.location = 'format';
  // 宗地代码 (GB/T 37346): the server also checks that its district is the plot's.
  if (f.parcelCode.trim() && !validateParcelCode(f.parcelCode).ok) p.parcelCode = 'parcelCode';
  if (f.zoningPlotCode.trim().length > 64) p.zoningPlotCode = 'format';
  if (f.landUseCode && f.landUse && !landUseMapping(f.landUse, f.landUseCode)) p.landUseCode = 'landUseCode';
  if (f.reason.length > 500) p.reason = 'format';
  for (const [k, problem] of Object.entries(conditionsFormProblems(f.conditions))) p[`conditions.${k as ConditionField}`] = problem;
  return p;
}

const numOrNull = (s: string): number | null => (s.trim() === '' ? null : Number(s.trim()));
const round2 = (x: number) => Math.round(x * 100) / 100;
const yuanFromWan = (s: string): number | null => (s.trim() === '' ? null : round2(Number(s.trim()) * 10_000));

/** Optional attributes as the API takes them (null clears a value). */
function attributesOf(f: PlotForm) {
  return {
    location: f.location.trim(),
    parcelCode: f.parcelCode.trim() ? normalizeParcelCode(f.parcelCode) : null,
    zoningPlotCode: f.zoningPlotCode.trim() || null,
    plotRatioMin: numOrNull(f.plotRatioMin),
    plotRatioMax: numOrNull(f.plotRatioMax),
    buildingDensityMaxPct: numOrNull(f.buildingDensityMaxPct),
    greenRatioMinPct: numOrNull(f.greenRatioMinPct),
    heightLimitM: numOrNull(f.heightLimitM),
    investmentIntensityYuanPerM2: numOrNull(f.investmentIntensityYuanPerM2),
    costYuan: yuanFromWan(f.costWan),
    costNote: f.costNote.trim() || null,
    landGrade: numOrNull(f.landGrade),
    serviced: f.serviced,
  };
}

/** `POST /api/plots`: the form, the park and the drawn geometry. An empty area takes the geometric area (2 decimals). */
export function createPlotBody(f: PlotForm, parkId: number, geometry: GeoJSON.Polygon, geometricAreaM2: number): CreatePlotBody {
  const attrs = attributesOf(f);
  const body: CreatePlotBody = {
    code: f.code.trim(),
    parkId,
    landUse: f.landUse as LandUse,
    areaM2: f.areaM2.trim() ? Number(f.areaM2.trim()) : round2(geometricAreaM2),
    landLevel: Number(f.landLevel),
    geometry,
  };
  // Only what was filled in: a new plot has nothing to clear.
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === '' || (k === 'serviced' && v === false)) continue;
    (body as unknown as Record<string, unknown>)[k] = v;
  }
  if (f.landUseCode) body.landUseCode = f.landUseCode;
  const conditions = createConditions(f.conditions);
  if (conditions) body.conditions = conditions;
  if (f.reason.trim()) body.reason = f.reason.trim();
  return body;
}

/**
 * `PATCH /api/plots/:id`: the fields that differ from `original`, the geometry when given (it
 * changed), and the row version read. Null when nothing changed.
 */
export function patchPlotBody(original: PlotForm, f: PlotForm, rowVersion: string, geometry?: GeoJSON.Polygon): PatchPlotBody | null {
  const body: PatchPlotBody = { expectedRowVersion: rowVersion };
  let changed = false;
  const set = (k: string, v: unknown) => {
    (body as unknown as Record<string, unknown>)[k] = v;
    changed = true;
  };
  if (f.code.trim() !== original.code.trim()) set('code', f.code.trim());
  if (f.landUse !== original.landUse && f.landUse) set('landUse', f.landUse);
  if (f.landLevel.trim() !== original.landLevel.trim()) set('landLevel', Number(f.landLevel));
  if (f.areaM2.trim() !== original.areaM2.trim() && f.areaM2.trim()) set('areaM2', Number(f.areaM2.trim()));
  const before = attributesOf(original), after = attributesOf(f);
  for (const k of Object.keys(after) as (keyof typeof after)[]) {
    if (after[k] !== before[k]) set(k, after[k]);
  }
  // Empty: the server keeps the code, or moves it to the new land use's default.
  if (f.landUseCode && f.landUseCode !== original.landUseCode) set('landUseCode', f.landUseCode);
  const conditions = patchConditions(original.conditions, f.conditions);
  if (conditions) set('conditions', conditions);
  if (geometry) set('geometry', geometry);
  if (!changed) return null;
  if (f.reason.trim()) body.reason = f.reason.trim();
  return body;
}

/** The next free code in the park's series: "P06-0046" after "P06-0045" (4 digits, or as the series has). */
export function suggestPlotCode(parkCode: string, codes: readonly string[]): string {
  const prefix = `${parkCode}-`;
  let max = 0, width = 4;
  for (const c of codes) {
    if (!c.startsWith(prefix)) continue;
    const m = /^(\d+)$/.exec(c.slice(prefix.length));
    if (!m) continue;
    max = Math.max(max, Number(m[1]));
    width = Math.max(width, m[1]!.length);
  }
  let n = max + 1;
  const taken = new Set(codes);
  let code = `${prefix}${String(n).padStart(width, '0')}`;
  while (taken.has(code)) code = `${prefix}${String(++n).padStart(width, '0')}`;
  return code;
}
