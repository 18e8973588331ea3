/** The supervision screen's pure parts: the visit photo check and the layer's colours and order. */
import { describe, expect, it } from 'vitest';
import { checkPhoto, PHOTO_MAX_BYTES } from '../../client/features/supervision/photoFile.ts';
import {
  byPlot, fillColor, GRADE_COLORS, GRADE_STATE, legendRows, NEUTRAL_COLOR, sortRedLine, STAGE_COLORS, STAGE_STATE,
} from '../../client/features/supervision/supervisionLayer.ts';

describe('visit photo check', () => {
  const file = (name: string, type: string, size: number) => ({ name, type, size });

  it('takes a JPEG or PNG up to exactly 10 MB', () => {
    expect(checkPhoto(file('site.jpg', 'image/jpeg', 1000))).toBeNull();
    expect(checkPhoto(file('site.PNG', 'image/png', PHOTO_MAX_BYTES))).toBeNull();
    expect(PHOTO_MAX_BYTES).toBe(10 * 1024 * 1024);
  });

  it('refuses one byte over 10 MB, saying the size', () => {
    expect(checkPhoto(file('big.jpg', 'image/jpeg', PHOTO_MAX_BYTES + 1))).toEqual({ kind: 'size', sizeMb: '10.0' });
    expect(checkPhoto(file('huge.png', 'image/png', 25 * 1024 * 1024))).toEqual({ kind: 'size', sizeMb: '25.0' });
  });

  it('refuses other types by the declared type, even with a photo’s name', () => {
    expect(checkPhoto(file('scan.heic', 'image/heic', 10))).toEqual({ kind: 'type', name: 'scan.heic' });
    expect(checkPhoto(file('fake.jpg', 'application/pdf', 10))).toEqual({ kind: 'type', name: 'fake.jpg' });
    expect(checkPhoto(file('notes.txt', 'text/plain', 10))).toEqual({ kind: 'type', name: 'notes.txt' });
  });

  it('falls back on the name when the browser gives no type, and refuses an empty file', () => {
    expect(checkPhoto(file('site.jpeg', '', 10))).toBeNull();
    expect(checkPhoto(file('site', '', 10))).toEqual({ kind: 'type', name: 'site' });
    expect(checkPhoto(file('site.png', 'image/png', 0))).toEqual({ kind: 'empty' });
  });
});

describe('supervision layer', () => {
  it('colours by the feature-state of the mode, neutral when a plot has none', () => {
    const stage = JSON.stringify(fillColor('stage'));
    expect(stage).toContain(`["feature-state","${STAGE_STATE}"]`);
    for (const c of Object.values(STAGE_COLORS)) expect(stage).toContain(c);
    expect((fillColor('stage') as unknown[]).at(-1)).toBe(NEUTRAL_COLOR);
    const grade = JSON.stringify(fillColor('grade'));
    expect(grade).toContain(`["feature-state","${GRADE_STATE}"]`);
    for (const c of Object.values(GRADE_COLORS)) expect(grade).toContain(c);
    // Status comes from the tiles themselves.
    expect(JSON.stringify(fillColor('status'))).toContain('["get","status"]');
  });

  it('gives every stage a colour of its own, and the legend rows in the layer’s colours', () => {
    expect(new Set(Object.values(STAGE_COLORS)).size).toBe(4);
    expect(legendRows('grade').map((r) => r.key)).toEqual(['A', 'B', 'C', 'D', 'none']);
    expect(legendRows('stage').map((r) => r.key)).toEqual(['overdue', 'idle_fee', 'reclaim', 'government_delay', 'none']);
    expect(legendRows('stage').find((r) => r.key === 'idle_fee')!.color).toBe(STAGE_COLORS.idle_fee);
    expect(legendRows('status').map((r) => r.key)).toEqual(['available', 'held', 'allocated', 'withdrawn']);
  });

  it('lists the red line most severe first, then the longest late', () => {
    const item = (plotCode: string, stage: 'overdue' | 'idle_fee' | 'reclaim' | 'government_delay', daysLate: number) => ({ plotCode, stage, daysLate });
    const sorted = sortRedLine([item('A', 'overdue', 300), item('B', 'government_delay', 500), item('C', 'reclaim', 800), item('D', 'idle_fee', 400), item('E', 'idle_fee', 600)]);
    expect(sorted.map((i) => i.plotCode)).toEqual(['C', 'E', 'D', 'A', 'B']);
  });

  it('joins by plot id, the first item of a plot winning', () => {
    const m = byPlot([{ plotId: 7, g: 'A' }, { plotId: 7, g: 'D' }, { plotId: 9, g: 'B' }], (i) => i.g);
    expect([...m]).toEqual([[7, 'A'], [9, 'B']]);
  });
});
