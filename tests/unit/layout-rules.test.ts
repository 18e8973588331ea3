/**
 * The lint rules that keep the layout (eslint.config.js, scripts/eslint-layout.js), run on small
 * pieces of code placed at paths of this repository: each boundary refuses the crossing, in any
 * import form, and leaves the files it allows alone.
 */
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: ROOT });

/** The rule ids reported for `code` as if it were the file at `path` (repository-relative). */
async function rulesHit(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${ROOT}${path}` });
  return result!.messages.map((m) => m.ruleId ?? m.message).filter((id) => id.startsWith('layout/') || id.startsWith('no-restricted') || id === 'max-lines');
}

describe('layout lint rules', { timeout: 120_000 }, () => {
  it('keeps the client off server code, whatever the import form, and says why', async () => {
    expect(await rulesHit('client/features/map/x.ts', "import { iso } from '../../../server/kernel/dates.ts';\nexport const a = iso;\n")).toEqual(['layout/client-not-server']);
    expect(await rulesHit('client/features/map/x.ts', "export type R = import('../../../server/kernel/caller.ts').Caller;\n")).toEqual(['layout/client-not-server']);
    expect(await rulesHit('client/x.ts', "export { bureauToday } from '../server/kernel/dates.ts';\n")).toEqual(['layout/client-not-server']);
    expect(await rulesHit('client/x.ts', "export const load = () => import('../server/app.ts');\n")).toEqual(['layout/client-not-server']);
    const [result] = await eslint.lintText("import '../server/app.ts';\n", { filePath: `${ROOT}client/x.ts` });
    expect(result!.messages[0]!.message).toMatch(/only over HTTP.*shared\/contract/);
    expect(await rulesHit('client/x.ts', "import { Allocation } from '../shared/contract/allocations.ts';\nexport const a = Allocation;\n")).toEqual([]);
  });

  it('keeps migrations and seeds out of runtime code, but lets the migrator and the launcher use them', async () => {
    const migration = "import { up } from '../../db/migrations/004_allocations.ts';\nexport const u = up;\n";
    expect(await rulesHit('server/modules/plots/service.ts', migration)).toEqual(['layout/runtime-not-leaves']);
    expect(await rulesHit('server/kernel/x.ts', "import { DEMO_USERS } from '../../seeds/users.ts';\nexport const d = DEMO_USERS;\n")).toEqual(['layout/runtime-not-leaves']);
    expect(await rulesHit('server/modules/reference/x.ts', "export const CSV = new URL('../../../seeds/reference/benchmark-prices.sample.csv', import.meta.url);\n")).toEqual(['layout/runtime-not-leaves']);
    expect(await rulesHit('server/main.ts', "import { startupSeeding } from '../seeds/startup.ts';\nexport const s = startupSeeding;\n")).toEqual([]);
    expect(await rulesHit('server/db/migrate.ts', "import { migrations } from './migrations/index.ts';\nexport const m = migrations;\n")).toEqual([]);
    expect(await rulesHit('scripts/x.ts', "import { seedDatabase } from '../seeds/load.ts';\nexport const s = seedDatabase;\n")).toEqual([]);
  });

  it("sends a module to another module's service, not its repository", async () => {
    const code = "import { lockPlot } from '../plots/repository.ts';\nexport const l = lockPlot;\n";
    expect(await rulesHit('server/modules/allocations/service.ts', code)).toEqual(['layout/no-foreign-repository']);
    expect(await rulesHit('server/modules/plots/service.ts', "import { lockPlot } from './repository.ts';\nexport const l = lockPlot;\n")).toEqual([]);
    expect(await rulesHit('server/modules/allocations/service.ts', "import { lockPlot } from '../plots/service.ts';\nexport const l = lockPlot;\n")).toEqual([]);
  });

  it('keeps Fastify at the HTTP edge', async () => {
    const code = "import type { FastifyRequest } from 'fastify';\nexport type R = FastifyRequest;\n";
    expect(await rulesHit('server/modules/quotas/service.ts', code)).toEqual(['layout/fastify-at-the-edge']);
    expect(await rulesHit('server/modules/quotas/repository.ts', "export type R = import('fastify').FastifyReply;\n")).toEqual(['layout/fastify-at-the-edge']);
    expect(await rulesHit('server/modules/quotas/service.ts', "declare module 'fastify' {\n  interface FastifyInstance { quota: number }\n}\nexport {};\n")).toEqual(['layout/fastify-at-the-edge']);
    for (const allowed of ['server/modules/quotas/routes.ts', 'server/modules/interests/investor-routes.ts', 'server/kernel/http.ts', 'server/app.ts', 'server/modules/auth/plugin.ts']) {
      expect(await rulesHit(allowed, code), allowed).toEqual([]);
    }
  });

  it('keeps shared/ pure and spherical area out of product code', async () => {
    expect(await rulesHit('shared/policy/x.ts', "import type { Kysely } from 'kysely';\nexport type K = Kysely<unknown>;\n")).toEqual(['layout/shared-is-pure']);
    expect(await rulesHit('shared/contract/x.ts', "import { iso } from '../../server/kernel/dates.ts';\nexport const i = iso;\n")).toEqual(['layout/shared-is-pure']);
    expect(await rulesHit('client/x.ts', "import { area } from '@turf/turf';\nexport const a = area;\n")).toEqual(['no-restricted-imports']);
    // A namespace import of turf could reach `area`: refused as an import and at the use.
    expect(await rulesHit('server/x.ts', "import * as turf from '@turf/turf';\nexport const a = turf.area;\n")).toEqual(['no-restricted-imports', 'no-restricted-syntax']);
    expect(await rulesHit('tests/unit/x.test.ts', "import { area } from '@turf/turf';\nexport const a = area;\n")).toEqual([]);
  });

  it('refuses files over 600 lines, except translation dictionaries', async () => {
    const long = Array.from({ length: 601 }, (_, i) => `export const v${i} = ${i};`).join('\n') + '\n';
    expect(await rulesHit('server/modules/plots/x.ts', long)).toEqual(['max-lines']);
    expect(await rulesHit('client/i18n/zh.ts', long)).toEqual([]);
    expect(await rulesHit('server/modules/plots/x.ts', long.split('\n').slice(1).join('\n'))).toEqual([]);
  });
});
