import type { ComponentProps } from 'react';
import { useT } from '../../i18n/useT.ts';
import { Table } from '../../ui/Table.tsx';

/**
 * A report's table in its scrolling box. On paper only the first `printRows` rows print (the
 * caller marks the later rows `report-more`); a note under the table says how many were left off.
 */
export function ReportTable({ rowCount, printRows, ...table }: Omit<ComponentProps<typeof Table>, 'className' | 'wrapClassName'> & { rowCount: number; printRows: number }) {
  const { t } = useT();
  return (
    <div className="report-table-wrap">
      <Table className="report-table" {...table} />
      {rowCount > printRows && <p className="report-more-note">{t('dashboard.report.moreRows', { n: rowCount - printRows })}</p>}
    </div>
  );
}
