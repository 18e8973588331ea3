import { api, supervisionApi, type EvaluationList, type IdleItem, type IdleList } from '../../api/index.ts';
import { useT } from '../../i18n/useT.ts';
import { formatDate, formatM2, formatMu } from '../../ui/format.ts';
import { Fact, Facts, PanelError, PanelLoading } from '../../ui/PanelParts.tsx';
import { useApi, type ApiState } from '../../ui/useApi.ts';
import { useCan } from '../../ui/useCan.ts';
import { clearSelection } from '../../stores/selection.ts';
import { DecisionSection } from './DecisionSection.tsx';
import { InspectionSection } from './InspectionSection.tsx';
import { feeText, SampleTag, StageTag } from './parts.tsx';
import { useSupervisionStore } from './store.ts';
import { useFramePlot } from '../../map/useFramePlot.ts';

/**
 * The clicked plot's supervision: its red-line item (stage in words, days late, the fee to the
 * fen, the basis citing the article, agreed and adjusted start, government delays, decisions)
 * and its field inspections; or, for a plot without an item, that it has none.
 */
export function IdlePanel({ plotId, idle, evaluation }: { plotId: number; idle: ApiState<IdleList>; evaluation: ApiState<EvaluationList> | null }) {
  const { t } = useT();
  useFramePlot(plotId);
  const item = idle.data?.items.find((i) => i.plotId === plotId) ?? null;
  const grade = evaluation?.data?.items.find((i) => i.plotId === plotId) ?? null;
  const year = useSupervisionStore((s) => s.gradeYear);
  return (
    <div className="sv-panel-body" data-testid="idle-panel">
      <button type="button" className="button button--ghost button--small sv-back" onClick={clearSelection} data-testid="panel-back">
        {t('sv.panel.back')}
      </button>
      {idle.loading && <PanelLoading />}
      {idle.error && <PanelError error={idle.error} onRetry={idle.reload} />}
      {idle.data && !item && <NoItem plotId={plotId} />}
      {item && <ItemDetail item={item} />}
      {grade && (
        <p className="sv-grade" data-testid="panel-grade">
          {t('sv.panel.grade', { year })}: <strong>{grade.grade}</strong> <SampleTag sample={grade.sample} />
        </p>
      )}
    </div>
  );
}

function NoItem({ plotId }: { plotId: number }) {
  const { t } = useT();
  const plot = useApi(`plot#${plotId}`, (signal) => api.plot(plotId, signal));
  const code = plot.data?.properties.code;
  return <p className="muted" data-testid="idle-none">{code ? t('sv.panel.noItem', { code }) : t('sv.panel.noItemPlain')}</p>;
}

function ItemDetail({ item }: { item: IdleItem }) {
  const { t, locale } = useT();
  const basis = locale === 'en' ? item.basis.en : item.basis.zh;
  const canDecide = useCan('supervision.decide');
  return (
    <>
      <header className="sv-item-head">
        <h2 className="sv-side-title" data-testid="idle-plot-code">
          {item.plotCode} <SampleTag sample={item.sample} />
        </h2>
        <StageTag stage={item.stage} testId="idle-stage" />
        {item.kind && <span className="tag tag--off">{t(`sv.kind.${item.kind}`)}</span>}
      </header>
      <Facts>
        <Fact label={t('sv.panel.project')}>{item.projectName}</Fact>
        <Fact label={t('sv.panel.enterprise')}>{item.enterpriseName}</Fact>
        <Fact label={t('sv.panel.daysLate')}>
          <span data-testid="idle-days">{t('sv.days', { days: item.daysLate })}</span>
        </Fact>
        <Fact label={t('sv.panel.fee')}>
          <strong data-testid="idle-fee">{item.feeYuan === null ? t('sv.panel.noFee') : feeText(item.feeYuan, locale)}</strong>
        </Fact>
        <Fact label={t('sv.panel.price')}>{feeText(item.priceYuan, locale)}</Fact>
        <Fact label={t('sv.panel.area')}>{`${formatMu(item.areaM2, locale)} · ${formatM2(item.areaM2, locale)}`}</Fact>
        <Fact label={t('sv.panel.agreedStart')}>{formatDate(item.agreedStartOn, locale)}</Fact>
        <Fact label={t('sv.panel.adjustedStart')}>{formatDate(item.adjustedStartOn, locale)}</Fact>
        <Fact label={t('sv.panel.delayDays')}>{item.governmentDelayDays > 0 ? t('sv.days', { days: item.governmentDelayDays }) : null}</Fact>
        <Fact label={t('sv.panel.idleFrom')}>{item.idleFrom ? formatDate(item.idleFrom, locale) : null}</Fact>
        <Fact label={t('sv.panel.reclaimFrom')}>{item.reclaimFrom ? formatDate(item.reclaimFrom, locale) : null}</Fact>
      </Facts>
      <section className="sv-section">
        <h3>{t('sv.panel.basis')}</h3>
        <p className="sv-basis" data-testid="idle-basis">{basis}</p>
      </section>
      <GovernmentDelays allocationId={item.allocationId} />
      <DecisionSection item={item} canDecide={canDecide} />
      <InspectionSection item={item} />
    </>
  );
}

/** Government-caused delays (art. 8) with cause and evidence; nothing shown if they can't be read. */
function GovernmentDelays({ allocationId }: { allocationId: number }) {
  const { t, locale } = useT();
  const version = useSupervisionStore((s) => s.dataVersion);
  const delays = useApi(`delays#${allocationId}#${version}`, (signal) => supervisionApi.governmentDelays(allocationId, signal));
  if (!delays.data) return null;
  return (
    <section className="sv-section" data-testid="gov-delays">
      <h3>{t('sv.delays.title')}</h3>
      {delays.data.items.length === 0 ? (
        <p className="muted">{t('sv.delays.empty')}</p>
      ) : (
        <ul className="sv-plain-list">
          {delays.data.items.map((d) => (
            <li key={d.id}>
              {t('sv.delays.item', { cause: t(`sv.delays.cause.${d.cause}`), days: d.days, evidence: d.evidence })}
              {d.note && <span className="muted"> · {d.note}</span>}
              <span className="muted"> · {formatDate(d.recordedAt, locale)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
