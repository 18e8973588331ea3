/**
 * The requirements in words, for the printed brief and the interest message the siting page
 * starts from: one `{ label, value }` per requirement given, in the form's order.
 */
import type { DemandRequirements } from '../../../shared/contract/siting.ts';
import type { Locale, Translate } from '../../i18n/index.ts';
import type { MessageKey } from '../../i18n/zh.ts';
import { formatNumber } from '../../ui/format.ts';
import type { DistrictNames } from '../../ui/useDistrictNames.ts';

const FIGURE_LABELS: Record<string, MessageKey> = {
  investmentIntensityYuanPerM2: 'conditions.project.investmentIntensity',
  plotRatio: 'conditions.project.plotRatio',
  outputPerMuYuan: 'conditions.project.outputPerMu',
  taxPerMuYuan: 'conditions.project.taxPerMu',
  energyTcePer10kYuan: 'conditions.project.energyPer10k',
};

export interface RequirementLine {
  label: string;
  value: string;
}

export function requirementLines(r: DemandRequirements, t: Translate, locale: Locale, districts: DistrictNames | null): RequirementLine[] {
  const n = (x: number, d = 2) => formatNumber(x, locale, d);
  const list = (xs: string[]) => xs.join(locale === 'en' ? ', ' : '、');
  const lines: RequirementLine[] = [
    { label: t('siting.form.sector'), value: t(`siting.sector.${r.sector}`) },
    { label: t('siting.form.area'), value: `${n(r.areaMuMin)} – ${n(r.areaMuMax)}` },
  ];
  if (r.maxPriceYuanPerM2 !== undefined) lines.push({ label: t('siting.form.maxPrice'), value: t('siting.words.maxPrice', { value: n(r.maxPriceYuanPerM2, 0) }) });
  if (r.serviced) lines.push({ label: t('siting.words.readiness'), value: t('siting.form.serviced') });
  if (r.districtCodes?.length) {
    lines.push({ label: t('siting.form.districts'), value: list(r.districtCodes.map((c) => { const d = districts?.get(c); return d ? (locale === 'en' ? d.nameEn : d.nameZh) : c; })) });
  }
  if (r.near?.length) lines.push({ label: t('siting.form.near'), value: list(r.near.map((x) => t('siting.words.near', { kind: t(`siting.hub.${x.kind}`), km: n(x.maxKm, 1) }))) });
  if (r.landUse?.length) lines.push({ label: t('siting.form.landUse'), value: list(r.landUse.map((lu) => t(`landUse.${lu}`))) });
  if (r.supplyMode) lines.push({ label: t('siting.form.supplyMode'), value: t(`supplyMode.${r.supplyMode}`) });
  const figures = Object.entries(r.project ?? {}).filter(([, v]) => v !== undefined);
  if (figures.length) {
    lines.push({
      label: t('conditions.project.title'),
      value: list(figures.map(([k, v]) => (k === 'pollutionCategory' ? `${t('conditions.project.pollutionCategory')} ${t(`conditions.category.${v as 'class_1'}`)}` : `${t(FIGURE_LABELS[k]!)} ${n(v as number)}`))),
    });
  }
  return lines;
}

/** The lines as one paragraph ("产业方向：生物医药；用地面积（亩）：30 – 80；…"). */
export function requirementsSentence(r: DemandRequirements, t: Translate, locale: Locale, districts: DistrictNames | null): string {
  const sep = locale === 'en' ? '; ' : '；';
  const colon = locale === 'en' ? ': ' : '：';
  return requirementLines(r, t, locale, districts).map((l) => `${l.label}${colon}${l.value}`).join(sep);
}
