/**
 * Local (city) coordinate systems on `/admin/reference` (issue #18 §2): the bureau sees the list
 * (for imports: crs LOCAL:<id>); an administrator adds one — a name and the four parameters from
 * EPSG:4547 — or removes one. The parameters are confidential: the page says so, and the server
 * serves them to bureau roles only.
 */
import { useId, useState } from 'react';
import { importsApi, type LocalCrsInput } from '../../api/index.ts';
import { LoadError } from '../../ui/AccessGate.tsx';
import { ConfirmDialog } from '../../ui/Dialog.tsx';
import { Table } from '../../ui/Table.tsx';
import { TableStateRow } from '../../ui/TableState.tsx';
import { formatDate } from '../../ui/format.ts';
import { useApi } from '../../ui/useApi.ts';
import { useErrorText } from '../../ui/useErrorText.ts';
import { useT } from '../../i18n/useT.ts';

const FIELDS = ['dE', 'dN', 'rotationSec', 'scalePpm', 'originE', 'originN'] as const;
type Field = (typeof FIELDS)[number];

export function LocalCrsSection({ admin }: { admin: boolean }) {
  const { t, locale } = useT();
  const errorText = useErrorText();
  const id = useId();
  const list = useApi('local-crs', (s) => importsApi.localCrs(s));
  const [name, setName] = useState('');
  const [values, setValues] = useState<Record<Field, string>>({ dE: '', dN: '', rotationSec: '0', scalePpm: '0', originE: '0', originN: '0' });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [removing, setRemoving] = useState<{ id: number; name: string } | null>(null);

  const add = async () => {
    const nums = Object.fromEntries(FIELDS.map((f) => [f, Number(values[f])])) as Record<Field, number>;
    const bad = FIELDS.find((f) => values[f].trim() === '' || !Number.isFinite(nums[f]));
    if (!name.trim() || bad) {
      setError(t('localCrs.invalid', { field: bad ? t(`localCrs.${bad}`) : t('localCrs.name') }));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const body: LocalCrsInput = { name: name.trim(), kind: 'four_parameter', parameters: nums };
      await importsApi.addLocalCrs(body);
      setName('');
      setValues({ dE: '', dN: '', rotationSec: '0', scalePpm: '0', originE: '0', originN: '0' });
      list.reload();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const items = list.data?.items ?? [];
  return (
    <section className="card" aria-labelledby={`${id}-t`} data-testid="local-crs-section" style={{ marginTop: '1.5rem' }}>
      <h2 id={`${id}-t`} className="card-title">{t('localCrs.title')}</h2>
      <p className="muted small">{t('localCrs.intro')}</p>
      <p className="muted small"><strong>{t('localCrs.confidential')}</strong></p>
      {list.error && <LoadError error={list.error} onRetry={list.reload} />}
      <Table
        wrapClassName="report-table-wrap"
        className="report-table"
        aria-labelledby={`${id}-t`}
        data-testid="local-crs-table"
        columns={[t('localCrs.name'), t('localCrs.crs'), t('localCrs.parameters'), t('localCrs.created'), admin && { label: t('localCrs.remove'), hidden: true }]}
      >
        {list.loading && !list.data && <TableStateRow colSpan={admin ? 5 : 4}>{t('app.loading')}</TableStateRow>}
        {list.data && items.length === 0 && <TableStateRow colSpan={admin ? 5 : 4}>{t('localCrs.none')}</TableStateRow>}
        {items.map((l) => (
          <tr key={l.id}>
            <td>{l.name}</td>
            <td><code>{l.crs}</code></td>
            <td className="small">
              ΔE {l.parameters.dE} m · ΔN {l.parameters.dN} m · θ {l.parameters.rotationSec}″ · {l.parameters.scalePpm} ppm
              {(l.parameters.originE !== 0 || l.parameters.originN !== 0) && ` · ${t('localCrs.origin')} (${l.parameters.originE}, ${l.parameters.originN})`}
            </td>
            <td>{formatDate(l.createdAt, locale)}</td>
            {admin && (
              <td>
                <button type="button" className="button button--secondary button--small" onClick={() => setRemoving({ id: l.id, name: l.name })} data-testid={`local-crs-remove-${l.id}`}>
                  {t('localCrs.remove')}
                </button>
              </td>
            )}
          </tr>
        ))}
      </Table>
      {admin && (
        <form className="form-grid" onSubmit={(e) => { e.preventDefault(); void add(); }} data-testid="local-crs-form">
          <div className="field">
            <label htmlFor={`${id}-name`}>{t('localCrs.name')}</label>
            <input id={`${id}-name`} value={name} maxLength={100} onChange={(e) => setName(e.target.value)} data-testid="local-crs-name" />
          </div>
          {FIELDS.map((f) => (
            <div className="field" key={f}>
              <label htmlFor={`${id}-${f}`}>{t(`localCrs.${f}`)}</label>
              <input id={`${id}-${f}`} inputMode="decimal" value={values[f]} onChange={(e) => setValues((v) => ({ ...v, [f]: e.target.value }))} data-testid={`local-crs-${f}`} />
            </div>
          ))}
          <p className="field-hint">{t('localCrs.formula')}</p>
          {error && <p className="form-error" role="alert">{error}</p>}
          <div className="form-actions">
            <button type="submit" className="button" disabled={busy} data-testid="local-crs-add">{t('localCrs.add')}</button>
          </div>
        </form>
      )}
      {removing && (
        <ConfirmDialog
          title={t('localCrs.removeTitle', { name: removing.name })}
          confirmLabel={t('localCrs.remove')}
          busy={busy}
          error={error}
          onCancel={() => setRemoving(null)}
          onConfirm={() => {
            setBusy(true);
            importsApi.removeLocalCrs(removing.id)
              .then(() => { setRemoving(null); setError(null); list.reload(); })
              .catch((err: unknown) => setError(errorText(err)))
              .finally(() => setBusy(false));
          }}
          message={<p>{t('localCrs.removeBody')}</p>}
        />
      )}
    </section>
  );
}
