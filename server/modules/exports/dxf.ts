/**
 * A small DXF writer for plot exports (issue #18 §2 DXF), for CAD-based survey and design offices.
 *
 * Format: DXF R12 (AC1009), the version every CAD program and GDAL reads, with no handles to keep
 * consistent: HEADER ($ACADVER, $DWGCODEPAGE, $INSBASE, $EXTMIN/$EXTMAX), TABLES (LTYPE
 * CONTINUOUS, LAYER one per layer used, STYLE STANDARD with the Chinese big font gbcbig.shx),
 * BLOCKS (empty), ENTITIES, EOF. R12 has no LWPOLYLINE; its closed polyline is POLYLINE (flag 70 =
 * 1) with VERTEX … SEQEND — what LWPOLYLINE later compacted. Each ring of a parcel is one closed
 * polyline (a parcel with a hole or several parts is several, on the same layer); the label is
 * one TEXT centred on a point inside the parcel.
 *
 * Text (layer names, labels) is written in GBK with $DWGCODEPAGE ANSI_936, the Chinese Windows
 * code page that AutoCAD and GDAL read back as Chinese; a character GBK lacks is written as
 * \U+XXXX, the DXF escape for it.
 */
import iconv from 'iconv-lite';

export interface DxfPolyline {
  layer: string;
  /** Closed ring, positions [x, y] (easting, northing / lon, lat); a repeated last point is dropped. */
  ring: number[][];
}

export interface DxfText {
  layer: string;
  at: [number, number];
  height: number;
  text: string;
}

export interface DxfLayer {
  name: string;
  /** AutoCAD colour index 1–255. */
  color: number;
}

export interface DxfDrawing {
  layers: DxfLayer[];
  polylines: DxfPolyline[];
  texts: DxfText[];
  /** Decimals of coordinates (4 = 0.1 mm in metres; 9 ≈ 0.1 mm in degrees). */
  decimals: number;
}

/** A layer name DXF accepts: no < > / \ " : ; ? * | = ` characters, at most 255. */
export function dxfLayerName(name: string): string {
  const clean = name.replace(/[<>/\\":;?*|=`\r\n\t]/g, '_').trim().slice(0, 255);
  return clean || '0';
}

/** Text for a group value: one line, characters outside GBK as \U+XXXX. */
function dxfText(s: string): string {
  let out = '';
  for (const ch of s.replace(/[\r\n]+/g, ' ')) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) out += ch;
    else if (cp <= 0xffff && iconv.decode(iconv.encode(ch, 'gbk'), 'gbk') === ch) out += ch;
    else out += cp <= 0xffff ? `\\U+${cp.toString(16).toUpperCase().padStart(4, '0')}` : '?';
  }
  return out;
}

/** The DXF file (GBK bytes, CRLF lines). */
export function writeDxf(d: DxfDrawing): Buffer {
  const lines: string[] = [];
  const g = (code: number, value: string | number) => { lines.push(String(code).padStart(3, ' '), String(value)); };
  const num = (x: number) => {
    const s = x.toFixed(d.decimals);
    return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '.0') : s;
  };
  const rings = d.polylines.map((p) => {
    const r = p.ring.map(([x, y]) => [x!, y!] as [number, number]);
    const [a, b] = [r[0], r[r.length - 1]];
    return r.length > 1 && a && b && a[0] === b[0] && a[1] === b[1] ? r.slice(0, -1) : r;
  });
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const r of rings) for (const [x, y] of r) {
    minX = Math.min(minX, x); minY = Math.min(minY, y); maxX = Math.max(maxX, x); maxY = Math.max(maxY, y);
  }
  if (!Number.isFinite(minX)) [minX, minY, maxX, maxY] = [0, 0, 0, 0];

  g(0, 'SECTION'); g(2, 'HEADER');
  g(9, '$ACADVER'); g(1, 'AC1009');
  g(9, '$DWGCODEPAGE'); g(3, 'ANSI_936');
  g(9, '$INSBASE'); g(10, '0.0'); g(20, '0.0'); g(30, '0.0');
  g(9, '$EXTMIN'); g(10, num(minX)); g(20, num(minY)); g(30, '0.0');
  g(9, '$EXTMAX'); g(10, num(maxX)); g(20, num(maxY)); g(30, '0.0');
  g(0, 'ENDSEC');

  g(0, 'SECTION'); g(2, 'TABLES');
  g(0, 'TABLE'); g(2, 'LTYPE'); g(70, 1);
  g(0, 'LTYPE'); g(2, 'CONTINUOUS'); g(70, 0); g(3, 'Solid line'); g(72, 65); g(73, 0); g(40, '0.0');
  g(0, 'ENDTAB');
  const layers = [{ name: '0', color: 7 }, ...d.layers.filter((l) => l.name !== '0')];
  g(0, 'TABLE'); g(2, 'LAYER'); g(70, layers.length);
  for (const l of layers) { g(0, 'LAYER'); g(2, dxfText(l.name)); g(70, 0); g(62, l.color); g(6, 'CONTINUOUS'); }
  g(0, 'ENDTAB');
  g(0, 'TABLE'); g(2, 'STYLE'); g(70, 1);
  g(0, 'STYLE'); g(2, 'STANDARD'); g(70, 0); g(40, '0.0'); g(41, '1.0'); g(50, '0.0'); g(71, 0); g(42, '2.5'); g(3, 'txt'); g(4, 'gbcbig');
  g(0, 'ENDTAB');
  g(0, 'ENDSEC');

  g(0, 'SECTION'); g(2, 'BLOCKS'); g(0, 'ENDSEC');

  g(0, 'SECTION'); g(2, 'ENTITIES');
  d.polylines.forEach((p, i) => {
    const layer = dxfText(p.layer);
    g(0, 'POLYLINE'); g(8, layer); g(66, 1); g(10, '0.0'); g(20, '0.0'); g(30, '0.0'); g(70, 1);
    for (const [x, y] of rings[i]!) { g(0, 'VERTEX'); g(8, layer); g(10, num(x)); g(20, num(y)); g(30, '0.0'); }
    g(0, 'SEQEND'); g(8, layer);
  });
  for (const t of d.texts) {
    const [x, y] = [num(t.at[0]), num(t.at[1])];
    g(0, 'TEXT'); g(8, dxfText(t.layer)); g(10, x); g(20, y); g(30, '0.0'); g(40, num(t.height)); g(1, dxfText(t.text));
    g(7, 'STANDARD'); g(72, 1); g(11, x); g(21, y); g(31, '0.0'); g(73, 2);
  }
  g(0, 'ENDSEC');
  g(0, 'EOF');
  return iconv.encode(`${lines.join('\r\n')}\r\n`, 'gbk');
}
