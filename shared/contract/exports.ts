/** Schema of the plot export (GET /api/plots/export): a format, a CRS and the filters of GET /api/plots. */
import { Type, type Static } from 'typebox';
import { PlotsQuery } from './map.ts';

const { limit: _limit, ...filterProps } = PlotsQuery.properties;
export const ExportQuery = Type.Object({
  format: Type.Union([Type.Literal('geojson'), Type.Literal('csv'), Type.Literal('shp')], { description: 'geojson · csv (attributes + WKT, UTF-8 with BOM) · shp (zip: .shp .shx .dbf .prj .cpg)' }),
  crs: Type.Optional(Type.Union([Type.Literal('EPSG:4326'), Type.Literal('EPSG:4547')], { default: 'EPSG:4326', description: 'WGS84, or CGCS2000 / 3-degree GK CM 114E' })),
  ...filterProps,
});
export type ExportQuery = Static<typeof ExportQuery>;
