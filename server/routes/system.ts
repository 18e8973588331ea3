/** Health and metadata. `/api/health` checks the database, not just the process. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import { Type } from 'typebox';
import { AppError } from '../errors.ts';
import { errors } from '../schemas/common.ts';
import { getMeta } from '../repositories/map.ts';

const systemRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/health', {
    config: { access: 'public' },
    schema: {
      tags: ['system'],
      summary: 'Liveness and database check',
      response: {
        200: Type.Object({ status: Type.Literal('ok'), database: Type.Union([Type.Literal('pglite'), Type.Literal('postgres')]) }),
        ...errors(503),
      },
    },
  }, async () => {
    try {
      await sql`select 1`.execute(app.db);
    } catch {
      throw new AppError(503, 'SERVICE_UNAVAILABLE', 'The database does not answer; check DATABASE_URL or DATA_DIR and the server log.');
    }
    return { status: 'ok' as const, database: app.dbKind };
  });

  app.get('/meta', {
    config: { access: 'public' },
    schema: {
      tags: ['system'],
      summary: 'What the data is: whether sample data is loaded, and its date',
      response: {
        200: Type.Object({
          sampleData: Type.Boolean({ description: 'true while any sample data (plots, indicative park boundaries) is shown' }),
          dataAsOf: Type.Union([Type.String(), Type.Null()]),
          version: Type.String(),
          database: Type.String(),
        }),
      },
    },
  }, async () => {
    const samplePlots = await app.db.selectFrom('plots').select('id').where('sample', '=', true).limit(1).executeTakeFirst();
    const sampleParks = await app.db.selectFrom('parks').select('id').where('sample', '=', true).limit(1).executeTakeFirst();
    const asOf = await getMeta(app.db, 'data_as_of');
    return {
      sampleData: Boolean(samplePlots || sampleParks),
      dataAsOf: typeof asOf === 'string' ? asOf : null,
      version: app.appVersion,
      database: app.dbKind,
    };
  });
};

export default systemRoutes;
