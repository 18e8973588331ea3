/** Health and metadata. `/api/health` checks the database, not just the process. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import { Type } from 'typebox';
import { errors } from '../../../shared/contract/common.ts';
import { checkDatabase, dataStatus } from './service.ts';
import type { Database } from '../../kernel/db/schema.ts';
import { verifyPassword } from '../auth/password.ts';

/** The published demo accounts (the launcher passes seeds/users.ts's): usernames and their password. */
export interface DemoAccounts {
  usernames: readonly string[];
  password: string;
}

/**
 * Whether the published demo password opens an active demo account here — the honest test for
 * showing it on the login page: false once the accounts are disabled, removed or re-passworded.
 * One scrypt per distinct stored hash (the seed gives all six the same one), then cached.
 */
const demoHashChecks = new Map<string, Promise<boolean>>();
async function demoAccountsActive(db: Kysely<Database>, demo: DemoAccounts | undefined): Promise<boolean> {
  if (!demo || demo.usernames.length === 0) return false;
  const rows = await db
    .selectFrom('users')
    .select('password_hash')
    .where('username', 'in', demo.usernames)
    .where('disabled_at', 'is', null)
    .execute();
  for (const { password_hash: hash } of rows) {
    const key = `${hash}\n${demo.password}`;
    let check = demoHashChecks.get(key);
    if (!check) {
      if (demoHashChecks.size > 32) demoHashChecks.clear();
      check = verifyPassword(demo.password, hash);
      demoHashChecks.set(key, check);
    }
    if (await check) return true;
  }
  return false;
}

const systemRoutes: FastifyPluginAsyncTypebox<{ demoAccounts?: DemoAccounts }> = async (app, { demoAccounts }) => {
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
      demoAccounts: await demoAccountsActive(app.db, demoAccounts),
      approvalFourEyes: app.config.approvalFourEyes,
    };
  });
};

export default systemRoutes;
