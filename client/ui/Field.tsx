import { useId, type AriaAttributes, type InputHTMLAttributes, type ReactNode, type Ref, type SelectHTMLAttributes } from 'react';

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

/** The ids of a control's hint and error, and the aria attributes that tie them (and the error state) to it. */
function useFieldWiring(id: string | undefined, hint: ReactNode, error: ReactNode, given: AriaAttributes) {
  const ownId = useId();
  const controlId = id ?? ownId;
  const hintId = `${controlId}-hint`;
  const errorId = `${controlId}-error`;
  const describedBy = [hint ? hintId : '', error ? errorId : ''].filter(Boolean).join(' ');
  const aria = {
    'aria-invalid': error ? true : given['aria-invalid'],
    'aria-describedby': describedBy || given['aria-describedby'],
  };
  const notes = (
    <>
      {hint && <p id={hintId} className="field-hint">{hint}</p>}
      {error && <p id={errorId} className="field-error">{error}</p>}
    </>
  );
  return { controlId, aria, notes };
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
  const { controlId, aria, notes } = useFieldWiring(id, hint, error, input);
  const control = <input id={controlId} {...input} {...aria} />;
  return (
    <div className="field">
      <label htmlFor={controlId}>{label}</label>
      {addon ? (
        <div className="input-row">
          {control}
          {addon}
        </div>
      ) : (
        control
      )}
      {notes}
    </div>
  );
}

type SelectFieldProps = SelectHTMLAttributes<HTMLSelectElement> & {
  label: string;
  /** The first, empty option ("choose …"). */
  placeholder: string;
  options: readonly { value: string; label: string }[];
  /** The field's problem: shown under the select, named by aria-describedby, and marks it aria-invalid. */
  error?: ReactNode;
};

/** A labelled select in a `.field`: an empty "choose" option, then the options; its error tied to it as InputField's is. */
export function SelectField({ label, placeholder, options, error, id, ...select }: SelectFieldProps) {
  const { controlId, aria, notes } = useFieldWiring(id, undefined, error, select);
  return (
    <div className="field">
      <label htmlFor={controlId}>{label}</label>
      <select id={controlId} {...select} {...aria}>
        <option value="">{placeholder}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {notes}
    </div>
  );
}

/** A user name, typed as it is stored: named `username`, no automatic capitals, no spelling marks. */
export function UsernameField(props: InputFieldProps) {
  return <InputField name="username" autoCapitalize="none" spellCheck={false} {...props} />;
}
