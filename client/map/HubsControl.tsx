/**
 * The hubs layer's switch on a map, with its legend (colour per kind, "示意位置") while it is on,
 * and the card of a hub picked on the map (name, kind, source, and that the location is
 * indicative). Screens keep whether it is on: off by default on the city map and the investor
 * search, on for siting.
 */
import { useId, useState, type ReactNode } from 'react';
import { HUB_KINDS, type HubFeature } from '../../shared/contract/siting.ts';
import { localName } from '../i18n/index.ts';
import { useT } from '../i18n/useT.ts';
import { HUB_COLORS } from './hubsLayer.ts';
import './hubs.css';

const narrow = () => typeof window !== 'undefined' && window.matchMedia('(max-width: 720px)').matches;

export function HubsControl({ on, onChange, picked, onClosePicked, children }: { on: boolean; onChange: (on: boolean) => void; picked?: HubFeature | null; onClosePicked?: () => void; children?: ReactNode }) {
  const { t, locale } = useT();
  const legendId = useId();
  // The legend starts folded on a phone, where the map is small.
  const [legendOpen, setLegendOpen] = useState(() => !narrow());
  const hub = on ? picked?.properties : undefined;
  return (
    <div className="hubs-control" data-testid="hubs-control">
      <div className="hubs-buttons">
        <button type="button" className={`hubs-toggle${on ? ' is-on' : ''}`} aria-pressed={on} title={t('siting.hubs.indicative')} onClick={() => onChange(!on)} data-testid="hubs-toggle">
          <svg viewBox="0 0 16 16" aria-hidden="true">
            <circle cx="8" cy="8" r="5" />
          </svg>
          {t('siting.hubs.toggle')}
        </button>
        {on && (
          <button type="button" className="hubs-toggle hubs-legend-toggle" aria-expanded={legendOpen} aria-controls={legendId} onClick={() => setLegendOpen((o) => !o)}>
            {t('legend.title')}
          </button>
        )}
        {children /* more layer switches of the screen, e.g. the generated zones */}
      </div>
      {on && legendOpen && (
        <div id={legendId} className="hubs-legend" data-testid="hubs-legend">
          <ul>
            {HUB_KINDS.map((k) => (
              <li key={k}>
                <span className="hubs-swatch" style={{ background: HUB_COLORS[k] }} aria-hidden="true" />
                {t(`siting.hub.${k}`)}
              </li>
            ))}
          </ul>
          <p className="hubs-note">{t('siting.hubs.indicative')}</p>
        </div>
      )}
      {hub && (
        <div className="hubs-card" role="status" data-testid="hub-card">
          <button type="button" className="link-button hubs-card-close" aria-label={t('common.close')} onClick={onClosePicked}>
            ×
          </button>
          <p className="hubs-card-name">
            <span className="hubs-swatch" style={{ background: HUB_COLORS[hub.kind] }} aria-hidden="true" />
            {localName(locale, hub)}
          </p>
          <p>
            {t(`siting.hub.${hub.kind}`)} · {t('siting.hubs.indicativeShort')}
          </p>
          <p className="hubs-card-source">{t('siting.hubs.source', { source: hub.source })}</p>
        </div>
      )}
    </div>
  );
}
