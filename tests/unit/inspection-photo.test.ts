/**
 * Inspection photos keep where they were taken and nothing else (issue #15 §3): the EXIF GPS
 * position survives, exactly; camera, times, comments, XMP, ICC, maker notes and trailers go;
 * the image data comes through byte for byte; anything that is not a whole JPEG or PNG is refused.
 */
import { describe, expect, it } from 'vitest';
import { inflateSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { PhotoError, processPhoto, sniffPhotoType, pngCrc } from '../../server/modules/inspections/photo.ts';
import { gpsDegrees, readGps, readOrientation } from '../../server/modules/inspections/exif.ts';
import { CAMERA_SECRETS, HUANGPU_DEGREES, HUANGPU_GPS, cameraExif, cameraJpeg, cameraPng, jpegImageBytes, pngChunks } from './photo-fixtures.ts';

const latin1 = (b: Buffer) => b.toString('latin1');

function expectNoSecrets(out: Buffer) {
  const text = latin1(out);
  for (const s of [...CAMERA_SECRETS, 'xap/1.0', 'xmpmeta', 'ICC_PROFILE', 'Photoshop', 'secret comment', 'TRAILER', 'JFIF', 'Inspector']) {
    expect(text, `"${s}" survived`).not.toContain(s);
  }
}

/** The APP1 Exif segments of a JPEG, as TIFF bodies. */
function exifSegments(file: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let p = 2;
  while (p < file.length && file[p + 1] !== 0xda) {
    const len = file.readUInt16BE(p + 2);
    if (file[p + 1] === 0xe1 && latin1(file.subarray(p + 4, p + 10)) === 'Exif\0\0') out.push(file.subarray(p + 10, p + 2 + len));
    p += 2 + len;
  }
  return out;
}

/** The tags of IFD0 and of the GPS IFD of a little-endian TIFF (what the stripped photo holds). */
function tiffTags(t: Buffer): { ifd0: number[]; gps: number[] } {
  expect(latin1(t.subarray(0, 2))).toBe('II');
  const tags = (at: number) => Array.from({ length: t.readUInt16LE(at) }, (_, i) => t.readUInt16LE(at + 2 + 12 * i));
  const ifd0 = t.readUInt32LE(4);
  const gpsEntry = tags(ifd0).indexOf(0x8825);
  const gpsAt = gpsEntry < 0 ? -1 : t.readUInt32LE(ifd0 + 2 + 12 * gpsEntry + 8);
  expect(t.readUInt32LE(ifd0 + 2 + 12 * tags(ifd0).length)).toBe(0); // no IFD1 (thumbnail)
  return { ifd0: tags(ifd0), gps: gpsAt < 0 ? [] : tags(gpsAt) };
}

function refused(input: Uint8Array): PhotoError {
  try {
    processPhoto(input);
  } catch (err) {
    expect(err).toBeInstanceOf(PhotoError);
    return err as PhotoError;
  }
  throw new Error('expected the photo to be refused');
}

describe('EXIF GPS', () => {
  it.each([true, false])('reads the position in either byte order (little-endian %s)', (le) => {
    const gps = readGps(cameraExif({ le }));
    expect(gps).toEqual({ latRef: 'N', lat: HUANGPU_GPS.lat, lonRef: 'E', lon: HUANGPU_GPS.lon, altRef: 0, alt: HUANGPU_GPS.alt });
    const deg = gpsDegrees(gps!);
    expect(deg.lat).toBeCloseTo(HUANGPU_DEGREES.lat, 10);
    expect(deg.lon).toBeCloseTo(HUANGPU_DEGREES.lon, 10);
  });

  it('south and west are negative', () => {
    const gps = readGps(cameraExif({ gps: { ...HUANGPU_GPS, latRef: 'S', lonRef: 'W' } }))!;
    expect(gpsDegrees(gps).lat).toBeLessThan(0);
    expect(gpsDegrees(gps).lon).toBeLessThan(0);
  });

  it('is null without a GPS IFD, with a zero denominator, out of range, or in a damaged block', () => {
    expect(readGps(cameraExif({ gps: null }))).toBeNull();
    expect(readGps(cameraExif({ gps: { ...HUANGPU_GPS, lat: [[23, 0], [1, 1], [1, 1]] } }))).toBeNull();
    expect(readGps(cameraExif({ gps: { ...HUANGPU_GPS, lat: [[95, 1], [0, 1], [0, 1]] } }))).toBeNull();
    const cut = cameraExif().subarray(0, 40);
    expect(readGps(cut)).toBeNull();
    expect(readGps(Buffer.from('not a tiff at all'))).toBeNull();
    const loop = Buffer.from(cameraExif());
    loop.writeUInt32BE(0xfffffff0, 4); // IFD0 far past the end
    expect(readGps(loop)).toBeNull();
  });
});

describe('JPEG', () => {
  it('keeps the GPS position exactly, strips every other piece of metadata, and leaves the image bytes unchanged', () => {
    const { file, image } = cameraJpeg();
    expect(readGps(exifSegments(file)[0]!)).not.toBeNull();
    const r = processPhoto(file);
    expect(r.contentType).toBe('image/jpeg');
    expect(r.location!.lat).toBeCloseTo(HUANGPU_DEGREES.lat, 7);
    expect(r.location!.lon).toBeCloseTo(HUANGPU_DEGREES.lon, 7);
    expectNoSecrets(r.data);
    // Exactly one APP1 Exif segment, holding exactly the original rationals and nothing else.
    const exif = exifSegments(r.data);
    expect(exif).toHaveLength(1);
    expect(readGps(exif[0]!)).toEqual(readGps(cameraExif()));
    expect(readOrientation(exif[0]!)).toBe(6);
    expect(tiffTags(exif[0]!)).toEqual({ ifd0: [0x0112, 0x8825], gps: [0, 1, 2, 3, 4, 5, 6] });
    expect(jpegImageBytes(r.data).equals(image)).toBe(true);
    // Starts with SOI then the new APP1; ends with EOI (the trailer is gone).
    expect([...r.data.subarray(0, 4)]).toEqual([0xff, 0xd8, 0xff, 0xe1]);
    expect([...r.data.subarray(-2)]).toEqual([0xff, 0xd9]);
    expect(r.sha256).toBe(createHash('sha256').update(r.data).digest('hex'));
  });

  it('a little-endian EXIF works the same', () => {
    const r = processPhoto(cameraJpeg({ exif: cameraExif({ le: true }) }).file);
    expect(r.location!.lat).toBeCloseTo(HUANGPU_DEGREES.lat, 7);
    expectNoSecrets(r.data);
  });

  it('a photo without GPS keeps only its Orientation, so a portrait photo still shows upright', () => {
    const r = processPhoto(cameraJpeg({ exif: cameraExif({ gps: null, orientation: 8 }) }).file);
    expect(r.location).toBeNull();
    expect(r.orientation).toBe(8);
    const exif = exifSegments(r.data);
    expect(exif).toHaveLength(1);
    expect(tiffTags(exif[0]!)).toEqual({ ifd0: [0x0112], gps: [] });
    expect(readOrientation(exif[0]!)).toBe(8);
    expectNoSecrets(r.data);
  });

  it('a photo without GPS, upright, gets no EXIF at all', () => {
    const { file, image } = cameraJpeg({ exif: cameraExif({ gps: null, orientation: 1 }) });
    const r = processPhoto(file);
    expect(r.location).toBeNull();
    expect(exifSegments(r.data)).toHaveLength(0);
    expect(r.data.equals(Buffer.concat([Buffer.from([0xff, 0xd8]), image, Buffer.from([0xff, 0xd9])]))).toBe(true);
    expectNoSecrets(r.data);
  });

  it('processing twice changes nothing the second time', () => {
    const once = processPhoto(cameraJpeg().file);
    const twice = processPhoto(once.data);
    expect(twice.data.equals(once.data)).toBe(true);
    expect(twice.location).toEqual(once.location);
  });

  it('keeps the plain 12-byte Adobe APP14 colour-transform marker', () => {
    const { file } = cameraJpeg({ exif: null, trailer: false });
    const adobe = Buffer.from([0xff, 0xee, 0x00, 0x0e, ...Buffer.from('Adobe'), 0x00, 0x64, 0, 0, 0, 0, 1]);
    const withAdobe = Buffer.concat([file.subarray(0, 2), adobe, file.subarray(2)]);
    expect(latin1(processPhoto(withAdobe).data)).toContain('Adobe');
  });

  it.each([
    ['cut in the middle of the scan', (f: Buffer) => f.subarray(0, f.length - 40)],
    ['cut in a segment header', (f: Buffer) => f.subarray(0, 5)],
    ['without its end-of-image marker', (f: Buffer) => f.subarray(0, f.indexOf(Buffer.from([0xff, 0xd9])))],
    ['with garbage after the start-of-image marker', (f: Buffer) => Buffer.concat([f.subarray(0, 3), Buffer.from('garbage garbage')])],
    ['with a segment length past the end', (f: Buffer) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0xff, 0xff]), f.subarray(6, 30)])],
    ['with no frame or scan', () => Buffer.from([0xff, 0xd8, 0xff, 0xfe, 0x00, 0x04, 0x41, 0x42, 0xff, 0xd9])],
  ])('refuses a JPEG %s as malformed', (_name, cut) => {
    expect(refused(cut(cameraJpeg({ trailer: false }).file)).reason).toBe('IMAGE_MALFORMED');
  });
});

describe('PNG', () => {
  it.each([false, true])('keeps GPS in a new eXIf chunk, drops every other ancillary chunk, keeps IDAT unchanged (Exif prefix %s)', (exifPrefix) => {
    const { file, idat } = cameraPng({ exifPrefix });
    const r = processPhoto(file);
    expect(r.contentType).toBe('image/png');
    expect(r.location!.lat).toBeCloseTo(HUANGPU_DEGREES.lat, 7);
    expect(r.location!.lon).toBeCloseTo(HUANGPU_DEGREES.lon, 7);
    const chunks = pngChunks(r.data);
    expect(chunks.map(([t]) => t)).toEqual(['IHDR', 'eXIf', 'gAMA', 'sRGB', 'IDAT', 'IEND']);
    expect(readGps(chunks[1]![1])).toEqual(readGps(cameraExif({ le: true })));
    expect(tiffTags(chunks[1]![1])).toEqual({ ifd0: [0x0112, 0x8825], gps: [0, 1, 2, 3, 4, 5, 6] });
    expect(chunks[4]![1].equals(idat)).toBe(true);
    expect(inflateSync(chunks[4]![1])).toEqual(Buffer.from([0, 255, 0, 0, 0, 128, 255]));
    expectNoSecrets(r.data);
    // Every chunk's CRC is right.
    let p = 8;
    for (const [, data] of chunks) {
      expect(r.data.readUInt32BE(p + 8 + data.length)).toBe(pngCrc(r.data.subarray(p + 4, p + 8 + data.length)));
      p += 12 + data.length;
    }
    expect(p).toBe(r.data.length);
  });

  it('a PNG without GPS gets no eXIf', () => {
    const r = processPhoto(cameraPng({ exif: cameraExif({ gps: null, orientation: null }) }).file);
    expect(r.location).toBeNull();
    expect(pngChunks(r.data).map(([t]) => t)).toEqual(['IHDR', 'gAMA', 'sRGB', 'IDAT', 'IEND']);
    expectNoSecrets(r.data);
  });

  it.each([
    ['cut short', (f: Buffer) => f.subarray(0, 60)],
    ['without IEND', (f: Buffer) => f.subarray(0, f.indexOf(Buffer.from('IEND')) - 4)],
    ['with a damaged IDAT (CRC)', (f: Buffer) => {
      const c = Buffer.from(f);
      const at = c.indexOf(Buffer.from('IDAT')) + 6;
      c[at] = c[at]! ^ 0xff;
      return c;
    }],
    ['with a chunk length past the end', (f: Buffer) => {
      const c = Buffer.from(f.subarray(0, 60));
      c.writeUInt32BE(0x7ffffff0, 33);
      return c;
    }],
    ['whose first chunk is not IHDR', (f: Buffer) => Buffer.concat([f.subarray(0, 8), f.subarray(33)])],
  ])('refuses a PNG %s as malformed', (_name, cut) => {
    expect(refused(cut(cameraPng().file)).reason).toBe('IMAGE_MALFORMED');
  });
});

describe('type by magic bytes', () => {
  it('judges by content, not by name', () => {
    expect(sniffPhotoType(cameraJpeg().file)).toBe('image/jpeg');
    expect(sniffPhotoType(cameraPng().file)).toBe('image/png');
    expect(sniffPhotoType(Buffer.from('GIF89a....'))).toBeNull();
  });

  it.each([
    ['a GIF', Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1')],
    ['text', Buffer.from('hello, this is not a photo')],
    ['nothing', Buffer.alloc(0)],
    ['two bytes of JPEG', Buffer.from([0xff, 0xd8])],
    ['a PDF', Buffer.from('%PDF-1.7\n', 'latin1')],
  ])('refuses %s as not an image', (_name, data) => {
    expect(refused(data).reason).toBe('NOT_AN_IMAGE');
  });

  it('never throws anything but a PhotoError on random bytes after a valid signature', () => {
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
    for (let i = 0; i < 300; i++) {
      const base = i % 2 ? cameraJpeg().file : cameraPng().file;
      const c = Buffer.from(base);
      for (let k = 0; k < 8; k++) c[3 + (rnd() * 997 + rnd()) % (c.length - 3)] = rnd();
      try {
        processPhoto(c);
      } catch (err) {
        expect(err).toBeInstanceOf(PhotoError);
      }
    }
  });
});
