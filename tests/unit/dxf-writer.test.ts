/** The DXF R12 writer of plot exports (server/modules/exports/dxf.ts): structure, closed polylines, GBK text. */
import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { dxfLayerName, writeDxf } from '../../server/modules/exports/dxf.ts';

/** Group code / value pairs of a DXF file. */
function pairs(buf: Buffer): [number, string][] {
  const lines = iconv.decode(buf, 'gbk').split('\r\n');
  const out: [number, string][] = [];
  for (let i = 0; i + 1 < lines.length; i += 2) out.push([Number(lines[i]!.trim()), lines[i + 1]!]);
  return out;
}

const ring = [[438_000.1234, 2_552_000.5], [438_100, 2_552_000.5], [438_100, 2_552_080], [438_000.1234, 2_552_000.5]];

describe('DXF writer', () => {
  const buf = writeDxf({
    layers: [{ name: '可供地', color: 3 }, { name: '已出让', color: 1 }],
    polylines: [{ layer: '可供地', ring }, { layer: '已出让', ring: ring.map(([x, y]) => [x! + 500, y!]) }],
    texts: [{ layer: '可供地', at: [438_060, 2_552_020], height: 4, text: 'P06-0001' }],
    decimals: 4,
  });
  const p = pairs(buf);

  it('has HEADER (AC1009, ANSI_936), TABLES with the layers, ENTITIES and EOF in order', () => {
    const sections = p.filter(([c], i) => c === 2 && p[i - 1]?.[1] === 'SECTION').map(([, v]) => v);
    expect(sections).toEqual(['HEADER', 'TABLES', 'BLOCKS', 'ENTITIES']);
    expect(p[p.length - 1]).toEqual([0, 'EOF']);
    const at = (name: string) => p.findIndex(([c, v]) => c === 9 && v === name);
    expect(p[at('$ACADVER') + 1]).toEqual([1, 'AC1009']);
    expect(p[at('$DWGCODEPAGE') + 1]).toEqual([3, 'ANSI_936']);
    const layers = p.filter(([c], i) => c === 2 && p[i - 1]?.[1] === 'LAYER').map(([, v]) => v);
    expect(layers).toEqual(['0', '可供地', '已出让']);
  });

  it('writes each ring as a closed POLYLINE (flag 1) without repeating the first vertex', () => {
    const starts = p.flatMap(([c, v], i) => (c === 0 && v === 'POLYLINE' ? [i] : []));
    expect(starts).toHaveLength(2);
    const flag = p.slice(starts[0]).find(([c]) => c === 70);
    expect(flag).toEqual([70, '1']);
    const vertices = p.filter(([c, v]) => c === 0 && v === 'VERTEX');
    expect(vertices).toHaveLength(6);
    const xs = p.filter(([c], i) => c === 10 && p.slice(0, i).reverse().find(([cc]) => cc === 0)?.[1] === 'VERTEX').map(([, v]) => Number(v));
    expect(xs.slice(0, 3)).toEqual([438_000.1234, 438_100, 438_100]);
    expect(p.filter(([c, v]) => c === 0 && v === 'SEQEND')).toHaveLength(2);
  });

  it('puts the label as TEXT with its height, centred on the point', () => {
    const t = p.findIndex(([c, v]) => c === 0 && v === 'TEXT');
    const body = p.slice(t + 1, p.findIndex(([c], i) => i > t && c === 0));
    expect(body).toEqual(expect.arrayContaining([[8, '可供地'], [10, '438060.0'], [20, '2552020.0'], [40, '4.0'], [1, 'P06-0001'], [72, '1'], [73, '2'], [11, '438060.0']]));
  });

  it('encodes text in GBK, and characters outside GBK as \\U+XXXX', () => {
    expect(buf.includes(iconv.encode('可供地', 'gbk'))).toBe(true);
    expect(buf.includes(Buffer.from('可供地', 'utf8'))).toBe(false);
    const other = pairs(writeDxf({ layers: [], polylines: [], texts: [{ layer: '0', at: [0, 0], height: 1, text: 'A\u0E01' }], decimals: 2 }));
    expect(other.filter(([c]) => c === 1).pop()?.[1]).toBe('A\\U+0E01');
  });

  it('cleans layer names of characters DXF refuses', () => {
    expect(dxfLayerName('a/b:c*')).toBe('a_b_c_');
    expect(dxfLayerName('')).toBe('0');
  });
});
