import { useEffect } from 'react';
import { useT } from '../../i18n/useT.ts';
import { clearSelection, useSelectionStore } from '../../stores/selection.ts';
import { ParkDetails } from './ParkDetails.tsx';
import { PlotDetails } from './PlotDetails.tsx';

/**
 * Details of the selected park or plot: a side panel on wide screens, a bottom sheet on narrow
 * ones. Escape or the close button closes it (clears the selection).
 */
export function SidePanel() {
  const { t } = useT();
  const selection = useSelectionStore((s) => s.selection);
  const open = selection !== null;

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !e.defaultPrevented) clearSelection();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [open]);

  if (!selection) return null;
  return (
    <aside className="panel" aria-label={t('panel.label')} data-testid="side-panel">
      <button type="button" className="panel-close icon-button" aria-label={t('panel.close')} title={t('panel.close')} onClick={clearSelection}>
        <svg viewBox="0 0 20 20" aria-hidden="true"><path d="M5 5l10 10M15 5 5 15" /></svg>
      </button>
      {selection.kind === 'park' ? (
        <ParkDetails key={`park-${selection.id}`} id={selection.id} />
      ) : (
        <PlotDetails key={`plot-${selection.id}`} id={selection.id} />
      )}
    </aside>
  );
}
