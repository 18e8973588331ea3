/**
 * A small inline SVG map of one plot in its park, for the printed brief: the park's boundary
 * (dashed), the park's other plots in grey, the plot filled and ringed, a scale bar and north.
 * Pure drawing (no map library, no tiles): it prints the same everywhere.
 */
import type { AreaGeometry } from '../../api/index.ts';
import { RESULT_COLOR } from '../invest/investLayers.ts';

type Ring = [number, number][];

function rings(g: AreaGeometry): Ring[] {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  return polys.flatMap((p) => p.map((r) => r as Ring));
}

function bounds(rs: Ring[]): [number, number, number, number] {
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  for (const r of rs) for (const [x, y] of r) {
    w = Math.min(w, x); e = Math.max(e, x); s = Math.min(s, y); n = Math.max(n, y);
  }
  return [w, s, e, n];
}

const M_PER_DEG = 111_320;
const SCALES = [50, 100, 200, 500, 1000, 2000, 5000, 10_000];

export interface MiniMapProps {
  plot: AreaGeometry;
  park: AreaGeometry | null;
  others: AreaGeometry[];
  label: string;
  width?: number;
  height?: number;
}

export function PlotMiniMap({ plot, park, others, label, width = 160, height = 120 }: MiniMapProps) {
  const plotRings = rings(plot);
  // Frame the park (context), or around the plot when there is no park shape; never tighter than ~600 m.
  const frame = bounds(park ? [...rings(park), ...plotRings] : plotRings);
  const midLat = (frame[1] + frame[3]) / 2;
  const kx = Math.cos((midLat * Math.PI) / 180);
  const minSpan = 600 / M_PER_DEG;
  const cx = (frame[0] + frame[2]) / 2, cy = (frame[1] + frame[3]) / 2;
  const spanX = Math.max((frame[2] - frame[0]) * kx, minSpan), spanY = Math.max(frame[3] - frame[1], minSpan);
  const pad = 8;
  const scale = Math.min((width - 2 * pad) / spanX, (height - 2 * pad) / spanY); // px per degree of latitude
  const px = ([x, y]: [number, number]): [number, number] => [width / 2 + (x - cx) * kx * scale, height / 2 - (y - cy) * scale];
  const path = (g: AreaGeometry) => rings(g).map((r) => `M${r.map((p) => px(p).map((v) => v.toFixed(1)).join(',')).join('L')}Z`).join('');
  const pb = bounds(plotRings);
  const [x0, y1] = px([pb[0], pb[1]]);
  const [x1, y0] = px([pb[2], pb[3]]);
  const ring = Math.max(7, Math.hypot(x1 - x0, y1 - y0) / 2 + 4);
  // A scale bar of a round length about a quarter of the width.
  const mPerPx = M_PER_DEG / scale;
  const barM = SCALES.reduce((best, s) => (s / mPerPx <= width * 0.3 ? s : best), SCALES[0]!);
  const barPx = barM / mPerPx;
  return (
    <svg className="siting-minimap" viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-label={label} data-testid="brief-minimap">
      <rect x="0" y="0" width={width} height={height} fill="#f4f6f9" />
      {others.map((g, i) => (
        <path key={i} d={path(g)} fill="#d5dbe3" stroke="#ffffff" strokeWidth="0.6" />
      ))}
      {park && <path d={path(park)} fill="none" stroke="#5b6878" strokeWidth="1" strokeDasharray="3 2" />}
      <path d={path(plot)} fill={RESULT_COLOR} fillOpacity="0.85" stroke="#0b4f4b" strokeWidth="1.2" />
      <circle cx={(x0 + x1) / 2} cy={(y0 + y1) / 2} r={ring} fill="none" stroke="#f25c05" strokeWidth="1.4" />
      <g transform={`translate(${pad}, ${height - pad})`}>
        <line x1="0" y1="0" x2={barPx} y2="0" stroke="#1f2d3d" strokeWidth="1.5" />
        <text x={barPx + 3} y="3" fontSize="8" fill="#1f2d3d">
          {barM >= 1000 ? `${barM / 1000} km` : `${barM} m`}
        </text>
      </g>
      <g transform={`translate(${width - pad - 4}, ${pad + 2})`}>
        <path d="M0 8 L4 -2 L8 8 L4 5 Z" fill="#1f2d3d" />
        <text x="4" y="17" fontSize="7" textAnchor="middle" fill="#1f2d3d">
          N
        </text>
      </g>
    </svg>
  );
}
