/**
 * Location maps for printed sheets, drawn offline from the parcels (./locationMap.ts): a plot with
 * its neighbours (GET /api/plots?bbox=…, public fields only), or a park's boundary with its plots
 * (GET /api/parks/:id, GET /api/plots?parkId=…). North arrow and scale bar; no tiles.
 */
import type { PlotStatus } from '../../../shared/domain.ts';
import { api } from '../../api/index.ts';
import { useT } from '../../i18n/useT.ts';
import { STATUS_COLORS } from '../../map/palette.ts';
import { useApi } from '../../ui/useApi.ts';
import { formatNumber } from '../../ui/format.ts';
import { buildLocationMap, searchBox, type AreaGeometry, type LocationMapModel, type MapShape } from './locationMap.ts';
import './locate.css';

/** Neighbours drawn around a plot, at most. */
const NEIGHBOUR_LIMIT = 300;

export function LocationMapSvg({ model, title, testId }: { model: LocationMapModel; title: string; testId?: string }) {
  const { t, locale } = useT();
  const { width, height, scale } = model;
  const km = scale.metres >= 1000;
  return (
    <svg className="locmap" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title} data-testid={testId} xmlns="http://www.w3.org/2000/svg">
      <title>{title}</title>
      <rect x="0" y="0" width={width} height={height} className="locmap-bg" />
      {model.shapes.map((s) => (
        <path
          key={`${s.role}-${s.key}`}
          d={s.d}
          fillRule="evenodd"
          className={`locmap-${s.role}`}
          style={s.role !== 'boundary' && s.tone ? { fill: STATUS_COLORS[s.tone as PlotStatus] } : undefined}
          data-role={s.role}
        />
      ))}
      {model.shapes
        .filter((s) => s.label && s.labelAt)
        .map((s) => (
          <text key={`l-${s.key}`} x={s.labelAt![0]} y={s.labelAt![1]} className={`locmap-label locmap-label--${s.role}`} textAnchor="middle" dominantBaseline="middle">
            {s.label}
          </text>
        ))}
      <g transform={`translate(${width - 26} 14)`} className="locmap-north" aria-hidden="true">
        <path d="M0 0 L7 20 L0 15 L-7 20 Z" />
        <text x="0" y="32" textAnchor="middle">
          {t('locate.north')}
        </text>
      </g>
      <g transform={`translate(12 ${height - 14})`} className="locmap-scale">
        <path d={`M0 -5 V0 H${scale.px} V-5`} fill="none" />
        <text x={scale.px + 6} y="0">
          {km ? `${formatNumber(scale.metres / 1000, locale)} ${t('locate.km')}` : `${formatNumber(scale.metres, locale)} ${t('unit.m')}`}
        </text>
      </g>
      <text x={width - 8} y={height - 6} className="locmap-crs" textAnchor="end">
        CGCS2000 / EPSG:4547
      </text>
    </svg>
  );
}

/** A plot and the parcels around it. */
export function PlotLocationMap({ code, geometry }: { code: string; geometry: AreaGeometry }) {
  const { t } = useT();
  const box = searchBox(geometry, 1.2);
  const around = useApi(`locmap-plot:${code}:${box.join(',')}`, (signal) => api.plots({ bbox: box, limit: NEIGHBOUR_LIMIT }, signal));
  const shapes: MapShape[] = [
    ...(around.data?.features ?? [])
      .filter((f) => f.properties.code !== code)
      .map((f): MapShape => ({ key: String(f.properties.id), geometry: f.geometry as AreaGeometry, role: 'neighbour', tone: f.properties.status })),
    { key: code, geometry, role: 'focus', label: code },
  ];
  const model = buildLocationMap(shapes, { width: 480, height: 300, margin: 0.9 });
  return (
    <figure className="locmap-figure" data-testid="plot-location-map">
      {model && <LocationMapSvg model={model} title={t('locate.plotMapTitle', { code })} testId="location-map-svg" />}
      <figcaption className="muted small">
        {around.loading ? t('app.loading') : t('locate.plotMapCaption')}
      </figcaption>
    </figure>
  );
}

/** A park's boundary and its plots (by status). */
export function ParkLocationMap({ parkId, name }: { parkId: number; name: string }) {
  const { t } = useT();
  const park = useApi(`locmap-park:${parkId}`, (signal) => api.park(parkId, signal));
  const plots = useApi(`locmap-park-plots:${parkId}`, (signal) => api.plots({ parkId, limit: 5000 }, signal));
  if (!park.data) return null;
  const shapes: MapShape[] = [
    { key: `park-${parkId}`, geometry: park.data.geometry as AreaGeometry, role: 'boundary' },
    ...(plots.data?.features ?? []).map((f): MapShape => ({ key: String(f.properties.id), geometry: f.geometry as AreaGeometry, role: 'neighbour', tone: f.properties.status })),
  ];
  const model = buildLocationMap(shapes, { width: 480, height: 260, margin: 0.08 });
  return (
    <figure className="locmap-figure" data-testid="park-location-map">
      {model && <LocationMapSvg model={model} title={t('locate.parkMapTitle', { name })} testId="location-map-svg" />}
      <figcaption className="muted small">{t('locate.parkMapCaption')}</figcaption>
    </figure>
  );
}
