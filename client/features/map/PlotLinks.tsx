/**
 * The public plot panel's way onward: the plot sheet, registering interest (the sheet's interest
 * form, only while the plot is available) and comparing it with the plots already chosen.
 */
import { Link } from 'wouter';
import type { PlotStatus } from '../../../shared/domain.ts';
import { useT } from '../../i18n/useT.ts';
import { compareHref, compareWith, setCompare, useCompareStore } from '../invest/compareStore.ts';

export function PlotLinks({ code, status }: { code: string; status: PlotStatus }) {
  const { t } = useT();
  const chosen = useCompareStore((s) => s.codes);
  const codes = compareWith(chosen, code);
  const sheet = `/plots/${encodeURIComponent(code)}`;
  return (
    <nav className="panel-links" aria-label={t('panelLinks.label')} data-testid="plot-links">
      <Link href={sheet} className="button button--small" data-testid="plot-link-sheet">
        {t('panelLinks.sheet')}
      </Link>
      {status === 'available' && (
        <Link href={`${sheet}#sheet-interest`} className="button button--small button--secondary" data-testid="plot-link-interest">
          {t('panelLinks.interest')}
        </Link>
      )}
      <Link href={compareHref(codes)} className="button button--small button--ghost" onClick={() => setCompare(codes)} data-testid="plot-link-compare">
        {codes.length > 1 ? t('panelLinks.compareN', { n: codes.length }) : t('panelLinks.compare')}
      </Link>
    </nav>
  );
}
