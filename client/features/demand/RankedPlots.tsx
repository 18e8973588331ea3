/**
 * "排名 / Rank" for a demand (`POST /api/demands/:id/rank`): the available plots meeting every
 * hard requirement, best first — each with its score, a bar per criterion (its 0–1 score, its
 * weight), the one line of reasons and the reasons in full, and the bureau's internal floor (with
 * the cost term; confidential) beside the indicative minimum the public sees. Per plot two
 * one-step actions for the land bureau: hold it, or propose an allocation (MatchDialogs).
 */
import { useEffect, useId, useState } from 'react';
import { Link } from 'wouter';
import { SITING_CRITERION_LABELS } from '../../../shared/policy/siting-weights.ts';
import { SITING_REQUIREMENTS } from '../../../shared/contract/siting.ts';
import { demandsApi, type Demand, type DemandRanking, type SitingItem } from '../../api/index.ts';
import { formatDate, formatMu, formatNumber } from '../../ui/format.ts';
import { useAllocationErrorText } from '../bureau/parts.tsx';
import { useT } from '../../i18n/useT.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { markSampleSeen } from '../../stores/dataset.ts';
import type { DistrictNames } from '../../ui/useDistrictNames.ts';
import { DemandHoldDialog, DemandProposeDialog } from './MatchDialogs.tsx';
import { districtNameOf } from './parts.tsx';
import { sectorLabel } from './requirementsText.ts';

export function RankedPlots({
  demand,
  districts,
  onMatched,
}: {
  demand: Demand;
  districts: DistrictNames | null;
  /** After a hold or a proposal: the message to show (the caller reloads the demand). */
  onMatched: (message: string) => void;
}) {
  const { t, locale } = useT();
  const refusal = useAllocationErrorText();
  const headingId = useId();
  const [ranking, setRanking] = useState<DemandRanking | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [dialog, setDialog] = useState<{ kind: 'hold' | 'propose'; item: SitingItem } | null>(null);
  const open = demand.status === 'open';

  useEffect(() => {
    if (ranking?.referenceSample || ranking?.items.some((i) => i.sample)) markSampleSeen();
  }, [ranking]);

  const run = async () => {
    setBusy(true);
    setFailure(null);
    try {
      setRanking(await demandsApi.rank(demand.id, {}));
    } catch (e) {
      setFailure(refusal(e));
    } finally {
      setBusy(false);
    }
  };

  const excluded = ranking
    ? SITING_REQUIREMENTS.filter((r) => (ranking.excluded.byRequirement[r] ?? 0) > 0).map((r) => t(`demand.excluded.${r}` as MessageKey, { n: ranking.excluded.byRequirement[r]! }))
    : [];

  return (
    <section className="card dm-card dm-rank" aria-labelledby={headingId} data-testid="demand-rank">
      <div className="dm-card-head">
        <h2 id={headingId} className="card-title">{t('demand.rank.title')}</h2>
        <button type="button" className="button" onClick={() => void run()} disabled={busy} data-testid="demand-rank-run">
          {busy && <span className="spinner spinner--light" aria-hidden="true" />}
          {ranking ? t('demand.rank.rerun') : t('demand.rank.run')}
        </button>
      </div>
      <p className="muted small">{t('demand.rank.lead')}</p>
      {failure && <p className="form-error" role="alert" data-testid="demand-rank-error">{failure}</p>}
      {!open && <p className="note note--info" data-testid="demand-not-open">{t('demand.rank.notOpen')}</p>}
      {open && !demand.enterprise.uscc && <p className="note note--sample">{t('demand.rank.needUscc')}</p>}
      {ranking && (
        <div data-testid="demand-ranking">
          <p className="small" data-testid="demand-rank-candidates">
            {ranking.items.length > 0 ? t('demand.rank.candidates', { n: ranking.candidates, shown: ranking.items.length }) : t('demand.rank.none')}
          </p>
          {excluded.length > 0 && <p className="muted small">{t('demand.rank.excluded', { list: excluded.join(locale === 'en' ? ', ' : '、') })}</p>}
          <p className="muted small">
            {ranking.weightsUsed.source === 'sector_default' ? t('demand.rank.weightsDefault', { sector: sectorLabel(t, ranking.weightsUsed.sector) }) : t('demand.rank.weightsGiven')}
            {' · '}
            {t('demand.rank.asOf', { date: formatDate(ranking.asOf, locale), version: ranking.dataVersion })}
            {ranking.referenceSample && <> · <span className="tag tag--sample">{t('demand.rank.referenceSample')}</span></>}
          </p>
          <p className="muted small">{locale === 'en' ? ranking.distanceNoteEn : ranking.distanceNoteZh}</p>
          <ol className="dm-ranked" data-testid="demand-ranked-list">
            {ranking.items.map((item) => (
              <RankedItem key={item.plotId} item={item} districts={districts} actions={open} onAction={(kind) => setDialog({ kind, item })} />
            ))}
          </ol>
        </div>
      )}
      {dialog?.kind === 'hold' && (
        <DemandHoldDialog
          demand={demand}
          plot={dialog.item}
          onClose={() => setDialog(null)}
          onDone={(r) => {
            setDialog(null);
            setRanking(null);
            onMatched(t('demand.hold.done', { plot: r.hold.plotCode, until: formatDate(r.hold.until, locale) }));
          }}
        />
      )}
      {dialog?.kind === 'propose' && (
        <DemandProposeDialog
          demand={demand}
          plot={dialog.item}
          onClose={() => setDialog(null)}
          onDone={(r) => {
            setDialog(null);
            setRanking(null);
            onMatched(t('demand.propose.done', { id: r.allocation.id, plot: r.allocation.plotCode }));
          }}
        />
      )}
    </section>
  );
}

const perM2 = (t: ReturnType<typeof useT>['t'], locale: ReturnType<typeof useT>['locale'], v: number | null) =>
  v === null ? t('demand.rank.noFloor') : t('demand.rank.perM2', { value: formatNumber(v, locale, 2) });

function RankedItem({ item, districts, actions, onAction }: { item: SitingItem; districts: DistrictNames | null; actions: boolean; onAction: (kind: 'hold' | 'propose') => void }) {
  const { t, locale } = useT();
  const lang = locale === 'en' ? 'en' : 'zh';
  const park = locale === 'en' ? item.parkNameEn : item.parkNameZh;
  return (
    <li className="dm-ranked-item" data-testid="ranked-plot" data-plot-id={item.plotId} data-plot-code={item.plotCode} data-rank={item.rank}>
      <div className="dm-ranked-head">
        <span className="dm-rank-no" aria-label={t('demand.rank.rankNo', { n: item.rank })}>{item.rank}</span>
        <div className="dm-ranked-title">
          <Link href={`/plots/${encodeURIComponent(item.plotCode)}`} className="mono strong" aria-label={t('demand.rank.plotLink', { plot: item.plotCode })}>
            {item.plotCode}
          </Link>
          {item.sample && <> <span className="tag tag--sample">{t('demand.rank.sample')}</span></>}
          <br />
          <span className="muted small">
            {park} · {districtNameOf(districts, locale)(item.districtCode)} · {formatMu(item.areaM2, locale)} · {item.landUse}
          </span>
        </div>
        <p className="dm-score" data-testid="ranked-score">
          <span className="dm-score-value">{formatNumber(item.score, locale, 2)}</span>
          <span className="muted small"> {t('demand.rank.score')}</span>
        </p>
      </div>
      <p className="small dm-summary">{locale === 'en' ? item.summaryEn : item.summaryZh}</p>
      <ul className="dm-bars" aria-label={t('demand.rank.criteria')}>
        {item.reasons.map((r) => {
          const label = SITING_CRITERION_LABELS[r.criterion][lang];
          return (
            <li key={r.criterion} className="dm-bar-row" aria-label={t('demand.rank.criterionBar', { label, score: formatNumber(r.score, locale, 2), weight: formatNumber(r.weight * 100, locale, 0) })}>
              <span className="dm-bar-label" aria-hidden="true">{label}</span>
              <span className="dm-bar" aria-hidden="true">
                <span className="dm-bar-fill" style={{ width: `${Math.round(Math.min(1, Math.max(0, r.score)) * 100)}%` }} />
              </span>
              <span className="dm-bar-value small" aria-hidden="true">
                {formatNumber(r.score, locale, 2)} · {formatNumber(r.weight * 100, locale, 0)}%
              </span>
            </li>
          );
        })}
      </ul>
      <dl className="figure-grid dm-floors">
        <div>
          <dt>{t('demand.rank.indicative')}</dt>
          <dd data-testid="ranked-indicative">{perM2(t, locale, item.floorYuanPerM2)}</dd>
        </div>
        {item.internalFloor && (
          <div className="dm-floor-internal">
            <dt>{t('demand.rank.internal')}</dt>
            <dd data-testid="ranked-internal">
              {perM2(t, locale, item.internalFloor.floorYuanPerM2)}{' '}
              <span className="muted small">
                · {t('floor.bindingLabel')} {t(`floor.binding.${item.internalFloor.binding}` as MessageKey)}
                {!item.internalFloor.costRecorded && <> · {t('demand.rank.internalNotFinal')}</>}
              </span>
            </dd>
          </div>
        )}
      </dl>
      <details className="dm-reasons">
        <summary>{t('demand.rank.reasons')}</summary>
        <ul>
          {item.reasons.map((r) => (
            <li key={r.criterion}>
              <span className="strong">{SITING_CRITERION_LABELS[r.criterion][lang]}</span>
              {locale === 'en' ? `: ${r.textEn}` : `：${r.textZh}`}
            </li>
          ))}
        </ul>
      </details>
      {actions && (
        <div className="action-row dm-ranked-actions">
          <button type="button" className="button button--small" onClick={() => onAction('hold')} data-testid="ranked-hold">
            {t('demand.rank.hold')}
          </button>
          <button type="button" className="button button--secondary button--small" onClick={() => onAction('propose')} data-testid="ranked-propose">
            {t('demand.rank.propose')}
          </button>
        </div>
      )}
    </li>
  );
}
