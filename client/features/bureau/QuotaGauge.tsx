/**
 * The year's quota as a bar (五(三)11): approved for IAB projects, approved for others, the plot
 * being considered (when given), the unused IAB reserve and the rest — plain CSS, with the
 * figures beside it in words (亩 first, m² too) and the whole as an ARIA meter for screen readers.
 */
import { formatM2, formatMu, formatNumber } from '../../ui/format.ts';
import { useT } from '../../i18n/useT.ts';
import { gaugeParts, usedShare, type GaugePartKey, type QuotaNumbers } from './headroom.ts';

const PART_CLASS: Record<GaugePartKey, string> = {
  iabApproved: 'bu-gauge-part--iab',
  otherApproved: 'bu-gauge-part--other',
  pending: 'bu-gauge-part--pending',
  over: 'bu-gauge-part--over',
  reserve: 'bu-gauge-part--reserve',
  free: 'bu-gauge-part--free',
};

export function QuotaGauge({
  quota,
  pending,
  compact = false,
  testId,
}: {
  quota: QuotaNumbers & { year: number };
  pending?: { areaM2: number; iab: boolean } | null;
  compact?: boolean;
  testId?: string;
}) {
  const { t, locale } = useT();
  const parts = gaugeParts(quota, pending);
  const used = usedShare(quota);
  const mu = (m2: number) => formatMu(m2, locale);
  const valueText = t('allocations.gauge.valueText', {
    year: quota.year,
    approved: mu(quota.approvedM2),
    quota: mu(quota.quotaM2),
    pct: formatNumber(used * 100, locale, 1),
  });
  return (
    <div className={`bu-gauge${compact ? ' bu-gauge--compact' : ''}`} data-testid={testId}>
      <div
        className="bu-gauge-bar"
        role="meter"
        aria-label={t('allocations.gauge.label', { year: quota.year })}
        aria-valuemin={0}
        aria-valuemax={Number(quota.quotaM2.toFixed(2))}
        aria-valuenow={Number(quota.approvedM2.toFixed(2))}
        aria-valuetext={valueText}
        title={valueText}
      >
        {parts.map((p) => (
          <span key={p.key} className={`bu-gauge-part ${PART_CLASS[p.key]}`} style={{ width: `${(p.share * 100).toFixed(3)}%` }} data-part={p.key} />
        ))}
      </div>
      {!compact && (
        <ul className="bu-gauge-legend">
          {parts.map((p) => (
            <li key={p.key} data-part={p.key}>
              <span className={`bu-swatch ${PART_CLASS[p.key]}`} aria-hidden="true" />
              <span className="bu-gauge-legend-label">{t(`allocations.gauge.part.${p.key}`)}</span>
              <span className="bu-gauge-legend-value">
                {mu(p.m2)} <span className="muted small">{formatM2(p.m2, locale)}</span>
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
