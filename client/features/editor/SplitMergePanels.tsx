/**
 * Split and merge, previewed in the browser with the server's own functions
 * (shared/geometry-edit.ts) before anything is sent: the pieces and their areas, the codes
 * they will get, and the merged outline. The server checks again and keeps the lineage.
 */
import { useId, useState } from 'react';
import type { EditFailure } from '../../../shared/geometry/edit.ts';
import { geometryAreaM2 } from '../../../shared/geometry/index.ts';
import { LAND_USES, type LandUse } from '../../../shared/domain.ts';
import { plotEditApi, type AreaGeometry, type MergeResult, type PlotProps, type SplitResult } from '../../api/index.ts';
import { formatM2, formatMu } from '../../ui/format.ts';
import { useErrorText } from '../../ui/useErrorText.ts';
import { useT } from '../../i18n/useT.ts';
import { EDITOR_COLORS } from './editorLayers.ts';
import { useWrite } from '../../ui/useWrite.ts';

export type SplitPreview = { ok: true; pieces: GeoJSON.Polygon[] } | EditFailure;
export type MergePreview = { ok: true; geometry: GeoJSON.Polygon } | EditFailure;

function failureText(f: EditFailure, locale: string): string {
  return locale === 'en' ? f.messageEn : f.messageZh;
}

export function SplitPanel({
  plot,
  rowVersion,
  line,
  preview,
  onRedraw,
  onCancel,
  onDone,
}: {
  plot: PlotProps;
  rowVersion: string | null;
  line: GeoJSON.LineString | null;
  preview: SplitPreview | null;
  onRedraw: () => void;
  onCancel: () => void;
  onDone: (r: SplitResult) => void;
}) {
  const { t, locale } = useT();
  const errorText = useErrorText();
  const reasonId = useId();
  const [codes, setCodes] = useState<string[]>([]);
  const [reason, setReason] = useState('');
  const { busy, error, run: write } = useWrite();
  const pieces = preview?.ok ? preview.pieces : [];
  const codeOf = (i: number) => codes[i] ?? `${plot.code}-${i + 1}`;
  const badCode = pieces.some((_, i) => !codeOf(i).trim() || codeOf(i) !== codeOf(i).trim());
  const dupCode = new Set(pieces.map((_, i) => codeOf(i).trim())).size !== pieces.length;
  const total = pieces.reduce((s, p) => s + geometryAreaM2(p), 0);

  const run = async () => {
    if (!line || !pieces.length || badCode || dupCode) return;
    await write(async () => {
      const r = await plotEditApi.split(plot.id, {
        line,
        codes: pieces.map((_, i) => codeOf(i).trim()),
        ...(rowVersion ? { expectedRowVersion: rowVersion } : {}),
        ...(reason.trim() ? { reason: reason.trim() } : {}),
      });
      onDone(r);
    });
  };

  return (
    <section className="ed-section" aria-labelledby={`${reasonId}-h`} data-testid="split-panel">
      <h2 id={`${reasonId}-h`} className="ed-h">{t('editor.split.title', { code: plot.code })}</h2>
      {!line && <p className="note note--info">{t('editor.split.howTo')}</p>}
      {preview && !preview.ok && <p className="form-error" role="alert">{failureText(preview, locale)}</p>}
      {pieces.length > 0 && (
        <>
          <p className="muted small">{t('editor.split.areaNote')}</p>
          <ol className="ed-pieces">
            {pieces.map((p, i) => {
              const a = geometryAreaM2(p);
              return (
                <li key={i}>
                  <span className="swatch" style={{ background: EDITOR_COLORS.pieces[i % EDITOR_COLORS.pieces.length] }} aria-hidden="true" />
                  <label className="visually-hidden" htmlFor={`${reasonId}-code-${i}`}>{t('editor.split.pieceCode', { n: i + 1 })}</label>
                  <input id={`${reasonId}-code-${i}`} className="ed-piece-code" value={codeOf(i)} maxLength={64} onChange={(e) => setCodes(pieces.map((_, j) => (j === i ? e.target.value : codeOf(j))))} />
                  <span className="ed-piece-area">
                    {formatMu(a, locale)} <span className="muted small">{formatM2(a, locale)} · {((a / total) * 100).toFixed(1)}%</span>
                  </span>
                </li>
              );
            })}
          </ol>
          {(badCode || dupCode) && <p className="field-error">{t(dupCode ? 'editor.split.duplicateCodes' : 'editor.problem.required')}</p>}
          <div className="field">
            <label htmlFor={reasonId}>{t('editor.field.reason')}</label>
            <input id={reasonId} value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
          </div>
        </>
      )}
      {error !== null && <p className="form-error" role="alert">{errorText(error)}</p>}
      <div className="ed-actions">
        <button type="button" className="button" onClick={() => void run()} disabled={busy || !pieces.length || badCode || dupCode} data-testid="split-confirm">
          {busy && <span className="spinner spinner--light" aria-hidden="true" />}
          {t('editor.split.confirm', { n: pieces.length || 2 })}
        </button>
        {line && <button type="button" className="button button--secondary" onClick={onRedraw} disabled={busy}>{t('editor.split.redraw')}</button>}
        <button type="button" className="button button--ghost" onClick={onCancel} disabled={busy}>{t('common.cancel')}</button>
      </div>
    </section>
  );
}

export function MergePanel({
  plots,
  preview,
  onCancel,
  onDone,
}: {
  plots: { id: number; code: string; status: string; landUse: LandUse; landLevel: number | null; areaM2: number; geometry: AreaGeometry }[];
  preview: MergePreview | null;
  onCancel: () => void;
  onDone: (r: MergeResult) => void;
}) {
  const { t, locale } = useT();
  const errorText = useErrorText();
  const id = useId();
  const [code, setCode] = useState('');
  const [landUse, setLandUse] = useState<LandUse | ''>('');
  const [landLevel, setLandLevel] = useState('');
  const [reason, setReason] = useState('');
  const { busy, error, run: write } = useWrite();
  const uses = [...new Set(plots.map((p) => p.landUse))];
  const levels = [...new Set(plots.map((p) => p.landLevel))];
  const needUse = uses.length > 1;
  const needLevel = levels.length > 1;
  const defaultCode = plots[0] ? `${plots[0].code}-M` : '';
  const finalCode = (code || defaultCode).trim();
  const notAvailable = plots.filter((p) => p.status !== 'available');
  const surveyed = plots.reduce((s, p) => s + p.areaM2, 0);
  const ready = plots.length >= 2 && preview?.ok === true && !notAvailable.length && !!finalCode && (!needUse || !!landUse) && (!needLevel || !!landLevel);

  const run = async () => {
    if (!ready) return;
    await write(async () => {
      const r = await plotEditApi.merge({
        plotIds: plots.map((p) => p.id),
        code: finalCode,
        ...(needUse && landUse ? { landUse } : {}),
        ...(needLevel && landLevel ? { landLevel: Number(landLevel) } : {}),
        ...(reason.trim() ? { reason: reason.trim() } : {}),
      });
      onDone(r);
    });
  };

  return (
    <section className="ed-section" aria-labelledby={`${id}-h`} data-testid="merge-panel">
      <h2 id={`${id}-h`} className="ed-h">{t('editor.merge.title', { n: plots.length })}</h2>
      {plots.length < 2 && <p className="note note--info">{t('editor.merge.howTo')}</p>}
      <ul className="inline-list">
        {plots.map((p) => (
          <li key={p.id}>
            <strong>{p.code}</strong> <span className="muted small">{t(`status.${p.status as 'available'}`)} · {formatMu(p.areaM2, locale)}</span>
          </li>
        ))}
      </ul>
      {notAvailable.length > 0 && <p className="form-error" role="alert">{t('editor.merge.notAvailable', { codes: notAvailable.map((p) => p.code).join('、') })}</p>}
      {preview && !preview.ok && <p className="form-error" role="alert">{locale === 'en' ? preview.messageEn : preview.messageZh}</p>}
      {preview?.ok && (
        <p className="small">
          {t('editor.merge.result', { mu: formatMu(surveyed, locale), m2: formatM2(surveyed, locale), geom: formatM2(geometryAreaM2(preview.geometry), locale) })}
        </p>
      )}
      {plots.length >= 2 && (
        <div className="form-grid ed-form-grid">
          <div className="field">
            <label htmlFor={`${id}-code`}>{t('editor.field.code')}</label>
            <input id={`${id}-code`} value={code} placeholder={defaultCode} maxLength={64} onChange={(e) => setCode(e.target.value)} data-testid="merge-code" />
          </div>
          {needUse && (
            <div className="field">
              <label htmlFor={`${id}-use`}>{t('editor.field.landUse')}</label>
              <select id={`${id}-use`} value={landUse} onChange={(e) => setLandUse(e.target.value as LandUse | '')} aria-required>
                <option value="">{t('editor.merge.chooseDiffering')}</option>
                {LAND_USES.map((u) => <option key={u} value={u}>{t(`landUse.${u}`)}</option>)}
              </select>
            </div>
          )}
          {needLevel && (
            <div className="field">
              <label htmlFor={`${id}-level`}>{t('editor.field.landLevel')}</label>
              <select id={`${id}-level`} value={landLevel} onChange={(e) => setLandLevel(e.target.value)} aria-required>
                <option value="">{t('editor.merge.chooseDiffering')}</option>
                {Array.from({ length: 10 }, (_, i) => i + 1).map((l) => <option key={l} value={l}>{t('value.level', { level: l })}</option>)}
              </select>
            </div>
          )}
          <div className="field field--wide">
            <label htmlFor={`${id}-reason`}>{t('editor.field.reason')}</label>
            <input id={`${id}-reason`} value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
          </div>
        </div>
      )}
      {error !== null && <p className="form-error" role="alert">{errorText(error)}</p>}
      <div className="ed-actions">
        <button type="button" className="button" onClick={() => void run()} disabled={busy || !ready} data-testid="merge-confirm">
          {busy && <span className="spinner spinner--light" aria-hidden="true" />}
          {t('editor.merge.confirm')}
        </button>
        <button type="button" className="button button--ghost" onClick={onCancel} disabled={busy}>{t('common.cancel')}</button>
      </div>
    </section>
  );
}
