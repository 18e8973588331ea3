/**
 * Supervision after the sale on the district dashboard and the city overview (issue #15 §5): idle
 * land (count, 亩, fees decided), the 亩均 grades (over the parks shown, and by park), 标准地
 * conditions unmet and field inspections open; on the city overview also the IAB key projects
 * signed (签约) and landed (落地) against the plan's 100 and 50 (四(二)6). Links to the evaluation
 * table and the printable yearly monitoring report.
 */
import { useId } from 'react';
import { Link } from 'wouter';
import type { BureauParks } from '../../api/index.ts';
import { formatNumber, formatYuan } from '../../ui/format.ts';
import { Table } from '../../ui/Table.tsx';
import { useT } from '../../i18n/useT.ts';
import '../performance/performance.css';

const GRADES = ['A', 'B', 'C', 'D'] as const;

export function SupervisionSection({ data, districtCode, showPlan }: { data: BureauParks; districtCode: string | null; showPlan: boolean }) {
  const { t, locale } = useT();
  const id = useId();
  const s = data.supervision;
  const n = (x: number) => formatNumber(x, locale, 0);
  const graded = GRADES.reduce((sum, g) => sum + s.grades[g], 0);
  const plan = data.planTargets;
  const pct = (a: number, b: number) => `${Math.min(100, b > 0 ? (a / b) * 100 : 0)}%`;
  const q = new URLSearchParams({ year: String(s.evaluationYear) });
  if (districtCode) q.set('district', districtCode);
  const reportQ = new URLSearchParams({ year: String(data.year) });
  if (districtCode) reportQ.set('district', districtCode);
  const parksWithGrades = s.gradesByPark.filter((p) => GRADES.some((g) => p[g] > 0));
  const names = new Map(data.parks.map((p) => [p.id, p]));

  return (
    <section className="dash-section sup-section" aria-labelledby={`${id}-h`} data-testid="supervision-section">
      <div className="dash-section-head">
        <h2 id={`${id}-h`} className="dash-h2">
          {t('sup.title')}
          {s.sample && <span className="perf-sample-tag">{t('dashboard.sampleShort')}</span>}
        </h2>
      </div>
      <p className="muted small">{t('sup.note', { date: s.asOf, year: s.evaluationYear })}</p>
      <div className="sup-kpis">
        <div className={`dash-kpi${s.idle.count > 0 ? ' dash-kpi--alert' : ''}`} data-testid="sup-idle">
          <p className="dash-kpi-label">{t('sup.idle')}</p>
          <p className="dash-kpi-value">{t('sup.idleValue', { n: n(s.idle.count) })}</p>
          <p className="dash-kpi-note">{t('sup.idleNote', { mu: formatNumber(s.idle.areaMu, locale, 2), fees: formatYuan(s.idle.feesDecidedYuan, locale) })}</p>
          <p className="dash-kpi-note">{t('sup.idleStages', { overdue: n(s.idle.byStage.overdue), gov: n(s.idle.byStage.government_delay) })}</p>
        </div>
        <div className="dash-kpi" data-testid="sup-grades">
          <p className="dash-kpi-label">
            {t('sup.grades', { year: s.evaluationYear })}
            {s.thresholds?.sample && <span className="perf-sample-tag" title={t('perf.sampleThresholdsNote')}>{t('perf.sampleThresholds')}</span>}
          </p>
          {graded === 0 ? (
            <p className="dash-kpi-note">{t('sup.gradesEmpty', { year: s.evaluationYear })}</p>
          ) : (
            <p className="dash-kpi-value sup-grades">
              {GRADES.map((g) => (
                <span key={g} title={t(`perf.grade.${g}`)}>
                  <span className={`perf-grade perf-grade--${g}`}>{g}</span> {n(s.grades[g])}
                </span>
              ))}
            </p>
          )}
        </div>
        <div className={`dash-kpi${s.conditionsUnmet > 0 ? ' dash-kpi--alert' : ''}`} data-testid="sup-unmet">
          <p className="dash-kpi-label">{t('sup.unmet')}</p>
          <p className="dash-kpi-value">{n(s.conditionsUnmet)}</p>
          <p className="dash-kpi-note">{t('sup.unmetNote', { year: s.evaluationYear })}</p>
        </div>
        <div className="dash-kpi" data-testid="sup-inspections">
          <p className="dash-kpi-label">{t('sup.inspections')}</p>
          <p className="dash-kpi-value">{n(s.inspectionsOpen)}</p>
          <p className="dash-kpi-note">{t('sup.inspectionsNote')}</p>
        </div>
        {showPlan && (
          <div className="dash-kpi" data-testid="sup-plan">
            <p className="dash-kpi-label">{t('sup.keyPlan', { clause: plan.clause })}</p>
            <p className="dash-kpi-note strong">{t('sup.keySigned', { actual: n(plan.keyProjectsSignedActual), target: n(plan.keyProjectsSigned) })}</p>
            <div className="sup-plan-bar" role="img" aria-label={t('sup.keySigned', { actual: n(plan.keyProjectsSignedActual), target: n(plan.keyProjectsSigned) })}>
              <span style={{ width: pct(plan.keyProjectsSignedActual, plan.keyProjectsSigned) }} />
            </div>
            <p className="dash-kpi-note strong">{t('sup.keyLanded', { actual: n(plan.keyProjectsLandedActual), target: n(plan.keyProjectsLanded) })}</p>
            <div className="sup-plan-bar" role="img" aria-label={t('sup.keyLanded', { actual: n(plan.keyProjectsLandedActual), target: n(plan.keyProjectsLanded) })}>
              <span style={{ width: pct(plan.keyProjectsLandedActual, plan.keyProjectsLanded) }} />
            </div>
            <p className="dash-kpi-note">{t('sup.keyPlanNote', { year: plan.byYear, signed: n(plan.keyProjectsSigned), landed: n(plan.keyProjectsLanded) })}</p>
          </div>
        )}
      </div>

      {parksWithGrades.length > 0 && (
        <Table
          wrapClassName="table-wrap"
          className="data-table sup-grade-table"
          data-testid="sup-grades-by-park"
          caption={<caption className="sup-caption">{t('sup.gradesCaption', { year: s.evaluationYear })}</caption>}
          columns={[t('perf.col.park'), ...GRADES.map((g) => ({ label: g, num: true }))]}
        >
          {parksWithGrades.map((p) => {
            const park = names.get(p.parkId);
            return (
              <tr key={p.parkId}>
                <td>
                  <span className="mono">{p.parkCode}</span> {park ? (locale === 'en' ? park.nameEn : park.nameZh) : ''}
                </td>
                {GRADES.map((g) => (
                  <td key={g} className="num">
                    {n(p[g])}
                  </td>
                ))}
              </tr>
            );
          })}
        </Table>
      )}

      <p className="sup-links no-print">
        <Link href={`/supervision/evaluation?${q.toString()}`} className="button button--secondary button--small" data-testid="sup-evaluation-link">
          {t('sup.openEvaluation')}
        </Link>
        <Link href={`/supervision/report?${reportQ.toString()}`} className="button button--secondary button--small" data-testid="sup-report-link">
          {t('sup.openReport')}
        </Link>
      </p>
    </section>
  );
}
