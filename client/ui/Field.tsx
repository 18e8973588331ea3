import { useId, type InputHTMLAttributes, type ReactNode, type Ref } from 'react';

/**
 * A labelled form field: `.field`, its label (with the required star) for the control `id`, then
 * the control and its hint or error as children.
 */
export function Field({ id, label, required = false, children }: { id: string; label: string; required?: boolean; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {required && (
          <>
            {' '}
            <span className="req" aria-hidden="true">*</span>
          </>
        )}
      </label>
      {children}
    </div>
  );
}

type InputFieldProps = InputHTMLAttributes<HTMLInputElement> & {
  label: string;
  /** Shown under the input and named by its aria-describedby. */
  hint?: ReactNode;
  /** The field's problem: shown under the hint, named by aria-describedby, and marks the input aria-invalid. */
  error?: ReactNode;
  /** Beside the input in one row (e.g. a "generate" button). */
  addon?: ReactNode;
  ref?: Ref<HTMLInputElement>;
};

/**
 * A labelled input in a `.field`: the input takes the attributes given (an id of its own unless
 * one is given), then its hint and its error, each tied to it by aria-describedby.
 */
export function InputField({ label, hint, error, addon, id, ...input }: InputFieldProps) {
  const ownId = useId();
  const inputId = id ?? ownId;
  const hintId = `${inputId}-hint`;
  const errorId = `${inputId}-error`;
  const describedBy = [hint ? hintId : '', error ? errorId : ''].filter(Boolean).join(' ');
  const control = (
    <input
      id={inputId}
      {...input}
      aria-invalid={error ? true : input['aria-invalid']}
      aria-describedby={describedBy || input['aria-describedby']}
    />
  );
  return (
    <div className="field">
      <label htmlFor={inputId}>{label}</label>
      {addon ? (
        <div className="input-row">
          {control}
          {addon}
        </div>
      ) : (
        control
      )}
      {hint && <p id={hintId} className="field-hint">{hint}</p>}
      {error && <p id={errorId} className="field-error">{error}</p>}
    </div>
  );
}
