/**
 * One ranked plot: its rank and score, a bar per criterion (label, weight, score), one line of
 * reasons, and "why?" opening every reason with the straight-line distances to the nearest hubs.
 * The price is the indicative minimum (public terms); the page's footer says the bureau sets the
 * final price. Hover and focus light the plot on the map; choosing the card selects and frames it.
 */
import { useId, useState } from 'react';
import { Link } from 'wouter';
import type { SitingItem } from '../../api/index.ts';
import { SITING_CRITERIA, SITING_CRITERION_LABELS } from '../../../shared/policy/siting-weights.ts';
import { localName, type Locale } from '../../i18n/index.ts';
import { useT } from '../../i18n/useT.ts';
import { formatNumber } from '../../ui/format.ts';
import type { DistrictNames } from '../../ui/useDistrictNames.ts';

/** A criterion's label in the locale (the shared table has both languages). */
export const criterionLabel = (c: (typeof SITING_CRITERIA)[number], locale: Locale) => (locale === 'en' ? SITING_CRITERION_LABELS[c].en : SITING_CRITERION_LABELS[c].zh);

/** The bars: one per criterion, in SITING_CRITERIA order (label, weight %, score 0–100). */
export function CriterionBars({ item, compact = false }: { item: SitingItem; compact?: boolean }) {
  const { t, locale } = useT();
  const byCriterion = new Map(item.reasons.map((r) => [r.criterion, r]));
  return (
    <ul className={`siting-bars${compact ? ' siting-bars--compact' : ''}`} aria-label={t('siting.result.bars')} title={t('siting.result.barsHint')} data-testid="criterion-bars">
      {SITING_CRITERIA.map((c) => {
        const r = byCriterion.get(c);
        const score = r ? Math.round(r.score * 100) : 0;
        return (
          <li key={c} data-criterion={c}>
            <span className="siting-bar-label">
              {criterionLabel(c, locale)}
              <span className="siting-bar-weight">
                <span className="visually-hidden">{t('siting.result.weightWord')}</span>
                {formatNumber((r?.weight ?? 0) * 100, locale, 0)}%
              </span>
            </span>
            <span className="siting-bar" aria-hidden="true">
              <span style={{ width: `${score}%` }} />
            </span>
            <span className="siting-bar-value">{score}</span>
          </li>
        );
      })}
    </ul>
  );
}

export function SitingResultCard({
  item,
  districts,
  hovered,
  selected,
  inCompare,
  compareFull,
  onHover,
  onSelect,
  onToggleCompare,
  onInterest,
}: {
  item: SitingItem;
  districts: DistrictNames | null;
  hovered: boolean;
  selected: boolean;
  inCompare: boolean;
  compareFull: boolean;
  onHover: (on: boolean) => void;
  onSelect: () => void;
  onToggleCompare: () => void;
  onInterest: () => void;
}) {
  const { t, locale } = useT();
  const [open, setOpen] = useState(false);
  const reasonsId = useId();
  const district = districts?.get(item.districtCode);
  return (
    <li
      className={`siting-card${hovered ? ' is-hovered' : ''}${selected ? ' is-selected' : ''}`}
      data-testid="siting-result"
      data-code={item.plotCode}
      data-plot-id={item.plotId}
      data-score={item.score}
      onMouseEnter={() => onHover(true)}
      onMouseLeave={() => onHover(false)}
      onFocus={() => onHover(true)}
      onBlur={() => onHover(false)}
    >
      <div className="siting-card-head">
        <span className="siting-rank" aria-label={t('siting.result.rank', { n: item.rank })}>
          {item.rank}
        </span>
        <button type="button" className="siting-card-title" onClick={onSelect} aria-pressed={selected} title={t('siting.result.showOnMap')} data-testid="siting-select">
          <span className="siting-code">{item.plotCode}</span>
          <span className="siting-park">{localName(locale, { nameZh: item.parkNameZh, nameEn: item.parkNameEn })}</span>
        </button>
        <span className="siting-score" data-testid="siting-score">
          <strong>{formatNumber(item.score, locale, 1, 1)}</strong>
          <span className="siting-score-of">{t('siting.result.outOf')}</span>
        </span>
      </div>
      <p className="siting-meta">
        <span>{t('siting.result.areaMu', { mu: formatNumber(item.areaMu, locale, 1) })}</span>
        <span>{item.landUse}</span>
        <span>{district ? (locale === 'en' ? district.nameEn : district.nameZh) : item.districtCode}</span>
        {item.serviced && <span>{t('siting.result.serviced')}</span>}
        {item.parkTier === 'core' && <span>{t('siting.result.greenChannel')}</span>}
        {item.sample && <span className="tag tag--sample">{t('sheet.sample')}</span>}
      </p>
      <p className="siting-price" data-testid="siting-price">
        {item.floorYuanPerM2 === null ? t('invest.noFloor') : t('siting.result.floor', { value: formatNumber(item.floorYuanPerM2, locale, 0) })}
      </p>
      <CriterionBars item={item} />
      <p className="siting-summary" data-testid="siting-summary">
        {locale === 'en' ? item.summaryEn : item.summaryZh}
      </p>
      <div className="siting-card-actions">
        <button type="button" className="link-button" aria-expanded={open} aria-controls={reasonsId} onClick={() => setOpen((o) => !o)} data-testid="siting-why">
          {open ? t('siting.result.whyHide') : t('siting.result.why')}
        </button>
        <button type="button" className="link-button" aria-pressed={inCompare} disabled={!inCompare && compareFull} onClick={onToggleCompare}>
          {inCompare ? t('sheet.inCompare') : compareFull ? t('sheet.compareFull') : t('sheet.addCompare')}
        </button>
        <button type="button" className="link-button" onClick={onInterest} data-testid="siting-interest">
          {t('siting.result.interest')}
        </button>
        <Link href={`/plots/${encodeURIComponent(item.plotCode)}`} className="link-button">
          {t('siting.result.sheet')}
        </Link>
      </div>
      <div id={reasonsId} className="siting-reasons" hidden={!open} data-testid="siting-reasons">
        <ul>
          {item.reasons.map((r) => (
            <li key={r.criterion}>
              <strong>{criterionLabel(r.criterion, locale)}</strong>{' '}
              <span className="muted">
                ({t('siting.result.reasonScore', { score: Math.round(r.score * 100), pct: formatNumber(r.weight * 100, locale, 0) })})
              </span>
              {locale === 'en' ? `: ${r.textEn}` : `：${r.textZh}`}
            </li>
          ))}
        </ul>
        {item.nearestHubs.length > 0 && (
          <>
            <p className="siting-hubs-title">{t('siting.result.nearest')}</p>
            <ul className="siting-hubs">
              {item.nearestHubs.map((h) => (
                <li key={h.kind}>
                  {t(`siting.hub.${h.kind}`)} · {localName(locale, h)} · {t('siting.result.km', { km: formatNumber(h.km, locale, 1, 1) })}
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </li>
  );
}
