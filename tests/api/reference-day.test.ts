/**
 * The reference data in force is chosen on the bureau's calendar day (Asia/Shanghai), like every
 * other date rule — not on the UTC day. Between 16:00 and 24:00 UTC the two differ: a parameter
 * version effective "today" (the bureau's today) must already be in force then.
 */
import { afterEach, expect, it, vi } from 'vitest';
import { describeOnDatabases } from './context.ts';
import { loadReference } from '../../server/modules/reference/service.ts';
import { bureauToday } from '../../shared/dates.ts';

describeOnDatabases('the reference data’s day', (get) => {
  afterEach(() => vi.useRealTimers());

  it('is the bureau’s calendar day, also in the evening UTC when Guangzhou is already on the next day', async () => {
    const evening = new Date('2026-03-10T18:30:00Z'); // 2026-03-11 02:30 in Guangzhou
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(evening);
    const ref = await loadReference(get().app.db);
    expect(bureauToday()).toBe('2026-03-11');
    expect(ref.asOf).toBe('2026-03-11');
  });
});
