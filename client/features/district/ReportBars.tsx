/**
 * The park report's small charts as plain HTML bars (they print exactly, need no chart runtime
 * and read as text): land by status, the subsidy against the cap, the lead-sector share against
 * its target. Each bar is an image labelled with the figures it draws; the figures are also
 * printed beside it.
 */
import type { DashboardPark } from '../../api/index.ts';
import { Money } from '../../ui/Money.tsx';
import { formatYuanIn, moneyScale } from '../../ui/money.ts';
import { useT } from '../../i18n/useT.ts';
import { STATUS_COLORS } from '../../map/palette.ts';
import { SHARE_COLORS, SUBSIDY_COLORS } from './charts.ts';
import { capUsed, muText, shareText } from './figures.ts';

export function ReportBars({ park: p }: { park: DashboardPark }) {
  const { t, locale } = useT();
  const mu = t('dashboard.unit.mu');
  const statuses = [
    { key: 'available', m2: p.availableAreaM2, n: p.plotCounts.available },
    { key: 'held', m2: p.heldAreaM2, n: p.plotCounts.held },
    { key: 'allocated', m2: p.allocatedAreaM2, n: p.plotCounts.allocated },
    { key: 'withdrawn', m2: p.withdrawnAreaM2, n: p.plotCounts.withdrawn },
  ] as const;
  const total = statuses.reduce((s, x) => s + x.m2, 0);
  const landLabel = statuses.map((s) => `${t(`status.${s.key}`)} ${muText(s.m2)} ${mu}`).join(locale === 'en' ? ', ' : '，');
  const used = capUsed(p.subsidy.capYuan, p.subsidy.grantedYuan);
  // Granted, headroom and cap in one unit (万元 or 亿元), exact 元 on hover.
  const scale = moneyScale([p.subsidy.capYuan, p.subsidy.grantedYuan, p.subsidy.remainingYuan], locale);
  const share = p.leadSectorShare.share;
  const target = p.leadSectorShare.target;

  return (
    <div className="report-bars">
      <div className="report-bar">
        <p className="report-bar-title">{t('dashboard.chart.land')}</p>
        <div className="rbar" role="img" aria-label={landLabel}>
          {total > 0 &&
            statuses.map((s) =>
              s.m2 > 0 ? <span key={s.key} style={{ width: `${(s.m2 / total) * 100}%`, background: STATUS_COLORS[s.key] }} /> : null,
            )}
        </div>
        <ul className="report-legend">
          {statuses.map((s) => (
            <li key={s.key}>
              <span className="rswatch" style={{ background: STATUS_COLORS[s.key] }} aria-hidden="true" />
              {t(`status.${s.key}`)} {muText(s.m2)} {mu} · {t('dashboard.plotsN', { n: s.n })}
            </li>
          ))}
        </ul>
      </div>
      <div className="report-bar">
        <p className="report-bar-title">{t('dashboard.chart.subsidy')}</p>
        <div
          className="rbar"
          role="img"
          aria-label={t('dashboard.report.subsidyBar', { granted: formatYuanIn(p.subsidy.grantedYuan, scale), cap: formatYuanIn(p.subsidy.capYuan, scale) })}
        >
          <span style={{ width: `${used * 100}%`, background: SUBSIDY_COLORS.granted }} />
          <span style={{ width: `${(1 - used) * 100}%`, background: SUBSIDY_COLORS.remaining }} />
        </div>
        <ul className="report-legend">
          <li>
            <span className="rswatch" style={{ background: SUBSIDY_COLORS.granted }} aria-hidden="true" />
            {t('dashboard.col.subsidyGranted')} <Money yuan={p.subsidy.grantedYuan} scale={scale} />
          </li>
          <li>
            <span className="rswatch" style={{ background: SUBSIDY_COLORS.remaining }} aria-hidden="true" />
            {t('dashboard.col.subsidyRemaining')} <Money yuan={p.subsidy.remainingYuan} scale={scale} />
          </li>
        </ul>
      </div>
      <div className="report-bar">
        <p className="report-bar-title">{t('dashboard.chart.lead', { pct: shareText(target) ?? '' })}</p>
        <div
          className="rbar rbar--target"
          role="img"
          aria-label={share === null ? t('dashboard.noAllocations') : t('dashboard.report.leadBar', { share: shareText(share) ?? '', target: shareText(target) ?? '' })}
        >
          {share !== null && (
            <span style={{ width: `${Math.min(1, share) * 100}%`, background: p.leadSectorShare.meetsTarget ? SHARE_COLORS.meets : SHARE_COLORS.below }} />
          )}
          <i className="rbar-target" style={{ left: `${target * 100}%` }} aria-hidden="true" />
        </div>
        <ul className="report-legend">
          <li>{share === null ? t('dashboard.noAllocations') : t('dashboard.report.leadLegend', { share: shareText(share) ?? '', lead: muText(p.leadSectorShare.leadSectorAreaM2), allocated: muText(p.leadSectorShare.allocatedAreaM2) })}</li>
        </ul>
      </div>
    </div>
  );
}
