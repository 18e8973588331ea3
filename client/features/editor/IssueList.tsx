/**
 * Geometry problems as a list: what is wrong (in the interface language, from shared/geometry.ts
 * or the server), a number matching its marker on the map, "show" to fly there, and the other
 * plot of an overlap as a link.
 */
import { useT } from '../../i18n/useT.ts';
import type { DisplayIssue } from './issues.ts';

export function IssueList({
  issues,
  onLocate,
  onPlot,
  testId,
}: {
  issues: readonly DisplayIssue[];
  onLocate: (where: [number, number]) => void;
  onPlot?: (plotId: number) => void;
  testId?: string;
}) {
  const { t } = useT();
  let marker = 0;
  return (
    <ul className="ed-issues" data-testid={testId}>
      {issues.map((i) => {
        const n = i.where ? ++marker : null;
        return (
          <li key={i.key} className={`ed-issue ed-issue--${i.severity}`} data-code={i.code} data-severity={i.severity}>
            <span className="ed-issue-mark" aria-hidden="true">{n ?? '•'}</span>
            <div className="ed-issue-body">
              <p className="ed-issue-text">
                <span className="visually-hidden">{t(i.severity === 'error' ? 'editor.issue.error' : 'editor.issue.warning')}: </span>
                {i.message}
              </p>
              <p className="ed-issue-actions">
                <span className="muted small">{t(i.origin === 'server' ? 'editor.issue.fromServer' : 'editor.issue.live')}</span>
                {i.where && (
                  <button type="button" className="link-button" onClick={() => onLocate(i.where!)}>
                    {t('editor.issue.locate', { n: n! })}
                  </button>
                )}
                {i.plotId !== null && onPlot && (
                  <button type="button" className="link-button" onClick={() => onPlot(i.plotId!)}>
                    {t('editor.issue.showPlot', { code: i.plotCode ?? `#${i.plotId}` })}
                  </button>
                )}
              </p>
            </div>
          </li>
        );
      })}
    </ul>
  );
}
