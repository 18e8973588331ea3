/**
 * The import/export page's pure parts: preview features → table rows and map data, the box
 * that frames them, pages merged as they arrive, the parks the plots went to, a refused file's
 * message in the interface language, and the export form → the export URL.
 */
import { describe, expect, it } from 'vitest';
import { ApiError, type ImportFeature } from '../../client/api/index.ts';
import { exportHref, featuresBBox, formatBytes, importErrorText, mergeFeatures, parksOf, previewCollection, previewRows, rowState } from '../../client/features/imports/importView.ts';

const square = (x: number, y: number): GeoJSON.Polygon => ({ type: 'Polygon', coordinates: [[[x, y], [x + 0.001, y], [x + 0.001, y + 0.001], [x, y + 0.001], [x, y]]] });
const issue = (code: string, zh: string, en: string) => ({ code, messageZh: zh, messageEn: en });

const feature = (index: number, over: Partial<ImportFeature> = {}): ImportFeature => ({
  index,
  code: `IMP-${index + 1}`,
  parkId: 10,
  parkCode: 'P10',
  landUse: 'M1',
  landLevel: 3,
  areaM2: 2500,
  geometryAreaM2: 2499.5,
  attributes: {},
  geometry: square(113.4 + index * 0.01, 23.3),
  errors: [],
  warnings: [],
  ...over,
});

describe('the preview', () => {
  const features = [
    feature(0),
    feature(1, { warnings: [issue('AREA_DIFFERS', '面积相差 2%', 'Areas differ by 2%')] }),
    feature(2, { parkId: null, parkCode: null, geometry: null, errors: [issue('CODE_EXISTS', '编号已存在', 'The code exists'), issue('OUTSIDE_GUANGZHOU', '在海上', 'In the ocean')] }),
  ];

  it('makes one row per feature: valid, with warnings, with errors (messages in the interface language)', () => {
    const rows = previewRows(features, 'en');
    expect(rows.map((r) => [r.index, r.state])).toEqual([[0, 'ok'], [1, 'warning'], [2, 'error']]);
    expect(rows[2]!.messages).toEqual([{ severity: 'error', text: 'The code exists' }, { severity: 'error', text: 'In the ocean' }]);
    expect(previewRows(features, 'zh-CN')[1]!.messages[0]!.text).toBe('面积相差 2%');
    expect(rowState({ errors: [], warnings: [] })).toBe('ok');
  });

  it('shows the 宗地代码 and 控规地块编号 the server read from the file, and none when absent', () => {
    const withCodes = feature(0, { attributes: { parcelCode: '440112901001GB00001', zoningPlotCode: 'AH0402-01' } });
    expect(previewRows([withCodes, feature(1)], 'zh-CN').map((r) => [r.parcelCode, r.zoningPlotCode])).toEqual([['440112901001GB00001', 'AH0402-01'], [null, null]]);
  });

  it('puts the features with a geometry on the map, id = index, coloured by state', () => {
    const fc = previewCollection(features);
    expect(fc.features.map((f) => [f.id, f.properties!.state])).toEqual([[0, 'ok'], [1, 'warning']]);
    const box = featuresBBox(features)!;
    expect(box[0]).toBeCloseTo(113.4, 9);
    expect(box[2]).toBeCloseTo(113.411, 9);
    expect(featuresBBox([{ geometry: null }])).toBeNull();
  });

  it('merges pages by index, in file order, whatever overlaps', () => {
    const merged = mergeFeatures([feature(0), feature(1)], [feature(1, { code: 'NEW' }), feature(3), feature(2)]);
    expect(merged.map((f) => [f.index, f.code])).toEqual([[0, 'IMP-1'], [1, 'NEW'], [2, 'IMP-3'], [3, 'IMP-4']]);
  });

  it('counts the committed plots by park, most first (features with errors left out)', () => {
    expect(parksOf([...features, feature(4, { parkId: 3, parkCode: 'P03' }), feature(5, { parkId: 10 })])).toEqual([
      { parkId: 10, parkCode: 'P10', n: 3 },
      { parkId: 3, parkCode: 'P03', n: 1 },
    ]);
  });
});

describe('refused files', () => {
  it('says why in the interface language', () => {
    const bomb = new ApiError(413, 'PAYLOAD_TOO_LARGE', 'The zip expands to more than 200 MB (压缩包解压后超过 200 MB)', { reason: 'ZIP_BOMB', messageZh: '压缩包解压后超过 200 MB，疑似“压缩炸弹”，已拒绝', messageEn: 'The zip expands to more than 200 MB: refused as a possible zip bomb' });
    expect(importErrorText(bomb, 'zh-CN')).toContain('压缩炸弹');
    expect(importErrorText(bomb, 'en')).toContain('zip bomb');
    const plain = new ApiError(409, 'CONFLICT', 'Plot code RACE-3 exists (地块编号已存在)', { reason: 'CODE_EXISTS' });
    expect(importErrorText(plain, 'zh-CN')).toBe('地块编号已存在');
    expect(importErrorText(plain, 'en')).toBe('Plot code RACE-3 exists');
    expect(importErrorText(new TypeError('network'), 'en')).toBeNull();
  });
});

describe('export', () => {
  it('builds the export URL from the form, leaving out what is not chosen', () => {
    expect(exportHref({ format: 'geojson', crs: 'EPSG:4326', parkId: '', districtCode: '', status: [], landUse: [] })).toBe('/api/plots/export?format=geojson&crs=EPSG%3A4326');
    expect(exportHref({ format: 'shp', crs: 'EPSG:4547', parkId: '6', districtCode: '440112', status: ['available', 'held'], landUse: ['M0', 'M1'] })).toBe(
      '/api/plots/export?format=shp&crs=EPSG%3A4547&parkId=6&districtCode=440112&status=available%2Cheld&landUse=M0%2CM1',
    );
  });

  it('formats byte sizes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(830 * 1024)).toBe('830 KB');
    expect(formatBytes(1.25 * 1024 * 1024)).toBe('1.3 MB');
  });
});
