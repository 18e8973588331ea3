/**
 * One allocation beside the map (`GET /api/allocations/:id`): project and enterprise, terms,
 * price against the floor, the decision record once approved (floor, inputs, reference data,
 * quota before and after, who and when), the contract and milestones with the overdue flag —
 * and the land officer's actions: approve and cancel (each after a confirmation, with an
 * Idempotency-Key), record the contract, record a milestone. With four eyes on (/api/meta
 * `approvalFourEyes`), 批准 is disabled for the officer who proposed it, with the reason; a
 * proposal closed by a competing approval says so and links to the winner.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { allocationsApi, quotasApi, type AllocationDetail as Detail, type AllocationFloorRecord, type MilestoneKind } from '../../api/index.ts';
import { ConfirmDialog, Dialog, DialogFooter } from '../../ui/Dialog.tsx';
import { Fact, Facts } from '../../ui/PanelParts.tsx';
import { AgreementView } from '../conditions/AgreementView.tsx';
import { formatDate, formatM2, formatMu, formatNumber } from '../../ui/format.ts';
import { interpolate } from '../../ui/interpolate.tsx';
import { Money as MoneyIn } from '../../ui/Money.tsx';
import { moneyScale } from '../../ui/money.ts';
import { useApi } from '../../ui/useApi.ts';
import { useCan } from '../../ui/useCan.ts';
import { useT } from '../../i18n/useT.ts';
import { useDatasetStore } from '../../stores/dataset.ts';
import { select, useSelectionStore } from '../../stores/selection.ts';
import { useSessionStore } from '../../stores/session.ts';
import { bureauToday } from './bureauUrl.ts';
import {
  CONTRACT_DATES,
  contractBody,
  contractProblems,
  EMPTY_CONTRACT,
  milestoneFloor,
  milestoneProblem,
  nextMilestone,
  type ContractField,
  type ContractProblem,
  type MilestoneProblem,
} from './contractForm.ts';
import { approvalBlockedByFourEyes } from './fourEyes.ts';
import { headroom } from './headroom.ts';
import { AllocationStatusTag, Area, GreenTag, Money, useAllocationErrorText } from './parts.tsx';
import { isQuotaNotSet } from './QuotaPanel.tsx';
import { useAllocationWrite } from './useAllocationWrite.ts';
import { dataChanged, openAllocation, setNotice, useBureauStore } from './store.ts';
import { useBureauApi } from './useBureauApi.ts';
import { useFramePlot } from '../../map/useFramePlot.ts';

export function AllocationDetail({ id }: { id: number }) {
  const { t, locale } = useT();
  const canManage = useCan('allocations.manage');
  const fourEyes = useDatasetStore((s) => s.meta?.approvalFourEyes);
  const me = useSessionStore((s) => s.user?.username ?? null);
  const { data: a, error, loading, refreshing, reload } = useBureauApi(`allocation:${id}`, (signal) => allocationsApi.get(id, signal));
  const errorText = useAllocationErrorText();
  const [dialog, setDialog] = useState<'approve' | 'cancel' | null>(null);
  const flash = useBureauStore((s) => (s.notice?.allocationId === id ? s.notice.text : null));
  const headingRef = useRef<HTMLHeadingElement>(null);

  // An allocation opened from a link or the list: select (and frame) its plot on the map.
  const plotSelected = useSelectionStore((s) => (s.selection?.kind === 'plot' ? s.selection.id : null));
  useFramePlot(a?.plotId ?? null);
  useEffect(() => {
    if (!a || plotSelected === a.plotId) return;
    openAllocation(a.id, a.plotId);
    select({ kind: 'plot', id: a.plotId }, { focus: true });
  }, [a, plotSelected]);

  // Opened by a write (a proposal just made): move focus to it, the form that had it is gone.
  const opened = useRef(false);
  useEffect(() => {
    if (!a || opened.current) return;
    opened.current = true;
    if (flash) headingRef.current?.focus();
  }, [a, flash]);

  if (loading && !a) {
    return (
      <div className="panel-state" role="status">
        <span className="spinner" aria-hidden="true" />
        {t('app.loading')}
      </div>
    );
  }
  if (error) {
    return (
      <div className="bu-panel-body">
        <BackToPlot />
        <p className="form-error" role="alert">{errorText(error)}</p>
        <button type="button" className="button button--secondary button--small" onClick={reload}>{t('panel.retry')}</button>
      </div>
    );
  }
  if (!a) return null;
  const p = a.project;
  // Four eyes: the server refuses the proposer's approval (409 FOUR_EYES); say so before.
  const ownProposal = approvalBlockedByFourEyes(fourEyes, me, a);
  const done = (message: string, plotStatusChanged: boolean) => {
    setDialog(null);
    setNotice(a.id, message);
    dataChanged({ plotStatusChanged });
    headingRef.current?.focus();
  };
  const modeTerm =
    a.mode === 'lease_then_transfer'
      ? t('allocations.terms.leaseThenTransfer', { lease: a.leaseYears ?? 0, transfer: a.termYears })
      : a.mode === 'long_term_lease'
        ? t('allocations.terms.lease', { n: a.termYears })
        : t('allocations.terms.years', { n: a.termYears });

  return (
    <div className="bu-panel-body" data-testid="allocation-detail" data-id={a.id} data-status={a.status}>
      <BackToPlot plotCode={a.plotCode} />
      <header className="bu-detail-head">
        <p className="eyebrow">{t('allocations.detail.eyebrow', { id: a.id })}</p>
        <h2 ref={headingRef} tabIndex={-1} data-testid="allocation-title">{p.name}</h2>
        <p className="bu-detail-tags">
          <AllocationStatusTag status={a.status} />
          {p.iab ? <span className="tag tag--ok">IAB</span> : <span className="tag tag--off">{t('allocations.nonIab')}</span>}
          {p.keyProject && <span className="tag tag--binding">{t('allocations.keyProject')}</span>}
          {a.greenChannel && <GreenTag />}
          {a.overdue && <span className="tag bu-tag--overdue" data-testid="overdue-flag">{t('allocations.overdueDays', { n: a.overdueDays ?? 0 })}</span>}
          {a.waitingDays !== null && <span className="muted small" data-testid="detail-waiting">{t('allocations.waitingDays', { n: a.waitingDays })}</span>}
        </p>
      </header>
      {a.supersededBy !== null && (
        <div className="note note--info" data-testid="superseded-note">
          <p>{t('allocations.supersededNote', { id: a.supersededBy })}</p>
          <button type="button" className="link-button" onClick={() => openAllocation(a.supersededBy!, a.plotId)} data-testid="superseded-open">
            {t('allocations.openWinner', { id: a.supersededBy })}
          </button>
        </div>
      )}
      {flash && <p className="note note--success" role="status" data-testid="allocation-flash">{flash}</p>}

      {canManage && (a.status === 'proposed' || a.status === 'approved' || a.status === 'contracted') && (
        <div className="bu-actions">
          {a.status === 'proposed' && (
            <button
              type="button"
              className="button"
              onClick={() => setDialog('approve')}
              disabled={ownProposal}
              aria-describedby={ownProposal ? `four-eyes-${a.id}` : undefined}
              data-testid="approve-button"
            >
              {t('allocations.approve')}
            </button>
          )}
          <button type="button" className="button button--danger-outline" onClick={() => setDialog('cancel')} data-testid="cancel-button">
            {t('allocations.cancel')}
          </button>
          {a.status === 'proposed' && ownProposal && (
            <p id={`four-eyes-${a.id}`} className="field-hint" data-testid="four-eyes-hint">{t('allocations.fourEyes.hint')}</p>
          )}
        </div>
      )}

      {a.sample && <p className="muted small"><span className="tag tag--sample">{t('sheet.sample')}</span> {t('allocations.detail.sampleNote')}</p>}
      <h3 className="section-title">{t('allocations.detail.project')}</h3>
      <Facts>
        <Fact label={t('allocations.field.enterprise')}>{p.enterprise.name}</Fact>
        <Fact label={t('allocations.field.uscc')}><span className="mono">{p.enterprise.uscc}</span></Fact>
        <Fact label={t('allocations.field.sector')}>
          {p.sector === 'other' ? t('allocations.sector.other') : t(`sector.${p.sector}`)}
          {p.subSector && <> · {p.subSector}</>}
        </Fact>
        <Fact label={t('allocations.field.investment')}>{p.plannedInvestmentYuan === null ? null : <Money yuan={p.plannedInvestmentYuan} />}</Fact>
      </Facts>

      <h3 className="section-title">{t('allocations.detail.terms')}</h3>
      <Facts>
        <Fact label={t('allocations.list.col.plot')}><span className="mono">{a.plotCode}</span> <span className="muted small">{a.parkCode} · {t(`status.${a.plotStatus}`)}</span></Fact>
        <Fact label={t('allocations.field.area')}><Area m2={a.areaM2} /></Fact>
        <Fact label={t('allocations.field.mode')}>
          {t(`supplyMode.${a.mode}`)}
          {a.mode !== 'transfer' && <> · {modeTerm}</>}
        </Fact>
        <Fact label={t('allocations.field.quotaYear')}>{a.quotaYear}</Fact>
        <Fact label={a.mode === 'long_term_lease' ? t('allocations.field.annualRent') : t('allocations.field.price')}>
          <span data-testid="detail-price"><Money yuan={a.priceYuan} /></span> <span className="muted small">{t('allocations.perM2', { value: formatNumber(a.priceYuan / a.areaM2, locale, 2, 2) })}</span>
        </Fact>
        {a.annualRentYuan !== null && <Fact label={t('allocations.field.leaseRent')}><Money yuan={a.annualRentYuan} /></Fact>}
        <Fact label={a.decision ? t('allocations.detail.floorApproved') : t('allocations.detail.floorProposed')}>
          <Money yuan={a.floorYuan} /> <span className="tag tag--binding">{t(`floor.binding.${a.binding}`)}</span>
        </Fact>
      </Facts>

      <h3 className="section-title">{t('allocations.detail.history')}</h3>
      <ol className="bu-timeline">
        <li>{t('allocations.detail.proposedBy', { who: a.createdBy ?? '—', when: formatDate(a.createdAt, locale, true) })}</li>
        {a.approvedAt && <li>{t('allocations.detail.approvedBy', { who: a.approvedBy ?? '—', when: formatDate(a.approvedAt, locale, true) })}</li>}
        {a.contractedAt && <li>{t('allocations.detail.contractedAt', { when: formatDate(a.contractedAt, locale, true) })}</li>}
        {a.cancelledAt && (
          <li>
            {t('allocations.detail.cancelledBy', { who: a.cancelledBy ?? '—', when: formatDate(a.cancelledAt, locale, true) })}
            {a.cancelReason && a.supersededBy === null && <span className="muted"> — {a.cancelReason}</span>}
          </li>
        )}
      </ol>

      {a.decision && <DecisionRecord a={a} />}
      {(a.status === 'contracted' || a.status === 'completed') && a.contract && <ContractView a={a} />}
      {(a.agreement || a.status === 'approved' || a.status === 'contracted' || a.status === 'completed') && <AgreementView agreement={a.agreement ?? null} />}
      {canManage && a.status === 'approved' && <ContractForm a={a} onDone={(m) => done(m, false)} />}
      {canManage && a.status === 'contracted' && <MilestoneForm a={a} onDone={(m) => done(m, false)} />}

      {dialog === 'approve' && <ApproveDialog a={a} onCancel={() => setDialog(null)} onDone={(m) => done(m, true)} />}
      {dialog === 'cancel' && (
        <CancelDialog a={a} onCancel={() => setDialog(null)} onDone={(m) => done(m, a.status !== 'proposed')} />
      )}
      {refreshing && <p className="muted small" role="status">{t('app.loading')}</p>}
    </div>
  );
}

function BackToPlot({ plotCode }: { plotCode?: string }) {
  const { t } = useT();
  return (
    <button type="button" className="link-button bu-back" onClick={() => openAllocation(null)} data-testid="back-to-plot">
      ← {plotCode ? t('allocations.detail.backToPlot', { code: plotCode }) : t('allocations.detail.back')}
    </button>
  );
}

function FloorLines({ f }: { f: AllocationFloorRecord }) {
  const { t, locale } = useT();
  // Offered and floor of every line in one unit, so the comparison reads at a glance; exact 元 on hover.
  const scale = moneyScale(f.checks.flatMap((c) => [c.offeredYuan, c.floorYuan]), locale);
  return (
    <ul className="bu-checks">
      {f.checks.map((c) => (
        <li key={c.subject} className={c.ok ? 'bu-check--ok' : 'bu-check--below'}>
          {interpolate(t('allocations.decision.checkLine', { subject: t(`allocations.check.${c.subject}`), offered: '{offered}', op: c.ok ? '≥' : '<', floor: '{floor}' }), {
            offered: <MoneyIn yuan={c.offeredYuan} scale={scale} />,
            floor: <MoneyIn yuan={c.floorYuan} scale={scale} />,
          })}
        </li>
      ))}
    </ul>
  );
}

function DecisionRecord({ a }: { a: Detail }) {
  const { t, locale } = useT();
  const d = a.decision!;
  const inputs = d.inputs as Record<string, number | string | boolean | null>;
  const num = (k: string, digits = 2) => (typeof inputs[k] === 'number' ? formatNumber(inputs[k], locale, digits) : '—');
  const pf = d.floor.priceFloor;
  // The floor, the floor proposed and its components in one unit (万元 or 亿元); exact 元 on hover.
  const scale = moneyScale([d.floor.floorYuan, d.proposal?.floorYuan ?? 0, pf.components.benchmarkYuan, pf.components.costYuan ?? 0, pf.components.nationalMinimumYuan], locale);
  const versions = d.reference.versions ? Object.entries(d.reference.versions) : [];
  return (
    <section className="bu-decision" aria-label={t('allocations.decision.title')} data-testid="decision-record">
      <h3 className="section-title">{t('allocations.decision.title')}</h3>
      <Facts>
        <Fact label={t('allocations.decision.by')}>
          {d.approvedBy.displayName} <span className="muted small">({d.approvedBy.username}) · {formatDate(d.approvedAt, locale, true)}</span>
        </Fact>
        <Fact label={t('allocations.decision.floor')}>
          <MoneyIn yuan={d.floor.floorYuan} scale={scale} /> <span className="tag tag--binding">{t(`floor.binding.${d.floor.binding}`)}</span>
          {d.proposal?.floorChanged && <span className="tag tag--warn">{interpolate(t('allocations.decision.floorChanged', { before: '{before}' }), { before: <MoneyIn yuan={d.proposal.floorYuan} scale={scale} /> })}</span>}
        </Fact>
        <Fact label={t('allocations.decision.components')}>
          <span className="small">
            {interpolate(
              t('allocations.decision.componentsText', { b: '{b}', c: '{c}', n: '{n}', k: formatNumber(pf.termFactor, locale, 6), term: pf.termYears }),
              {
                b: <MoneyIn yuan={pf.components.benchmarkYuan} scale={scale} />,
                c: pf.components.costYuan === null ? t('floor.notPublic') : <MoneyIn yuan={pf.components.costYuan} scale={scale} />,
                n: <MoneyIn yuan={pf.components.nationalMinimumYuan} scale={scale} />,
              },
            )}
          </span>
        </Fact>
        <Fact label={t('allocations.decision.inputs')}>
          <span className="small">
            {t('allocations.decision.inputsText', {
              area: formatM2(Number(inputs.areaM2 ?? a.areaM2), locale),
              level: String(inputs.landLevel ?? '—'),
              grade: String(inputs.landGrade ?? '—'),
              b: num('benchmarkYuanPerM2'),
              n: num('nationalMinYuanPerM2'),
            })}
            {inputs.benchmarkSample === true && <span className="tag tag--sample">{t('floor.flag.benchmarkSample')}</span>}
            {inputs.gradeAssumption === true && <span className="tag tag--warn">{t('floor.flag.gradeAssumption')}</span>}
          </span>
        </Fact>
        <Fact label={t('allocations.decision.checks')}>
          <FloorLines f={d.floor} />
        </Fact>
        <Fact label={t('allocations.decision.reference')}>
          <span className="small">
            {d.reference.asOf && t('floor.asOf', { date: formatDate(d.reference.asOf, locale) })}
            {versions.length > 0 && <> · {versions.map(([k, v]) => `${k} #${v.id}`).join(', ')}</>}
          </span>
        </Fact>
        <Fact label={t('allocations.decision.quota', { year: d.quota.year })}>
          <span className="small" data-testid="decision-quota">
            {t('allocations.decision.quotaText', {
              charged: formatMu(d.quota.chargedM2, locale),
              before: formatMu(d.quota.before.remainingM2, locale),
              after: formatMu(d.quota.after.remainingM2, locale),
            })}
          </span>
        </Fact>
      </Facts>
    </section>
  );
}

function ContractView({ a }: { a: Detail }) {
  const { t, locale } = useT();
  const c = a.contract!;
  const m = a.milestones;
  const date = (s: string | null) => (s ? formatDate(s, locale) : null);
  return (
    <section data-testid="contract-view">
      <h3 className="section-title">{t('allocations.contract.title')}</h3>
      <Facts>
        <Fact label={t('allocations.contract.contractNo')}><span className="mono">{c.contractNo}</span></Fact>
        <Fact label={t('allocations.contract.supervisionNo')}><span className="mono">{c.supervisionNo}</span></Fact>
        <Fact label={t('allocations.contract.signedOn')}>{date(c.signedOn)}</Fact>
      </Facts>
      <table className="data-table bu-milestones">
        <caption className="visually-hidden">{t('allocations.milestone.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('allocations.milestone.title')}</th>
            <th scope="col">{t('allocations.milestone.agreed')}</th>
            <th scope="col">{t('allocations.milestone.actual')}</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">{t('allocations.milestone.handed_over')}</th>
            <td>{date(c.agreedHandoverOn)}</td>
            <td>{date(m.handedOverOn) ?? <span className="muted">—</span>}</td>
          </tr>
          <tr className={a.overdue ? 'bu-row--overdue' : undefined}>
            <th scope="row">{t('allocations.milestone.started')}</th>
            <td>{date(c.agreedStartOn)}</td>
            <td>{date(m.startedOn) ?? (a.overdue ? <span className="tag bu-tag--overdue">{t('allocations.overdueDays', { n: a.overdueDays ?? 0 })}</span> : <span className="muted">—</span>)}</td>
          </tr>
          <tr>
            <th scope="row">{t('allocations.milestone.completed')}</th>
            <td>{date(c.agreedCompletionOn)}</td>
            <td>{date(m.completedOn) ?? <span className="muted">—</span>}</td>
          </tr>
        </tbody>
      </table>
    </section>
  );
}

function ApproveDialog({ a, onCancel, onDone }: { a: Detail; onCancel: () => void; onDone: (message: string) => void }) {
  const { t, locale } = useT();
  const quota = useApi(`approve-quota:${a.quotaYear}`, (signal) => quotasApi.get(a.quotaYear, signal));
  const { busy, failure, run } = useAllocationWrite();
  const room = quota.data ? headroom(quota.data, { areaM2: a.areaM2, iab: a.iab }) : null;
  const confirm = () =>
    run({ approve: a.id }, async (key) => {
      const r = await allocationsApi.approve(a.id, key);
      onDone(t('allocations.approved', { plot: r.plotCode, area: formatMu(r.areaM2, locale), year: r.quotaYear }));
    });
  return (
    <ConfirmDialog
      title={t('allocations.approveTitle', { id: a.id })}
      confirmLabel={t('allocations.approveConfirm')}
      busy={busy}
      error={failure}
      onCancel={onCancel}
      onConfirm={() => void confirm()}
      message={
        <div data-testid="approve-summary">
          <p>{t('allocations.approveBody', { plot: a.plotCode, project: a.project.name, enterprise: a.project.enterprise.name })}</p>
          <p>
            {t('allocations.approveCharge', { year: a.quotaYear, area: formatMu(a.areaM2, locale), m2: formatM2(a.areaM2, locale) })}
          </p>
          {room && room.fits && (
            <p className="muted">{t('allocations.approveRemaining', { before: formatMu(room.availableM2, locale), after: formatMu(room.remainingAfterM2 ?? 0, locale) })}</p>
          )}
          {room && !room.fits && !failure && <p className="form-error">{locale === 'zh-CN' ? room.messageZh : room.messageEn}</p>}
          {isQuotaNotSet(quota.error) && <p className="form-error">{t('allocations.quota.notSetYear', { year: a.quotaYear })}</p>}
          <p className="muted small">{t('allocations.approveRecheck')}</p>
        </div>
      }
    />
  );
}

function CancelDialog({ a, onCancel, onDone }: { a: Detail; onCancel: () => void; onDone: (message: string) => void }) {
  const { t, locale } = useT();
  const [reason, setReason] = useState('');
  const { busy, failure, run } = useAllocationWrite();
  const reasonId = useId();
  const releases = a.status === 'approved' || a.status === 'contracted';
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    // One key for this dialog's cancellation (a changed reason is the same intent), new after a refusal.
    await run({ cancel: a.id }, async (key) => {
      await allocationsApi.cancel(a.id, reason.trim() || undefined, key);
      onDone(releases ? t('allocations.cancelledReleased', { plot: a.plotCode, area: formatMu(a.areaM2, locale), year: a.quotaYear }) : t('allocations.cancelledProposal', { id: a.id }));
    });
  };
  return (
    <Dialog title={t('allocations.cancelTitle', { id: a.id })} onClose={onCancel} testId="cancel-dialog">
      <form onSubmit={submit}>
        <div className="dialog-message">
          <p>{releases ? t('allocations.cancelReleases', { plot: a.plotCode, area: formatMu(a.areaM2, locale), year: a.quotaYear }) : t('allocations.cancelProposal')}</p>
        </div>
        <div className="field">
          <label htmlFor={reasonId}>{t('allocations.cancelReason')}</label>
          <textarea id={reasonId} rows={3} maxLength={1000} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="cancel-reason" />
        </div>
        <DialogFooter
          error={failure}
          busy={busy}
          onCancel={onCancel}
          cancelLabel={t('allocations.keep')}
          submitLabel={t('allocations.cancelConfirm')}
          danger
          submitTestId="cancel-confirm"
        />
      </form>
    </Dialog>
  );
}

function useContractProblemText() {
  const { t } = useT();
  return (p: ContractProblem | MilestoneProblem | undefined | null): string | null => {
    if (!p) return null;
    switch (p.code) {
      case 'required':
        return t('allocations.problem.required');
      case 'date':
        return t('allocations.problem.date');
      case 'future':
        return t('allocations.problem.future', { today: p.today });
      case 'supervisionNo':
        return t('allocations.problem.supervisionNo');
      case 'order':
        return t('allocations.problem.order', { after: t(`allocations.contract.${p.after}`) });
      case 'beforePrevious':
        return t('allocations.problem.beforePrevious', { date: p.floor });
    }
  };
}

function ContractForm({ a, onDone }: { a: Detail; onDone: (message: string) => void }) {
  const { t } = useT();
  const problemText = useContractProblemText();
  const today = bureauToday();
  const [v, setV] = useState({ ...EMPTY_CONTRACT, signedOn: today });
  const [shown, setShown] = useState(false);
  const { busy, failure, setFailure, run } = useAllocationWrite();
  const base = useId();
  const problems = contractProblems(v, today);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setShown(true);
    setFailure(null);
    if (Object.keys(problems).length) return;
    const body = contractBody(v);
    await run(body, async (key) => {
      const r = await allocationsApi.contract(a.id, body, key);
      onDone(t('allocations.contract.done', { no: r.contract?.contractNo ?? body.contractNo }));
    });
  };
  const fields: ContractField[] = ['contractNo', 'supervisionNo', ...CONTRACT_DATES];
  return (
    <form className="bu-subform" onSubmit={submit} noValidate data-testid="contract-form">
      <h3 className="section-title">{t('allocations.contract.record')}</h3>
      <div className="bu-form-grid">
        {fields.map((f) => {
          const problem = shown ? problemText(problems[f]) : null;
          const isDate = (CONTRACT_DATES as readonly string[]).includes(f);
          return (
            <div key={f} className="field">
              <label htmlFor={`${base}-${f}`}>{t(`allocations.contract.${f}`)}</label>
              <input
                id={`${base}-${f}`}
                type={isDate ? 'date' : 'text'}
                value={v[f]}
                max={f === 'signedOn' ? today : undefined}
                maxLength={isDate ? undefined : f === 'contractNo' ? 64 : 40}
                onChange={(e) => setV({ ...v, [f]: e.target.value })}
                aria-invalid={problem ? true : undefined}
                aria-describedby={problem ? `${base}-${f}-error` : undefined}
                className={isDate ? undefined : 'mono'}
                data-testid={`contract-${f}`}
              />
              {problem && <p id={`${base}-${f}-error`} className="field-error">{problem}</p>}
            </div>
          );
        })}
      </div>
      {failure && <p className="form-error" role="alert">{failure}</p>}
      <button type="submit" className="button" disabled={busy} data-testid="contract-submit">
        {busy && <span className="spinner spinner--light" aria-hidden="true" />}
        {t('allocations.contract.submit')}
      </button>
    </form>
  );
}

function MilestoneForm({ a, onDone }: { a: Detail; onDone: (message: string) => void }) {
  const { t, locale } = useT();
  const problemText = useContractProblemText();
  const today = bureauToday();
  const kind: MilestoneKind | null = nextMilestone(a.milestones);
  const [date, setDate] = useState(today);
  const [shown, setShown] = useState(false);
  const { busy, failure, setFailure, run } = useAllocationWrite();
  const fieldId = useId();
  if (!kind) return null;
  const floor = milestoneFloor(kind, a.milestones, a.contract?.signedOn ?? null);
  const problem = milestoneProblem(date, floor, today);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setShown(true);
    setFailure(null);
    if (problem) return;
    const body = { kind, date };
    await run(body, async (key) => {
      await allocationsApi.milestone(a.id, body, key);
      onDone(t('allocations.milestone.done', { what: t(`allocations.milestone.${kind}`), date: formatDate(date, locale) }));
    });
  };
  const text = shown ? problemText(problem) : null;
  return (
    <form className="bu-subform" onSubmit={submit} noValidate data-testid="milestone-form">
      <h3 className="section-title">{t('allocations.milestone.record', { what: t(`allocations.milestone.${kind}`) })}</h3>
      <div className="bu-form-row">
        <div className="field">
          <label htmlFor={fieldId}>{t('allocations.milestone.date', { what: t(`allocations.milestone.${kind}`) })}</label>
          <input
            id={fieldId}
            type="date"
            value={date}
            max={today}
            min={floor ?? undefined}
            onChange={(e) => setDate(e.target.value)}
            aria-invalid={text ? true : undefined}
            aria-describedby={text ? `${fieldId}-error` : undefined}
            data-testid="milestone-date"
          />
          {text && <p id={`${fieldId}-error`} className="field-error">{text}</p>}
        </div>
      </div>
      {kind === 'completed' && <p className="muted small">{t('allocations.milestone.completesNote')}</p>}
      {failure && <p className="form-error" role="alert">{failure}</p>}
      <button type="submit" className="button" disabled={busy} data-testid="milestone-submit">
        {busy && <span className="spinner spinner--light" aria-hidden="true" />}
        {t('allocations.milestone.submit', { what: t(`allocations.milestone.${kind}`) })}
      </button>
    </form>
  );
}
