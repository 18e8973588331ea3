/**
 * Inspection photos (issue #15 §3): JPEG or PNG, judged by their bytes (never by name or declared
 * type), with the EXIF GPS position kept and every other piece of metadata stripped. Pure: a
 * Buffer in, a Buffer out; the upload route and the service do the rest.
 *
 * JPEG (ITU T.81 Annex B): every APPn segment (APP0 JFIF, APP1 EXIF and XMP, APP2 ICC and MPF,
 * APP13 Photoshop/IPTC, …) and every COM segment is removed, as is anything after EOI (maker
 * trailers, appended images). The only exception is the 12-byte Adobe APP14 marker, which holds
 * no text and tells a decoder the colour transform (RGB vs YCbCr, CMYK): without it some images
 * decode with the wrong colours. The frame, tables, scans and their entropy-coded data are copied
 * byte for byte. When the original EXIF had a GPS latitude and longitude, a new APP1 Exif segment
 * holding only them (and the altitude, when there was one) goes right after SOI — with the
 * Orientation (2–8) when the camera set one, the only other tag kept: without it a phone's
 * portrait photo shows on its side, and it says nothing about who took it or when.
 *
 * PNG (ISO/IEC 15948): only the chunks needed to render are kept — IHDR, PLTE, IDAT, IEND, and
 * tRNS, gAMA, sRGB. Text (tEXt, zTXt, iTXt), time, physical size, ICC profiles, EXIF and every
 * other ancillary chunk are dropped, as is anything after IEND. When an eXIf chunk had a GPS
 * position (or an Orientation), a new eXIf with only them is written after IHDR. Kept chunks' CRCs are checked, and
 * the new chunk's computed.
 *
 * Anything that is not a complete JPEG or PNG raises `PhotoError` (the API answers 415 for a
 * file of another type, 400 for a damaged one), never an exception of another kind.
 */
import { createHash } from 'node:crypto';
import { gpsDegrees, readGps, readOrientation, writeKeptTiff, type ExifGps, type KeptExif } from './exif.ts';

export type PhotoContentType = 'image/jpeg' | 'image/png';

/** The upload limit: 10 MB (issue #15 §3). */
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;

export class PhotoError extends Error {
  constructor(
    /** NOT_AN_IMAGE: neither JPEG nor PNG; IMAGE_MALFORMED: truncated or damaged. */
    public readonly reason: 'NOT_AN_IMAGE' | 'IMAGE_MALFORMED',
    message: string,
  ) {
    super(message);
    this.name = 'PhotoError';
  }
}

export interface ProcessedPhoto {
  contentType: PhotoContentType;
  data: Buffer;
  /** WGS84 degrees from the photo's EXIF GPS, rounded to 7 decimals (≈ 1 cm); null without. */
  location: { lon: number; lat: number } | null;
  /** The GPS position as written into the stripped photo (raw rationals). */
  gps: ExifGps | null;
  /** The EXIF Orientation kept (2–8), or null. */
  orientation: number | null;
  sha256: string;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const EXIF_HEADER = Buffer.from('Exif\0\0', 'latin1');

/** The type by magic bytes, or null. */
export function sniffPhotoType(data: Uint8Array): PhotoContentType | null {
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'image/jpeg';
  if (data.length >= 8 && Buffer.from(data.buffer, data.byteOffset, 8).equals(PNG_SIGNATURE)) return 'image/png';
  return null;
}

/** Strips the photo's metadata but its GPS position; throws PhotoError for anything else. */
export function processPhoto(input: Uint8Array): ProcessedPhoto {
  const data = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const type = sniffPhotoType(data);
  if (type === null) throw new PhotoError('NOT_AN_IMAGE', 'The file is neither a JPEG nor a PNG image');
  const { out, kept } = type === 'image/jpeg' ? stripJpeg(data) : stripPng(data);
  const gps = kept.gps;
  const deg = gps ? gpsDegrees(gps) : null;
  const round7 = (x: number) => Math.round(x * 1e7) / 1e7;
  return {
    contentType: type,
    data: out,
    location: deg ? { lon: round7(deg.lon), lat: round7(deg.lat) } : null,
    gps,
    orientation: kept.orientation,
    sha256: createHash('sha256').update(out).digest('hex'),
  };
}

// --- JPEG -----------------------------------------------------------------------------------------

const malformedJpeg = (why: string) => new PhotoError('IMAGE_MALFORMED', `The JPEG is damaged or truncated: ${why}`);

/** Markers without a length field: TEM, RST0–7, SOI, EOI. */
const standalone = (m: number) => m === 0x01 || (m >= 0xd0 && m <= 0xd9);
/** SOF0–15 except DHT (C4), JPG (C8) and DAC (CC). */
const isSof = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;
const isApp = (m: number) => m >= 0xe0 && m <= 0xef;
const COM = 0xfe;
const SOS = 0xda;
const EOI = 0xd9;

/** The Adobe APP14 segment's fixed form: "Adobe", version, flags0, flags1, transform. */
function isPlainAdobe(seg: Buffer): boolean {
  return seg.length === 2 + 2 + 12 && seg.subarray(4, 9).toString('latin1') === 'Adobe';
}

/** What the first EXIF block of a photo says that is kept. */
function keptOf(tiff: Uint8Array): KeptExif {
  return { gps: readGps(tiff), orientation: readOrientation(tiff) };
}

function stripJpeg(b: Buffer): { out: Buffer; kept: KeptExif } {
  const kept: Buffer[] = [];
  let exif: KeptExif | null = null;
  let sawFrame = false;
  let sawScan = false;
  let p = 2; // after SOI
  for (;;) {
    if (p + 1 >= b.length) throw malformedJpeg('it ends before its end-of-image marker');
    if (b[p] !== 0xff) throw malformedJpeg(`no marker at byte ${p}`);
    // Fill bytes (0xFF) may precede a marker.
    let q = p + 1;
    while (q < b.length && b[q] === 0xff) q++;
    if (q >= b.length) throw malformedJpeg('it ends before its end-of-image marker');
    const m = b[q]!;
    if (m === 0x00) throw malformedJpeg(`stuffed byte outside a scan at byte ${q}`);
    if (m === EOI) {
      if (!sawFrame || !sawScan) throw malformedJpeg('it has no image frame or scan');
      kept.push(b.subarray(p, q + 1));
      break;
    }
    if (m === 0xd8) throw malformedJpeg('a second start-of-image marker');
    if (standalone(m)) {
      kept.push(b.subarray(p, q + 1));
      p = q + 1;
      continue;
    }
    if (q + 2 >= b.length) throw malformedJpeg('a segment header is cut short');
    const len = b.readUInt16BE(q + 1);
    if (len < 2) throw malformedJpeg(`a segment length of ${len} at byte ${q + 1}`);
    const end = q + 1 + len;
    if (end > b.length) throw malformedJpeg('a segment runs past the end of the file');
    const seg = b.subarray(p, end);
    if (isApp(m) || m === COM) {
      if (m === 0xe1 && exif === null && len >= 8 && b.subarray(q + 3, q + 9).equals(EXIF_HEADER)) exif = keptOf(b.subarray(q + 9, end));
      if (m === 0xee && isPlainAdobe(b.subarray(q - 1, end))) kept.push(seg);
      p = end;
      continue;
    }
    if (isSof(m)) sawFrame = true;
    if (m !== SOS) {
      kept.push(seg);
      p = end;
      continue;
    }
    if (!sawFrame) throw malformedJpeg('a scan before the frame header');
    sawScan = true;
    // Entropy-coded data runs to the next marker that is not a stuffed 0xFF00 or a restart.
    let r = end;
    for (;;) {
      if (r + 1 >= b.length) throw malformedJpeg('the image data is cut short');
      if (b[r] === 0xff) {
        const n = b[r + 1]!;
        if (n === 0x00 || (n >= 0xd0 && n <= 0xd7) || n === 0xff) {
          r += n === 0xff ? 1 : 2;
          continue;
        }
        break;
      }
      r++;
    }
    kept.push(b.subarray(p, r));
    p = r;
  }
  const parts: Buffer[] = [b.subarray(0, 2)];
  const keep = exif ?? { gps: null, orientation: null };
  const tiff = writeKeptTiff(keep);
  if (tiff) {
    const header = Buffer.alloc(4);
    header.writeUInt16BE(0xffe1, 0);
    header.writeUInt16BE(2 + EXIF_HEADER.length + tiff.length, 2);
    parts.push(header, EXIF_HEADER, Buffer.from(tiff));
  }
  return { out: Buffer.concat([...parts, ...kept]), kept: keep };
}

// --- PNG ------------------------------------------------------------------------------------------

const malformedPng = (why: string) => new PhotoError('IMAGE_MALFORMED', `The PNG is damaged or truncated: ${why}`);

/** Chunks a decoder needs to draw the image as intended; every other one is dropped. */
const PNG_KEEP = new Set(['IHDR', 'PLTE', 'IDAT', 'IEND', 'tRNS', 'gAMA', 'sRGB']);

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 of a chunk's type and data (PNG §5.5). */
export function pngCrc(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** One chunk: length, type, data, CRC over type and data. */
export function pngChunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  Buffer.from(data.buffer, data.byteOffset, data.byteLength).copy(out, 8);
  out.writeUInt32BE(pngCrc(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

function stripPng(b: Buffer): { out: Buffer; kept: KeptExif } {
  const kept: Buffer[] = [];
  let exif: KeptExif | null = null;
  let p = 8;
  let index = 0;
  let sawData = false;
  for (;;) {
    if (p + 12 > b.length) throw malformedPng('it ends before its IEND chunk');
    const len = b.readUInt32BE(p);
    const type = b.subarray(p + 4, p + 8).toString('latin1');
    if (!/^[A-Za-z]{4}$/.test(type)) throw malformedPng(`a chunk type that is not four letters at byte ${p + 4}`);
    if (len > 0x7fffffff || p + 12 + len > b.length) throw malformedPng(`chunk ${type} runs past the end of the file`);
    const chunk = b.subarray(p, p + 12 + len);
    const data = b.subarray(p + 8, p + 8 + len);
    const critical = type[0]! >= 'A' && type[0]! <= 'Z';
    if (index === 0 && (type !== 'IHDR' || len !== 13)) throw malformedPng('the first chunk is not a 13-byte IHDR');
    if (PNG_KEEP.has(type) || critical) {
      if (!PNG_KEEP.has(type)) throw malformedPng(`an unknown critical chunk ${type}`);
      if (pngCrc(b.subarray(p + 4, p + 8 + len)) !== b.readUInt32BE(p + 8 + len)) throw malformedPng(`chunk ${type} fails its CRC check`);
      if (type === 'IHDR' && (data.readUInt32BE(0) === 0 || data.readUInt32BE(4) === 0)) throw malformedPng('a width or height of 0');
      if (type === 'IHDR' && index !== 0) throw malformedPng('a second IHDR');
      if (type === 'IDAT') sawData = true;
      kept.push(chunk);
    } else if (type === 'eXIf' && exif === null) {
      // Some writers keep JPEG's "Exif\0\0" prefix in front of the TIFF structure.
      exif = keptOf(data.subarray(0, 6).equals(EXIF_HEADER) ? data.subarray(6) : data);
    }
    p += 12 + len;
    index++;
    if (type === 'IEND') break;
  }
  if (!sawData) throw malformedPng('it has no image data (IDAT)');
  const out: Buffer[] = [b.subarray(0, 8), kept[0]!];
  const keep = exif ?? { gps: null, orientation: null };
  const tiff = writeKeptTiff(keep);
  if (tiff) out.push(pngChunk('eXIf', tiff));
  out.push(...kept.slice(1));
  return { out: Buffer.concat(out), kept: keep };
}
