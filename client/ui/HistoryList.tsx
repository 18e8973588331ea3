import { useState } from 'react';
import { Link } from 'wouter';
import { formatShanghai } from '../features/admin/auditView.ts';
import { auditValueText, fieldPathLabel, flatChanges } from '../features/admin/auditChanges.ts';
import { actionWords } from '../features/admin/auditActions.ts';
import { roleLabelLoose } from '../features/admin/labels.ts';
import { auditApi, type AuditEvent } from '../api/index.ts';
import { useApi } from './useApi.ts';
import { useCan } from './useCan.ts';
import { useErrorText } from './useErrorText.ts';
import { useT } from '../i18n/useT.ts';
import { useSessionStore } from '../stores/session.ts';

const LIMIT = 20;
const MAX_FIELDS = 5;

/**
 * One record's history from the audit trail (`GET /api/audit?entity=&entityId=`), newest first:
 * when, who, what, and which fields changed. Shown only to roles that may read the audit trail
 * (admin, land officer); renders nothing for others.
 */
export function HistoryList({
  entity,
  entityId,
  title,
  refreshKey = 0,
}: {
  entity: string;
  entityId: string | number;
  title?: string;
  /** Change it to load the history again (after an edit on the same page). */
  refreshKey?: string | number;
}) {
  const allowed = useCan('audit.read');
  if (!allowed) return null;
  return <History entity={entity} entityId={String(entityId)} title={title} refreshKey={refreshKey} />;
}

function History({ entity, entityId, title, refreshKey }: { entity: string; entityId: string; title?: string; refreshKey: string | number }) {
  const { t } = useT();
  const errorText = useErrorText();
  const userId = useSessionStore((s) => s.user?.id);
  const { data, error, loading, reload } = useApi(`audit:${userId}:${entity}:${entityId}:${refreshKey}`, (signal) =>
    auditApi.list({ entity, entityId, limit: LIMIT }, signal),
  );

  return (
    <section className="history" aria-labelledby={`history-${entity}-${entityId}`} data-testid="history-list">
      <h3 id={`history-${entity}-${entityId}`} className="section-title">
        {title ?? t('history.title')}
      </h3>
      {loading && (
        <p className="muted" role="status">
          <span className="spinner spinner--inline" aria-hidden="true" /> {t('app.loading')}
        </p>
      )}
      {error && (
        <p className="form-error" role="alert">
          {errorText(error)}{' '}
          <button type="button" className="link-button" onClick={reload}>
            {t('panel.retry')}
          </button>
        </p>
      )}
      {data && data.items.length === 0 && <p className="muted" data-testid="history-empty">{t('history.empty')}</p>}
      {data && data.items.length > 0 && (
        <ol className="history-items">
          {data.items.map((e) => (
            <HistoryItem key={e.id} event={e} />
          ))}
        </ol>
      )}
      {data && data.total > data.items.length && (
        <p className="history-more">
          <Link href={`/admin/audit?entity=${encodeURIComponent(entity)}&entityId=${encodeURIComponent(entityId)}`}>
            {t('history.more', { n: data.total })}
          </Link>
        </p>
      )}
    </section>
  );
}

function HistoryItem({ event: e }: { event: AuditEvent }) {
  const { t, locale } = useT();
  const words = actionWords(e.action, locale);
  const actor = e.actorUsername ?? t('history.anonymous');
  const role = roleLabelLoose(e.actorRole, locale);
  return (
    <li className="history-item" data-testid="history-item" data-action={e.action}>
      <div className="history-line">
        <span className="history-action">{words ?? e.action}</span>
        <time className="muted" dateTime={e.at}>
          {formatShanghai(e.at, locale)}
        </time>
      </div>
      <div className="muted history-actor">
        {actor}
        {role ? ` · ${role}` : ''}
      </div>
      <AuditChanges event={e} className="history-changes" />
    </li>
  );
}

/**
 * What an event changed, field by field ("面积（平方米）: 1200 → 1350"): for a creation the values
 * set, for an update old → new. Nested values by their dotted path in words (the path itself on
 * hover), lists short, booleans 是/否, roles by their label; a cut value whole on hover
 * (../features/admin/auditChanges.ts).
 */
export function AuditChanges({ event: e, max = MAX_FIELDS, className }: { event: AuditEvent; max?: number; className?: string }) {
  const { t, locale } = useT();
  const [all, setAll] = useState(false);
  const changes = flatChanges(e.before, e.after);
  if (changes.length === 0) return null;
  const shown = all ? changes : changes.slice(0, max);
  const show = (path: string, v: unknown) => {
    const role = path === 'role' && typeof v === 'string' ? roleLabelLoose(v, locale) : null;
    const { text, full } = role ? { text: role, full: null } : auditValueText(v, locale, 40, path);
    return full ? <span title={full}>{text}</span> : text;
  };
  const hasBefore = e.before !== null && e.before !== undefined;
  return (
    <ul className={className ?? 'audit-changes'} data-testid="audit-changes">
      {shown.map((c) => (
        <li key={c.path} data-path={c.path}>
          <span className="history-field" title={c.path || undefined}>{c.path ? fieldPathLabel(c.path, locale) : t('history.value')}</span>{' '}
          {hasBefore && (
            <>
              <del>{show(c.path, c.before)}</del> →{' '}
            </>
          )}
          <ins>{show(c.path, c.after)}</ins>
        </li>
      ))}
      {changes.length > max && (
        <li>
          <button type="button" className="link-button small" aria-expanded={all} onClick={() => setAll(!all)} data-testid="audit-changes-more">
            {all ? t('history.fewerFields') : t('history.moreFields', { n: changes.length - max })}
          </button>
        </li>
      )}
    </ul>
  );
}
