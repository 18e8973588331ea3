import type { ReactNode } from 'react';
import { useT } from '../i18n/useT.ts';

/** A table's one-row state across all its columns: "none yet", or (without children) "loading…". */
export function TableStateRow({ colSpan, children }: { colSpan: number; children?: ReactNode }) {
  const { t } = useT();
  return (
    <tr>
      <td colSpan={colSpan} className="table-state">
        {children ?? (
          <>
            <span className="spinner" aria-hidden="true" /> {t('app.loading')}
          </>
        )}
      </td>
    </tr>
  );
}
