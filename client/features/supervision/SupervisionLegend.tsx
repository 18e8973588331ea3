import { useId } from 'react';
import { PLOT_MIN_ZOOM } from '../../../shared/domain.ts';
import type { EvaluationList } from '../../api/index.ts';
import { useT } from '../../i18n/useT.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { useErrorText } from '../../ui/useErrorText.ts';
import type { ApiState } from '../../ui/useApi.ts';
import { useViewStore } from '../../stores/view.ts';
import { setGradeYear, setMode, useSupervisionStore } from './store.ts';
import { LAYER_MODES, legendRows, type LayerMode } from './supervisionLayer.ts';

function rowLabel(mode: LayerMode, key: string, t: (k: MessageKey, v?: Record<string, string | number>) => string): string {
  if (key === 'none') return t(mode === 'stage' ? 'sv.layer.onTrack' : 'sv.layer.noGrade');
  if (mode === 'stage') return t(`sv.stage.${key}` as MessageKey);
  if (mode === 'grade') return t('sv.layer.gradeLabel', { grade: key });
  return t(`status.${key}` as MessageKey);
}

/**
 * The supervision layer's legend: a switch between idle stage, 亩均 grade and plot status, the
 * year for grades, and what each colour means (the same palette as the layer).
 */
export function SupervisionLegend({ evaluation }: { evaluation: ApiState<EvaluationList> | null }) {
  const { t } = useT();
  const errorText = useErrorText();
  const id = useId();
  const mode = useSupervisionStore((s) => s.mode);
  const year = useSupervisionStore((s) => s.gradeYear);
  const zoom = useViewStore((s) => s.zoom);
  const thresholds = evaluation?.data?.thresholds;
  return (
    <section className="legend legend--open sv-legend" aria-labelledby={`${id}-title`} data-testid="supervision-legend" data-mode={mode}>
      <div className="legend-body">
        <h3 id={`${id}-title`}>{t('sv.layer.label')}</h3>
        <div className="sv-modes" role="radiogroup" aria-labelledby={`${id}-title`}>
          {LAYER_MODES.map((m) => (
            <label key={m} className="sv-mode">
              <input type="radio" name={`${id}-mode`} value={m} checked={mode === m} onChange={() => setMode(m)} data-testid={`layer-${m}`} />
              {t(`sv.layer.${m}`)}
            </label>
          ))}
        </div>
        {mode === 'grade' && (
          <label className="sv-year">
            {t('sv.layer.year')}
            <input type="number" min={2000} max={2100} value={year} onChange={(e) => Number.isInteger(e.target.valueAsNumber) && setGradeYear(e.target.valueAsNumber)} data-testid="grade-year" />
          </label>
        )}
        <ul data-testid="legend-rows">
          {legendRows(mode).map((r) => (
            <li key={r.key} data-key={r.key}>
              <span className="swatch" style={{ background: r.color }} aria-hidden="true" />
              {rowLabel(mode, r.key, t)}
            </li>
          ))}
        </ul>
        {mode === 'grade' && thresholds?.sample && <p className="legend-hint">{t('sv.layer.sampleThresholds')}</p>}
        {mode === 'grade' && evaluation?.error && (
          <p className="legend-hint" role="alert">{t('sv.layer.gradeError', { message: errorText(evaluation.error) })}</p>
        )}
        {zoom < PLOT_MIN_ZOOM && <p className="legend-hint">{t('sv.layer.zoomHint', { zoom: PLOT_MIN_ZOOM })}</p>}
      </div>
    </section>
  );
}
