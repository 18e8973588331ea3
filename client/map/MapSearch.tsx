/**
 * The search box of every map: plot code, 宗地代码, 坐落 text or park name, answered by the
 * server's own database (GET /api/map/search; no outside geocoder). Picking a hit flies this map
 * to it and selects it, as a click on the map would.
 */
import { useEffect, useRef, useState } from 'react';
import type { BBox } from '../../shared/domain.ts';
import { mapApi, type MapSearchHit, type MapSearchResult } from '../api/index.ts';
import { localName } from '../i18n/index.ts';
import { useT } from '../i18n/useT.ts';
import { useLocaleStore } from '../stores/locale.ts';
import { select } from '../stores/selection.ts';
import { useDismiss } from '../ui/useDismiss.ts';
import type { MaplibreMap } from './maplibre.ts';
import { fitPadding } from './useCameraSync.ts';

const LIMIT = 8;

type State = { q: string; result: MapSearchResult | null; failed: boolean };

export function MapSearch({ map }: { map: MaplibreMap }) {
  const { t } = useT();
  const locale = useLocaleStore((s) => s.locale);
  const box = useRef<HTMLDivElement>(null);
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [state, setState] = useState<State>({ q: '', result: null, failed: false });
  useDismiss(open, box, () => setOpen(false));

  const q = text.trim();
  useEffect(() => {
    if (q === '') return;
    const ctrl = new AbortController();
    const timer = setTimeout(() => {
      mapApi.search(q, LIMIT, ctrl.signal).then(
        (result) => setState({ q, result, failed: false }),
        () => {
          if (!ctrl.signal.aborted) setState({ q, result: null, failed: true });
        },
      );
    }, 200);
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
  }, [q]);

  const current = state.q === q && q !== '' ? state : null;
  const hits: MapSearchHit[] = current?.result ? [...current.result.parks, ...current.result.plots] : [];

  const pick = (hit: MapSearchHit) => {
    select({ kind: hit.kind, id: hit.id });
    // On the map itself: not every map view syncs its camera with the view store (the editor's doesn't).
    map.fitBounds(hit.bbox as BBox, { padding: fitPadding(map), maxZoom: hit.kind === 'plot' ? 17 : 14, duration: 700 });
    setOpen(false);
  };

  const label = (hit: MapSearchHit) =>
    hit.kind === 'park' ? localName(locale, hit) : hit.code;
  const detail = (hit: MapSearchHit) =>
    hit.kind === 'park'
      ? `${t('mapSearch.park')} · ${localName(locale, { nameZh: hit.districtNameZh, nameEn: hit.districtNameEn })}`
      : [hit.parcelCode, hit.location, localName(locale, { nameZh: hit.parkNameZh, nameEn: hit.parkNameEn }), hit.status === 'retired' ? t('status.retired') : null]
          .filter(Boolean)
          .join(' · ');

  return (
    <div className="map-search" ref={box} role="search">
      <input
        type="search"
        className="map-search__input"
        value={text}
        placeholder={t('mapSearch.placeholder')}
        aria-label={t('mapSearch.label')}
        data-testid="map-search"
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && hits[0]) {
            e.preventDefault();
            pick(hits[0]);
          }
        }}
      />
      {open && q !== '' && (
        <div className="map-search__results" aria-live="polite">
          {!current && <p className="map-search__note">{t('mapSearch.searching')}</p>}
          {current?.failed && <p className="map-search__note">{t('mapSearch.failed')}</p>}
          {current?.result && hits.length === 0 && <p className="map-search__note">{t('mapSearch.none')}</p>}
          {hits.length > 0 && (
            <ul>
              {hits.map((hit) => (
                <li key={`${hit.kind}-${hit.id}`}>
                  <button type="button" className="map-search__hit" data-testid="map-search-hit" onClick={() => pick(hit)}>
                    <span className="map-search__name">{label(hit)}</span>
                    <span className="map-search__detail">{detail(hit)}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
