/**
 * `/tools/floor` — the price floor (五(三)14) from figures, computed live in the browser by
 * `priceFloor` from shared/policy/price-floor.ts: the same function the server quotes and
 * checks allocations with, so this preview and the server agree to the fen. The policy
 * parameters (IAB share of B, capitalization rate for K(n)) come from the reference data in
 * force (`GET /api/reference`); B and N can be filled in from it by district and land level.
 */
import { useId, useState } from 'react';
import { useSearch } from 'wouter';
import { DEFAULT_PARAMETERS, PARAMETER_SOURCES, type FloorBinding, type PolicyParameterKey } from '../../../shared/policy/index.ts';

/** The parameters the floor computation takes from the reference data. */
const FLOOR_PARAMETERS: readonly PolicyParameterKey[] = ['iabFloorFactorBp', 'nonIabFloorFactorBp', 'capitalizationRateBp', 'statutoryMaxTermYears'];
import { formatMoney } from '../../../shared/units.ts';
import { formatScaled } from '../../../shared/money.ts';
import { floorApi } from '../../api/index.ts';
import {
  floorFormFromSearch,
  floorFromForm,
  parametersFromReference,
  referenceFigures,
  type FloorFormValues,
} from './floorForm.ts';
import { InputField } from '../../ui/Field.tsx';
import { useApi } from '../../ui/useApi.ts';
import { useDistrictNames } from '../../ui/useDistrictNames.ts';
import { formatDate, formatNumber } from '../../ui/format.ts';
import { localName } from '../../i18n/index.ts';
import { useT } from '../../i18n/useT.ts';
import type { MessageKey } from '../../i18n/zh.ts';
import './floor.css';

const BINDING_KEYS: Record<FloorBinding, MessageKey> = {
  benchmark: 'floor.binding.benchmark',
  cost: 'floor.binding.cost',
  national_minimum: 'floor.binding.national_minimum',
  provincial_minimum: 'floor.binding.provincial_minimum',
};

export default function FloorToolPage() {
  const { t, locale } = useT();
  const search = useSearch();
  const [v, setV] = useState<FloorFormValues>(() => floorFormFromSearch(search));
  const ref = useApi('reference', (signal) => floorApi.reference(signal));
  const districts = useDistrictNames();
  const params = ref.data ? parametersFromReference(ref.data.parameters) : DEFAULT_PARAMETERS;
  // The parameters this floor uses that nobody has confirmed yet (a national rule or a bureau
  // assumption, POLICY.md "Where each parameter comes from"): named with a visible mark.
  const unverified = (ref.data?.parameters ?? [])
    .filter((p) => FLOOR_PARAMETERS.includes(p.key as PolicyParameterKey) && !p.verified)
    .map((p) => (locale === 'en' ? PARAMETER_SOURCES[p.key as PolicyParameterKey].labelEn : PARAMETER_SOURCES[p.key as PolicyParameterKey].labelZh));
  const result = floorFromForm(v, params);
  const [fill, setFill] = useState({ district: '', level: '' });
  const [fillNote, setFillNote] = useState<string | null>(null);
  const ids = { iab: useId(), district: useId(), level: useId() };

  const refDistricts = ref.data ? [...new Set(ref.data.benchmark.map((r) => r.districtCode))].sort() : [];
  const levels = ref.data && fill.district ? ref.data.benchmark.filter((r) => r.districtCode === fill.district).map((r) => r.landLevel).sort((a, b) => a - b) : [];
  const applyFill = () => {
    if (!ref.data || !fill.district || !fill.level) return;
    const f = referenceFigures(ref.data, fill.district, Number(fill.level));
    if (!f) return setFillNote(t('tool.fillMissing'));
    setV({ ...v, benchmark: String(f.benchmark), nationalMin: String(f.nationalMin), provincialMin: f.provincialMin === null ? '' : String(f.provincialMin) });
    const notes = [
      t('tool.filled', { b: formatNumber(f.benchmark, locale, 2), grade: f.grade, n: formatNumber(f.nationalMin, locale, 2) }),
      f.benchmarkSample ? t('floor.flag.benchmarkSample') : null,
      f.gradeAssumption ? t('floor.flag.gradeAssumption') : null,
      f.nationalMinimumVerified ? null : t('floor.flag.nationalMinUnverified'),
      f.provincialMin === null ? `${t('floor.component.provincial_minimum')}: ${t('floor.provincialAbsent')}` : f.provincialMinimumVerified ? null : t('floor.flag.provincialUnverified'),
    ].filter(Boolean);
    setFillNote(notes.join(' · '));
  };

  const money = (fen: bigint) => formatMoney(fen, locale);
  const field = (key: keyof FloorFormValues) => (e: { target: { value: string } }) => setV({ ...v, [key]: e.target.value });
  const pct = formatNumber((v.iab ? params.iabFloorFactorBp : params.nonIabFloorFactorBp) / 100, locale, 2);

  return (
    <div className="page" data-testid="floor-tool">
      <div className="page-inner">
        <header className="page-header">
          <div>
            <p className="eyebrow">{t('tool.eyebrow')}</p>
            <h1>{t('floor.toolTitle')}</h1>
            <p className="muted">{t('tool.lead')}</p>
          </div>
        </header>
        <div className="two-col two-col--tool">
          <section className="card">
            <h2 className="card-title">{t('tool.figures')}</h2>
            <form className="form" onSubmit={(e) => e.preventDefault()} noValidate>
              <InputField label={t('tool.area')} inputMode="decimal" value={v.area} onChange={field('area')} placeholder="20000" data-testid="tool-area" />
              <InputField label={t('tool.benchmark')} inputMode="decimal" value={v.benchmark} onChange={field('benchmark')} placeholder="820" data-testid="tool-b" />
              <InputField label={t('tool.cost')} inputMode="decimal" value={v.cost} onChange={field('cost')} hint={t('tool.costHint')} data-testid="tool-c" />
              <InputField label={t('tool.nationalMin')} inputMode="decimal" value={v.nationalMin} onChange={field('nationalMin')} placeholder="600" data-testid="tool-n" />
              <InputField label={t('tool.provincialMin')} inputMode="decimal" value={v.provincialMin} onChange={field('provincialMin')} hint={t('tool.provincialMinHint')} data-testid="tool-p" />
              <InputField label={t('tool.term')} inputMode="numeric" value={v.term} onChange={field('term')} hint={t('tool.termHint', { max: params.statutoryMaxTermYears })} data-testid="tool-term" />
              <label className="check">
                <input id={ids.iab} type="checkbox" checked={v.iab} onChange={(e) => setV({ ...v, iab: e.target.checked })} data-testid="tool-iab" />
                {t('tool.iab')}
              </label>
            </form>

            {ref.data && (
              <details className="fill">
                <summary>{t('tool.fillTitle')}</summary>
                <div className="fill-row">
                  <div className="field field--inline">
                    <label htmlFor={ids.district}>{t('users.district')}</label>
                    <select id={ids.district} value={fill.district} onChange={(e) => setFill({ district: e.target.value, level: '' })}>
                      <option value="">{t('users.chooseDistrict')}</option>
                      {refDistricts.map((code) => {
                        const d = districts?.get(code);
                        return (
                          <option key={code} value={code}>
                            {d ? localName(locale, d) : code}
                          </option>
                        );
                      })}
                    </select>
                  </div>
                  <div className="field field--inline field--narrow">
                    <label htmlFor={ids.level}>{t('tool.landLevel')}</label>
                    <select id={ids.level} value={fill.level} onChange={(e) => setFill({ ...fill, level: e.target.value })} disabled={!fill.district}>
                      <option value="">—</option>
                      {levels.map((l) => (
                        <option key={l} value={l}>
                          {t('value.level', { level: l })}
                        </option>
                      ))}
                    </select>
                  </div>
                  <button type="button" className="button button--secondary" onClick={applyFill} disabled={!fill.district || !fill.level}>
                    {t('tool.fill')}
                  </button>
                </div>
                {fillNote && <p className="field-hint" role="status">{fillNote}</p>}
              </details>
            )}
          </section>

          <section className="card" aria-live="polite" data-testid="tool-result">
            <h2 className="card-title">{t('tool.result')}</h2>
            {result.state === 'incomplete' && <p className="muted">{t('tool.incomplete')}</p>}
            {result.state === 'invalid' && (
              <p className="form-error" role="alert" data-testid="tool-invalid">
                {locale === 'en' ? result.failure.messageEn : result.failure.messageZh}
              </p>
            )}
            {result.state === 'ok' && (
              <>
                <div className="tool-figure">
                  <p className="tool-total" data-testid="tool-total">{money(result.floor.floorFen)}</p>
                  <p className="muted">
                    {t('floor.perM2', { value: formatScaled(result.floor.floorFenPerM2, 2) })} ·{' '}
                    {t('tool.bindingIs')} <span className="tag tag--binding" data-testid="tool-binding">{t(BINDING_KEYS[result.floor.binding])}</span>
                  </p>
                </div>
                {!result.floor.costRecorded && (
                  <p className="floor-caveat" role="note" data-testid="tool-cost-not-recorded">
                    {t('tool.costNotRecorded')}
                  </p>
                )}
                <table className="floor-table floor-table--tool">
                  <caption className="visually-hidden">{t('tool.components')}</caption>
                  <tbody>
                    {(
                      [
                        ['benchmark', t('floor.component.benchmark', { pct }), result.floor.components.benchmarkFen],
                        ['cost', t('floor.component.cost'), result.floor.components.costFen],
                        ['national_minimum', t('floor.component.national_minimum'), result.floor.components.nationalMinimumFen],
                        ['provincial_minimum', t('floor.component.provincial_minimum'), result.floor.components.provincialMinimumFen],
                      ] as const
                    ).map(([key, label, fen]) => (
                      <tr key={key} className={result.floor.binding === key ? 'is-binding-row' : undefined}>
                        <th scope="row">{label}</th>
                        <td className={`num${result.floor.binding === key ? ' is-binding' : ''}`} data-testid={`tool-${key}`}>
                          {fen !== null ? money(fen) : <span className="muted">{t(key === 'cost' ? 'floor.costNotRecorded' : 'floor.provincialAbsent')}</span>}
                        </td>
                      </tr>
                    ))}
                    <tr>
                      <th scope="row">{t('floor.termFactor')}</th>
                      <td className="num" data-testid="tool-k">
                        {result.floor.termFactor.toFixed(6)}
                      </td>
                    </tr>
                  </tbody>
                </table>
                <p className="formula muted">
                  {t('tool.formula', { pct, n: result.floor.termYears })}
                </p>
              </>
            )}
            <p className="field-hint tool-params">
              {ref.data
                ? t('tool.paramsAsOf', { date: formatDate(ref.data.asOf, locale), rate: formatNumber(params.capitalizationRateBp / 100, locale, 2) })
                : ref.error
                  ? t('tool.paramsDefault')
                  : t('app.loading')}
              {unverified.length > 0 && (
                <>
                  {' '}
                  <span className="tag tag--warn" data-testid="tool-unverified">{t('tool.unverified')}</span>{' '}
                  {unverified.join(locale === 'en' ? ', ' : '、')}
                </>
              )}
            </p>
            <p className="field-hint">{t('tool.sameFunction')}</p>
          </section>
        </div>
      </div>
    </div>
  );
}
