/**
 * `/invest/siting` — siting for a project (issue #16): the requirements form, then the available
 * plots that meet every hard requirement, ranked, as a list and on the map in step (hover or
 * select on one side lights the other; a chosen plot is framed). Each result shows its score,
 * a bar per criterion and one line of reasons; "why?" opens them all. Weight sliders re-rank the
 * plots in hand at once (shared `combinedScore`), then ask the server again so others can enter.
 * The URL is the query (reload → the same list). Compare the top three, register interest from
 * a result, print the 选址建议书. A lazy chunk (maplibre), like /invest.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useLocation } from 'wouter';
import { ApiError, type SitingItem, type SitingRankResponse, type SitingRequirements } from '../../api/index.ts';
import { SITING_REQUIREMENTS, type SitingRequirement } from '../../../shared/contract/siting.ts';
import { SITING_CRITERIA } from '../../../shared/policy/siting-weights.ts';
import type { BBox } from '../../../shared/domain.ts';
import { Dialog } from '../../ui/Dialog.tsx';
import { formatDate, formatNumber } from '../../ui/format.ts';
import { useDistrictNames } from '../../ui/useDistrictNames.ts';
import { useErrorText } from '../../ui/useErrorText.ts';
import { useUrlState } from '../../ui/useUrlState.ts';
import { useT } from '../../i18n/useT.ts';
import { useFramePlot } from '../../map/useFramePlot.ts';
import { markSampleSeen } from '../../stores/dataset.ts';
import { select, useSelectionStore } from '../../stores/selection.ts';
import { fitBounds } from '../../stores/view.ts';
import { VIEW_URL_STATE } from '../map/viewUrlState.ts';
import { addToCompare, COMPARE_MAX, compareHref, removeFromCompare, setCompare, useCompareStore } from '../invest/compareStore.ts';
import { InterestForm } from '../invest/InterestForm.tsx';
import { setHoveredResult, useInvestSearchStore } from '../invest/store.ts';
import { RequirementsForm, type FieldProblem } from './RequirementsForm.tsx';
import { requirementsSentence } from './requirementsText.ts';
import { SitingResultCard } from './SitingResultCard.tsx';
import SitingMapView from './SitingMapView.tsx';
import { briefHref, FIRST_LIMIT, MORE_LIMIT, queryKey, rerank, sliderValues, weightsInUse, withDefaultWeights, withWeight } from './sitingState.ts';
import { setDraft, setQuery, SITING_URL_STATE, useSitingStore } from './store.ts';
import { useSitingResults } from './useSitingResults.ts';
import { WeightSliders } from './WeightSliders.tsx';
import { WhyNotPanel } from './WhyNotPanel.tsx';
import '../invest/invest.css';
import './siting.css';

const isRequirement = (r: string): r is SitingRequirement => (SITING_REQUIREMENTS as readonly string[]).includes(r);

/** The box around the results' centres, padded by about 300 m so whole plots fit. */
function resultsBbox(points: [number, number][]): BBox {
  const pad = 0.003;
  const lngs = points.map((p) => p[0]);
  const lats = points.map((p) => p[1]);
  return [Math.min(...lngs) - pad, Math.min(...lats) - pad, Math.max(...lngs) + pad, Math.max(...lats) + pad];
}

export default function SitingPage() {
  useUrlState(VIEW_URL_STATE);
  useUrlState(SITING_URL_STATE);
  const { t, locale } = useT();
  const errorText = useErrorText();
  const [, navigate] = useLocation();
  const draft = useSitingStore((s) => s.draft);
  const query = useSitingStore((s) => s.query);
  const results = useSitingResults(query);
  const districts = useDistrictNames();
  const [formOpen, setFormOpen] = useState(false);
  const [interestFor, setInterestFor] = useState<SitingItem | null>(null);
  const response = results.response;

  // The weights in use, and the items in hand ranked under them (live while a slider moves).
  const inUse = query ? weightsInUse(query, response?.weightsUsed ?? null) : null;
  const weightsKey = inUse ? JSON.stringify(inUse.weights) : '';
  const items = useMemo(
    () => (response && inUse ? rerank(response.items, inUse.weights, response.weightsUsed.weights).slice(0, query?.limit ?? FIRST_LIMIT) : []),
    // weightsKey stands for inUse.weights by value
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [response, weightsKey, query?.limit],
  );

  useEffect(() => {
    document.title = `${t('siting.title')} · ${t('app.title')}`;
  }, [t]);
  useEffect(() => {
    if (response?.referenceSample || response?.items.some((i) => i.sample)) markSampleSeen();
  }, [response]);

  // A new set of requirements (not a weight or "more"): frame its results once they arrive.
  const framed = useRef('');
  useEffect(() => {
    if (!response || !query || response.items.length === 0) return;
    const base = queryKey({ ...withDefaultWeights(query), limit: undefined });
    if (framed.current === base || results.answeredKey !== queryKey(query)) return;
    framed.current = base;
    fitBounds(resultsBbox(response.items.map((i) => i.centroid)), 15);
  }, [response, query, results.answeredKey]);

  const problem: FieldProblem | null = results.error instanceof ApiError && results.error.status === 400 && typeof results.error.details.field === 'string'
    ? { field: results.error.details.field, messageZh: String(results.error.details.messageZh ?? results.error.message), messageEn: String(results.error.details.messageEn ?? results.error.message) }
    : null;

  const submit = (value: SitingRequirements) => {
    // Weights the investor set stay (until "恢复默认"); the list starts again from the first page.
    setQuery({ ...value, weights: query?.weights, limit: undefined });
    setFormOpen(false);
  };

  return (
    <div className="invest-page siting-page">
      <section className="invest-side map-side siting-side" aria-labelledby="siting-title">
        <header className="invest-head siting-head">
          <h1 id="siting-title">{t('siting.title')}</h1>
          <p className="muted">{t('siting.lead')}</p>
          <Link href="/invest" className="small">
            ← {t('siting.backToSearch')}
          </Link>
        </header>
        <button type="button" className="button button--ghost filters-toggle siting-form-toggle" aria-expanded={formOpen || !query} aria-controls="siting-form-wrap" onClick={() => setFormOpen((o) => !o)}>
          {formOpen || !query ? t('siting.form.hide') : t('siting.form.show')}
        </button>
        <div id="siting-form-wrap" className={`siting-form-wrap${formOpen || !query ? ' is-open' : ''}`}>
          <RequirementsForm value={draft} onChange={setDraft} onSubmit={submit} busy={results.loading && !response} problem={problem} />
        </div>
        {!query && <p className="siting-intro note note--info">{t('siting.intro')}</p>}
        {query && inUse && (
          <WeightSliders
            values={query.weights ? (Object.fromEntries(SITING_CRITERIA.map((c) => [c, query.weights![c] ?? 0])) as typeof inUse.weights) : sliderValues(inUse.weights)}
            normalised={inUse.weights}
            source={inUse.source}
            onChange={(c, v) => setQuery(withWeight(query, query.weights ? (Object.fromEntries(SITING_CRITERIA.map((k) => [k, query.weights![k] ?? 0])) as typeof inUse.weights) : sliderValues(inUse.weights), c, v))}
            onReset={() => setQuery(withDefaultWeights(query))}
          />
        )}
        {query && (
          <ResultsBar
            response={response}
            shown={items.length}
            loading={results.loading}
            error={results.error && !problem ? errorText(results.error) : null}
            onCompareTop={() => {
              const codes = items.slice(0, COMPARE_MAX).map((i) => i.plotCode);
              setCompare(codes);
              navigate(compareHref(codes));
            }}
            briefHref={briefHref(query)}
          />
        )}
        {query && response && (
          <ResultList
            items={items}
            districts={districts}
            onInterest={setInterestFor}
            more={response.candidates > items.length && (query.limit ?? FIRST_LIMIT) < MORE_LIMIT ? () => setQuery({ ...query, limit: MORE_LIMIT }) : null}
          />
        )}
        {query && response && <SitingFoot response={response} />}
        {query && <WhyNotPanel query={query} />}
      </section>
      <div className="invest-map">
        <SitingMapView items={items} />
      </div>
      {interestFor && query && (
        <Dialog title={t('siting.interest.title', { code: interestFor.plotCode })} onClose={() => setInterestFor(null)} wide testId="siting-interest-dialog">
          <InterestForm plotId={interestFor.plotId} plotCode={interestFor.plotCode} initialMessage={t('siting.interest.message', { requirements: requirementsSentence(query, t, locale, districts) })} />
        </Dialog>
      )}
    </div>
  );
}

function ResultsBar({ response, shown, loading, error, onCompareTop, briefHref: brief }: { response: SitingRankResponse | null; shown: number; loading: boolean; error: string | null; onCompareTop: () => void; briefHref: string }) {
  const { t, locale } = useT();
  const excluded = response ? Object.entries(response.excluded.byRequirement).filter(([, n]) => n > 0) : [];
  return (
    <div className="result-bar siting-bar-top" aria-busy={loading}>
      <p className="result-count" role="status" aria-live="polite" data-testid="siting-count">
        {error
          ? t('invest.error', { message: error })
          : !response
            ? t('invest.loading')
            : t('siting.count', { n: formatNumber(response.candidates, locale, 0), shown: formatNumber(shown, locale, 0) })}
        {loading && response && <span className="spinner spinner--inline" aria-hidden="true" />}
      </p>
      {response && excluded.length > 0 && (
        <p className="siting-excluded muted small" data-testid="siting-excluded">
          {t('siting.excluded', { n: formatNumber(response.excluded.considered - response.candidates, locale, 0) })}{' '}
          {excluded.map(([req, n]) => `${isRequirement(req) ? t(`siting.req.${req}`) : req} ${formatNumber(n, locale, 0)}`).join(locale === 'en' ? ', ' : '，')}
        </p>
      )}
      {response && shown > 0 && (
        <div className="result-tools siting-tools">
          <button type="button" className="button button--small" onClick={onCompareTop} disabled={shown < 2} data-testid="compare-top">
            {t('siting.compareTop')}
          </button>
          <Link href={brief} className="button button--ghost button--small" data-testid="open-brief">
            {t('siting.brief.open')}
          </Link>
        </div>
      )}
    </div>
  );
}

function ResultList({ items, districts, onInterest, more }: { items: SitingItem[]; districts: ReturnType<typeof useDistrictNames>; onInterest: (item: SitingItem) => void; more: (() => void) | null }) {
  const { t } = useT();
  const hoveredId = useInvestSearchStore((s) => s.hoveredId);
  const selected = useSelectionStore((s) => (s.selection?.kind === 'plot' ? s.selection.id : null));
  const compare = useCompareStore((s) => s.codes);
  const list = useRef<HTMLOListElement>(null);
  useFramePlot(selected);

  // A plot picked on the map: bring its card into view.
  useEffect(() => {
    if (selected === null) return;
    list.current?.querySelector(`[data-plot-id="${selected}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [selected]);

  if (items.length === 0) return <p className="result-empty">{t('siting.empty')}</p>;
  return (
    <>
      <ol ref={list} className="siting-list" aria-label={t('invest.results')} data-testid="siting-list">
        {items.map((item) => {
          const inCompare = compare.includes(item.plotCode);
          return (
            <SitingResultCard
              key={item.plotId}
              item={item}
              districts={districts}
              hovered={hoveredId === item.plotId}
              selected={selected === item.plotId}
              inCompare={inCompare}
              compareFull={compare.length >= COMPARE_MAX}
              onHover={(on) => setHoveredResult(on ? item.plotId : null)}
              onSelect={() => select({ kind: 'plot', id: item.plotId }, { focus: true })}
              onToggleCompare={() => (inCompare ? removeFromCompare(item.plotCode) : addToCompare(item.plotCode))}
              onInterest={() => onInterest(item)}
            />
          );
        })}
      </ol>
      {more && (
        <button type="button" className="button button--ghost siting-more-results" onClick={more} data-testid="siting-more">
          {t('siting.more')}
        </button>
      )}
    </>
  );
}

/** The caveats under the list: what the price is, what the distances are, the data's date and version. */
function SitingFoot({ response }: { response: SitingRankResponse }) {
  const { t, locale } = useT();
  return (
    <div className="result-foot siting-foot" data-testid="siting-caveats">
      <p>{t('siting.caveat.price')} {t('floor.caveat')}</p>
      <p>{locale === 'en' ? response.distanceNoteEn : response.distanceNoteZh}</p>
      <p>{t('siting.hubs.indicative')}</p>
      <p>
        {t('siting.weights.note', { source: response.weightsUsed.source === 'given' ? t('siting.weights.given') : t('siting.weights.defaults') })}
      </p>
      <p className="muted">
        {t('invest.asOf', { date: formatDate(response.asOf, locale) })} · {t('siting.dataVersion', { version: response.dataVersion })}
        {response.referenceSample && <> · {t('invest.sampleNote')}</>}
      </p>
    </div>
  );
}
