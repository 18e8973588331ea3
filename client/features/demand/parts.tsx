/** Small pieces the demand screens share: the status tag, sample and key-project tags, 亩 ranges, districts. */
import { DEMAND_STATUS_LABELS, type DemandStatus } from '../../../shared/contract/demands.ts';
import type { Demand } from '../../api/index.ts';
import { localName } from '../../i18n/index.ts';
import { useT } from '../../i18n/useT.ts';
import type { DistrictNames } from '../../ui/useDistrictNames.ts';
import { muRangeText } from './requirementsText.ts';

export function DemandStatusTag({ status }: { status: DemandStatus }) {
  const { locale } = useT();
  return (
    <span className={`tag dm-status dm-status--${status}`} data-testid="demand-status" data-status={status}>
      {DEMAND_STATUS_LABELS[status][locale === 'en' ? 'en' : 'zh']}
    </span>
  );
}

/** 示例数据: the demo's sample demands say so on their row. */
export function SampleTag() {
  const { t } = useT();
  return (
    <span className="tag tag--sample" title={t('demand.sampleTitle')} data-testid="demand-sample">
      {t('demand.sample')}
    </span>
  );
}

export function KeyTag() {
  const { t } = useT();
  return (
    <span className="tag tag--ok" data-testid="demand-key">
      {t('demand.key')}
    </span>
  );
}

export function MuRange({ r }: { r: { areaMuMin: number; areaMuMax: number } }) {
  const { t, locale } = useT();
  return <span className="nowrap">{muRangeText(t, locale, r)}</span>;
}

/** A district's name in the interface language (the code until the names are loaded). */
export function districtNameOf(districts: DistrictNames | null, locale: 'zh-CN' | 'en') {
  return (code: string) => {
    const d = districts?.get(code);
    return d ? localName(locale, d) : code;
  };
}

/** The districts a demand asks for, or "any". */
export function DemandDistricts({ demand, districts }: { demand: Pick<Demand, 'requirements'>; districts: DistrictNames | null }) {
  const { t, locale } = useT();
  const codes = demand.requirements.districtCodes ?? [];
  if (codes.length === 0) return <span className="muted">{t('demand.anyDistrict')}</span>;
  return <>{codes.map(districtNameOf(districts, locale)).join(locale === 'en' ? ', ' : '、')}</>;
}
