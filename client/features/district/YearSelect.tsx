import { useId } from 'react';
import { useT } from '../../i18n/useT.ts';
import { quotaYears } from './figures.ts';

/** The quota year the "quota charged" column counts (2018, the plan's first year, … this year). */
export function YearSelect({ year, thisYear, onChange }: { year: number; thisYear: number; onChange: (year: number) => void }) {
  const { t } = useT();
  const id = useId();
  return (
    <div className="field field--inline field--narrow">
      <label htmlFor={id}>{t('dashboard.year')}</label>
      <select id={id} value={year} onChange={(e) => onChange(Number(e.target.value))} data-testid="year-select">
        {quotaYears(Math.max(thisYear, year)).map((y) => (
          <option key={y} value={y}>
            {t('dashboard.yearOption', { year: y })}
          </option>
        ))}
      </select>
    </div>
  );
}
