/**
 * Coordinate systems (shared/geometry/crs.ts; POLICY.md "Coordinates"): CGCS2000 3-degree Gauss–Krüger
 * CM 114°E with and without the zone prefix, the 界址点 axis convention, and .prj detection.
 * Control values computed with GDAL 3.6.2 / PROJ (`gdaltransform -s_srs EPSG:4326 -t_srs EPSG:4547`).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CRS, detectCrsFromPrj, fromSurveyXY, fromWgs84, guessCrs, parseCrs, toSurveyXY, toWgs84, type LonLat } from '../../shared/geometry/crs.ts';

/** Metres between two lon/lat points near Guangzhou (local frame; ample for mm checks). */
function metresBetween(a: LonLat, b: LonLat): number {
  const kx = 111_320 * Math.cos((a[1] * Math.PI) / 180), ky = 110_574;
  return Math.hypot((a[0] - b[0]) * kx, (a[1] - b[1]) * ky);
}

describe('Gauss–Krüger CM 114°E (EPSG:4547, EPSG:4526)', () => {
  it('matches GDAL/PROJ at a control point in 天河 (113.3°E, 23.1°N) to the millimetre', () => {
    const [e, n] = fromWgs84('EPSG:4547', [113.3, 23.1]);
    expect(e).toBeCloseTo(428285.956156406, 3);
    expect(n).toBeCloseTo(2555783.92878281, 3);
  });

  it('puts the central meridian at false easting 500 000 m', () => {
    const [e, n] = fromWgs84('EPSG:4547', [114, 23.1]);
    expect(e).toBeCloseTo(500000, 6);
    expect(n).toBeCloseTo(2555612.04941538, 3);
    expect(fromWgs84('EPSG:4547', [114, 0])).toEqual([500000, 0]);
  });

  it('EPSG:4526 is EPSG:4547 with the zone number 38 in front of the easting', () => {
    const a = fromWgs84('EPSG:4547', [113.45, 23.17]);
    const b = fromWgs84('EPSG:4526', [113.45, 23.17]);
    expect(b[0] - a[0]).toBeCloseTo(38_000_000, 6);
    expect(b[1]).toBeCloseTo(a[1], 6);
  });

  it('round-trips WGS84 → GK → WGS84 within 1 mm anywhere in Guangzhou', () => {
    fc.assert(
      fc.property(fc.double({ min: 112.95, max: 114.06, noNaN: true }), fc.double({ min: 22.55, max: 23.94, noNaN: true }), (lon, lat) => {
        for (const crs of ['EPSG:4547', 'EPSG:4526'] as const) {
          const back = toWgs84(crs, fromWgs84(crs, [lon, lat]));
          expect(metresBetween([lon, lat], back)).toBeLessThan(0.001);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips GK → WGS84 → GK within 1 mm', () => {
    const p: [number, number] = [428285.956, 2555783.929];
    const back = fromWgs84('EPSG:4547', toWgs84('EPSG:4547', p));
    expect(Math.hypot(back[0] - p[0], back[1] - p[1])).toBeLessThan(0.001);
  });

  it('treats CGCS2000 geographic (EPSG:4490) as WGS84 (within a metre, POLICY.md)', () => {
    expect(toWgs84('EPSG:4490', [113.3, 23.1])).toEqual([113.3, 23.1]);
    expect(fromWgs84('EPSG:4326', [113.3, 23.1])).toEqual([113.3, 23.1]);
  });

  it('gives NaN, not an exception, for non-finite input', () => {
    expect(toWgs84('EPSG:4547', [NaN, 2555783]).every(Number.isNaN)).toBe(true);
    expect(fromWgs84('EPSG:4547', [Infinity, 23]).every(Number.isNaN)).toBe(true);
  });
});

describe('界址点 axis convention: X = northing, Y = easting', () => {
  it('swaps a survey table row into GIS order and back', () => {
    expect(fromSurveyXY(2555783.93, 428285.96)).toEqual([428285.96, 2555783.93]);
    expect(toSurveyXY([428285.96, 2555783.93])).toEqual({ X: 2555783.93, Y: 428285.96 });
  });
});

describe('parseCrs', () => {
  it.each([
    ['EPSG:4547', 'EPSG:4547'], ['epsg:4526', 'EPSG:4526'], ['4490', 'EPSG:4490'], ['WGS84', 'EPSG:4326'],
    ['urn:ogc:def:crs:EPSG::4547', 'EPSG:4547'], ['urn:ogc:def:crs:OGC:1.3:CRS84', 'EPSG:4326'],
  ])('reads %s as %s', (input, expected) => {
    expect(parseCrs(input)).toBe(expected);
  });
  it('refuses systems we do not support', () => {
    expect(parseCrs('EPSG:3857')).toBeNull();
    expect(parseCrs('GCJ-02')).toBeNull();
  });
});

describe('detectCrsFromPrj', () => {
  it.each(['EPSG:4547', 'EPSG:4526', 'EPSG:4490', 'EPSG:4326'] as const)('recognises the .prj GDAL writes for %s', (code) => {
    const d = detectCrsFromPrj(CRS[code].prjWkt);
    expect(d).toMatchObject({ ok: true, crs: code });
  });

  it('recognises OGC WKT1 with a top-level AUTHORITY', () => {
    const wkt = `PROJCS["CGCS2000 / 3-degree Gauss-Kruger CM 114E",GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",114],PARAMETER["scale_factor",1],PARAMETER["false_easting",500000],PARAMETER["false_northing",0],UNIT["metre",1],AXIS["Northing",NORTH],AXIS["Easting",EAST],AUTHORITY["EPSG","4547"]]`;
    expect(detectCrsFromPrj(wkt)).toMatchObject({ ok: true, crs: 'EPSG:4547' });
  });

  it('recognises an unnamed Gauss–Krüger by its parameters (zone-prefixed false easting → 4526)', () => {
    const wkt = `PROJCS["Custom",GEOGCS["GCS_China_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",38500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",114.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`;
    expect(detectCrsFromPrj(wkt)).toMatchObject({ ok: true, crs: 'EPSG:4526' });
  });

  it('refuses another central meridian, naming it', () => {
    const wkt = CRS['EPSG:4547'].prjWkt.replace('CGCS2000_3_Degree_GK_CM_114E', 'CGCS2000_3_Degree_GK_CM_117E').replace('["Central_Meridian",114.0]', '["Central_Meridian",117.0]');
    const d = detectCrsFromPrj(wkt);
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.messageEn).toMatch(/117/);
  });

  it('refuses Web Mercator and garbage with a message that says what to do', () => {
    const merc = `PROJCS["WGS_1984_Web_Mercator_Auxiliary_Sphere",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Mercator_Auxiliary_Sphere"],PARAMETER["False_Easting",0.0],UNIT["Meter",1.0]]`;
    const d = detectCrsFromPrj(merc);
    expect(d.ok).toBe(false);
    if (!d.ok) expect(d.messageEn).toMatch(/ogr2ogr|choose/);
    expect(detectCrsFromPrj('hello').ok).toBe(false);
    expect(detectCrsFromPrj('').ok).toBe(false);
  });
});

describe('guessCrs', () => {
  it('tells degrees, GK metres, zone-prefixed GK and exchanged axes apart', () => {
    expect(guessCrs([113.3, 23.1])).toEqual({ crs: 'EPSG:4326', swapped: false });
    expect(guessCrs([428285.9, 2555783.9])).toEqual({ crs: 'EPSG:4547', swapped: false });
    expect(guessCrs([38428285.9, 2555783.9])).toEqual({ crs: 'EPSG:4526', swapped: false });
    expect(guessCrs([2555783.9, 428285.9])).toEqual({ crs: 'EPSG:4547', swapped: true });
    expect(guessCrs([1e30, 5])).toEqual({ crs: null, swapped: false });
  });
});
