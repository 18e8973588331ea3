/**
 * Tiny builders of camera-like photos for the inspection photo tests: a TIFF/EXIF block in
 * either byte order with a camera's make, model, times, a comment, a maker note and (optionally)
 * a GPS position; a JPEG with JFIF, EXIF, XMP, ICC, Photoshop and comment segments around real
 * frame/scan segments; a decodable 2×1 PNG with text, time, XMP and eXIf chunks. Each knows
 * which bytes are "the image" so a test can say they came through unchanged.
 */
import { deflateSync } from 'node:zlib';
import { pngChunk } from '../../server/modules/inspections/photo.ts';

type Value =
  | { t: 'byte'; v: number[] }
  | { t: 'ascii'; s: string }
  | { t: 'short'; v: number[] }
  | { t: 'long'; v: number[] }
  | { t: 'rational'; v: [number, number][] }
  | { t: 'undefined'; v: number[] };

interface Ifd {
  entries: [number, Value][];
  /** Sub-IFDs written after this one, pointed to by a LONG entry with the tag. */
  subs?: [number, Ifd][];
}

const TYPE = { byte: 1, ascii: 2, short: 3, long: 4, rational: 5, undefined: 7 } as const;

function valueBytes(v: Value, le: boolean): { count: number; bytes: Buffer } {
  const w = (n: number, size: 2 | 4) => {
    const b = Buffer.alloc(size);
    if (size === 2) {
      if (le) b.writeUInt16LE(n);
      else b.writeUInt16BE(n);
    } else if (le) b.writeUInt32LE(n);
    else b.writeUInt32BE(n);
    return b;
  };
  switch (v.t) {
    case 'byte':
    case 'undefined':
      return { count: v.v.length, bytes: Buffer.from(v.v) };
    case 'ascii': {
      const b = Buffer.from(`${v.s}\0`, 'latin1');
      return { count: b.length, bytes: b };
    }
    case 'short':
      return { count: v.v.length, bytes: Buffer.concat(v.v.map((n) => w(n, 2))) };
    case 'long':
      return { count: v.v.length, bytes: Buffer.concat(v.v.map((n) => w(n, 4))) };
    case 'rational':
      return { count: v.v.length, bytes: Buffer.concat(v.v.flatMap(([n, d]) => [w(n, 4), w(d, 4)])) };
  }
}

/** A TIFF structure holding `root` (IFD0) and its sub-IFDs, in little- or big-endian order. */
export function buildTiff(root: Ifd, le: boolean): Buffer {
  // Flatten the IFDs in write order, assigning offsets.
  const ifds: Ifd[] = [];
  const walk = (i: Ifd) => {
    ifds.push(i);
    for (const [, s] of i.subs ?? []) walk(s);
  };
  walk(root);
  const ifdSize = (i: Ifd) => 2 + 12 * (i.entries.length + (i.subs?.length ?? 0)) + 4;
  const offsets = new Map<Ifd, number>();
  let at = 8;
  for (const i of ifds) {
    offsets.set(i, at);
    at += ifdSize(i);
  }
  const data: Buffer[] = [];
  let dataAt = at;
  const parts: Buffer[] = [];
  const head = Buffer.alloc(8);
  head.write(le ? 'II' : 'MM', 0, 'latin1');
  if (le) {
    head.writeUInt16LE(42, 2);
    head.writeUInt32LE(8, 4);
  } else {
    head.writeUInt16BE(42, 2);
    head.writeUInt32BE(8, 4);
  }
  parts.push(head);
  for (const i of ifds) {
    const entries: [number, number, number, Buffer][] = [];
    for (const [tag, v] of i.entries) {
      const { count, bytes } = valueBytes(v, le);
      entries.push([tag, TYPE[v.t], count, bytes]);
    }
    for (const [tag, s] of i.subs ?? []) entries.push([tag, TYPE.long, 1, valueBytes({ t: 'long', v: [offsets.get(s)!] }, le).bytes]);
    entries.sort((a, b) => a[0] - b[0]);
    const b = Buffer.alloc(ifdSize(i));
    const u16 = (o: number, n: number) => (le ? b.writeUInt16LE(n, o) : b.writeUInt16BE(n, o));
    const u32 = (o: number, n: number) => (le ? b.writeUInt32LE(n, o) : b.writeUInt32BE(n, o));
    u16(0, entries.length);
    entries.forEach(([tag, type, count, bytes], k) => {
      const e = 2 + 12 * k;
      u16(e, tag);
      u16(e + 2, type);
      u32(e + 4, count);
      if (bytes.length <= 4) bytes.copy(b, e + 8);
      else {
        u32(e + 8, dataAt);
        const padded = bytes.length % 2 ? Buffer.concat([bytes, Buffer.alloc(1)]) : bytes;
        data.push(padded);
        dataAt += padded.length;
      }
    });
    u32(2 + 12 * entries.length, 0);
    parts.push(b);
  }
  return Buffer.concat([...parts, ...data]);
}

export interface GpsFixture {
  latRef: 'N' | 'S';
  lat: [number, number][];
  lonRef: 'E' | 'W';
  lon: [number, number][];
  alt?: [number, number];
}

/** 黄埔区 科学城: 23°10'12.34" N, 113°26'45.6" E, 35.2 m. */
export const HUANGPU_GPS: GpsFixture = {
  latRef: 'N',
  lat: [[23, 1], [10, 1], [1234, 100]],
  lonRef: 'E',
  lon: [[113, 1], [26, 1], [456, 10]],
  alt: [352, 10],
};
export const HUANGPU_DEGREES = { lat: 23 + 10 / 60 + 12.34 / 3600, lon: 113 + 26 / 60 + 45.6 / 3600 };

/** Strings a camera writes that must not survive stripping. */
export const CAMERA_SECRETS = ['Canon', 'EOS R5 Secret', '2026:03:01 10:00:00', '2026:03:01 09:59:58', 'Inspector Zhang', 'ASCII\0\0\0secret user comment', 'MAKERNOTE', '2026:03:01'];

/** A camera's EXIF: IFD0 (make, model, time, artist, orientation 6 = turn 90° clockwise unless told), Exif IFD (original time, comment, maker note), GPS IFD (position + time). */
export function cameraExif(opts: { le?: boolean; gps?: GpsFixture | null; orientation?: number | null } = {}): Buffer {
  const gps = opts.gps === undefined ? HUANGPU_GPS : opts.gps;
  const orientation = opts.orientation === undefined ? 6 : opts.orientation;
  const exifIfd: Ifd = {
    entries: [
      [0x9003, { t: 'ascii', s: '2026:03:01 09:59:58' }],
      [0x9286, { t: 'undefined', v: [...Buffer.from('ASCII\0\0\0secret user comment', 'latin1')] }],
      [0x927c, { t: 'undefined', v: [...Buffer.from('MAKERNOTE serial 12345', 'latin1')] }],
    ],
  };
  const subs: [number, Ifd][] = [[0x8769, exifIfd]];
  if (gps) {
    const gpsEntries: [number, Value][] = [
      [0x0000, { t: 'byte', v: [2, 2, 0, 0] }],
      [0x0001, { t: 'ascii', s: gps.latRef }],
      [0x0002, { t: 'rational', v: gps.lat }],
      [0x0003, { t: 'ascii', s: gps.lonRef }],
      [0x0004, { t: 'rational', v: gps.lon }],
      [0x0007, { t: 'rational', v: [[1, 1], [59, 1], [58, 1]] }],
      [0x001d, { t: 'ascii', s: '2026:03:01' }],
    ];
    if (gps.alt) gpsEntries.push([0x0005, { t: 'byte', v: [0] }], [0x0006, { t: 'rational', v: [gps.alt] }]);
    subs.push([0x8825, { entries: gpsEntries }]);
  }
  return buildTiff(
    {
      entries: [
        [0x010f, { t: 'ascii', s: 'Canon' }],
        [0x0110, { t: 'ascii', s: 'EOS R5 Secret' }],
        [0x0132, { t: 'ascii', s: '2026:03:01 10:00:00' }],
        [0x013b, { t: 'ascii', s: 'Inspector Zhang' }],
        ...(orientation !== null ? [[0x0112, { t: 'short', v: [orientation] }] as [number, Value]] : []),
      ],
      subs,
    },
    opts.le ?? false,
  );
}

const seg = (marker: number, payload: Buffer) => {
  const h = Buffer.alloc(4);
  h.writeUInt16BE(0xff00 | marker, 0);
  h.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([h, payload]);
};

/** A JPEG with every kind of metadata; `image` is its frame, tables and scans (what must come through unchanged). */
export function cameraJpeg(opts: { exif?: Buffer | null; trailer?: boolean } = {}): { file: Buffer; image: Buffer } {
  const exif = opts.exif === undefined ? cameraExif() : opts.exif;
  const meta = [
    seg(0xe0, Buffer.from('JFIF\0\x01\x02\x00\x00\x48\x00\x48\x00\x00', 'latin1')),
    ...(exif ? [seg(0xe1, Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), exif]))] : []),
    seg(0xe1, Buffer.from('http://ns.adobe.com/xap/1.0/\0<x:xmpmeta><tiff:Make>Canon</tiff:Make><exif:GPSLatitude>23,10.2N</exif:GPSLatitude></x:xmpmeta>', 'latin1')),
    seg(0xe2, Buffer.from('ICC_PROFILE\0\x01\x01fake profile by Canon', 'latin1')),
    seg(0xed, Buffer.from('Photoshop 3.0\x008BIM\x04\x04 Inspector Zhang', 'latin1')),
  ];
  const dqt = seg(0xdb, Buffer.concat([Buffer.from([0]), Buffer.alloc(64, 1)]));
  const sof = seg(0xc0, Buffer.from([8, 0, 1, 0, 2, 1, 1, 0x11, 0]));
  const dht = seg(0xc4, Buffer.concat([Buffer.from([0]), Buffer.from([0, 1, ...Array(14).fill(0)]), Buffer.from([0])]));
  const dri = seg(0xdd, Buffer.from([0, 1]));
  const sos = seg(0xda, Buffer.from([1, 1, 0, 0, 63, 0]));
  // Entropy-coded data with a stuffed 0xFF00 and a restart marker inside, as real scans have.
  const scan = Buffer.from([0x12, 0x34, 0xff, 0x00, 0x56, 0xff, 0xd0, 0x78, 0x9a]);
  const com = seg(0xfe, Buffer.from('secret comment: shot by Inspector Zhang', 'latin1'));
  const image = Buffer.concat([dqt, sof, dht, dri, sos, scan]);
  const file = Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    ...meta,
    dqt,
    com,
    sof,
    dht,
    dri,
    sos,
    scan,
    Buffer.from([0xff, 0xd9]),
    ...(opts.trailer === false ? [] : [Buffer.from('TRAILER Samsung SEFH 2026:03:01', 'latin1')]),
  ]);
  return { file, image };
}

/** The image segments of a JPEG, in order: everything but SOI, APPn, COM and EOI. */
export function jpegImageBytes(file: Buffer): Buffer {
  const out: Buffer[] = [];
  let p = 2;
  while (p < file.length) {
    const m = file[p + 1]!;
    if (m === 0xd9) break;
    const len = file.readUInt16BE(p + 2);
    let end = p + 2 + len;
    if (m === 0xda) {
      while (!(file[end] === 0xff && file[end + 1] !== 0x00 && !(file[end + 1]! >= 0xd0 && file[end + 1]! <= 0xd7))) end++;
    }
    if (!((m >= 0xe0 && m <= 0xef) || m === 0xfe)) out.push(file.subarray(p, end));
    p = end;
  }
  return Buffer.concat(out);
}

/** The chunks of a PNG as [type, data]. */
export function pngChunks(file: Buffer): [string, Buffer][] {
  const out: [string, Buffer][] = [];
  let p = 8;
  while (p + 12 <= file.length) {
    const len = file.readUInt32BE(p);
    const type = file.subarray(p + 4, p + 8).toString('latin1');
    out.push([type, file.subarray(p + 8, p + 8 + len)]);
    p += 12 + len;
    if (type === 'IEND') break;
  }
  return out;
}

/** A decodable 2×1 RGB PNG with text, time, physical size, XMP, an ICC profile and (optionally) EXIF. */
export function cameraPng(opts: { exif?: Buffer | null; exifPrefix?: boolean } = {}): { file: Buffer; idat: Buffer } {
  const exif = opts.exif === undefined ? cameraExif({ le: true }) : opts.exif;
  const ihdr = Buffer.from([0, 0, 0, 2, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
  const idat = deflateSync(Buffer.from([0, 255, 0, 0, 0, 128, 255]));
  const file = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('gAMA', Buffer.from([0, 0, 0xb1, 0x8f])),
    pngChunk('sRGB', Buffer.from([0])),
    pngChunk('iCCP', Buffer.concat([Buffer.from('Canon profile\0\0', 'latin1'), deflateSync(Buffer.from('icc'))])),
    pngChunk('tEXt', Buffer.from('Author\0Inspector Zhang', 'latin1')),
    pngChunk('tIME', Buffer.from([0x07, 0xea, 3, 1, 10, 0, 0])),
    pngChunk('pHYs', Buffer.from([0, 0, 0x0b, 0x13, 0, 0, 0x0b, 0x13, 1])),
    pngChunk('iTXt', Buffer.from('XML:com.adobe.xmp\0\0\0\0\0<x:xmpmeta>Canon EOS R5 Secret</x:xmpmeta>', 'latin1')),
    ...(exif ? [pngChunk('eXIf', opts.exifPrefix ? Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), exif]) : exif)] : []),
    pngChunk('IDAT', idat),
    pngChunk('zTXt', Buffer.concat([Buffer.from('Comment\0\0', 'latin1'), deflateSync(Buffer.from('secret comment'))])),
    pngChunk('IEND', Buffer.alloc(0)),
    Buffer.from('TRAILER 2026:03:01', 'latin1'),
  ]);
  return { file, idat };
}
