/** Health and metadata. `/api/health` checks the database, not just the process. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errors } from '../../../shared/contract/common.ts';
import { checkDatabase, dataStatus, demoAccountsActive, type DemoAccounts } from './service.ts';
import { Meta } from '../../../shared/contract/system.ts';

export type { DemoAccounts };

const systemRoutes: FastifyPluginAsyncTypebox<{ demoAccounts?: DemoAccounts }> = async (app, { demoAccounts }) => {
  app.get('/health', {
    config: { access: 'public' },
    schema: {
      tags: ['system'],
      operationId: 'system.health',
      summary: 'Liveness and database check',
      response: {
        200: Type.Object({ status: Type.Literal('ok'), database: Type.Union([Type.Literal('pglite'), Type.Literal('postgres')]) }),
        ...errors(503),
      },
    },
  }, async () => {
    await checkDatabase(app.db);
    return { status: 'ok' as const, database: app.dbKind };
  });

  app.get('/meta', {
    config: { access: 'public' },
    schema: {
      tags: ['system'],
      operationId: 'system.meta',
      summary: 'What the data is: whether sample data is loaded, and its date',
      response: {
        200: Meta,
      },
    },
  }, async () => {
    const { sampleData, dataAsOf } = await dataStatus(app.db);
    return {
      sampleData,
      dataAsOf,
      version: app.appVersion,
      database: app.dbKind,
      demoAccounts: await demoAccountsActive(app.db, demoAccounts),
      approvalFourEyes: app.config.approvalFourEyes,
    };
  });
};

export default systemRoutes;
