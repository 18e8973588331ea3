/**
 * 标准地 conditions in the client: the editor's field group (form ↔ API, checked by the shared
 * policy as the server checks them) and the investor search's "my project's figures" in the URL.
 */
import { describe, expect, it } from 'vitest';
import {
  conditionsFormFrom, conditionsFormProblems, createConditions, emptyConditionsForm, patchConditions,
} from '../../client/features/conditions/conditionsForm.ts';
import { createPlotBody, emptyPlotForm, patchPlotBody, plotFormFrom, plotFormProblems } from '../../client/features/editor/plotPayload.ts';
import { DEFAULT_FILTERS, activeFilterCount, formatSearchUrl, parseSearchUrl, toSearchParams } from '../../client/features/invest/searchState.ts';

const square: GeoJSON.Polygon = { type: 'Polygon', coordinates: [[[113, 23], [113.001, 23], [113.001, 23.001], [113, 23.001], [113, 23]]] };

describe('the editor conditions group', () => {
  it('reads a plot’s conditions (missing or null = empty) and sends only what is filled in on a new plot', () => {
    const form = conditionsFormFrom({ plotRatioMin: 1.2, pollutionCategory: 'class_2', notes: null });
    expect(form).toMatchObject({ plotRatioMin: '1.2', pollutionCategory: 'class_2', notes: '', startWithinMonths: '' });
    expect(conditionsFormFrom(undefined)).toEqual(emptyConditionsForm());
    expect(createConditions(emptyConditionsForm())).toBeUndefined();
    expect(createConditions({ ...emptyConditionsForm(), plotRatioMax: ' 3.5 ', startWithinMonths: '6', notes: ' 二类准入 ' })).toEqual({ plotRatioMax: 3.5, startWithinMonths: 6, notes: '二类准入' });
  });

  it('names each bad field as the shared policy reads it', () => {
    const f = { ...emptyConditionsForm(), plotRatioMin: '3', plotRatioMax: '2', taxPerMuYuanMin: '-1', startWithinMonths: '1.5', energyTcePer10kYuanMax: 'abc' };
    expect(conditionsFormProblems(f)).toEqual({ plotRatioMax: 'minAboveMax', taxPerMuYuanMin: 'range', startWithinMonths: 'integer', energyTcePer10kYuanMax: 'number' });
    expect(conditionsFormProblems({ ...emptyConditionsForm(), outputPerMuYuanMin: '1.234' })).toEqual({ outputPerMuYuanMin: 'decimals' });
    expect(conditionsFormProblems({ ...emptyConditionsForm(), startWithinMonths: '121' })).toEqual({ startWithinMonths: 'range' });
    // …and the plot form refuses to save with them, under `conditions.<field>`.
    const plot = { ...emptyPlotForm(), code: 'P06-1', landUse: 'M1' as const, landLevel: '3', conditions: { ...emptyConditionsForm(), plotRatioMax: '0' } };
    expect(plotFormProblems(plot, { areaOptional: true })).toEqual({ 'conditions.plotRatioMax': 'range' });
  });

  it('sends only the changed conditions on an edit; a field emptied is sent as null (cleared)', () => {
    const original = plotFormFrom({ code: 'P06-0001', landUse: 'M1', landLevel: 4, conditions: { plotRatioMin: 1.2, taxPerMuYuanMin: 100000, notes: '原备注' } }, 1000);
    expect(patchPlotBody(original, original, '5')).toBeNull();
    const changed = { ...original, conditions: { ...original.conditions, taxPerMuYuanMin: '120000', notes: '', startWithinMonths: '12' } };
    expect(patchPlotBody(original, changed, '5')).toEqual({ expectedRowVersion: '5', conditions: { taxPerMuYuanMin: 120000, notes: null, startWithinMonths: 12 } });
    expect(patchConditions(original.conditions, emptyConditionsForm())).toEqual({ plotRatioMin: null, taxPerMuYuanMin: null, notes: null });
    const created = createPlotBody({ ...emptyPlotForm(), code: 'P06-9', landUse: 'M1', landLevel: '3', conditions: { ...emptyConditionsForm(), pollutionCategory: 'class_1' } }, 6, square, 100);
    expect(created.conditions).toEqual({ pollutionCategory: 'class_1' });
  });
});

describe('the investor search: my project’s figures', () => {
  it('round-trips the figures through the URL and into the API parameters', () => {
    const f = { ...DEFAULT_FILTERS, projectPlotRatio: 2.5, projectTaxPerMu: 150000, projectEnergyPer10k: 0.1234, projectPollutionCategory: 'class_2' as const };
    const url = formatSearchUrl(f);
    expect(url).toContain('pRatio=2.5');
    expect(url).toContain('pEnergy=0.1234');
    expect(parseSearchUrl(url)).toEqual(f);
    expect(toSearchParams(f, null)).toMatchObject({ projectPlotRatio: 2.5, projectTaxPerMu: 150000, projectEnergyPer10k: 0.1234, projectPollutionCategory: 'class_2', projectOutputPerMu: undefined });
    expect(activeFilterCount(f)).toBe(4);
  });

  it('reads malformed figures as not set', () => {
    const f = parseSearchUrl('?pRatio=-1&pTax=abc&pEnergy=0.123456&pPollution=class_9&pInvest=4500');
    expect(f).toMatchObject({ projectPlotRatio: null, projectTaxPerMu: null, projectEnergyPer10k: null, projectPollutionCategory: null, projectInvestmentIntensity: 4500 });
  });
});
