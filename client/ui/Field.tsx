import type { ReactNode } from 'react';

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
