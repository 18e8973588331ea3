/** Vector tiles of the plot layer: `GET /api/tiles/plots/{z}/{x}/{y}.pbf`. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { PLOT_STATUSES, type PlotStatus } from '../../../shared/domain.ts';
import { badRequest } from '../../kernel/errors.ts';
import { errors } from '../../../shared/contract/common.ts';
import { createPlotTiles, PLOT_TILE_MAX_ZOOM } from './service.ts';

const tileRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tiles = createPlotTiles(app.dbRead);

  app.get('/tiles/plots/:z/:x/:y.pbf', {
    config: { access: 'public', cache: 'shared' },
    schema: {
      tags: ['tiles'],
      operationId: 'tiles.plots',
      summary: 'Plot layer as a Mapbox Vector Tile (layer "plots"); empty below zoom 11',
      description:
        'Properties: id, code, parkId, status, landUse, areaM2, sample. Plots are drawn from zoom 11 (the city view shows parks only). ' +
        'Supports ETag / If-None-Match. Optional `status` filter (comma list).',
      params: Type.Object({
        z: Type.Integer({ minimum: 0, maximum: PLOT_TILE_MAX_ZOOM }),
        x: Type.Integer({ minimum: 0 }),
        y: Type.Integer({ minimum: 0 }),
      }),
      querystring: Type.Object({ status: Type.Optional(Type.String({ maxLength: 100 })) }),
      response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }), 304: Type.Null(), ...errors(400) },
    },
  }, async (req, reply) => {
    const { z, x, y } = req.params;
    const n = 2 ** z;
    if (x >= n || y >= n) throw badRequest(`Tile ${z}/${x}/${y} does not exist: at zoom ${z}, x and y must be below ${n}.`);
    let status: PlotStatus[] | undefined;
    if (req.query.status) {
      status = req.query.status.split(',') as PlotStatus[];
      const bad = status.find((s) => !(PLOT_STATUSES as readonly string[]).includes(s));
      if (bad) throw badRequest(`status "${bad}" is not one of ${PLOT_STATUSES.join(', ')}.`);
    }
    const inm = req.headers['if-none-match'];
    const tile = await tiles.getTile(z, x, y, status, typeof inm === 'string' ? inm : undefined);
    reply.header('etag', tile.etag);
    // Revalidate every time (a plot's colour must change as soon as it is allocated), cheaply: a
    // revalidation costs the tile's stamp query, not its body; a CDN or browser may store the tile
    // (no-cache, not no-store) and revalidate with If-None-Match. The body is the same for every
    // caller (no cookie or role in it); `Vary: Accept-Encoding`: stored per encoding.
    reply.header('cache-control', 'no-cache');
    reply.header('vary', 'Accept-Encoding');
    if (tile.notModified) return reply.code(304).send(null);
    reply.type('application/x-protobuf');
    return reply.send(tile.body);
  });
};

export default tileRoutes;
