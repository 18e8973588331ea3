/**
 * The map editor's pure parts: the undo/redo stack, snapping to neighbours and the park
 * boundary, terra-draw features ↔ API geometries, the plot form → POST/PATCH bodies, and the
 * geometry problems as the list and the map show them.
 */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../client/api/index.ts';
import { conflictPlotIds, displayIssues, issueMarkers, issuesFromError } from '../../client/features/editor/issues.ts';
import {
  createPlotBody,
  editablePolygon,
  emptyPlotForm,
  fromDrawGeometry,
  fromDrawLine,
  normalisePolygon,
  patchPlotBody,
  plotFormFrom,
  plotFormProblems,
  sameGeometry,
  suggestPlotCode,
  toDrawFeature,
  vertexCount,
  type PlotForm,
} from '../../client/features/editor/plotPayload.ts';
import { prepareSnapSources, snapPoint, type ProjectFn } from '../../client/features/editor/snapping.ts';
import { canRedo, canUndo, createStack, push, redo, undo, undoRedoKey } from '../../client/features/editor/undoStack.ts';
import { geometryAreaM2, validatePlotGeometry, type PlotGeometry } from '../../shared/geometry/index.ts';

/** A square plot, counter-clockwise, `size` degrees wide, with its south-west corner at (x, y). */
const square = (x: number, y: number, size = 0.001): GeoJSON.Polygon => ({
  type: 'Polygon',
  coordinates: [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]],
});

describe('undo/redo stack', () => {
  it('records, undoes and redoes, dropping the redo branch on a new change', () => {
    let s = createStack('a');
    expect(canUndo(s)).toBe(false);
    s = push(s, 'b');
    s = push(s, 'c');
    expect(s.present).toBe('c');
    s = undo(s);
    expect(s.present).toBe('b');
    expect(canRedo(s)).toBe(true);
    s = redo(s);
    expect(s.present).toBe('c');
    s = undo(undo(s));
    expect(s.present).toBe('a');
    expect(canUndo(s)).toBe(false);
    expect(undo(s)).toBe(s); // nothing to undo: the same stack
    s = push(redo(s), 'x');
    expect(s.past).toEqual(['a', 'b']);
    expect(canRedo(s)).toBe(false);
  });

  it('ignores a push equal to the present and caps the past', () => {
    const s = push(createStack(square(113, 23)), square(113, 23), sameGeometry);
    expect(s.past).toHaveLength(0);
    let n = createStack(0);
    for (let i = 1; i <= 10; i++) n = push(n, i, Object.is, 3);
    expect(n.past).toEqual([7, 8, 9]);
    expect(n.present).toBe(10);
  });

  it('reads Ctrl+Z, Ctrl+Shift+Z, Ctrl+Y and ⌘ on a Mac', () => {
    const k = (key: string, o: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }> = {}) =>
      undoRedoKey({ key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...o });
    expect(k('z', { ctrlKey: true })).toBe('undo');
    expect(k('Z', { ctrlKey: true, shiftKey: true })).toBe('redo');
    expect(k('y', { ctrlKey: true })).toBe('redo');
    expect(k('z', { metaKey: true })).toBe('undo');
    expect(k('z')).toBeNull();
    expect(k('z', { ctrlKey: true, altKey: true })).toBeNull();
  });
});

describe('snapping', () => {
  // A flat projection: 100 000 px per degree, y down — enough to reason in pixels.
  const project: ProjectFn = (lng, lat) => ({ x: (lng - 113) * 100_000, y: (23.1 - lat) * 100_000 });
  const px = (lng: number, lat: number) => project(lng, lat);
  const neighbour = square(113.01, 23.01);
  const park: GeoJSON.Polygon = square(113.0, 23.0, 0.05);
  const sources = prepareSnapSources([
    { geometry: neighbour, kind: 'plot', code: 'P06-0001' },
    { geometry: park, kind: 'park' },
  ]);

  it('snaps to a neighbour’s vertex within the tolerance, preferring it to an edge', () => {
    const near = px(113.01 + 0.00003, 23.01 + 0.00002); // 3 px, 2 px from the corner
    const r = snapPoint(near, [113.01003, 23.01002], sources, project, 10);
    expect(r).toMatchObject({ target: 'vertex', kind: 'plot', code: 'P06-0001', position: [113.01, 23.01] });
  });

  it('snaps onto an edge at the foot of the perpendicular, exactly on the edge in lon/lat', () => {
    const r = snapPoint(px(113.0104, 23.01 - 0.00005), [113.0104, 23.00995], sources, project, 10);
    expect(r?.target).toBe('edge');
    expect(r!.position[1]).toBeCloseTo(23.01, 12);
    expect(r!.position[0]).toBeCloseTo(113.0104, 9);
  });

  it('snaps to the park boundary, and not at all beyond the tolerance', () => {
    const r = snapPoint(px(113.02, 23.0 + 0.00004), [113.02, 23.00004], sources, project, 10);
    expect(r).toMatchObject({ target: 'edge', kind: 'park' });
    expect(snapPoint(px(113.02, 23.02), [113.02, 23.02], sources, project, 10)).toBeNull();
  });

  it('skips sources far away by their box when the scale is given', () => {
    const calls: number[] = [];
    const counting: ProjectFn = (lng, lat) => {
      calls.push(lng);
      return project(lng, lat);
    };
    const only = prepareSnapSources([{ geometry: neighbour, kind: 'plot' }]);
    expect(snapPoint(px(113.04, 23.04), [113.04, 23.04], only, counting, 10, 0.00001)).toBeNull();
    expect(calls).toHaveLength(0);
  });

  it('a plot drawn against a neighbour with snapped corners shares its edge: no overlap', () => {
    // The new plot's west corners are placed a few px off the neighbour's east corners and snap onto them.
    const a = snapPoint(px(113.011 + 0.00002, 23.01 - 0.00001), [113.01102, 23.00999], sources, project, 10)!.position;
    const b = snapPoint(px(113.011 - 0.00003, 23.011 + 0.00002), [113.01097, 23.01102], sources, project, 10)!.position;
    const drawn = normalisePolygon({ type: 'Polygon', coordinates: [[a, [113.012, 23.01], [113.012, 23.011], b, a]] });
    const check = validatePlotGeometry(drawn, { neighbours: [{ code: 'P06-0001', id: 1, geometry: neighbour }] });
    expect(check.errors).toEqual([]);
  });
});

describe('terra-draw features and API geometries', () => {
  it('normalises to RFC 7946: closed, counter-clockwise, no repeated vertex', () => {
    const cw: GeoJSON.Polygon = { type: 'Polygon', coordinates: [[[113, 23], [113, 23.001], [113, 23.001], [113.001, 23.001], [113.001, 23]]] };
    const g = normalisePolygon(cw);
    expect(g.coordinates[0]).toHaveLength(5);
    expect(g.coordinates[0]![0]).toEqual(g.coordinates[0]![4]);
    expect(validatePlotGeometry(g).errors.map((e) => e.code)).not.toContain('WRONG_WINDING');
    expect(validatePlotGeometry(cw).errors.map((e) => e.code)).toContain('WRONG_WINDING');
  });

  it('rounds to terra-draw’s 9 decimals and comes back unchanged', () => {
    const g = square(113.123456789123, 23.987654321987);
    const f = toDrawFeature('abc', g);
    expect(f.properties.mode).toBe('polygon');
    for (const p of f.geometry.coordinates[0]!) for (const x of p) expect(Math.abs(x * 1e9 - Math.round(x * 1e9))).toBeLessThan(1e-3);
    expect(sameGeometry(fromDrawGeometry(f.geometry), f.geometry)).toBe(true);
    expect(geometryAreaM2(f.geometry)).toBeCloseTo(geometryAreaM2(g), 2);
  });

  it('takes only what terra-draw can edit: one ring, one part', () => {
    expect(editablePolygon(square(113, 23))).not.toBeNull();
    expect(editablePolygon({ type: 'MultiPolygon', coordinates: [square(113, 23).coordinates] })).not.toBeNull();
    expect(editablePolygon({ type: 'MultiPolygon', coordinates: [square(113, 23).coordinates, square(113.01, 23).coordinates] })).toBeNull();
    expect(editablePolygon({ type: 'Polygon', coordinates: [square(113, 23, 0.01).coordinates[0]!, [...square(113.001, 23.001).coordinates[0]!].reverse()] })).toBeNull();
    expect(fromDrawGeometry({ type: 'Polygon', coordinates: [[[113, 23], [113.1, 23], [113, 23]]] })).toBeNull();
    expect(fromDrawLine({ type: 'LineString', coordinates: [[113, 23], [113, 23], [113.1, 23]] })).toEqual({ type: 'LineString', coordinates: [[113, 23], [113.1, 23]] });
    expect(fromDrawLine({ type: 'LineString', coordinates: [[113, 23], [113, 23]] })).toBeNull();
    expect(vertexCount(square(113, 23))).toBe(4);
  });
});

describe('the plot form', () => {
  const filled = (over: Partial<PlotForm> = {}): PlotForm => ({ ...emptyPlotForm(), code: 'P06-0046', landUse: 'M1', landLevel: '4', ...over });

  it('says what is missing or wrong, field by field', () => {
    expect(plotFormProblems(emptyPlotForm(), { areaOptional: true })).toEqual({ code: 'required', landUse: 'required', landLevel: 'required' });
    expect(plotFormProblems(filled(), { areaOptional: false })).toEqual({ areaM2: 'required' });
    expect(plotFormProblems(filled({ code: ' P1', areaM2: '12.345', greenRatioMinPct: '120', landGrade: '2.5', plotRatioMin: '3', plotRatioMax: '2', heightLimitM: 'abc' }), { areaOptional: true })).toEqual({
      code: 'format',
      areaM2: 'decimals',
      greenRatioMinPct: 'range',
      landGrade: 'integer',
      plotRatioMax: 'minAboveMax',
      heightLimitM: 'number',
    });
    expect(plotFormProblems(filled({ areaM2: '0' }), { areaOptional: true })).toEqual({ areaM2: 'range' });
    expect(plotFormProblems(filled({ areaM2: '20000.5' }), { areaOptional: false })).toEqual({});
  });

  it('builds POST /api/plots: the geometric area when none is typed, only the filled-in extras, cost from 万元', () => {
    const g = square(113, 23);
    const body = createPlotBody(filled({ location: ' 黄埔区某路 ', costWan: '1234.5678', serviced: true, reason: '新测绘' }), 6, g, 11392.456);
    expect(body).toEqual({
      code: 'P06-0046', parkId: 6, landUse: 'M1', areaM2: 11392.46, landLevel: 4, geometry: g,
      location: '黄埔区某路', costYuan: 12_345_678, serviced: true, reason: '新测绘',
    });
    expect(createPlotBody(filled({ areaM2: '11000' }), 6, g, 11392.456).areaM2).toBe(11000);
  });

  it('builds PATCH /api/plots/:id with the changed fields and the row version, or nothing', () => {
    const attrs = { code: 'P06-0001', landUse: 'M1', landLevel: 4, location: '某路', plotRatioMin: 2.5, plotRatioMax: 3.7, costYuan: 5_000_000, serviced: true, landGrade: null };
    const original = plotFormFrom(attrs, 41209.1);
    expect(original).toMatchObject({ code: 'P06-0001', landLevel: '4', areaM2: '41209.1', plotRatioMin: '2.5', costWan: '500', serviced: true, landGrade: '' });
    expect(patchPlotBody(original, { ...original, reason: '只写原因' }, '77')).toBeNull();
    const g = square(113, 23);
    const body = patchPlotBody(original, { ...original, plotRatioMax: '', areaM2: '41000', costWan: '520', reason: '测绘更正' }, '77', g);
    expect(body).toEqual({ expectedRowVersion: '77', areaM2: 41000, plotRatioMax: null, costYuan: 5_200_000, geometry: g, reason: '测绘更正' });
  });

  it('keeps an unknown cost null, never 0; a cost of 0 needs a note (五(三)14)', () => {
    const original = plotFormFrom({ code: 'P06-0001', landUse: 'M1', landLevel: 4, costYuan: 5_000_000, costNote: null }, 41209.1);
    // Clearing the cost sends null (not recorded).
    expect(patchPlotBody(original, { ...original, costWan: '' }, '7')).toEqual({ expectedRowVersion: '7', costYuan: null });
    // 0 without a note is a problem of the note field; with one, both are sent.
    expect(plotFormProblems({ ...original, costWan: '0' }, { areaOptional: false })).toEqual({ costNote: 'required' });
    expect(plotFormProblems({ ...original, costWan: '0', costNote: '区属储备用地' }, { areaOptional: false })).toEqual({});
    expect(patchPlotBody(original, { ...original, costWan: '0', costNote: ' 区属储备用地 ' }, '7')).toEqual({ expectedRowVersion: '7', costYuan: 0, costNote: '区属储备用地' });
    // A new plot without a cost sends none at all.
    expect(createPlotBody(filled(), 6, square(113, 23), 100)).not.toHaveProperty('costYuan');
  });

  it('suggests the next code of the park’s series', () => {
    expect(suggestPlotCode('P06', ['P06-0001', 'P06-0045', 'P06-0045-1', 'P07-0100', 'X'])).toBe('P06-0046');
    expect(suggestPlotCode('P06', [])).toBe('P06-0001');
    expect(suggestPlotCode('P01', ['P01-99999'])).toBe('P01-100000');
  });
});

describe('geometry problems for the list and the map', () => {
  const overlap = { code: 'OVERLAPS_PLOT', messageZh: '与地块 P06-0003 重叠 12 平方米', messageEn: 'Overlaps plot P06-0003 by 12 m²', where: [113.45, 23.17], plotCode: 'P06-0003', plotId: 244 };
  const area = { code: 'AREA_DIFFERS', messageZh: '面积相差 2%', messageEn: 'Areas differ by 2%' };

  it('lists errors then warnings in the interface language, with their place and plot', () => {
    const list = displayIssues([overlap], [area], 'live', 'en');
    expect(list.map((i) => [i.severity, i.message, i.where, i.plotId])).toEqual([
      ['error', 'Overlaps plot P06-0003 by 12 m²', [113.45, 23.17], 244],
      ['warning', 'Areas differ by 2%', null, null],
    ]);
    expect(displayIssues([overlap], [], 'server', 'zh-CN')[0]!.message).toContain('重叠');
    expect(conflictPlotIds(list)).toEqual([244]);
  });

  it('numbers a marker for each issue that has a place, in list order', () => {
    const bow = { code: 'SELF_INTERSECTION', messageZh: '自相交', messageEn: 'crosses itself', where: [113.46, 23.18] };
    const fc = issueMarkers(displayIssues([overlap, bow], [area], 'live', 'zh-CN'));
    expect(fc.features.map((f) => [f.properties!.label, f.properties!.severity, f.geometry.coordinates])).toEqual([
      ['1', 'error', [113.45, 23.17]],
      ['2', 'error', [113.46, 23.18]],
    ]);
  });

  it('reads the server’s 422 (errors and warnings) and nothing from other errors', () => {
    const e = new ApiError(422, 'VALIDATION_FAILED', 'Overlaps…', { reason: 'GEOMETRY_INVALID', errors: [overlap], warnings: [] });
    expect(issuesFromError(e)).toEqual({ errors: [overlap], warnings: [] });
    expect(issuesFromError(new ApiError(409, 'CONFLICT', 'stale', { reason: 'STALE_ROW_VERSION' }))).toBeNull();
    expect(issuesFromError(new Error('x'))).toBeNull();
  });

  it('a live check of a bow-tie points at the crossing', () => {
    const bow: PlotGeometry = { type: 'Polygon', coordinates: [[[113, 23], [113.001, 23.001], [113.001, 23], [113, 23.001], [113, 23]]] };
    const [first] = displayIssues(validatePlotGeometry(bow).errors, [], 'live', 'en');
    expect(first!.code).toBe('SELF_INTERSECTION');
    expect(first!.where![0]).toBeCloseTo(113.0005, 9);
    expect(first!.where![1]).toBeCloseTo(23.0005, 9);
  });
});
