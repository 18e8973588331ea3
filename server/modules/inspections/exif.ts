/**
 * The EXIF an inspection photo keeps: its GPS position — and its Orientation, a number 2–8 that
 * says how to turn the picture (phones shoot portrait photos as rotated landscapes and set it;
 * without it the photo shows on its side). Nothing else. Pure, on bytes.
 *
 * - `readGps(tiff)` reads the GPS IFD of a TIFF structure (the body of a JPEG APP1 "Exif" segment
 *   or of a PNG eXIf chunk), in either byte order, and returns its latitude, longitude (and
 *   altitude) as the raw rationals the camera wrote, or null when there is none or it cannot be
 *   read. A damaged EXIF block is not a damaged image: it is dropped either way.
 * - `readOrientation(tiff)` reads IFD0's Orientation (2–8; null for 1 = upright, absent or bad).
 * - `writeKeptTiff({ gps, orientation })` writes a new, minimal TIFF holding IFD0 with at most the
 *   Orientation and the GPSInfo pointer, and the GPS IFD with only GPSVersionID, the latitude and
 *   longitude with their refs, and the altitude when there was one — no make, model, time, maker
 *   notes, thumbnail, nothing else.
 *
 * TIFF 6.0 §2 (header, IFDs, 12-byte entries), EXIF 2.32 §4.6.6 (GPS attributes).
 */

/** An unsigned rational as stored: numerator / denominator. */
export type Rational = readonly [number, number];

export interface ExifGps {
  latRef: 'N' | 'S';
  /** Degrees, minutes, seconds. */
  lat: readonly [Rational, Rational, Rational];
  lonRef: 'E' | 'W';
  lon: readonly [Rational, Rational, Rational];
  /** 0 above sea level, 1 below; with `alt`, or both absent. */
  altRef?: number;
  alt?: Rational;
}

const TAG_ORIENTATION = 0x0112;
const TAG_GPS_IFD = 0x8825;
const GPS_VERSION = 0x0000;
const GPS_LAT_REF = 0x0001;
const GPS_LAT = 0x0002;
const GPS_LON_REF = 0x0003;
const GPS_LON = 0x0004;
const GPS_ALT_REF = 0x0005;
const GPS_ALT = 0x0006;

const TYPE_BYTE = 1;
const TYPE_ASCII = 2;
const TYPE_SHORT = 3;
const TYPE_LONG = 4;
const TYPE_RATIONAL = 5;

/** Byte sizes of TIFF field types 1–12. */
const TYPE_SIZE: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8 };

interface Entry {
  type: number;
  count: number;
  /** Offset in the TIFF of the value (inline or pointed to). */
  at: number;
}

class Reader {
  constructor(
    private readonly b: Uint8Array,
    private readonly le: boolean,
  ) {}
  get length() {
    return this.b.length;
  }
  u8(at: number) {
    if (at < 0 || at >= this.b.length) throw new RangeError('EXIF offset out of range');
    return this.b[at]!;
  }
  u16(at: number) {
    const a = this.u8(at);
    const c = this.u8(at + 1);
    return this.le ? a | (c << 8) : (a << 8) | c;
  }
  u32(at: number) {
    const lo = this.le ? this.u16(at) : this.u16(at + 2);
    const hi = this.le ? this.u16(at + 2) : this.u16(at);
    return hi * 0x10000 + lo;
  }
  /** The entries of the IFD at `offset`, by tag. */
  ifd(offset: number): Map<number, Entry> {
    const n = this.u16(offset);
    if (n > 1000) throw new RangeError('EXIF IFD too large');
    const out = new Map<number, Entry>();
    for (let i = 0; i < n; i++) {
      const e = offset + 2 + i * 12;
      const tag = this.u16(e);
      const type = this.u16(e + 2);
      const count = this.u32(e + 4);
      const size = (TYPE_SIZE[type] ?? 0) * count;
      if (size === 0) continue;
      const at = size <= 4 ? e + 8 : this.u32(e + 8);
      if (at + size > this.b.length) throw new RangeError('EXIF value out of range');
      out.set(tag, { type, count, at });
    }
    return out;
  }
  rational(at: number): Rational {
    return [this.u32(at), this.u32(at + 4)];
  }
}

function tiffReader(tiff: Uint8Array): { r: Reader; ifd0: number } | null {
  if (tiff.length < 8) return null;
  const order = String.fromCharCode(tiff[0]!, tiff[1]!);
  if (order !== 'II' && order !== 'MM') return null;
  const r = new Reader(tiff, order === 'II');
  if (r.u16(2) !== 42) return null;
  return { r, ifd0: r.u32(4) };
}

function ascii1(r: Reader, e: Entry | undefined): string | null {
  if (!e || e.type !== TYPE_ASCII || e.count < 1) return null;
  return String.fromCharCode(r.u8(e.at));
}

function dms(r: Reader, e: Entry | undefined): [Rational, Rational, Rational] | null {
  if (!e || e.type !== TYPE_RATIONAL || e.count !== 3) return null;
  const v: [Rational, Rational, Rational] = [r.rational(e.at), r.rational(e.at + 8), r.rational(e.at + 16)];
  return v.every(([, d]) => d !== 0) ? v : null;
}

/** The GPS position in a TIFF/EXIF structure, as the camera wrote it; null when absent or unreadable. */
export function readGps(tiff: Uint8Array): ExifGps | null {
  try {
    const t = tiffReader(tiff);
    if (!t) return null;
    const gpsPtr = t.r.ifd(t.ifd0).get(TAG_GPS_IFD);
    if (!gpsPtr || (gpsPtr.type !== TYPE_LONG && gpsPtr.type !== 13) || gpsPtr.count !== 1) return null;
    const gps = t.r.ifd(t.r.u32(gpsPtr.at));
    const latRef = ascii1(t.r, gps.get(GPS_LAT_REF));
    const lonRef = ascii1(t.r, gps.get(GPS_LON_REF));
    const lat = dms(t.r, gps.get(GPS_LAT));
    const lon = dms(t.r, gps.get(GPS_LON));
    if ((latRef !== 'N' && latRef !== 'S') || (lonRef !== 'E' && lonRef !== 'W') || !lat || !lon) return null;
    const out: ExifGps = { latRef, lat, lonRef, lon };
    const altE = gps.get(GPS_ALT);
    if (altE && altE.type === TYPE_RATIONAL && altE.count === 1) {
      const alt = t.r.rational(altE.at);
      const refE = gps.get(GPS_ALT_REF);
      if (alt[1] !== 0) {
        out.alt = alt;
        out.altRef = refE && refE.type === TYPE_BYTE ? (t.r.u8(refE.at) === 1 ? 1 : 0) : 0;
      }
    }
    const { lon: lonDeg, lat: latDeg } = gpsDegrees(out);
    if (!(Math.abs(latDeg) <= 90 && Math.abs(lonDeg) <= 180)) return null;
    return out;
  } catch {
    return null;
  }
}

/** IFD0's Orientation when it turns or mirrors the picture (2–8); null for upright, absent or unreadable. */
export function readOrientation(tiff: Uint8Array): number | null {
  try {
    const t = tiffReader(tiff);
    if (!t) return null;
    const e = t.r.ifd(t.ifd0).get(TAG_ORIENTATION);
    if (!e || e.type !== TYPE_SHORT || e.count !== 1) return null;
    const o = t.r.u16(e.at);
    return o >= 2 && o <= 8 ? o : null;
  } catch {
    return null;
  }
}

const value = ([n, d]: Rational) => n / d;

/** Decimal degrees (WGS84 as GPS gives them), south and west negative. Not rounded. */
export function gpsDegrees(g: ExifGps): { lon: number; lat: number } {
  const deg = (v: readonly [Rational, Rational, Rational]) => value(v[0]) + value(v[1]) / 60 + value(v[2]) / 3600;
  return { lat: (g.latRef === 'S' ? -1 : 1) * deg(g.lat), lon: (g.lonRef === 'W' ? -1 : 1) * deg(g.lon) };
}

export interface KeptExif {
  gps: ExifGps | null;
  orientation: number | null;
}

/**
 * A minimal TIFF (little-endian) holding only what is kept: IFD0 with the Orientation and/or the
 * GPS IFD pointer, then the GPS IFD (version, refs, lat, lon, optionally altitude) and its
 * rationals. Null when there is nothing to keep.
 */
export function writeKeptTiff({ gps: g, orientation }: KeptExif): Uint8Array | null {
  if (!g && orientation === null) return null;
  const ifd0Count = (g ? 1 : 0) + (orientation !== null ? 1 : 0);
  const hasAlt = g?.alt !== undefined;
  const n = hasAlt ? 7 : 5;
  const ifd0 = 8;
  const gpsIfd = ifd0 + 2 + 12 * ifd0Count + 4;
  const dataAt = gpsIfd + 2 + n * 12 + 4;
  const latAt = dataAt;
  const lonAt = latAt + 24;
  const altAt = lonAt + 24;
  const size = g ? altAt + (hasAlt ? 8 : 0) : gpsIfd;
  const buf = new Uint8Array(size);
  const v = new DataView(buf.buffer);
  const u16 = (at: number, x: number) => v.setUint16(at, x, true);
  const u32 = (at: number, x: number) => v.setUint32(at, x, true);
  buf.set([0x49, 0x49, 0x2a, 0x00], 0);
  u32(4, ifd0);
  let e = ifd0;
  const entry = (tag: number, type: number, count: number, fill: (at: number) => void) => {
    u16(e, tag);
    u16(e + 2, type);
    u32(e + 4, count);
    fill(e + 8);
    e += 12;
  };
  // IFD0, entries in tag order.
  u16(ifd0, ifd0Count);
  e = ifd0 + 2;
  if (orientation !== null) entry(TAG_ORIENTATION, TYPE_SHORT, 1, (at) => u16(at, orientation));
  if (g) entry(TAG_GPS_IFD, TYPE_LONG, 1, (at) => u32(at, gpsIfd));
  u32(e, 0); // no IFD1 (no thumbnail)
  if (!g) return buf;
  u16(gpsIfd, n);
  e = gpsIfd + 2;
  const rationals = (at: number, rs: readonly Rational[]) => rs.forEach(([num, den], i) => (u32(at + i * 8, num), u32(at + i * 8 + 4, den)));
  entry(GPS_VERSION, TYPE_BYTE, 4, (at) => buf.set([2, 3, 0, 0], at));
  entry(GPS_LAT_REF, TYPE_ASCII, 2, (at) => (buf[at] = g.latRef.charCodeAt(0)));
  entry(GPS_LAT, TYPE_RATIONAL, 3, (at) => u32(at, latAt));
  entry(GPS_LON_REF, TYPE_ASCII, 2, (at) => (buf[at] = g.lonRef.charCodeAt(0)));
  entry(GPS_LON, TYPE_RATIONAL, 3, (at) => u32(at, lonAt));
  if (hasAlt) {
    entry(GPS_ALT_REF, TYPE_BYTE, 1, (at) => (buf[at] = g.altRef === 1 ? 1 : 0));
    entry(GPS_ALT, TYPE_RATIONAL, 1, (at) => u32(at, altAt));
  }
  u32(e, 0); // no next IFD
  rationals(latAt, g.lat);
  rationals(lonAt, g.lon);
  if (hasAlt) rationals(altAt, [g.alt!]);
  return buf;
}
