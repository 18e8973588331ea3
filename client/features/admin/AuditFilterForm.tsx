/**
 * The audit page's filters as pickers, in words: the action (grouped, ./auditActions.ts), the
 * user (administrators pick from the accounts, grouped by role; land officers, who may not list
 * accounts, pick from the people seen in the trail or type a username), the record type, and a
 * date range in Beijing time.
 */
import { useId, useState, type FormEvent } from 'react';
import { ROLES } from '../../../shared/roles.ts';
import { usersApi } from '../../api/index.ts';
import { useT } from '../../i18n/useT.ts';
import { useApi } from '../../ui/useApi.ts';
import { useCan } from '../../ui/useCan.ts';
import { actionGroups, actionWords, AUDIT_ENTITY_WORDS, entityWords } from './auditActions.ts';
import { auditQueryFrom, EMPTY_AUDIT_FILTERS, type AuditFilters } from './auditView.ts';
import { roleLabel } from './labels.ts';

export function AuditFilterForm({ applied, seenActors, onApply }: { applied: AuditFilters; seenActors: string[]; onApply: (f: AuditFilters) => void }) {
  const { t, locale } = useT();
  const [draft, setDraft] = useState<AuditFilters>(applied);
  const problem = auditQueryFrom(draft, { limit: 1, offset: 0 });
  const ids = { entity: useId(), entityId: useId(), actor: useId(), action: useId(), from: useId(), to: useId(), actors: useId() };
  const set = (k: keyof AuditFilters) => (e: { target: { value: string } }) => setDraft({ ...draft, [k]: e.target.value });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (problem.ok) onApply(draft);
  };
  const groups = actionGroups(locale);
  const unknownAction = draft.action && !actionWords(draft.action, locale) ? draft.action : null;
  const unknownEntity = draft.entity && !entityWords(draft.entity, locale) ? draft.entity : null;

  return (
    <form className="toolbar toolbar--filters" onSubmit={submit} aria-label={t('audit.filters')} data-testid="audit-filters">
      <div className="field field--inline">
        <label htmlFor={ids.action}>{t('audit.action')}</label>
        <select id={ids.action} value={draft.action} onChange={set('action')} data-testid="audit-action-picker">
          <option value="">{t('auditUi.anyAction')}</option>
          {unknownAction && <option value={unknownAction}>{unknownAction}</option>}
          {groups.map((g) => (
            <optgroup key={g.label} label={g.label}>
              {g.actions.map((a) => (
                <option key={a.code} value={a.code}>
                  {a.label}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
      </div>
      <div className="field field--inline">
        <label htmlFor={ids.actor}>{t('audit.actor')}</label>
        <ActorPicker id={ids.actor} listId={ids.actors} value={draft.actor} seen={seenActors} onChange={(v) => setDraft({ ...draft, actor: v })} />
      </div>
      <div className="field field--inline">
        <label htmlFor={ids.entity}>{t('audit.entity')}</label>
        <select id={ids.entity} value={draft.entity} onChange={set('entity')} data-testid="audit-entity-picker">
          <option value="">{t('auditUi.anyEntity')}</option>
          {unknownEntity && <option value={unknownEntity}>{unknownEntity}</option>}
          {Object.keys(AUDIT_ENTITY_WORDS).map((k) => (
            <option key={k} value={k}>
              {entityWords(k, locale)}
            </option>
          ))}
        </select>
      </div>
      <div className="field field--inline field--narrow">
        <label htmlFor={ids.entityId}>{t('audit.entityId')}</label>
        <input id={ids.entityId} value={draft.entityId} onChange={set('entityId')} inputMode="numeric" />
      </div>
      <div className="field field--inline">
        <label htmlFor={ids.from}>{t('auditUi.fromDay')}</label>
        <input id={ids.from} type="date" value={draft.from.slice(0, 10)} onChange={set('from')} data-testid="audit-from" />
      </div>
      <div className="field field--inline">
        <label htmlFor={ids.to}>{t('auditUi.toDay')}</label>
        <input id={ids.to} type="date" value={draft.to.slice(0, 10)} onChange={set('to')} data-testid="audit-to" />
      </div>
      <div className="toolbar-buttons">
        <button type="submit" className="button" disabled={!problem.ok} data-testid="audit-apply">
          {t('audit.apply')}
        </button>
        <button
          type="button"
          className="button button--secondary"
          onClick={() => {
            setDraft(EMPTY_AUDIT_FILTERS);
            onApply(EMPTY_AUDIT_FILTERS);
          }}
        >
          {t('audit.reset')}
        </button>
      </div>
      <p className="muted small toolbar-note">{t('auditUi.timeZoneNote')}</p>
      {!problem.ok && (
        <p className="form-error toolbar-error" role="alert">
          {t(`audit.problem.${problem.problem}`)}
        </p>
      )}
    </form>
  );
}

/** Administrators: every account, grouped by role. Others: a username, with those seen offered. */
function ActorPicker({ id, listId, value, seen, onChange }: { id: string; listId: string; value: string; seen: string[]; onChange: (v: string) => void }) {
  const { t, locale } = useT();
  const canList = useCan('users.manage');
  const users = useApi(canList ? 'audit-actors' : null, (signal) => usersApi.list({ includeDisabled: true, limit: 1000 }, signal));
  if (canList && users.data) {
    const known = users.data.items.some((u) => u.username.toLowerCase() === value.toLowerCase());
    return (
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} data-testid="audit-actor-picker">
        <option value="">{t('auditUi.anyone')}</option>
        {value && !known && <option value={value}>{value}</option>}
        {ROLES.map((role) => {
          const of = users.data!.items.filter((u) => u.role === role);
          return of.length === 0 ? null : (
            <optgroup key={role} label={roleLabel(role, locale)}>
              {of.map((u) => (
                <option key={u.id} value={u.username}>
                  {u.displayName} ({u.username})
                </option>
              ))}
            </optgroup>
          );
        })}
      </select>
    );
  }
  return (
    <>
      <input id={id} list={listId} value={value} onChange={(e) => onChange(e.target.value)} placeholder={t('audit.actorPlaceholder')} autoCapitalize="none" data-testid="audit-actor-picker" />
      <datalist id={listId}>
        {seen.map((x) => (
          <option key={x} value={x} />
        ))}
      </datalist>
    </>
  );
}
