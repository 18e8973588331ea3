/**
 * `/map`: the base map's style (GET /api/map/style, from BASEMAP…; ./style.ts) and the search box
 * of every map (GET /api/map/search: plots by code, 宗地代码 or 坐落, parks by name; ./service.ts).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errors } from '../../../shared/contract/common.ts';
import { MapSearchQuery, MapSearchResult, MapStyle } from '../../../shared/contract/map.ts';
import { mapSearch } from './service.ts';
import { styleSource } from './style.ts';

const mapRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const style = styleSource(app.config.basemap);

  app.get('/map/style', {
    config: { access: 'public', cache: 'shared' },
    schema: {
      tags: ['map'],
      operationId: 'map.style',
      summary: 'The MapLibre style of the base map in use (BASEMAP=none|tianditu|custom)',
      description:
        'Only the base map: the client adds the districts, parks and plots on top. With BASEMAP=none (the default) it has no source at all, and the map makes no request outside the app. ' +
        'metadata["iab:basemap"] lists the bases to switch between (天地图: vector and imagery), each with its layers, the datum, and the attribution.',
      response: { 200: MapStyle },
    },
  }, async (_req, reply) => {
    reply.header('cache-control', 'no-cache');
    return style();
  });

  app.get('/map/search', {
    config: { access: 'public', rateLimit: { max: app.config.rateLimitPerMinute * 5, timeWindow: '1 minute' } },
    schema: {
      tags: ['map'],
      operationId: 'map.search',
      summary: 'The map’s search box: plots by code, 宗地代码 or 坐落 text, parks by name or code',
      description:
        'Case-insensitive, part of the text. Plots: the live parcels the public map shows (the bureau also finds retired ones). Parks: the IAB parks (not the generated zones). ' +
        'Each hit has its bounding box and centre (WGS84) to fly to. No outside geocoder is asked.',
      querystring: MapSearchQuery,
      response: { 200: MapSearchResult, ...errors(400, 429) },
    },
  }, async (req, reply) => {
    reply.header('cache-control', 'no-cache');
    return mapSearch(app.dbRead, req.query.q, req.query.limit ?? 10, req.user?.role ?? null);
  });
};

export default mapRoutes;
