/** Schema of the plot export (GET /api/plots/export): a format, a CRS, a language and the filters of GET /api/plots. */
import { Type, type Static } from 'typebox';
import { PlotsQuery } from './map.ts';

const { limit: _limit, ...filterProps } = PlotsQuery.properties;
export const ExportQuery = Type.Object({
  format: Type.Union([Type.Literal('geojson'), Type.Literal('csv'), Type.Literal('shp'), Type.Literal('dxf')], { description: 'geojson · csv (attributes + WKT, UTF-8 with BOM) · shp (zip: .shp .shx .dbf .prj .cpg) · dxf (R12: a closed polyline per parcel ring on a layer per status, the plot code as text inside; default CRS EPSG:4547)' }),
  crs: Type.Optional(Type.Union([Type.Literal('EPSG:4326'), Type.Literal('EPSG:4547')], { description: 'WGS84, or CGCS2000 / 3-degree GK CM 114E. Default EPSG:4326, except dxf: EPSG:4547' })),
  lang: Type.Optional(Type.Union([Type.Literal('en'), Type.Literal('zh')], { default: 'en', description: 'en: camelCase field names and English codes (the default, unchanged for integrators). zh: Chinese field names (地块编号, 宗地代码, 面积（平方米）…) and values (状态 可供地/已预留/已出让/已收回/已注销, 用地性质 in words); the Shapefile .dbf in GBK with ≤ 10-byte names and a .cpg of GBK; DXF layers named in Chinese. The Chinese UI passes lang=zh.' })),
  includeRetired: Type.Optional(Type.Boolean({ default: false, description: 'Also retired (已注销: replaced by a split or merge) parcels; the bureau only — the public export holds available plots only' })),
  ...filterProps,
});
export type ExportQuery = Static<typeof ExportQuery>;
