/**
 * One allocation's yearly 亩均 figures (POST /api/allocations/:id/performance): year, output, tax,
 * energy and employees; a year already recorded is replaced. The form names each field's problem
 * before sending; the server's refusal (a year outside the agreement, an allocation not supplied…)
 * is shown as it says it. The years already recorded are listed under the form.
 */
import { useId, useRef, useState, type FormEvent } from 'react';
import { performanceApi } from '../../api/index.ts';
import { Dialog, DialogFooter } from '../../ui/Dialog.tsx';
import { InputField } from '../../ui/Field.tsx';
import { formatNumber } from '../../ui/format.ts';
import { Money } from '../../ui/Money.tsx';
import { moneyScale } from '../../ui/money.ts';
import { useApi } from '../../ui/useApi.ts';
import { useErrorText } from '../../ui/useErrorText.ts';
import { useWrite } from '../../ui/useWrite.ts';
import { useT } from '../../i18n/useT.ts';
import { EMPTY_FIGURES_FORM, readFiguresForm, type FiguresField, type FiguresForm, type FiguresProblem } from './figures.ts';

export function EntryDialog({ allocationId, defaultYear, onClose, onSaved }: { allocationId: number | null; defaultYear: number; onClose: () => void; onSaved: (allocationId: number, year: number) => void }) {
  const { t, locale } = useT();
  const errorText = useErrorText();
  const formId = useId();
  const [allocation, setAllocation] = useState(allocationId === null ? '' : String(allocationId));
  const [form, setForm] = useState<FiguresForm>({ ...EMPTY_FIGURES_FORM, year: String(defaultYear) });
  const [problems, setProblems] = useState<Partial<Record<FiguresField | 'allocation', FiguresProblem>>>({});
  const write = useWrite();
  // One key per attempt of the same figures: a retry after a lost answer changes nothing twice.
  const keyRef = useRef<string | null>(null);
  const allocId = /^\d+$/.test(allocation.trim()) ? Number(allocation.trim()) : null;
  const history = useApi(allocId === null ? null : `performance:${allocId}`, (signal) => performanceApi.list(allocId!, signal));

  const set = (field: FiguresField) => (e: { target: { value: string } }) => {
    keyRef.current = null;
    setForm((f) => ({ ...f, [field]: e.target.value }));
    setProblems((p) => ({ ...p, [field]: undefined }));
  };
  const problem = (field: FiguresField | 'allocation') => {
    const p = problems[field];
    return p ? t(`perf.problem.${p}`) : undefined;
  };

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    const r = readFiguresForm(form);
    const next: typeof problems = r.ok ? {} : { ...r.problems };
    if (allocId === null) next.allocation = allocation.trim() === '' ? 'required' : 'not_whole';
    setProblems(next);
    if (!r.ok || allocId === null) return;
    keyRef.current ??= crypto.randomUUID();
    const key = keyRef.current;
    void write.run(async () => {
      await performanceApi.record(allocId, r.body, key);
      onSaved(allocId, r.body.year);
    });
  };

  const fields: { field: FiguresField; label: string; mode: 'numeric' | 'decimal' }[] = [
    { field: 'year', label: t('perf.entry.year'), mode: 'numeric' },
    { field: 'output', label: t('perf.entry.output'), mode: 'decimal' },
    { field: 'tax', label: t('perf.entry.tax'), mode: 'decimal' },
    { field: 'energy', label: t('perf.entry.energy'), mode: 'decimal' },
    { field: 'employees', label: t('perf.entry.employees'), mode: 'numeric' },
  ];

  return (
    <Dialog title={t('perf.entry.title')} onClose={onClose} testId="perf-entry-dialog">
      <form id={formId} onSubmit={submit} noValidate className="perf-entry-form">
        <InputField
          label={t('perf.entry.allocation')}
          hint={t('perf.entry.allocationHint')}
          value={allocation}
          onChange={(e) => {
            keyRef.current = null;
            setAllocation(e.target.value);
            setProblems((p) => ({ ...p, allocation: undefined }));
          }}
          inputMode="numeric"
          required
          readOnly={allocationId !== null}
          error={problem('allocation')}
          data-testid="perf-allocation"
        />
        <div className="perf-entry-grid">
          {fields.map((f) => (
            <InputField key={f.field} label={f.label} value={form[f.field]} onChange={set(f.field)} inputMode={f.mode} required error={problem(f.field)} data-testid={`perf-${f.field}`} />
          ))}
        </div>
      </form>
      {allocId !== null && history.data && (
        <section className="perf-history" aria-label={t('perf.entry.history')}>
          <h3 className="perf-h3">{t('perf.entry.history')}</h3>
          {history.data.items.length === 0 ? (
            <p className="muted small">{t('perf.entry.noHistory')}</p>
          ) : (
            <ul className="perf-history-list">
              {history.data.items.map((p, _i, all) => (
                <li key={p.year}>
                  {/* Each figure in one unit down the years (output and tax each their own, from the largest); exact 元 on hover. */}
                  <span className="strong">{p.year}</span> · <Money yuan={p.outputYuan} scale={moneyScale(all.map((x) => x.outputYuan), locale)} /> ·{' '}
                  <Money yuan={p.taxYuan} scale={moneyScale(all.map((x) => x.taxYuan), locale)} /> · {formatNumber(p.energyTce, locale, 4)} {t('perf.unit.tce')} ·{' '}
                  {formatNumber(p.employees, locale, 0)} · <span className="muted">{t(`perf.source.${p.source}`)}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
      <DialogFooter error={write.error ? errorText(write.error) : null} errorTestId="perf-entry-error" busy={write.busy} onCancel={onClose} cancelLabel={t('perf.entry.cancel')} submitLabel={t('perf.entry.save')} onSubmit={() => submit()} submitTestId="perf-save" />
    </Dialog>
  );
}
