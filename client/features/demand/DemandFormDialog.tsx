/**
 * "新建需求 / New demand": the project and its enterprise (name, 统一社会信用代码 — optional until a
 * plot is held or proposed, checked when given), the IAB key-project flag, the date the land is
 * needed by, a note, and the siting requirements through the siting feature's RequirementsForm
 * (its submit records the demand). Prefilled from an interest when turned from one; `POST
 * /api/demands` then carries the interest's id. A refusal shows the server's words at its field.
 */
import { useId, useRef, useState } from 'react';
import { ApiError, demandsApi, type Demand } from '../../api/index.ts';
import type { DemandRequirements } from '../../../shared/contract/siting.ts';
import { bureauToday } from '../../../shared/dates.ts';
import { Dialog } from '../../ui/Dialog.tsx';
import { InputField } from '../../ui/Field.tsx';
import { useErrorText } from '../../ui/useErrorText.ts';
import { useT } from '../../i18n/useT.ts';
import { RequirementsForm, type FieldProblem } from '../siting/RequirementsForm.tsx';
import { buildDemandBody, emptyDemandForm, type DemandFormProblem, type DemandFormProblems, type DemandFormValues } from './demandForm.ts';

/** The server's 400 naming a field under `requirements.`, as the requirements form shows it. */
function requirementsProblemOf(e: unknown): FieldProblem | null {
  if (!(e instanceof ApiError) || e.status !== 400) return null;
  const field = typeof e.details.field === 'string' ? e.details.field : '';
  if (!field.startsWith('requirements')) return null;
  const zh = typeof e.details.messageZh === 'string' ? e.details.messageZh : e.message;
  const en = typeof e.details.messageEn === 'string' ? e.details.messageEn : e.message;
  return { field: field.replace(/^requirements\.?/, ''), messageZh: zh, messageEn: en };
}

export function DemandFormDialog({
  initial,
  fromInterest,
  onClose,
  onCreated,
}: {
  initial?: DemandFormValues;
  fromInterest?: { id: number; plotCode: string };
  onClose: () => void;
  onCreated: (demand: Demand) => void;
}) {
  const { t, locale } = useT();
  const errorText = useErrorText();
  const [values, setValues] = useState<DemandFormValues>(() => initial ?? emptyDemandForm(bureauToday()));
  const [problems, setProblems] = useState<DemandFormProblems>({});
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [reqProblem, setReqProblem] = useState<FieldProblem | null>(null);
  const base = useId();
  const headRef = useRef<HTMLDivElement>(null);

  const say = (p: DemandFormProblem | undefined): string | undefined => {
    if (!p) return undefined;
    if (p.code === 'shared') return locale === 'en' ? p.messageEn : p.messageZh;
    return t(`demand.problem.${p.code}`);
  };
  const set = (patch: Partial<DemandFormValues>) => {
    setValues((v) => ({ ...v, ...patch }));
    setProblems((p) => {
      const next = { ...p };
      for (const k of Object.keys(patch)) delete next[k as keyof DemandFormProblems];
      return next;
    });
  };

  const submit = async (requirements: DemandRequirements) => {
    const v = { ...values, requirements };
    const built = buildDemandBody(v);
    if (!built.ok) {
      setProblems(built.problems);
      const r = built.problems.requirements;
      setReqProblem(r?.code === 'shared' ? { field: r.field ?? '', messageZh: r.messageZh, messageEn: r.messageEn } : null);
      // Show the first problem: the project fields are above the requirements.
      setTimeout(() => headRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(), 0);
      return;
    }
    setBusy(true);
    setFailure(null);
    setReqProblem(null);
    try {
      onCreated(await demandsApi.create(built.body));
    } catch (e) {
      const rp = requirementsProblemOf(e);
      if (rp) setReqProblem(rp);
      else setFailure(errorText(e));
      setBusy(false);
    }
  };

  return (
    <Dialog title={fromInterest ? t('demand.form.fromInterest') : t('demand.form.title')} onClose={onClose} wide testId="demand-form-dialog">
      {fromInterest && <p className="note note--info" data-testid="demand-from-interest">{t('demand.form.fromInterestNote', { id: fromInterest.id, plot: fromInterest.plotCode })}</p>}
      <fieldset className="dm-form-project">
        <legend>{t('demand.form.project')}</legend>
        <div className="form-grid" ref={headRef}>
          <div className="field--wide">
            <InputField label={t('demand.form.projectName')} required maxLength={200} value={values.projectName} onChange={(e) => set({ projectName: e.target.value })} error={say(problems.projectName)} data-testid="demand-projectName" />
          </div>
          <InputField
            label={t('demand.form.enterpriseName')}
            maxLength={200}
            value={values.enterpriseName}
            onChange={(e) => set({ enterpriseName: e.target.value })}
            error={say(problems.enterpriseName)}
            hint={values.interestId !== null ? t('demand.form.enterpriseFromInterest') : undefined}
            data-testid="demand-enterpriseName"
          />
          <InputField
            label={t('demand.form.uscc')}
            maxLength={40}
            autoCapitalize="characters"
            spellCheck={false}
            className="mono"
            value={values.uscc}
            onChange={(e) => set({ uscc: e.target.value })}
            hint={t('demand.form.usccHint')}
            error={say(problems.uscc)}
            data-testid="demand-uscc"
          />
          <InputField label={t('demand.form.neededBy')} type="date" required value={values.neededBy} onChange={(e) => set({ neededBy: e.target.value })} error={say(problems.neededBy)} data-testid="demand-neededBy" />
          <div className="field dm-key-field">
            <label className="check">
              <input type="checkbox" checked={values.keyProject} onChange={(e) => set({ keyProject: e.target.checked })} aria-invalid={problems.keyProject ? true : undefined} aria-describedby={problems.keyProject ? `${base}-key-err` : undefined} data-testid="demand-keyProject" />
              {t('demand.form.keyProject')}
            </label>
            {problems.keyProject && <p id={`${base}-key-err`} className="field-error">{say(problems.keyProject)}</p>}
          </div>
          <div className="field field--wide">
            <label htmlFor={`${base}-note`}>{t('demand.form.note')}</label>
            <textarea id={`${base}-note`} rows={2} maxLength={2000} value={values.note} onChange={(e) => set({ note: e.target.value })} data-testid="demand-note" />
          </div>
        </div>
      </fieldset>
      <h3 className="dm-form-subhead">{t('demand.form.requirements')}</h3>
      <RequirementsForm
        value={values.requirements}
        onChange={(requirements) => {
          setValues((v) => ({ ...v, requirements }));
          setReqProblem(null);
        }}
        onSubmit={(r) => void submit(r)}
        submitLabel={t('demand.form.submit')}
        busy={busy}
        problem={reqProblem}
        actions={
          <button type="button" className="button button--secondary" onClick={onClose} disabled={busy}>
            {t('common.cancel')}
          </button>
        }
      />
      {(failure || problems.requirements?.code === 'required') && (
        <p className="form-error" role="alert" data-testid="demand-form-error">
          {failure ?? say(problems.requirements)}
        </p>
      )}
    </Dialog>
  );
}
