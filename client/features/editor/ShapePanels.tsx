/**
 * The panels of the shaping tools: `draw` (steps while a new polygon is drawn) and the form of
 * `create` / `edit` (shape facts, live and server check, issues, attributes, save).
 */
import type { GeometryValidation } from '../../../shared/geometry/index.ts';
import { formatM2, formatMu } from '../../ui/format.ts';
import { useT } from '../../i18n/useT.ts';
import type { ServerCheck, Tool } from './editorMachine.ts';
import { IssueList } from './IssueList.tsx';
import type { DisplayIssue } from './issues.ts';
import { PlotFormFields } from './PlotFormFields.tsx';
import { vertexCount, type PlotForm, type plotFormProblems } from './plotPayload.ts';

interface IssueProps {
  issues: readonly DisplayIssue[];
  onLocate: (where: [number, number]) => void;
  onPlot: (plotId: number) => void;
}

export function DrawPanel({ validation, issues, onLocate, onPlot, onCancel }: IssueProps & { validation: GeometryValidation | null; onCancel: () => void }) {
  const { t, locale } = useT();
  return (
    <section className="ed-section" aria-live="polite">
      <h2 className="ed-h">{t('editor.draw.title')}</h2>
      <ol className="ed-steps small">
        <li>{t('editor.draw.step1')}</li>
        <li>{t('editor.draw.step2')}</li>
        <li>{t('editor.draw.step3')}</li>
      </ol>
      {validation && <p className="small" data-testid="draw-area">{t('editor.geomArea', { mu: formatMu(validation.areaM2 ?? 0, locale), m2: formatM2(validation.areaM2 ?? 0, locale) })}</p>}
      {issues.length > 0 && <IssueList issues={issues} onLocate={onLocate} onPlot={onPlot} testId="issue-list" />}
      <div className="ed-actions">
        <button type="button" className="button button--ghost" onClick={onCancel}>{t('common.cancel')}</button>
      </div>
    </section>
  );
}

export interface ShapeFormProps extends IssueProps {
  tool: Extract<Tool, { kind: 'create' | 'edit' }>;
  code: string;
  geom: GeoJSON.Polygon | null;
  validation: GeometryValidation | null;
  /** The shape has an undo history (it can be reshaped). */
  reshaping: boolean;
  serverFresh: ServerCheck | null;
  form: PlotForm;
  problems: ReturnType<typeof plotFormProblems>;
  showProblems: boolean;
  geometricAreaM2: number | null;
  busy: boolean;
  actionError: string | null;
  conflict: boolean;
  onChange: (form: PlotForm) => void;
  onSave: () => void;
  onCheck: () => void;
  onCancel: () => void;
  onReloadConflict: () => void;
}

export function ShapeForm(p: ShapeFormProps) {
  const { t, locale } = useT();
  const { tool, geom, validation } = p;
  const liveErrors = validation?.errors.length ?? 0;
  const problemCount = Object.keys(p.problems).length;
  return (
    <form
      className="ed-section"
      aria-labelledby="ed-edit-title"
      onSubmit={(e) => {
        e.preventDefault();
        p.onSave();
      }}
      noValidate
      data-testid="plot-form"
    >
      <h2 id="ed-edit-title" className="ed-h">
        {tool.kind === 'create' ? t('editor.create.title') : t('editor.edit.title', { code: p.code })}
      </h2>
      {tool.kind === 'edit' && tool.locked && <p className="note note--info">{t(tool.locked === 'allocated' ? 'editor.edit.lockedAllocated' : 'editor.edit.lockedComplex')}</p>}
      {geom && (
        <p className="small ed-geom-facts">
          <span data-testid="geom-area">{t('editor.geomArea', { mu: formatMu(validation?.areaM2 ?? 0, locale), m2: formatM2(validation?.areaM2 ?? 0, locale) })}</span>
          {' · '}
          {t('editor.vertices', { n: vertexCount(geom) })}
          {p.reshaping && <> · {t('editor.editHint')}</>}
        </p>
      )}
      <div className="ed-check" role="status" aria-live="polite" data-testid="check-status">
        {geom && (liveErrors ? (
          <span className="tag tag--warn ed-tag-error">{t('editor.check.errors', { n: liveErrors })}</span>
        ) : (
          <span className="tag tag--ok">{t('editor.check.ok')}</span>
        ))}
        {p.serverFresh && (p.serverFresh.ok ? <span className="tag tag--ok">{t('editor.check.serverOk')}</span> : <span className="tag tag--warn">{t('editor.check.serverErrors')}</span>)}
      </div>
      {p.issues.length > 0 && <IssueList issues={p.issues} onLocate={p.onLocate} onPlot={p.onPlot} testId="issue-list" />}
      <PlotFormFields
        form={p.form}
        onChange={p.onChange}
        problems={p.problems}
        showProblems={p.showProblems}
        geometricAreaM2={p.geometricAreaM2}
        areaOptional={tool.kind === 'create'}
        disabled={p.busy}
      />
      {p.actionError && (
        <div className="form-error" role="alert" data-testid="save-error">
          <p>{p.actionError}</p>
          {p.conflict && (
            <button type="button" className="button button--secondary button--small" onClick={p.onReloadConflict} data-testid="reload-conflict">
              {t('editor.conflict.reload')}
            </button>
          )}
        </div>
      )}
      {p.showProblems && problemCount > 0 && <p className="field-error">{t('editor.formProblems', { n: problemCount })}</p>}
      <div className="ed-actions">
        <button type="submit" className="button" disabled={p.busy || liveErrors > 0} data-testid="save-plot">
          {p.busy && <span className="spinner spinner--light" aria-hidden="true" />}
          {tool.kind === 'create' ? t('editor.action.saveNew') : t('editor.action.save')}
        </button>
        {geom && (
          <button type="button" className="button button--secondary" onClick={p.onCheck} disabled={p.busy} data-testid="check-server">
            {t('editor.action.checkServer')}
          </button>
        )}
        <button type="button" className="button button--ghost" onClick={p.onCancel} disabled={p.busy}>{t('common.cancel')}</button>
      </div>
      {liveErrors > 0 && <p className="muted small">{t('editor.saveBlocked')}</p>}
    </form>
  );
}
