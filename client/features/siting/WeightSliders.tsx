/**
 * One slider per criterion (0–100, relative: the weights are normalised to sum to 1), showing the
 * weights in use; moving one re-ranks at once (the page recomputes the scores of the plots in
 * hand) and asks the server again after a pause. "恢复默认" returns to the sector's defaults.
 */
import { useId, useState } from 'react';
import { SITING_CRITERIA, type SitingCriterion, type SitingWeights } from '../../../shared/policy/siting-weights.ts';
import { useT } from '../../i18n/useT.ts';
import { formatNumber } from '../../ui/format.ts';
import { criterionLabel } from './SitingResultCard.tsx';

const narrow = () => typeof window !== 'undefined' && window.matchMedia('(max-width: 720px)').matches;

export function WeightSliders({ values, normalised, source, onChange, onReset }: { values: SitingWeights; normalised: SitingWeights; source: 'given' | 'sector_default'; onChange: (c: SitingCriterion, v: number) => void; onReset: () => void }) {
  const { t, locale } = useT();
  const base = useId();
  // Folded at first on a phone, so the results come sooner.
  const [open, setOpen] = useState(() => !narrow());
  return (
    <section className="siting-weights" aria-labelledby={`${base}-title`} data-testid="weight-sliders">
      <div className="siting-weights-head">
        <h2 id={`${base}-title`}>{t('siting.weights.title')}</h2>
        <span className="muted small">{source === 'sector_default' ? t('siting.weights.defaults') : t('siting.weights.given')}</span>
        <button type="button" className="link-button" onClick={onReset} disabled={source === 'sector_default'} data-testid="weights-reset">
          {t('siting.weights.reset')}
        </button>
        <button type="button" className="link-button" aria-expanded={open} aria-controls={`${base}-list`} onClick={() => setOpen((o) => !o)} data-testid="weights-toggle">
          {open ? t('siting.weights.fold') : t('siting.weights.unfold')}
        </button>
      </div>
      <ul id={`${base}-list`} className="siting-weights-list" hidden={!open}>
        {SITING_CRITERIA.map((c) => (
          <li key={c}>
            <label htmlFor={`${base}-${c}`}>{criterionLabel(c, locale)}</label>
            <input
              id={`${base}-${c}`}
              type="range"
              min={0}
              max={100}
              step={5}
              value={values[c]}
              aria-valuetext={t('siting.weights.valueText', { pct: formatNumber(normalised[c] * 100, locale, 0) })}
              onChange={(e) => onChange(c, Number(e.target.value))}
              data-testid={`weight-${c}`}
            />
            <output htmlFor={`${base}-${c}`}>{formatNumber(normalised[c] * 100, locale, 0)}%</output>
          </li>
        ))}
      </ul>
      {open && <p className="field-hint">{t('siting.weights.hint')}</p>}
    </section>
  );
}
