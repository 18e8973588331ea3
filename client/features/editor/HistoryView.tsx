/**
 * A plot's history (`GET /api/plots/:id/history`): every version with its date, who, the
 * operation and reason, the surveyed and geometric areas; choosing one shows its boundary on
 * the map. Lineage: the plots it was split or merged from, and the plots made from it.
 */
import type { LineageItem, PlotHistory } from '../../api/index.ts';
import { formatDate, formatM2, formatMu } from '../../ui/format.ts';
import { Table } from '../../ui/Table.tsx';
import { useT } from '../../i18n/useT.ts';

const OPERATIONS = ['initial', 'create', 'edit', 'import', 'split', 'merge'] as const;

export function HistoryView({
  history,
  shownVersion,
  onShowVersion,
  onOpenPlot,
  plotHref,
}: {
  history: PlotHistory;
  shownVersion: number | null;
  onShowVersion: (version: number | null) => void;
  onOpenPlot: (plotId: number) => void;
  plotHref: (plotId: number) => string;
}) {
  const { t, locale } = useT();
  const op = (o: string) => ((OPERATIONS as readonly string[]).includes(o) ? t(`editor.op.${o as (typeof OPERATIONS)[number]}`) : o);
  const versions = [...history.versions].reverse();
  const lineage = (items: LineageItem[], label: string, testId: string) =>
    items.length > 0 && (
      <div className="ed-lineage" data-testid={testId}>
        <h4>{label}</h4>
        <ul className="inline-list">
          {items.map((i) => (
            <li key={i.plotId}>
              <a
                href={plotHref(i.plotId)}
                onClick={(e) => {
                  e.preventDefault();
                  onOpenPlot(i.plotId);
                }}
              >
                {i.code}
              </a>{' '}
              <span className="muted small">
                {t(`status.${i.status}`)} · {op(i.operation)} · {formatDate(i.at, locale)}
              </span>
            </li>
          ))}
        </ul>
      </div>
    );
  return (
    <div className="ed-history">
      {lineage(history.parents, t('editor.history.parents'), 'lineage-parents')}
      {lineage(history.children, t('editor.history.children'), 'lineage-children')}
      <Table
        className="data-table
        ed-history-table"
        data-testid="history-table"
        caption={<caption className="visually-hidden">{t('editor.history.caption', { code: history.code })}</caption>}
        columns={[
          t('editor.history.version'),
          t('editor.history.when'),
          { label: t('editor.history.area'), num: true },
          { label: t('editor.history.show'), hidden: true },
        ]}
      >
        {versions.map((v) => {
          const shown = shownVersion === v.version;
          return (
            <tr key={v.version} className={shown ? 'is-shown' : undefined} data-testid="history-row">
              <td>
                <strong>v{v.version}</strong> {op(v.operation)}
                {v.validTo === null && <span className="tag tag--ok">{t('editor.history.current')}</span>}
                {v.reason && <div className="muted small">{v.reason}</div>}
              </td>
              <td>
                {formatDate(v.validFrom, locale, true)}
                <div className="muted small">{v.changedBy ?? t('editor.history.system')}</div>
              </td>
              <td className="num">
                <span className="nowrap">{formatMu(v.areaM2, locale)}</span>
                <div className="muted small nowrap">{formatM2(v.areaM2, locale)}</div>
                {v.geometryAreaM2 !== null && <div className="muted small nowrap">{t('editor.history.geomArea', { m2: formatM2(v.geometryAreaM2, locale) })}</div>}
              </td>
              <td>
                <button
                  type="button"
                  className="button button--secondary button--small"
                  aria-pressed={shown}
                  aria-label={t(shown ? 'editor.history.hideVersion' : 'editor.history.showVersion', { version: v.version })}
                  onClick={() => onShowVersion(shown ? null : v.version)}
                  data-testid="history-show"
                >
                  {shown ? t('editor.history.hide') : t('editor.history.showOnMap')}
                </button>
              </td>
            </tr>
          );
        })}
      </Table>
    </div>
  );
}
