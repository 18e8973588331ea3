import { useState } from 'react';
import { PLOT_MIN_ZOOM, LIVE_PLOT_STATUSES, SECTORS } from '../../../shared/domain.ts';
import { useT } from '../../i18n/useT.ts';
import { SECTOR_COLORS, STATUS_COLORS } from '../../map/palette.ts';
import { useViewStore } from '../../stores/view.ts';

const narrow = () => typeof window !== 'undefined' && window.matchMedia('(max-width: 640px)').matches;

/** What the colours mean: parks by sector (stripes for a second sector), plots by status. */
export function Legend() {
  const { t } = useT();
  const [open, setOpen] = useState(() => !narrow());
  const zoom = useViewStore((s) => s.zoom);
  const plotsVisible = zoom >= PLOT_MIN_ZOOM;

  return (
    <section className={`legend ${open ? 'legend--open' : ''}`} aria-labelledby="legend-title">
      <button type="button" className="legend-toggle" aria-expanded={open} aria-controls="legend-body" onClick={() => setOpen((o) => !o)}>
        <span id="legend-title">{t('legend.title')}</span>
        <span className="visually-hidden">{open ? t('legend.hide') : t('legend.show')}</span>
        <svg className="chevron" viewBox="0 0 12 12" aria-hidden="true"><path d="M3 4.5 6 7.5 9 4.5" /></svg>
      </button>
      <div id="legend-body" className="legend-body" hidden={!open}>
        <h3>{t('legend.parks')}</h3>
        <ul>
          {SECTORS.map((s) => (
            <li key={s}>
              <span className="swatch swatch--park" style={{ background: SECTOR_COLORS[s], borderColor: SECTOR_COLORS[s] }} />
              {t(`sector.${s}`)}
            </li>
          ))}
          <li>
            <span
              className="swatch swatch--park"
              style={{
                background: `repeating-linear-gradient(-45deg, ${SECTOR_COLORS.ai} 0 2.5px, ${SECTOR_COLORS.ngit} 2.5px 6px)`,
                borderColor: SECTOR_COLORS.ngit,
              }}
            />
            {t('legend.mixed')}
          </li>
          <li>
            <span className="swatch swatch--dashed" />
            {t('park.indicative')}
          </li>
        </ul>
        <h3>{t('legend.plots')}</h3>
        <ul className={plotsVisible ? '' : 'legend-dim'}>
          {LIVE_PLOT_STATUSES.map((s) => (
            <li key={s}>
              <span className="swatch" style={{ background: STATUS_COLORS[s] }} />
              {t(`status.${s}`)}
            </li>
          ))}
        </ul>
        {!plotsVisible && <p className="legend-hint">{t('legend.plotsHint', { zoom: PLOT_MIN_ZOOM })}</p>}
      </div>
    </section>
  );
}
