/**
 * The search filters: sector, district, park, area in 亩, land use, the highest minimum price per
 * m², supply modes. Every control is labelled; changes apply at once (the search debounces).
 */
import { useId, useState, type ReactNode } from 'react';
import { LAND_USES, SECTORS, type LandUse, type Sector } from '../../../shared/domain.ts';
import { SUPPLY_MODES, type SupplyMode } from '../../../shared/supply-modes.ts';
import { api, type Districts, type Parks } from '../../api/index.ts';
import { useApi } from '../../ui/useApi.ts';
import { localName } from '../../i18n/index.ts';
import { useT } from '../../i18n/useT.ts';
import { resetFilters, setFilters, useInvestSearchStore } from './store.ts';
import { PROJECT_FIGURES } from './searchState.ts';
import { POLLUTION_CATEGORIES, type PollutionCategory } from '../../../shared/policy/standard-land.ts';
import type { MessageKey } from '../../i18n/zh.ts';

const PROJECT_LABELS: Record<(typeof PROJECT_FIGURES)[number]['key'], MessageKey> = {
  projectInvestmentIntensity: 'conditions.project.investmentIntensity',
  projectPlotRatio: 'conditions.project.plotRatio',
  projectOutputPerMu: 'conditions.project.outputPerMu',
  projectTaxPerMu: 'conditions.project.taxPerMu',
  projectEnergyPer10k: 'conditions.project.energyPer10k',
};

function toggle<T>(list: readonly T[], value: T, on: boolean): T[] {
  return on ? [...new Set([...list, value])] : list.filter((x) => x !== value);
}

/** A number input that writes a non-negative number or null (empty / invalid). */
function NumberField({ label, value, onChange, hint, step = 'any', decimals = 2, testId }: { label: string; value: number | null; onChange: (v: number | null) => void; hint?: string; step?: string; decimals?: number; testId?: string }) {
  const id = useId();
  const hintId = useId();
  const [text, setText] = useState(value === null ? '' : String(value));
  const [seen, setSeen] = useState(value);
  if (seen !== value) {
    // Changed from outside (reset, back/forward): show it.
    setSeen(value);
    setText(value === null ? '' : String(value));
  }
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        inputMode="decimal"
        min={0}
        step={step}
        value={text}
        aria-describedby={hint ? hintId : undefined}
        data-testid={testId}
        onChange={(e) => {
          setText(e.target.value);
          const n = e.target.value.trim() === '' ? null : Number(e.target.value);
          const k = 10 ** decimals;
          const next = n !== null && Number.isFinite(n) && n >= 0 ? Math.round(n * k) / k : null;
          setSeen(next);
          onChange(next);
        }}
      />
      {hint && (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      )}
    </div>
  );
}

function Fieldset({ legend, children }: { legend: string; children: ReactNode }) {
  return (
    <fieldset className="field checks">
      <legend>{legend}</legend>
      {children}
    </fieldset>
  );
}

export function SearchFiltersForm() {
  const { t, locale } = useT();
  const f = useInvestSearchStore((s) => s.filters);
  const districts = useApi<Districts>('districts', (signal) => api.districts(signal));
  const parks = useApi<Parks>('parks', (signal) => api.parks(signal));
  const ids = { sector: useId(), district: useId(), park: useId(), pollution: useId() };
  const parkOptions = (parks.data?.features ?? [])
    .map((p) => p.properties)
    .filter((p) => (!f.sector || p.sectors.includes(f.sector)) && (!f.districtCode || p.districtCode === f.districtCode));

  return (
    <form className="filters" aria-label={t('invest.filters')} onSubmit={(e) => e.preventDefault()} data-testid="invest-filters">
      <div className="field">
        <label htmlFor={ids.sector}>{t('invest.sector')}</label>
        <select id={ids.sector} value={f.sector ?? ''} onChange={(e) => setFilters({ sector: (e.target.value || null) as Sector | null, parkId: null })} data-testid="filter-sector">
          <option value="">{t('invest.any')}</option>
          {SECTORS.map((s) => (
            <option key={s} value={s}>
              {t(`sector.${s}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={ids.district}>{t('invest.district')}</label>
        <select id={ids.district} value={f.districtCode ?? ''} onChange={(e) => setFilters({ districtCode: e.target.value || null, parkId: null })}>
          <option value="">{t('invest.any')}</option>
          {(districts.data?.features ?? []).map((d) => (
            <option key={d.properties.code} value={d.properties.code}>
              {localName(locale, d.properties)}
            </option>
          ))}
        </select>
      </div>
      <div className="field field--wide">
        <label htmlFor={ids.park}>{t('invest.park')}</label>
        <select id={ids.park} value={f.parkId ?? ''} onChange={(e) => setFilters({ parkId: e.target.value ? Number(e.target.value) : null })}>
          <option value="">{t('invest.any')}</option>
          {parkOptions.map((p) => (
            <option key={p.id} value={p.id}>
              {localName(locale, p)}
            </option>
          ))}
        </select>
      </div>
      <NumberField label={t('invest.minArea')} value={f.minAreaMu} onChange={(v) => setFilters({ minAreaMu: v })} />
      <NumberField label={t('invest.maxArea')} value={f.maxAreaMu} onChange={(v) => setFilters({ maxAreaMu: v })} />
      <div className="field--wide">
        <NumberField label={t('invest.maxFloor')} hint={t('invest.maxFloorHint')} value={f.maxFloorYuanPerM2} onChange={(v) => setFilters({ maxFloorYuanPerM2: v })} step="10" />
      </div>
      <Fieldset legend={t('invest.landUse')}>
        {LAND_USES.map((lu: LandUse) => (
          <label key={lu} className="check">
            <input type="checkbox" checked={f.landUse.includes(lu)} onChange={(e) => setFilters({ landUse: toggle(f.landUse, lu, e.target.checked) })} />
            {t(`landUse.${lu}`)}
          </label>
        ))}
      </Fieldset>
      <Fieldset legend={t('invest.supplyModes')}>
        {SUPPLY_MODES.map((m: SupplyMode) => (
          <label key={m} className="check">
            <input type="checkbox" checked={f.supplyModes.includes(m)} onChange={(e) => setFilters({ supplyModes: toggle(f.supplyModes, m, e.target.checked) })} />
            {t(`supplyMode.${m}`)}
          </label>
        ))}
      </Fieldset>
      <fieldset className="field field--wide checks" data-testid="filter-project">
        <legend>{t('conditions.project.title')}</legend>
        <p className="field-hint">{t('conditions.project.hint')}</p>
        {PROJECT_FIGURES.map((fig) => (
          <NumberField
            key={fig.key}
            label={t(PROJECT_LABELS[fig.key])}
            value={f[fig.key]}
            onChange={(v) => setFilters({ [fig.key]: v })}
            decimals={fig.decimals}
            testId={`filter-${fig.key}`}
          />
        ))}
        <div className="field">
          <label htmlFor={ids.pollution}>{t('conditions.project.pollutionCategory')}</label>
          <select
            id={ids.pollution}
            value={f.projectPollutionCategory ?? ''}
            onChange={(e) => setFilters({ projectPollutionCategory: (e.target.value || null) as PollutionCategory | null })}
            data-testid="filter-projectPollutionCategory"
          >
            <option value="">{t('invest.any')}</option>
            {POLLUTION_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {t(`conditions.category.${c}`)}
              </option>
            ))}
          </select>
        </div>
      </fieldset>
      <div className="filters-actions">
        <button type="button" className="button button--ghost" onClick={resetFilters}>
          {t('invest.reset')}
        </button>
      </div>
    </form>
  );
}
