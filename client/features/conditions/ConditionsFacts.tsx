/**
 * A plot's 标准地 conditions as a fact list (the map's plot panel, the investor plot sheet, the
 * 监管协议 of an allocation): every condition on its own row, "未设定" where the bureau set none.
 */
import type { Conditions } from '../../../shared/contract/supervision.ts';
import { formatNumber } from '../../ui/format.ts';
import { useT } from '../../i18n/useT.ts';
import { Fact, Facts } from '../../ui/PanelParts.tsx';
import './conditions.css';

export function ConditionsFacts({ conditions, testId = 'plot-conditions' }: { conditions: Conditions; testId?: string }) {
  const { t, locale } = useT();
  const c = conditions;
  const n = (x: number, digits = 2) => formatNumber(x, locale, digits);
  const notSet = <span className="muted">{t('conditions.notSet')}</span>;
  const min = (v: number | null, unit: string, digits = 2) => (v === null ? notSet : t('conditions.atLeast', { value: `${n(v, digits)} ${unit}` }));
  const max = (v: number | null, unit: string, digits = 2) => (v === null ? notSet : t('conditions.atMost', { value: `${n(v, digits)} ${unit}` }));
  const ratio =
    c.plotRatioMin !== null && c.plotRatioMax !== null
      ? t('conditions.range', { min: n(c.plotRatioMin), max: n(c.plotRatioMax) })
      : c.plotRatioMin !== null
        ? t('conditions.atLeast', { value: n(c.plotRatioMin) })
        : c.plotRatioMax !== null
          ? t('conditions.atMost', { value: n(c.plotRatioMax) })
          : notSet;
  const months = (v: number | null) => (v === null ? notSet : t('conditions.months', { n: v }));
  return (
    <div data-testid={testId}>
      <Facts>
        <Fact label={t('conditions.investmentIntensityYuanPerM2Min')}>{min(c.investmentIntensityYuanPerM2Min, t('conditions.unit.yuanPerM2'))}</Fact>
        <Fact label={t('conditions.plotRatio')}>{ratio}</Fact>
        <Fact label={t('conditions.outputPerMuYuanMin')}>{min(c.outputPerMuYuanMin, t('conditions.unit.yuanPerMu'))}</Fact>
        <Fact label={t('conditions.taxPerMuYuanMin')}>{min(c.taxPerMuYuanMin, t('conditions.unit.yuanPerMu'))}</Fact>
        <Fact label={t('conditions.energyTcePer10kYuanMax')}>{max(c.energyTcePer10kYuanMax, t('conditions.unit.tcePer10k'), 4)}</Fact>
        <Fact label={t('conditions.pollutionCategory')}>
          {c.pollutionCategory === null ? notSet : t('conditions.categoryAdmits', { category: t(`conditions.category.${c.pollutionCategory}`) })}
        </Fact>
        <Fact label={t('conditions.startWithinMonths')}>{months(c.startWithinMonths)}</Fact>
        <Fact label={t('conditions.completeWithinMonths')}>{months(c.completeWithinMonths)}</Fact>
        <Fact label={t('conditions.notes')}>{c.notes === null ? notSet : <span className="conditions-notes">{c.notes}</span>}</Fact>
      </Facts>
    </div>
  );
}

/** The conditions under their heading, as a panel section. */
export function ConditionsSection({ conditions }: { conditions: Conditions }) {
  const { t } = useT();
  return (
    <section className="conditions" aria-labelledby="plot-conditions-title">
      <h3 id="plot-conditions-title" className="section-title">{t('conditions.title')}</h3>
      <p className="muted conditions-lead">{t('conditions.lead')}</p>
      <ConditionsFacts conditions={conditions} />
    </section>
  );
}
