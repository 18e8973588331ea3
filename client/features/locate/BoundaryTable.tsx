/** The 界址点成果表 of a plot (./boundaryPoints.ts): J1…Jn, X (northing), Y (easting), side lengths. */
import { useT } from '../../i18n/useT.ts';
import { boundaryPoints, formatCoord } from './boundaryPoints.ts';
import type { AreaGeometry } from './locationMap.ts';

export function BoundaryTable({ geometry }: { geometry: AreaGeometry }) {
  const { t } = useT();
  const rows = boundaryPoints(geometry);
  return (
    <table className="coord-table" data-testid="boundary-points">
      <caption>{t('locate.pointsCaption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('locate.pointNo')}</th>
          <th scope="col" className="num">{t('locate.x')}</th>
          <th scope="col" className="num">{t('locate.y')}</th>
          <th scope="col" className="num">{t('locate.side')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={i} className={r.closing ? 'coord-closing' : undefined} data-testid={r.closing ? undefined : 'boundary-point'}>
            <th scope="row">{r.no}</th>
            <td className="num mono">{formatCoord(r.x)}</td>
            <td className="num mono">{formatCoord(r.y)}</td>
            <td className="num mono">{r.side === null ? '' : r.side.toFixed(2)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
