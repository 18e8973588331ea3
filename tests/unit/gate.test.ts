/** server/kernel/gate.ts: at most `size` at once, the rest in order, and a failure frees its place. */
import { describe, expect, it } from 'vitest';
import { gate } from '../../server/kernel/gate.ts';

const tick = () => new Promise((r) => setImmediate(r));

describe('gate', () => {
  it('runs at most `size` at once and lets the rest in, in the order they came', async () => {
    const run = gate(2);
    let inside = 0;
    let most = 0;
    const started: number[] = [];
    const releases: (() => void)[] = [];
    const jobs = Array.from({ length: 6 }, (_, i) =>
      run(async () => {
        started.push(i);
        inside++;
        most = Math.max(most, inside);
        await new Promise<void>((r) => releases.push(r));
        inside--;
        return i;
      }),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    while (releases.length) {
      releases.shift()!();
      await tick();
      await tick();
    }
    expect(await Promise.all(jobs)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
    expect(most).toBe(2);
  });

  it('frees the place of a job that fails', async () => {
    const run = gate(1);
    await expect(run(async () => { throw new Error('refused'); })).rejects.toThrow('refused');
    await expect(run(async () => 'next')).resolves.toBe('next');
  });
});
