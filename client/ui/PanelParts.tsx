/** Small building blocks of the detail panel. */
import type { ReactNode } from 'react';
import { useT } from '../i18n/useT.ts';

export function Facts({ children }: { children: ReactNode }) {
  return <dl className="facts">{children}</dl>;
}

/** One row of a fact list; renders "—" for a missing value. */
export function Fact({ label, children }: { label: string; children: ReactNode }) {
  const { t } = useT();
  const empty = children === null || children === undefined || children === '';
  return (
    <div className="fact">
      <dt>{label}</dt>
      <dd>{empty ? <span className="muted">{t('value.none')}</span> : children}</dd>
    </div>
  );
}

export function PanelLoading() {
  const { t } = useT();
  return (
    <div className="panel-state" role="status">
      <span className="spinner" aria-hidden="true" />
      {t('panel.loading')}
    </div>
  );
}

export function PanelError({ error, onRetry }: { error: Error; onRetry: () => void }) {
  const { t } = useT();
  return (
    <div className="panel-state panel-state--error" role="alert">
      <p>{t('panel.error', { message: error.message })}</p>
      <button type="button" className="button" onClick={onRetry}>
        {t('panel.retry')}
      </button>
    </div>
  );
}

/** A horizontal bar split into coloured parts (areas by status, subsidy used). */
export function StackedBar({ parts, label }: { parts: { key: string; value: number; color: string; title: string }[]; label: string }) {
  const total = parts.reduce((s, p) => s + Math.max(0, p.value), 0);
  return (
    <div className="stacked-bar" role="img" aria-label={label}>
      {total > 0 &&
        parts.map((p) =>
          p.value > 0 ? (
            <span key={p.key} style={{ width: `${(p.value / total) * 100}%`, background: p.color }} title={p.title} />
          ) : null,
        )}
    </div>
  );
}
