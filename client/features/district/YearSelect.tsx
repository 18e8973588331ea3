import { useId } from 'react';
import { useT } from '../../i18n/useT.ts';
import { localName } from '../../i18n/index.ts';
import { useDistrictNames } from '../../ui/useDistrictNames.ts';
import { quotaYears } from './figures.ts';

/** A year (2018, the plan's first year, … this year): the dashboard's quota year, a report's or an evaluation's year. */
export function YearSelect({ year, thisYear, onChange, label, testId = 'year-select' }: { year: number; thisYear: number; onChange: (year: number) => void; label?: string; testId?: string }) {
  const { t } = useT();
  const id = useId();
  return (
    <div className="field field--inline field--narrow">
      <label htmlFor={id}>{label ?? t('dashboard.year')}</label>
      <select id={id} value={year} onChange={(e) => onChange(Number(e.target.value))} data-testid={testId}>
        {quotaYears(Math.max(thisYear, year)).map((y) => (
          <option key={y} value={y}>
            {t('dashboard.yearOption', { year: y })}
          </option>
        ))}
      </select>
    </div>
  );
}

/** One district or the whole city (empty value), for the bureau's city-wide screens. */
export function DistrictSelect({ district, onChange, label, testId }: { district: string | undefined; onChange: (district: string | undefined) => void; label: string; testId: string }) {
  const { t, locale } = useT();
  const id = useId();
  const districts = useDistrictNames();
  return (
    <div className="field field--inline field--narrow">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={district ?? ''} onChange={(e) => onChange(e.target.value || undefined)} data-testid={testId}>
        <option value="">{t('perf.allDistricts')}</option>
        {[...(districts?.values() ?? [])].map((x) => (
          <option key={x.code} value={x.code}>
            {localName(locale, x)}
          </option>
        ))}
      </select>
    </div>
  );
}
