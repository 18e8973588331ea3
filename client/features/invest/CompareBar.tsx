import { Link } from 'wouter';
import { useT } from '../../i18n/useT.ts';
import { clearCompare, compareHref, removeFromCompare, useCompareStore } from './compareStore.ts';

/** The plots chosen for comparison, with a link to compare them (shown once one is chosen). */
export function CompareBar() {
  const { t } = useT();
  const codes = useCompareStore((s) => s.codes);
  if (codes.length === 0) return null;
  return (
    <div className="compare-bar" role="region" aria-label={t('compare.title')} data-testid="compare-bar">
      <span className="compare-count">{t('invest.compareBar', { n: codes.length })}</span>
      <ul className="compare-codes">
        {codes.map((c) => (
          <li key={c}>
            <button type="button" className="chip chip--outline chip--button" onClick={() => removeFromCompare(c)} aria-label={t('compare.remove', { code: c })}>
              {c} <span aria-hidden="true">×</span>
            </button>
          </li>
        ))}
      </ul>
      <Link href={compareHref(codes)} className="button button--small">
        {t('invest.compareGo')}
      </Link>
      <button type="button" className="link-button" onClick={clearCompare}>
        {t('invest.compareClear')}
      </button>
    </div>
  );
}
