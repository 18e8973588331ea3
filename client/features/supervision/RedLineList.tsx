import { useMemo } from 'react';
import type { IdleList } from '../../api/index.ts';
import { useT } from '../../i18n/useT.ts';
import type { ApiState } from '../../ui/useApi.ts';
import { PanelError, PanelLoading } from '../../ui/PanelParts.tsx';
import { select } from '../../stores/selection.ts';
import { feeText, SampleTag, StageTag } from './parts.tsx';
import { sortRedLine } from './supervisionLayer.ts';

/** The red-line items, most severe first; a row frames its plot on the map and opens its panel. */
export function RedLineList({ idle }: { idle: ApiState<IdleList> }) {
  const { t, locale } = useT();
  const items = useMemo(() => sortRedLine(idle.data?.items ?? []), [idle.data]);
  return (
    <div className="sv-panel-body" data-testid="redline-list">
      <h2 className="sv-side-title">
        {t('sv.list.title')} {idle.data && <span className="muted sv-count">{t('sv.list.count', { count: items.length })}</span>}
      </h2>
      {idle.loading && <PanelLoading />}
      {idle.error && <PanelError error={idle.error} onRetry={idle.reload} />}
      {idle.data && items.length === 0 && <p className="muted">{t('sv.list.empty')}</p>}
      <ul className="sv-list">
        {items.map((i) => (
          <li key={i.allocationId}>
            <button
              type="button"
              className="sv-row"
              onClick={() => select({ kind: 'plot', id: i.plotId }, { focus: true })}
              aria-label={t('sv.list.show', { code: i.plotCode })}
              data-testid={`redline-${i.plotCode}`}
            >
              <span className="sv-row-head">
                <strong>{i.plotCode}</strong> <SampleTag sample={i.sample} />
                <span className="sv-row-late">{t('sv.days', { days: i.daysLate })}</span>
              </span>
              <span className="sv-row-project">{i.projectName} · {i.enterpriseName}</span>
              <span className="sv-row-foot">
                <StageTag stage={i.stage} />
                {i.feeYuan !== null && <span className="sv-row-fee">{feeText(i.feeYuan, locale)}</span>}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
