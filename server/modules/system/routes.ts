/** Health and metadata. `/api/health` checks the database, not just the process. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sql, type Kysely } from 'kysely';
import { Type } from 'typebox';
import { AppError } from '../../kernel/errors.ts';
import { errors } from '../../../shared/contract/common.ts';
import { Meta } from '../../../shared/contract/system.ts';
import { getMeta } from '../map/repository.ts';
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
        200: Meta,
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
      demoAccounts: await demoAccountsActive(app.db),
      approvalFourEyes: app.config.approvalFourEyes,
    };
  });
};

export default systemRoutes;
