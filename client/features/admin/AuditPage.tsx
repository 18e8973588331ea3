/**
 * `/admin/audit` — the audit trail (admin and land officers): filter by entity, id, actor,
 * action and time; page through events newest first; and (admin) verify the hash chain, which
 * answers "intact, N events" or names the first broken link. Filters live in the query string,
 * so a record's full history can be linked (`?entity=user&entityId=7`).
 */
import { useState } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { auditQueryFrom, filtersFromSearch, formatShanghai, searchFromFilters, type AuditFilters } from './auditView.ts';
import { actionWords, entityWords } from './auditActions.ts';
import { AuditFilterForm } from './AuditFilterForm.tsx';
import { roleLabelLoose } from './labels.ts';
import { auditApi, type AuditVerifyResult } from '../../api/index.ts';
import { AccessGate, LoadError } from '../../ui/AccessGate.tsx';
import { AuditChanges } from '../../ui/HistoryList.tsx';
import { Table } from '../../ui/Table.tsx';
import { TableStateRow } from '../../ui/TableState.tsx';
import { useApi } from '../../ui/useApi.ts';
import { useCan } from '../../ui/useCan.ts';
import { useErrorText } from '../../ui/useErrorText.ts';
import { formatNumber } from '../../ui/format.ts';
import { useT } from '../../i18n/useT.ts';
import './admin.css';

const PAGE_SIZE = 50;

export default function AuditPage() {
  return (
    <AccessGate permission="audit.read">
      <AuditTrail />
    </AccessGate>
  );
}

function AuditTrail() {
  const { t, locale } = useT();
  const search = useSearch();
  const [, navigate] = useLocation();
  const applied = filtersFromSearch(search);
  const offset = Math.max(0, Number(new URLSearchParams(search).get('offset')) || 0);
  const built = auditQueryFrom(applied, { limit: PAGE_SIZE, offset });
  const query = built.ok ? built.query : null;
  const list = useApi(query ? `audit-page:${JSON.stringify(query)}` : null, (signal) => auditApi.list(query!, signal));
  const canVerify = useCan('audit.verify');
  const seenActors = [...new Set((list.data?.items ?? []).map((e) => e.actorUsername).filter((x): x is string => !!x))].sort();

  const go = (f: AuditFilters, off = 0) => {
    const s = searchFromFilters(f);
    const withOffset = off > 0 ? `${s ? `${s}&` : '?'}offset=${off}` : s;
    navigate(`/admin/audit${withOffset}`);
  };

  const total = list.data?.total ?? 0;
  const shown = list.data?.items.length ?? 0;
  return (
    <div className="page" data-testid="audit-page">
      <div className="page-inner">
        <header className="page-header">
          <div>
            <p className="eyebrow">{t('admin.eyebrow')}</p>
            <h1>{t('audit.title')}</h1>
            <p className="muted">{t('audit.lead')}</p>
          </div>
          {canVerify && <VerifyChain />}
        </header>

        <AuditFilterForm key={search} applied={applied} seenActors={seenActors} onApply={(f) => go(f)} />

        {!built.ok && <p className="form-error">{t(`audit.problem.${built.problem}`)}</p>}
        {list.error && <LoadError error={list.error} onRetry={list.reload} />}

        <Table
          wrapClassName="table-wrap"
          className="data-table
          data-table--audit"
          aria-busy={list.loading}
          data-testid="audit-table"
          columns={[
            '#',
            t('auditUi.atBeijing'),
            t('audit.actor'),
            t('audit.action'),
            t('audit.record'),
            t('audit.changes'),
          ]}
        >
          {list.loading && !list.data && <TableStateRow colSpan={6} />}
          {list.data?.items.length === 0 && <TableStateRow colSpan={6}>{t('audit.none')}</TableStateRow>}
          {list.data?.items.map((e) => {
            const words = actionWords(e.action, locale);
            const role = roleLabelLoose(e.actorRole, locale);
            return (
              <tr key={e.id}>
                <td className="num muted">{e.id}</td>
                <td className="nowrap">
                  <time dateTime={e.at} data-testid="audit-time">{formatShanghai(e.at, locale)}</time>
                </td>
                <td>
                  {e.actorUsername ?? <span className="muted">{t('history.anonymous')}</span>}
                  {role && <div className="muted small">{role}</div>}
                </td>
                <td data-testid="audit-action" data-action={e.action}>
                  {words ?? e.action}
                  {words && <div className="muted small mono">{e.action}</div>}
                </td>
                <td className="nowrap">
                  {e.entity === 'user' && e.entityId ? (
                    <Link href={`/admin/users/${e.entityId}`}>
                      {entityWords(e.entity, locale) ?? e.entity} #{e.entityId}
                    </Link>
                  ) : (
                    <>
                      {entityWords(e.entity, locale) ?? e.entity}
                      {e.entityId ? ` #${e.entityId}` : ''}
                    </>
                  )}
                </td>
                <td className="changes">
                  <AuditChanges event={e} max={4} />
                </td>
              </tr>
            );
          })}
        </Table>

        {list.data && total > 0 && (
          <nav className="pager" aria-label={t('audit.pages')}>
            <span className="muted">
              {t('audit.range', { from: formatNumber(offset + 1, locale), to: formatNumber(offset + shown, locale), total: formatNumber(total, locale) })}
            </span>
            <button type="button" className="button button--secondary button--small" disabled={offset === 0} onClick={() => go(applied, Math.max(0, offset - PAGE_SIZE))}>
              {t('audit.newer')}
            </button>
            <button
              type="button"
              className="button button--secondary button--small"
              disabled={offset + shown >= total}
              onClick={() => go(applied, offset + PAGE_SIZE)}
            >
              {t('audit.older')}
            </button>
          </nav>
        )}
      </div>
    </div>
  );
}

/** The chain check: one button, then "intact" or the first broken link. */
function VerifyChain() {
  const { t, locale } = useT();
  const errorText = useErrorText();
  const [state, setState] = useState<{ busy: boolean; result: AuditVerifyResult | null; error: string | null }>({ busy: false, result: null, error: null });
  const run = async () => {
    setState({ busy: true, result: null, error: null });
    try {
      setState({ busy: false, result: await auditApi.verify(), error: null });
    } catch (e) {
      setState({ busy: false, result: null, error: errorText(e) });
    }
  };
  const r = state.result;
  return (
    <div className="verify">
      <button type="button" className="button button--secondary" onClick={() => void run()} disabled={state.busy} data-testid="verify-chain">
        {state.busy && <span className="spinner spinner--inline" aria-hidden="true" />}
        {t('audit.verify')}
      </button>
      <div aria-live="polite" data-testid="verify-result">
        {r?.ok === true && (
          <p className="verify-result verify-result--ok">
            {t('audit.verifyOk', { n: formatNumber(r.count, locale), id: r.lastId ?? '—' })}
          </p>
        )}
        {r?.ok === false && (
          <p className="verify-result verify-result--broken" role="alert">
            {t('audit.verifyBroken', { id: r.brokenAtId ?? '—', checked: formatNumber(r.checked, locale) })}
            <span className="small mono">{r.reason}</span>
          </p>
        )}
        {state.error && (
          <p className="form-error" role="alert">
            {state.error}
          </p>
        )}
      </div>
    </div>
  );
}
