import { Link } from 'wouter';
import { floorApi, type FloorBinding, type PlotFloorQuote } from '../api/index.ts';
import { floorToolHref } from '../features/floor/floorForm.ts';
import { formatDate, formatNumber, formatYuan } from './format.ts';
import { useApi } from './useApi.ts';
import { useErrorText } from './useErrorText.ts';
import { useT } from '../i18n/useT.ts';
import { useSessionStore } from '../stores/session.ts';
import type { MessageKey } from '../i18n/zh.ts';

/** The flexible-term example beside the statutory 50 years (五(三)14 弹性年期). */
export const FLEX_TERM_YEARS = 20;

const BINDING_KEYS: Record<FloorBinding, MessageKey> = {
  benchmark: 'floor.binding.benchmark',
  cost: 'floor.binding.cost',
  national_minimum: 'floor.binding.national_minimum',
  provincial_minimum: 'floor.binding.provincial_minimum',
};

/**
 * The plot's price floor for an IAB project (五(三)14), from the server — which computes it with
 * shared/policy/price-floor.ts from the plot and the reference data in force, and decides what
 * this caller may see with `discloseFloor` (shared/policy/floor-disclosure.ts): per m² and in
 * total, for 50 years and a 20-year flexible term, the binding term and every component, K(n),
 * the reference date and sample/unverified flags.
 *
 * Public and investors get the INDICATIVE minimum (`indicative: true`): public terms only, with
 * the note that the bureau sets the final 出让底价 and that it may be higher; there is no cost
 * row at all. The bureau sees the four terms, and "成本未登记 / cost not recorded" when C is null.
 */
/**
 * `publicPrint`: on a printed sheet (the investor's plot sheet), a bureau reader's full answer —
 * with the cost and the figure the 出让底价 is set from — stays on screen and is left off the
 * paper; a print-only note says so. The public (indicative) answer prints as shown.
 */
export function PlotPriceFloor({ plotId, publicPrint = false }: { plotId: number; publicPrint?: boolean }) {
  const { t } = useT();
  const errorText = useErrorText();
  // Signing in or out changes what the server discloses (the cost): load again then.
  const who = useSessionStore((s) => (s.status === 'loading' ? null : (s.user?.id ?? 0)));
  const { data, error, loading, reload } = useApi(who === null ? null : `floor:${plotId}:${who}`, (signal) =>
    Promise.all([floorApi.forPlot(plotId, { iab: true }, signal), floorApi.forPlot(plotId, { iab: true, termYears: FLEX_TERM_YEARS }, signal)]),
  );

  const internal = publicPrint && data !== null && !data[0].indicative;
  return (
    <>
    {internal && (
      <p className="print-only muted" data-testid="floor-print-withheld">
        {t('locate.floorWithheld')}
      </p>
    )}
    <section className={`floor${internal ? ' no-print' : ''}`} aria-labelledby={`floor-${plotId}`} data-testid="price-floor">
      <h3 id={`floor-${plotId}`} className="section-title">
        {t(data && !data[0].indicative ? 'floor.title' : 'floor.indicativeTitle')}
      </h3>
      {(loading || who === null) && (
        <p className="muted" role="status">
          <span className="spinner spinner--inline" aria-hidden="true" /> {t('app.loading')}
        </p>
      )}
      {error && (
        <p className="form-error" role="alert">
          {t('floor.unavailable')} {errorText(error)}{' '}
          <button type="button" className="link-button" onClick={reload}>
            {t('panel.retry')}
          </button>
        </p>
      )}
      {data && <FloorTable full={data[0]} flex={data[1]} />}
      {data && (
        <p className="floor-foot">
          <Link
            href={floorToolHref({
              area: String(data[0].areaM2),
              benchmark: data[0].basis ? String(data[0].basis.benchmarkYuanPerM2) : '',
              nationalMin: data[0].basis ? String(data[0].basis.nationalMinYuanPerM2) : '',
              // Not the cost: a URL ends up in logs and history, and C is not public.
              term: String(FLEX_TERM_YEARS),
            })}
          >
            {t('floor.tryOwn')}
          </Link>
        </p>
      )}
    </section>
    </>
  );
}

function FloorTable({ full, flex }: { full: PlotFloorQuote; flex: PlotFloorQuote }) {
  const { t, locale } = useT();
  const money = (yuan: number) => formatYuan(yuan, locale);
  const perM2 = (yuan: number) => t('floor.perM2', { value: formatNumber(yuan, locale, 2, 2) });
  const cols = [full, flex];
  const pct = formatNumber(full.factor * 100, locale, 2);
  const indicative = full.indicative;
  const rows: { key: FloorBinding; label: string; value: (q: PlotFloorQuote) => number | null; absent: string }[] = [
    { key: 'benchmark', label: t('floor.component.benchmark', { pct }), value: (q) => q.components.benchmarkYuan, absent: '' },
    // The cost is a bureau row only: an indicative answer neither shows nor mentions it.
    ...(indicative ? [] : [{ key: 'cost' as const, label: t('floor.component.cost'), value: (q: PlotFloorQuote) => q.components.costYuan, absent: t('floor.costNotRecorded') }]),
    { key: 'national_minimum', label: t('floor.component.national_minimum'), value: (q) => q.components.nationalMinimumYuan, absent: '' },
    { key: 'provincial_minimum', label: t('floor.component.provincial_minimum'), value: (q) => q.components.provincialMinimumYuan, absent: t('floor.provincialAbsent') },
  ];
  const b = full.basis;
  const flags = [
    b?.benchmarkSample && t('floor.flag.benchmarkSample'),
    b?.gradeAssumption && t('floor.flag.gradeAssumption'),
    b && !b.nationalMinimumVerified && t('floor.flag.nationalMinUnverified'),
    b?.provincialMinimumVerified === false && t('floor.flag.provincialUnverified'),
  ].filter((x): x is string => typeof x === 'string');

  return (
    <>
      <p className="floor-lead muted" data-testid="floor-lead">{t(indicative ? 'floor.indicativeLead' : 'floor.lead')}</p>
      {indicative && (
        <p className="floor-caveat" data-testid="floor-caveat">
          {t('floor.caveat')}
        </p>
      )}
      {full.costRecorded === false && (
        <p className="form-error" role="note" data-testid="floor-cost-not-recorded">
          {t('floor.costNotRecordedNote')}
        </p>
      )}
      <table className="floor-table">
        <caption className="visually-hidden">{t(indicative ? 'floor.indicativeTitle' : 'floor.title')}</caption>
        <thead>
          <tr>
            <td />
            {cols.map((q) => (
              <th key={q.termYears} scope="col">
                {q.termYears === 50 ? t('floor.term50') : t('floor.termFlex', { n: q.termYears })}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          <tr className="floor-main">
            <th scope="row">{t('floor.perM2Label')}</th>
            {cols.map((q) => (
              <td key={q.termYears} className="num" data-testid={`floor-per-m2-${q.termYears}`}>
                {perM2(q.floorYuanPerM2)}
              </td>
            ))}
          </tr>
          <tr className="floor-main">
            <th scope="row">{t('floor.total')}</th>
            {cols.map((q) => (
              <td key={q.termYears} className="num" data-testid={`floor-total-${q.termYears}`}>
                {money(q.floorYuan)}
              </td>
            ))}
          </tr>
          <tr>
            <th scope="row">{t('floor.bindingLabel')}</th>
            {cols.map((q) => (
              <td key={q.termYears} className="num" data-testid={`floor-binding-${q.termYears}`}>
                <span className="tag tag--binding">{t(BINDING_KEYS[q.binding])}</span>
              </td>
            ))}
          </tr>
          {rows.map((r) => (
            <tr key={r.key} className="floor-component">
              <th scope="row">{r.label}</th>
              {cols.map((q) => {
                const v = r.value(q);
                return (
                  <td key={q.termYears} className={`num${q.binding === r.key ? ' is-binding' : ''}`} data-testid={`floor-${r.key}-${q.termYears}`}>
                    {v === null ? <span className="muted">{r.absent}</span> : money(v)}
                  </td>
                );
              })}
            </tr>
          ))}
          <tr>
            <th scope="row">{t('floor.termFactor')}</th>
            {cols.map((q) => (
              <td key={q.termYears} className="num">
                {formatNumber(q.termFactor, locale, 4, 4)}
              </td>
            ))}
          </tr>
        </tbody>
      </table>
      {b && (
        <p className="floor-basis muted">
          {t('floor.basis', {
            level: b.landLevel,
            b: formatNumber(b.benchmarkYuanPerM2, locale, 2),
            grade: b.landGrade,
            n: formatNumber(b.nationalMinYuanPerM2, locale, 2),
          })}
        </p>
      )}
      <p className="floor-basis muted" data-testid="floor-as-of">
        {t('floor.asOf', { date: formatDate(full.asOf, locale) })}
      </p>
      {flags.length > 0 && (
        <ul className="floor-flags" data-testid="floor-flags">
          {flags.map((f) => (
            <li key={f} className="tag tag--warn">
              {f}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
