/**
 * A demand's requirements in words, one short line per requirement, in the interface language:
 * "生物医药 · 30–80 亩", "用地性质：M1、M2", "距机场直线距离 ≤ 40 公里" … Pure (the caller
 * passes `t`, the locale and the district names), so tests/unit/client-demand.test.ts checks it.
 */
import { HUB_KIND_LABELS, type DemandRequirements } from '../../../shared/contract/siting.ts';
import { POLLUTION_CATEGORY_LABELS } from '../../../shared/policy/standard-land.ts';
import { SITING_CRITERIA, SITING_CRITERION_LABELS } from '../../../shared/policy/siting-weights.ts';
import type { ProjectSector } from '../../../shared/domain.ts';
import type { Locale, MessageKey, Translate } from '../../i18n/index.ts';

const FIGURE_UNITS: Record<string, { zh: string; en: string }> = {
  investmentIntensityYuanPerM2: { zh: '元/平方米', en: 'yuan/m²' },
  plotRatio: { zh: '', en: '' },
  outputPerMuYuan: { zh: '元/亩', en: 'yuan/亩' },
  taxPerMuYuan: { zh: '元/亩', en: 'yuan/亩' },
  energyTcePer10kYuan: { zh: '吨标煤/万元', en: 'tce/10k yuan' },
};

const lang = (locale: Locale) => (locale === 'en' ? 'en' : 'zh');
const list = (locale: Locale, items: string[]) => items.join(locale === 'en' ? ', ' : '、');
const num = (locale: Locale, n: number) => new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(n);

/** 'ngit' → 新一代信息技术; 'other' → 其他（非 IAB）. */
export function sectorLabel(t: Translate, sector: ProjectSector): string {
  return sector === 'other' ? t('allocations.sector.other') : t(`sector.${sector}` as MessageKey);
}

/** "30–80 亩" */
export function muRangeText(t: Translate, locale: Locale, r: { areaMuMin: number; areaMuMax: number }): string {
  return t('demand.muRange', { min: num(locale, r.areaMuMin), max: num(locale, r.areaMuMax) });
}

/** The requirements, one line each, in the order a site selector reads them. */
export function requirementsInWords(
  r: DemandRequirements,
  t: Translate,
  locale: Locale,
  districtName: (code: string) => string = (c) => c,
): string[] {
  const lines: string[] = [`${sectorLabel(t, r.sector)} · ${muRangeText(t, locale, r)}`];
  lines.push(r.districtCodes?.length ? t('demand.words.districts', { list: list(locale, r.districtCodes.map(districtName)) }) : t('demand.words.anywhere'));
  if (r.landUse?.length) lines.push(t('demand.words.landUse', { list: list(locale, r.landUse.map((lu) => t(`landUse.${lu}` as MessageKey))) }));
  if (r.supplyMode) lines.push(t('demand.words.supplyMode', { mode: t(`supplyMode.${r.supplyMode}` as MessageKey) }));
  if (r.maxPriceYuanPerM2 !== undefined) lines.push(t('demand.words.maxPrice', { price: num(locale, r.maxPriceYuanPerM2) }));
  if (r.serviced === true) lines.push(t('demand.words.serviced'));
  for (const n of r.near ?? []) lines.push(t('demand.words.near', { kind: HUB_KIND_LABELS[n.kind][lang(locale)], km: num(locale, n.maxKm) }));
  if (r.project) {
    const figures = Object.entries(r.project)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => {
        const label = t(`demand.figure.${k}` as MessageKey);
        if (k === 'pollutionCategory') return `${label} ${POLLUTION_CATEGORY_LABELS[v as keyof typeof POLLUTION_CATEGORY_LABELS]?.[lang(locale)] ?? String(v)}`;
        const unit = FIGURE_UNITS[k]?.[lang(locale)] ?? '';
        return `${label} ${num(locale, Number(v))}${unit ? ` ${unit}` : ''}`;
      });
    if (figures.length) lines.push(t('demand.words.project', { list: list(locale, figures) }));
  }
  if (r.weights && SITING_CRITERIA.some((c) => r.weights![c] !== undefined)) {
    const given = SITING_CRITERIA.filter((c) => (r.weights![c] ?? 0) > 0).map((c) => `${SITING_CRITERION_LABELS[c][lang(locale)]} ${num(locale, r.weights![c]!)}`);
    lines.push(t('demand.words.weights', { list: list(locale, given) }));
  } else {
    lines.push(t('demand.words.defaultWeights'));
  }
  return lines;
}
