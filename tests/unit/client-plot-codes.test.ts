/**
 * The editor's plot form and the 宗地代码 / 控规地块编号 / 用地用海 code fields (issue #18 §2): read from
 * a version's attributes, checked with the shared validator, sent upper-cased, cleared with null,
 * and the 2023 code sent only when chosen (empty = the land use's default, the server's choice).
 */
import { describe, expect, it } from 'vitest';
import { createPlotBody, emptyPlotForm, patchPlotBody, plotFormFrom, plotFormProblems, type PlotForm } from '../../client/features/editor/plotPayload.ts';

const square: GeoJSON.Polygon = { type: 'Polygon', coordinates: [[[113, 23], [113.001, 23], [113.001, 23.001], [113, 23.001], [113, 23]]] };
const filled = (over: Partial<PlotForm> = {}): PlotForm => ({ ...emptyPlotForm(), code: 'P06-0046', landUse: 'M1', landLevel: '4', ...over });

describe('plot form codes', () => {
  it('flags a malformed 宗地代码 and a 2023 code of another class; accepts lower case', () => {
    expect(plotFormProblems(filled({ parcelCode: '440112001002GB0001' }), { areaOptional: true })).toEqual({ parcelCode: 'parcelCode' });
    expect(plotFormProblems(filled({ parcelCode: '440112001002gb00015' }), { areaOptional: true })).toEqual({});
    expect(plotFormProblems(filled({ landUseCode: '100102' }), { areaOptional: true })).toEqual({ landUseCode: 'landUseCode' });
    expect(plotFormProblems(filled({ landUseCode: '1001' }), { areaOptional: true })).toEqual({});
  });

  it('create sends the codes given, upper-cased and trimmed; nothing when empty', () => {
    const body = createPlotBody(filled({ parcelCode: ' 440112001002gb00015 ', zoningPlotCode: ' AH0402016 ', landUseCode: '1001' }), 6, square, 100);
    expect(body).toMatchObject({ parcelCode: '440112001002GB00015', zoningPlotCode: 'AH0402016', landUseCode: '1001' });
    const plain = createPlotBody(filled(), 6, square, 100);
    expect(plain).not.toHaveProperty('parcelCode');
    expect(plain).not.toHaveProperty('zoningPlotCode');
    expect(plain).not.toHaveProperty('landUseCode');
  });

  it('PATCH sends only the changed codes; clearing the 宗地代码 sends null', () => {
    const original = plotFormFrom({ code: 'P06-0001', landUse: 'M1', landLevel: 4, parcelCode: '440112006001GB00001', zoningPlotCode: 'KG06-01-01', landUseCode: '100101' }, 1000);
    expect(original).toMatchObject({ parcelCode: '440112006001GB00001', zoningPlotCode: 'KG06-01-01', landUseCode: '100101' });
    expect(patchPlotBody(original, { ...original }, '5')).toBeNull();
    expect(patchPlotBody(original, { ...original, parcelCode: '' }, '5')).toEqual({ expectedRowVersion: '5', parcelCode: null });
    expect(patchPlotBody(original, { ...original, landUseCode: '1001', zoningPlotCode: 'X-1' }, '5')).toEqual({ expectedRowVersion: '5', landUseCode: '1001', zoningPlotCode: 'X-1' });
    // A land use change with the code left to the default sends the land use only.
    expect(patchPlotBody(original, { ...original, landUse: 'M2', landUseCode: '' }, '5')).toEqual({ expectedRowVersion: '5', landUse: 'M2' });
  });
});
