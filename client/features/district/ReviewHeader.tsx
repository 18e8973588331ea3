/**
 * The head of the district dashboard and the city overview: eyebrow, title, the as-of date and
 * park count, the year chooser (after any other controls given as children), and the sample-data
 * note when any park shown is sample data (which also lights the top bar's sample badge).
 */
import { useEffect, type ReactNode } from 'react';
import type { BureauParks } from '../../api/index.ts';
import { formatDate } from '../../ui/format.ts';
import { useT } from '../../i18n/useT.ts';
import { markSampleSeen } from '../../stores/dataset.ts';
import { YearSelect } from './YearSelect.tsx';
import { bureauYear } from '../../../shared/dates.ts';

export function ReviewHeader({
  eyebrow,
  title,
  titleTestId,
  data,
  year,
  onYear,
  children,
}: {
  eyebrow: string;
  title: string;
  titleTestId?: string;
  data: BureauParks | null;
  /** The year asked for in the URL (undefined: the server's default, this year). */
  year: number | undefined;
  onYear: (year: number) => void;
  children?: ReactNode;
}) {
  const { t, locale } = useT();
  const thisYear = bureauYear();
  const sample = !!data?.parks.some((p) => p.sample);
  useEffect(() => {
    if (sample) markSampleSeen();
  }, [sample]);
  return (
    <>
      <header className="page-header">
        <div>
          <p className="eyebrow">{eyebrow}</p>
          <h1 data-testid={titleTestId}>{title}</h1>
          {data && (
            <p className="muted">
              {t('dashboard.asOf', { date: formatDate(data.asOf, locale, true) })} · {t('dashboard.parkCount', { n: data.parks.length })}
            </p>
          )}
        </div>
        <div className="page-header-actions dash-controls">
          {children}
          <YearSelect year={year ?? data?.year ?? thisYear} thisYear={Math.max(thisYear, data?.year ?? thisYear)} onChange={onYear} />
        </div>
      </header>
      {sample && (
        <p className="note note--sample" data-testid="sample-note">
          <strong>{t('dashboard.sample')}</strong>
          <span>{t('dashboard.sampleNote')}</span>
        </p>
      )}
    </>
  );
}
