/** The inspection's three writes: open one (assign a district officer), record a visit with a photo, close with a conclusion. */
import { useRef, useState, type FormEvent } from 'react';
import { bureauToday } from '../../../shared/dates.ts';
import { supervisionApi, type IdleItem } from '../../api/index.ts';
import { useT } from '../../i18n/useT.ts';
import { InputField, SelectField } from '../../ui/Field.tsx';
import { useApi } from '../../ui/useApi.ts';
import { useErrorText } from '../../ui/useErrorText.ts';
import { useWrite } from '../../ui/useWrite.ts';
import { newKey } from './parts.tsx';
import { PhotoInput } from './PhotoInput.tsx';
import { bumpData } from './store.ts';

interface FormProps {
  onDone: () => void;
  onCancel: () => void;
}

function Actions({ busy, submit, onCancel, testId }: { busy: boolean; submit: string; onCancel: () => void; testId: string }) {
  const { t } = useT();
  return (
    <div className="form-actions">
      <button type="submit" className="button" disabled={busy} data-testid={testId}>{submit}</button>
      <button type="button" className="button button--secondary" onClick={onCancel}>{t('common.cancel')}</button>
    </div>
  );
}

function TextArea({ label, value, onChange, error, testId, maxLength }: { label: string; value: string; onChange: (v: string) => void; error?: string | undefined; testId: string; maxLength: number }) {
  const id = useRef(`sv-${testId}`).current;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} rows={3} value={value} maxLength={maxLength} onChange={(e) => onChange(e.target.value)} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} data-testid={testId} />
      {error && <p id={`${id}-error`} className="field-error">{error}</p>}
    </div>
  );
}

export function OpenInspectionForm({ item, onDone, onCancel }: FormProps & { item: IdleItem }) {
  const { t } = useT();
  const errorText = useErrorText();
  const key = useRef(newKey());
  const write = useWrite();
  const inspectors = useApi(`inspectors#${item.districtCode}`, (signal) => supervisionApi.inspectors(item.districtCode, signal));
  const [assignee, setAssignee] = useState('');
  const [reason, setReason] = useState(() => t('sv.insp.reasonDefault', { stage: t(`sv.stage.${item.stage}`), days: item.daysLate }));
  const [dueOn, setDueOn] = useState('');
  const [tried, setTried] = useState(false);
  const options = (inspectors.data?.items ?? []).map((u) => ({ value: String(u.id), label: `${u.displayName}（${u.username}）` }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (!assignee || !reason.trim()) return;
    void write.run(async () => {
      await supervisionApi.openInspection({ allocationId: item.allocationId, assigneeId: Number(assignee), reason: reason.trim(), ...(dueOn ? { dueOn } : {}) }, key.current);
      bumpData();
      onDone();
    });
  };
  return (
    <form className="sv-form" onSubmit={submit} noValidate data-testid="inspection-form" aria-label={t('sv.insp.formTitle')}>
      <h4>{t('sv.insp.formTitle')}</h4>
      <SelectField
        label={t('sv.insp.assignee')}
        placeholder={t('sv.insp.assigneePlaceholder')}
        options={options}
        value={assignee}
        onChange={(e) => setAssignee(e.target.value)}
        error={tried && !assignee ? t('sv.required') : undefined}
        data-testid="inspection-assignee-select"
      />
      {inspectors.data && options.length === 0 && <p className="muted">{t('sv.insp.noAssignees')}</p>}
      {inspectors.error && <p className="alert alert--error" role="alert">{errorText(inspectors.error)}</p>}
      <TextArea label={t('sv.insp.reason')} value={reason} onChange={setReason} maxLength={1000} error={tried && !reason.trim() ? t('sv.required') : undefined} testId="inspection-reason" />
      <InputField label={t('sv.insp.dueOn')} type="date" min={bureauToday()} value={dueOn} onChange={(e) => setDueOn(e.target.value)} data-testid="inspection-dueOn" />
      {write.error !== null && <p className="alert alert--error" role="alert" data-testid="inspection-error">{errorText(write.error)}</p>}
      <Actions busy={write.busy} submit={t('sv.insp.submit')} onCancel={onCancel} testId="inspection-submit" />
    </form>
  );
}

export function VisitForm({ inspectionId, onDone, onCancel }: FormProps & { inspectionId: number }) {
  const { t } = useT();
  const errorText = useErrorText();
  const key = useRef(newKey());
  const write = useWrite();
  const today = bureauToday();
  const [visitedOn, setVisitedOn] = useState(today);
  const [findings, setFindings] = useState('');
  const [photo, setPhoto] = useState<File | null>(null);
  const [photoFailed, setPhotoFailed] = useState<string | null>(null);
  const [tried, setTried] = useState(false);
  const future = visitedOn > today;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (!visitedOn || future || !findings.trim()) return;
    void write.run(async () => {
      const visit = await supervisionApi.recordVisit(inspectionId, { visitedOn, findings: findings.trim() }, key.current);
      if (photo) {
        try {
          await supervisionApi.uploadPhoto(inspectionId, visit.id, photo);
        } catch (err) {
          // The visit stands; the photo can be added to it from the list.
          setPhotoFailed(errorText(err));
          bumpData();
          return;
        }
      }
      bumpData();
      onDone();
    });
  };
  return (
    <form className="sv-form" onSubmit={submit} noValidate data-testid="visit-form" aria-label={t('sv.visit.formTitle')}>
      <h4>{t('sv.visit.formTitle')}</h4>
      <InputField
        label={t('sv.visit.date')}
        type="date"
        max={today}
        value={visitedOn}
        onChange={(e) => setVisitedOn(e.target.value)}
        error={tried && !visitedOn ? t('sv.required') : tried && future ? t('sv.future') : undefined}
        data-testid="visit-date"
      />
      <TextArea label={t('sv.visit.findings')} value={findings} onChange={setFindings} maxLength={5000} error={tried && !findings.trim() ? t('sv.required') : undefined} testId="visit-findings-input" />
      <PhotoInput label={t('sv.visit.photo')} hint={t('sv.visit.photoHint')} onFile={setPhoto} testId="visit-photo" />
      {photoFailed && <p className="alert alert--error" role="alert" data-testid="visit-photo-failed">{t('sv.visit.photoFailed', { message: photoFailed })}</p>}
      {write.error !== null && <p className="alert alert--error" role="alert" data-testid="visit-error">{errorText(write.error)}</p>}
      {photoFailed ? (
        <div className="form-actions">
          <button type="button" className="button button--secondary" onClick={onDone}>{t('common.close')}</button>
        </div>
      ) : (
        <Actions busy={write.busy} submit={t('sv.visit.submit')} onCancel={onCancel} testId="visit-submit" />
      )}
    </form>
  );
}

export function CloseForm({ inspectionId, onDone, onCancel }: FormProps & { inspectionId: number }) {
  const { t } = useT();
  const errorText = useErrorText();
  const key = useRef(newKey());
  const write = useWrite();
  const today = bureauToday();
  const [conclusion, setConclusion] = useState('');
  const [closedOn, setClosedOn] = useState(today);
  const [tried, setTried] = useState(false);
  const future = closedOn > today;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (!conclusion.trim() || future) return;
    void write.run(async () => {
      await supervisionApi.closeInspection(inspectionId, { conclusion: conclusion.trim(), ...(closedOn ? { closedOn } : {}) }, key.current);
      bumpData();
      onDone();
    });
  };
  return (
    <form className="sv-form" onSubmit={submit} noValidate data-testid="close-form" aria-label={t('sv.close.formTitle')}>
      <h4>{t('sv.close.formTitle')}</h4>
      <TextArea label={t('sv.close.conclusion')} value={conclusion} onChange={setConclusion} maxLength={5000} error={tried && !conclusion.trim() ? t('sv.required') : undefined} testId="close-conclusion" />
      <InputField label={t('sv.close.closedOn')} type="date" max={today} value={closedOn} onChange={(e) => setClosedOn(e.target.value)} error={tried && future ? t('sv.future') : undefined} data-testid="close-closedOn" />
      {write.error !== null && <p className="alert alert--error" role="alert" data-testid="close-error">{errorText(write.error)}</p>}
      <Actions busy={write.busy} submit={t('sv.close.submit')} onCancel={onCancel} testId="close-submit" />
    </form>
  );
}
