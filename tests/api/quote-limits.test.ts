/** Public quotes are rate-limited per address (RATE_LIMIT_PER_MINUTE): the 4th call in a minute gets 429 + Retry-After. */
import { expect, it } from 'vitest';
import { describeOnDatabases } from './context.ts';

describeOnDatabases('quote rate limit', (get) => {
  it('answers 429 with Retry-After after the limit, per address', async () => {
    const payload = { areaM2: 100, benchmarkYuanPerM2: 1000, costYuan: 0, nationalMinYuanPerM2: 600, iab: true };
    const send = (ip: string) => get().app.inject({ method: 'POST', url: '/api/quotes/price-floor', payload, remoteAddress: ip });
    for (let i = 0; i < 3; i++) expect((await send('10.9.9.1')).statusCode).toBe(200);
    const limited = await send('10.9.9.1');
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBeDefined();
    expect(limited.json()).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
    // Another address is not affected.
    expect((await send('10.9.9.2')).statusCode).toBe(200);
  });
}, { RATE_LIMIT_PER_MINUTE: '3' });
