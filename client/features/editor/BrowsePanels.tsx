/**
 * The panels of the `browse` tool: the park's plot counts with "draw a new plot", several plots
 * chosen (merge), one plot (actions by status, details and history tabs), and the plot list.
 */
import type { LandUse, PlotStatus } from '../../../shared/domain.ts';
import type { PlotHistory, PlotProps, PlotVersion } from '../../api/index.ts';
import { Fact, Facts } from '../../ui/PanelParts.tsx';
import { formatM2, formatMu, formatNumber } from '../../ui/format.ts';
import { useErrorText } from '../../ui/useErrorText.ts';
import { useT } from '../../i18n/useT.ts';
import { STATUS_COLORS } from '../../map/palette.ts';
import type { EditorState } from './editorMachine.ts';
import { HistoryView } from './HistoryView.tsx';

export function ParkSummary({ plots, canDraw, noneSelected, onDraw }: { plots: readonly PlotProps[]; canDraw: boolean; noneSelected: boolean; onDraw: () => void }) {
  const { t, locale } = useT();
  const counts = plots.reduce<Record<string, number>>((c, p) => ({ ...c, [p.status]: (c[p.status] ?? 0) + 1 }), {});
  return (
    <section className="ed-section ed-summary" aria-label={t('editor.parkPlots')}>
      <p className="small">
        {t('editor.parkSummary', { n: formatNumber(plots.length, locale, 0) })}{' '}
        {(['available', 'held', 'allocated', 'withdrawn'] as const).map((s) =>
          counts[s] ? (
            <span key={s} className="chip chip--outline ed-chip">
              <span className="dot" style={{ background: STATUS_COLORS[s] }} aria-hidden="true" />
              {t(`status.${s}`)} {counts[s]}
            </span>
          ) : null,
        )}
      </p>
      <div className="ed-actions">
        <button type="button" className="button" onClick={onDraw} disabled={!canDraw} data-testid="draw-plot">
          {t('editor.action.draw')}
        </button>
      </div>
      {noneSelected && <p className="muted small">{t('editor.selectHint')}</p>}
    </section>
  );
}

export function MultiSelectionPanel({ codes, onMerge, onClear }: { codes: { id: number; code: string }[]; onMerge: () => void; onClear: () => void }) {
  const { t } = useT();
  return (
    <section className="ed-section" data-testid="multi-selection">
      <h2 className="ed-h">{t('editor.multi.title', { n: codes.length })}</h2>
      <ul className="inline-list">
        {codes.map((c) => (
          <li key={c.id}>{c.code}</li>
        ))}
      </ul>
      <div className="ed-actions">
        <button type="button" className="button" onClick={onMerge} data-testid="merge-start">
          {t('editor.action.merge')}
        </button>
        <button type="button" className="button button--ghost" onClick={onClear}>{t('editor.multi.clear')}</button>
      </div>
    </section>
  );
}

export interface PlotPanelProps {
  title: string;
  status: PlotStatus | null;
  sample: boolean;
  history: { data: PlotHistory | null; error: unknown; loading: boolean };
  currentVersion: PlotVersion | null;
  tab: EditorState['tab'];
  shownVersion: number | null;
  canDraw: boolean;
  plotHref: (plotId: number) => string;
  onClose: () => void;
  onEdit: () => void;
  onSplit: () => void;
  onDialog: (dialog: 'delete' | 'withdraw') => void;
  onTab: (tab: EditorState['tab']) => void;
  onShowVersion: (version: number | null) => void;
  onOpenPlot: (plotId: number) => void;
}

export function PlotPanel(p: PlotPanelProps) {
  const { t, locale } = useT();
  const errorText = useErrorText();
  const { status, tab } = p;
  const h = p.history.data;
  const v = p.currentVersion;
  return (
    <section className="ed-section" aria-labelledby="ed-plot-title" data-testid="plot-panel">
      <div className="ed-plot-head">
        <h2 id="ed-plot-title" className="ed-h">{p.title}</h2>
        {status && (
          <span className="tag ed-status" data-status={status}>
            <span className="dot" style={{ background: STATUS_COLORS[status] }} aria-hidden="true" />
            {t(`status.${status}`)}
          </span>
        )}
        {p.sample && <span className="tag tag--sample">{t('sample.badge')}</span>}
        <button type="button" className="icon-button ed-close" aria-label={t('editor.closePlot')} title={t('editor.closePlot')} onClick={p.onClose}>
          <svg viewBox="0 0 20 20" aria-hidden="true"><path d="M5 5l10 10M15 5 5 15" /></svg>
        </button>
      </div>
      {!!p.history.error && <p className="form-error" role="alert">{errorText(p.history.error)}</p>}
      {p.history.loading && !h && <p role="status" className="muted">{t('app.loading')}</p>}
      {h && (
        <>
          <div className="ed-actions ed-plot-actions">
            {status !== 'withdrawn' && (
              <button type="button" className="button" onClick={p.onEdit} disabled={!p.canDraw} data-testid="edit-plot">{t('editor.action.edit')}</button>
            )}
            {status === 'available' && (
              <button type="button" className="button button--secondary" onClick={p.onSplit} disabled={!p.canDraw} data-testid="split-plot">{t('editor.action.split')}</button>
            )}
            {status === 'available' && h.parents.length === 0 && h.children.length === 0 && (
              <button type="button" className="button button--danger-outline" onClick={() => p.onDialog('delete')} data-testid="delete-plot">{t('editor.action.delete')}</button>
            )}
            {status === 'available' && (
              <button type="button" className="button button--danger-outline" onClick={() => p.onDialog('withdraw')} data-testid="withdraw-plot">{t('editor.action.withdraw')}</button>
            )}
          </div>
          {status === 'held' && <p className="muted small">{t('editor.heldNote')}</p>}
          {status === 'allocated' && <p className="muted small">{t('editor.allocatedNote')}</p>}
          {status === 'withdrawn' && <p className="muted small">{t('editor.withdrawnNote')}</p>}
          <div className="tabs ed-tabs" role="tablist" aria-label={t('editor.tabs')}>
            <button type="button" role="tab" className="tab" aria-selected={tab === 'details'} aria-current={tab === 'details' ? 'page' : undefined} onClick={() => p.onTab('details')}>
              {t('editor.tab.details')}
            </button>
            <button type="button" role="tab" className="tab" aria-selected={tab === 'history'} aria-current={tab === 'history' ? 'page' : undefined} onClick={() => p.onTab('history')} data-testid="history-tab">
              {t('editor.tab.history', { n: h.versions.length })}
            </button>
          </div>
          {tab === 'details' && v && (
            <Facts>
              <Fact label={t('plot.area')}>
                {formatMu(v.areaM2, locale)} <span className="muted small">{formatM2(v.areaM2, locale)}</span>
              </Fact>
              {v.geometryAreaM2 !== null && <Fact label={t('editor.geometricAreaLabel')}>{formatM2(v.geometryAreaM2, locale)}</Fact>}
              <Fact label={t('plot.landUse')}>{v.attributes.landUse ? t(`landUse.${v.attributes.landUse as LandUse}`) : null}</Fact>
              <Fact label={t('editor.field.landLevel')}>{v.attributes.landLevel != null ? t('value.level', { level: String(v.attributes.landLevel) }) : null}</Fact>
              <Fact label={t('plot.location')}>{String(v.attributes.location ?? '')}</Fact>
              <Fact label={t('editor.history.version')}>v{v.version}</Fact>
            </Facts>
          )}
          {tab === 'history' && <HistoryView history={h} shownVersion={p.shownVersion} onShowVersion={p.onShowVersion} onOpenPlot={p.onOpenPlot} plotHref={p.plotHref} />}
        </>
      )}
    </section>
  );
}

export interface PlotListProps {
  plots: readonly PlotProps[];
  loading: boolean;
  loaded: boolean;
  selected: readonly number[];
  filter: string;
  showWithdrawn: boolean;
  onFilter: (filter: string) => void;
  onShowWithdrawn: (show: boolean) => void;
  onToggle: (id: number) => void;
  onOpen: (id: number) => void;
}

export function PlotList(p: PlotListProps) {
  const { t, locale } = useT();
  const needle = p.filter.trim().toLowerCase();
  const listed = p.plots
    .filter((x) => p.showWithdrawn || x.status !== 'withdrawn')
    .filter((x) => !needle || x.code.toLowerCase().includes(needle))
    .sort((a, b) => a.code.localeCompare(b.code));
  return (
    <section className="ed-section" aria-labelledby="ed-list-title">
      <h2 id="ed-list-title" className="ed-h ed-h--small">{t('editor.list.title')}</h2>
      <div className="ed-list-tools">
        <label className="visually-hidden" htmlFor="ed-list-filter">{t('editor.list.filter')}</label>
        <input id="ed-list-filter" type="search" value={p.filter} placeholder={t('editor.list.filter')} onChange={(e) => p.onFilter(e.target.value)} />
        <label className="check check--inline">
          <input type="checkbox" checked={p.showWithdrawn} onChange={(e) => p.onShowWithdrawn(e.target.checked)} />
          {t('editor.showWithdrawn')}
        </label>
      </div>
      {p.loading && !p.loaded && <p role="status" className="muted">{t('app.loading')}</p>}
      {p.loaded && listed.length === 0 && <p className="muted">{t('editor.list.empty')}</p>}
      <ul className="ed-plot-list" data-testid="plot-list">
        {listed.map((x) => {
          const isSel = p.selected.includes(x.id);
          return (
            <li key={x.id} className={isSel ? 'is-selected' : undefined} data-code={x.code}>
              <input type="checkbox" checked={isSel} onChange={() => p.onToggle(x.id)} aria-label={t('editor.list.toggle', { code: x.code })} />
              <button type="button" className="ed-plot-row" onClick={() => p.onOpen(x.id)} aria-pressed={isSel}>
                <span className="dot" style={{ background: STATUS_COLORS[x.status] }} aria-hidden="true" />
                <span className="strong">{x.code}</span>
                <span className="muted small">{t(`status.${x.status}`)}</span>
                <span className="ed-plot-area">{formatMu(x.areaM2, locale)}</span>
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** Over the map: undo/redo while shaping or drawing, the snapping switch, the status legend. */
export function MapTools({ undoRedo, canUndo, canRedo, snapOn, onSnap, onUndoRedo }: { undoRedo: boolean; canUndo: boolean; canRedo: boolean; snapOn: boolean; onSnap: (on: boolean) => void; onUndoRedo: (which: 'undo' | 'redo') => void }) {
  const { t } = useT();
  return (
    <>
      <div className="ed-toolbar" role="toolbar" aria-label={t('editor.toolbar')}>
        {undoRedo && (
          <>
            <button type="button" className="icon-button" onClick={() => onUndoRedo('undo')} disabled={!canUndo} aria-label={t('editor.undo')} title={t('editor.undo')} data-testid="undo">
              <svg viewBox="0 0 20 20" aria-hidden="true"><path d="M7 5 3 9l4 4M3 9h9a5 5 0 0 1 0 10h-2" /></svg>
            </button>
            <button type="button" className="icon-button" onClick={() => onUndoRedo('redo')} disabled={!canRedo} aria-label={t('editor.redo')} title={t('editor.redo')} data-testid="redo">
              <svg viewBox="0 0 20 20" aria-hidden="true"><path d="m13 5 4 4-4 4M17 9H8a5 5 0 0 0 0 10h2" /></svg>
            </button>
          </>
        )}
        <label className="check check--inline ed-snap" title={t('editor.snapHint')}>
          <input type="checkbox" checked={snapOn} onChange={(e) => onSnap(e.target.checked)} data-testid="snap-toggle" />
          {t('editor.snap')}
        </label>
      </div>
      <div className="ed-legend map-key" aria-hidden="true">
        {(['available', 'held', 'allocated'] as const).map((s) => (
          <span key={s}>
            <span className="dot" style={{ background: STATUS_COLORS[s] }} />
            {t(`status.${s}`)}
          </span>
        ))}
      </div>
    </>
  );
}
