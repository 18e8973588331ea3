/**
 * A park's infrastructure subsidies (五(三)13) on its report: the park's projects (the unit of the
 * 20 %: each with its investment, granted so far and remaining headroom), the grants with status,
 * and for the industry officer (`subsidies.manage`) a "new project" form and the grant form, which
 * picks a project and previews what will be granted — `subsidyGrant` from shared/policy, the
 * server's own rule: min(requested, 20 % of the project's investment − already granted to it, the
 * park's remaining cap), rounded down to the fen — plus disbursement and withdrawal, each
 * confirmed. Other roles read the lists. The server decides every write.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { DEFAULT_PARAMETERS, SUBSIDY_PROJECT_KINDS } from '../../../shared/policy/index.ts';
import { mulRatioFloor, ratioFromBp } from '../../../shared/money.ts';
import { formatMoney } from '../../../shared/units.ts';
import { dashboardApi, type ParkProject, type ParkReport, type Subsidy } from '../../api/index.ts';
import { ConfirmDialog, Dialog, DialogFooter } from '../../ui/Dialog.tsx';
import { Field } from '../../ui/Field.tsx';
import { Table } from '../../ui/Table.tsx';
import { formatDate, formatYuan } from '../../ui/format.ts';
import { Money } from '../../ui/Money.tsx';
import { moneyScale } from '../../ui/money.ts';
import { interpolate } from '../../ui/interpolate.tsx';
import { useApi } from '../../ui/useApi.ts';
import { useCan } from '../../ui/useCan.ts';
import { useErrorText } from '../../ui/useErrorText.ts';
import { useWrite } from '../../ui/useWrite.ts';
import { useT } from '../../i18n/useT.ts';
import { ReportTable } from './ReportTable.tsx';
import {
  cleanAmount, EMPTY_GRANT_FORM, EMPTY_PROJECT_FORM, grantPreview, pickMessage, projectInvestment, type GrantFormValues, type ProjectFormValues,
} from './figures.ts';
import { bureauToday } from '../../../shared/dates.ts';

/** Rows printed on the one-page report; the rest are listed on screen only. */
export const PRINT_ROWS = 6;

export function SubsidySection({ report, reloadKey = 0, onChanged }: { report: ParkReport; reloadKey?: number; onChanged: (message: string) => void }) {
  const { t, locale } = useT();
  const manage = useCan('subsidies.manage');
  /** The buttons' column, for those who manage subsidies: named for screen readers, not printed. */
  const actionsColumn = { label: t('dashboard.subsidy.actions'), hidden: true, className: 'no-print' };
  const errorText = useErrorText();
  const parkId = report.park.id;
  const projects = useApi(`projects:${parkId}:${reloadKey}`, (signal) => dashboardApi.projects(parkId, signal));
  /** The grant dialog: closed (null), open with no project chosen (0), or for one project. */
  const [granting, setGranting] = useState<number | null>(null);
  const [creating, setCreating] = useState(false);
  const [disburse, setDisburse] = useState<Subsidy | null>(null);
  const [withdraw, setWithdraw] = useState<Subsidy | null>(null);
  const s = report.subsidies;
  const items = s.items;
  // The summary's figures in one unit (万元 or 亿元), exact 元 on hover.
  const scale = moneyScale([s.capYuan, s.grantedYuan, s.disbursedYuan, s.remainingYuan], locale);
  // Each money column of the two tables in one unit, from its largest figure.
  const column = <T,>(rows: readonly T[], pick: (r: T) => number) => moneyScale(rows.map(pick), locale);
  const projectRows = projects.data?.items ?? [];
  const projectScales = {
    investment: column(projectRows, (p) => p.totalInvestmentYuan),
    share: column(projectRows, (p) => p.shareYuan),
    granted: column(projectRows, (p) => p.grantedYuan),
    remaining: column(projectRows, (p) => p.remainingYuan),
  };
  const grantScales = {
    investment: column(items, (x) => x.totalInvestmentYuan),
    requested: column(items, (x) => x.requestedYuan),
    granted: column(items, (x) => x.grantedYuan),
  };
  const headingId = useId();
  /** A dialog's write went through: close it, read the projects again (their granted sums changed) unless told not to, and say what happened. */
  const written = (close: () => void, projectsChanged = true) => (message: string) => {
    close();
    if (projectsChanged) projects.reload();
    onChanged(message);
  };

  return (
    <section className="report-section" aria-labelledby={headingId} data-testid="subsidy-section">
      <div className="report-section-head">
        <h2 id={headingId}>{t('dashboard.subsidy.title')}</h2>
        <p className="report-section-sum" data-testid="subsidy-summary">
          {interpolate(t('dashboard.subsidy.summary', { granted: '{granted}', disbursed: '{disbursed}', cap: '{cap}' }), {
            granted: <Money yuan={s.grantedYuan} scale={scale} />,
            disbursed: <Money yuan={s.disbursedYuan} scale={scale} />,
            cap: <Money yuan={s.capYuan} scale={scale} />,
          })}{' '}
          <span className="nowrap">
            {t('dashboard.subsidy.remaining')}{' '}
            <strong>
              <Money yuan={s.remainingYuan} scale={scale} testId="subsidy-remaining-exact" />
            </strong>
          </span>
        </p>
        {manage && (
          <span className="row-actions no-print">
            <button type="button" className="button button--secondary button--small" onClick={() => setCreating(true)} data-testid="project-open">
              {t('dashboard.subsidy.newProject')}
            </button>
            <button type="button" className="button button--small" onClick={() => setGranting(0)} data-testid="grant-open">
              {t('dashboard.subsidy.grant')}
            </button>
          </span>
        )}
      </div>
      {!manage && <p className="muted small no-print">{t('dashboard.subsidy.readOnly')}</p>}
      {/* The projects are a working list on screen; the one-page print keeps the grants (each names its project). */}
      <div className="no-print">
        <h3 className="report-subhead">{t('dashboard.subsidy.projects')}</h3>
        {projects.loading && !projects.data && <p className="muted report-empty">{t('app.loading')}</p>}
        {projects.error && <p className="form-error">{errorText(projects.error)}</p>}
        {projects.data && projects.data.items.length === 0 && <p className="muted report-empty">{t('dashboard.subsidy.noProjects')}</p>}
        {projects.data && projects.data.items.length > 0 && (
          <Table
            wrapClassName="report-table-wrap"
            className="report-table"
            data-testid="project-table"
            columns={[
              t('dashboard.subsidy.project'),
              { label: t('dashboard.subsidy.investment'), num: true },
              { label: t('dashboard.subsidy.projectShare', { pct: projects.data.shareBp / 100 }), num: true },
              { label: t('dashboard.subsidy.projectGranted'), num: true },
              { label: t('dashboard.subsidy.projectRemaining'), num: true },
              manage && actionsColumn,
            ]}
          >
            {projects.data.items.map((p) => (
              <tr key={p.id} data-testid={`project-row-${p.id}`}>
                <ProjectCell name={p.name} kind={p.kind} createdAt={p.createdAt} />
                <td className="num"><Money yuan={p.totalInvestmentYuan} scale={projectScales.investment} /></td>
                <td className="num"><Money yuan={p.shareYuan} scale={projectScales.share} /></td>
                <td className="num" data-testid="project-granted"><Money yuan={p.grantedYuan} scale={projectScales.granted} /></td>
                <td className="num" data-testid="project-remaining">
                  <Money className="strong" yuan={p.remainingYuan} scale={projectScales.remaining} />
                  {p.availableYuan < p.remainingYuan && (
                    <span className="report-sub">
                      {interpolate(t('dashboard.subsidy.availableNow', { amount: '{amount}' }), { amount: <Money yuan={p.availableYuan} scale={projectScales.remaining} /> })}
                    </span>
                  )}
                </td>
                {manage && (
                  <td className="row-actions no-print">
                    <button
                      type="button"
                      className="button button--secondary button--small"
                      onClick={() => setGranting(p.id)}
                      disabled={p.availableYuan <= 0}
                      data-testid={`project-grant-${p.id}`}
                    >
                      {t('dashboard.subsidy.grant')}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </Table>
        )}
        <h3 className="report-subhead">{t('dashboard.subsidy.grants')}</h3>
      </div>
      {items.length === 0 ? (
        <p className="muted report-empty">{t('dashboard.subsidy.none')}</p>
      ) : (
        <ReportTable
          rowCount={items.length}
          printRows={PRINT_ROWS}
          data-testid="subsidy-table"
          columns={[
            t('dashboard.subsidy.project'),
            { label: t('dashboard.subsidy.investment'), num: true },
            { label: t('dashboard.subsidy.requested'), num: true },
            { label: t('dashboard.subsidy.granted'), num: true },
            t('dashboard.subsidy.status'),
            manage && actionsColumn,
          ]}
        >
          {items.map((x, i) => (
            <tr key={x.id} className={`${i >= PRINT_ROWS ? 'report-more' : ''}${x.status === 'withdrawn' ? ' report-row--off' : ''}`} data-testid={`subsidy-row-${x.id}`}>
              <ProjectCell name={x.projectName} kind={x.kind} createdAt={x.createdAt} />
              <td className="num"><Money yuan={x.totalInvestmentYuan} scale={grantScales.investment} /></td>
              <td className="num"><Money yuan={x.requestedYuan} scale={grantScales.requested} /></td>
              <td className="num">
                <Money className={x.status === 'withdrawn' ? 'report-struck' : 'strong'} yuan={x.grantedYuan} scale={grantScales.granted} />
                <span className="report-sub">{t(`dashboard.subsidy.limit.${x.decision.limitedBy}`, { pct: x.decision.shareBp / 100 })}</span>
              </td>
              <td>
                <SubsidyStatusTag subsidy={x} />
              </td>
              {manage && (
                <td className="row-actions no-print">
                  {x.status === 'granted' && (
                    <>
                      <button type="button" className="button button--secondary button--small" onClick={() => setDisburse(x)} data-testid={`disburse-${x.id}`}>
                        {t('dashboard.subsidy.disburse')}
                      </button>
                      <button type="button" className="button button--danger-outline button--small" onClick={() => setWithdraw(x)} data-testid={`withdraw-${x.id}`}>
                        {t('dashboard.subsidy.withdraw')}
                      </button>
                    </>
                  )}
                </td>
              )}
            </tr>
          ))}
        </ReportTable>
      )}

      {granting !== null && (
        <GrantDialog report={report} projectId={granting || null} onClose={() => setGranting(null)} onDone={written(() => setGranting(null))} />
      )}
      {creating && (
        <ProjectDialog
          report={report}
          shareBp={projects.data?.shareBp ?? DEFAULT_PARAMETERS.subsidyShareBp}
          onClose={() => setCreating(false)}
          onDone={written(() => setCreating(false))}
        />
      )}
      {disburse && (
        <DisburseDialog parkId={report.park.id} subsidy={disburse} onClose={() => setDisburse(null)} onDone={written(() => setDisburse(null), false)} />
      )}
      {withdraw && <WithdrawDialog parkId={report.park.id} subsidy={withdraw} onClose={() => setWithdraw(null)} onDone={written(() => setWithdraw(null))} />}
    </section>
  );
}

/** A project's name, with its kind and the day it was recorded underneath. */
function ProjectCell({ name, kind, createdAt }: { name: string; kind: ParkProject['kind']; createdAt: string }) {
  const { t, locale } = useT();
  return (
    <td>
      <span className="strong">{name}</span>
      <span className="report-sub">
        {t(`dashboard.subsidy.kind.${kind}`)} · {formatDate(createdAt, locale)}
      </span>
    </td>
  );
}

export function SubsidyStatusTag({ subsidy: x }: { subsidy: Subsidy }) {
  const { t, locale } = useT();
  const cls = x.status === 'disbursed' ? 'tag--ok' : x.status === 'withdrawn' ? 'tag--off' : 'tag--binding';
  const when = x.status === 'disbursed' ? x.disbursedOn : x.status === 'withdrawn' ? x.withdrawnAt : null;
  return (
    <span className="report-status">
      <span className={`tag ${cls}`} data-testid="subsidy-status" data-status={x.status}>
        {t(`dashboard.subsidy.status.${x.status}`)}
      </span>
      {when && <span className="report-sub">{formatDate(when, locale)}</span>}
      {x.status === 'withdrawn' && x.withdrawReason && <span className="report-sub no-print">{x.withdrawReason}</span>}
    </span>
  );
}

/** Today as YYYY-MM-DD in the browser's calendar (the server refuses a future date anyway). */
/** Today on the bureau's calendar (Asia/Shanghai), as the server judges the date. */
const todayIso = (): string => bureauToday();

function ProjectDialog({ report, shareBp, onClose, onDone }: { report: ParkReport; shareBp: number; onClose: () => void; onDone: (message: string) => void }) {
  const { t, locale } = useT();
  const errorText = useErrorText();
  const [form, setForm] = useState<ProjectFormValues>(EMPTY_PROJECT_FORM);
  const { busy, error, run } = useWrite();
  const [touched, setTouched] = useState(false);
  const ids = { name: useId(), inv: useId(), kind: useId() };
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  const inv = projectInvestment(form);
  const nameMissing = form.name.trim() === '';
  const canSubmit = !busy && !nameMissing && inv.state === 'ok';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (!canSubmit) return;
    await run(async () => {
      const p = await dashboardApi.createProject(report.park.id, { name: form.name.trim(), kind: form.kind, totalInvestmentYuan: Number(cleanAmount(form.totalInvestment)) });
      onDone(t('dashboard.subsidy.project.done', { project: p.name, share: formatYuan(p.shareYuan, locale) }));
    });
  };

  return (
    <Dialog title={t('dashboard.subsidy.projectTitle', { park: locale === 'en' ? report.park.nameEn : report.park.nameZh })} onClose={onClose} testId="project-dialog">
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <Field id={ids.name} label={t('dashboard.subsidy.project')} required>
          <input
            ref={first}
            id={ids.name}
            value={form.name}
            onChange={(e) => setForm((f) => ({ ...f, name: e.target.value }))}
            maxLength={200}
            required
            aria-invalid={touched && nameMissing}
            data-testid="project-name"
          />
          {touched && nameMissing && <p className="field-error">{t('dashboard.subsidy.nameRequired')}</p>}
        </Field>
        <fieldset className="dash-fieldset">
          <legend>{t('dashboard.subsidy.kindLabel')}</legend>
          {SUBSIDY_PROJECT_KINDS.map((k) => (
            <label key={k} className="check check--inline">
              <input type="radio" name={ids.kind} value={k} checked={form.kind === k} onChange={() => setForm((f) => ({ ...f, kind: k }))} data-testid={`project-kind-${k}`} />
              {t(`dashboard.subsidy.kind.${k}`)}
            </label>
          ))}
        </fieldset>
        <Field id={ids.inv} label={t('dashboard.subsidy.investmentYuan')} required>
          <input
            id={ids.inv}
            inputMode="decimal"
            value={form.totalInvestment}
            onChange={(e) => setForm((f) => ({ ...f, totalInvestment: e.target.value }))}
            aria-invalid={inv.state === 'invalid'}
            data-testid="project-investment"
          />
          {inv.state === 'invalid' ? (
            <p className="field-error">{pickMessage(locale, inv)}</p>
          ) : (
            <p className="field-hint" data-testid="project-share-hint">
              {inv.state === 'ok'
                ? t('dashboard.subsidy.projectShareHint', { pct: shareBp / 100, amount: formatMoney(mulRatioFloor(inv.fen, ratioFromBp(shareBp)), locale, 'compact') })
                : t('dashboard.subsidy.yuanHint')}
            </p>
          )}
        </Field>
        <p className="muted small">{t('dashboard.subsidy.investmentFixed')}</p>
        <DialogFooter
          error={error ? errorText(error) : null}
          errorTestId="project-error"
          busy={busy}
          onCancel={onClose}
          submitLabel={t('dashboard.subsidy.newProject')}
          submitDisabled={!canSubmit}
          submitTestId="project-submit"
        />
      </form>
    </Dialog>
  );
}

function GrantDialog({ report, projectId, onClose, onDone }: { report: ParkReport; projectId: number | null; onClose: () => void; onDone: (message: string) => void }) {
  const { t, locale } = useT();
  const errorText = useErrorText();
  const parkId = report.park.id;
  // The projects and the figures in force now (share, cap, granted so far), fresh when the dialog opens.
  const list = useApi(`projects-grant:${parkId}`, (signal) => dashboardApi.projects(parkId, signal));
  const [form, setForm] = useState<GrantFormValues>({ ...EMPTY_GRANT_FORM, projectId: projectId ? String(projectId) : '' });
  const { busy, error, run } = useWrite();
  const [touched, setTouched] = useState(false);
  const ids = { project: useId(), req: useId(), preview: useId() };
  const first = useRef<HTMLSelectElement>(null);
  const req = useRef<HTMLInputElement>(null);
  useEffect(() => (projectId ? req.current?.focus() : first.current?.focus()), [projectId]);

  const project: ParkProject | null = list.data?.items.find((p) => String(p.id) === form.projectId) ?? null;
  const ctx = list.data
    ? { grantedYuan: list.data.grantedYuan, capYuan: list.data.capYuan, shareBp: list.data.shareBp, tier: report.park.tier, params: DEFAULT_PARAMETERS }
    : null;
  const preview = ctx ? grantPreview(form, project, ctx) : null;
  const projectMissing = project === null;
  const canSubmit = !busy && !projectMissing && preview?.state === 'ok' && !preview.zero;
  const money = (fen: bigint) => formatMoney(fen, locale, 'compact');
  const pct = (list.data?.shareBp ?? DEFAULT_PARAMETERS.subsidyShareBp) / 100;
  const typed = (text: string) => {
    const v = cleanAmount(text);
    if (v === '' || !/^\d+(\.\d{1,2})?$/.test(v)) return null;
    return formatYuan(Number(v), locale);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (!canSubmit || !project) return;
    await run(async () => {
      try {
        const r = await dashboardApi.grant(parkId, { projectId: project.id, requestedYuan: Number(cleanAmount(form.requested)) });
        onDone(t('dashboard.subsidy.granted.done', { amount: formatYuan(r.grantedYuan, locale), remaining: formatYuan(r.parkRemainingYuan, locale) }));
      } catch (err) {
        // The figures may have moved under us (another grant): show the ones in force now.
        list.reload();
        throw err;
      }
    });
  };

  return (
    <Dialog title={t('dashboard.subsidy.grantTitle', { park: locale === 'en' ? report.park.nameEn : report.park.nameZh })} onClose={onClose} wide testId="grant-dialog">
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <div className="form-grid dash-grid-2">
          <Field id={ids.project} label={t('dashboard.subsidy.project')} required>
            <select
              ref={first}
              id={ids.project}
              value={form.projectId}
              onChange={(e) => setForm((f) => ({ ...f, projectId: e.target.value }))}
              required
              aria-invalid={touched && projectMissing}
              data-testid="grant-project"
            >
              <option value="">{t('dashboard.subsidy.chooseProject')}</option>
              {(list.data?.items ?? []).map((p) => (
                <option key={p.id} value={String(p.id)}>
                  {t('dashboard.subsidy.projectOption', { project: p.name, remaining: formatYuan(p.remainingYuan, locale) })}
                </option>
              ))}
            </select>
            {touched && projectMissing && <p className="field-error">{t('dashboard.subsidy.projectRequired')}</p>}
            {list.data && list.data.items.length === 0 && <p className="field-hint">{t('dashboard.subsidy.noProjectsHint')}</p>}
            {project && (
              <p className="field-hint">
                {t(`dashboard.subsidy.kind.${project.kind}`)} · {t('dashboard.subsidy.investment')} {formatYuan(project.totalInvestmentYuan, locale)}
              </p>
            )}
          </Field>
          <Field id={ids.req} label={t('dashboard.subsidy.requestedYuan')} required>
            <input
              ref={req}
              id={ids.req}
              inputMode="decimal"
              value={form.requested}
              onChange={(e) => setForm((f) => ({ ...f, requested: e.target.value }))}
              aria-invalid={preview?.state === 'invalid' && preview.field === 'requested'}
              aria-describedby={ids.preview}
              data-testid="grant-requested"
            />
            <p className="field-hint">{typed(form.requested) ?? t('dashboard.subsidy.yuanHint')}</p>
          </Field>
        </div>

        <div id={ids.preview} className="dash-preview" aria-live="polite" data-testid="grant-preview">
          {list.loading && <p className="muted">{t('app.loading')}</p>}
          {list.error && <p className="form-error">{errorText(list.error)}</p>}
          {list.data && (
            <p className="muted small">
              {/* The park's cap and headroom read together: one unit, exact 元 on hover. */}
              {interpolate(t('dashboard.subsidy.rule', { pct, cap: '{cap}', remaining: '{remaining}' }), {
                cap: <Money yuan={list.data.capYuan} scale={moneyScale([list.data.capYuan, list.data.remainingYuan], locale)} />,
                remaining: <Money yuan={list.data.remainingYuan} scale={moneyScale([list.data.capYuan, list.data.remainingYuan], locale)} />,
              })}
            </p>
          )}
          {preview?.state === 'incomplete' && <p className="muted">{t('dashboard.subsidy.previewHint')}</p>}
          {preview?.state === 'invalid' && <p className="field-error">{pickMessage(locale, preview)}</p>}
          {preview?.state === 'refused' && <p className="form-error" data-testid="grant-refused">{pickMessage(locale, preview)}</p>}
          {preview?.state === 'ok' && (
            <>
              <p className="dash-preview-main">
                {t('dashboard.subsidy.expected')} <strong data-testid="grant-expected">{money(preview.grantedFen)}</strong>{' '}
                <span className="tag tag--binding">{t(`dashboard.subsidy.limit.${preview.limitedBy}`, { pct })}</span>
              </p>
              <table className="dash-preview-table">
                <tbody>
                  {(
                    [
                      [t('dashboard.subsidy.limitRequested'), preview.requestedFen],
                      [t('dashboard.subsidy.limitShare', { pct }), preview.investmentShareFen],
                      [t('dashboard.subsidy.projectGrantedBefore'), preview.projectGrantedFen],
                      [t('dashboard.subsidy.limitProject', { pct }), preview.projectHeadroomFen, 'grant-project-headroom'],
                      [t('dashboard.subsidy.limitCap'), preview.headroomFen],
                      [t('dashboard.subsidy.remainingAfter'), preview.remainingAfterFen],
                    ] as const satisfies readonly (readonly [string, bigint, string?])[]
                  ).map(([label, fen, testId]) => (
                    <tr key={label}>
                      <th scope="row">{label}</th>
                      <td className="num" data-testid={testId}>{money(fen)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {preview.zero && <p className="form-error">{t('dashboard.subsidy.zero')}</p>}
            </>
          )}
        </div>

        <DialogFooter
          error={error ? errorText(error) : null}
          errorTestId="grant-error"
          busy={busy}
          onCancel={onClose}
          submitLabel={preview?.state === 'ok' && !preview.zero ? t('dashboard.subsidy.grantAmount', { amount: money(preview.grantedFen) }) : t('dashboard.subsidy.grant')}
          submitDisabled={!canSubmit}
          submitTestId="grant-submit"
        />
      </form>
    </Dialog>
  );
}

function DisburseDialog({ parkId, subsidy, onClose, onDone }: { parkId: number; subsidy: Subsidy; onClose: () => void; onDone: (m: string) => void }) {
  const { t, locale } = useT();
  const errorText = useErrorText();
  const [date, setDate] = useState(todayIso());
  const { busy, error, run: write } = useWrite();
  const dateId = useId();
  const run = () =>
    write(async () => {
      await dashboardApi.disburse(parkId, subsidy.id, date || undefined);
      onDone(t('dashboard.subsidy.disbursed.done', { project: subsidy.projectName, amount: formatYuan(subsidy.grantedYuan, locale) }));
    });
  return (
    <ConfirmDialog
      title={t('dashboard.subsidy.disburseTitle')}
      confirmLabel={t('dashboard.subsidy.disburseConfirm')}
      busy={busy}
      error={error ? errorText(error) : null}
      onCancel={onClose}
      onConfirm={() => void run()}
      message={
        <>
          <p>{t('dashboard.subsidy.disburseBody', { project: subsidy.projectName, amount: formatYuan(subsidy.grantedYuan, locale) })}</p>
          <div className="field field--narrow dash-date">
            <label htmlFor={dateId}>{t('dashboard.subsidy.disbursedOn')}</label>
            <input id={dateId} type="date" value={date} max={todayIso()} onChange={(e) => setDate(e.target.value)} data-testid="disburse-date" />
          </div>
        </>
      }
    />
  );
}

function WithdrawDialog({ parkId, subsidy, onClose, onDone }: { parkId: number; subsidy: Subsidy; onClose: () => void; onDone: (m: string) => void }) {
  const { t, locale } = useT();
  const errorText = useErrorText();
  const [reason, setReason] = useState('');
  const { busy, error, run: write } = useWrite();
  const [touched, setTouched] = useState(false);
  const reasonId = useId();
  const run = async () => {
    setTouched(true);
    if (!reason.trim()) return;
    await write(async () => {
      const r = await dashboardApi.withdraw(parkId, subsidy.id, reason.trim());
      onDone(t('dashboard.subsidy.withdrawn.done', { project: subsidy.projectName, remaining: formatYuan(r.parkRemainingYuan, locale) }));
    });
  };
  return (
    <ConfirmDialog
      title={t('dashboard.subsidy.withdrawTitle')}
      confirmLabel={t('dashboard.subsidy.withdrawConfirm')}
      danger
      busy={busy}
      error={error ? errorText(error) : null}
      onCancel={onClose}
      onConfirm={() => void run()}
      message={
        <>
          <p>{t('dashboard.subsidy.withdrawBody', { project: subsidy.projectName, amount: formatYuan(subsidy.grantedYuan, locale) })}</p>
          <Field id={reasonId} label={t('dashboard.subsidy.withdrawReason')} required>
            <textarea
              id={reasonId}
              className="dash-textarea"
              rows={3}
              maxLength={1000}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              aria-invalid={touched && !reason.trim()}
              data-testid="withdraw-reason"
            />
            {touched && !reason.trim() && <p className="field-error">{t('dashboard.subsidy.reasonRequired')}</p>}
          </Field>
        </>
      }
    />
  );
}
