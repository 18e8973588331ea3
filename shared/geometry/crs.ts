/**
 * Coordinate reference systems the bureau's survey data comes in (POLICY.md "Coordinates").
 * Pure: proj4 is a maths library, no I/O.
 *
 * - Storage and the API are WGS84 lon/lat (EPSG:4326). CGCS2000 geographic (EPSG:4490) is
 *   within a metre of WGS84 and is treated as the same (no datum shift).
 * - Surveys use CGCS2000 3-degree Gauss–Krüger with central meridian 114°E:
 *   EPSG:4547 (false easting 500 000 m, no zone prefix) or EPSG:4526 (zone 38: false easting
 *   38 500 000 m, the zone number written in front of the easting).
 *
 * Axis order. Functions here take and return GIS order: `[easting, northing]` for projected
 * systems and `[lon, lat]` for geographic ones — the order of shapefiles, GeoJSON and WKT.
 * Chinese survey tables (界址点成果表) are the other way round: **X = northing (北), Y =
 * easting (东)**, X listed first. A table row `X=2555783.93, Y=428285.96` is the point
 * `[428285.96, 2555783.93]` here; `fromSurveyXY` / `toSurveyXY` do the swap so nobody has to
 * remember it.
 */
import proj4 from 'proj4';

export const CRS_CODES = ['EPSG:4326', 'EPSG:4490', 'EPSG:4547', 'EPSG:4526'] as const;
export type CrsCode = (typeof CRS_CODES)[number];

/** Position in the CRS's GIS order: [easting, northing] metres, or [lon, lat] degrees. */
export type XY = [x: number, y: number];
/** WGS84 longitude, latitude in degrees (GeoJSON order, RFC 7946). */
export type LonLat = [lon: number, lat: number];

export interface CrsInfo {
  code: CrsCode;
  nameZh: string;
  nameEn: string;
  projected: boolean;
  proj4: string;
  /** ESRI-flavoured WKT1 as GDAL writes it into a shapefile's .prj. */
  prjWkt: string;
  /** Plausible coordinate ranges for Guangzhou data, for "wrong CRS?" diagnostics: [xmin, ymin, xmax, ymax]. */
  guangzhouRange: [number, number, number, number];
}

const GEOGCS_CGCS2000 =
  'GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';

const gk = (name: string, falseEasting: number) =>
  `PROJCS["${name}",${GEOGCS_CGCS2000},PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",${falseEasting.toFixed(1)}],` +
  'PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",114.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';

/** The definitions (proj4 strings as `gdalsrsinfo -o proj4` prints them; .prj text as GDAL 3.6 writes it). */
export const CRS: Record<CrsCode, CrsInfo> = {
  'EPSG:4326': {
    code: 'EPSG:4326',
    nameZh: 'WGS84 经纬度',
    nameEn: 'WGS 84 (longitude/latitude)',
    projected: false,
    proj4: '+proj=longlat +datum=WGS84 +no_defs',
    prjWkt: 'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]',
    guangzhouRange: [112.95, 22.55, 114.06, 23.94],
  },
  'EPSG:4490': {
    code: 'EPSG:4490',
    nameZh: 'CGCS2000 经纬度',
    nameEn: 'CGCS2000 (longitude/latitude)',
    projected: false,
    // No datum shift: CGCS2000 and WGS84 differ by centimetres (POLICY.md).
    proj4: '+proj=longlat +ellps=GRS80 +no_defs',
    prjWkt: GEOGCS_CGCS2000,
    guangzhouRange: [112.95, 22.55, 114.06, 23.94],
  },
  'EPSG:4547': {
    code: 'EPSG:4547',
    nameZh: 'CGCS2000 3度带高斯-克吕格 中央经线114°E',
    nameEn: 'CGCS2000 / 3-degree Gauss-Kruger CM 114E',
    projected: true,
    proj4: '+proj=tmerc +lat_0=0 +lon_0=114 +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs',
    prjWkt: gk('CGCS2000_3_Degree_GK_CM_114E', 500000),
    guangzhouRange: [390_000, 2_490_000, 510_000, 2_650_000],
  },
  'EPSG:4526': {
    code: 'EPSG:4526',
    nameZh: 'CGCS2000 3度带高斯-克吕格 38带',
    nameEn: 'CGCS2000 / 3-degree Gauss-Kruger zone 38',
    projected: true,
    proj4: '+proj=tmerc +lat_0=0 +lon_0=114 +k=1 +x_0=38500000 +y_0=0 +ellps=GRS80 +units=m +no_defs',
    prjWkt: gk('CGCS2000_3_Degree_GK_Zone_38', 38500000),
    guangzhouRange: [38_390_000, 2_490_000, 38_510_000, 2_650_000],
  },
};

export function isCrsCode(value: unknown): value is CrsCode {
  return typeof value === 'string' && (CRS_CODES as readonly string[]).includes(value);
}

/**
 * Reads a CRS name a person might type: "EPSG:4547", "epsg:4547", "4547", "CGCS2000",
 * "WGS84". Returns null when it is none of ours.
 */
export function parseCrs(input: string): CrsCode | null {
  const s = input.trim().toUpperCase().replace(/\s+/g, '');
  const m = /^(?:EPSG:{1,2}|URN:OGC:DEF:CRS:EPSG::?(?:[\d.]*:)?)?(\d{4,5})$/.exec(s);
  if (m) {
    const code = `EPSG:${m[1]}`;
    return isCrsCode(code) ? code : null;
  }
  if (s === 'WGS84' || s === 'WGS-84' || s === 'CRS84' || s === 'URN:OGC:DEF:CRS:OGC:1.3:CRS84' || s === 'OGC:CRS84') return 'EPSG:4326';
  return null;
}

const converters = new Map<CrsCode, proj4.Converter>();
function converter(crs: CrsCode): proj4.Converter {
  let c = converters.get(crs);
  if (!c) {
    c = proj4(CRS[crs].proj4, CRS['EPSG:4326'].proj4);
    converters.set(crs, c);
  }
  return c;
}

/** A position in `crs` (GIS order) → WGS84 [lon, lat]. Non-finite results come back as NaN. */
export function toWgs84(crs: CrsCode, [x, y]: XY): LonLat {
  if (crs === 'EPSG:4326' || crs === 'EPSG:4490') return [x, y];
  if (!Number.isFinite(x) || !Number.isFinite(y)) return [NaN, NaN];
  const [lon, lat] = converter(crs).forward([x, y]);
  return [lon ?? NaN, lat ?? NaN];
}

/** WGS84 [lon, lat] → a position in `crs` (GIS order: [easting, northing]). */
export function fromWgs84(crs: CrsCode, [lon, lat]: LonLat): XY {
  if (crs === 'EPSG:4326' || crs === 'EPSG:4490') return [lon, lat];
  if (!Number.isFinite(lon) || !Number.isFinite(lat)) return [NaN, NaN];
  const [x, y] = converter(crs).inverse([lon, lat]);
  return [x ?? NaN, y ?? NaN];
}

/** A 界址点 table's (X = northing, Y = easting) → GIS order [easting, northing]. */
export function fromSurveyXY(surveyX: number, surveyY: number): XY {
  return [surveyY, surveyX];
}

/** GIS order [easting, northing] → a 界址点 table's { X: northing, Y: easting }. */
export function toSurveyXY([easting, northing]: XY): { X: number; Y: number } {
  return { X: northing, Y: easting };
}

/** Maps every position of a Polygon / MultiPolygon (pure; returns a new geometry). */
export function mapPositions<G extends GeoJSON.Polygon | GeoJSON.MultiPolygon>(geometry: G, fn: (p: XY) => XY): G {
  const ring = (r: GeoJSON.Position[]) => r.map((p) => fn([p[0] as number, p[1] as number]) as GeoJSON.Position);
  if (geometry.type === 'Polygon') return { type: 'Polygon', coordinates: geometry.coordinates.map(ring) } as G;
  return { type: 'MultiPolygon', coordinates: geometry.coordinates.map((poly) => poly.map(ring)) } as G;
}

/** A geometry from `crs` to WGS84. */
export function geometryToWgs84<G extends GeoJSON.Polygon | GeoJSON.MultiPolygon>(crs: CrsCode, geometry: G): G {
  return mapPositions(geometry, (p) => toWgs84(crs, p));
}

/** A WGS84 geometry into `crs`. */
export function geometryFromWgs84<G extends GeoJSON.Polygon | GeoJSON.MultiPolygon>(crs: CrsCode, geometry: G): G {
  return mapPositions(geometry, (p) => fromWgs84(crs, p as LonLat));
}

// ---------------------------------------------------------------------------------------------
// .prj detection

export type PrjDetection =
  | { ok: true; crs: CrsCode; name: string }
  | { ok: false; name: string | null; messageZh: string; messageEn: string };

const num = (s: string | undefined) => (s === undefined ? NaN : Number(s));

/** A PARAMETER["name", value] of a WKT text, by case-insensitive name. */
function wktParameter(wkt: string, ...names: string[]): number {
  for (const name of names) {
    const m = new RegExp(`PARAMETER\\s*\\[\\s*"${name}"\\s*,\\s*([-+0-9.eE]+)`, 'i').exec(wkt);
    if (m) return num(m[1]);
  }
  return NaN;
}

const close = (a: number, b: number, tol: number) => Math.abs(a - b) <= tol;

/**
 * Which of our CRSs a shapefile's .prj (WKT1, OGC or ESRI flavour) describes. Matches, in turn:
 * a top-level AUTHORITY["EPSG", …]; the PROJCS names GDAL/ArcGIS write ("CGCS2000 / 3-degree
 * Gauss-Kruger CM 114E", "CGCS2000_3_Degree_GK_Zone_38", …); the parameters of a
 * Transverse Mercator / Gauss–Krüger projection on the CGCS2000 (or GRS80/WGS84) ellipsoid with
 * central meridian 114 and false easting 500 000 or 38 500 000; and for a bare GEOGCS, WGS84 or
 * CGCS2000. Anything else is refused with its name, so the person can convert the file.
 */
export function detectCrsFromPrj(prjText: string): PrjDetection {
  const wkt = prjText.trim();
  const head = /^(PROJCS|GEOGCS|PROJCRS|GEOGCRS|GEODCRS)\s*\[\s*"([^"]*)"/i.exec(wkt);
  const name = head?.[2] ?? null;
  const refuse = (why: string, whyZh: string): PrjDetection => ({
    ok: false,
    name,
    messageEn: `The .prj describes ${name ? `"${name}"` : 'an unknown coordinate system'}${why}; supported: ${CRS_CODES.join(', ')}. Reproject the file (e.g. ogr2ogr -t_srs EPSG:4547) or choose the CRS by hand.`,
    messageZh: `.prj 中的坐标系${name ? `“${name}”` : '无法识别'}${whyZh}；支持 ${CRS_CODES.join('、')}。请先转换坐标系（如 ogr2ogr -t_srs EPSG:4547）或手动选择坐标系。`,
  });
  if (!head) return refuse(' (not WKT)', '（不是 WKT 文本）');
  const kind = head[1]!.toUpperCase();

  // A top-level AUTHORITY is the last one in the text, closing the outermost bracket.
  const auth = /(?:AUTHORITY|ID)\s*\[\s*"EPSG"\s*,\s*"?(\d+)"?\s*\]\s*\]\s*$/i.exec(wkt);
  if (auth) {
    const code = `EPSG:${auth[1]}`;
    if (isCrsCode(code)) return { ok: true, crs: code, name: name ?? code };
  }

  const flat = wkt.toUpperCase().replace(/[\s_\-/]+/g, '');
  const cgcs = /CGCS2000|CHINA2000|CHINAGEODETICCOORDINATESYSTEM2000/.test(flat);
  if (kind === 'PROJCS' || kind === 'PROJCRS') {
    const nameFlat = (name ?? '').toUpperCase().replace(/[\s_\-/]+/g, '');
    if (/CGCS2000.*3DEG(REE)?.*(GK|GAUSS).*CM114E/.test(nameFlat)) return { ok: true, crs: 'EPSG:4547', name: name! };
    if (/CGCS2000.*3DEG(REE)?.*(GK|GAUSS).*ZONE38/.test(nameFlat)) return { ok: true, crs: 'EPSG:4526', name: name! };
    const tm = /TRANSVERSE_?MERCATOR|GAUSS_?KRUGER|GAUSS-KRUGER|GAUSSKRUGER/i.test(wkt);
    const cm = wktParameter(wkt, 'central_meridian', 'Longitude of natural origin');
    const fe = wktParameter(wkt, 'false_easting', 'False easting');
    const fn = wktParameter(wkt, 'false_northing', 'False northing');
    const k = wktParameter(wkt, 'scale_factor', 'Scale factor at natural origin');
    const lat0 = wktParameter(wkt, 'latitude_of_origin', 'Latitude of natural origin');
    const grs80Like = cgcs || /GRS.?1980|GRS80|WGS.?84|WGS.?1984/i.test(wkt);
    const metres = /UNIT\s*\[\s*"(METER|METRE|M)"\s*,\s*1(\.0+)?\s*[\],]/i.test(wkt);
    if (tm && grs80Like && metres && close(cm, 114, 1e-9) && (Number.isNaN(fn) || close(fn, 0, 1e-6)) && (Number.isNaN(k) || close(k, 1, 1e-12)) && (Number.isNaN(lat0) || close(lat0, 0, 1e-9))) {
      if (close(fe, 500000, 1e-6)) return { ok: true, crs: 'EPSG:4547', name: name ?? 'EPSG:4547' };
      if (close(fe, 38500000, 1e-6)) return { ok: true, crs: 'EPSG:4526', name: name ?? 'EPSG:4526' };
    }
    if (tm && Number.isFinite(cm) && !close(cm, 114, 1e-9)) {
      return refuse(` (central meridian ${cm}°E, not 114°E)`, `（中央经线 ${cm}°E，不是 114°E）`);
    }
    return refuse('', '');
  }
  // Geographic.
  if (cgcs) return { ok: true, crs: 'EPSG:4490', name: name! };
  if (/WGS.?84|WGS.?1984/i.test(wkt)) return { ok: true, crs: 'EPSG:4326', name: name! };
  return refuse('', '');
}

// ---------------------------------------------------------------------------------------------
// Guessing a CRS from the numbers (for "wrong CRS?" messages and files without one)

export interface CrsGuess {
  crs: CrsCode | null;
  /** The file's X and Y look exchanged (northing where the easting should be). */
  swapped: boolean;
}

const within = ([x, y]: XY, [x0, y0, x1, y1]: [number, number, number, number], slack: number) => {
  const dx = (x1 - x0) * slack, dy = (y1 - y0) * slack;
  return x >= x0 - dx && x <= x1 + dx && y >= y0 - dy && y <= y1 + dy;
};

/**
 * Which CRS a position (GIS order) most plausibly is in, judged by its magnitude around
 * Guangzhou: degrees near 113°E 23°N → EPSG:4326; an 8-digit easting starting 38 → EPSG:4526;
 * a 6-digit easting with a 7-digit northing near 2 550 000 → EPSG:4547. Also notices X and Y
 * exchanged. `crs: null` when nothing fits.
 */
export function guessCrs(p: XY): CrsGuess {
  const [x, y] = p;
  if (!Number.isFinite(x) || !Number.isFinite(y)) return { crs: null, swapped: false };
  // Generous: a region around Guangzhou, not its exact extent.
  const order: CrsCode[] = ['EPSG:4326', 'EPSG:4526', 'EPSG:4547'];
  for (const crs of order) if (within(p, CRS[crs].guangzhouRange, 3)) return { crs, swapped: false };
  for (const crs of order) if (within([y, x], CRS[crs].guangzhouRange, 3)) return { crs, swapped: true };
  return { crs: null, swapped: false };
}
