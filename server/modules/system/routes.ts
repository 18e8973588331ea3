/** Health and metadata. `/api/health` checks the database, not just the process. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import { errors } from '../../../shared/contract/common.ts';
import { checkDatabase, dataStatus } from './service.ts';
import type { Database } from '../../kernel/db/schema.ts';
import { verifyPassword } from '../auth/password.ts';
import { DEMO_PASSWORD, DEMO_USERS } from '../../../seeds/users.ts';

/**
 * Whether the published demo password opens an active demo account here — the honest test for
 * showing it on the login page: false once the accounts are disabled, removed or re-passworded.
 * One scrypt per distinct stored hash (the seed gives all six the same one), then cached by hash.
 */
const demoHashChecks = new Map<string, Promise<boolean>>();
async function demoAccountsActive(db: Kysely<Database>): Promise<boolean> {
  const rows = await db
    .selectFrom('users')
    .select('password_hash')
    .where('username', 'in', DEMO_USERS.map((u) => u.username))
    .where('disabled_at', 'is', null)
    .execute();
  for (const { password_hash: hash } of rows) {
    let check = demoHashChecks.get(hash);
    if (!check) {
      if (demoHashChecks.size > 32) demoHashChecks.clear();
      check = verifyPassword(DEMO_PASSWORD, hash);
      demoHashChecks.set(hash, check);
    }
    if (await check) return true;
  }
  return false;
}

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
    await checkDatabase(app.db);
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
          demoAccounts: Type.Boolean({ description: 'true while the published demo accounts (password in the README) can sign in; the login page then lists them' }),
          approvalFourEyes: Type.Boolean({ description: 'APPROVAL_FOUR_EYES: the officer who proposed an allocation may not approve it (the bureau screen disables 批准 for them)' }),
        }),
      },
    },
  }, async () => {
    const { sampleData, dataAsOf } = await dataStatus(app.db);
    return {
      sampleData,
      dataAsOf,
      version: app.appVersion,
      database: app.dbKind,
      demoAccounts: await demoAccountsActive(app.db),
      approvalFourEyes: app.config.approvalFourEyes,
    };
  });
};

export default systemRoutes;
