import { useId, useState } from 'react';
import { useT } from '../../i18n/useT.ts';
import { checkPhoto, PHOTO_TYPES } from './photoFile.ts';

/**
 * A file input for one visit photo: JPEG or PNG of at most 10 MB, said at once with a clear
 * error when the file chosen is not (`onFile(null)` then). The server checks the bytes again.
 */
export function PhotoInput({ label, hint, onFile, testId }: { label: string; hint?: string; onFile: (file: File | null) => void; testId: string }) {
  const { t } = useT();
  const id = useId();
  const [problem, setProblem] = useState<string | null>(null);
  const change = (file: File | undefined) => {
    if (!file) {
      setProblem(null);
      onFile(null);
      return;
    }
    const p = checkPhoto(file);
    setProblem(p === null ? null : p.kind === 'type' ? t('sv.photo.type', { name: p.name }) : p.kind === 'size' ? t('sv.photo.size', { size: p.sizeMb }) : t('sv.photo.empty'));
    onFile(p === null ? file : null);
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="file"
        accept={PHOTO_TYPES.join(',')}
        onChange={(e) => change(e.target.files?.[0])}
        aria-invalid={problem ? true : undefined}
        aria-describedby={[hint ? `${id}-hint` : '', problem ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined}
        data-testid={testId}
      />
      {hint && <p id={`${id}-hint`} className="field-hint">{hint}</p>}
      {problem && <p id={`${id}-error`} className="field-error" role="alert" data-testid={`${testId}-error`}>{problem}</p>}
    </div>
  );
}
