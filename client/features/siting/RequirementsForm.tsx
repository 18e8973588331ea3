/**
 * A project's land requirements (shared/contract/siting.ts `DemandRequirements`): sector, area in
 * 亩 (min–max), a budget for the indicative minimum (元/m²), serviced land, districts, hubs to be
 * near (kind + straight-line km); land use, supply mode and the project's own figures under
 * "更多条件". A controlled component with no page state of its own beyond what the inputs are
 * typing: the investor's siting page and the bureau's demand form both use it.
 *
 * Submitting checks the value by the rules the server applies (`checkRequirements`) and shows a
 * problem at its field; a server's 400 can be shown the same way through `problem`.
 */
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { DISTRICT_CODES, LAND_USES, PROJECT_SECTORS, type LandUse, type ProjectSector } from '../../../shared/domain.ts';
import { SUPPLY_MODES, type SupplyMode } from '../../../shared/supply-modes.ts';
import { POLLUTION_CATEGORIES, type PollutionCategory } from '../../../shared/policy/standard-land.ts';
import { HUB_KINDS, type DemandRequirements, type HubKind, type ProjectFigures } from '../../../shared/contract/siting.ts';
import { checkRequirements } from '../../../shared/siting-query.ts';
import { useT } from '../../i18n/useT.ts';
import type { MessageKey } from '../../i18n/zh.ts';
import { useDistrictNames } from '../../ui/useDistrictNames.ts';
import './siting-form.css';

/** A problem named by field (a `ValidationFailure` of shared/domain.ts, or the server's 400 body). */
export interface FieldProblem {
  field: string;
  messageZh: string;
  messageEn: string;
}

export interface RequirementsFormProps<T extends DemandRequirements> {
  value: T;
  onChange: (next: T) => void;
  /** Called with the value once it passes `checkRequirements`. */
  onSubmit: (value: T) => void;
  submitLabel?: string;
  busy?: boolean;
  /** A problem from outside (the server's 400), shown at its field. */
  problem?: FieldProblem | null;
  /** Extra controls after the submit button (e.g. a cancel button). */
  actions?: ReactNode;
}

const NUMERIC_FIGURES = [
  ['investmentIntensityYuanPerM2', 'conditions.project.investmentIntensity'],
  ['plotRatio', 'conditions.project.plotRatio'],
  ['outputPerMuYuan', 'conditions.project.outputPerMu'],
  ['taxPerMuYuan', 'conditions.project.taxPerMu'],
  ['energyTcePer10kYuan', 'conditions.project.energyPer10k'],
] as const satisfies readonly (readonly [Exclude<keyof ProjectFigures, 'pollutionCategory'>, MessageKey])[];

const DEFAULT_NEAR_KM: Record<HubKind, number> = { airport: 40, port: 40, rail: 15, metro: 3, anchor: 20 };

function toggle<T>(list: readonly T[] | undefined, value: T, on: boolean): T[] | undefined {
  const next = on ? [...new Set([...(list ?? []), value])] : (list ?? []).filter((x) => x !== value);
  return next.length ? next : undefined;
}

/** Drops the keys whose value is undefined (the contract's optional fields are absent, not undefined). */
function clean<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/**
 * A number input that keeps what is typed and reports a number ≥ 0, or undefined when empty or
 * not a number. A change from outside (reset, back/forward) replaces the text.
 */
function NumberInput({ id, value, onValue, step = 'any', invalid, describedBy, testId, label }: { id: string; value: number | undefined; onValue: (v: number | undefined) => void; step?: string; invalid?: boolean; describedBy?: string; testId?: string; label?: string }) {
  const [text, setText] = useState(value === undefined ? '' : String(value));
  const [seen, setSeen] = useState(value);
  if (seen !== value) {
    setSeen(value);
    setText(value === undefined ? '' : String(value));
  }
  return (
    <input
      id={id}
      type="number"
      inputMode="decimal"
      min={0}
      step={step}
      value={text}
      aria-invalid={invalid ? true : undefined}
      aria-describedby={describedBy}
      aria-label={label}
      data-testid={testId}
      onChange={(e) => {
        setText(e.target.value);
        const n = e.target.value.trim() === '' ? NaN : Number(e.target.value);
        const next = Number.isFinite(n) && n >= 0 ? n : undefined;
        setSeen(next);
        onValue(next);
      }}
    />
  );
}

export function RequirementsForm<T extends DemandRequirements>({ value, onChange, onSubmit, submitLabel, busy = false, problem = null, actions }: RequirementsFormProps<T>) {
  const { t, locale } = useT();
  const districts = useDistrictNames();
  const base = useId();
  const [ownProblem, setOwnProblem] = useState<FieldProblem | null>(null);
  // Required figures left empty (the value keeps its last number until one is typed again).
  const [blank, setBlank] = useState<ReadonlySet<'areaMuMin' | 'areaMuMax'>>(new Set());
  const shown = ownProblem ?? problem;
  const say = (p: FieldProblem) => (locale === 'en' ? p.messageEn : p.messageZh);
  const problemAt = (...fields: string[]) => (shown && fields.some((f) => shown.field === f || shown.field.startsWith(`${f}.`)) ? shown : null);

  const set = (patch: Partial<DemandRequirements>) => {
    setOwnProblem(null);
    onChange(clean({ ...value, ...patch }) as T);
  };
  const setArea = (key: 'areaMuMin' | 'areaMuMax', v: number | undefined) => {
    setBlank((b) => {
      const next = new Set(b);
      if (v === undefined) next.add(key);
      else next.delete(key);
      return next;
    });
    if (v !== undefined) set({ [key]: v });
  };
  const setProject = (patch: Partial<ProjectFigures>) => {
    const next = clean({ ...value.project, ...patch });
    set({ project: Object.keys(next).length ? next : undefined });
  };
  const near = value.near ?? [];
  const setNear = (rows: { kind: HubKind; maxKm: number }[]) => set({ near: rows.length ? rows : undefined });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const missing = [...blank][0];
    if (missing) {
      setOwnProblem({ field: missing, messageZh: '请填写面积（亩）', messageEn: 'Enter the area (亩)' });
      document.getElementById(`${base}-${missing}`)?.focus();
      return;
    }
    const failure = checkRequirements(value);
    if (failure) {
      setOwnProblem(failure);
      return;
    }
    setOwnProblem(null);
    onSubmit(value);
  };

  const err = (id: string, p: FieldProblem | null) =>
    p && (
      <p id={`${id}-err`} className="field-error" data-testid="requirements-error">
        {say(p)}
      </p>
    );
  const moreCount = (value.landUse?.length ? 1 : 0) + (value.supplyMode ? 1 : 0) + Object.keys(value.project ?? {}).length;
  const ids = { sector: `${base}-sector`, min: `${base}-areaMuMin`, max: `${base}-areaMuMax`, price: `${base}-price`, supply: `${base}-supply`, pollution: `${base}-pollution` };
  const areaProblem = problemAt('areaMuMin', 'areaMuMax');
  const priceProblem = problemAt('maxPriceYuanPerM2');

  return (
    <form className="siting-form" onSubmit={submit} noValidate aria-label={t('siting.form.title')} data-testid="requirements-form">
      <div className="field">
        <label htmlFor={ids.sector}>{t('siting.form.sector')}</label>
        <select id={ids.sector} value={value.sector} onChange={(e) => set({ sector: e.target.value as ProjectSector })} data-testid="req-sector">
          {PROJECT_SECTORS.map((s) => (
            <option key={s} value={s}>
              {t(`siting.sector.${s}`)}
            </option>
          ))}
        </select>
      </div>
      <fieldset className="field siting-range">
        <legend>{t('siting.form.area')}</legend>
        <div className="siting-range-row">
          <label htmlFor={ids.min} className="visually-hidden">
            {t('siting.form.areaMin')}
          </label>
          <NumberInput id={ids.min} value={blank.has('areaMuMin') ? undefined : value.areaMuMin} onValue={(v) => setArea('areaMuMin', v)} invalid={Boolean(areaProblem)} describedBy={areaProblem ? `${ids.min}-err` : undefined} testId="req-area-min" />
          <span aria-hidden="true">–</span>
          <label htmlFor={ids.max} className="visually-hidden">
            {t('siting.form.areaMax')}
          </label>
          <NumberInput id={ids.max} value={blank.has('areaMuMax') ? undefined : value.areaMuMax} onValue={(v) => setArea('areaMuMax', v)} invalid={Boolean(areaProblem)} describedBy={areaProblem ? `${ids.min}-err` : undefined} testId="req-area-max" />
        </div>
        {err(ids.min, areaProblem)}
      </fieldset>
      <div className="field">
        <label htmlFor={ids.price}>{t('siting.form.maxPrice')}</label>
        <NumberInput id={ids.price} value={value.maxPriceYuanPerM2} onValue={(v) => set({ maxPriceYuanPerM2: v })} step="10" invalid={Boolean(priceProblem)} describedBy={`${ids.price}-hint`} testId="req-max-price" />
        <p id={`${ids.price}-hint`} className="field-hint">
          {t('siting.form.maxPriceHint')}
        </p>
        {err(ids.price, priceProblem)}
      </div>
      <label className="check siting-serviced">
        <input type="checkbox" checked={value.serviced === true} onChange={(e) => set({ serviced: e.target.checked ? true : undefined })} data-testid="req-serviced" />
        {t('siting.form.serviced')}
      </label>

      <fieldset className="field field--wide siting-near" data-testid="req-near">
        <legend>{t('siting.form.near')}</legend>
        {near.map((row, i) => (
          <div key={i} className="siting-near-row">
            <label htmlFor={`${base}-near-${i}`} className="visually-hidden">
              {t('siting.form.nearKind', { n: i + 1 })}
            </label>
            <select id={`${base}-near-${i}`} value={row.kind} onChange={(e) => setNear(near.map((r, j) => (j === i ? { ...r, kind: e.target.value as HubKind } : r)))} data-testid="req-near-kind">
              {HUB_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`siting.hub.${k}`)}
                </option>
              ))}
            </select>
            <span>≤</span>
            <NumberInput id={`${base}-near-km-${i}`} label={t('siting.form.nearKm', { n: i + 1 })} value={row.maxKm} onValue={(v) => v !== undefined && setNear(near.map((r, j) => (j === i ? { ...r, maxKm: v } : r)))} testId="req-near-km" />
            <span>{t('siting.form.km')}</span>
            <button type="button" className="link-button" onClick={() => setNear(near.filter((_, j) => j !== i))} aria-label={t('siting.form.nearRemove', { n: i + 1 })}>
              ×
            </button>
          </div>
        ))}
        {near.length < 5 && (
          <button
            type="button"
            className="button button--ghost button--small siting-near-add"
            onClick={() => {
              const kind = HUB_KINDS.find((k) => !near.some((r) => r.kind === k)) ?? 'airport';
              setNear([...near, { kind, maxKm: DEFAULT_NEAR_KM[kind] }]);
            }}
            data-testid="req-near-add"
          >
            + {t('siting.form.nearAdd')}
          </button>
        )}
        <p className="field-hint">{t('siting.form.nearHint')}</p>
        {err(`${base}-near`, problemAt('near'))}
      </fieldset>

      <details className="field--wide siting-more" open={Boolean(value.districtCodes?.length) || undefined}>
        <summary>
          {t('siting.form.districts')}
          <span className="muted"> · {value.districtCodes?.length ? t('siting.form.chosen', { n: value.districtCodes.length }) : t('siting.form.any')}</span>
        </summary>
        <fieldset className="checks siting-checks">
          <legend className="visually-hidden">{t('siting.form.districts')}</legend>
          {DISTRICT_CODES.map((code) => {
            const d = districts?.get(code);
            return (
              <label key={code} className="check">
                <input type="checkbox" checked={value.districtCodes?.includes(code) ?? false} onChange={(e) => set({ districtCodes: toggle(value.districtCodes, code, e.target.checked) })} data-testid={`req-district-${code}`} />
                {d ? (locale === 'en' ? d.nameEn : d.nameZh) : code}
              </label>
            );
          })}
        </fieldset>
        {err(`${base}-districts`, problemAt('districtCodes'))}
      </details>

      <details className="field--wide siting-more" data-testid="req-more">
        <summary>
          {t('siting.form.more')}
          {moreCount > 0 && <span className="count-badge">{moreCount}</span>}
        </summary>
        <div className="siting-more-body">
          <fieldset className="checks siting-checks">
            <legend>{t('siting.form.landUse')}</legend>
            {LAND_USES.map((lu: LandUse) => (
              <label key={lu} className="check">
                <input type="checkbox" checked={value.landUse?.includes(lu) ?? false} onChange={(e) => set({ landUse: toggle(value.landUse, lu, e.target.checked) })} />
                {t(`landUse.${lu}`)}
              </label>
            ))}
          </fieldset>
          <div className="field">
            <label htmlFor={ids.supply}>{t('siting.form.supplyMode')}</label>
            <select id={ids.supply} value={value.supplyMode ?? ''} onChange={(e) => set({ supplyMode: (e.target.value || undefined) as SupplyMode | undefined })}>
              <option value="">{t('siting.form.any')}</option>
              {SUPPLY_MODES.map((m) => (
                <option key={m} value={m}>
                  {t(`supplyMode.${m}`)}
                </option>
              ))}
            </select>
          </div>
          <fieldset className="siting-project">
            <legend>{t('conditions.project.title')}</legend>
            <p className="field-hint">{t('siting.form.projectHint')}</p>
            <div className="siting-project-grid">
              {NUMERIC_FIGURES.map(([key, label]) => (
                <div className="field" key={key}>
                  <label htmlFor={`${base}-p-${key}`}>{t(label)}</label>
                  <NumberInput id={`${base}-p-${key}`} value={value.project?.[key]} onValue={(v) => setProject({ [key]: v })} invalid={Boolean(problemAt(`project.${key}`))} testId={`req-project-${key}`} />
                </div>
              ))}
              <div className="field">
                <label htmlFor={ids.pollution}>{t('conditions.project.pollutionCategory')}</label>
                <select id={ids.pollution} value={value.project?.pollutionCategory ?? ''} onChange={(e) => setProject({ pollutionCategory: (e.target.value || undefined) as PollutionCategory | undefined })}>
                  <option value="">{t('siting.form.any')}</option>
                  {POLLUTION_CATEGORIES.map((c) => (
                    <option key={c} value={c}>
                      {t(`conditions.category.${c}`)}
                    </option>
                  ))}
                </select>
              </div>
            </div>
            {err(`${base}-project`, problemAt('project', 'landUse', 'supplyMode'))}
          </fieldset>
        </div>
      </details>

      {shown && !problemAt('areaMuMin', 'areaMuMax', 'maxPriceYuanPerM2', 'near', 'districtCodes', 'project', 'landUse', 'supplyMode') && (
        <p className="form-error field--wide" role="alert">
          {say(shown)}
        </p>
      )}
      <div className="field--wide siting-form-actions">
        <button type="submit" className="button" disabled={busy} data-testid="requirements-submit">
          {busy && <span className="spinner spinner--light" aria-hidden="true" />}
          {submitLabel ?? t('siting.form.submit')}
        </button>
        {actions}
      </div>
    </form>
  );
}
