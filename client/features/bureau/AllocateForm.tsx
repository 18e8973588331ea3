/**
 * The Allocate panel's form: the project and its enterprise, the
 * supply mode and term, the quota year, the price — with the floor computed live in the browser
 * by shared/policy (the server's own functions) and the year's quota headroom for this plot —
 * then `POST /api/allocations` with an Idempotency-Key, so a double click proposes once.
 * Below the floor or over the remaining quota, the officer is warned before anything is sent —
 * and when the plot already has open proposals (`GET /api/allocations?plotId=…&status=proposed`):
 * a second one is allowed, and approving either closes the other as superseded.
 */
import { useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { PROJECT_SECTORS, type LandUse, type ProjectSector } from '../../../shared/domain.ts';
import { fenToYuanString } from '../../../shared/money.ts';
import { DEFAULT_PARAMETERS } from '../../../shared/policy/index.ts';
import { formatMoney } from '../../../shared/units.ts';
import { SUPPLY_MODES } from '../../../shared/supply-modes.ts';
import { validateUscc } from '../../../shared/uscc.ts';
import { allocationsApi, floorApi, quotasApi, type AllocationDetail, type HoldRecord } from '../../api/index.ts';
import { ConfirmDialog } from '../../ui/Dialog.tsx';
import { parametersFromReference } from '../floor/floorForm.ts';
import { formatDate, formatNumber } from '../../ui/format.ts';
import { useApi } from '../../ui/useApi.ts';
import { useT } from '../../i18n/useT.ts';
import {
  buildProposal,
  checkTerms,
  emptyForm,
  modeIndicated,
  priceFen,
  withMode,
  withSector,
  type AllocationFormValues,
  type FormField,
  type FormProblems,
} from './allocationForm.ts';
import { inputsFromQuote, previewFloor, priceFieldFloor, rentFieldFloor, type FloorPreview, type PreviewLine } from './floorPreview.ts';
import { headroom } from './headroom.ts';
import { keyKeeper } from './idempotency.ts';
import { Area, useAllocationErrorText, useFormProblemText } from './parts.tsx';
import { QuotaGauge } from './QuotaGauge.tsx';
import { isQuotaNotSet } from './QuotaPanel.tsx';
import { useBureauStore } from './store.ts';
import { useBureauApi } from './useBureauApi.ts';

export interface AllocatePlot {
  id: number;
  code: string;
  areaM2: number;
  landUse: LandUse;
}

export function AllocateForm({ plot, hold, onProposed }: { plot: AllocatePlot; hold: HoldRecord | null; onProposed: (a: AllocationDetail) => void }) {
  const { t, locale } = useT();
  const pageYear = useBureauStore((s) => s.year);
  const problemText = useFormProblemText();
  const errorText = useAllocationErrorText();
  const base = useId();
  const ref = useApi('reference', (signal) => floorApi.reference(signal));
  const params = ref.data ? parametersFromReference(ref.data.parameters) : DEFAULT_PARAMETERS;
  const quote = useBureauApi(`floor-inputs:${plot.id}`, (signal) => floorApi.forPlot(plot.id, { iab: true }, signal));
  const inputs = quote.data ? inputsFromQuote(quote.data) : null;

  const [v, setV] = useState<AllocationFormValues>(() => ({
    ...emptyForm(pageYear),
    ...(hold ? { enterpriseName: hold.applicant.name, uscc: hold.applicant.uscc } : {}),
  }));
  const [shown, setShown] = useState<FormProblems>({});
  const [usccTouched, setUsccTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string[] | null>(null);
  const keys = useRef(keyKeeper());

  const iab = v.sector !== 'other';
  const year = /^\d{4}$/.test(v.quotaYear.trim()) ? Number(v.quotaYear.trim()) : null;
  const quota = useBureauApi(year !== null && year >= 2000 && year <= 2100 ? `form-quota:${year}` : null, (signal) => quotasApi.get(year!, signal));
  const room = quota.data ? headroom(quota.data, { areaM2: plot.areaM2, iab }) : null;
  const open = useBureauApi(`open-proposals:${plot.id}`, (signal) => allocationsApi.list({ plotId: plot.id, status: ['proposed'], limit: 20 }, signal));
  const openText = open.data && open.data.total > 0
    ? t('allocations.form.openProposals', { n: open.data.total, ids: open.data.items.map((a) => `#${a.id}`).join('、') })
    : null;

  const terms = checkTerms(v, params);
  const price = priceFen(v.price, v.priceUnit, plot.areaM2);
  const rent = priceFen(v.annualRent, v.priceUnit, plot.areaM2);
  // Cheap (exact integer arithmetic): computed on every keystroke, no memo needed.
  const preview: FloorPreview | null =
    inputs && terms.ok
      ? previewFloor(
          inputs,
          {
            mode: v.mode,
            termYears: terms.terms.termYears,
            leaseYears: terms.terms.leaseYears,
            iab,
            priceFen: price.ok ? price.fen : null,
            annualRentFen: v.mode === 'lease_then_transfer' && rent.ok ? rent.fen : null,
          },
          params,
        )
      : null;

  const set = <K extends FormField>(field: K, value: AllocationFormValues[K]) => {
    setV((old) => ({ ...old, [field]: value }));
    setShown((old) => {
      if (!old[field]) return old;
      const next = { ...old };
      delete next[field];
      return next;
    });
  };
  const fillFloor = (which: 'price' | 'rent') => {
    if (!preview) return;
    const fen = which === 'price' ? priceFieldFloor(preview) : rentFieldFloor(preview);
    if (fen === null) return;
    // The floor as a total in yuan: switch the unit to total so the figure is exact.
    setV((old) => ({
      ...old,
      priceUnit: 'total',
      ...(which === 'price' ? { price: fenToYuanString(fen) } : { annualRent: fenToYuanString(fen) }),
      ...(old.priceUnit === 'perM2' && which === 'price' && old.annualRent ? { annualRent: '' } : {}),
      ...(old.priceUnit === 'perM2' && which === 'rent' && old.price ? { price: '' } : {}),
    }));
  };

  // Live check of the 统一社会信用代码 once it is long enough (or the field was left).
  const usccLive = v.uscc.trim() && (usccTouched || v.uscc.trim().length >= 18) ? validateUscc(v.uscc) : null;
  const problem = (field: FormField): string | null => {
    if (field === 'uscc' && usccLive && !usccLive.ok) return locale === 'zh-CN' ? usccLive.messageZh : usccLive.messageEn;
    return problemText(shown[field]);
  };

  const warnings = (): string[] => {
    const out: string[] = [];
    if (preview?.state === 'ok') {
      for (const l of preview.lines) {
        if (l.ok === false) {
          out.push(t(`allocations.warn.below.${l.subject}`, { offered: formatMoney(l.offeredFen ?? 0n, locale), floor: formatMoney(l.floorFen, locale), short: formatMoney(l.shortfallFen, locale), binding: t(`floor.binding.${l.binding}`) }));
        }
      }
    }
    if (room && !room.fits) out.push(t('allocations.warn.quota', { message: (locale === 'zh-CN' ? room.messageZh : room.messageEn) ?? '' }));
    if (isQuotaNotSet(quota.error) && year !== null) out.push(t('allocations.warn.quotaNotSet', { year }));
    if (openText) out.push(openText);
    if (!modeIndicated(v.mode, plot.landUse)) out.push(t('allocations.warn.modeNotIndicated', { mode: t(`supplyMode.${v.mode}`), landUse: t(`landUse.${plot.landUse}`) }));
    return out;
  };

  const send = async () => {
    const built = buildProposal(v, plot, params);
    if (!built.ok) return;
    setBusy(true);
    setFailure(null);
    try {
      const created = await allocationsApi.propose(built.body, keys.current.keyFor(built.body));
      keys.current.reset();
      setConfirming(null);
      onProposed(created);
    } catch (err) {
      setFailure(errorText(err));
      setConfirming(null);
    } finally {
      setBusy(false);
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setFailure(null);
    const built = buildProposal(v, plot, params);
    if (!built.ok) {
      setShown(built.problems);
      setUsccTouched(true);
      const first = Object.keys(built.problems)[0];
      if (first) document.getElementById(`${base}-${first}`)?.focus();
      return;
    }
    const w = warnings();
    if (w.length > 0) setConfirming(w);
    else void send();
  };

  const field = (name: FormField, label: string, control: ReactNode, hint?: ReactNode, extraClass = '') => {
    const p = problem(name);
    return (
      <div className={`field ${extraClass}`}>
        <label htmlFor={`${base}-${name}`}>{label}</label>
        {control}
        {p ? (
          <p id={`${base}-${name}-msg`} className="field-error" data-testid={`problem-${name}`}>{p}</p>
        ) : hint ? (
          <p id={`${base}-${name}-msg`} className="field-hint">{hint}</p>
        ) : null}
      </div>
    );
  };
  const inputProps = (name: FormField) => ({
    id: `${base}-${name}`,
    'aria-invalid': problem(name) ? true : undefined,
    'aria-describedby': `${base}-${name}-msg`,
    'data-testid': `alloc-${name}`,
  });
  const textInput = (name: 'projectName' | 'enterpriseName' | 'uscc' | 'subSector' | 'plannedInvestmentWan' | 'termYears' | 'leaseYears' | 'quotaYear' | 'price' | 'annualRent', opts: { inputMode?: 'decimal' | 'numeric' | 'text'; maxLength?: number; className?: string; readOnly?: boolean; list?: string; onBlur?: () => void } = {}) => (
    <input
      {...inputProps(name)}
      value={v[name]}
      onChange={(e) => set(name, e.target.value)}
      inputMode={opts.inputMode}
      maxLength={opts.maxLength}
      className={opts.className}
      readOnly={opts.readOnly}
      list={opts.list}
      onBlur={opts.onBlur}
      autoComplete="off"
    />
  );

  const unit = v.priceUnit === 'total' ? t('allocations.unit.yuan') : t('allocations.unit.yuanPerM2');
  const isLease = v.mode === 'long_term_lease';
  const priceLabel = isLease ? t('allocations.field.annualRentUnit', { unit }) : t('allocations.field.priceUnit', { unit });
  const conversion = (r: ReturnType<typeof priceFen>, perYear: boolean) => {
    if (!r.ok || r.fen === null) return null;
    const perM2 = Number(r.fen) / 100 / plot.areaM2;
    return t(perYear ? 'allocations.price.conversionYear' : 'allocations.price.conversion', {
      total: formatMoney(r.fen, locale, 'compact'),
      perM2: formatNumber(perM2, locale, 2, 2),
    });
  };
  const subSectors = iab ? t(`allocations.subSectors.${v.sector as 'ngit' | 'ai' | 'biomed'}`).split('|') : [];
  const max = params.statutoryMaxTermYears;

  return (
    <form className="bu-allocate" onSubmit={submit} noValidate data-testid="allocate-form" aria-labelledby={`${base}-title`}>
      <h3 id={`${base}-title`} className="bu-form-title">{t('allocations.form.title', { code: plot.code })}</h3>
      {hold && (
        <p className="note note--info">{t('allocations.form.heldFor', { name: hold.applicant.name, uscc: hold.applicant.uscc, until: formatDate(hold.until, locale) })}</p>
      )}
      {openText && <p className="note note--info" role="status" data-testid="open-proposals">{openText}</p>}

      <fieldset className="bu-fieldset">
        <legend>{t('allocations.form.project')}</legend>
        {field('projectName', t('allocations.field.projectName'), textInput('projectName', { maxLength: 200 }))}
        {field('enterpriseName', t('allocations.field.enterprise'), textInput('enterpriseName', { maxLength: 200 }))}
        {field(
          'uscc',
          t('allocations.field.uscc'),
          textInput('uscc', { maxLength: 40, className: 'mono', onBlur: () => setUsccTouched(true) }),
          usccLive?.ok ? <span className="bu-ok" data-testid="uscc-ok">✓ {t('allocations.form.usccOk')}</span> : t('allocations.form.usccHint'),
        )}
        <div className="bu-form-row">
          {field(
            'sector',
            t('allocations.field.sector'),
            <select {...inputProps('sector')} value={v.sector} onChange={(e) => setV((old) => withSector(old, e.target.value as ProjectSector))}>
              {PROJECT_SECTORS.map((s) => (
                <option key={s} value={s}>
                  {s === 'other' ? t('allocations.sector.other') : t(`sector.${s}`)}
                </option>
              ))}
            </select>,
          )}
          {iab && field('subSector', t('allocations.field.subSector'), textInput('subSector', { maxLength: 100, list: `${base}-subsectors` }))}
        </div>
        {iab && (
          <datalist id={`${base}-subsectors`}>
            {subSectors.map((s) => (
              <option key={s} value={s} />
            ))}
          </datalist>
        )}
        {field('plannedInvestmentWan', t('allocations.field.investmentWan'), textInput('plannedInvestmentWan', { inputMode: 'decimal', maxLength: 20 }), t('allocations.form.optional'))}
        <label className="check bu-check">
          <input type="checkbox" checked={v.keyProject} disabled={!iab} onChange={(e) => set('keyProject', e.target.checked)} data-testid="alloc-keyProject" />
          {t('allocations.field.keyProject')}
          {!iab && <span className="muted small"> {t('allocations.form.keyProjectIabOnly')}</span>}
        </label>
      </fieldset>

      <fieldset className="bu-fieldset">
        <legend>{t('allocations.form.supply')}</legend>
        <div className="bu-modes" role="radiogroup" aria-label={t('allocations.field.mode')}>
          {SUPPLY_MODES.map((m) => (
            <label key={m} className={`bu-mode${v.mode === m ? ' bu-mode--on' : ''}`}>
              <input type="radio" name={`${base}-mode`} value={m} checked={v.mode === m} onChange={() => setV((old) => withMode(old, m, params))} data-testid={`mode-${m}`} />
              <span>
                {t(`supplyMode.${m}`)}
                <span className="muted small bu-mode-rule">{t(`allocations.modeRule.${m}`, { max, min: params.longTermLeaseMinYears, leaseMax: params.longTermLeaseMaxYears })}</span>
                {!modeIndicated(m, plot.landUse) && <span className="tag tag--warn">{t('allocations.form.notIndicated')}</span>}
              </span>
            </label>
          ))}
        </div>
        <div className="bu-form-row">
          {v.mode === 'lease_then_transfer' &&
            field('leaseYears', t('allocations.field.leaseYears'), textInput('leaseYears', { inputMode: 'numeric', maxLength: 3 }))}
          {field(
            'termYears',
            v.mode === 'lease_then_transfer' ? t('allocations.field.transferYears') : v.mode === 'long_term_lease' ? t('allocations.field.leaseTerm') : t('allocations.field.termYears'),
            textInput('termYears', { inputMode: 'numeric', maxLength: 3, readOnly: v.mode === 'transfer' }),
            v.mode === 'transfer' ? t('allocations.form.transferFixed', { max }) : undefined,
          )}
        </div>
        {!terms.ok && !Object.keys(shown).some((k) => k === 'termYears' || k === 'leaseYears') && (
          <p className="field-error" data-testid="term-problem">{problemText(Object.values(terms.problems)[0])}</p>
        )}
      </fieldset>

      <fieldset className="bu-fieldset">
        <legend>{t('allocations.form.price')}</legend>
        <div className="bu-unit-toggle" role="radiogroup" aria-label={t('allocations.form.priceUnit')}>
          {(['total', 'perM2'] as const).map((u) => (
            <label key={u} className="check">
              <input type="radio" name={`${base}-unit`} checked={v.priceUnit === u} onChange={() => set('priceUnit', u)} data-testid={`unit-${u}`} />
              {u === 'total' ? t('allocations.form.unitTotal') : t('allocations.form.unitPerM2')}
            </label>
          ))}
        </div>
        {v.mode === 'lease_then_transfer' &&
          field(
            'annualRent',
            t('allocations.field.leaseRentUnit', { unit }),
            <div className="input-row">
              {textInput('annualRent', { inputMode: 'decimal', maxLength: 24 })}
              <button type="button" className="button button--secondary button--small" onClick={() => fillFloor('rent')} disabled={!preview || preview.state !== 'ok'}>
                {t('allocations.form.useFloor')}
              </button>
            </div>,
            conversion(rent, true),
          )}
        {field(
          'price',
          priceLabel,
          <div className="input-row">
            {textInput('price', { inputMode: 'decimal', maxLength: 24 })}
            <button type="button" className="button button--secondary button--small" onClick={() => fillFloor('price')} disabled={!preview || preview.state !== 'ok'} data-testid="use-floor">
              {t('allocations.form.useFloor')}
            </button>
          </div>,
          conversion(price, isLease),
        )}
        <FloorPreviewBox preview={preview} loading={quote.loading || ref.loading} error={quote.error ? errorText(quote.error) : null} inputs={inputs} iab={iab} />
      </fieldset>

      <fieldset className="bu-fieldset">
        <legend>{t('allocations.form.quota')}</legend>
        {field('quotaYear', t('allocations.field.quotaYear'), textInput('quotaYear', { inputMode: 'numeric', maxLength: 4 }), t('allocations.form.quotaYearHint'))}
        <div className="bu-headroom" data-testid="headroom" aria-live="polite">
          {quota.loading && <p className="muted small">{t('app.loading')}</p>}
          {isQuotaNotSet(quota.error) && <p className="note note--info">{t('allocations.headroom.notSet', { year: year ?? '' })}</p>}
          {quota.error && !isQuotaNotSet(quota.error) && <p className="form-error">{errorText(quota.error)}</p>}
          {quota.data && room && (
            <>
              <QuotaGauge quota={quota.data} pending={{ areaM2: plot.areaM2, iab }} compact />
              <dl className="bu-figures bu-figures--compact figure-grid">
                <div>
                  <dt>{t('allocations.headroom.available', { kind: iab ? 'IAB' : t('allocations.nonIab') })}</dt>
                  <dd data-testid="headroom-available"><Area m2={room.availableM2} block /></dd>
                </div>
                <div>
                  <dt>{t('allocations.headroom.reserve')}</dt>
                  <dd><Area m2={room.unusedReserveM2} block /></dd>
                </div>
                <div>
                  <dt>{t('allocations.headroom.takes')}</dt>
                  <dd data-testid="headroom-takes"><Area m2={room.requestedM2} block /></dd>
                </div>
                <div>
                  <dt>{t('allocations.headroom.after')}</dt>
                  <dd>{room.remainingAfterM2 === null ? <span className="bu-bad">—</span> : <Area m2={room.remainingAfterM2} block />}</dd>
                </div>
              </dl>
              {room.fits ? (
                <p className="bu-ok small">✓ {t('allocations.headroom.fits')}</p>
              ) : (
                <p className="form-error" data-testid="headroom-warning">{locale === 'zh-CN' ? room.messageZh : room.messageEn}</p>
              )}
            </>
          )}
          <p className="muted small">{t('allocations.headroom.note')}</p>
        </div>
      </fieldset>

      {failure && <p className="form-error" role="alert" data-testid="allocate-error">{failure}</p>}
      <button type="submit" className="button button--block" disabled={busy} data-testid="allocate-submit">
        {busy && <span className="spinner spinner--light" aria-hidden="true" />}
        {t('allocations.form.submit')}
      </button>
      <p className="muted small">{t('allocations.form.submitNote')}</p>

      {confirming && (
        <ConfirmDialog
          title={t('allocations.warn.title')}
          confirmLabel={t('allocations.warn.confirm')}
          danger
          busy={busy}
          error={failure}
          onCancel={() => setConfirming(null)}
          onConfirm={() => void send()}
          message={
            <>
              <ul className="bu-warnings" data-testid="submit-warnings">
                {confirming.map((w) => (
                  <li key={w}>{w}</li>
                ))}
              </ul>
              <p className="muted small">{t('allocations.warn.serverDecides')}</p>
            </>
          }
        />
      )}
    </form>
  );
}

function FloorPreviewBox({ preview, loading, error, inputs, iab }: { preview: FloorPreview | null; loading: boolean; error: string | null; inputs: ReturnType<typeof inputsFromQuote>; iab: boolean }) {
  const { t, locale } = useT();
  return (
    <div className="bu-floor" data-testid="floor-preview" aria-live="polite">
      <h4 className="bu-floor-title">{t('allocations.floor.title', { kind: iab ? 'IAB' : t('allocations.nonIab') })}</h4>
      {loading && !inputs && <p className="muted small">{t('app.loading')}</p>}
      {error && <p className="form-error">{t('floor.unavailable')} {error}</p>}
      {preview?.state === 'invalid' && <p className="field-error">{locale === 'zh-CN' ? preview.failure.messageZh : preview.failure.messageEn}</p>}
      {inputs?.costRecorded === false && (
        <p className="form-error" role="alert" data-testid="floor-cost-not-recorded">
          {t('floor.costNotRecordedNote')}
        </p>
      )}
      {preview?.state === 'ok' && preview.lines.map((l) => <FloorLine key={l.subject} l={l} />)}
      {inputs && (
        <p className="muted small">
          {t('allocations.floor.inputs', {
            b: formatNumber(inputs.benchmarkYuanPerM2, locale, 2),
            n: formatNumber(inputs.nationalMinYuanPerM2, locale, 2),
            c: inputs.costYuan !== null ? formatMoney(BigInt(Math.round(inputs.costYuan * 100)), locale, 'compact') : inputs.costRecorded === false ? t('floor.costNotRecorded') : t('floor.notPublic'),
            level: inputs.landLevel ?? '—',
            grade: inputs.landGrade ?? '—',
          })}{' '}
          · {t('floor.asOf', { date: formatDate(inputs.asOf, locale) })}
          {inputs.benchmarkSample && <span className="tag tag--sample">{t('floor.flag.benchmarkSample')}</span>}
          {inputs.plotSample && <span className="tag tag--sample">{t('allocations.floor.plotSample')}</span>}
          {inputs.gradeAssumption && <span className="tag tag--warn">{t('floor.flag.gradeAssumption')}</span>}
          {!inputs.nationalMinimumVerified && <span className="tag tag--warn">{t('floor.flag.nationalMinUnverified')}</span>}
          {inputs.provincialMinimumVerified === false && <span className="tag tag--warn">{t('floor.flag.provincialUnverified')}</span>}
        </p>
      )}
    </div>
  );
}

function FloorLine({ l }: { l: PreviewLine }) {
  const { t, locale } = useT();
  const money = (fen: bigint) => formatMoney(fen, locale, 'compact');
  const c = l.basis.components;
  return (
    <div className={`bu-floor-line${l.ok === false ? ' bu-floor-line--below' : l.ok ? ' bu-floor-line--ok' : ''}`} data-testid={`floor-line-${l.subject}`} data-floor-fen={l.floorFen.toString()}>
      <p className="bu-floor-head">
        <span>{t(`allocations.floor.${l.subject}`, { n: l.termYears })}</span>
        <span className="bu-floor-total" data-testid={`floor-total-${l.subject}`}>{formatMoney(l.floorFen, locale)}</span>
      </p>
      <p className="small">
        {t(l.subject === 'annual_rent' ? 'allocations.floor.perM2Year' : 'allocations.floor.perM2', { value: formatMoney(l.floorPerM2Fen, locale) })} ·{' '}
        <span className="tag tag--binding">{t('allocations.floor.binding', { term: t(`floor.binding.${l.binding}`) })}</span>
      </p>
      <p className="muted small">
        {l.subject === 'annual_rent'
          ? t('allocations.floor.rentBasis', { pct: formatNumber((l.rentShareBp ?? 0) / 100, locale, 2), floor50: money(l.basis.floorFen) })
          : t('allocations.floor.components', {
              b: money(c.benchmarkFen),
              c: c.costFen === null ? t('floor.costNotRecorded') : money(c.costFen),
              n: money(c.nationalMinimumFen),
              p: c.provincialMinimumFen === null ? t('floor.provincialAbsent') : money(c.provincialMinimumFen),
              k: formatNumber(l.termFactor, locale, 6),
            })}
      </p>
      {l.ok === true && <p className="bu-ok small" data-testid={`floor-ok-${l.subject}`}>✓ {t('allocations.floor.above', { margin: money((l.offeredFen ?? 0n) - l.floorFen) })}</p>}
      {l.ok === false && <p className="bu-bad small" data-testid={`floor-below-${l.subject}`}>✗ {t('allocations.floor.below', { short: formatMoney(l.shortfallFen, locale) })}</p>}
    </div>
  );
}
