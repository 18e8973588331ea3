/**
 * A plot's codes as facts (plot panel, plot sheet): the 2023 用地用海 code with its name (beside
 * the GB 50137 M label the caller shows), the 宗地代码 and the 控规地块编号. All public.
 */
import type { LandUse } from '../../shared/domain.ts';
import { landUseMapping } from '../../shared/land-use-codes.ts';
import { useT } from '../i18n/useT.ts';
import { Fact } from './PanelParts.tsx';

export function PlotCodeFacts({ p }: {
  p: { landUse: LandUse; landUseCode: string; landUseCodeNameZh: string; landUseCodeNameEn: string; parcelCode: string | null; zoningPlotCode: string | null };
}) {
  const { t, locale } = useT();
  const assumed = landUseMapping(p.landUse, p.landUseCode)?.assumption === true;
  return (
    <>
      <Fact label={t('plot.landUseCode')}>
        <span data-testid="plot-land-use-code">
          {p.landUseCode} {locale === 'en' ? p.landUseCodeNameEn : p.landUseCodeNameZh}
        </span>
        {assumed && <span className="muted small"> {t('plot.landUseCodeAssumed')}</span>}
      </Fact>
      <Fact label={t('plot.parcelCode')}>{p.parcelCode && <span className="mono" data-testid="plot-parcel-code">{p.parcelCode}</span>}</Fact>
      <Fact label={t('plot.zoningPlotCode')}>{p.zoningPlotCode}</Fact>
    </>
  );
}
