/**
 * `/api/meta` → `demoAccounts`: the login page lists the demo accounts and their published
 * password only while that password still opens an active demo account on this server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestContext } from './context.ts';
import { call, DEMO_PASSWORD, DEMO_USERS, login } from './login.ts';

describe('demoAccounts in /api/meta', () => {
  let seeded: TestContext;
  let empty: TestContext;
  const stops: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    const a = await startTestApp('pglite');
    const b = await startTestApp('pglite', { SEED_DEMO: 'false' });
    seeded = a.ctx;
    empty = b.ctx;
    stops.push(a.stop, b.stop);
  });

  afterAll(async () => {
    await Promise.all(stops.map((stop) => stop()));
  });

  const demoAccounts = async (ctx: TestContext) => (await call(ctx.app, null, 'GET', '/api/meta')).body.demoAccounts;

  it('is true where the demo accounts were seeded', async () => {
    expect(await demoAccounts(seeded)).toBe(true);
  });

  it('is false where no demo account exists', async () => {
    expect(await demoAccounts(empty)).toBe(false);
  });

  it('turns false once no active demo account still has the published password', async () => {
    const admin = await login(seeded.app, 'admin');
    const users = (await call(seeded.app, admin, 'GET', '/api/users')).body.items as { id: number; username: string }[];
    for (const u of users.filter((x) => x.username !== 'admin' && DEMO_USERS.some((d) => d.username === x.username))) {
      expect((await call(seeded.app, admin, 'POST', `/api/users/${u.id}/disable`)).status).toBe(200);
    }
    expect(await demoAccounts(seeded)).toBe(true); // admin still has it
    const changed = await call(seeded.app, admin, 'POST', '/api/auth/password', { currentPassword: DEMO_PASSWORD, newPassword: 'a-real-password-2026' });
    expect(changed.status).toBe(200);
    expect(await demoAccounts(seeded)).toBe(false);
  });
});
