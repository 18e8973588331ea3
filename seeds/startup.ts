/**
 * What a launcher hands `buildApp` from seeds/: the start-up seed step (base geodata and
 * reference data always; demo plots and accounts into an empty database when SEED_DEMO) and the
 * published demo accounts that `/api/meta` checks. The server never imports seeds/; server/main.ts,
 * the test helpers and the benchmarks pass these in.
 */
import type { BuildOptions } from '../server/app.ts';
import type { Config } from '../server/kernel/config.ts';
import { seedDatabase } from './load.ts';
import { DEMO_PASSWORD, DEMO_USERS } from './users.ts';

/** The demo accounts as `/api/meta` needs them: usernames and their (public) password. */
export const DEMO_ACCOUNTS = { usernames: DEMO_USERS.map((u) => u.username), password: DEMO_PASSWORD };

/**
 * `buildApp({ config, ...startupSeeding(config) })`: seed at start-up as `config.seedDemo` says.
 * `live` (server/main.ts, `npm run db:seed`): the demo also gets its sample subsidies and
 * investors' interests (seeds/sample-live.ts). The test helpers leave it out: their tests count
 * a park's grants and the interest inbox from nothing.
 */
export function startupSeeding(config: Pick<Config, 'seedDemo'>, { live = false }: { live?: boolean } = {}): Required<Pick<BuildOptions, 'seed' | 'demoAccounts'>> {
  return {
    seed: (db) => seedDatabase(db, { demo: config.seedDemo, live }),
    demoAccounts: DEMO_ACCOUNTS,
  };
}
